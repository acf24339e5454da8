"""The Runs page family: the list of runs (`/`), one run's page (`/runs/<run>`) and their API.

routes holds the blueprint; summary and colors are plain functions of the tracker's
RunInfo that other families use too (every page shows a run in the same colour);
markdown renders and sanitizes text summaries for every page that shows one.
The HTTP API is documented in http_api.md, beside this file.
"""
