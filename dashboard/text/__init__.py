"""Text summaries as the dashboard shows them: markdown rendered to sanitized HTML (markdown.py).

Every page that shows a logged text (the run page, and the text and image pages to come)
renders it through dashboard.text.markdown, so there is one place that decides what HTML
a text may become.
"""
