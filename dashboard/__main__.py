"""`python -m dashboard ...` is the `liteboard` command."""

import sys

from dashboard.cli import main

sys.exit(main())
