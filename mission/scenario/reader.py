"""The one way skyswap reads a file it is given: bounded, by type, as text, with one error line.

Every input file — a scenario or sweep (YAML), a TLE or OMM file, a cloud-statistics CSV, the
measured passes of ``skyswap calibrate`` — is read by :func:`read_text`:

1. *By type, before opening for read*: the path must name a regular file (symbolic links are
   followed). A directory, a named pipe (FIFO), a device (``/dev/zero``) or a socket is refused at
   once: reading a FIFO would block forever and a device never ends.
2. *Size before reading*: a file larger than the kind's limit is refused from its size, without
   reading it; the read itself stops one byte past the limit (a file that grows meanwhile).
3. *Plain text*: UTF-8 (a leading byte-order mark, as spreadsheets write, is dropped); control
   characters other than tab and line breaks are refused with their line and column, so that no
   escape sequence or stray NUL reaches a table, a calendar or a terminal.

Errors are :class:`InputError` lines naming the field (``orbit.tle``, ``scenario``) and the path
*as the user wrote it* (shortened when long); they never quote the file's content.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .errors import InputError

#: Most bytes read from each kind of input file (what skyswap calls it -> limit). [byte]
MAX_BYTES = {
    "scenario": 2_000_000,  # shipped scenarios are 4–6 kB
    "sweep": 2_000_000,
    "TLE file": 64_000,  # a TLE is 2–3 lines of 69 columns; a file may hold a few
    "OMM file": 1_000_000,
    "cloud CSV": 5_000_000,  # 12 rows per station
    "measured CSV": 20_000_000,  # rows of measured passes, ~40 bytes each
}

#: Characters refused in input text: C0 controls except tab, line feed and carriage return; DEL;
#: C1 controls (NEL included); the Unicode line and paragraph separators; byte-order marks past
#: the start; the bidirectional overrides and isolates that can make text display as other text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]")
#: Characters refused in a value once YAML escapes are read (``"\r"``, ``"\x1b"``): the above and a
#: carriage return (a value's line breaks are line feeds).
VALUE_CONTROL = re.compile("\r|" + CONTROL.pattern)
_BOM = "\ufeff"


def short_path(path: str | os.PathLike, limit: int = 100) -> str:
    """``path`` as text, its middle elided when longer than ``limit`` characters (a 4 kB path in an
    error line helps no one; its start and its file name do)."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + "…" + text[-(limit - head - 1):]


def os_reason(exc: OSError) -> str:
    """A few words for an OS error on a path, without the path (the error line names it once)."""
    words = {
        errno.ENOENT: "not found",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ELOOP: "too many levels of symbolic links (a symlink loop?)",
        errno.ENAMETOOLONG: "a name in the path is too long for the file system",
        errno.ENOTDIR: "a component of the path is not a folder",
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EISDIR: "is a directory",
        errno.EIO: "input/output error",
        errno.EMFILE: "too many open files",
        errno.EXDEV: "crosses file systems",
        errno.EBUSY: "the device or resource is busy",
    }
    return words.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(nbytes: int) -> str:
    return f"{nbytes / 1e6:.1f} MB" if nbytes >= 100_000 else f"{nbytes / 1e3:.0f} kB"


def first_control(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first character :data:`CONTROL` refuses, 1-based."""
    m = CONTROL.search(text)
    if m is None:
        return None
    before = text[:m.start()]
    line = before.count("\n") + 1
    column = m.start() - (before.rfind("\n") + 1) + 1
    return line, column, m.group()


def control_reason(line: int, column: int, char: str) -> str:
    """The words of a refused control character."""
    return (f"holds a control character (U+{ord(char):04X}) at line {line}, column {column}: skyswap reads plain "
            "UTF-8 text (tabs and line breaks only)")


def read_text(path: str | os.PathLike, field: str, what: str, shown: object = None) -> str:
    """The text of the regular file ``path``, bounded by :data:`MAX_BYTES` ``[what]``.

    Parameters
    ----------
    path : path-like
        The file (relative paths are relative to the working directory: resolve them first).
    field : str
        The field that named the file (``orbit.tle``, ``channel.cloud_csv``, ``scenario``).
    what : str
        The kind of file, a key of :data:`MAX_BYTES` (``scenario``, ``TLE file``, ...).
    shown : object, optional
        The value the error line shows (default: the path, shortened).

    Raises
    ------
    InputError
        Not a regular file, too large, unreadable, not UTF-8, or holding a control character.
    """
    limit = MAX_BYTES[what]
    value = short_path(path) if shown is None else shown
    try:
        st = os.stat(path)
    except FileNotFoundError:
        looked = f": {short_path(path)}" if shown is not None and str(shown) != os.fspath(path) else ""
        raise InputError(field, value, f"file not found{looked}") from None
    except OSError as exc:
        raise InputError(field, value, f"cannot be read ({os_reason(exc)})") from None
    kind = _kind_of(st.st_mode)
    if kind is not None:
        raise InputError(field, value, f"is {kind}, not a {what}")
    if st.st_size > limit:
        raise InputError(field, value, f"is {_size(st.st_size)}; skyswap reads a {what} of at most {_size(limit)}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: were it swapped for a FIFO since the stat, no wait
    except OSError as exc:
        raise InputError(field, value, f"cannot be read ({os_reason(exc)})") from None
    try:
        kind = _kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            raise InputError(field, value, f"is {kind}, not a {what}")
        chunks, total = [], 0
        while total <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            except OSError as exc:
                raise InputError(field, value, f"cannot be read ({os_reason(exc)})") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(field, value, f"is larger than {_size(limit)}, the most skyswap reads of a {what}")
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(field, value, f"is not UTF-8 text (line {line}, byte {exc.start}): save it as UTF-8 "
                                       "text") from None
    text = text.removeprefix(_BOM)  # spreadsheets and some editors start UTF-8 files with one
    bad = first_control(text)
    if bad is not None:
        raise InputError(field, value, control_reason(*bad))
    return text


def resolve(value: str, base: Path) -> Path:
    """A path a scenario names: ``~`` expanded, relative to the scenario's folder ``base``.

    Paths may leave the scenario's folder (``../shared/micius.tle``, an absolute path): a scenario
    is the user's own input, like a Makefile. What protects the user is how a named file is read
    (:func:`read_text`: regular files only, bounded, as the kind of file it claims to be) and that
    no error line quotes a named file's content.
    """
    return base / Path(value.strip()).expanduser()
