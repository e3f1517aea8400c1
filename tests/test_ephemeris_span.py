"""One source for the ephemeris limits: the spans a scenario may ask for lie inside the DE421 file
that skyfield-data installs (read here from the file itself), and a span at either edge plans."""
from __future__ import annotations

from datetime import timedelta

import pytest

import skyswap
from skyswap.mission.orbits import skydata
from skyswap.mission.scenario import InputError, parse_scenario
from skyswap.mission.scenario.schema import EPHEMERIS_SPAN_UTC


def _scenario(start, days=1.0):
    return {"name": "edge", "span": {"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "days": days},
            "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
            "stations": ["Delingha", "Nanshan"], "outputs": {"draws": 0}}


def test_the_allowed_spans_lie_a_day_inside_the_installed_ephemeris():
    ts = skydata.timescale()
    segments = skydata.ephemeris().spk.segments
    first = max(s.start_jd for s in segments)  # every body is needed
    last = min(s.end_jd for s in segments)
    lo, hi = (ts.from_datetime(t).tdb for t in EPHEMERIS_SPAN_UTC)
    assert lo - first == pytest.approx(1.0, abs=0.01)
    assert last - hi == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("edge", ["start", "end"])
def test_a_span_at_either_edge_plans(edge):
    lo, hi = EPHEMERIS_SPAN_UTC
    start = lo if edge == "start" else hi - timedelta(days=1)
    result = skyswap.plan(parse_scenario(_scenario(start)))
    assert result.summary["span"]["days"] == 1.0


@pytest.mark.parametrize("start, days", [(EPHEMERIS_SPAN_UTC[0] - timedelta(hours=1), 1.0),
                                         (EPHEMERIS_SPAN_UTC[1] - timedelta(days=1), 1.05)])
def test_a_span_past_either_edge_is_refused(start, days):
    with pytest.raises(InputError, match="DE421"):
        parse_scenario(_scenario(start, days))
