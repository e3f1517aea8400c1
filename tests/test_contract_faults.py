"""Issue 24, the contract for every input (2): output paths of every command, temporaries reclaimed,
the Dask handshake, and exports that carry no control character (signals at any moment:
tests/test_contract_signals.py). The whole-process kills at random moments are ``kill_driver.py cli``, run by
tests/test_output_sets.py."""
from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skyswap.mission import cluster
from skyswap.mission.cli import app
from skyswap.mission.outputs import atomic, outset
from skyswap.mission.scenario.errors import InputError
from tests.cli_checks import one_line

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
MEASURED = "loss_db,range_km,elevation_deg\n40,800,30\n42,1200,20\n"



def _commands(tmp_path: Path, out: str) -> dict[str, list[str]]:
    """Every command that writes, with ``out`` as its output (a folder, or a file inside it)."""
    (tmp_path / "m.csv").write_text(MEASURED)
    (tmp_path / "w.yaml").write_text(f"name: w\nbase: {TINY}\ndays: 1\naxes: {{elevation_mask_deg: [15]}}\n")
    return {
        "plan": ["plan", str(TINY), "--days", "1", "--quiet", "--out", out],
        "compare": ["compare", str(TINY), "--days", "1", "--quiet", "--out", out],
        "sweep": ["sweep", str(tmp_path / "w.yaml"), "--quiet", "--out", out],
        "passes --out": ["passes", str(TINY), "--days", "1", "--out", out + "/p.csv"],
        "passes --samples": ["passes", str(TINY), "--days", "1", "--samples", out + "/s.csv"],
        "calibrate": ["calibrate", str(tmp_path / "m.csv"), "--station", "Graz", "--out", out + "/f.yaml"],
    }


# ----------------------------------------------------------------------------- output paths

@pytest.mark.parametrize("command", ["plan", "compare", "sweep", "passes --out", "passes --samples", "calibrate"])
@pytest.mark.parametrize("case", ["symlink loop", "long component", "long path"])
def test_os_errors_on_output_paths_areone_line(tmp_path, command, case):
    """Before: 'internal error' with exit 1 and, for a long path, the whole 4 kB path echoed."""
    if case == "symlink loop":
        os.symlink("loop", tmp_path / "loop")
        out = str(tmp_path / "loop" / "x")
        reason = "too many levels of symbolic links"
    elif case == "long component":
        out = str(tmp_path / ("a" * 300))
        reason = "a name in the path is too long"
    else:
        out = str(tmp_path / "/".join(["d" * 200] * 21))
        reason = "a name in the path is too long"
    args = _commands(tmp_path, out)[command]
    option = "--samples" if command == "passes --samples" else "--out"
    err = one_line(CliRunner().invoke(app, args), f"skyswap: error: {option} = '")
    assert reason in err or "does not exist" in err, err
    assert len(err) < 400  # the path shortened, not echoed whole


