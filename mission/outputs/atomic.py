"""Atomic output files: written under a temporary name beside the target, then renamed.

A reader (or a crash) never sees a half-written file: ``os.replace`` is atomic on POSIX within one
file system. Temporaries are named ``.<name>.skyswap-tmp-<pid>`` in the target's directory (a long
name shortened, see :func:`bounded_stem`); every write first removes those that runs which no
longer exist (a SIGKILL, a power cut) left beside the same target, so no temporary outlives the
next run of any command that writes the file (``passes --out``, ``calibrate --out``).

What the path names decides how it is written (:func:`target`): a regular file, or a new name, is
replaced atomically; a symbolic link is followed (the file it names is replaced, the link stays);
a character device or a named pipe (``/dev/null``, ``/dev/stdout``, a FIFO a reader waits on) is
written as a stream — replacing it by a regular file would destroy the device node (as root) or
the pipe; a block device or a socket is refused.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from pathlib import Path

TMP_MARK = ".skyswap-tmp-"
#: Longest file or folder name kept whole inside a temporary or staging name: the rest of that
#: name (``.``, a mark, a pid, a token) must fit the 255 bytes most file systems allow. [byte]
MAX_STEM_BYTES = 160


def bounded_stem(name: str) -> str:
    """``name`` itself, or (past :data:`MAX_STEM_BYTES` bytes) its start and a hash of the whole, so
    that a temporary or staging name built on it stays a legal file name."""
    if len(os.fsencode(name)) <= MAX_STEM_BYTES:
        return name
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    head = os.fsencode(name)[:MAX_STEM_BYTES - 17].decode("utf-8", "ignore")
    return f"{head}-{digest}"


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{bounded_stem(path.name)}{TMP_MARK}{os.getpid()}")


class NotAFileTarget(OSError):
    """An output path that names something no file can be written to (a block device, a socket, a
    named pipe that no one reads); its ``strerror`` says what, in a few words."""


def target(path: str | Path) -> tuple[Path, bool]:
    """Where a write of ``path`` goes, and whether it is a stream (written in place, not replaced).

    A symbolic link is followed to the file it names (which may not exist yet); a character device
    or a named pipe is a stream; a block device or a socket raises :class:`NotAFileTarget`.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode  # follows links; a loop (ELOOP) is the caller's OSError
    except FileNotFoundError:
        mode = None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return path, True
    if mode is not None and stat.S_ISBLK(mode):
        raise NotAFileTarget(errno.EINVAL, "is a block device, not a file")
    if mode is not None and stat.S_ISSOCK(mode):
        raise NotAFileTarget(errno.EINVAL, "is a socket, not a file")
    if path.is_symlink():
        return Path(os.path.realpath(path)), False
    return path, False


def _write_stream(path: Path, data: bytes) -> None:
    """Write ``data`` into a character device or a named pipe as it is (no temporary, no rename)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # a pipe no one reads fails here, not forever
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise NotAFileTarget(errno.ENXIO, "is a named pipe that no process reads") from None
        raise
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path to write; on success rename it onto ``path``, on failure remove it.
    (``path`` is a regular file or a new name: see :func:`target`.)"""
    path = Path(path)
    clean_stale_temporaries(path.parent, path.name)
    tmp = _tmp_name(path)
    try:
        yield tmp
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def probe(path: str | Path) -> None:
    """Create and remove the temporary a write of ``path`` will use: an output file that cannot be
    written is refused before any work (raises the ``OSError``). A stream (:func:`target`) is
    left untouched: opening a named pipe would end its reader's input."""
    path, stream = target(path)
    if stream:
        return
    tmp = _tmp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    os.unlink(tmp)


def write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 text to ``path`` atomically (a temporary beside it, then a rename), or into it
    when it is a stream (:func:`target`)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write bytes to ``path`` atomically (a temporary beside it, then a rename), or into it when
    it is a stream (:func:`target`)."""
    path, stream = target(path)
    if stream:
        _write_stream(path, data)
        return
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:  # not a pid this system can have
        return False
    return True


def clean_stale_temporaries(directory: str | Path, name: str | None = None) -> None:
    """Remove temporaries left in ``directory`` by runs that no longer exist (only those of the file
    ``name`` when it is given)."""
    directory = Path(directory if str(directory) else ".")
    if not directory.is_dir():
        return
    prefix = f".{bounded_stem(name)}{TMP_MARK}" if name is not None else None
    try:
        with os.scandir(directory) as it:
            entries = [e.name for e in it]
    except OSError:
        return
    for entry in entries:
        if TMP_MARK not in entry or (prefix is not None and not entry.startswith(prefix)):
            continue
        try:
            pid = int(entry.rsplit(TMP_MARK, 1)[1])
        except ValueError:
            continue
        if not _pid_alive(pid):
            with contextlib.suppress(OSError):
                (directory / entry).unlink()
