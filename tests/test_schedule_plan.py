"""The plan follows one schedule: conflict-free contacts, and every total is a sum of its rows."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import skyswap
from skyswap.mission.outputs.summary import TOTAL_COLUMNS
from skyswap.mission.scenario import parse_scenario

E2E = Path(__file__).resolve().parent / "data" / "e2e.yaml"


def _scenario(days=4, **payload_contacts):
    data = yaml.safe_load(E2E.read_text())
    data["span"]["days"] = days
    data["outputs"] = {"draws": 200}
    if payload_contacts:
        data["payload"] = {"contacts": payload_contacts}
    return parse_scenario(data)


@pytest.fixture(scope="module", params=["max-pairs", "first-come", "fair"])
def result(request):
    return skyswap.plan(_scenario(policy=request.param))


def _t(col: pd.Series) -> np.ndarray:
    t = pd.to_datetime(col, utc=True, format="ISO8601")
    return (t - pd.Timestamp("2027-01-01", tz="UTC")).dt.total_seconds().to_numpy()  # [s]


def test_no_station_serves_two_contacts_at_once(result):
    s = result.schedule
    start, end = _t(s["start_utc"]), _t(s["end_utc"])
    for station in set(s["station_a"]) | set(s["station_b"]) - {""}:
        mine = np.flatnonzero((s["station_a"] == station) | (s["station_b"] == station))
        order = mine[np.argsort(start[mine])]
        assert np.all(start[order][1:] >= end[order][:-1] - 1e-3), station


def test_no_telescope_lane_serves_two_contacts_at_once(result):
    s = result.schedule
    start, end = _t(s["start_utc"]), _t(s["end_utc"])
    for (sat, lane), g in s.groupby(["satellite", "telescope_lane"]):
        idx = g.index.to_numpy()
        order = idx[np.argsort(start[idx])]
        assert np.all(start[order][1:] >= end[order][:-1] - 1e-3), (sat, lane)


def test_contacts_lie_inside_their_windows_and_never_exceed_them(result):
    p = result.passes.set_index("pass_id")
    s = result.schedule
    w0, w1 = _t(p.loc[s["pass_id"], "start_utc"]), _t(p.loc[s["pass_id"], "end_utc"])
    assert np.all(_t(s["start_utc"]) >= w0 - 1e-3) and np.all(_t(s["end_utc"]) <= w1 + 1e-3)
    per_window = s.groupby("pass_id")["duration_s"].sum()
    assert np.all(per_window <= p.loc[per_window.index, "duration_s"] + 1e-3)
    assert p.loc[per_window.index, "scheduled_s"].to_numpy() == pytest.approx(per_window.to_numpy(), abs=2e-3)


def test_every_total_is_the_sum_of_the_schedule_rows(result):
    t, s, p = result.summary["totals"], result.schedule, result.passes
    assert t["contacts"] == len(s) and t["candidate_windows"] == len(p)
    for col, key in TOTAL_COLUMNS.items():  # the payload's energy in contacts is named so in the summary
        assert t[key] == pytest.approx(s[col].sum(), rel=1e-9, abs=1e-12), col
        assert t[key] == pytest.approx(p[col].sum(), rel=1e-9, abs=1e-12), col  # windows sum their contacts
        assert sum(m[key] for m in result.summary["monthly"]) == pytest.approx(t[key], rel=1e-9, abs=1e-12)
        assert sum(r[key] for r in result.summary["by_station"]) == pytest.approx(t[key], rel=1e-9, abs=1e-12)
        assert sum(r[key] for r in result.summary["by_pair"]) == pytest.approx(t[key], rel=1e-9, abs=1e-12)
    assert t["hours"] == pytest.approx(s["duration_s"].sum() / 3600.0)
    # operating time has one definition: the SWaP scheduler's over the span; the rows give the part
    # inside each contact (within the contacts' time), the rest ran outside (merged warm-up leads)
    ops = result.summary["operations"]
    assert t["operating_hours"] == ops["operating_hours"]
    assert s["operating_s"].sum() <= s["duration_s"].sum() + 1e-6
    assert t["operating_hours_in_contacts"] == pytest.approx(s["operating_s"].sum() / 3600.0, rel=1e-12)
    assert t["operating_hours"] == pytest.approx(t["operating_hours_in_contacts"]
                                                 + ops["operating_hours_outside_contacts"], rel=1e-12)
    assert ops["operating_hours_outside_contacts"] >= -1e-9
    assert ops["operating_rule"] == "ground-passes-first"  # the dual-downlink mode's


def test_contact_time_never_exceeds_the_union_of_windows(result):
    p = result.passes
    t0, t1 = _t(p["start_utc"]), _t(p["end_utc"])
    order = np.argsort(t0)
    union, end = 0.0, -np.inf
    for a, b in zip(t0[order], t1[order]):
        union += max(0.0, b - max(a, end))
        end = max(end, b)
    assert result.summary["totals"]["hours"] * 3600.0 <= union + 1e-3


def test_max_pairs_is_never_below_first_come():
    best = skyswap.plan(_scenario(policy="max-pairs")).summary["contact_plan"]
    naive = skyswap.plan(_scenario(policy="first-come")).summary["contact_plan"]
    assert best["expected_heralded_pairs_before_swap_limits"] >= naive["expected_heralded_pairs_before_swap_limits"] - 1e-12


def test_fair_raises_the_worst_served_pair():
    best = skyswap.plan(_scenario(policy="max-pairs")).summary["contact_plan"]
    fair = skyswap.plan(_scenario(policy="fair")).summary["contact_plan"]
    assert fair["worst_pair_share"] >= best["worst_pair_share"] - 1e-12
    assert fair["expected_heralded_pairs_before_swap_limits"] <= best["expected_heralded_pairs_before_swap_limits"] + 1e-12
