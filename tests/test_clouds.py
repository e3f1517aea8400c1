"""The shipped cloud climatology, the precedence of cloud sources, and their use in a plan."""
from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from skyswap import mission
from skyswap.groundstations.catalog import get_station, load_catalog
from skyswap.groundstations.cloud_grid import global_cloud_free_monthly
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


def test_every_number_has_a_source_and_lies_in_0_1():
    for name, raw in _raw_climatology().items():
        assert raw["basis"] in BASES, name
        values = raw["cloud_free_monthly"]
        if values is None:
            assert raw["basis"] == "unknown" and raw["source"] is None, name
            continue
        assert raw["basis"] != "unknown", name
        assert isinstance(raw["source"], str) and len(raw["source"].strip()) > 20, name
        assert len(values) == 12 and all(0.0 <= v <= 1.0 for v in values), name
        if raw["basis"] == "annual":  # one published number, repeated: no invented seasonal cycle
            assert len(set(values)) == 1, name


def test_loader_agrees_with_the_file():
    raw = _raw_climatology()
    for name, entry in load_climatology().items():
        expect = raw[name]["cloud_free_monthly"]
        assert (entry.monthly is None) == (expect is None)
        if expect is not None:
            assert entry.monthly == tuple(expect) and entry.source == raw[name]["source"]


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
    assert table[unknown] == global_cloud_free_monthly(other.latitude_deg, other.longitude_deg)
    assert src[unknown].monthly == table[unknown] and "ITU-R P.840" in src[unknown].source
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
    expect = global_cloud_free_monthly(get_station("Graz").latitude_deg, get_station("Graz").longitude_deg)[0]
    assert np.allclose(p["cloud_free_probability"][graz], expect)
    clouds = {c["station"]: c for c in r.summary["clouds"]}
    assert clouds["Graz"]["kind"] == "global" and list(clouds["Graz"]["monthly"]) == [expect] * 12
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
