"""Calling HiGHS (through ``scipy.optimize``) without letting it write to a user's output."""
from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def quiet_stdout():
    """Send what C code writes to the process's standard output (file descriptor 1) to /dev/null
    for the duration, so that a solver's stray debug line cannot reach a user's output or pipe.
    Python-level ``sys.stdout`` is untouched; where descriptor 1 cannot be duplicated, nothing
    changes. (HiGHS prints a debug line to stdout even when silenced: ERGO-Code/HiGHS#2783.)"""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
