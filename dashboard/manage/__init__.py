"""Run management: hide, rename, annotate and label runs, and delete them to a trash folder.

What the user decides about runs lives in the dashboard's own file (store.py), never in a run's
file; deleting moves a run's directory into the state folder's trash (trash.py); routes.py holds
the API and the Trash page, http_api.md documents them.
"""
