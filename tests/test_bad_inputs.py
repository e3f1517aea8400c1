"""Issue 8: every bad input gets one clear line naming the field and value, exit 2, no traceback,
and no output file. The corpus lives in tests/bad_inputs/: each file's first line is
``# expect: <fragment of the error line>``."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skyswap.mission.cli import app

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(CORPUS.glob("*.yaml"))
ROOT = Path(__file__).resolve().parents[1]


def expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} lacks its '# expect:' line"
    return first.removeprefix("# expect: ")


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def _check(result, fragment: str):
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("skyswap: error: "), err
    assert fragment in err, err
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_validate_refuses(case):
    result = CliRunner().invoke(app, ["validate", str(case)])
    _check(result, expected(case))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_plan_refuses_and_writes_nothing(case, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["plan", str(case), "--out", str(out), "--quiet"])
    _check(result, expected(case))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


GOOD = ROOT / "tests" / "data" / "tiny.yaml"


@pytest.mark.parametrize("args, fragment", [
    (["--days", "0"], "--days = 0.0"),
    (["--days", "-3"], "--days = -3.0"),
    (["--days", "30"], "--days = 30.0: is longer than the scenario's span"),
])
def test_bad_days_option(args, fragment, tmp_path):
    result = CliRunner().invoke(app, ["plan", str(GOOD), "--out", str(tmp_path / "o"), "--quiet", *args])
    _check(result, fragment)
    assert not (tmp_path / "o").exists()


def test_output_directory_that_is_a_file(tmp_path):
    target = tmp_path / "afile"
    target.write_text("keep me")
    result = CliRunner().invoke(app, ["plan", str(GOOD), "--out", str(target), "--quiet"])
    _check(result, f"--out = '{target}': is a file, not a directory")
    assert target.read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_output_directory_not_writable(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        result = CliRunner().invoke(app, ["plan", str(GOOD), "--out", str(ro / "x"), "--quiet"])
        _check(result, "is not writable")
    finally:
        ro.chmod(0o700)


def test_output_directory_under_a_file(tmp_path):
    target = tmp_path / "afile"
    target.write_text("keep me")
    result = CliRunner().invoke(app, ["plan", str(GOOD), "--out", str(target / "sub"), "--quiet"])
    _check(result, "--out")
    assert target.read_text() == "keep me"


def test_missing_scenario_file(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    _check(result, "nope.yaml': file not found")


def test_real_process_exit_status_and_single_line():
    """The same contract seen from a real process (console entry point, not the test runner)."""
    case = CORPUS / "latitude_95.yaml"
    proc = subprocess.run([sys.executable, "-m", "skyswap.mission.cli", "validate", str(case)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and expected(case) in proc.stderr
    assert "Traceback" not in proc.stderr
