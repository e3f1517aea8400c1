"""Solving components: the exact solver that applies to each, one after another or spread over
worker processes.

A component is solved from its own data alone (:class:`.model.Component` carries its grid, values
and retarget times), and both solvers are deterministic, so the plan does not depend on the
number of workers: the solutions come back in the order of the jobs.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np

from .dp import solve_dp
from .milp import solve_milp
from .model import Component, Solution

#: ``solver`` choices: ``auto`` (the dynamic programme where it applies, the integer programme
#: elsewhere) or ``milp`` (the integer programme everywhere: a cross-check).
SOLVERS = ("auto", "milp")


@dataclass(frozen=True)
class SolverOptions:
    """How components are solved: ``solver`` (:data:`SOLVERS`), the time given to one integer
    programme [s], the largest component (in windows) given one [1], and the most column-generation
    rounds of the ``fair`` policy [1]."""

    solver: str = "auto"
    milp_time_limit_s: float = 20.0
    max_milp_windows: int = 80
    fair_max_iter: int = 50


def solve_component(job: tuple[Component, np.ndarray, SolverOptions]) -> Solution | None:
    """The best assignment of one component for window weights (None: too large to try)."""
    comp, weight, options = job
    if options.solver == "auto" and comp.single_lane():
        return solve_dp(comp, weight)
    if comp.n > options.max_milp_windows:
        return None
    return solve_milp(comp, weight, options.milp_time_limit_s)


def plain_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """``workers`` processes, forked where the platform can (the executor is its own ``with``)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


class Solver:
    """Solves lists of (component, weights) jobs, in this process or in ``workers`` processes that
    live as long as the ``with`` block (so that repeated calls, as the ``fair`` policy makes, pay
    for starting them once). ``pool(workers)`` gives them as a context manager yielding an
    executor (default :func:`plain_pool`; the command line's starts and stops them whole under
    signals)."""

    def __init__(self, options: SolverOptions, workers: int = 1,
                 pool: Callable[[int], AbstractContextManager[concurrent.futures.Executor]] | None = None):
        self.options = options
        self.workers = max(1, int(workers))
        self._make_pool = pool or plain_pool
        self._stack = contextlib.ExitStack()
        self._pool: concurrent.futures.Executor | None = None

    def __enter__(self) -> Solver:
        return self

    def __exit__(self, *exc) -> None:
        self._pool = None
        self._stack.__exit__(*exc)

    def __call__(self, jobs: list[tuple[Component, np.ndarray]]) -> list[Solution | None]:
        """Solutions of ``jobs``, in their order."""
        tasks = [(comp, np.asarray(weight, float), self.options) for comp, weight in jobs]
        if self.workers == 1 or len(tasks) < 2:
            return [solve_component(t) for t in tasks]
        if self._pool is None:
            self._pool = self._stack.enter_context(self._make_pool(self.workers))
        chunk = max(1, len(tasks) // (8 * self.workers))
        return list(self._pool.map(solve_component, tasks, chunksize=chunk))
