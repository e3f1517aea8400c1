"""Output paths of the command line: checked before any work (a file's folder, a run's folder),
written whole, and any file-system failure on them as one line naming the option and the path
(:mod:`.outputs.atomic` and :mod:`.outputs.outset` do the writing)."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .scenario.errors import InputError
from .scenario.reader import os_reason, short_path


@contextlib.contextmanager
def output_path(option: str, path):
    """Any OS error on an output path (a symlink loop, a folder that may not be entered, a name too
    long, a full disk, a read-only file system) as one line naming the option and the path."""
    try:
        yield
    except InputError:
        raise
    except OSError as exc:
        raise InputError(option, short_path(path), f"cannot be written ({os_reason(exc)})") from None


def check_out_file(path: Path, option: str) -> None:
    """An output file's folder must exist and take a new file, and the path must not be a folder:
    refused before any work, by creating and removing the temporary the write will use. A symbolic
    link is checked where it points; a character device or a named pipe (``/dev/null``, a FIFO) is
    written as a stream, a block device or a socket refused (outputs/atomic.py)."""
    from .outputs import atomic

    with output_path(option, path):
        if path.is_dir():
            raise InputError(option, short_path(path), "is a directory, not a file")
        real, stream = atomic.target(path)
        if stream:
            if not os.access(real, os.W_OK):
                raise InputError(option, short_path(path), "cannot be written (permission denied)")
            return
        parent = real.parent if str(real.parent) else Path(".")
        if not parent.is_dir():
            raise InputError(option, short_path(path), "its directory does not exist")
        if not os.access(parent, os.W_OK):
            raise InputError(option, short_path(path), "its directory is not writable")
        atomic.probe(real)


def write_file(path: Path, option: str, text: str) -> None:
    """Write ``text`` to the file ``path`` whole (atomically); a file-system failure becomes one
    line naming ``option`` and the path."""
    from .outputs import atomic

    with output_path(option, path):
        atomic.write_text(path, text)


def check_out_dir(path: Path, option: str = "--out") -> Path:
    """An output folder may exist (its previous set is then replaced, the user's other files kept),
    but must not be a file, the current folder, a mount point or unwritable: refused before any
    work, by staging a trial folder where the run will stage its set (see outputs/outset.py)."""
    from .outputs import outset

    with output_path(option, path):
        return outset.probe(path, option)


def write_into(writer, out_dir: Path, option: str = "--out"):
    """Run ``writer(out_dir)``; a file-system failure becomes one line naming the folder."""
    with output_path(option, out_dir):
        return writer(out_dir)


def out_folder(out: str | None, name: str) -> Path:
    """``--out`` as given, else ``out/<name>/`` (a scenario or sweep name is a safe folder name)."""
    if out is None:
        return Path("out") / name
    if out.strip() == "":
        raise InputError("--out", out, "is empty: give an output folder of its own (e.g. out/NAME)")
    return Path(out)


def wrote(paths) -> str:
    """'out/x/ (a.csv, b.json)' for a set, or the file's path."""
    paths = list(paths)
    if len(paths) == 1:
        return str(paths[0])
    folder = paths[0].parent if paths else Path(".")
    return f"{folder}/ ({', '.join(p.name for p in paths)})"
