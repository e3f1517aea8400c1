"""Ctrl-C (SIGINT), SIGTERM and SIGHUP at any moment: never swallowed, never inside a swap.

The command line installs :func:`install` first thing, before its heavy imports. Its handler turns
a signal into an exception that unwinds the run (clean-up blocks run): ``KeyboardInterrupt`` for
SIGINT (exit status 130), ``SystemExit(128 + n)`` for the others (143 for SIGTERM, 129 for
SIGHUP). Three kinds of moment must not be interrupted, so there the signal waits, and is
delivered as soon as they are over:

- *Imports.* Some dependencies import with a bare ``except:`` (skyfield's ``iokit`` tries
  ``urllib`` and falls back to Python 2's ``urlparse``): an exception raised by a signal inside
  such an import was swallowed, the run went on to exit 0, or failed with ``No module named
  'urlparse'``. A signal that lands while any module is being imported is kept, and a short timer
  (SIGALRM, :data:`RECHECK_S`) delivers it once the import stack is gone.
- *Forks.* Python runs the hooks of ``os.register_at_fork`` (logging's lock, for one) around a
  fork and prints an exception raised inside one as "Exception ignored" and goes on: a signal
  that landed while a worker process was being forked was swallowed, with a traceback. From the
  first hook to the last (:func:`install` registers skyswap's after logging's, so that they run
  first before a fork and last after it) a signal is kept the same way. The forked worker then
  leaves the terminal's signals to its parent (:data:`WORKER_SIGNALS`): a Ctrl-C at the terminal
  reaches every process of the group, and a worker's KeyboardInterrupt was printed as a traceback.
- *Source strings* given to ``eval``/``exec`` (annotations, generated methods): CPython records a
  KeyboardInterrupt leaving one as unhandled, and a ``python -m`` run then dies by SIGINT after
  printing skyswap's line. A signal there is kept the same way.
- *Finalisers* (a ``__del__``): Python prints an exception raised there as "Exception ignored" and
  goes on; a signal landing there is kept the same way. One whose exception was ignored anyway (a
  callback Python runs and ignores) is delivered again when the run ends (:func:`settle`).
- *Anywhere else Python or an extension swallows an exception* (it prints "Exception ignored" and
  goes on): the command line's ``sys.unraisablehook`` prints nothing for a signal's own exception and delivers the
  signal again at the next moment that allows it.
- *Critical sections* (:func:`held`): the swap of an output set and the removal of its staging
  folder. Python runs signal handlers in the main thread whichever thread the kernel picked, so
  the hold works whatever thread runs the section (a signal mask would cover only the thread that
  set it). Used outside the command line (no handler installed), :func:`held` installs one for the
  section when it runs in the main thread and re-raises the signal to the previous handler after.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

#: Signals the command line turns into a clean exit.
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
#: How soon a signal kept during an import is looked at again. [s]
RECHECK_S = 0.05

_hold = 0
_lock = threading.Lock()
_pending: list[int] = []
_delivered: list[int] = []  # signals this run raised as exceptions (see settle)
_forking = 0  # > 0 from skyswap's first at-fork hook to its last (see _fork_begins)
_stopping = False  # a signal is stopping this run (see _unraisable)
_fork_hooked = False


def exit_status(signum: int) -> int:
    """The exit status of a run stopped by ``signum``: 128 + its number (130 SIGINT, 143 SIGTERM)."""
    return 128 + int(signum)


def _stop(signum: int):
    """The command line's delivery: libraries stop logging (Dask's cancelled tasks, asyncio's
    'exception never retrieved' as the run unwinds), so the run's last word is skyswap's line."""
    global _stopping
    import logging

    logging.disable(logging.CRITICAL)
    _stopping = True
    if signum not in _delivered:
        _delivered.append(signum)
    _deliver(signum)


def stopping() -> int | None:
    """The signal this run raised as an exception (the first), or None: a library may wrap that
    exception in its own (pydantic-core's serialiser reports "Error calling function ...:
    KeyboardInterrupt"), and the command line then ends the run as the signal, not as a fault."""
    return _delivered[0] if _delivered else None


def _deliver(signum: int):
    exc: BaseException = KeyboardInterrupt() if signum == signal.SIGINT else SystemExit(exit_status(signum))
    setattr(exc, "skyswap_signal", signum)  # how _unraisable knows its own  # noqa: B010
    raise exc


def _unraisable(unraisable) -> None:
    """``sys.unraisablehook`` of the command line. A signal's exception that Python (a finaliser,
    a weakref callback, an at-fork hook) or an extension (pydantic-core, building a validator,
    reported one so) could only print as "Exception ignored" and then went on is not printed: the
    signal is kept and delivered again at the next moment that allows it, so the run stops
    promptly, with its one line. Once a signal is stopping the run, a finaliser's failure is not
    printed either (an object whose constructor the signal interrupted, a ``ZipFile`` without its
    ``_writing``, fails in its ``__del__``). Every other report goes to the hook there was before."""
    signum = getattr(unraisable.exc_value, "skyswap_signal", None)
    if signum is None:
        if not _stopping:  # once stopping, a half-built object's finaliser failing is the signal's doing
            _previous_unraisablehook(unraisable)
        return
    if signum not in _pending:
        _pending.append(signum)
    if not _hold:
        _arm()


_previous_unraisablehook = sys.unraisablehook


def _fork_begins() -> None:
    global _forking
    _forking += 1


def _fork_ends_in_parent() -> None:
    global _forking
    _forking -= 1


#: What a process forked by the command line (a worker of its pools) does with each signal: a
#: Ctrl-C or a hang-up at the terminal reaches the whole process group, and the parent alone
#: answers it (one line; it stops its workers as it unwinds), so the workers ignore them; SIGTERM,
#: the parent's way to stop a worker, ends one at once and silently.
WORKER_SIGNALS = {name: action for name, action in (("SIGINT", signal.SIG_IGN), ("SIGHUP", signal.SIG_IGN),
                                                     ("SIGTERM", signal.SIG_DFL)) if hasattr(signal, name)}
#: The signals a terminal sends to its whole process group, which the command line alone answers:
#: those :data:`WORKER_SIGNALS` ignores.
TERMINAL_SIGNALS = tuple(getattr(signal, name) for name, action in WORKER_SIGNALS.items() if action == signal.SIG_IGN)


@contextlib.contextmanager
def terminal_signals_blocked():
    """Block :data:`TERMINAL_SIGNALS` (SIGINT, SIGHUP) in this thread while the block runs, for starting helper processes
    that are not forked (a local Dask cluster spawns its workers from its own threads): the threads
    started inside inherit the mask, the processes they spawn keep it across ``exec``, so a Ctrl-C
    or hang-up at the terminal (sent to the whole process group) reaches the command line alone.
    This thread receives a signal that came meanwhile as the block ends (none is lost)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set(TERMINAL_SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _fork_ends_in_child() -> None:
    """The child, a worker of the command line's pools: no fork under way, nothing kept or
    delivered (a signal meant for the parent is the parent's), and :data:`WORKER_SIGNALS`."""
    global _forking
    _forking = 0
    _pending.clear()
    _delivered.clear()
    for name, action in WORKER_SIGNALS.items():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(getattr(signal, name), action)


_FORK_HOOKS = frozenset(f.__code__ for f in (_fork_begins, _fork_ends_in_parent, _fork_ends_in_child))


def _must_wait(frame) -> bool:
    """Whether ``frame`` runs inside an import (importlib's bootstrap is on the stack), inside a
    finaliser (a ``__del__``) or between the at-fork hooks of a fork, where Python would print an
    exception as "ignored" and go on; or inside the ``eval``/``exec`` of a source string called
    from Python code (``_in_string_eval``)."""
    if _forking or (frame is not None and frame.f_code in _FORK_HOOKS):
        return True
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib") or code.co_name == "__del__" or _in_string_eval(frame):
            return True
        frame = frame.f_back
    return False


def _in_string_eval(frame) -> bool:
    """Whether ``frame`` is the top level of a source string that Python code passed to ``eval``
    or ``exec`` (``inspect.get_annotations`` evaluating the commands' annotations, for one;
    ``dataclasses`` and ``namedtuple`` build methods so). CPython marks a KeyboardInterrupt that
    leaves such an evaluation as unhandled, and a ``python -m`` run then ends killed by SIGINT
    even after skyswap caught it and printed its line (seen: the line, then status -2). The top
    level of ``python -c`` (no caller frame) is not one."""
    code = frame.f_code
    return code.co_name == "<module>" and code.co_filename == "<string>" and frame.f_back is not None


def _arm() -> None:
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, RECHECK_S)


def handler(signum, frame) -> None:
    """The command line's handler: deliver now, or keep the signal for after an import, a
    finaliser or a hold."""
    if _hold or _must_wait(frame):
        if signum not in _pending:
            _pending.append(signum)
        if not _hold:
            _arm()
        return
    _stop(signum)


def _recheck(signum, frame) -> None:
    """SIGALRM: deliver a kept signal once no import, finaliser or hold is under way."""
    if not _pending or _hold:
        return
    if _must_wait(frame):
        _arm()
        return
    first = _pending[0]
    _pending.clear()
    _stop(first)


def install() -> None:
    """Install :func:`handler` for :data:`SIGNALS`, the re-check timer's handler, ``sys.unraisablehook``
    and the at-fork hooks (main thread only; elsewhere nothing happens)."""
    global _fork_hooked, _previous_unraisablehook, _stopping
    if threading.current_thread() is not threading.main_thread():
        return
    _delivered.clear()
    _stopping = False
    if hasattr(signal, "SIGALRM"):  # first: the handlers below may arm its timer at once
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGALRM, _recheck)
    for signum in SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, handler)
    if sys.unraisablehook is not _unraisable:
        _previous_unraisablehook, sys.unraisablehook = sys.unraisablehook, _unraisable
    if not _fork_hooked and hasattr(os, "register_at_fork"):
        import logging  # noqa: F401 -- its hooks first, so that skyswap's enclose them

        os.register_at_fork(before=_fork_begins, after_in_parent=_fork_ends_in_parent,
                            after_in_child=_fork_ends_in_child)
        _fork_hooked = True


