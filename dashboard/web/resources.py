"""Where the dashboard's templates, static files and plotly.js live on disk.

A wheel carries `templates/` and `static/` inside the `dashboard` package
(pyproject's force-include); an editable install or a plain checkout has them
at the repository's top level. Look in the package first, then the checkout.
"""

import importlib.util
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent    # the dashboard package
CHECKOUT_DIR = PACKAGE_DIR.parent


def resource_dir(name):
    """The directory `name` ("templates" or "static"), packaged copy first."""
    for base in (PACKAGE_DIR, CHECKOUT_DIR):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"dashboard resource directory {name!r} is neither in {PACKAGE_DIR} nor in {CHECKOUT_DIR}"
    )


def plotly_js_path():
    """The plotly.min.js bundled with the installed plotly package.

    Found through the import system without importing plotly itself, which
    would cost the server a noticeable part of its start-up time.
    """
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the plotly package is not installed; it bundles plotly.min.js")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "package_data" / "plotly.min.js"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("plotly.min.js is missing from the installed plotly package")
