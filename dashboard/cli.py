"""The `liteboard` command."""

import sys


def main(argv=None):
    print("liteboard: the dashboard is not built yet", file=sys.stderr)
    return 2
