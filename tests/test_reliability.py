"""Issue 8: reproducibility across runs and --workers, atomic outputs under SIGKILL,
degenerate physics, and the remaining CLI commands."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import skyswap
from skyswap import mission
from skyswap.mission.channel import LINK_TERMS
from skyswap.mission.cli import app

ROOT = Path(__file__).resolve().parents[1]
E2E = ROOT / "tests" / "data" / "e2e.yaml"


def test_workers_give_byte_identical_outputs(tmp_path):
    for w in ("1", "2"):
        r = CliRunner().invoke(app, ["plan", str(E2E), "--out", str(tmp_path / w), "--quiet", "--workers", w])
        assert r.exit_code == 0, r.stderr
    for name in ("passes.csv", "passes.parquet", "summary.json", "passes.ics"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_threads_give_identical_tables(monkeypatch):
    """Stations and payload chunks on threads: the same numbers as one thread, to the last bit."""
    from skyswap.payload import swap

    monkeypatch.setattr(swap, "CHUNK_SAMPLES", 97)  # many chunks, so several threads share them
    sc = mission.load_scenario(E2E)
    one, three = mission.plan(sc, threads=1), mission.plan(sc, threads=3)
    assert len(one.samples()) > 5 * 97
    pd.testing.assert_frame_equal(one.passes, three.passes, check_exact=True)
    pd.testing.assert_frame_equal(one.schedule, three.schedule, check_exact=True)


def test_summary_records_hash_and_versions(tmp_path):
    r = CliRunner().invoke(app, ["plan", str(E2E), "--out", str(tmp_path), "--quiet"])
    assert r.exit_code == 0
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["scenario"]["hash"] == mission.load_scenario(E2E).hash()
    assert s["software"]["skyswap"] == skyswap.__version__
    assert all(s["software"][k] != "not installed" for k in ("numpy", "skyfield", "sgp4", "pandas"))


def test_version_matches_pyproject():
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["version"] == skyswap.__version__


def test_sigkill_during_a_long_plan_leaves_previous_outputs_intact(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["plan", str(E2E), "--out", str(out), "--quiet"])
    assert r.exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    long_run = tmp_path / "long.yaml"
    from skyswap.groundstations.catalog import load_catalog

    long_run.write_text(E2E.read_text().replace("days: 4", "days: 3650").replace(
        "stations: [Delingha, Nanshan, Lijiang]", f"stations: [{', '.join(load_catalog())}]"))  # a decade, every station
    proc = subprocess.Popen([sys.executable, "-m", "skyswap.mission.cli", "plan", str(long_run), "--out", str(out), "--quiet"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3.0)  # well inside the computation of a decade
    assert proc.poll() is None, "the long plan finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # nothing overwritten, nothing half-written, no stray temporaries


def test_atomic_write_leaves_no_temporary_on_failure(tmp_path):
    from skyswap.mission.outputs import atomic

    target = tmp_path / "f.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash while writing")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_stale_temporaries_of_dead_runs_are_cleaned(tmp_path):
    from skyswap.mission.outputs import atomic

    stale = tmp_path / ".passes.csv.skyswap-tmp-999999999"
    stale.write_text("x")
    atomic.clean_stale_temporaries(tmp_path)
    assert not stale.exists()


def _scenario(**changes):
    sc = mission.load_scenario(E2E)
    return sc.model_copy(update=changes)


def test_station_that_never_sees_the_satellite_gives_empty_rows():
    from dataclasses import replace

    from skyswap.groundstations.catalog import get_station

    sc = mission.load_scenario(E2E)
    # an equatorial orbit never rises above 20° at the pole stations
    polar = [replace(get_station("Graz"), name="North", latitude_deg=89.0), replace(get_station("Graz"), name="South", latitude_deg=88.0)]
    orbit = sc.orbit.model_copy(update={"sun_synchronous": None, "elements": sc.orbit.__class__.model_fields["elements"].annotation.__args__[0](altitude_km=500, inclination_deg=0.0)})
    r = mission.plan(sc.model_copy(update={"stations": polar, "orbit": orbit, "pairs": []}))
    assert len(r.passes) == 0
    assert r.summary["totals"]["contacts"] == r.summary["totals"]["candidate_windows"] == 0
    assert r.summary["fidelity"]["median"] is None


def test_night_rule_that_leaves_no_window():
    sc = mission.load_scenario(E2E)
    r = mission.plan(sc.model_copy(update={"night": sc.night.model_copy(update={"sun_elevation_max_deg": -89.0})}))
    assert len(r.passes) == 0


def test_always_power_limited_payload_says_so():
    from dataclasses import replace

    sc = mission.load_scenario(E2E)
    b = sc.payload.swap_budget
    starved = replace(b, power=replace(b.power, solar_generation_w=0.0, battery_initial_soc=b.power.battery_min_soc))
    r = mission.plan(sc.model_copy(update={"payload": replace(sc.payload, swap_budget=starved)}))
    assert len(r.passes) > 0
    assert (r.passes["bsm_heralds"] == 0).all()
    served = r.passes[r.passes["scheduled_s"] > 0]
    assert len(served) > 0
    assert (served["limited_by"] == "power").all() and served["power_limited"].all()
    assert served["note"].str.contains("power").all()
    # the windows the contact plan did not serve say so
    assert r.passes.loc[r.passes["scheduled_s"] == 0, "note"].str.startswith("not scheduled").all()


def test_zero_transmittance_gives_zero_pairs_and_a_reason():
    from dataclasses import replace

    sc = mission.load_scenario(E2E)
    blind = replace(sc.payload, transmitter=replace(sc.payload.transmitter, pointing_bias_urad=5000.0))
    r = mission.plan(sc.model_copy(update={"payload": blind}))
    assert len(r.passes) > 0
    assert r.passes["loss_total_db"].isna().all()  # the beam misses the stations entirely: no finite loss
    assert r.passes["note"].str.startswith("no light").all()
    # what is left is accidental four-folds of sky and dark noise: far below one pair per pass,
    # with the fidelity of noise (no entanglement: at most 1/2 for a Bell state from random clicks)
    assert (r.passes["heralded_pairs"] < 1e-3).all()
    assert (r.passes["fidelity"] <= 0.5 + 1e-9).all()
    from skyswap.mission.outputs import export

    assert "nan" not in export.csv_text(r.passes)


def test_schema_and_stations_commands():
    r = CliRunner().invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["additionalProperties"] is False
    assert {"name", "span", "orbit", "stations"} <= set(schema["required"])
    r = CliRunner().invoke(app, ["stations", "--json"])
    assert r.exit_code == 0
    stations = json.loads(r.stdout)
    assert len(stations) >= 12 and all(s["source"] for s in stations)
    r = CliRunner().invoke(app, ["stations"])
    assert r.exit_code == 0 and "Delingha" in r.stdout


def test_passes_command_writes_windows_and_samples(tmp_path):
    r = CliRunner().invoke(app, ["passes", str(E2E), "--days", "2", "--out", str(tmp_path / "w.csv"), "--samples", str(tmp_path / "s.csv")])
    assert r.exit_code == 0, r.stderr
    w = pd.read_csv(tmp_path / "w.csv", keep_default_na=False)
    s = pd.read_csv(tmp_path / "s.csv", keep_default_na=False)
    assert list(s.columns[:9]) == ["pass_id", "time_utc", "station", "azimuth_deg", "elevation_deg", "range_km",
                                   "range_rate_km_s", "sun_elevation_deg", "sunlit"]
    assert list(s.columns[9:11]) == ["transmittance", "loss_total_db"]
    assert list(s.columns[11:]) == [f"loss_{t}_db" for t in LINK_TERMS]
    # the written total is the sum of the written terms, each rounded to 1e-3 dB
    np.testing.assert_allclose(s["loss_total_db"], -10 * np.log10(s["transmittance"]), atol=len(LINK_TERMS) * 5e-4)
    assert set(s["pass_id"]) <= set(w["pass_id"])
    assert (s["elevation_deg"] >= 15.0 - 1e-6).all()  # the scenario's mask
    assert (s["sun_elevation_deg"] < -12.0).all()  # the night rule


def test_onboard_mode_counts_what_the_contacts_downlinked():
    from dataclasses import replace

    sc = mission.load_scenario(E2E)
    budget = replace(sc.payload.swap_budget, operating_rule="continuous-onboard")
    sc = sc.model_copy(update={"mode": "onboard", "pairs": [], "payload": replace(sc.payload, swap_budget=budget)})
    r = mission.plan(sc)
    p, s = r.passes, r.schedule
    assert len(p) > 0 and (p["station_b"] == "").all()
    ops, totals = r.summary["operations"], r.summary["totals"]
    from skyswap.payload.swap import swap_performance

    perf = swap_performance("onboard", np.ones(1), np.ones(1), payload=sc.payload)
    # the payload makes heralds at a constant rate whenever it operates (contacts or not); a contact
    # counts those whose records it sent down, so the span's heralds are the made ones times the
    # share of the records downlinked (the rest is still on board at the end)
    made = perf.bsm_herald_rate_hz[0] * ops["operating_hours"] * 3600
    sent = ops["downlinked_bytes"] / ops["recorded_bytes"]
    assert 0.0 < sent <= 1.0
    assert p["bsm_heralds"].sum() == pytest.approx(made * sent, rel=1e-9)
    np.testing.assert_allclose(s["swaps_fourfold"] / s["bsm_heralds"],
                               perf.heralded_pair_rate_hz[0] / perf.bsm_herald_rate_hz[0], rtol=1e-12)
    assert totals["operating_hours"] == ops["operating_hours"] > s["operating_s"].sum() / 3600.0
    assert ops["operating_rule"] == "continuous-onboard"
    # clouds do not touch what is detected on board
    assert (p["cloud_free_probability"] == 1.0).all() and totals["expected_heralded_pairs"] == totals["heralded_pairs"]
    assert (p["bsm_heralds"] >= 0).all() and p["fidelity"].between(0.5, 1.0).all()


def test_passes_on_processes_give_the_table_of_one_thread(monkeypatch):
    """`skyswap passes` runs its chunks on one process per core: the same table, to the last bit,
    as one thread (the chunks' columns come back without their per-sample arrays)."""
    from skyswap.mission import chunks, planner

    monkeypatch.setattr(chunks, "CHUNK_SAMPLES", 2000)  # several chunks, so the pool has work
    sc = mission.load_scenario(E2E)
    one = planner.plan_passes(sc, threads=1, workers=1).windows
    pooled = planner.plan_passes(sc, threads=1, workers=2).windows
    assert len(one) > 5
    pd.testing.assert_frame_equal(one, pooled, check_exact=True)


def test_a_chunk_worker_ends_when_its_parent_is_killed(tmp_path):
    """A pool's parent killed outright cannot stop its workers: each watches its parent and ends."""
    child_pid = tmp_path / "child.pid"
    script = (
        "import os, sys, time\n"
        "from skyswap.mission.parallel import exit_with_parent\n"
        "parent = os.getpid()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    exit_with_parent(parent, poll_s=0.05)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        f"open({str(child_pid)!r}, 'w').write(str(pid))\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not (child_pid.exists() and child_pid.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(child_pid.read_text())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    import os

    def running(pid: int) -> bool:  # a zombie (ended, not yet reaped by whoever adopted it) has ended
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return True

    deadline = time.monotonic() + 10
    alive = True
    while alive and time.monotonic() < deadline:
        alive = running(pid)
        time.sleep(0.05)
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "the worker outlived its killed parent"


@pytest.mark.parametrize("workers", [2, 3])
def test_stations_searched_in_groups_on_processes_give_the_same_windows(workers, tmp_path):
    """The window stage on a pool splits the stations in groups (each worker searches its own
    coarse track): every station's windows, culminations and every pair's common view are those
    of one search of all the stations, to the last bit — a station with a horizon profile (its own
    fine grid) among them, groups of unequal size."""
    import yaml

    from skyswap.mission import persample, planner
    from skyswap.mission.stages import orbit_stage
    from skyswap.mission.windows.passes import sites_of

    data = yaml.safe_load(E2E.read_text())
    walled = {"name": "Walled", "latitude_deg": 37.4, "longitude_deg": 97.7, "altitude_m": 3150, "aperture_m": 1.0,
              "horizon_profile": [[100.0, 0.0], [101.0, 60.0], [140.0, 60.0], [141.0, 0.0]]}
    data.update(mode="single-downlink", stations=["Delingha", "Nanshan", walled, "Lijiang", "Graz"])
    (tmp_path / "walled.yaml").write_text(yaml.safe_dump(data))
    sc = mission.load_scenario(tmp_path / "walled.yaml")
    orbit = orbit_stage(sc.satellites, sc.span)
    sites = sites_of(sc.stations, sc.elevation_mask_deg)
    assert any(s.horizon_azimuth_deg for s in sites)
    args = (orbit, sites, sc.night.sun_elevation_max_deg, sc.min_window_duration_s, [(0, 1), (1, 3), (0, 2)], False)
    (one,) = planner.window_stage(*args)
    with persample.worker_pool(sc, workers) as pool:
        (grouped,) = planner.window_stage(*args, pool=pool)
    assert sum(len(w.usable_s) for w in one.stations) > 10
    for a, b in zip(one.stations, grouped.stations, strict=True):
        for field in ("usable_s", "dark_s", "culmination_s", "max_elevation_deg"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    for a, b in zip(one.pairs, grouped.pairs, strict=True):
        np.testing.assert_array_equal(a.usable_s, b.usable_s)
    np.testing.assert_array_equal(one.sunlit, grouped.sunlit)
