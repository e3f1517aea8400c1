"""Output sets: the files of one run replace those of the previous run in one atomic step.

A command (``plan``, ``compare``, ``sweep``) writes a *set* of files into its output folder. A
reader, or a run killed at any moment (SIGKILL included), finds in the folder either the complete
previous set or the complete new one, never a mix, and never a temporary file. How:

1. The new set is built in a staging folder *beside* the output folder (same parent, hence the
   same file system), ``.<folder>.skyswap-new-<pid>-<token>``: the set's files, a manifest
   ``.skyswap-<kind>.json`` (each file's size and SHA-256), and hard links (copies where a link is
   impossible) of every entry of the output folder that is not part of the previous set of this
   kind: the user's own files and other commands' sets stay.
2. The staging folder and the output folder are exchanged by one system call: Linux
   ``renameat2(RENAME_EXCHANGE)``, macOS ``renamex_np(RENAME_SWAP)``. Where neither is available
   (or the file system refuses it), two renames: the output folder moves aside to
   ``.<folder>.skyswap-old-<pid>-<token>`` and the staging folder takes its name. A kill between
   the two leaves no output folder for that instant, and the next write puts the previous set
   back (:func:`recover`).
3. The staging path, now holding the previous set, is removed; user files created in the output
   folder while the run was building are moved over first.

Staging folders of runs that no longer exist (a SIGKILL) are cleaned, and their user files
recovered, by the next write beside the same folder — read-only ones too (an output folder
without write permission is swapped like any other; its staging copy is made writable to be
removed). SIGINT, SIGTERM and SIGHUP wait while the swap and its clean-up run, whatever thread
runs them (:func:`mission.signals.held`). The swap gives the output folder a new
directory inode (same name, same content): a shell whose working directory is the output folder
would be left in the removed one, so the current folder and its ancestors are refused.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from .. import signals
from ..scenario.errors import InputError
from ..scenario.reader import short_path
from .atomic import TMP_MARK, _pid_alive, bounded_stem, clean_stale_temporaries

#: Bytes copied at a time from a file given as a set's content (a sweep's spooled ``sweep.parquet``). [B]
COPY_BLOCK_BYTES = 4 * 2**20

#: The files each command writes (a run writes a subset: ``outputs:`` can switch files off).
SETS = {
    "plan": ("passes.csv", "passes.parquet", "schedule.csv", "schedule.parquet", "summary.json", "report.html",
             "passes.ics"),
    "compare": ("compare.csv", "compare.json", "compare.html"),
    "sweep": ("sweep.parquet", "points.parquet", "points.csv", "sweep.html"),
    "map": ("map.nc", "sites.parquet", "sites.csv", "map.json", "map.html"),
}
ALL_SET_FILES = frozenset(name for names in SETS.values() for name in names)
#: Most entries (files and folders, counted recursively) of the user's own that an output folder may
#: hold: each run carries them over as hard links. More means the folder is not one of its own
#: (``--out ~``), and it is refused.
MAX_CARRIED_ENTRIES = 10_000
_MANIFEST = re.compile(r"^\.skyswap-[a-z]+\.json$")


def manifest_name(kind: str) -> str:
    """The manifest file of a set of ``kind`` in its output folder."""
    return f".skyswap-{kind}.json"


def _stage_pattern(name: str) -> re.Pattern:
    return re.compile(rf"^\.{re.escape(bounded_stem(name))}\.skyswap-(new|old)-(\d+)-[0-9a-f]+$")


def _stage_name(name: str, role: str) -> str:
    """``.<folder>.skyswap-<role>-<pid>-<token>`` (a long folder name shortened, so that the staging
    name still fits the file system's 255 bytes)."""
    return f".{bounded_stem(name)}.skyswap-{role}-{os.getpid()}-{secrets.token_hex(6)}"


# ------------------------------------------------------------------------------- the exchange

class _Unsupported(Exception):
    """No atomic exchange on this system or file system."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def exchange(a: str | Path, b: str | Path) -> None:
    """Exchange two existing paths atomically (both names exist before and after).

    Raises ``_Unsupported`` where the system or the file system cannot.
    """
    fa, fb = os.fsencode(os.fspath(a)), os.fsencode(os.fspath(b))
    if sys.platform.startswith("linux"):
        fn = getattr(_libc(), "renameat2", None)  # glibc >= 2.28
        args = (-100, fa, -100, fb, 2)  # AT_FDCWD, RENAME_EXCHANGE
        types = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    elif sys.platform == "darwin":
        fn = getattr(_libc(), "renamex_np", None)  # macOS >= 10.12
        args = (fa, fb, 2)  # RENAME_SWAP
        types = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
    else:
        fn = None
    if fn is None:
        raise _Unsupported
    fn.argtypes, fn.restype = types, ctypes.c_int
    if fn(*args) != 0:
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise _Unsupported
        raise OSError(code, os.strerror(code), os.fspath(a), None, os.fspath(b))


# ---------------------------------------------------------------------------------- helpers

def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(directory: Path):
    """An exclusive ``flock`` on ``directory`` (serialises writers beside one folder)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_file(path: Path, content: bytes | str | BinaryIO) -> dict:
    """Write ``content`` (text, bytes, or a binary file read whole from its start, in blocks) to a
    new file at ``path``, synced; its size and SHA-256 for the manifest."""
    digest, size = hashlib.sha256(), 0
    if isinstance(content, (str, bytes, bytearray, memoryview)):
        blocks: Iterable[bytes] = [content.encode("utf-8") if isinstance(content, str) else bytes(content)]
    else:
        content.seek(0)
        blocks = iter(lambda: content.read(COPY_BLOCK_BYTES), b"")
    with open(path, "xb") as f:
        for block in blocks:
            f.write(block)
            digest.update(block)
            size += len(block)
        f.flush()
        os.fsync(f.fileno())
    return {"bytes": size, "sha256": digest.hexdigest()}


def _link_tree(src: str, dst: str) -> None:
    """Recreate ``src`` at ``dst`` with hard links (copies where a link is refused)."""
    st = os.lstat(src)
    if stat.S_ISDIR(st.st_mode):
        os.mkdir(dst)
        with os.scandir(src) as it:
            for entry in it:
                _link_tree(entry.path, os.path.join(dst, entry.name))
        shutil.copystat(src, dst, follow_symlinks=False)
    elif stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src), dst)
    else:
        try:
            os.link(src, dst, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no hard links here (or no follow_symlinks): a copy
            if not stat.S_ISREG(st.st_mode):
                raise
            shutil.copy2(src, dst)


def _previous_set(folder: Path, kind: str) -> set[str]:
    """Names of the previous set of ``kind`` in ``folder``: its manifest, else every name the kind writes."""
    try:
        manifest = json.loads((folder / manifest_name(kind)).read_text(encoding="utf-8"))
        return set(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return set(SETS[kind])


def _count_user_entries(target: Path, skip: set[str], limit: int) -> int:
    """Entries of ``target`` (recursively) a write would carry over, counting stops above ``limit``."""
    count, stack = 0, []
    with os.scandir(target) as it:
        for entry in it:
            if entry.name not in skip and TMP_MARK not in entry.name:
                count += 1
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    while stack and count <= limit:
        with contextlib.suppress(OSError), os.scandir(stack.pop()) as it:
            for entry in it:
                count += 1
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    return count


def _check_carry(target: Path, field: str, shown: str) -> None:
    if not target.is_dir():
        return
    skip = set(ALL_SET_FILES) | {manifest_name(k) for k in SETS}
    if _count_user_entries(target, skip, MAX_CARRIED_ENTRIES) > MAX_CARRIED_ENTRIES:
        raise InputError(field, shown, f"holds more than {MAX_CARRIED_ENTRIES:,} files and folders that are not skyswap "
                                       "outputs: give the outputs a folder of their own (e.g. out/NAME)")


def _is_ours(name: str) -> bool:
    """A name that belongs to some skyswap set (files, manifests, temporaries), not to the user."""
    return name in ALL_SET_FILES or bool(_MANIFEST.match(name)) or TMP_MARK in name


def _discard(leftover: Path, target: Path) -> None:
    """Remove a staging folder; entries that are the user's and missing from ``target`` move there
    first. A read-only staging folder (the previous set of a read-only output folder) is made
    writable, folder by folder, so that it can be removed."""
    if not os.path.lexists(leftover):
        return
    if target.is_dir() and not target.is_symlink():
        with contextlib.suppress(OSError), os.scandir(leftover) as it:
            for entry in list(it):
                if not _is_ours(entry.name) and not os.path.lexists(target / entry.name):
                    with contextlib.suppress(OSError):
                        os.rename(entry.path, target / entry.name)
    _remove_tree(leftover)


def _remove_tree(path: Path) -> None:
    """``shutil.rmtree``, giving the owner write and search permission on a folder it cannot empty."""
    def writable_then_retry(func, name, exc_info):
        parent = os.path.dirname(name)
        with contextlib.suppress(OSError):
            os.chmod(parent, stat.S_IMODE(os.lstat(parent).st_mode) | stat.S_IRWXU)
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, stat.S_IMODE(os.lstat(name).st_mode) | stat.S_IRWXU)
                shutil.rmtree(name, ignore_errors=True)
            else:
                func(name)

    with contextlib.suppress(OSError):
        if not os.path.islink(path):
            os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) | stat.S_IRWXU)
    shutil.rmtree(path, onerror=writable_then_retry)
    if os.path.lexists(path):  # a folder deeper down that stayed read-only: once more, all made writable
        for root, dirs, _ in os.walk(path):
            for d in dirs:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(root, d), stat.S_IRWXU)
        shutil.rmtree(path, ignore_errors=True)


