"""Puts tests/layers on sys.path so that layer tests in any subfolder can `from conformance import ...`."""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
