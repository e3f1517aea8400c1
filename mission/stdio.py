"""Standard output and error that fail in words: full, closed, or gone.

:func:`install` runs first thing in the ``skyswap`` command (before the signal handlers' imports):

- A write to standard output that fails (``> /dev/full``: no space; a closed descriptor) raises
  :class:`StdoutError`, which the commands turn into one line and exit status 2, like any other
  output path that cannot be written, instead of an internal error or a traceback. A reader that
  went away (``| head``) stays a ``BrokenPipeError`` (exit status 141, quiet).
- A closed descriptor 0, 1 or 2 (``skyswap schema >&-``) is opened on ``/dev/null`` so that no file
  the run opens takes its number (a CSV written into what a library thinks is stdout). A closed
  standard output then fails on the first write, in words; a closed standard error drops
  skyswap's messages (the exit status still tells) rather than sending them into standard output,
  where they would join a table.
"""
from __future__ import annotations

import errno
import os
import sys

#: The option-like name the error line gives standard output.
NAME = "standard output"


class StdoutError(OSError):
    """Standard output cannot be written (not a closed pipe: that is ``BrokenPipeError``)."""


class _Checked:
    """A stream that passes everything to ``stream`` and turns its OS errors into
    :class:`StdoutError`; ``closed_fd``: the descriptor was closed when the run started, so every
    write fails. (Its binary side, ``.buffer``, which click may write through, is checked too.)"""

    def __init__(self, stream, closed_fd: bool = False):
        self._stream = stream
        self._closed_fd = closed_fd

    def _call(self, name: str, *args):
        if self._closed_fd:
            if name == "flush":
                return None
            raise StdoutError(errno.EBADF, "it was closed when skyswap started")
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StdoutError(exc.errno, exc.strerror) from None

    def write(self, data):  # noqa: D102 - a stream's method
        return self._call("write", data)

    def writelines(self, lines):  # noqa: D102
        for line in lines:
            self.write(line)

    def flush(self):  # noqa: D102
        return self._call("flush")

    def isatty(self) -> bool:  # noqa: D102
        return not self._closed_fd and self._stream.isatty()

    @property
    def buffer(self):  # noqa: D102
        return _Checked(self._stream.buffer, self._closed_fd)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _reopen_closed() -> set[int]:
    """Open ``/dev/null`` on each of the descriptors 0, 1, 2 that is closed; return which were."""
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
    for fd in sorted(closed):
        try:
            null = os.open(os.devnull, os.O_RDWR)
        except OSError:
            continue
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    return closed


def install() -> None:
    """Check standard output's writes, and keep standard error's messages out of it (see above)."""
    closed = _reopen_closed()
    if 1 in closed or sys.stdout is None:
        sys.stdout = _Checked(open(os.devnull, "w", encoding="utf-8"), closed_fd=True)  # noqa: SIM115
    elif not isinstance(sys.stdout, _Checked):
        sys.stdout = _Checked(sys.stdout)
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run


def reason(exc: OSError) -> str:
    """A few words for a failed write to standard output."""
    if exc.errno == errno.EBADF:
        return "it is closed"
    from .scenario.reader import os_reason

    return os_reason(exc)


def console(width: int | None = None):
    """A rich ``Console`` on standard output for a table (``width``: None is the terminal's, 80
    columns when not a terminal; no soft wrapping) whose reader going away (``| head``) is a
    ``BrokenPipeError`` like any other write's: rich would print its own message and exit 1."""
    from rich.console import Console

    out = Console(width=width, soft_wrap=False)
    out.on_broken_pipe = _raise_broken_pipe  # type: ignore[method-assign]
    return out


def _raise_broken_pipe() -> None:
    raise BrokenPipeError
