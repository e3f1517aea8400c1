"""Sunlit intervals: short eclipses at the edge of a dawn–dusk orbit's eclipse season are found."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from skyswap.mission.orbits import frames, skydata
from skyswap.mission.orbits.sources import (
    EARTH_RADIUS_KM,
    satrec_from_elements,
    sun_synchronous_inclination_deg,
    sun_synchronous_raan_deg,
)
from skyswap.mission.windows import geometry, passes


def test_eclipses_shorter_than_a_grid_step_are_found():
    """A 500 km dawn–dusk orbit enters its 2027 eclipse season around day 119 with eclipses of
    ~40 s, well under the coarse step: the search finds the same eclipses as a 10 s scan."""
    epoch = datetime(2027, 1, 1, tzinfo=UTC)
    a = EARTH_RADIUS_KM + 500.0
    satrec = satrec_from_elements(a, 0.0, sun_synchronous_inclination_deg(a), sun_synchronous_raan_deg(18.0, epoch),
                                  0.0, 0.0, epoch)
    start = epoch + timedelta(days=117)
    t0 = skydata.timescale().from_datetime(start)
    span_s = 4 * 86400.0
    sun, _ = frames.body_tracks(float(t0.tt), span_s)
    default = geometry.sunlit_intervals(satrec, t0, span_s, sun)
    fine = geometry.sunlit_intervals(satrec, t0, span_s, sun, passes.coarse_track(satrec, t0, span_s, 10.0))
    eclipses = fine[1:, 0] - fine[:-1, 1]
    assert len(fine) > 10 and eclipses.min() < 0.5 * passes.COARSE_STEP_S  # the case is real
    assert default.shape == fine.shape
    np.testing.assert_allclose(default, fine, atol=0.05)
