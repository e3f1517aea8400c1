"""Issue 21's done-when: ``skyswap plan scenarios/q4s_year.yaml`` with ``mode: onboard`` (pairs
removed) reports the four-fold swaps and the operating hours in ``summary.json`` ``totals``, their
ratio in the stated band (Boeing's "100+ swaps per hour" read as 100-300 four-fold swaps per
operating hour, payload.profile.Q4SProfile), the pair-weighted mean fidelity >= 0.9, and the count
after clouds equal to the count.

A short span (10 days) stands for the year: the payload's four-fold rate while it operates is a
constant of the profile (no link, no sky), so the ratio does not depend on the span except through
the records still on board when it ends; the test checks that accounting exactly, so the ratio it
bounds is the year's too. The operating hours are worked out by hand from the thermal duty cycle."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skyswap.mission.cli import app
from skyswap.payload.onboard import onboard_record_rate_bytes_s
from skyswap.payload.profile import Q4SProfile, onboard_fourfold, q4s_payload

ROOT = Path(__file__).resolve().parents[1]
DAYS = 10


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> dict:
    text = (ROOT / "scenarios" / "q4s_year.yaml").read_text(encoding="utf-8")
    text = text.replace("mode: dual-downlink", "mode: onboard")
    text, removed = re.subn(r"^pairs:\n(?:  - \[.*\]\n)+", "", text, flags=re.M)
    assert removed == 1 and "mode: onboard" in text
    tmp = tmp_path_factory.mktemp("onboard")
    (tmp / "q4s_onboard.yaml").write_text(text, encoding="utf-8")
    out = tmp / "out"
    r = CliRunner().invoke(app, ["plan", str(tmp / "q4s_onboard.yaml"), "--days", str(DAYS), "--out", str(out),
                                 "--quiet"])
    assert r.exit_code == 0, r.output
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_fourfold_swaps_per_operating_hour_meet_the_stated_target_at_high_fidelity(summary):
    t = summary["totals"]
    fourfold = [k for k in t if "fourfold" in k]
    assert fourfold == ["swaps_fourfold"]
    profile = Q4SProfile()
    per_hour = t["swaps_fourfold"] / t["operating_hours"]
    assert profile.target_fourfold_swaps_per_hour <= per_hour <= profile.max_fourfold_swaps_per_hour
    assert summary["fidelity"]["mean"] >= profile.fidelity_floor
    assert summary["fidelity"]["weighted_by"] == "heralded_pairs"
    # clouds do not touch what is detected on board: the expected count after clouds is the count,
    # and every simulated weather year gives it
    assert t["expected_heralded_pairs"] == t["heralded_pairs"] == t["swaps_fourfold"]
    d = summary["distribution"]["heralded_pairs"]
    assert d["p10"] == pytest.approx(t["swaps_fourfold"], rel=1e-12)
    assert d["p90"] == pytest.approx(t["swaps_fourfold"], rel=1e-12)


def test_the_contacts_carry_down_what_the_payload_made_whenever_it_operated(summary):
    t, ops = summary["totals"], summary["operations"]
    payload = q4s_payload()
    rates = onboard_fourfold(payload)
    record_b_s = onboard_record_rate_bytes_s(payload, rates.bsm_heralds_per_hour / 3600.0)
    # one definition of operating hours: the scheduler's over the span, contacts or not
    assert t["operating_hours"] == ops["operating_hours"]
    assert ops["operating_rule"] == "continuous-onboard"
    assert ops["operating_hours_outside_contacts"] > 10 * t["operating_hours_in_contacts"] > 0
    # thermal duty cycle only (a ~45 W payload fits the bus, the X band drains the store): a run of
    # 1800 s with 120 s of warm-up, then 900 s of cool-down -> 1680 s operated per 2700 s
    th = payload.swap_budget.thermal
    assert ops["seconds_lost"]["power"] == 0.0 and ops["seconds_lost"]["storage"] == 0.0
    duty = (th.max_on_time_s - th.warmup_s) / (th.max_on_time_s + th.cooldown_s)
    assert t["operating_hours"] * 3600.0 == pytest.approx(duty * DAYS * 86400.0, abs=th.max_on_time_s + th.cooldown_s)
    # conservation: what was made = what the contacts carried down + what is still on board
    made = rates.fourfold_swaps_per_hour * t["operating_hours"]
    on_board = ops["store_end_bytes"] / record_b_s * rates.fourfold_swaps_per_hour / 3600.0
    assert t["swaps_fourfold"] + on_board == pytest.approx(made, rel=1e-9)
    assert ops["recorded_bytes"] == pytest.approx(record_b_s * t["operating_hours"] * 3600.0, rel=1e-9)
    assert t["bsm_heralds"] / t["swaps_fourfold"] == pytest.approx(
        rates.bsm_heralds_per_hour / rates.fourfold_swaps_per_hour, rel=1e-9)  # summary.json keeps 10 digits
