"""Calibrating a station's link loss to measured pass data: a constant and an air-mass term.

The measured loss of a downlink is modelled as the physical model's loss plus two station terms,

    L_measured = L_model(elevation, range) + c + k·(AM(elevation) − 1),

c a constant loss (receiver chain, beam quality, static pointing: what the physics does not know)
and k an extra loss per unit of air mass above one (a dustier or wetter sky than the model's,
elevation-dependent tracking). Both are fitted by non-linear least squares (scipy's
``least_squares``, trust-region reflective); the problem is linear in (c, k), so the fit is the
ordinary least-squares solution and the covariance (JᵀJ)⁻¹·s² from the Jacobian is exact.

Nothing here reads files or knows the scenario: the caller gives the model's loss per row
(``mission`` computes it with the station's physics) and receives the fit, the residuals and the
scenario fragment that carries the result (``calibrated_loss_db``, ``calibrated_airmass_loss_db``).

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
from scipy.optimize import least_squares


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
    """

    constant_loss_db: float
    airmass_loss_db: float
    constant_sigma_db: float
    airmass_sigma_db: float
    correlation: float
    residuals_db: np.ndarray
    rms_db: float
    dof: int


def fit_station_loss(measured_loss_db, model_loss_db, airmass, sigma_db: np.ndarray | None = None,
                     fit_airmass: bool = True) -> CalibrationFit:
    """Fit c (and k) of L_measured = L_model + c + k·(AM − 1) by least squares ([1]).

    Parameters
    ----------
    measured_loss_db : ndarray
        Measured loss per row. [dB]
    model_loss_db : ndarray
        The physical model's loss for the same rows (without any calibrated term). [dB]
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
    y = np.asarray(measured_loss_db, float) - np.asarray(model_loss_db, float)
    x = np.asarray(airmass, float) - 1.0
    if y.ndim != 1 or x.shape != y.shape:
        raise ValueError("measured, model and air-mass arrays must be 1-D and of equal length")
    n_par = 2 if fit_airmass else 1
    if y.size < n_par:
        raise ValueError(f"{y.size} rows for {n_par} parameters")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(x))):
        raise ValueError("non-finite loss or air mass")
    if fit_airmass and np.ptp(x) == 0.0:
        raise ValueError("all rows at one air mass: the air-mass term cannot be fitted")
    weights = np.ones_like(y) if sigma_db is None else 1.0 / np.asarray(sigma_db, float)
    design = np.column_stack([np.ones_like(x), x])[:, :n_par]

    def residual(p):
        return (y - design @ p) * weights

    sol = least_squares(residual, np.zeros(n_par), jac=lambda p: -design * weights[:, None], method="trf")
    dof = y.size - n_par
    jtj_inv = np.linalg.inv(sol.jac.T @ sol.jac)
    if sigma_db is None:
        scale = float(np.sum(sol.fun**2) / dof) if dof > 0 else np.nan  # reduced χ² ([1])
        cov = jtj_inv * scale
    else:
        cov = jtj_inv
    sig = np.sqrt(np.diag(cov))
    resid = y - design @ sol.x
    c, k = float(sol.x[0]), float(sol.x[1]) if fit_airmass else 0.0
    corr = float(cov[0, 1] / (sig[0] * sig[1])) if fit_airmass and np.all(sig > 0) else 0.0
    return CalibrationFit(c, k, float(sig[0]), float(sig[1]) if fit_airmass else 0.0, corr, resid,
                          float(np.sqrt(np.mean(resid**2))), dof)


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
