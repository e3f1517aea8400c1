"""The packaged ITU-R P.1511-2 topography grid: land mask and height for the site map."""
import numpy as np
import pytest

from skyswap.groundstations import topography
from skyswap.groundstations.catalog import load_catalog


def test_area_weighted_land_fraction_matches_the_earths_land_share():
    # 361.2 of 510.1 million km² of the Earth's surface is ocean (70.8 %): 29.2 % is not (land,
    # ice sheets and inland water, which the grid counts as land)
    g = topography.load_topography()
    w = np.cos(np.radians(g.latitude_deg))[:, None] * np.ones_like(g.land_fraction)
    assert float((g.land_fraction * w).sum() / w.sum()) == pytest.approx(1.0 - 361.2 / 510.1, abs=0.01)


def test_open_ocean_is_sea_and_high_plateaus_are_high():
    land, alt = topography.point_land_and_altitude([30.0, -45.0, 0.0], [-40.0, -120.0, -150.0])
    assert np.all(land == 0.0) and np.all(alt == 0.0)
    land, alt = topography.point_land_and_altitude(29.65, 91.1)  # Lhasa, Tibetan plateau
    assert land == 1.0 and alt > 3500.0
    land, alt = topography.point_land_and_altitude(42.0, 50.5)  # the Caspian Sea, 28 m below sea level
    assert land == 1.0 and -40.0 < alt < -15.0


def test_catalog_stations_are_on_land_near_their_height():
    # a 0.25° cell's mean height differs from a station on its summit or slope by a few hundred metres
    for st in load_catalog().values():
        land, alt = topography.point_land_and_altitude(st.latitude_deg, st.longitude_deg)
        assert land > 0.5, st.name
        assert abs(alt - st.altitude_m) < (1400.0 if st.name == "Tenerife" else 600.0), st.name


def test_coarse_cells_average_the_shipped_cells():
    g = topography.load_topography()
    lat_e, lon_e = np.array([44.0, 46.0]), np.array([6.0, 8.0])  # the Alps: 8 x 8 shipped cells
    land, alt = topography.cell_land_and_altitude(lat_e, lon_e)
    i = (g.latitude_deg > 44) & (g.latitude_deg < 46)
    j = (g.longitude_deg > 6) & (g.longitude_deg < 8)
    sub_land = g.land_fraction[np.ix_(i, j)]
    assert land[0, 0] == pytest.approx(sub_land.mean())
    assert alt[0, 0] == pytest.approx((sub_land * g.altitude_m[np.ix_(i, j)]).sum() / sub_land.sum())
    assert alt[0, 0] > 1000.0


def test_aggregate_cells_counts_nodes_off_sea_level():
    h = np.array([[0, 10, 0, 0], [0, -20, 0, 0]], float)
    land, alt = topography.aggregate_cells(h, 2)
    assert land.tolist() == [[0.5, 0.0]]
    assert alt.tolist() == [[-5.0, 0.0]]
