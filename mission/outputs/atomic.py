"""Atomic output files: written under a temporary name beside the target, then renamed.

A reader (or a crash) never sees a half-written file: ``os.replace`` is atomic on POSIX within one
file system. Temporaries are named ``.<name>.skyswap-tmp-<pid>`` in the target's directory; any
left by a killed run are removed by the next run's :func:`clean_stale_temporaries`.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

TMP_MARK = ".skyswap-tmp-"


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path to write; on success rename it onto ``path``, on failure remove it."""
    path = Path(path)
    tmp = _tmp_name(path)
    try:
        yield tmp
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 text to ``path`` atomically (a temporary beside it, then a rename)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write bytes to ``path`` atomically (a temporary beside it, then a rename)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temporaries(directory: str | Path) -> None:
    """Remove temporaries left in ``directory`` by runs that no longer exist."""
    directory = Path(directory)
    if not directory.is_dir():
        return
    for p in directory.iterdir():
        if TMP_MARK in p.name:
            try:
                pid = int(p.name.rsplit(TMP_MARK, 1)[1])
            except ValueError:
                continue
            if not _pid_alive(pid):
                with contextlib.suppress(OSError):
                    p.unlink()
