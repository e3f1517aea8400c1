"""The map's grid: regular latitude × longitude cells over a region, and which of them are land.

Cells are ``resolution_deg`` wide from the region's south-west corner (the last row and column
are clipped to the region); each candidate station sits at its cell's centre, at the cell's mean
land height, and a cell is evaluated when at least ``min_land_fraction`` of it is land
(:mod:`groundstations.topography`, ITU-R P.1511-2).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...groundstations.topography import cell_land_and_altitude
from ..scenario.errors import InputError, option_number

#: Finest and coarsest grid. [deg] (Finer than the packaged 0.25° topography adds no information.)
MIN_RESOLUTION_DEG, MAX_RESOLUTION_DEG = 0.25, 10.0
#: Most cells (land and sea) one map may have: a global 0.5° grid. [1]
MAX_CELLS = 360 * 720
GLOBAL = (-90.0, 90.0, -180.0, 180.0)


def parse_region(text: str | None) -> tuple[float, float, float, float]:
    """``LAT0,LAT1,LON0,LON1`` (degrees, south < north, west < east, no antimeridian crossing) or
    the whole globe for None; one InputError naming ``--region`` and the value otherwise."""
    if text is None:
        return GLOBAL
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 4:
        raise InputError("--region", text, "expected LAT0,LAT1,LON0,LON1 (degrees: south, north, west, east)")
    lat0, lat1, lon0, lon1 = (option_number("--region", text, label, raw)
                              for label, raw in zip(("LAT0", "LAT1", "LON0", "LON1"), parts))
    if not (-90.0 <= lat0 < lat1 <= 90.0):
        raise InputError("--region", text, "latitudes must satisfy -90 <= LAT0 < LAT1 <= 90")
    if not (-180.0 <= lon0 < lon1 <= 180.0):
        raise InputError("--region", text, "longitudes must satisfy -180 <= LON0 < LON1 <= 180 (no antimeridian crossing)")
    return lat0, lat1, lon0, lon1


def check_resolution(resolution_deg: float) -> float:
    """The grid step, within bounds (one InputError naming ``--resolution`` otherwise). [deg]"""
    r = float(resolution_deg)
    if not (math.isfinite(r) and MIN_RESOLUTION_DEG <= r <= MAX_RESOLUTION_DEG):
        raise InputError("--resolution", resolution_deg,
                         f"must be between {MIN_RESOLUTION_DEG:g} and {MAX_RESOLUTION_DEG:g} degrees")
    return r


@dataclass(frozen=True)
class MapGrid:
    """The cells of a map.

    Attributes
    ----------
    resolution_deg : float  [deg]
    region : tuple (lat0, lat1, lon0, lon1)  [deg]
    latitude_edges_deg, longitude_edges_deg : ndarray (n + 1,)  [deg]
    latitude_deg, longitude_deg : ndarray (n_lat,), (n_lon,)
        Cell centres. [deg]
    land_fraction, altitude_m : ndarray (n_lat, n_lon)
        Land share and mean land height of each cell. [1], [m]
    evaluated : ndarray of bool (n_lat, n_lon)
        Cells with at least ``min_land_fraction`` land.
    """

    resolution_deg: float
    region: tuple
    latitude_edges_deg: np.ndarray
    longitude_edges_deg: np.ndarray
    latitude_deg: np.ndarray
    longitude_deg: np.ndarray
    land_fraction: np.ndarray
    altitude_m: np.ndarray
    evaluated: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """(n_lat, n_lon)."""
        return self.latitude_deg.size, self.longitude_deg.size

    def cells(self) -> np.ndarray:
        """Flat (row-major) indices of the evaluated cells, increasing."""
        return np.flatnonzero(self.evaluated.ravel())

    def centre(self, cell) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of flat cell indices. [deg]"""
        i, j = np.divmod(np.asarray(cell), self.longitude_deg.size)
        return self.latitude_deg[i], self.longitude_deg[j]


def _edges(lo: float, hi: float, step: float) -> np.ndarray:
    n = max(1, int(math.ceil((hi - lo) / step - 1e-9)))
    return np.minimum(lo + step * np.arange(n + 1), hi)


def make_grid(resolution_deg: float, region=GLOBAL, min_land_fraction: float = 0.5) -> MapGrid:
    """The map's cells over ``region`` (see the module docstring)."""
    r = check_resolution(resolution_deg)
    lat0, lat1, lon0, lon1 = region
    lat_e, lon_e = _edges(lat0, lat1, r), _edges(lon0, lon1, r)
    n = (lat_e.size - 1) * (lon_e.size - 1)
    if n > MAX_CELLS:
        raise InputError("--resolution", resolution_deg, f"gives {n:,} cells over the region, more than {MAX_CELLS:,}: "
                                                         "use a coarser grid or a smaller --region")
    land, alt = cell_land_and_altitude(lat_e, lon_e)
    return MapGrid(r, (lat0, lat1, lon0, lon1), lat_e, lon_e, 0.5 * (lat_e[:-1] + lat_e[1:]),
                   0.5 * (lon_e[:-1] + lon_e[1:]), land, alt, land >= min_land_fraction)
