"""Issue 17, contract failures at the input edge: bombs and duplicates in YAML, usage errors, a
closed stdout pipe, file paths in orbit.tle, the sweep's local cluster without loopback.

(The scenario-level rows, one file each, are in tests/bad_inputs/.)
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from skyswap import mission
from skyswap.mission import cluster, sweep
from skyswap.mission.cli import app
from skyswap.mission.scenario import yamlsafe
from skyswap.mission.scenario.errors import InputError
from tests.cli_checks import one_line

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
SWEEP = ROOT / "tests" / "data" / "sweep_small.yaml"
L1 = "1 41731U 16051A   16354.56904520  .00000746  00000-0  35285-4 0  9993"
L2 = "2 41731  97.3628 267.3441 0010767  44.0987 316.1115 15.24965622 18046"



def bomb(levels: int, width: int = 10) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------- YAML

@pytest.mark.parametrize("levels", [10, 11, 30])
def test_alias_bombs_are_refused_in_well_under_a_second(levels, tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(levels - 1))  # levels of nesting counting the leaf list
    t = time.perf_counter()
    with pytest.raises(InputError, match="expands through its aliases"):
        mission.load_scenario(path)
    assert time.perf_counter() - t < 0.2  # s


@pytest.mark.parametrize("levels, width", [(1, 3), (3, 4), (5, 2), (9, 10)])
def test_expanded_size_is_the_closed_form(levels, width):
    """levels of ``width`` aliases to the previous list: a_k has 1 + width * size(a_{k-1}) nodes."""
    node = yaml.compose(bomb(levels, width) + "top: *a" + str(levels) + "\n")
    size = width + 1  # a0: the list and its scalars
    for _ in range(levels):
        size = 1 + width * size
    level_sizes = [width + 1]
    for _ in range(levels):
        level_sizes.append(1 + width * level_sizes[-1])
    expected = 1 + sum(1 + s for s in level_sizes) + 1 + level_sizes[-1]  # the mapping, its keys and values
    assert yamlsafe.expanded_nodes(node, limit=10 ** 30) == expected


def test_anchors_merge_keys_and_plain_documents_still_load():
    text = "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n"
    data = yamlsafe.load(text, "scenario", "t.yaml")
    assert data == {"base": {"x": 1, "y": 2}, "other": {"x": 1, "y": 3}, "list": [{"x": 1, "y": 2}] * 2}
    assert yamlsafe.load("", "scenario", "t.yaml") is None


@pytest.mark.parametrize("text, fragment", [
    ("mode: onboard\nname: x\nmode: dual-downlink\n", "key 'mode' is given twice (lines 1 and 3)"),
    ("payload:\n  source: {pulsed: true}\n  source: {pulsed: false}\n", "key 'payload.source' is given twice (lines 2 and 3)"),
    ("stations:\n  - {name: A, name: B}\n", "key 'stations[0].name' is given twice"),
    ("a: &x [*x]\n", "an alias that contains itself"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
])
def test_strict_yaml_refusals(text, fragment):
    with pytest.raises(InputError, match=fragment.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(").replace(")", r"\)")):
        yamlsafe.load(text, "scenario", "t.yaml")


def test_sweep_files_get_the_same_rules(tmp_path):
    dup = tmp_path / "dup.yaml"
    dup.write_text(SWEEP.read_text().replace("days: 1", "days: 1\ndays: 2").replace("base: e2e.yaml", f"base: {SWEEP.parent / 'e2e.yaml'}"))
    one_line(CliRunner().invoke(app, ["sweep", str(dup)]), "key 'days' is given twice")
    boom = tmp_path / "bomb.yaml"
    boom.write_text(bomb(9))
    t = time.perf_counter()
    one_line(CliRunner().invoke(app, ["sweep", str(boom)]), "expands through its aliases")
    assert time.perf_counter() - t < 1.0


# ------------------------------------------------------------------------------ the command line

@pytest.mark.parametrize("args, fragment", [
    (["plan", str(TINY), "--days", "abc"], "--days = 'abc': input should be a valid number"),
    (["plan", str(TINY), "--workers", "0"], "--workers = '0': input should be greater than or equal to 1"),
    (["plan", str(TINY), "--workers", "1000"], "--workers = '1000': input should be less than or equal to 64"),
    (["plan", str(TINY), "--workers=1000"], "--workers = '1000'"),
    (["sweep", str(SWEEP), "--workers", "1000"], "--workers = '1000'"),
    (["passes", str(TINY), "--days", "nan"], "--days = nan: must be a positive number of days"),
    (["plan", str(TINY), "--days", "1e-9"], "--days = 1e-09: is 8.64e-05 s, shorter than the shortest usable window"),
    (["plan"], "Missing argument"),
    (["plan", str(TINY), "--bogus"], "No such option: --bogus"),
    (["nonsense"], "No such command 'nonsense'"),
])
def test_usage_errors_areone_line(args, fragment, tmp_path):
    one_line(CliRunner().invoke(app, [*args]), fragment)


def test_usage_error_from_a_real_process_isone_line():
    proc = subprocess.run([sys.executable, "-m", "skyswap.mission.cli", "plan", str(TINY), "--days", "abc"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("skyswap: error: --days = 'abc'"), proc.stderr


@pytest.mark.parametrize("command", [["schema"], ["stations", "--json"], ["stations"],
                                     ["compare", str(TINY), "--out", "OUT"]])
def test_a_closed_stdout_pipe_is_quiet(command, tmp_path):
    """The reader has gone before skyswap writes (the worst case of `| head -c 100`)."""
    command = [str(tmp_path / "o") if c == "OUT" else c for c in command]
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "skyswap.mission.cli", *command], stdout=write,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120, check=False)
    finally:
        os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == 141


@pytest.mark.skipif(shutil.which("sh") is None or shutil.which("head") is None, reason="needs sh and head")
def test_head_c_100_is_quiet():
    exe = f"{sys.executable} -m skyswap.mission.cli"
    for command in ("schema", "stations --json"):
        for _ in range(1):
            proc = subprocess.run(["sh", "-c", f"{exe} {command} | head -c 100"], capture_output=True, text=True,
                                  cwd=ROOT, timeout=120, check=False)
            assert len(proc.stdout) == 100 and proc.stderr == "", proc.stderr


# ----------------------------------------------------------------------------------- orbit.tle

def _tle_scenario(tmp_path: Path, tle_yaml: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: t\nspan: {{start: 2016-12-20T00:00:00Z, days: 1}}\norbit:\n  tle: {tle_yaml}\n"
                    "stations: [Delingha, Nanshan]\n")
    return path


def test_a_one_line_tle_is_a_path_relative_to_the_scenario(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "micius.tle").write_text(f"MICIUS\n{L1}\n{L2}\n")
    monkeypatch.chdir(ROOT)  # not the scenario's folder
    sc = mission.load_scenario(_tle_scenario(tmp_path, "sub/micius.tle"))
    assert sc.orbit.tle.splitlines()[1:] == [L1, L2]
    inline = mission.load_scenario(_tle_scenario(tmp_path, f"|\n    {L1}\n    {L2}"))
    assert inline.orbit.tle.split() == sc.orbit.tle.split()[1:]


def test_a_missing_tle_file_says_file_not_found(tmp_path):
    path = _tle_scenario(tmp_path, "gone.tle")
    one_line(CliRunner().invoke(app, ["validate", str(path)]), f"orbit.tle = 'gone.tle': file not found: {tmp_path / 'gone.tle'}")
    from skyswap.mission.orbits.sources import parse_tle

    with pytest.raises(InputError, match="a one-line value is the path of a TLE file"):
        parse_tle("gone.tle")  # the Python API without load_scenario


# ---------------------------------------------------------------------------------- the sweep

def _loopback_down_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _loopback_down_available(), reason="needs unshare -rn (a network namespace, loopback down)")
def test_sweep_without_loopback_fails_at_once_with_a_clear_line(tmp_path):
    t = time.perf_counter()
    proc = subprocess.run(["unshare", "-rn", sys.executable, "-m", "skyswap.mission.cli", "sweep", str(SWEEP),
                           "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert time.perf_counter() - t < 15.0  # s: was 61 s
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "loopback network (127.0.0.1) does not answer" in proc.stderr, proc.stderr
    assert "--scheduler tcp://host:8786" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_loopback_probe_turns_a_socket_error_intoone_line(monkeypatch):
    import socket

    def unreachable(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    with pytest.raises(InputError, match="Network is unreachable"):
        cluster.check_loopback()


def test_sweep_shows_progress_on_a_terminal(tmp_path, monkeypatch):
    from skyswap.mission import commands

    seen = {}

    def fake_run(spec, scheduler=None, local_workers=2, progress=None):
        seen["progress"] = progress
        return sweep.run_serial(spec)

    monkeypatch.setattr(sweep, "run_sweep", fake_run)
    class Bar:
        def __call__(self, *args):
            pass

        def close(self):
            pass

    monkeypatch.setattr(commands, "_progress", lambda quiet, unit=None: None if quiet else Bar())
    r = CliRunner().invoke(app, ["sweep", str(SWEEP), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.stderr
    assert seen["progress"] is not None
    r = CliRunner().invoke(app, ["sweep", str(SWEEP), "--out", str(tmp_path / "o"), "--quiet"])
    assert r.exit_code == 0 and seen["progress"] is None


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_sweep_draws_its_progress_bar_on_a_real_terminal(tmp_path):
    """stderr on a pseudo-terminal: the bar advances through the sweep's tasks to 100 %."""
    import re

    primary, secondary = os.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "skyswap.mission.cli", "sweep", str(SWEEP), "--out", str(tmp_path / "o")],
                                stdout=subprocess.PIPE, stderr=secondary, cwd=ROOT, text=True)
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not data:
                break
            chunks.append(data)
        out, _ = proc.communicate(timeout=300)
    finally:
        os.close(primary)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    assert proc.returncode == 0, screen
    percents = [int(p) for p in re.findall(r"sweep points\s+\S+\s+(\d+)%", screen)]
    assert percents and percents[0] == 0 and percents[-1] == 100 and len(set(percents)) >= 3, screen
    assert out.strip().splitlines()[-1].startswith("sweep-small: 4 points")  # after the table of points
