"""Cloud-free probability anywhere on Earth from the ITU-R P.840 cloud liquid water maps.

The shipped grid ``data/itu_p840_cloud_free.npz`` holds, on the 1.125° latitude × longitude grid
of Recommendation ITU-R P.840-8 [1], the fraction of an average year during which the reduced
total columnar content of cloud liquid water L_red stays *below* a blocking threshold: the
probability that a line of sight is free of liquid-water cloud thick enough to block an optical
link. It was derived from the annual exceedance maps L_red(p), p = 0.1 … 99 % of the time, of
P.840-8 as packaged by the ``itur`` package [2] by ``tools/make_p840_cloud_grid.py`` (see
``data/README.md``). What the grid is and is not:

- annual, all hours (day and night): P.840's maps as packaged have no months (the
  Recommendation's monthly maps are not in ``itur``), so every month gets the annual value;
- liquid water only: ice cloud (cirrus), which also blocks or dims an optical link, is not in
  the maps, so the probability is an upper bound on a clear line of sight;
- a reanalysis grid cell of ~125 km, at the cell's mean surface: a mountain observatory above a
  marine inversion (Tenerife) or in a dry valley sees other skies than the cell average.

Measured against 15 cited sites the grid is high by +0.07 on average; the planner uses it scaled by
the factor fitted there (:mod:`groundstations.cloud_bias`, docs/weather.md §2).

Blocking threshold (assumption): a cloud of optical depth τ ≥ 1 blocks the link (e^−1, −4.3 dB
more on a link with no margin to spare). In the geometric-optics limit τ = (3/2)·LWP/(ρ_w·r_eff)
[3]; with r_eff = 10 µm (assumption, a typical water-cloud droplet) τ = 1 is LWP = 6.7 g/m²
= 0.0067 kg/m². L_red is the liquid water content reduced to 0 °C for microwave attenuation [1];
it is used as the liquid water path here.

References
----------
.. [1] Recommendation ITU-R P.840-8 (08/2019), "Attenuation due to clouds and fog", digital maps
   of the annual statistics of reduced total columnar content of cloud liquid water (the files
   are those of P.840-7 (12/2017): the ``itur`` source says so, ``itur/models/itu840.py``).
.. [2] I. del Portillo, "ITU-Rpy: A python implementation of the ITU-R P. Recommendations",
   ``itur`` 0.4.0 (PyPI, MIT licence), files ``itur/data/840/v7_lred_*.npz``, ``v7_lat.npz``,
   ``v7_lon.npz``; its interpolation in p is linear in ln p (``itu840.py``,
   ``__fcn_columnar_content_reduced_liquid__``) and bilinear in latitude and longitude.
.. [3] libRadtran user area, "Converting cloud water path to cloud optical depth":
   τ = (3/2)·CWP/r_eff in the geometric-optics limit (solar spectrum).
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

#: Percentages of an average year for which ITU-R P.840-8 maps the exceeded L_red. [%]
P840_LEVELS_PERCENT = (0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0,
                       60.0, 70.0, 80.0, 90.0, 95.0, 99.0)
#: Droplet effective radius for the blocking threshold (assumption: a typical water cloud). [µm]
EFFECTIVE_RADIUS_UM = 10.0
#: Cloud optical depth that blocks a link (assumption). [1]
BLOCKING_OPTICAL_DEPTH = 1.0
#: Scale of the integers stored in the grid file (value = integer · scale). [1]
GRID_SCALE = 1e-4

GRID_FILE = "data/itu_p840_cloud_free.npz"
GRID_SOURCE = ("ITU-R P.840-8 (08/2019) annual maps of reduced cloud liquid water, as packaged in itur 0.4.0: "
               "fraction of the year with L_red below the optical blocking threshold (liquid cloud only, all hours; "
               "groundstations/data/README.md)")


def liquid_water_path_for_optical_depth_kg_m2(optical_depth, effective_radius_um=EFFECTIVE_RADIUS_UM):
    """Liquid water path of a cloud of given optical depth (geometric optics, [3]).

    LWP = (2/3)·τ·ρ_w·r_eff, the inverse of τ = (3/2)·LWP/(ρ_w·r_eff), ρ_w = 1000 kg/m³.

    Parameters
    ----------
    optical_depth : float or ndarray
        Cloud optical depth τ. [1]
    effective_radius_um : float
        Droplet effective radius. [µm]

    Returns
    -------
    float or ndarray  [kg/m²]
    """
    return 2.0 / 3.0 * np.asarray(optical_depth, float) * 1000.0 * effective_radius_um * 1e-6  # τ = 3/2·CWP/r_eff of [3]


#: The blocking threshold on L_red: τ = 1 at r_eff = 10 µm. [kg/m²]
BLOCKING_LIQUID_WATER_KG_M2 = float(liquid_water_path_for_optical_depth_kg_m2(BLOCKING_OPTICAL_DEPTH))


def exceedance_percent(lred_kg_m2, threshold_kg_m2, levels_percent=P840_LEVELS_PERCENT):
    """Percentage of the time that L_red exceeds ``threshold_kg_m2``, from the P.840 exceedance maps.

    The inverse of the Recommendation's interpolation between its tabulated levels (L_red linear in
    ln p, [2]): between the two levels whose L_red bracket the threshold, ln p is interpolated
    linearly. A threshold above L_red(0.1 %) gives 0; one at or below L_red(99 %) gives 99 (the
    maps say no more).

    Parameters
    ----------
    lred_kg_m2 : ndarray, shape (n_levels, ...)
        L_red exceeded for each of ``levels_percent`` of the time (non-increasing along axis 0). [kg/m²]
    threshold_kg_m2 : float
        Blocking threshold. [kg/m²]
    levels_percent : sequence of float
        The tabulated percentages, increasing. [%]

    Returns
    -------
    ndarray, shape (...)  [%]
    """
    lred = np.asarray(lred_kg_m2, float)
    levels = np.asarray(levels_percent, float)
    if lred.shape[0] != levels.size:
        raise ValueError(f"lred_kg_m2 has {lred.shape[0]} levels, levels_percent {levels.size}")
    lred = np.minimum.accumulate(lred, axis=0)  # exceedance is non-increasing in p; rounding in the maps may break it
    above = lred >= threshold_kg_m2  # True for the levels (small p) at which L_red still reaches the threshold
    k = above.sum(axis=0)  # number of levels with L_red ≥ threshold; they are the first k
    out = np.where(k >= levels.size, levels[-1], 0.0)
    inner = (k > 0) & (k < levels.size)
    if np.any(inner):
        i = np.clip(k - 1, 0, levels.size - 2)
        l_lo = np.take_along_axis(lred, i[None], axis=0)[0]
        l_hi = np.take_along_axis(lred, (i + 1)[None], axis=0)[0]
        ln_lo, ln_hi = np.log(levels[i]), np.log(levels[i + 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(l_lo > l_hi, (l_lo - threshold_kg_m2) / (l_lo - l_hi), 0.0)
        out = np.where(inner, np.exp(ln_lo + frac * (ln_hi - ln_lo)), out)  # L_red linear in ln p, as in [2]
    return out


@dataclass(frozen=True)
class CloudGrid:
    """A global latitude × longitude grid of cloud-free probability.

    Attributes
    ----------
    latitude_deg : ndarray, shape (n_lat,)
        Increasing latitudes of the rows. [deg]
    longitude_deg : ndarray, shape (n_lon,)
        Increasing longitudes east of the columns, 0 … 360 inclusive. [deg]
    cloud_free : ndarray, shape (n_lat, n_lon)
        Probability of no blocking liquid cloud. [1]
    source : str
        Where the numbers come from.
    """

    latitude_deg: np.ndarray
    longitude_deg: np.ndarray
    cloud_free: np.ndarray
    source: str


@functools.lru_cache(maxsize=1)
def load_cloud_grid() -> CloudGrid:
    """The shipped ITU-R P.840 cloud-free grid (``groundstations/data/itu_p840_cloud_free.npz``)."""
    raw = resources.files(__package__).joinpath(GRID_FILE).read_bytes()
    with np.load(io.BytesIO(raw)) as f:
        lat, lon = f["latitude_deg"].astype(float), f["longitude_deg"].astype(float)
        values = f["cloud_free_e4"].astype(float) * GRID_SCALE
    return CloudGrid(lat, lon, values, GRID_SOURCE)


def bilinear(grid_lat_deg, grid_lon_deg, values, latitude_deg, longitude_deg):
    """Bilinear interpolation on a regular latitude × longitude grid, periodic in longitude.

    Parameters
    ----------
    grid_lat_deg : ndarray, shape (n_lat,)
        Increasing latitudes. [deg]
    grid_lon_deg : ndarray, shape (n_lon,)
        Increasing longitudes spanning 0 … 360 (the 360 column repeats the 0 column). [deg]
    values : ndarray, shape (n_lat, n_lon)
    latitude_deg, longitude_deg : float or ndarray
        Where to interpolate (any longitude, folded into [0, 360)). [deg]

    Returns
    -------
    ndarray
    """
    lat = np.clip(np.asarray(latitude_deg, float), grid_lat_deg[0], grid_lat_deg[-1])
    lon = np.mod(np.asarray(longitude_deg, float), 360.0)
    i = np.clip(np.searchsorted(grid_lat_deg, lat, side="right") - 1, 0, grid_lat_deg.size - 2)
    j = np.clip(np.searchsorted(grid_lon_deg, lon, side="right") - 1, 0, grid_lon_deg.size - 2)
    u = (lat - grid_lat_deg[i]) / (grid_lat_deg[i + 1] - grid_lat_deg[i])
    v = (lon - grid_lon_deg[j]) / (grid_lon_deg[j + 1] - grid_lon_deg[j])
    return ((1 - u) * (1 - v) * values[i, j] + (1 - u) * v * values[i, j + 1]
            + u * (1 - v) * values[i + 1, j] + u * v * values[i + 1, j + 1])


def global_cloud_free_probability(latitude_deg, longitude_deg):
    """Annual probability of a line of sight free of blocking liquid cloud, anywhere on Earth.

    Bilinear interpolation of the shipped ITU-R P.840-8 grid (module docstring: liquid water only,
    all hours, annual; an upper bound on a clear line of sight).

    Parameters
    ----------
    latitude_deg : float or ndarray
        Geodetic latitude. [deg]
    longitude_deg : float or ndarray
        Longitude east (any range). [deg]

    Returns
    -------
    ndarray  [1]
    """
    lat = np.asarray(latitude_deg, float)
    if np.any(~np.isfinite(lat)) or np.any(np.abs(lat) > 90.0):
        raise ValueError(f"latitude_deg {latitude_deg!r} is not within [-90, 90]")
    if np.any(~np.isfinite(np.asarray(longitude_deg, float))):
        raise ValueError(f"longitude_deg {longitude_deg!r} is not finite")
    g = load_cloud_grid()
    return np.clip(bilinear(g.latitude_deg, g.longitude_deg, g.cloud_free, lat, longitude_deg), 0.0, 1.0)


def global_cloud_free_monthly(latitude_deg: float, longitude_deg: float) -> tuple[float, ...]:
    """Twelve monthly cloud-free probabilities at a site: the annual grid value for every month.

    Parameters
    ----------
    latitude_deg, longitude_deg : float  [deg]

    Returns
    -------
    tuple of 12 float  [1]
    """
    p = round(float(global_cloud_free_probability(latitude_deg, longitude_deg)), 4)
    return (p,) * 12
