"""The user's annotations joined to the run summaries every page lists (the run index filters
by them: dashboard.runs.index)."""

from dashboard.manage.store import Annotation


def annotate(runs, annotations):
    """Each run summary (a dict with its `name`) gets its hidden, display_name, notes and labels."""
    for run in runs:
        run.update(annotations.get(run["name"], Annotation()).to_dict())
    return runs
