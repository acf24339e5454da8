"""The user's annotations joined to the run summaries every page lists: hidden runs left out
unless asked for, a label filter, and the counts the pages show beside the list."""

from collections import Counter

from dashboard.manage.store import Annotation


def annotate(runs, annotations):
    """Each run summary (a dict with its `name`) gets its hidden, display_name, notes and labels."""
    for run in runs:
        run.update(annotations.get(run["name"], Annotation()).to_dict())
    return runs


def annotated(runs, annotations, show_hidden=False, label=None):
    """The run summaries a run list shows, and the counts answered beside them: how many runs are
    hidden, and each label's runs (over every run, so a filter never hides its own way back)."""
    annotate(runs, annotations)
    labels = Counter(name for run in runs for name in run["labels"])
    shown = [run for run in runs if (show_hidden or not run["hidden"])
             and (label is None or label in run["labels"])]
    return shown, {"hidden_count": sum(run["hidden"] for run in runs), "labels": dict(sorted(labels.items()))}
