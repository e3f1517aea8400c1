"""The global cloud-free grid derived from ITU-R P.840-8: its inversion, interpolation and values."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.groundstations.cloud_grid import (
    BLOCKING_LIQUID_WATER_KG_M2,
    P840_LEVELS_PERCENT,
    bilinear,
    exceedance_percent,
    global_cloud_free_monthly,
    global_cloud_free_probability,
    liquid_water_path_for_optical_depth_kg_m2,
    load_cloud_grid,
)

LEVELS = np.asarray(P840_LEVELS_PERCENT)


def _itu_forward(lred, p):
    """L_red exceeded for p % of the time: linear in ln p between tabulated levels (itur's P.840 code)."""
    return np.interp(np.log(p), np.log(LEVELS), lred)


def test_threshold_is_optical_depth_one_for_ten_micron_droplets():
    # libRadtran: tau = 3/2 CWP / r_eff with CWP in g/m2 and r_eff in um -> CWP = 2/3 * 1 * 10 = 6.67 g/m2
    assert liquid_water_path_for_optical_depth_kg_m2(1.0, 10.0) == pytest.approx(6.6667e-3, rel=1e-4)
    assert BLOCKING_LIQUID_WATER_KG_M2 == pytest.approx(6.6667e-3, rel=1e-4)


@settings(max_examples=200, deadline=None)
@given(steps=st.lists(st.floats(0.0, 0.5), min_size=18, max_size=18),
       p=st.floats(0.11, 98.9))
def test_inversion_undoes_the_recommendation_interpolation(steps, p):
    lred = np.cumsum(steps[::-1])[::-1] + 0.0  # non-increasing in p, ends at steps[-1]
    lred = lred - lred[-1]  # L_red(99 %) = 0: dry most of the time, as over most of the Earth
    threshold = float(_itu_forward(lred, p))
    if not (lred[0] > threshold > lred[-1]) or np.any(np.isclose(lred, threshold)):
        return  # on a flat piece the inverse is a whole interval
    got = float(exceedance_percent(lred, threshold))
    assert float(_itu_forward(lred, got)) == pytest.approx(threshold, rel=1e-9, abs=1e-12)


def test_inversion_edges():
    lred = np.linspace(2.0, 0.0, 18)
    assert exceedance_percent(lred, 3.0) == 0.0  # never that wet
    assert exceedance_percent(np.full(18, 1.0), 0.5) == 99.0  # wetter than that 99 % of the time: the maps say no more
    # exactly at a tabulated level
    assert exceedance_percent(lred, lred[8]) == pytest.approx(LEVELS[8])
    with pytest.raises(ValueError, match="levels"):
        exceedance_percent(lred[:5], 1.0)


def test_bilinear_reproduces_nodes_and_wraps_in_longitude():
    lat = np.array([-10.0, 0.0, 10.0])
    lon = np.arange(0.0, 361.0, 90.0)
    rng = np.random.default_rng(1)
    v = rng.random((3, 5))
    v[:, -1] = v[:, 0]
    for i in range(3):
        for j in range(5):
            assert bilinear(lat, lon, v, lat[i], lon[j]) == pytest.approx(v[i, j])
    assert bilinear(lat, lon, v, 5.0, -90.0) == pytest.approx(bilinear(lat, lon, v, 5.0, 270.0))
    assert bilinear(lat, lon, v, 5.0, -1e-9) == pytest.approx(bilinear(lat, lon, v, 5.0, 0.0), abs=1e-8)
    # midpoint of a cell is the mean of its corners
    assert bilinear(lat, lon, v, 5.0, 45.0) == pytest.approx(v[1:3, 0:2].mean())


def test_shipped_grid_is_the_p840_grid_and_a_probability():
    g = load_cloud_grid()
    assert g.cloud_free.shape == (161, 321)
    assert np.allclose(np.diff(g.latitude_deg), 1.125) and g.latitude_deg[0] == -90.0
    assert np.allclose(np.diff(g.longitude_deg), 1.125) and g.longitude_deg[-1] == 360.0
    assert np.all((g.cloud_free >= 0.0) & (g.cloud_free <= 1.0))
    assert np.array_equal(g.cloud_free[:, 0], g.cloud_free[:, -1])  # 360 repeats 0
    # the Atacama (Paranal) and the eastern Sahara are clear; Ireland and the Amazon basin are not
    atacama, sahara, ireland, amazon = global_cloud_free_probability([-24.6, 25.0, 53.0, -3.0], [-70.4, 25.0, -8.0, -60.0])
    assert atacama > 0.9 and sahara > 0.9 and ireland < 0.5 and amazon < 0.5


def test_values_at_the_cited_stations_are_those_in_the_data_readme():
    # groundstations/data/README.md: Tenerife 0.80, Xinglong 0.75 (tools/make_p840_cloud_grid.py output)
    ten, xing = global_cloud_free_probability([28.3010, 40.3959], [-16.5118, 117.5775])
    assert ten == pytest.approx(0.8001, abs=2e-4) and xing == pytest.approx(0.7494, abs=2e-4)
    assert global_cloud_free_monthly(28.3010, -16.5118) == (round(float(ten), 4),) * 12


@pytest.mark.parametrize("lat, lon", [(95.0, 0.0), (float("nan"), 0.0), (10.0, float("inf"))])
def test_bad_coordinates_are_refused(lat, lon):
    with pytest.raises(ValueError, match="latitude_deg|longitude_deg"):
        global_cloud_free_probability(lat, lon)


def test_grid_ships_as_package_data():
    import fnmatch
    import tomllib
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    patterns = meta["tool"]["setuptools"]["package-data"]["skyswap.groundstations"]
    assert any(fnmatch.fnmatch("data/itu_p840_cloud_free.npz", p) for p in patterns)
