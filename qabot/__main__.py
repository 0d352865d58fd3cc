"""`python -m qabot`: the same command line as the `qabot` console script."""

import sys

from qabot.cli import main

sys.exit(main())
