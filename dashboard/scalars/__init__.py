"""The Scalars page family: a chart per tag for every selected run (`/scalars`) and its API.

routes holds the blueprint; charts (which charts a page shows) and series (a series
as JSON, CSV or a download) are plain functions; cache keeps recently served series.
The HTTP API is documented in http_api.md, beside this file.
"""
