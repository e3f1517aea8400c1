"""Moonlit sky: the Krisciunas & Schaefer (1991) phase law of the Moon's brightness."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from skyswap.groundstations import background


def test_moon_phase_law_at_quarter_and_full():
    # K&S 1991 Eq. 20: m(α) = −12.73 + 0.026|α| + 4e-9 α⁴; at α = 90° the Moon is 2.60 mag fainter than full
    assert background.moon_brightness_relative_to_full(1.0) == pytest.approx(1.0)
    quarter_mag = 0.026 * 90.0 + 4e-9 * 90.0**4
    assert background.moon_brightness_relative_to_full(0.5) == pytest.approx(10 ** (-0.4 * quarter_mag), rel=1e-9)
    assert 0.08 < background.moon_brightness_relative_to_full(0.5) < 0.10  # far below the lit fraction 0.5
    assert background.moon_brightness_relative_to_full(0.0) < 1e-3  # new Moon: 8.9 mag below full


@given(a=st.floats(0.0, 1.0), b=st.floats(0.0, 1.0))
def test_moon_brighter_when_more_lit(a, b):
    lo, hi = sorted((a, b))
    assert background.moon_brightness_relative_to_full(lo) <= background.moon_brightness_relative_to_full(hi)


def test_sky_radiance_adds_the_phased_moon_only_above_the_horizon():
    sun = np.full(3, -30.0)
    moon_el = np.array([30.0, 30.0, -1.0])
    lit = np.array([1.0, 0.5, 1.0])
    rad = background.sky_radiance(sun, moon_el, lit)
    dark, full = background.DARK_SKY_RADIANCE, background.FULL_MOON_RADIANCE
    assert rad[0] == pytest.approx(dark + full)
    assert rad[1] == pytest.approx(dark + full * background.moon_brightness_relative_to_full(0.5))
    assert rad[2] == pytest.approx(dark)
