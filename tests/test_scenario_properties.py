"""Property tests on the scenario parser: any input gives a Scenario or one InputError line."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.mission.scenario.errors import InputError
from skyswap.mission.scenario.loading import parse_scenario
from skyswap.mission.scenario.schema import MAX_SAMPLE_GRID_POINTS

BASE = {
    "name": "prop",
    "span": {"start": "2027-01-01T00:00:00Z", "days": 1},
    "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
    "stations": ["Delingha", "Nanshan"],
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(["name", "span", "orbit", "stations", "elevation_mask_deg", "night", "mode", "pairs",
                            "sample_step_s", "payload", "channel", "outputs", "nonsense"]), value=json_values)
def test_any_value_in_any_key_gives_a_scenario_or_one_clear_line(key, value):
    data = {**BASE, key: value}
    try:
        parse_scenario(data)
    except InputError as err:
        line = str(err)
        assert "\n" not in line and line
        assert err.field  # names the field


@settings(max_examples=150, deadline=None)
@given(lat=st.floats(allow_nan=True, allow_infinity=True), lon=st.floats(allow_nan=True, allow_infinity=True),
       alt=st.floats(-1e5, 1e5), ap=st.floats(-10, 30))
def test_inline_station_bounds(lat, lon, alt, ap):
    station = {"name": "X", "latitude_deg": lat, "longitude_deg": lon, "altitude_m": alt, "aperture_m": ap}
    valid = (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon < 360
             and -500 < alt < 9000 and 0 < ap <= 20)
    data = {**BASE, "stations": ["Delingha", station]}
    if valid:
        sc = parse_scenario(data)
        assert -180 <= sc.stations[1].longitude_deg < 180
    else:
        with pytest.raises(InputError) as err:
            parse_scenario(data)
        assert err.value.field.startswith("stations[1].")


@settings(max_examples=100, deadline=None)
@given(step=st.floats(allow_nan=True, allow_infinity=True))
def test_sample_step_bounds(step):
    data = {**BASE, "sample_step_s": step}
    grid_points = 86400.0 / step * 2 if math.isfinite(step) and step > 0 else math.inf  # 1 day, 2 stations
    if math.isfinite(step) and 0 < step <= 60 and grid_points <= MAX_SAMPLE_GRID_POINTS:
        assert parse_scenario(data).sample_step_s == step
    else:
        with pytest.raises(InputError, match="sample_step_s"):
            parse_scenario(data)


@settings(max_examples=150, deadline=None)
@given(days=st.floats(1e-3, 3650), step=st.floats(1e-4, 60), n=st.integers(1, 5))
def test_sample_grid_is_refused_exactly_above_its_bound(days, step, n):
    """(span / step) x stations above 1e10 is refused naming sample_step_s and the count; below it is not."""
    stations = ["Delingha", "Nanshan", "Lijiang", "Graz", "Matera"][:n]
    data = {**BASE, "span": {"start": "2027-01-01T00:00:00Z", "days": days}, "sample_step_s": step,
            "stations": stations, "mode": "dual-downlink" if n > 1 else "single-downlink"}
    span_s = days * 86400.0
    points = span_s / step * n
    if span_s < max(step, 10.0):
        with pytest.raises(InputError, match="span.days"):
            parse_scenario(data)
    elif points > MAX_SAMPLE_GRID_POINTS * (1 + 1e-9):
        with pytest.raises(InputError) as err:
            parse_scenario(data)
        assert err.value.field == "sample_step_s" and f"{points:.2g} sample-grid points" in str(err.value)
    elif points < MAX_SAMPLE_GRID_POINTS * (1 - 1e-9):
        assert parse_scenario(data).sample_step_s == step


def test_hash_ignores_formatting_but_not_content():
    a = parse_scenario(BASE)
    b = parse_scenario({**BASE, "stations": ["delingha", "NANSHAN"]})  # catalog names, any case
    assert a.hash() == b.hash()
    assert a.hash() != parse_scenario({**BASE, "sample_step_s": 2}).hash()