def settle() -> None:
    """At the end of a run (in a ``finally``): stop the re-check timer, and deliver a signal still
    kept back (one that landed in the run's last import) to a run that would otherwise end as a
    success, so that a stopped run never exits 0; a run already ending in error (its one line
    printed, exit 2 or 1) ends so, without a second line. A signal raised earlier whose exception
    never ended the run (raised inside a ``__del__`` or a weakref callback, where Python prints
    "Exception ignored" and goes on), while the run now ends as a success, is delivered again: a
    stopped run never exits 0."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0.0)
    if _pending and not _hold:
        first = _pending[0]
        _pending.clear()
        if _ending_as_success():  # a run already failing (bad input: its one line, exit 2) keeps its status
            _stop(first)
    delivered = list(_delivered)
    _delivered.clear()  # one run's: a later run in this process starts afresh
    if delivered and not _hold and _ending_as_success():
        _stop(delivered[0])


def _ending_as_success() -> bool:
    """Whether the exception on its way out (``settle`` runs in a ``finally``) ends the run with
    status 0: none, or ``SystemExit`` with code 0 or None."""
    exc = sys.exc_info()[1]
    return exc is None or (isinstance(exc, SystemExit) and exc.code in (0, None))


def _keep(signum, frame) -> None:
    if signum not in _pending:
        _pending.append(signum)


@contextlib.contextmanager
def held():
    """Keep SIGINT, SIGTERM and SIGHUP back while the block runs; deliver the first after it."""
    global _hold
    main = threading.current_thread() is threading.main_thread()
    previous = {}
    if main:
        for signum in SIGNALS:
            current = signal.getsignal(signum)
            if current is not handler and current not in (signal.SIG_IGN, None):
                with contextlib.suppress(ValueError, OSError):
                    previous[signum] = signal.signal(signum, _keep)
    with _lock:
        _hold += 1
    try:
        yield
    finally:
        with _lock:
            _hold -= 1
            outermost = _hold == 0
        for signum, old in previous.items():
            signal.signal(signum, old)
        if outermost and _pending:
            first = _pending[0]
            if previous and first in previous:  # no command-line handler: the previous one decides
                _pending.clear()
                signal.raise_signal(first)
            elif main:
                _pending.clear()
                _stop(first)
            else:
                _arm()  # the main thread delivers it
