"""skyswap map: the map's value at a catalog site is compare's, the result does not depend on
workers or chunks, sea and polar-summer cells are stated (not errors), the NetCDF is CF."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skyswap.mission import compare
from skyswap.mission.scenario.loading import load_scenario
from skyswap.mission.sitemap import assemble as result
from skyswap.mission.sitemap import cells
from skyswap.mission.sitemap import dispatch as run
from skyswap.mission.sitemap import mapfiles as outputs
from skyswap.mission.sitemap.shared import shared_stage
from skyswap.mission.stages import orbit_stage
from tests.test_browser import chromium  # noqa: F401,F811  (the fixture)

ROOT = Path(__file__).resolve().parents[1]
Q4S = ROOT / "scenarios" / "q4s_year.yaml"
DAYS = 20.0
EUROPE = (36.0, 52.0, -6.0, 22.0)


@pytest.fixture(scope="module")
def q4s():
    return load_scenario(Q4S).with_days(DAYS)


@pytest.fixture(scope="module")
def comparison(q4s):
    return compare.compare_sites(q4s, draws=400)


@pytest.fixture(scope="module")
def shared(q4s):
    orbit = orbit_stage(q4s.satellites, q4s.span)
    st = list(q4s.stations)
    return shared_stage(orbit, 10.0, [s.latitude_deg for s in st], [s.longitude_deg for s in st], 20.0, -12.0)


def test_map_equals_compare_at_catalog_stations(q4s, comparison, shared):
    """The map's engine at a catalog station (with its catalog receiver) gives compare's numbers
    within 1 %: windows exactly, window hours, heralded pairs and the expectation after clouds."""
    ranking = comparison.ranking
    for st in q4s.stations:
        row = cells.site_year(shared, q4s, [st], seed=1, draws=400).row
        ref = ranking[(ranking["kind"] == "station") & (ranking["site"] == st.name)].iloc[0]
        assert row["windows"] == ref["windows"], st.name
        assert row["window_hours"] == pytest.approx(ref["window_hours"], rel=0.01), st.name
        assert row["heralded_pairs_clear_skies"] == pytest.approx(ref["heralded_pairs_clear_skies"], rel=0.01), st.name
        assert row["expected_heralded_pairs"] == pytest.approx(ref["expected_heralded_pairs"], rel=0.01), st.name
        # other random numbers, the same model: the P10 agrees to the Monte Carlo error of 400 draws
        assert row["p10"] == pytest.approx(ref["p10"], rel=0.15), st.name


def test_map_equals_compare_for_a_pair_with_a_partner(q4s, comparison, shared):
    by = {s.name: s for s in q4s.stations}
    ranking = comparison.ranking
    for a, b in [("Graz", "Matera"), ("Delingha", "Nanshan")]:
        row = cells.site_year(shared, q4s, [by[a], by[b]], seed=1, draws=0).row
        ref = ranking[(ranking["kind"] == "pair") & (ranking["site"] == f"{a}–{b}")].iloc[0]
        assert row["windows"] == ref["windows"]
        assert row["window_hours"] == pytest.approx(ref["window_hours"], rel=0.01)
        assert row["expected_heralded_pairs"] == pytest.approx(ref["expected_heralded_pairs"], rel=0.01)


def test_window_edges_match_the_root_refined_windows(q4s, shared):
    """Interpolated edges on the 10 s grid sit within a second of the planner's 1 ms roots."""
    from skyswap.mission import planner

    graz = next(s for s in q4s.stations if s.name == "Graz")
    single = q4s.model_copy(update={"mode": "single-downlink", "pairs": [], "stations": [graz]})
    ref = planner.plan_passes(single).windows
    t0 = pd.Timestamp(q4s.span.start_utc)
    ref_start = (pd.to_datetime(ref["start_utc"], utc=True, format="ISO8601") - t0).dt.total_seconds().to_numpy()
    ref_end = (pd.to_datetime(ref["end_utc"], utc=True, format="ISO8601") - t0).dt.total_seconds().to_numpy()
    year = cells.site_year(shared, q4s, [graz], seed=0, draws=0)
    assert year.start_s.size == ref_start.size
    assert np.max(np.abs(np.sort(year.start_s) - np.sort(ref_start))) < 1.0
    assert np.max(np.abs(np.sort(year.end_s) - np.sort(ref_end))) < 1.0


def _job(scenario, region=EUROPE, resolution=4.0, partner=None):
    return run.MapJob(scenario.model_dump(mode="json"), resolution, region, partner, int(scenario.outputs.draws))


def _set_bytes(mr, folder: Path) -> dict:
    written = outputs.write(result.build_result(mr), folder)
    return {p.name: p.read_bytes() for p in written}


@pytest.mark.slow
def test_same_bytes_whatever_workers_and_chunks(tmp_path):
    """The set a user gets (rows computed on Dask workers, as the command runs them) is the same
    to the byte for one worker and one chunk, two workers and chunks of 5, two workers and chunks of 3."""
    sc = load_scenario(Q4S).with_days(4)
    sc = sc.model_copy(update={"outputs": sc.outputs.model_copy(update={"draws": 200})})
    job = _job(sc)
    runs = {"1 worker, 1 chunk": run.run_dask(job, workers=1, chunk_sites=1000),
            "2 workers, chunks of 5": run.run_dask(job, workers=2, chunk_sites=5),
            "2 workers, chunks of 3": run.run_dask(job, workers=2, chunk_sites=3)}
    first = next(iter(runs.values())).rows
    for label, mr in runs.items():  # say which column differs, if one does
        pd.testing.assert_frame_equal(mr.rows, first, check_exact=True, obj=label)
    sets = [_set_bytes(mr, tmp_path / f"set{i}") for i, mr in enumerate(runs.values())]
    assert all(s.keys() == set(outputs.outset.SETS["map"]) for s in sets)
    for name in sets[0]:
        assert sets[0][name] == sets[1][name] == sets[2][name], name


