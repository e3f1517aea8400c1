"""Issue 23 item 4: gap and revisit statistics per station and pair (what an access report gives)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skyswap import load_scenario, plan
from skyswap.mission.outputs.report import render_html
from skyswap.mission.outputs.revisit import VISIT_MERGE_S, gap_statistics, visits
from tests.report_pages import parse

E2E = Path(__file__).parent / "data" / "e2e.yaml"
SPAN = {"start_utc": "2027-01-01T00:00:00Z", "end_utc": "2027-01-04T00:00:00Z"}


def _t(day: int, hh: int, mm: int, ss: int = 0) -> str:
    return f"2027-01-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z"


def test_visits_merge_contacts_of_one_pass():
    v = visits([0.0, 400.0, 350.0, 5000.0, 90000.0], [300.0, 500.0, 1000.0, 5100.0, 90100.0], merge_s=1200.0)
    # 0-300, 350-1000 and 400-500 are one visit (50 s apart, overlapping); 5000 is 4000 s later: a new one
    assert v.tolist() == [[0.0, 1000.0], [5000.0, 5100.0], [90000.0, 90100.0]]
    assert visits([], []).shape == (0, 2)


def test_gaps_by_hand():
    """Delingha: a pass served in two contacts (one visit), the next night's pass, and a third; the pair
    Delingha–Nanshan only the first two; Lijiang only once (no gap to measure)."""
    schedule = pd.DataFrame([
        ("Delingha", "Nanshan", _t(1, 15, 0), _t(1, 15, 4)),
        ("Delingha", "Nanshan", _t(1, 15, 5), _t(1, 15, 8)),    # the same pass: one visit 15:00-15:08
        ("Delingha", "Nanshan", _t(2, 14, 30), _t(2, 14, 38)),  # gap 23 h 22 min
        ("Delingha", "", _t(2, 16, 10), _t(2, 16, 12)),         # gap 1 h 32 min (a single-station contact)
        ("Lijiang", "", _t(3, 2, 0), _t(3, 2, 6)),
    ], columns=["station_a", "station_b", "start_utc", "end_utc"])
    rev = gap_statistics(schedule, SPAN, ["Delingha", "Nanshan", "Lijiang", "Graz"])
    st = {r["station"]: r for r in rev["by_station"]}
    d = st["Delingha"]
    gaps_h = [23 + 22 / 60, 1 + 32 / 60]
    assert d["visits"] == 3
    assert d["mean_gap_h"] == pytest.approx(np.mean(gaps_h)) and d["max_gap_h"] == pytest.approx(gaps_h[0])
    assert d["median_gap_h"] == pytest.approx(np.median(gaps_h))
    assert d["mean_revisit_h"] == pytest.approx(np.mean([23.5, 1 + 40 / 60]))  # 15:00 -> 14:30 -> 16:10
    assert d["max_gap_from_utc"] == _t(1, 15, 8)
    assert d["before_first_h"] == pytest.approx(15.0) and d["after_last_h"] == pytest.approx(24 + 7 + 48 / 60)
    assert st["Nanshan"]["visits"] == 2 and st["Nanshan"]["max_gap_h"] == pytest.approx(gaps_h[0])
    assert st["Lijiang"]["visits"] == 1 and st["Lijiang"]["mean_gap_h"] is None
    assert st["Graz"]["visits"] == 0 and st["Graz"]["before_first_h"] is None
    assert [(r["station_a"], r["station_b"], r["visits"]) for r in rev["by_pair"]] == [("Delingha", "Nanshan", 2)]
    assert rev["visit_merge_s"] == VISIT_MERGE_S


def test_gaps_of_a_plan_add_up_to_the_span_and_show_in_the_report():
    """Before the first visit, the visits, the gaps and after the last fill the span exactly."""
    res = plan(load_scenario(E2E))
    rev = res.summary["revisit"]
    span_h = res.summary["span"]["days"] * 24.0
    sched = res.schedule
    assert [r["station"] for r in rev["by_station"]] == [s for s in res.stations["name"]]
    for r in rev["by_station"] + rev["by_pair"]:
        if "station" in r:
            name = r["station"]
            sel = (sched["station_a"] == name) | (sched["station_b"] == name)
        else:
            sel = (sched["station_a"] == r["station_a"]) & (sched["station_b"] == r["station_b"])
        start, end = ((pd.to_datetime(sched.loc[sel, c], utc=True, format="ISO8601")
                       - pd.Timestamp("2027-01-01", tz="UTC")).dt.total_seconds().to_numpy()
                      for c in ("start_utc", "end_utc"))
        v = visits(start, end)
        assert r["visits"] == len(v) <= int(sel.sum())
        if r["visits"] >= 2:
            busy_h = float(np.sum(v[:, 1] - v[:, 0])) / 3600.0
            gaps_h = r["mean_gap_h"] * (r["visits"] - 1)
            assert r["before_first_h"] + busy_h + gaps_h + r["after_last_h"] == pytest.approx(span_h, abs=1e-6)
            assert r["max_gap_h"] >= r["median_gap_h"] >= VISIT_MERGE_S / 3600.0
    page = render_html(res)
    table = parse(page).tables["skyswap-gaps"]
    assert [row["key"] for row in table] == [r["station"] for r in rev["by_station"]] + [
        f"{r['station_a']}–{r['station_b']}" for r in rev["by_pair"]]
    assert "Gaps between served contacts: the longest, " in page and "skyswap-gaps-details\" open>" in page
