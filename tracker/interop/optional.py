"""Optional dependencies: imported on first use, with a one-line message naming the extra to install."""

import importlib

from ..errors import TrackerError


class MissingExtraError(TrackerError, ImportError):
    """A feature needs a package that is not installed; the message says which extra brings it."""


def require(module, extra, feature):
    """Import ``module`` for ``feature``, or raise MissingExtraError naming ``extra``."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.split(".")[0]
        if exc.name is None or exc.name.split(".")[0] != top:
            raise  # the package is there but is itself broken: show the real error
        raise MissingExtraError(f"{feature} needs the {top} package, which is not installed: "
                                f"pip install 'liteboard[{extra}]'") from None
