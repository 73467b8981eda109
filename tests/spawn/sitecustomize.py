"""Imported by every Python process of the tests' builds (tests/helpers.py puts this folder on
PYTHONPATH): worker processes start by `spawn`, as they do on macOS and Windows (and on Linux from
Python 3.14), so the tests exercise the path those systems take."""

import multiprocessing

multiprocessing.set_start_method("spawn", force=True)