@pytest.mark.parametrize("command", ["plan", "compare", "sweep", "passes --out", "calibrate"])
def test_a_full_disk_is_one_line_and_keeps_the_previous_output(tmp_path, monkeypatch, command):
    """Simulated ENOSPC at the write (a real tmpfs is below): exit 2 with the previous output intact."""
    out = tmp_path / "o"
    out.mkdir()
    args = _commands(tmp_path, str(out))[command]

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outset, "_write_file", full)
    monkeypatch.setattr(atomic, "write_text", full)
    one_line(CliRunner().invoke(app, args), "cannot be written (no space left on the device)")
    assert [p.name for p in out.iterdir()] == [] and sorted(p.name for p in tmp_path.iterdir()) == ["m.csv", "o", "w.yaml"]


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs root and unshare -m to mount a small tmpfs")
def test_a_really_full_disk_for_passes_and_plan(tmp_path):
    """A small tmpfs filled up: passes --out (an internal error before) and plan both exit 2, one line."""
    err1, err2 = tmp_path / "err1", tmp_path / "err2"
    script = textwrap.dedent(f"""
        set -u
        mount -t tmpfs -o size=16m tmpfs /mnt
        {sys.executable} -m skyswap.mission.cli plan {TINY} --days 1 --quiet --draws 10 --out /mnt/o > /dev/null || exit 90
        dd if=/dev/zero of=/mnt/fill bs=4k > /dev/null 2>&1
        {sys.executable} -m skyswap.mission.cli passes {TINY} --days 1 --out /mnt/p.csv 2> {err1}; echo "passes $?"
        {sys.executable} -m skyswap.mission.cli plan {TINY} --days 1 --quiet --draws 10 --out /mnt/o 2> {err2}; echo "plan $?"
        ls -a /mnt /mnt/o | tr '\\n' ' '
        echo; cat {err1} {err2}
    """)
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600,
                          check=False)
    lines = proc.stdout.splitlines()
    assert "passes 2" in lines and "plan 2" in lines, proc.stdout + proc.stderr
    assert "skyswap: error: --out = '/mnt/p.csv': cannot be written (no space left on the device)" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    listing = next(line for line in lines if line.startswith("/mnt:"))
    assert "skyswap-tmp" not in listing and "skyswap-new" not in listing  # nothing half-written left
    assert "summary.json" in listing and "report.html" in listing  # the previous set stands


def _run_as_nobody(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                           "skyswap.mission.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          check=False)


def _nobody_can_run() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                            "import skyswap.mission.cli"], capture_output=True, cwd="/", check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _nobody_can_run(), reason="needs root, setpriv and a user 'nobody' that can run skyswap")
def test_permissions_as_an_ordinary_user():
    """As user nobody: a folder that may not be entered is one line (exit 1 before); a read-only
    output folder is replaced as a whole and leaves no staging folder (one more per run before)."""
    base = Path(tempfile.mkdtemp(prefix="skyswap-perm-", dir="/tmp"))
    try:
        os.chmod(base, 0o777)
        closed = base / "closed"
        closed.mkdir(mode=0o700)
        r = _run_as_nobody(["plan", str(TINY), "--days", "1", "--quiet", "--draws", "5", "--out", str(closed / "o")], "/")
        assert r.returncode == 2 and r.stderr.startswith("skyswap: error: --out = '") and "permission denied" in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1
        args = ["plan", str(TINY), "--days", "1", "--quiet", "--draws", "5", "--out", str(base / "ro")]
        assert _run_as_nobody(args, "/").returncode == 0
        os.chmod(base / "ro", 0o555)
        for _ in range(2):
            r = _run_as_nobody(args, "/")
            assert r.returncode == 0, r.stderr
        assert sorted(p.name for p in base.iterdir()) == ["closed", "ro"]  # no .ro.skyswap-new-* left
        assert (base / "ro" / "summary.json").exists()
    finally:
        for root, dirs, _ in os.walk(base):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o700)
        shutil.rmtree(base, ignore_errors=True)


# ------------------------------------------------------------------------------ temporaries

def test_a_killed_runs_temporary_beside_an_output_file_is_reclaimed(tmp_path):
    """SIGKILL during ``passes --out p.csv`` left .p.csv.skyswap-tmp-PID that no later run removed."""
    dead = 999_999_999
    stale = tmp_path / f".p.csv.skyswap-tmp-{dead}"
    stale.write_text("half")
    other = tmp_path / f".q.csv.skyswap-tmp-{dead}"  # another file's: left to that file's next write
    other.write_text("half")
    r = CliRunner().invoke(app, ["passes", str(TINY), "--days", "1", "--out", str(tmp_path / "p.csv")])
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "p.csv"]


def test_temporary_and_staging_names_fit_the_file_system(tmp_path):
    name = "n" * 250  # a legal name; its temporary '.<name>.skyswap-tmp-<pid>' would not be
    atomic.write_text(tmp_path / name, "x")
    outset.write_set(tmp_path / ("o" * 250), {"passes.csv": "a"}, "plan")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name, "o" * 250]


# --------------------------------------------------------------------- the Dask handshake

