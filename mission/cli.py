"""The ``skyswap`` command: its entry point (a contract: the README's "The command line" lists every command).

This module is light on purpose: :func:`main` installs the signal handlers (:mod:`.signals`)
before anything heavy is imported, then imports the commands (:mod:`.commands`) inside the same
guard, so a Ctrl-C or SIGTERM at any moment — the first second included — ends the run with one
line and its status (130, 143), never a traceback and never swallowed by a dependency's import.

Exit status: 0 success; 2 bad input (one line naming the field and the value); 1 an internal
fault; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 hung up (SIGHUP); 141 when the
reader of standard output went away.
"""
from __future__ import annotations

import sys

from . import signals, stdio


def __getattr__(name: str):
    """``skyswap.mission.cli.app``: the commands' Typer application (imported on first use)."""
    if name == "app":
        from .commands import app

        return app
    raise AttributeError(name)


def main() -> None:
    """The ``skyswap`` console script."""
    try:
        try:
            # first, inside the guard: a signal that lands while the handlers are being installed
            # (Python's own handler, or skyswap's before this returns) ends the run as any other
            signals.install()
            stdio.install()  # a full or closed stdout fails in words; a closed stderr never writes into stdout
            from .commands import app

            app()
        finally:
            signals.settle()  # a signal kept back during the last import decides the status now
    except KeyboardInterrupt:  # before a command's own guard took over (or after it)
        print("skyswap: error: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
