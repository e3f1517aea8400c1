"""The contract tried as a hostile user would, after issue 24 (the ``qa`` pass): every case here
failed on main before its fix. Output files that are not plain files (a device, a named pipe, a
symbolic link, a socket), a standard output that is full or closed, a closed standard error.
"""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skyswap.mission.cli import app
from tests.cli_checks import one_line

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
MEASURED = "loss_db,range_km,elevation_deg\n40,800,30\n42,1200,20\n45,1500,15\n"



def _cli(args: list[str], cwd: Path, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    """A real ``skyswap`` process (its entry point installs the stdio and signal guards)."""
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "skyswap.mission.cli", *args], cwd=cwd, text=True, timeout=timeout,
                          check=False, **kw)


def _writers(tmp_path: Path, target: str) -> dict[str, list[str]]:
    """Every option that writes one file, pointed at ``target``."""
    (tmp_path / "m.csv").write_text(MEASURED)
    return {
        "passes --out": ["passes", str(TINY), "--days", "1", "--quiet", "--out", target],
        "passes --samples": ["passes", str(TINY), "--days", "1", "--quiet", "--samples", target],
        "calibrate --out": ["calibrate", str(tmp_path / "m.csv"), "--station", "Graz", "--out", target],
    }


WRITERS = ["passes --out", "passes --samples", "calibrate --out"]


# ------------------------------------------------------------- output files that are not files

@pytest.mark.parametrize("command", WRITERS)
def test_a_link_to_dev_null_is_written_through_and_the_device_kept(tmp_path, command):
    """Before: the output was renamed over the path, so ``--out /dev/null`` run as root replaced the
    machine's /dev/null by a regular file (here, through a link, the link was replaced)."""
    sink = tmp_path / "sink"
    sink.symlink_to(os.devnull)
    result = CliRunner().invoke(app, _writers(tmp_path, str(sink))[command])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert sink.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert not [p.name for p in tmp_path.iterdir() if "skyswap" in p.name]


@pytest.mark.parametrize("command", WRITERS)
def test_a_full_device_isone_line(tmp_path, command):
    """Before: exit 0 with nothing written anywhere (the link to /dev/full replaced by a file)."""
    full = tmp_path / "full"
    full.symlink_to("/dev/full")
    option = command.split()[1]
    one_line(CliRunner().invoke(app, _writers(tmp_path, str(full))[command]),
              f"{option} = '{full}': cannot be written (no space left on the device)")
    assert full.is_symlink()


def test_a_named_pipe_is_written_as_a_stream_to_its_reader(tmp_path):
    fifo = tmp_path / "windows.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    time.sleep(0.2)  # the reader is blocked in its open
    result = CliRunner().invoke(app, ["passes", str(TINY), "--days", "1", "--quiet", "--out", str(fifo)])
    reader.join(timeout=60)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert got and got[0].startswith(b"pass_id,") and got[0].count(b"\n") >= 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a file in its place


def test_a_named_pipe_no_one_reads_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "nobody.csv"
    os.mkfifo(fifo)
    t = time.perf_counter()
    one_line(CliRunner().invoke(app, ["passes", str(TINY), "--days", "1", "--quiet", "--out", str(fifo)]),
              "is a named pipe that no process reads")
    assert time.perf_counter() - t < 120  # s: the plan's time, never a wait on the pipe
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused_before_any_work(tmp_path):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        one_line(CliRunner().invoke(app, _writers(tmp_path, str(path))["calibrate --out"]), "is a socket, not a file")
    finally:
        server.close()


@pytest.mark.parametrize("command", WRITERS)
def test_a_symlink_to_a_file_replaces_the_file_and_keeps_the_link(tmp_path, command):
    """Before: the link itself was replaced by a regular file; the file it named kept its old text."""
    (tmp_path / "runs").mkdir()
    real = tmp_path / "runs" / "latest.txt"
    real.write_text("old\n")
    link = tmp_path / "latest"
    link.symlink_to(Path("runs") / "latest.txt")
    result = CliRunner().invoke(app, _writers(tmp_path, str(link))[command])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert link.is_symlink() and real.read_text() != "old\n"
    assert not [p.name for p in (tmp_path / "runs").iterdir() if "skyswap" in p.name]


# ------------------------------------------------------------------------- standard streams

@pytest.mark.parametrize("args", [["schema"], ["--version"], ["plan", "--help"], ["stations", "--json"],
                                  ["validate", str(TINY)]])
def test_a_full_standard_output_is_one_line_exit_2(tmp_path, args):
    """Before: 'internal error: OSError' (exit 1), or a 40-line traceback for --version and --help."""
    with open("/dev/full", "w") as full:
        proc = _cli(args, tmp_path, stdout=full)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "skyswap: error: standard output cannot be written (no space left on the device)\n"


def test_a_closed_standard_output_is_one_line_and_never_a_file_of_the_run(tmp_path):
    """Before: ``schema >&-`` printed nothing and said nothing (exit 0 or an internal error), and
    descriptor 1 was free for the next file the run opened."""
    proc = subprocess.run(f"{sys.executable} -m skyswap.mission.cli schema >&-", shell=True, cwd=tmp_path,
                          capture_output=False, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "skyswap: error: standard output cannot be written (it is closed)\n"
    out = tmp_path / "o"
    proc = subprocess.run(f"{sys.executable} -m skyswap.mission.cli plan {TINY} --days 1 --draws 5 --quiet "
                          f"--out {out} >&-", shell=True, cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr  # --quiet writes nothing to stdout: nothing is lost
    assert (out / "summary.json").is_file()


def test_a_closed_standard_error_never_writes_into_standard_output(tmp_path):
    """Before: with stderr closed, the error line went to stdout (into the CSV of ``passes``)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    proc = subprocess.run(f"{sys.executable} -m skyswap.mission.cli passes {bad} 2>&-", shell=True, cwd=tmp_path,
                          stdout=subprocess.PIPE, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""


# -------------------------------------------------------------------------------- signals

def test_ctrl_c_while_typer_parses_the_options_is_said(monkeypatch):
    """Before: typer turns a KeyboardInterrupt raised before the command's guard (a Ctrl-C landing
    in its lazy import of pydantic while it coerces the options, ~0.5 s into a run) into a silent
    exit status 130; the contract's line 'interrupted' was missing one time in ten."""
    import typer.core

    def interrupted(self, ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.core.TyperGroup, "invoke", interrupted)
    result = CliRunner().invoke(app, ["validate", str(TINY)])
    assert result.exit_code == 130
    assert result.stderr == "skyswap: error: interrupted\n"


def test_ctrl_c_inside_a_command_is_said_once(monkeypatch):
    from skyswap.mission.scenario import loading

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(loading, "load_scenario", interrupted)
    result = CliRunner().invoke(app, ["validate", str(TINY)])
    assert result.exit_code == 130
    assert result.stderr == "skyswap: error: interrupted\n"
