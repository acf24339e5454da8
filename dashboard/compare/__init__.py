"""The Compare page family: chosen runs side by side (`/compare`) and its API.

routes holds the blueprint; table (the side-by-side table and its CSV) and parcoords
(the parallel-coordinates axes) are plain functions of the tracker's RunInfo.
The HTTP API is documented in http_api.md, beside this file.
"""
