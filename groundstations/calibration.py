"""Calibrating link loss to measured pass data: the chain's constant, and a station's own terms.

The measured loss of a row (one downlink, or the sum of two downlinks measured together, as a
dual-downlink experiment reports it) is modelled as the physical model's loss plus the chain terms
of each of its n links,

    L_measured = L_model + n·c + k·Σ(AM − 1),

c a constant loss per link (what the physics does not know about a real transmit/receive chain:
coupling, beam quality, receiver and detector losses beyond the modelled ones, static pointing) and
k an extra loss per unit of air mass above one, summed over the row's links (a dustier or wetter sky
than the model's, elevation-dependent tracking). Fitted over rows from several stations this is the
*joint* chain fit: one c for all (:func:`fit_chain_loss`); on one station's single downlinks it is
that station's constant and air-mass term (:func:`fit_station_loss`). The problem is linear in
(c, k), solved with scipy's ``least_squares`` (trust-region reflective); the covariance (JᵀJ)⁻¹·s²
from the Jacobian is exact for it.

Nothing here reads files or knows the scenario: the caller gives the model's loss per row
(``mission`` computes it with each station's physics) and receives the fit, the residuals and the
scenario fragment that carries the result.

The Micius chain (the defaults of every scenario, ``channel.chain_loss_db``): the joint fit on every
Micius link loss the project holds, with the scenario ``micius_2017.yaml``'s physics and no station
constant; ``tests/test_micius_link.py`` recomputes it from the papers' numbers and checks these
constants (docs/micius_2017.md has the table):

- [P17] J. Yin et al., PRL 119, 200501 (2017), doi:10.1103/PhysRevLett.119.200501, abstract: one
  downlink Micius → Delingha, 29 dB at 530 km and 36 dB at 1000 km (two rows, n = 1);
- [Y17] J. Yin et al., Science 356, 1140 (2017), doi:10.1126/science.aan3211: two downlinks to
  Delingha and Lijiang, 64 dB at the 1600 km end of the summed length (one row, n = 2; the model is
  the mean over the 17 and 21 Dec 2016 passes' geometry). [Y17]'s 82 dB at 2400 km is not fitted:
  the physics does not reach it (docs/micius_2017.md, "What is missing").

References
----------
.. [1] SciPy ``scipy.optimize.least_squares`` documentation: the returned ``jac`` is the Jacobian
   at the solution and JᵀJ the Gauss–Newton approximation of the Hessian of the cost, so the
   parameter covariance is (JᵀJ)⁻¹ for residuals weighted by their standard deviations, and
   (JᵀJ)⁻¹·Σr²/(n − p) (scaled by the reduced χ²) when the row errors are unknown.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The Micius chain constant per downlink: the joint fit above. [dB]
MICIUS_CHAIN_LOSS_DB = 11.396
#: Its one-standard-deviation uncertainty from the fit's Jacobian (reduced-χ² scaled). [dB]
MICIUS_CHAIN_LOSS_SIGMA_DB = 0.308
#: The chain's air-mass term: 0, not adopted. Fitted, it comes out 1.10 ± 0.56 dB per air mass with
#: one degree of freedom left, a two-sided p of 0.3 (Student's t): no evidence for it. [dB]
MICIUS_CHAIN_AIRMASS_LOSS_DB = 0.0
#: Scatter of one station's link about the chain: the fit's residual sigma. [dB]
MICIUS_LINK_LOSS_SIGMA_DB = 0.754
#: Where the Micius chain constants come from.
MICIUS_CHAIN_SOURCE = ("joint fit of one constant per downlink on Yin et al., PRL 119, 200501 (2017) (Delingha: "
                       "29 dB at 530 km, 36 dB at 1000 km) and Yin et al., Science 356, 1140 (2017) (Delingha + "
                       "Lijiang: 64 dB at 1600 km), model of scenarios/micius_2017.yaml (tests/test_micius_link.py)")


@dataclass(frozen=True)
class CalibrationFit:
    """A station's fitted loss terms.

    Attributes
    ----------
    constant_loss_db, airmass_loss_db : float
        c and k of the model above (k is 0 and not fitted when ``fit_airmass`` is off). [dB], [dB]
    constant_sigma_db, airmass_sigma_db : float
        One-standard-deviation uncertainties from the Jacobian (NaN with no degree of freedom and
        no row errors; 0 for k when it is not fitted). [dB]
    correlation : float
        Correlation coefficient of c and k. [1]
    residuals_db : ndarray
        Measured minus fitted loss per row. [dB]
    rms_db : float
        Root-mean-square residual. [dB]
    dof : int
        Rows minus fitted parameters.
    residual_sigma_db : float
        Scatter of one row about the fit, sqrt(Σr²/dof) (NaN with no degree of freedom): with rows
        of different stations, the scatter of a station's link about the shared chain. [dB]
    """

    constant_loss_db: float
    airmass_loss_db: float
    constant_sigma_db: float
    airmass_sigma_db: float
    correlation: float
    residuals_db: np.ndarray
    rms_db: float
    dof: int
    residual_sigma_db: float


def fit_station_loss(measured_loss_db, model_loss_db, airmass, sigma_db: np.ndarray | None = None,
                     fit_airmass: bool = True) -> CalibrationFit:
    """Fit c (and k) of L_measured = L_model + c + k·(AM − 1) for one station's downlinks ([1]).

    Parameters
    ----------
    measured_loss_db : ndarray
        Measured loss per row. [dB]
    model_loss_db : ndarray
        The physical model's loss for the same rows (without any calibrated or chain term). [dB]
    airmass : ndarray
        Relative air mass of each row (Kasten & Young for its elevation). [1]
    sigma_db : ndarray, optional
        Measurement uncertainty per row; with it the covariance is absolute, without it the rows
        weigh the same and the covariance is scaled by the residual variance. [dB]
    fit_airmass : bool
        Fit k as well as c (needs at least two rows at different air masses).

    Returns
    -------
    CalibrationFit

    Raises
    ------
    ValueError
        Fewer rows than parameters, arrays of different lengths, non-finite values, or k asked for
        with all rows at one air mass.
    """
    excess = np.asarray(airmass, float) - 1.0
    return fit_chain_loss(measured_loss_db, model_loss_db, np.ones(np.shape(excess)), excess, sigma_db, fit_airmass)


def fit_chain_loss(measured_loss_db, model_loss_db, links, excess_airmass, sigma_db: np.ndarray | None = None,
                   fit_airmass: bool = False) -> CalibrationFit:
    """Joint fit of one chain constant c (and air-mass term k) shared by every link of the rows ([1]):
    L_measured = L_model + n·c + k·Σ(AM − 1).

    Parameters
    ----------
    measured_loss_db : ndarray
        Measured loss per row: one downlink, or the sum of a row's downlinks. [dB]
    model_loss_db : ndarray
        The physical model's loss of the same rows (summed over the row's links, without any
        calibrated or chain term). [dB]
    links : ndarray
        Downlinks in each row, n (1 for a single downlink, 2 for a dual-downlink sum). [1]
    excess_airmass : ndarray
        Σ(AM − 1) over the row's links. [1]
    sigma_db : ndarray, optional
        Measurement uncertainty per row (as :func:`fit_station_loss`). [dB]
    fit_airmass : bool
        Fit k as well as c.

    Returns
    -------
    CalibrationFit
        c and k per link; ``residuals_db`` per row.

    Raises
    ------
    ValueError
        As :func:`fit_station_loss`; also a row without a link.
    """
    y = np.asarray(measured_loss_db, float) - np.asarray(model_loss_db, float)
    x = np.asarray(excess_airmass, float)
    n = np.asarray(links, float)
    if y.ndim != 1 or x.shape != y.shape or n.shape != y.shape:
        raise ValueError("measured, model, link and air-mass arrays must be 1-D and of equal length")
    n_par = 2 if fit_airmass else 1
    if y.size < n_par:
        raise ValueError(f"{y.size} rows for {n_par} parameters")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(x)) and np.all(np.isfinite(n))):
        raise ValueError("non-finite loss or air mass")
    if np.any(n < 1.0):
        raise ValueError("every row needs at least one link")
    if fit_airmass and np.ptp(x / n) == 0.0:
        raise ValueError("all rows at one air mass: the air-mass term cannot be fitted")
    weights = np.ones_like(y) if sigma_db is None else 1.0 / np.asarray(sigma_db, float)
    design = np.column_stack([n, x])[:, :n_par]

    def residual(p):
        return (y - design @ p) * weights

    from scipy.optimize import least_squares  # here: reading a scenario (the chain constants above) needs no scipy

    sol = least_squares(residual, np.zeros(n_par), jac=lambda p: -design * weights[:, None], method="trf")
    dof = y.size - n_par
    jtj_inv = np.linalg.inv(sol.jac.T @ sol.jac)
    resid = y - design @ sol.x
    scale = float(np.sum(sol.fun**2) / dof) if dof > 0 else np.nan  # reduced χ² ([1])
    cov = jtj_inv * scale if sigma_db is None else jtj_inv
    sig = np.sqrt(np.diag(cov))
    c, k = float(sol.x[0]), float(sol.x[1]) if fit_airmass else 0.0
    corr = float(cov[0, 1] / (sig[0] * sig[1])) if fit_airmass and np.all(sig > 0) else 0.0
    spread = float(np.sqrt(np.sum(resid**2) / dof)) if dof > 0 else np.nan
    return CalibrationFit(c, k, float(sig[0]), float(sig[1]) if fit_airmass else 0.0, corr, resid,
                          float(np.sqrt(np.mean(resid**2))), dof, spread)


def override_fragment(station_name: str, fit: CalibrationFit, source: str) -> str:
    """A YAML fragment for a scenario's ``stations:`` list that applies the fit to the station.

    Parameters
    ----------
    station_name : str
        Catalog (or scenario) name of the station.
    fit : CalibrationFit
    source : str
        What was measured (file, dates); stored as ``calibration_source``.
    """
    text = source.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    name = station_name.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "# skyswap calibrate: paste under the scenario's `stations:` (or merge into the station's entry)\n"
        f"# c = {fit.constant_loss_db:.2f} ± {fit.constant_sigma_db:.2f} dB, "
        f"k = {fit.airmass_loss_db:.2f} ± {fit.airmass_sigma_db:.2f} dB per air mass, "
        f"rms residual {fit.rms_db:.2f} dB, {fit.dof} degrees of freedom\n"
        f'- name: "{name}"\n'
        f"  calibrated_loss_db: {fit.constant_loss_db:.3f}\n"
        f"  calibrated_airmass_loss_db: {fit.airmass_loss_db:.3f}\n"
        f'  calibration_source: "{text}"\n'
    )


def chain_fragment(fit: CalibrationFit, source: str) -> str:
    """A YAML fragment for a scenario's ``channel:`` mapping that applies a joint chain fit.

    Parameters
    ----------
    fit : CalibrationFit
        From :func:`fit_chain_loss`.
    source : str
        What was measured; stored as ``chain_loss_source``.
    """
    text = source.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    residual = 0.0 if not np.isfinite(fit.residual_sigma_db) else fit.residual_sigma_db
    sigma = 0.0 if not np.isfinite(fit.constant_sigma_db) else fit.constant_sigma_db
    return (
        "# skyswap calibrate: merge into the scenario's `channel:` mapping (the chain shared by every link)\n"
        f"# c = {fit.constant_loss_db:.2f} ± {fit.constant_sigma_db:.2f} dB per link, "
        f"k = {fit.airmass_loss_db:.2f} ± {fit.airmass_sigma_db:.2f} dB per air mass, "
        f"rms residual {fit.rms_db:.2f} dB, {fit.dof} degrees of freedom\n"
        "channel:\n"
        f"  chain_loss_db: {fit.constant_loss_db:.3f}\n"
        f"  chain_airmass_loss_db: {fit.airmass_loss_db:.3f}\n"
        f"  chain_loss_sigma_db: {sigma:.3f}\n"
        f"  link_loss_sigma_db: {residual:.3f}\n"
        f'  chain_loss_source: "{text}"\n'
    )