def recover(target: str | Path) -> None:
    """Clean up after runs killed while writing beside ``target``.

    If the output folder is missing and a killed run left the previous set aside (the two-rename
    fallback), it is put back. Staging folders of dead runs are removed (user files they alone
    hold are moved into the output folder first); temporaries of the per-file scheme of earlier
    skyswap versions are removed from the folder.
    """
    target = Path(target)
    parent = target.parent
    if not parent.is_dir():
        return
    pattern = _stage_pattern(target.name)
    stale = []
    for entry in os.scandir(parent):
        m = pattern.match(entry.name)
        if m and not _pid_alive(int(m.group(2))):
            stale.append((m.group(1), Path(entry.path)))
    if not os.path.lexists(target):
        olds = sorted((p for role, p in stale if role == "old"), key=lambda p: p.stat().st_mtime)
        if olds:
            os.rename(olds[-1], target)
    for _, path in stale:
        _discard(path, target)
    clean_stale_temporaries(target)  # per-file temporaries of an older skyswap's killed runs


# --------------------------------------------------------------------------------- checks

def resolve_target(out_dir: str | Path) -> Path:
    """The absolute output folder, symlinks followed (the real folder is the one swapped)."""
    path = Path(os.path.abspath(os.fspath(out_dir)))
    return path.resolve() if path.is_symlink() else path


