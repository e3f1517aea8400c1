"""The shipped cloud climatology, the precedence of cloud sources, and their use in a plan."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from skyswap import mission
from skyswap.groundstations.catalog import get_station, load_catalog
from skyswap.groundstations.cloud_bias import corrected_cloud_free_monthly, grid_correction
from skyswap.groundstations.cloud_grid import global_cloud_free_monthly
from skyswap.groundstations.cloud_sites import _site, load_sites
from skyswap.groundstations.clouds import (
    BASES,
    CloudDataError,
    _entry,
    load_climatology,
    resolve_cloud_free_monthly,
    shipped_cloud_free_monthly,
)
from skyswap.mission.scenario.loading import parse_scenario


def _raw_climatology() -> dict:
    text = resources.files("skyswap.groundstations").joinpath("data/cloud_climatology.json").read_text(encoding="utf-8")
    return json.loads(text)["stations"]


def _shipped_names() -> list[str]:
    return [name for name, e in load_climatology().items() if e.monthly is not None]


def test_climatology_lists_exactly_the_catalog_stations():
    assert list(_raw_climatology()) == list(load_catalog())


def _raw_sites() -> dict:
    text = resources.files("skyswap.groundstations").joinpath("data/cloud_climatology.json").read_text(encoding="utf-8")
    return json.loads(text)["sites"]


def test_every_number_has_a_source_and_lies_in_0_1():
    sites = _raw_sites()
    assert len(sites) >= 12  # issue 22: at least twelve cited sites
    for name, raw in sites.items():
        assert raw["basis"] in BASES and raw["basis"] != "unknown", name
        for key in ("source", "coordinates_source", "quantity", "period"):
            assert isinstance(raw[key], str) and len(raw[key].strip()) > 3, (name, key)
        values = raw["cloud_free_monthly"]
        assert len(values) == 12 and all(0.0 <= v <= 1.0 for v in values), name
        if raw["basis"] == "annual":  # one published number, repeated: no invented seasonal cycle
            assert len(set(values)) == 1, name
        if raw.get("photometric") is not None:  # photometric nights are the stricter count
            assert raw["photometric"] <= min(values) + 1e-9 or raw["basis"] == "monthly", name
    for name, raw in _raw_climatology().items():
        if "site" in raw:
            assert raw["site"] in sites and set(raw) == {"site"}, name
        else:
            assert raw["cloud_free_monthly"] is None and raw["basis"] == "unknown" and raw["source"] is None, name


def test_loader_agrees_with_the_file():
    raw, sites = _raw_climatology(), _raw_sites()
    for name, entry in load_climatology().items():
        if "site" not in raw[name]:
            assert entry.monthly is None and entry.site is None
            continue
        site = sites[raw[name]["site"]]
        assert entry.monthly == tuple(site["cloud_free_monthly"]) and entry.source == site["source"]
        assert entry.site == raw[name]["site"] and entry.basis == site["basis"]
    for name, s in load_sites().items():
        assert s.monthly == tuple(sites[name]["cloud_free_monthly"])
        assert (s.latitude_deg, s.longitude_deg) == (sites[name]["latitude_deg"], sites[name]["longitude_deg"])


def test_xinglong_uses_its_usable_fraction_and_keeps_the_photometric_beside():
    # Zhang et al. 2015 (PASP 127, 1292), abstract: photometric 32 %, spectroscopic 63 %; skyswap's quantity is usable nights
    x = load_climatology()["Xinglong"]
    assert x.monthly == (0.63,) * 12 and load_sites()[x.site].photometric == 0.32


def test_cerro_tololo_months_are_the_published_hours():
    # CTIO facilities manual section 7: average observational / maximum possible hours per night, January..December
    observational = [7.7, 8.9, 9.2, 9.5, 8.1, 8.3, 7.4, 8.0, 7.6, 7.2, 7.2, 7.3]
    maximum = [8.5, 9.5, 10.5, 11.5, 12.1, 12.4, 12.3, 11.8, 10.9, 9.9, 8.9, 8.2]
    got = load_sites()["Cerro Tololo"]
    assert got.basis == "monthly"
    assert np.allclose(got.monthly, np.array(observational) / np.array(maximum), atol=5e-4)


@pytest.mark.parametrize("raw, fragment", [
    ({"cloud_free_monthly": [0.5] * 12, "basis": "annual", "source": None}, "need a source"),
    ({"cloud_free_monthly": [0.5] * 12, "basis": "unknown", "source": "x"}, "need a source"),
    ({"cloud_free_monthly": [0.5] * 11, "basis": "annual", "source": "x"}, "12 numbers"),
    ({"cloud_free_monthly": [1.2] * 12, "basis": "annual", "source": "x"}, "12 numbers"),
    ({"cloud_free_monthly": None, "basis": "annual", "source": None}, "must be 'unknown'"),
    ({"cloud_free_monthly": None, "basis": "guess", "source": None}, "basis"),
])
def test_bad_climatology_entries_are_refused(raw, fragment):
    with pytest.raises(CloudDataError, match=fragment):
        _entry("X", raw)


def test_a_station_must_point_at_a_known_site():
    with pytest.raises(CloudDataError, match="not one of the cited sites"):
        _entry("X", {"site": "Nowhere"}, load_sites())
    with pytest.raises(CloudDataError, match="not one of the cited sites"):
        _entry("X", {"site": "Paranal", "basis": "annual"}, load_sites())


_GOOD_SITE = {"latitude_deg": 10.0, "longitude_deg": 20.0, "coordinates_source": "a survey", "cloud_free_monthly": [0.5] * 12,
              "basis": "annual", "source": "A. Author, J. 1, 2 (2020)", "quantity": "clear nights", "period": "2019"}


@pytest.mark.parametrize("change, fragment", [
    ({"latitude_deg": 95.0}, "latitude_deg 95.0"),
    ({"longitude_deg": "east"}, "longitude_deg 'east'"),
    ({"source": ""}, "source"),
    ({"coordinates_source": None}, "coordinates_source"),
    ({"basis": "unknown"}, "basis 'unknown'"),
    ({"cloud_free_monthly": [0.5] * 11}, "12 numbers"),
    ({"cloud_free_monthly": [0.5] * 11 + [0.6]}, "repeat one value"),
])
def test_bad_cited_sites_are_refused(change, fragment):
    assert _site("S", _GOOD_SITE).annual == 0.5
    with pytest.raises(CloudDataError, match=fragment):
        _site("S", {**_GOOD_SITE, **change})


def _resolve(stations, **kw):
    args = dict(scenario_monthly={}, csv_monthly={}, csv_path=None, use_climatology=True, default=0.5)
    return resolve_cloud_free_monthly(stations, **{**args, **kw})


def test_precedence_scenario_then_csv_then_climatology_then_default():
    shipped = _shipped_names()
    assert shipped, "no station has shipped values: nothing to test precedence on"
    name = shipped[0]
    unknown = next(n for n, e in load_climatology().items() if e.monthly is None)
    st, other = get_station(name), get_station(unknown)
    own = tuple(np.linspace(0.1, 0.9, 12))
    csv = tuple(np.linspace(0.9, 0.2, 12))

    table, src = _resolve([st, other])
    assert table[name] == load_climatology()[name].monthly and src[name].kind == "climatology"
    assert src[name].source == load_climatology()[name].source
    assert unknown not in table and src[unknown].kind == "default"

    table, src = _resolve([st, other], csv_monthly={name: csv, unknown: csv}, csv_path="my.csv")
    assert table[name] == csv and src[name].kind == "csv" and "my.csv" in src[name].source
    assert table[unknown] == csv  # a CSV also fills stations the climatology does not know

    table, src = _resolve([st], scenario_monthly={name: own}, csv_monthly={name: csv})
    assert table[name] == own and src[name].kind == "scenario"

    table, src = _resolve([st], use_climatology=False)
    assert name not in table and src[name].kind == "default"
    assert src[name].monthly == (0.5,) * 12

    # the global grid fills what the climatology leaves, and only that
    table, src = _resolve([st, other], use_global=True)
    assert src[name].kind == "climatology" and table[name] == load_climatology()[name].monthly
    assert src[unknown].kind == "global" and src[unknown].basis == "annual"
    assert table[unknown] == corrected_cloud_free_monthly(other.latitude_deg, other.longitude_deg)[0]
    assert src[unknown].monthly == table[unknown] and "ITU-R P.840" in src[unknown].source
    assert src[unknown].confidence.startswith("corrected grid") and src[name].confidence == "cited"
    table, src = _resolve([st, other], use_global=True, csv_monthly={unknown: csv}, csv_path="my.csv")
    assert src[unknown].kind == "csv" and table[unknown] == csv


def test_climatology_only_where_the_catalog_puts_the_station():
    name = _shipped_names()[0]
    st = get_station(name)
    assert shipped_cloud_free_monthly(st) is not None
    moved = replace(st, latitude_deg=st.latitude_deg + 1.0)
    assert shipped_cloud_free_monthly(moved) is None
    custom = replace(st, name="MyOGS", source="scenario")
    assert shipped_cloud_free_monthly(custom) is None


def _scenario(use: bool = True, use_global: bool = False, **channel):
    return parse_scenario({
        "name": "clouds", "span": {"start": "2027-01-01T00:00:00Z", "days": 2},
        "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
        "stations": ["Tenerife", "Graz"], "mode": "single-downlink", "elevation_mask_deg": 15,
        "channel": {"cloud_free_probability": 0.3, "use_cloud_climatology": use,
                    "use_global_cloud_grid": use_global, **channel},
    })


def test_plan_uses_the_shipped_probability_and_falls_back_to_the_default():
    shipped = load_climatology()["Tenerife"].monthly
    assert shipped is not None and load_climatology()["Graz"].monthly is None
    on, off = mission.plan(_scenario(True)), mission.plan(_scenario(False))
    p_on, p_off = on.passes, off.passes
    ten = (p_on["station_a"] == "Tenerife").to_numpy()
    assert ten.any() and (~ten).any()
    months = p_on["start_utc"].str.slice(5, 7).astype(int).to_numpy()
    assert np.allclose(p_on["cloud_free_probability"][ten], np.asarray(shipped)[months[ten] - 1])
    assert np.allclose(p_on["cloud_free_probability"][~ten], 0.3)
    assert np.allclose(p_off["cloud_free_probability"], 0.3)
    # the same passes and pairs; the expectation scales by shipped / default at Tenerife only
    assert np.array_equal(p_on["heralded_pairs"], p_off["heralded_pairs"])
    ratio = p_on["expected_heralded_pairs"] / p_off["expected_heralded_pairs"]
    assert np.allclose(ratio[ten], np.asarray(shipped)[months[ten] - 1] / 0.3)
    assert np.allclose(ratio[~ten], 1.0)
    clouds = {c["station"]: c for c in on.summary["clouds"]}
    assert clouds["Tenerife"]["kind"] == "climatology" and clouds["Tenerife"]["source"] == load_climatology()["Tenerife"].source
    assert clouds["Graz"]["kind"] == "default"
    assert {c["station"]: c["kind"] for c in off.summary["clouds"]} == {"Tenerife": "default", "Graz": "default"}


def test_plan_fills_stations_without_values_from_the_global_grid():
    r = mission.plan(_scenario(True, use_global=True))
    p = r.passes
    graz = (p["station_a"] == "Graz").to_numpy()
    assert graz.any()
    graz_st = get_station("Graz")
    raw = global_cloud_free_monthly(graz_st.latitude_deg, graz_st.longitude_deg)[0]
    expect = round(grid_correction().scale * raw, 4)  # the grid times the fitted scale (cloud_bias, Eq. 1)
    assert expect < raw
    assert np.allclose(p["cloud_free_probability"][graz], expect)
    clouds = {c["station"]: c for c in r.summary["clouds"]}
    assert clouds["Graz"]["kind"] == "global" and list(clouds["Graz"]["monthly"]) == [expect] * 12
    assert clouds["Graz"]["confidence"] == "corrected grid, extrapolated"  # grid 0.50: below the checked range
    assert clouds["Tenerife"]["kind"] == "climatology"


def test_user_csv_beats_the_shipped_climatology_in_a_plan(tmp_path):
    rows = ["station,month,cloud_free_probability"] + [f"Tenerife,{m},{0.05 * m:.2f}" for m in range(1, 13)]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n")
    r = mission.plan(_scenario(True, cloud_csv=str(tmp_path / "c.csv")))
    p = r.passes
    ten = (p["station_a"] == "Tenerife").to_numpy()
    months = p["start_utc"].str.slice(5, 7).astype(int).to_numpy()
    assert ten.any()
    assert np.allclose(p["cloud_free_probability"][ten], 0.05 * months[ten])
    assert {c["station"]: c["kind"] for c in r.summary["clouds"]}["Tenerife"] == "csv"


def test_climatology_ships_as_package_data():
    import fnmatch
    import tomllib
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    patterns = meta["tool"]["setuptools"]["package-data"]["skyswap.groundstations"]
    assert any(fnmatch.fnmatch("data/cloud_climatology.json", p) for p in patterns)


def test_stations_json_shows_each_station_cloud_source():
    from typer.testing import CliRunner

    from skyswap.mission.cli import app

    r = CliRunner().invoke(app, ["stations", "--json"])
    assert r.exit_code == 0
    by_name = {s["name"]: s["cloud_climatology"] for s in json.loads(r.stdout)}
    assert set(by_name) == set(load_catalog())
    for name, entry in load_climatology().items():
        assert by_name[name]["basis"] == entry.basis and by_name[name]["source"] == entry.source
        assert by_name[name]["monthly"] == (list(entry.monthly) if entry.monthly else None)


def test_bad_global_grid_switch_names_the_field():
    from skyswap.mission.scenario import InputError

    with pytest.raises(InputError, match="use_global_cloud_grid"):
        _scenario(True, use_global="sometimes")


def test_every_station_carries_its_confidence_word_in_summary_report_and_compare(tmp_path):
    from skyswap.groundstations.clouds import CONFIDENCE_WORDS
    from skyswap.mission.compare import compare_sites
    from skyswap.mission.outputs.report import render_html

    rows = ["station,month,cloud_free_probability"] + [f"Matera,{m},0.4" for m in range(1, 13)]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n")
    sc = parse_scenario({
        "name": "words", "span": {"start": "2027-01-01T00:00:00Z", "days": 2},
        "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
        "stations": ["Tenerife", "Graz", "Matera", "Grasse",
                     {"name": "MyOGS", "latitude_deg": 48.1, "longitude_deg": 11.3, "altitude_m": 600, "aperture_m": 0.6}],
        "mode": "single-downlink", "elevation_mask_deg": 15,
        "channel": {"use_global_cloud_grid": True, "cloud_csv": str(tmp_path / "c.csv"),
                    "cloud_free_monthly": {"MyOGS": [0.3] * 12}},
    })
    r = mission.plan(sc)
    words = {c["station"]: c["confidence"] for c in r.summary["clouds"]}
    # Grasse's grid value lies inside the range the cited sites check, Graz's below it (docs/weather.md §2)
    assert words == {"Tenerife": "cited", "Graz": "corrected grid, extrapolated", "Matera": "user",
                     "Grasse": "corrected grid", "MyOGS": "user"}
    assert set(words.values()) <= set(CONFIDENCE_WORDS)
    html = render_html(r)
    for name, word in words.items():
        row = rf"{re.escape(name)}</t[dh]>(?:(?!</tr>).)*?\({re.escape(word)}\)"  # the word in the station's own row
        assert re.search(row, html, re.S), name
    comparison = compare_sites(sc, draws=20)
    stations = comparison.ranking[comparison.ranking["kind"] == "station"]
    assert dict(zip(stations["site"], stations["cloud_confidence"])) == words
    assert {c["station"]: c["confidence"] for c in comparison.clouds} == words
    off = mission.plan(sc.model_copy(update={"channel": replace(
        sc.channel, use_global_cloud_grid=False, use_cloud_climatology=False, cloud_csv=None)}))
    assert {c["station"]: c["confidence"] for c in off.summary["clouds"]} == {
        "Tenerife": "assumed", "Graz": "assumed", "Matera": "assumed", "Grasse": "assumed", "MyOGS": "user"}
