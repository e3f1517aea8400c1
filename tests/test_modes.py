"""The payload mode registry (payload.modes) is the one owner of a mode: the scenario schema, its
checks and the swap model's photon paths follow it."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from skyswap.mission.scenario import InputError, json_schema, parse_scenario
from skyswap.payload import modes
from skyswap.payload.config import PayloadConfig, downlink_telescopes, onboard_event_rate_hz
from skyswap.payload.swap import swap_performance

BASE = {"name": "m", "span": {"start": "2027-01-01T00:00:00Z", "days": 1},
        "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}}, "stations": ["Delingha", "Nanshan"]}


def test_the_schema_lists_exactly_the_registry():
    assert json_schema()["properties"]["mode"]["enum"] == list(modes.MODES)


def test_a_mode_added_to_the_registry_appears_in_the_schema_and_loads(monkeypatch):
    extra = dataclasses.replace(modes.MODES["single-downlink"], name="test-downlink", description="a test mode")
    monkeypatch.setitem(modes.MODES, "test-downlink", extra)
    assert json_schema()["properties"]["mode"]["enum"][-1] == "test-downlink"
    sc = parse_scenario({**BASE, "mode": "test-downlink"})
    assert sc.payload_mode is extra
    assert sc.station_pairs == []  # one downlink: no station pairs
    with pytest.raises(InputError, match="uses no station pairs"):
        parse_scenario({**BASE, "mode": "test-downlink", "pairs": [["Delingha", "Nanshan"]]})


def test_the_old_mode_name_is_refused_with_the_new_one():
    with pytest.raises(InputError) as err:
        parse_scenario({**BASE, "mode": "distribution"})
    assert err.value.field == "mode"
    assert "write mode: direct-downlink" in err.value.line()


def test_pair_modes_are_the_two_downlink_modes():
    assert [m.name for m in modes.MODES.values() if m.station_pairs] == ["dual-downlink", "direct-downlink"]
    for m in modes.MODES.values():
        sc = parse_scenario({**BASE, "mode": m.name})
        assert (sc.station_pairs == [(0, 1)]) == m.station_pairs


def test_detectors_and_telescopes_follow_the_photon_paths():
    """Two BSM detectors with a swap, one analyser per photon kept on board; a telescope per
    photon sent down (one for the records when none is)."""
    p = PayloadConfig()
    one = onboard_event_rate_hz("onboard", p) / 4
    for m in modes.MODES.values():
        on_board = int(m.photon_a_onboard) + int(m.photon_b_onboard)
        assert m.onboard_detectors == 2 * int(m.swaps) + on_board
        assert onboard_event_rate_hz(m.name, p) == pytest.approx(m.onboard_detectors * one, rel=1e-12)
        assert downlink_telescopes(m.name) == max(m.downlinks, 1)


def test_the_swap_model_ignores_the_links_of_photons_kept_on_board():
    """A photon analysed on board does not see the link passed for it: changing that link changes
    nothing, changing a link a photon does cross changes the rates."""
    for m in modes.MODES.values():
        base = swap_performance(m.name, 0.1, 0.1)
        a = swap_performance(m.name, 0.01, 0.1)
        b = swap_performance(m.name, 0.1, 0.01)
        assert np.allclose(a.heralded_pair_rate_hz, base.heralded_pair_rate_hz) == m.photon_a_onboard
        assert np.allclose(b.heralded_pair_rate_hz, base.heralded_pair_rate_hz) == m.photon_b_onboard


def test_an_inconsistent_mode_is_refused():
    with pytest.raises(ValueError, match="stored on board exactly when no photon goes down"):
        dataclasses.replace(modes.MODES["onboard"], downlinks=1)
    with pytest.raises(ValueError, match="clouds touch the counts exactly when a photon goes down"):
        dataclasses.replace(modes.MODES["onboard"], clouds_touch_counts=True)
    with pytest.raises(ValueError, match="clouds touch the counts exactly when a photon goes down"):
        dataclasses.replace(modes.MODES["single-downlink"], clouds_touch_counts=False)
    with pytest.raises(ValueError, match="need a rule that operates between contacts"):
        dataclasses.replace(modes.MODES["onboard"], operating_rule="ground-passes-first")
    with pytest.raises(ValueError, match="unknown payload mode"):
        modes.mode_of("teleport")