def check_target(out_dir: str | Path, field: str = "out_dir") -> Path:
    """Refuse output folders that cannot be swapped: a file, the current folder or one holding
    it, a mount point, an unwritable parent. Returns :func:`resolve_target`."""
    if os.fspath(out_dir) == "":
        raise InputError(field, "", "is empty: give an output folder")
    shown = short_path(out_dir)
    target = resolve_target(out_dir)
    if target.exists() and not target.is_dir():
        raise InputError(field, shown, "is a file, not a directory")
    with contextlib.suppress(OSError):
        cwd = Path.cwd().resolve()
        if cwd == target or target in cwd.parents:
            raise InputError(field, shown, "is the current folder or holds it: skyswap replaces its output "
                                           "folder as a whole, so give a folder of its own (e.g. out/NAME)")
    if target.parent == target:
        raise InputError(field, shown, "is a file-system root: give a folder inside it")
    if target.is_dir() and os.stat(target).st_dev != os.stat(target.parent).st_dev:
        raise InputError(field, shown, "is a mount point: the new set is built beside the folder on the "
                                       "same file system, so give a folder inside it")
    _check_carry(target, field, shown)
    return target


def probe(out_dir: str | Path, field: str = "out_dir") -> Path:
    """:func:`check_target`, then create and remove a staging folder where the run will stage,
    so that an output folder that cannot be written is refused before any work is done."""
    target = check_target(out_dir, field)
    from ..scenario.reader import os_reason

    existing = target.parent
    while not os.path.lexists(existing):
        existing = existing.parent
    try:
        st = os.stat(existing)  # a symlink loop (ELOOP) or a link to nothing (ENOENT) shows here
    except OSError as exc:
        raise InputError(field, short_path(out_dir), f"cannot be created: {short_path(existing)}: {os_reason(exc)}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(field, short_path(out_dir), f"cannot be created: {short_path(existing)} is a file")
    trial = existing / _stage_name(target.name, "new")
    try:
        os.mkdir(trial)
        os.rmdir(trial)
    except OSError as exc:
        raise InputError(field, short_path(out_dir), f"cannot be written ({os_reason(exc)} in "
                                                     f"{short_path(existing)})") from None
    return target


# ---------------------------------------------------------------------------------- write

def write_set(out_dir: str | Path, files: Mapping[str, bytes | str | BinaryIO], kind: str) -> list[Path]:
    """Replace the previous ``kind`` set in ``out_dir`` by ``files`` (name -> content), atomically.

    Parameters
    ----------
    out_dir : path
        The output folder (created with its parents if missing).
    files : mapping
        File name -> content (``str`` is written as UTF-8; a binary file is copied from its start).
        Names from :data:`SETS` ``[kind]``.
    kind : str
        ``plan``, ``compare`` or ``sweep``.

    Returns
    -------
    list of Path
        The files written, in the order given.

    Raises
    ------
    InputError
        The output folder cannot hold a swapped set (see :func:`check_target`).
    OSError
        Writing failed (disk full, permissions); the previous set is then untouched.
    """
    unknown = sorted(set(files) - set(SETS[kind]))
    if unknown:
        raise ValueError(f"{unknown} are not files of a {kind} set")
    target = check_target(out_dir)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    manifest = manifest_name(kind)
    with _locked(parent):
        recover(target)
        stage = parent / _stage_name(target.name, "new")
        aside = None
        try:
            os.mkdir(stage)
            listing = {name: _write_file(stage / name, content) for name, content in files.items()}
            _write_file(stage / manifest, json.dumps({"kind": kind, "files": listing}, indent=2, sort_keys=True) + "\n")
            if target.is_dir():
                _carry_user_entries(target, stage, _previous_set(target, kind) | set(files) | {manifest})
            _fsync_dir(stage)
            with signals.held():
                if not os.path.lexists(target):
                    try:
                        os.rename(stage, target)  # a fresh folder: one rename
                    except OSError as exc:
                        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                            raise
                if os.path.lexists(stage):
                    try:
                        exchange(stage, target)  # stage now holds the previous set
                    except _Unsupported:
                        aside = parent / _stage_name(target.name, "old")
                        os.rename(target, aside)
                        os.rename(stage, target)
        finally:
            with signals.held():
                if aside is not None and not os.path.lexists(target):
                    os.rename(aside, target)  # the second rename failed: the previous set goes back
                _discard(stage, target)
                if aside is not None:
                    _discard(aside, target)
        _fsync_dir(parent)
    return [target / name for name in files]


def _carry_user_entries(target: Path, stage: Path, skip: set[str]) -> None:
    """Link every entry of ``target`` not in ``skip`` (and no temporary) into ``stage``, with the folder's mode."""
    with os.scandir(target) as it:
        for entry in list(it):
            if entry.name not in skip and TMP_MARK not in entry.name:
                _link_tree(entry.path, str(stage / entry.name))
    with contextlib.suppress(OSError):
        st = os.stat(target)
        os.chmod(stage, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            os.chown(stage, st.st_uid, st.st_gid)


def read_manifest(out_dir: str | Path, kind: str) -> dict | None:
    """The manifest of the ``kind`` set in ``out_dir`` (None when there is none)."""
    try:
        return json.loads((Path(out_dir) / manifest_name(kind)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
