"""Several satellites in one scenario: a list of orbits, or a Walker constellation."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import skyswap
from skyswap.mission.scenario import InputError, parse_scenario

E2E = Path(__file__).resolve().parent / "data" / "e2e.yaml"
A = {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}, "name": "A"}
B = {"sun_synchronous": {"altitude_km": 560, "ltan_h": 21.0}, "name": "B"}


def _scenario(orbit, days=2):
    import yaml

    data = yaml.safe_load(E2E.read_text())
    data["orbit"] = orbit
    data["span"]["days"] = days
    return parse_scenario(data)


def _geometry(df: pd.DataFrame) -> pd.DataFrame:
    cols = ["station_a", "station_b", "start_utc", "end_utc", "max_elevation_a_deg", "min_range_b_km",
            "loss_total_db", "samples"]
    return df[cols].sort_values(["start_utc", "station_a", "station_b"]).reset_index(drop=True)


def test_a_list_of_orbits_gives_each_satellites_windows_unchanged():
    both = skyswap.plan(_scenario([A, B])).passes
    alone = {name: skyswap.plan(_scenario(orb)).passes for name, orb in (("A", A), ("B", B))}
    assert set(both["satellite"]) == {"A", "B"}
    for name, df in alone.items():
        mine = both[both["satellite"] == name]
        assert len(mine) == len(df) > 0
        pd.testing.assert_frame_equal(_geometry(mine), _geometry(df))
        # with two satellites the ids name the satellite; alone they do not
        assert mine["pass_id"].str.startswith(f"{name}:").all()
        assert not df["pass_id"].str.contains(":").any()


def test_walker_expands_into_named_satellites_with_walker_elements():
    sc = _scenario({"walker": {"altitude_km": 550, "inclination_deg": 53.0, "planes": 3,
                               "satellites_per_plane": 2, "phasing": 1}, "name": "W"})
    sats = sc.satellites
    assert [n for n, _, _ in sats] == ["W-1-1", "W-1-2", "W-2-1", "W-2-2", "W-3-1", "W-3-2"]
    el = [o.elements for _, _, o in sats]
    assert [e.raan_deg for e in el] == pytest.approx([0, 0, 120, 120, 240, 240])
    # M = 360 s/S + 360 F p/T with T = 6: plane p shifts by 60° per plane
    assert [e.mean_anomaly_deg for e in el] == pytest.approx([0, 180, 60, 240, 120, 300])


@pytest.mark.parametrize("orbit, field", [
    ([A, {**B, "name": "A"}], "orbit"),
    ({"walker": {"altitude_km": 550, "inclination_deg": 53, "planes": 2, "satellites_per_plane": 2,
                 "phasing": 2}}, "orbit.walker"),
])
def test_bad_constellations_name_the_field(orbit, field):
    with pytest.raises(InputError) as err:
        _scenario(orbit)
    assert err.value.field.startswith(field)
