"""The ITU-R P.840 grid's bias on published usable-night fractions, and its correction.

The global grid (:mod:`groundstations.cloud_grid`) is the fraction of an average year, day and
night, free of blocking *liquid* cloud on a ~125 km cell. At the cited sites
(``data/cloud_climatology.json``, ``sites``: satellite clear nights, spectroscopic or useful nights,
usable night-time hours) it is higher than the published value at all but one: ice cloud (cirrus)
blocks too and is not in P.840, and a night counts as usable only if it stays so for hours. The one
exception is a summit above the inversion of a cloudy cell (Mauna Kea), which no map of the cell
can see.

The correction is one number, a scale k on the grid:

    p_corrected = k · p_grid                                                        (1)

read as the share of the liquid-cloud-free time that is also free of everything else that makes a
night unusable. It is fitted by linear least squares (``numpy.linalg.lstsq``) on every cited
site, and judged by leave-one-out cross-validation: each site predicted from the k of the others.
A scale never lifts a cloudy site, keeps the grid's order of sites, and needs no intercept that
the clear observatories (grid 0.57–0.99) could not pin down for the cloudy lowlands. A two-parameter
logistic map, logit p = a + b·logit p_grid, was tried too: on the sites without Mauna Kea it does
no better in leave-one-out (RMS 0.050 against 0.047), and with Mauna Kea it flattens to b = 0.26, which
would lift every cloudy lowland station towards the observatories' 0.65 (docs/weather.md §2).

References
----------
.. [1] The cited sites and their sources: ``groundstations/data/cloud_climatology.json``.
.. [2] Recommendation ITU-R P.840-8 (08/2019), through :mod:`groundstations.cloud_grid`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .cloud_grid import GRID_SOURCE, global_cloud_free_probability
from .cloud_sites import CitedSite, load_sites

#: The confidence words of a grid value: inside the range of grid values where cited sites check the
#: correction, and outside it.
GRID_CONFIDENCE = ("corrected grid", "corrected grid, extrapolated")
#: A cited site whose leave-one-out error exceeds this is outside what Eq. 1 describes (a summit above
#: a cloudy cell): it stays in the fit and the stated errors, but does not widen the checked range. [1]
OUTLIER_LOO_ERROR = 0.2


@dataclass(frozen=True)
class BiasRow:
    """One cited site against the grid.

    Attributes
    ----------
    site : str
    cited : float
        The published usable-night fraction, annual mean. [1]
    grid : float
        The P.840 grid's cloud-free probability at the site. [1]
    difference : float
        grid − cited. [1]
    corrected : float
        k · grid, k fitted on all sites. [1]
    loo : float
        Leave-one-out error of the corrected value: k fitted without this site, times its grid,
        minus its cited value. [1]
    """

    site: str
    cited: float
    grid: float
    difference: float
    corrected: float
    loo: float


@dataclass(frozen=True)
class GridCorrection:
    """The fitted scale of Eq. 1 and how well it and the raw grid predict the cited sites.

    Attributes
    ----------
    scale : float
        k of Eq. 1. [1]
    n_sites : int
        Cited sites in the fit.
    raw_mean, raw_rms : float
        Mean and RMS of grid − cited. [1]
    loo_rms, loo_median_abs, loo_max_abs : float
        RMS, median and largest absolute leave-one-out error of the corrected grid. [1]
    grid_min, grid_max : float
        The range of grid values at the cited sites whose leave-one-out error is within
        :data:`OUTLIER_LOO_ERROR`: where sites check the correction. Outside it, it is extrapolated. [1]
    rows : tuple of BiasRow
        The table, one row per site, in the file's order.
    """

    scale: float
    n_sites: int
    raw_mean: float
    raw_rms: float
    loo_rms: float
    loo_median_abs: float
    loo_max_abs: float
    grid_min: float
    grid_max: float
    rows: tuple[BiasRow, ...]


def fit_grid_scale(grid, cited) -> float:
    """Least-squares k of ``cited ≈ k · grid`` (Eq. 1).

    Parameters
    ----------
    grid : array_like
        Grid cloud-free probabilities at the sites. [1]
    cited : array_like
        Published usable-night fractions at the same sites. [1]

    Returns
    -------
    float  [1]
    """
    g, c = np.asarray(grid, float), np.asarray(cited, float)
    if g.shape != c.shape or g.size == 0:
        raise ValueError(f"grid and cited need the same non-empty shape, got {g.shape} and {c.shape}")
    # Eq. 1 is linear in k: linear least squares solves it exactly, where a non-linear solver's
    # iterations stop at its tolerance (the two scales agree to 5e-11)
    return float(np.linalg.lstsq(g[:, None], c, rcond=None)[0][0])  # Eq. 1


def leave_one_out_errors(grid, cited) -> np.ndarray:
    """Each site's error when k is fitted on all the other sites: k₋ᵢ · gridᵢ − citedᵢ. [1]"""
    g, c = np.asarray(grid, float), np.asarray(cited, float)
    keep = ~np.eye(g.size, dtype=bool)
    return np.array([fit_grid_scale(g[keep[i]], c[keep[i]]) * g[i] - c[i] for i in range(g.size)])


