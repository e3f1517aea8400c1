"""Issue 17: a run's output files replace the previous run's as one set, under any kill.

The kill tests run ``tests/kill_driver.py``: a forked writer rewrites a folder that holds an
earlier run and the user's own files, without pause, and is killed (SIGKILL or SIGINT) after a
random delay, many times; after each kill the folder must hold exactly one complete set (every
file matching that set's manifest), the user's files, and nothing else.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skyswap.mission.cli import app
from skyswap.mission.outputs import outset
from skyswap.mission.scenario.errors import InputError
from tests.cli_checks import one_line

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "kill_driver.py"

#: (mode, trials, signal, extra): synthetic sets many times (the exchange, and the two-rename
#: fallback), the real writers of plan, compare and sweep in turn (each rewrite renders its report).
RUNS = {
    "sets-SIGKILL": ("sets", 60, "SIGKILL", []),
    "sets-SIGINT": ("sets", 30, "SIGINT", []),
    "sets-fallback-SIGKILL": ("sets", 30, "SIGKILL", ["--no-exchange"]),
    "plan-compare-sweep": ("real", 18, "MIXED", []),
    # whole skyswap processes (plan, compare, sweep, passes, calibrate) killed at random moments of
    # their run, start-up imports included, by SIGINT, SIGTERM and SIGKILL in turn (issue 24)
    "cli-every-command": ("cli", 15, "MIXED", []),
}


@pytest.fixture(scope="module")
def kill_runs(tmp_path_factory):
    """Start every driver at once (they mostly wait on the disk), collect their reports."""
    procs = {}
    for i, (name, (mode, trials, sig, extra)) in enumerate(RUNS.items()):
        base = tmp_path_factory.mktemp(name)
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        procs[name] = subprocess.Popen([sys.executable, str(DRIVER), mode, str(base), str(trials), str(17 + i), sig, *extra],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    reports = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name}: driver failed: {err[-2000:]}"
        reports[name] = json.loads(out.strip().splitlines()[-1])
    return reports


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_a_kill_at_any_moment_leaves_one_complete_set(kill_runs, name):
    report = kill_runs[name]
    assert report["trials"] == RUNS[name][1]
    assert report["violations"] == []
    if RUNS[name][0] == "cli":
        # both the previous and the new output were found after kills; only a SIGKILLed sweep may
        # leave its Dask workers behind (they cannot be told), and the driver ends them
        assert report["outcomes"]["A"] > 0 and report["outcomes"]["B"] > 0
        assert all("SIGKILL" in label for label in report["orphans"]), report["orphans"]
        return
    # the kills landed at different moments: both sets were seen, and for the fast synthetic
    # writers most kills landed inside a write (a staging folder was left beside the folder)
    assert report["outcomes"]["A"] > 0 and report["outcomes"]["B"] > 0 or RUNS[name][1] < 10
    if name in ("sets-SIGKILL", "sets-fallback-SIGKILL"):
        assert report["leftovers"] >= RUNS[name][1] // 3
    if RUNS[name][2] == "SIGINT":
        assert report["leftovers"] == 0  # Ctrl-C always cleans up after itself
    assert report["repeated_sigint"] <= max(1, RUNS[name][1] // 10)  # Ctrl-C pressed twice: rare


def _user_files(folder: Path) -> None:
    (folder / "notes.txt").write_text("mine")
    (folder / "sub").mkdir()
    (folder / "sub" / "data.csv").write_text("x\n1\n")
    os.symlink("notes.txt", folder / "link")


def test_user_files_stay_and_the_previous_set_goes(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    _user_files(out)
    outset.write_set(out, {"passes.csv": "a\n", "passes.ics": "BEGIN", "summary.json": "{}"}, "plan")
    outset.write_set(out, {"compare.csv": "rank\n"}, "compare")  # another command's set in the same folder
    outset.write_set(out, {"passes.csv": "b\n", "summary.json": "{ }"}, "plan")  # no calendar this time
    names = sorted(p.name for p in out.iterdir())
    assert names == [".skyswap-compare.json", ".skyswap-plan.json", "compare.csv", "link", "notes.txt",
                     "passes.csv", "sub", "summary.json"]  # the old passes.ics is gone, compare.csv stays
    assert (out / "passes.csv").read_text() == "b\n" and (out / "compare.csv").read_text() == "rank\n"
    assert (out / "notes.txt").read_text() == "mine" and (out / "sub" / "data.csv").read_text() == "x\n1\n"
    assert os.readlink(out / "link") == "notes.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]  # no staging folder left beside
    manifest = outset.read_manifest(out, "plan")
    assert set(manifest["files"]) == {"passes.csv", "summary.json"} and manifest["files"]["passes.csv"]["bytes"] == 2


def test_the_exchange_swaps_two_folders_in_one_call(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("in a")
    (b / "y").write_text("in b")
    try:
        outset.exchange(a, b)
    except outset._Unsupported:
        pytest.skip("no atomic exchange on this system")
    assert [p.name for p in a.iterdir()] == ["y"] and [p.name for p in b.iterdir()] == ["x"]


def test_a_failed_write_leaves_the_previous_set_and_no_staging(tmp_path, monkeypatch):
    out = tmp_path / "o"
    outset.write_set(out, {"passes.csv": "old\n", "summary.json": "{}"}, "plan")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = outset._write_file
    calls = []

    def failing(path, content):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(path, content)

    monkeypatch.setattr(outset, "_write_file", failing)
    with pytest.raises(OSError):
        outset.write_set(out, {"passes.csv": "new\n", "summary.json": "{1}"}, "plan")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_a_killed_runs_staging_is_cleaned_and_its_user_files_saved(tmp_path):
    out = tmp_path / "o"
    outset.write_set(out, {"passes.csv": "a\n"}, "plan")
    dead = 999_999_999  # no such process
    stale_new = tmp_path / f".o.skyswap-new-{dead}-ab12"
    stale_new.mkdir()
    (stale_new / "passes.csv").write_text("half")
    stale_old = tmp_path / f".o.skyswap-old-{dead}-cd34"  # held the previous set after an exchange
    stale_old.mkdir()
    (stale_old / "passes.csv").write_text("older")
    (stale_old / "late.txt").write_text("the user wrote this while the killed run was writing")
    (out / f".passes.csv.skyswap-tmp-{dead}").write_text("per-file temporary of an older skyswap")
    outset.write_set(out, {"passes.csv": "b\n"}, "plan")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
    assert sorted(p.name for p in out.iterdir()) == [".skyswap-plan.json", "late.txt", "passes.csv"]
    assert (out / "passes.csv").read_text() == "b\n"


def test_the_fallback_puts_the_previous_set_back_after_a_kill_between_its_renames(tmp_path):
    out = tmp_path / "o"
    outset.write_set(out, {"passes.csv": "a\n"}, "plan")
    aside = tmp_path / ".o.skyswap-old-999999999-ef56"
    os.rename(out, aside)  # a kill right after the fallback's first rename
    (tmp_path / ".o.skyswap-new-999999999-ef56").mkdir()
    outset.recover(out)
    assert (out / "passes.csv").read_text() == "a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_fallback_without_exchange_writes_the_same_set(tmp_path, monkeypatch):
    def unsupported(a, b):
        raise outset._Unsupported

    monkeypatch.setattr(outset, "exchange", unsupported)
    out = tmp_path / "o"
    out.mkdir()
    _user_files(out)
    outset.write_set(out, {"passes.csv": "a\n"}, "plan")
    outset.write_set(out, {"passes.csv": "b\n"}, "plan")
    assert (out / "passes.csv").read_text() == "b\n" and (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_a_symlinked_output_folder_is_written_through(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)
    outset.write_set(tmp_path / "alias", {"passes.csv": "a\n"}, "plan")
    assert (tmp_path / "alias").is_symlink() and (real / "passes.csv").read_text() == "a\n"


def test_the_current_folder_and_its_ancestors_are_refused(tmp_path, monkeypatch):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    for target in (".", str(inner), str(tmp_path / "a")):
        with pytest.raises(InputError, match="current folder"):
            outset.write_set(target, {"passes.csv": "x"}, "plan")
    with pytest.raises(InputError, match="is empty"):
        outset.write_set("", {"passes.csv": "x"}, "plan")
    assert sorted(p.name for p in inner.iterdir()) == []



TINY = ROOT / "tests" / "data" / "tiny.yaml"


@pytest.mark.parametrize("out, fragment", [
    ("", "--out = '': is empty"),
    (".", "--out = '.': is the current folder or holds it"),
    ("/proc/x", "--out = '/proc/x': cannot be written"),
    ("/", "--out = '/'"),
])
def test_cli_refuses_output_folders_it_cannot_swap(out, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("plan", "compare"):
        one_line(CliRunner().invoke(app, [command, str(TINY), "--out", out, "--quiet"]), fragment)
    assert list(tmp_path.iterdir()) == []


def test_a_dotdot_name_cannot_reach_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "s.yaml"
    bad.write_text(TINY.read_text().replace("name: tiny", 'name: ".."'))
    one_line(CliRunner().invoke(app, ["plan", str(bad), "--quiet"]), "name = '..': must be a plain folder name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_a_folder_full_of_other_things_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(outset, "MAX_CARRIED_ENTRIES", 20)
    home = tmp_path / "home"
    (home / "docs").mkdir(parents=True)
    for i in range(25):
        (home / "docs" / f"{i}.txt").write_text("x")
    with pytest.raises(InputError, match="holds more than 20 files and folders that are not skyswap outputs"):
        outset.write_set(home, {"passes.csv": "a"}, "plan")
    assert sorted(p.name for p in home.iterdir()) == ["docs"] and sorted(p.name for p in tmp_path.iterdir()) == ["home"]
