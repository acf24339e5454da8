"""The Text page family: a tag's text summaries per run, as markdown rendered by dashboard.runs.markdown."""