def test_sea_region_is_stated_not_an_error(tmp_path):
    sc = load_scenario(Q4S).with_days(2)
    out = tmp_path / "sea"
    proc = subprocess.run([sys.executable, "-m", "skyswap.mission.cli", "map", str(Q4S), "--days", "2", "--region",
                           "0,10,-40,-30", "--resolution", "5", "--out", str(out), "--workers", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "no land cell in the region" in proc.stdout
    summary = json.loads((out / "map.json").read_text())
    assert summary["counts"]["evaluated"] == 0 and summary["counts"]["sea_or_little_land"] == 4
    assert sc.name == summary["provenance"]["scenario"]


def test_polar_summer_cells_have_no_window_and_say_why():
    sc = load_scenario(Q4S)
    data = sc.model_dump(mode="json")
    data["span"] = {"start": "2027-06-10T00:00:00Z", "days": 3}
    job = run.MapJob(data, 5.0, (70.0, 85.0, -50.0, -20.0), None, 100)  # Greenland in the midnight sun
    mr = run.run_serial(job)
    cells_ = mr.rows[mr.rows["kind"] == "cell"]
    assert len(cells_) > 3
    assert (cells_["windows"] == 0).all()
    assert (cells_["expected_heralded_pairs"] == 0).all()
    assert cells_["note"].str.startswith("no window at night").all()
    res = result.build_result(mr)
    assert res.counts["without_window"] == len(cells_) and res.network == []


def test_netcdf_opens_with_units_and_provenance(tmp_path, q4s):
    import xarray as xr

    sc = q4s.with_days(2)
    mr = run.run_serial(_job(sc, resolution=8.0))
    res = result.build_result(mr)
    path = tmp_path / "map.nc"
    path.write_bytes(outputs.netcdf_bytes(res))
    with xr.open_dataset(path) as ds:
        assert ds.attrs["Conventions"] == "CF-1.8"
        assert ds.attrs["skyswap_scenario_sha256"] == sc.hash()
        assert ds.attrs["skyswap_resolution_deg"] == 8.0
        assert "P.1511" in ds.attrs["skyswap_topography"] and "P.840" in ds.attrs["skyswap_clouds"]
        assert ds["lat"].attrs["units"] == "degrees_north" and ds["lon"].attrs["units"] == "degrees_east"
        for name in ("expected_heralded_pairs", "heralded_pairs_p10", "window_hours", "altitude", "land_fraction"):
            assert ds[name].attrs["units"] and ds[name].attrs["long_name"], name
        assert ds["window_hours"].attrs["units"] == "h"
        expected = ds["expected_heralded_pairs"].values
        sea = ds["evaluated"].values == 0
        assert np.all(np.isnan(expected[sea])) and np.all(np.isfinite(expected[~sea]))
        # the grid's values are the table's
        table = res.sites[res.sites["kind"] == "cell"]
        i = int(table.index[0])
        lat, lon = table.loc[i, "latitude_deg"], table.loc[i, "longitude_deg"]
        assert float(ds["expected_heralded_pairs"].sel(lat=lat, lon=lon)) == table.loc[i, "expected_heralded_pairs"]


@pytest.mark.parametrize("args, field", [
    (["--region", "10,0,0,10"], "--region"),
    (["--region", "a,b,c,d"], "--region"),
    (["--resolution", "0.1"], "--resolution"),
    (["--partner", "Atlantis"], "--partner"),
])
def test_bad_map_input_is_one_line_and_exit_2(tmp_path, args, field):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "skyswap.mission.cli", "map", str(Q4S), "--out", str(out), *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.browser
def test_map_page_draws_in_chromium(tmp_path, chromium):  # noqa: F811
    """map.html is self-contained and its map figure draws (headless Chromium, no network)."""
    from tests.test_browser import assert_all_drawn, dump_dom

    sc = load_scenario(Q4S).with_days(3)
    res = result.build_result(run.run_serial(_job(sc, resolution=6.0)))
    page = outputs.render_html(res)
    dom = dump_dom(chromium, page, tmp_path, "map")
    figs = assert_all_drawn(dom, [outputs.MAP_FIGURE_ID])
    assert figs[outputs.MAP_FIGURE_ID].count('class="point') >= int((res.sites["kind"] == "cell").sum())
    for caveat in ("What this map does not know", "Top ", "Best network"):
        assert caveat in dom


def test_best_partner_is_the_catalog_station_that_gives_most(q4s):
    """--partner best: each cell's partner is the catalog station within reach whose pair expects
    the most heralded pairs (checked against every candidate evaluated directly)."""
    from skyswap.groundstations.cloud_process import great_circle_distance_km

    sc = q4s.with_days(6)
    job = run.MapJob(sc.model_dump(mode="json"), 5.0, (45.0, 50.0, 10.0, 15.0), "best", 50)
    ctx = run.context(job)
    row = run.evaluate_site(ctx, 0, "best")["row"]
    st, _, _ = run.site_station(ctx, 0)
    values = {p.name: cells.site_year(ctx.shared, sc, [st, p], seed=0, draws=0).row["expected_heralded_pairs"]
              for p in ctx.pool
              if great_circle_distance_km(st.latitude_deg, st.longitude_deg, p.latitude_deg, p.longitude_deg)
              < compare.PARTNER_KM}
    assert len(values) >= 3 and row["partner"] in values
    assert values[row["partner"]] == max(values.values()) == row["expected_heralded_pairs"]
