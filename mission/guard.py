"""The command line's one-line contract: every way a run can end as one line on standard error
and an exit status, and nothing else (no traceback, no library's log).

Exit status: 0 success; 2 bad input (one line naming the field and the value, usage errors such as
``--days abc`` and unusable output paths included); 1 an internal fault; 130 interrupted (Ctrl-C),
143 terminated (SIGTERM); 141 when the reader of standard output went away (``skyswap schema |
head -c 100``: quiet, the status of any Unix tool stopped by SIGPIPE).

:func:`guarded` wraps each command (bad input, faults, signals, a closed or full standard output);
:class:`OneLineGroup` does the same for what click sees before a command runs (usage errors, help,
``--version``). The signals themselves are :mod:`.signals`'.
"""
from __future__ import annotations

import io
import os
import signal
import sys
import traceback
import warnings
from functools import wraps
from typing import NoReturn

import typer
import typer.core

from . import signals
from .scenario.errors import InputError
from .stdio import StdoutError
from .stdio import reason as stdout_reason

# click's exception classes, wherever this typer takes click from (its own copy since typer 0.2x)
_click = sys.modules[typer.BadParameter.__module__]
_NoArgsIsHelp = getattr(_click, "NoArgsIsHelpError", ())

#: Exit status when standard output's reader has gone (128 + SIGPIPE, as for any Unix tool).
EXIT_BROKEN_PIPE = 141


#: How many lines :func:`say` has written (an interruption typer turns into a silent status 130
#: before a command's guard runs is then said by the group).
_said = 0


def say(kind: str, text: str) -> None:
    """One line on stderr: ``skyswap: <kind>: <text>`` (line breaks in the text become spaces)."""
    global _said
    _said += 1
    text = " ".join(str(text).splitlines())
    if sys.stderr is not None:  # (print's file=None would be stdout, into a table)
        print(f"skyswap: {kind}: {text}", file=sys.stderr)


def _raw_value(args: list[str], opts: list[str]):
    """What the user typed for an option (``--days abc`` or ``--days=abc``), or None."""
    for i, arg in enumerate(args):
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return None


def _usage_line(exc, args: list[str]) -> str:
    """A click usage error as the project's one line: ``--days = 'abc': <reason> (skyswap plan --help)``."""
    where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
    param = getattr(exc, "param", None)
    if isinstance(exc, _click.BadParameter) and not isinstance(exc, _click.MissingParameter) and param is not None:
        opts = list(getattr(param, "opts", []) or [])
        name = opts[0] if opts else (param.human_readable_name or "argument")
        raw = _raw_value(args, opts) if opts else None
        reason = exc.message[:1].lower() + exc.message[1:] if exc.message else "invalid value"
        return (f"{name} = {raw!r}: {reason}" if raw is not None else f"{name}: {reason}") + where
    return exc.format_message().rstrip(".") + where


def stdout_line(exc: OSError) -> str:
    """The error line's text when standard output cannot be written (exit status 2)."""
    return f"standard output cannot be written ({stdout_reason(exc)})"


def quiet_stdout() -> None:
    """The reader of stdout has gone: point stdout at /dev/null so nothing more (not even the
    interpreter's final flush) complains."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


class OneLineGroup(typer.core.TyperGroup):
    """Usage errors (a bad option value, a missing argument, an unknown option) as one line and
    exit status 2, like every other bad input; a closed stdout pipe is quiet."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's ``main``, its errors as the project's one line and status (see the class)."""
        argv = list(sys.argv[1:] if args is None else args)
        said = _said
        try:
            try:
                rv = super().main(args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                  **extra)
                code = rv if isinstance(rv, int) else 0
            except _NoArgsIsHelp as exc:
                print(exc.ctx.get_help())
                code = 0
            sys.stdout.flush()  # help and --version: a full or closed stdout shows here
        except StdoutError as exc:
            say("error", stdout_line(exc))
            quiet_stdout()  # what stayed in the buffer goes nowhere at exit, quietly
            code = 2
        except _click.UsageError as exc:
            say("error", _usage_line(exc, argv))
            code = 2
        except _click.ClickException as exc:
            say("error", exc.format_message())
            code = exc.exit_code
        except typer.Abort:
            say("error", "interrupted")
            code = 130
        except BrokenPipeError:
            quiet_stdout()
            code = EXIT_BROKEN_PIPE
        if code == 130 and _said == said:  # typer's own: a Ctrl-C while it parsed the options (its lazy imports)
            say("error", "interrupted")
        if not standalone_mode:
            return code
        sys.exit(code)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    say("warning", str(message).splitlines()[0] if str(message) else category.__name__)


def _silence_libraries() -> None:
    """After an interruption, no library logs its own shutdown (Dask's cancelled tasks, asyncio's
    'exception never retrieved'): the run's last word is skyswap's one line."""
    import logging

    logging.disable(logging.CRITICAL)


def _stopped_by(signum: int) -> NoReturn:
    """End the run as the signal ``signum`` stops it (:mod:`.signals`): one line and 130 for
    SIGINT, the signal's status and nothing said for the others."""
    _silence_libraries()
    if signum == signal.SIGINT:
        say("error", "interrupted")
        raise typer.Exit(signals.exit_status(signum)) from None
    raise SystemExit(signals.exit_status(signum)) from None


def guarded(func):
    """Turn InputError into one line + exit 2, anything unexpected into one line + exit 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        warnings.showwarning = _show_warning
        try:
            out = func(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return out
        except typer.Exit:
            raise
        except BrokenPipeError:  # the reader of stdout went away (| head): quiet
            quiet_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except StdoutError as exc:  # > /dev/full, or stdout closed: an output that cannot be written
            say("error", stdout_line(exc))
            quiet_stdout()  # what stayed in the buffer goes nowhere at exit, quietly
            raise typer.Exit(2) from None
        except InputError as exc:
            say("error", exc.line())
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            _stopped_by(signal.SIGINT)
        except SystemExit:  # SIGTERM or SIGHUP (mission.signals): the status is the signal's
            _silence_libraries()
            raise
        except MemoryError:
            say("error", "out of memory: the run needs more memory than this machine gives it; shorten the span "
                         "(--days), or use fewer stations, pairs or satellites")
            raise typer.Exit(1) from None
        except Exception as exc:  # an internal fault: one line, the traceback only on request
            stopped_by = signals.stopping()
            if stopped_by is not None:  # a library wrapped the signal's exception in its own
                _stopped_by(stopped_by)
            if os.environ.get("SKYSWAP_DEBUG"):
                traceback.print_exc()
            say("internal error", f"{type(exc).__name__}: {exc} (set SKYSWAP_DEBUG=1 for the traceback)")
            raise typer.Exit(1) from None

    return wrapper
