"""The request plumbing every page family shares, and nothing specific to one page.

errors (failures as 4xx/5xx answers), params (query parameters, bounded and named
in their errors), strict_json (JSON without NaN tokens), security (the headers of
every answer), logdir (the runs a request reads), lru and caches (bounded caches,
kept per app), pages (how a page is rendered), resources (templates, static files
and plotly.js on disk) and routes (the few routes no page family owns).
"""
