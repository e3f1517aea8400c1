"""Threads for the per-sample stages (and what a helper process needs to end with its parent).

numpy releases the GIL inside its loops, so independent pieces of one stage (stations, or fixed
chunks of samples) run on several cores from threads, without copying arrays between processes.
Every piece is computed exactly as it would be alone and the pieces are fixed by the data, not by
the thread count, so results are identical for any number of threads.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from . import signals


def default_threads(workers: int = 1) -> int:
    """Threads per process: the machine's cores shared among ``workers`` processes."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def thread_map(fn, items, threads: int) -> list:
    """``list(map(fn, items))``, on ``threads`` threads when there is more than one item."""
    items = list(items)
    if threads <= 1 or len(items) < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(min(threads, len(items))) as pool:
        return list(pool.map(fn, items))


def ordered_map(fn: Callable, items: Iterable, threads: int) -> Iterator:
    """``map(fn, items)`` as a generator, on ``threads`` threads with at most ``threads`` items in
    flight (so that only a few results wait to be consumed), yielding the results in order."""
    items = list(items)
    if threads <= 1 or len(items) < 2:
        for x in items:
            yield fn(x)
        return
    with ThreadPoolExecutor(min(threads, len(items))) as pool:
        ahead = iter(items)
        pending = deque(pool.submit(fn, x) for _, x in zip(range(threads), ahead))
        while pending:
            result = pending.popleft().result()
            for x in ahead:
                pending.append(pool.submit(fn, x))
                break
            yield result


@contextlib.contextmanager
def process_pool(workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    """``workers`` helper processes (forked where the platform can), started and shut down whole.

    A signal that lands while the executor starts its processes and its manager thread, or while
    it shuts them down, waits until that is over (:func:`mission.signals.held`); inside the
    ``with`` block it acts at once, and on the way out of an exception the queued work is
    cancelled (what runs finishes). Before, a SIGINT or SIGTERM inside the executor's first
    ``submit`` could leave forked workers that no manager thread would ever tell to stop: the
    process then waited for them at exit, forever, or failed with "cannot join thread before it
    is started" (found by sending the signal at the N-th Python call of ``skyswap passes``).
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    executor = None
    try:
        with signals.held():
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                           initializer=initializer, initargs=initargs)
            executor.submit(int)  # its processes and manager thread start here, whole
        yield executor
    except BaseException:
        if executor is not None:
            with signals.held():
                executor.shutdown(wait=True, cancel_futures=True)
        raise
    with signals.held():
        executor.shutdown(wait=True)


#: How often a helper process looks whether its parent is still there. [s]
PARENT_POLL_S = 0.2


def exit_with_parent(parent_pid: int, poll_s: float = PARENT_POLL_S) -> threading.Thread:
    """In a helper process (a chunk worker), a daemon thread that ends the process at once when
    ``parent_pid`` is no longer its parent: a parent killed outright (SIGKILL) cannot shut its pool
    down, and its workers, waiting for work that never comes, would otherwise live on holding the
    terminal's output pipes. Returns the thread."""

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(poll_s)
        os._exit(1)

    thread = threading.Thread(target=watch, name="skyswap-exit-with-parent", daemon=True)
    thread.start()
    return thread