def bias_table(sites: dict[str, CitedSite]) -> GridCorrection:
    """The grid against ``sites``: the table, the fitted scale and its leave-one-out error."""
    names = list(sites)
    cited = np.array([sites[n].annual for n in names])
    grid = np.asarray(global_cloud_free_probability([sites[n].latitude_deg for n in names],
                                                    [sites[n].longitude_deg for n in names]), float)
    k = fit_grid_scale(grid, cited)
    loo = leave_one_out_errors(grid, cited)
    rows = tuple(BiasRow(n, float(c), float(g), float(g - c), float(k * g), float(e))
                 for n, c, g, e in zip(names, cited, grid, loo))
    diff = grid - cited
    checked = grid[np.abs(loo) <= OUTLIER_LOO_ERROR]
    return GridCorrection(k, len(names), float(diff.mean()), float(np.sqrt(np.mean(diff ** 2))),
                          float(np.sqrt(np.mean(loo ** 2))), float(np.median(np.abs(loo))), float(np.abs(loo).max()),
                          float(checked.min()), float(checked.max()), rows)


@functools.lru_cache(maxsize=1)
def grid_correction() -> GridCorrection:
    """The correction fitted on the shipped cited sites (computed once, a few milliseconds)."""
    return bias_table(load_sites())


def corrected_source(correction: GridCorrection) -> str:
    """How a corrected grid value was made, for a station's cloud source."""
    return (f"{GRID_SOURCE}, times {correction.scale:.3f} fitted on {correction.n_sites} cited sites "
            f"(leave-one-out error {correction.loo_rms:.2f} RMS, {correction.loo_median_abs:.2f} median; "
            "groundstations/cloud_bias.py, docs/weather.md)")


def corrected_cloud_free_monthly(latitude_deg: float, longitude_deg: float) -> tuple[tuple[float, ...], str]:
    """Twelve monthly cloud-free probabilities from the corrected grid, and their confidence word.

    The annual grid value times k (Eq. 1) for every month; the word is ``"corrected grid"`` inside
    the range of grid values where cited sites check the correction (:class:`GridCorrection`),
    ``"corrected grid, extrapolated"`` outside it.

    Parameters
    ----------
    latitude_deg, longitude_deg : float  [deg]

    Returns
    -------
    (tuple of 12 float, str)  [1], confidence word
    """
    c = grid_correction()
    raw = float(global_cloud_free_probability(latitude_deg, longitude_deg))
    p = round(min(1.0, c.scale * raw), 4)  # Eq. 1
    word = GRID_CONFIDENCE[0] if c.grid_min <= raw <= c.grid_max else GRID_CONFIDENCE[1]
    return (p,) * 12, word
