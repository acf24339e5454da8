"""`%load_ext liteboard` in a notebook: the same extension as `%load_ext dashboard` (the `%liteboard` magic).

The package is named for the project so the line users type works; everything lives in dashboard.
"""

from dashboard import load_ipython_extension

__all__ = ["load_ipython_extension"]
