"""The contact plan's settings (``payload.contacts``): owned by the contact plan, checked at load
against the scenario's stations and pairs, one policy list, one retarget default."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import skyswap
from skyswap.groundstations.catalog import RETARGET_S, Station
from skyswap.mission.contacts.plan import Resources
from skyswap.mission.contacts.policies import POLICY
from skyswap.mission.contacts.settings import POLICIES, ContactSettings, canonical_weights
from skyswap.mission.scenario import InputError, json_schema, parse_scenario

TINY = Path(__file__).resolve().parent / "data" / "tiny.yaml"


def _scenario(stations=("Delingha", "Nanshan", "Xinglong"), mode="dual-downlink", pairs=None, days=1, **contacts):
    data = yaml.safe_load(TINY.read_text())
    data.update(stations=list(stations), mode=mode, span={"start": data["span"]["start"], "days": days},
                payload={"contacts": contacts})
    if pairs is not None:
        data["pairs"] = pairs
    return parse_scenario(data)


def test_one_policy_list_drives_the_plan_and_the_schema():
    assert tuple(POLICY) == POLICIES
    enum = json_schema()["$defs"]["ContactSettings"]["properties"]["policy"]["enum"]
    assert tuple(enum) == POLICIES


def test_one_retarget_default():
    station = Station(name="x", latitude_deg=0.0, longitude_deg=0.0, altitude_m=0.0, aperture_m=1.0)
    assert ContactSettings().retarget_s == station.retarget_s == RETARGET_S
    assert Resources().retarget_satellite_s == Resources().retarget_station_s == RETARGET_S


def test_weight_keys_come_back_in_the_scenarios_own_names():
    sc = _scenario(policy="priority", weights={"nanshan + DELINGHA": 2.0, "Gaomeigu": 0.5, "xinglong": 3.0},
                   stations=("Delingha", "Nanshan", "Lijiang", "Xinglong"))
    assert sc.payload.contacts.weights == {"Delingha+Nanshan": 2.0, "Lijiang": 0.5, "Xinglong": 3.0}


@pytest.mark.parametrize("weights, pairs, mode, fragment", [
    ({"Delinga": 1.0}, None, "dual-downlink", "no station of the scenario is named 'Delinga' (did you mean 'Delingha'?)"),
    ({"Graz": 1.0}, None, "dual-downlink", "no station of the scenario is named 'Graz'"),
    ({"Delingha+Xinglong": 1.0}, [["Delingha", "Nanshan"]], "dual-downlink", "is not one of the scenario's pairs"),
    ({"Delingha+Nanshan": 1.0}, None, "single-downlink", "names a station pair, but the mode serves single stations"),
    ({"Delingha+Nanshan+Xinglong": 1.0}, None, "dual-downlink", "a station 'A' or a station pair 'A+B'"),
    ({"Nanshan+Delingha": 1.0, "Delingha+Nanshan": 2.0}, None, "dual-downlink", "a second time"),
])
def test_a_weight_naming_no_station_or_pair_is_one_line_at_load(weights, pairs, mode, fragment):
    with pytest.raises(InputError) as err:
        _scenario(mode=mode, pairs=pairs, policy="priority", weights=weights)
    assert err.value.field == "payload.contacts.weights"
    assert fragment in err.value.line() and "\n" not in err.value.line()


def test_canonical_weights_without_pairs_weigh_stations_only():
    names = ["A", "B"]
    assert canonical_weights({"a": 2.0}, {"a": "A", "b": "B"}.get, names, None) == {"A": 2.0}


def test_priority_plan_uses_weights_written_in_any_case():
    """Before, `validate` accepted keys the plan then failed on (an alias: KeyError after the orbits).
    One pair weighted 3: the weighted objective is 3 times the expected pairs."""
    sc = _scenario(stations=("Delingha", "Nanshan"), policy="priority", weights={"urumqi+delingha": 3.0})
    cp = skyswap.plan(sc).summary["contact_plan"]
    assert cp["policy"] == "priority" and cp["expected_heralded_pairs_before_swap_limits"] > 0
    assert cp["objective_value"] == pytest.approx(3.0 * cp["expected_heralded_pairs_before_swap_limits"], rel=1e-12)
