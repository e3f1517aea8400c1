"""Land and height anywhere on Earth from the ITU-R P.1511-2 topography, for site maps.

The shipped grid ``data/itu_p1511_topography.npz`` holds, on 0.25° cells, the fraction of each
cell that is not sea and the mean height above mean sea level of that part, derived from the
topographic map of Recommendation ITU-R P.1511-2 [1] (heights on a 1/12° grid, the sea stored as
0 m) as packaged by the ``itur`` package [2], by ``tools/make_p1511_topography.py`` (see
``data/README.md``). What the grid is and is not:

- "not sea" is a height different from 0 m in the source: land and ice sheets, and inland water
  (the Caspian Sea at −28 m, the Great Lakes at their surface) counts as land;
- a cell's height is the mean of its land nodes: a mountain observatory on a summit sits higher
  than its cell's mean, a valley station lower;
- heights are above mean sea level (the geoid); skyswap's stations give height above the WGS-84
  ellipsoid, which differs by the geoid undulation (−106 … +85 m), left out here.

References
----------
.. [1] Recommendation ITU-R P.1511-2 (08/2019), "Topography for Earth-to-space propagation
   modelling", digital map of topographic height above mean sea level on a 1/12° grid.
.. [2] I. del Portillo, "ITU-Rpy: A python implementation of the ITU-R P. Recommendations",
   ``itur`` 0.4.0 (PyPI, MIT licence), files ``itur/data/1511/v2_topo.npz``, ``v2_lat.npz``,
   ``v2_lon.npz`` (``itur/models/itu1511.py``: "values of topographical height above mean sea
   level ... provided on a 1/12° grid", in metres for version 2).
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

#: Cell size of the shipped grid. [deg]
CELL_DEG = 0.25
#: Scale of the stored land fractions (value = integer · scale). [1]
LAND_SCALE = 0.01
GRID_FILE = "data/itu_p1511_topography.npz"
GRID_SOURCE = ("ITU-R P.1511-2 (08/2019) topography, as packaged in itur 0.4.0: per 0.25° cell the fraction of 1/12° "
               "nodes not at sea level and their mean height above mean sea level (groundstations/data/README.md)")


def aggregate_cells(height_m: np.ndarray, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """Land fraction and mean land height of blocks of ``factor`` × ``factor`` nodes.

    Parameters
    ----------
    height_m : ndarray, shape (n_lat, n_lon)
        Height above mean sea level at the nodes, the sea exactly 0. [m]
    factor : int
        Nodes per output cell along each axis (both shapes must divide by it).

    Returns
    -------
    land_fraction : ndarray, shape (n_lat / factor, n_lon / factor)
        Fraction of the block's nodes whose height is not 0. [1]
    altitude_m : ndarray, same shape
        Mean height of those nodes (0 where there are none). [m]
    """
    h = np.asarray(height_m, float)
    n_lat, n_lon = h.shape
    if n_lat % factor or n_lon % factor:
        raise ValueError(f"grid {h.shape} does not divide into blocks of {factor}")
    blocks = h.reshape(n_lat // factor, factor, n_lon // factor, factor)
    land = blocks != 0.0
    count = land.sum(axis=(1, 3))
    total = np.where(land, blocks, 0.0).sum(axis=(1, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        altitude = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return count / float(factor * factor), altitude


@dataclass(frozen=True)
class Topography:
    """A global grid of land fraction and land height on cells of ``cell_deg``.

    Attributes
    ----------
    latitude_deg : ndarray (n_lat,)
        Cell-centre latitudes, increasing. [deg]
    longitude_deg : ndarray (n_lon,)
        Cell-centre longitudes, −180 … 180 increasing. [deg]
    land_fraction : ndarray (n_lat, n_lon)
        Fraction of the cell that is not sea. [1]
    altitude_m : ndarray (n_lat, n_lon)
        Mean height of the cell's land above mean sea level. [m]
    cell_deg : float
        Cell size. [deg]
    source : str
    """

    latitude_deg: np.ndarray
    longitude_deg: np.ndarray
    land_fraction: np.ndarray
    altitude_m: np.ndarray
    cell_deg: float
    source: str


@functools.lru_cache(maxsize=1)
def load_topography() -> Topography:
    """The shipped ITU-R P.1511-2 grid (``groundstations/data/itu_p1511_topography.npz``)."""
    raw = resources.files(__package__).joinpath(GRID_FILE).read_bytes()
    with np.load(io.BytesIO(raw)) as f:
        lat, lon = f["latitude_deg"].astype(float), f["longitude_deg"].astype(float)
        land = f["land_fraction_e2"].astype(float) * LAND_SCALE
        alt = f["altitude_m"].astype(float)
    return Topography(lat, lon, land, alt, CELL_DEG, GRID_SOURCE)


def cell_land_and_altitude(latitude_edges_deg, longitude_edges_deg, topo: Topography | None = None):
    """Land fraction and mean land height of the cells of a regular grid given by its edges.

    Each shipped 0.25° cell counts towards the grid cell that holds its centre; a grid cell's land
    fraction is the mean of its shipped cells' fractions, its height their land-weighted mean
    height. Grid cells smaller than the shipped cells take the shipped cell under their centre.

    Parameters
    ----------
    latitude_edges_deg : ndarray (n_lat + 1,)
        Increasing edges within [−90, 90]. [deg]
    longitude_edges_deg : ndarray (n_lon + 1,)
        Increasing edges within [−180, 180] (a region does not cross the antimeridian). [deg]
    topo : Topography, optional
        Default: the shipped grid.

    Returns
    -------
    land_fraction, altitude_m : ndarray (n_lat, n_lon)  [1], [m]
    """
    t = topo or load_topography()
    lat_e = np.asarray(latitude_edges_deg, float)
    lon_e = np.asarray(longitude_edges_deg, float)
    n_lat, n_lon = lat_e.size - 1, lon_e.size - 1
    i = np.searchsorted(lat_e, t.latitude_deg, side="right") - 1
    j = np.searchsorted(lon_e, t.longitude_deg, side="right") - 1
    rows = np.flatnonzero((i >= 0) & (i < n_lat))
    cols = np.flatnonzero((j >= 0) & (j < n_lon))
    land = t.land_fraction[np.ix_(rows, cols)]
    alt = t.altitude_m[np.ix_(rows, cols)]
    cell = (i[rows][:, None] * n_lon + j[cols][None, :]).ravel()
    count = np.bincount(cell, minlength=n_lat * n_lon)
    land_sum = np.bincount(cell, weights=land.ravel(), minlength=n_lat * n_lon)
    alt_sum = np.bincount(cell, weights=(land * alt).ravel(), minlength=n_lat * n_lon)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(count > 0, land_sum / np.maximum(count, 1), np.nan)
        altitude = np.where(land_sum > 0, alt_sum / np.where(land_sum > 0, land_sum, 1.0), 0.0)
    empty = count == 0  # cells smaller than the shipped grid: the shipped cell under the centre
    if np.any(empty):
        k = np.flatnonzero(empty)
        lat_c = 0.5 * (lat_e[:-1] + lat_e[1:])[k // n_lon]
        lon_c = 0.5 * (lon_e[:-1] + lon_e[1:])[k % n_lon]
        fraction[k], altitude[k] = point_land_and_altitude(lat_c, lon_c, t)
    return fraction.reshape(n_lat, n_lon), altitude.reshape(n_lat, n_lon)


def point_land_and_altitude(latitude_deg, longitude_deg, topo: Topography | None = None):
    """Land fraction and mean land height of the shipped cell holding each point. [1], [m]"""
    t = topo or load_topography()
    lat = np.asarray(latitude_deg, float)
    lon = (np.asarray(longitude_deg, float) + 180.0) % 360.0 - 180.0
    i = np.clip(np.floor((lat + 90.0) / t.cell_deg).astype(int), 0, t.latitude_deg.size - 1)
    j = np.clip(np.floor((lon + 180.0) / t.cell_deg).astype(int), 0, t.longitude_deg.size - 1)
    return t.land_fraction[i, j], t.altitude_m[i, j]
