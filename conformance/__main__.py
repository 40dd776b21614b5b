"""`python -m conformance` runs the same command as `syft-conformance`."""

import sys

from conformance.cli import main

sys.exit(main())