class _Server:
    """A loopback server that accepts and then stays silent or answers with ``reply``."""

    def __init__(self, reply: bytes | None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.reply, self.conns = reply, []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.reply is not None:
                conn.sendall(self.reply)

    def close(self):
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.mark.parametrize("reply, fragment", [
    (None, "accepted the connection but said nothing within 2 s"),
    (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "answered, but not as a Dask scheduler does"),
    (b"\x10\x00\x00\x00\x00\x00\x00\x00" + b"0123456789abcdef", "not with a Dask scheduler's handshake"),
])
def test_a_peer_that_is_not_a_dask_scheduler_is_refused_in_bounded_time(reply, fragment):
    """Before: a silent peer was waited on for 590 s+, an HTTP server made Dask allocate until MemoryError."""
    server = _Server(reply)
    try:
        t = time.perf_counter()
        with pytest.raises(InputError, match=fragment):
            cluster.check_scheduler(f"tcp://127.0.0.1:{server.port}", timeout_s=2.0)
        assert time.perf_counter() - t < 5.0  # s
    finally:
        server.close()


def test_the_command_line_refuses_a_silent_scheduler_within_its_bound(tmp_path):
    server = _Server(None)
    try:
        (tmp_path / "w.yaml").write_text(f"name: w\nbase: {TINY}\ndays: 1\naxes: {{elevation_mask_deg: [15]}}\n")
        t = time.perf_counter()
        r = CliRunner().invoke(app, ["sweep", str(tmp_path / "w.yaml"), "--scheduler", f"tcp://127.0.0.1:{server.port}",
                                     "--out", str(tmp_path / "o")])
        one_line(r, "said nothing within 10 s")
        assert time.perf_counter() - t < 30.0
        assert not (tmp_path / "o").exists()
    finally:
        server.close()


@pytest.mark.parametrize("address, fragment", [
    ("inproc://x", "give a Dask scheduler as tcp://host:port"),
    ("tcp://:8786", "has no host name"),
    ("tcp://127.0.0.1:99999", "port '99999' is not a number from 1 to 65535"),
    ("tcp://::1:8786", "write an IPv6 address in brackets"),
])
def test_malformed_scheduler_addresses(tmp_path, address, fragment):
    one_line(CliRunner().invoke(app, ["sweep", str(tmp_path / "absent.yaml"), "--scheduler", address]), fragment)


def test_a_closed_port_is_refused_at_once():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens
    with pytest.raises(InputError, match="cannot connect"):
        cluster.check_scheduler(f"tcp://127.0.0.1:{port}", timeout_s=2.0)
    assert cluster.parse_scheduler("[::1]:8786") == ("tcp", "::1", 8786)
    assert cluster.parse_scheduler("localhost") == ("tcp", "localhost", 8786)


@pytest.mark.slow
def test_a_real_dask_scheduler_passes_the_handshake():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, protocol="tcp://", dashboard_address=None, host="127.0.0.1") as local:
        cluster.check_scheduler(local.scheduler_address)  # no error


# --------------------------------------------------------------------------------- exports

def test_calendar_and_csv_carry_no_line_break_or_control_character_in_names():
    """The calendar escaped \\n and \\r\\n but not a lone \\r in a station name."""
    from skyswap import mission
    from skyswap.mission.outputs import calendar, export

    r = mission.plan(mission.load_scenario(TINY).with_days(1))
    assert len(r.schedule)
    evil = r.schedule.assign(station_a="Evil\rName\x1b[31m\u2028x")
    text = calendar.calendar_text(evil, r.mode, "t", "0" * 64, "2027-01-01T00:00:00Z")
    for line in text.split("\r\n"):
        assert "\r" not in line and "\n" not in line and "\x1b" not in line and "\u2028" not in line
    assert "Evil\\nName\ufffd[31m\\nx" in text.replace("\r\n ", "")
    csv = export.csv_text(evil)
    assert "\r" not in csv and "\x1b" not in csv and csv.count("\n") == len(evil) + 1
    assert "Evil\\rName\\x1b[31m\\u2028x" in csv
