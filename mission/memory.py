"""The C library's heap: freed memory handed back to the system, and a worker's malloc settings.

glibc's malloc serves arrays below its mmap threshold (which grows up to 32 MiB as large arrays are
freed) from its heap, and keeps freed heap memory for reuse: after the per-sample stages have freed
their chunks' arrays, the heap is full of holes that still count as the process's memory.
:func:`release_free_memory` returns those pages to the system (``malloc_trim(0)``, which also frees
pages inside the heap), so that the later stages start from the arrays still alive, not from the
per-sample stages' peak. :func:`relax_trim_threshold` undoes a small ``MALLOC_TRIM_THRESHOLD_`` in a
Dask worker's environment (see :mod:`mission.sweep`). Both are no-ops where the C library is not
glibc; neither changes a number.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import platform

#: mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: glibc's largest dynamic mmap threshold on 64-bit systems, and twice it for trimming (the pair
#: the dynamic rule settles on after large arrays are freed). [B]
_MMAP_THRESHOLD_B = 32 * 2**20
_TRIM_THRESHOLD_B = 64 * 2**20


@functools.cache
def _glibc():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc ``malloc_trim(0)``; elsewhere nothing)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def relax_trim_threshold() -> bool:
    """Where the environment sets ``MALLOC_TRIM_THRESHOLD_`` (Dask's workers set 65,536 B), set the
    thresholds glibc's own rule would reach (mmap 32 MiB, trim 64 MiB). A fixed small threshold makes
    every array above 128 KiB a fresh mapping of zeroed pages and returns the heap's top at every
    free: the kernel's page faults made a year point 1.5x slower (issue 25). Returns whether it did."""
    libc = _glibc()
    if libc is None or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_B)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD_B))
