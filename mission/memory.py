"""The C library's heap: freed memory handed back to the system, and a worker's malloc settings.

glibc's malloc serves arrays below its mmap threshold (which grows up to 32 MiB as large arrays are
freed) from its heap, and keeps freed heap memory for reuse: after the per-sample stages have freed
their chunks' arrays, the heap is full of holes that still count as the process's memory.
:func:`release_free_memory` returns those pages to the system (``malloc_trim(0)``, which also frees
pages inside the heap), so that the later stages start from the arrays still alive, not from the
per-sample stages' peak. A process that plans one scenario after another (a sweep's worker,
:mod:`mission.sweep`) does the opposite, :func:`keep_heap`: the next plan reuses the pages. Both
are no-ops where the C library is not glibc; neither changes a number.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import platform

#: mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: glibc's largest mmap threshold on 64-bit systems (arrays above it are always fresh mappings). [B]
_MMAP_THRESHOLD_B = 32 * 2**20
#: The trim threshold of :func:`keep_heap`: the largest ``int`` mallopt takes. [B]
_KEEP_TRIM_THRESHOLD_B = 2**31 - 1
_KEEP_HEAP = False  # set by keep_heap(): release_free_memory() does nothing


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
    if libc is not None and not _KEEP_HEAP:
        libc.malloc_trim(0)


def keep_heap() -> bool:
    """For a process that plans one scenario after another (a sweep's worker): keep freed memory in
    the heap for the next plan instead of handing it back. Sets glibc's largest mmap threshold
    (32 MiB) and a trim threshold of 2 GiB, overriding Dask's ``MALLOC_TRIM_THRESHOLD_=65536``, and
    makes :func:`release_free_memory` a no-op in this process. Each page handed back is a page the
    next point faults in again, zeroed: on the 2-core benchmark machine a year point cost ~15 % more
    CPU with the pages returned twice a point (issue 25). The process keeps about one point's peak.
    Returns whether it did (False where the C library is not glibc)."""
    global _KEEP_HEAP
    libc = _glibc()
    if libc is None:
        return False
    _KEEP_HEAP = bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_B)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, _KEEP_TRIM_THRESHOLD_B))
    return _KEEP_HEAP
