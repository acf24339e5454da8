"""The Graph page family: a run's graph, grouped by name scopes (`/graph`) and its API.

routes holds the blueprint. The plain functions run in this order: scopes indexes a
stored graph definition, view chooses what is visible for a set of open scopes,
layout positions it (igraph), and panel answers the side panel and the search box.
The HTTP API is documented in http_api.md, beside this file.
"""
