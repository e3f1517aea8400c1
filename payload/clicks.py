"""Threshold-detector click statistics of SPDC sources, in closed form.

Every SPDC source is a product of two-mode squeezed vacua (TMSV), one per polarisation
term of the singlet-like state and per Schmidt mode (Takeoka et al. 2015).  All optics
are passive and all detectors are threshold detectors, so every probability needed is a
linear combination of *no-click* (vacuum-projection) probabilities.  For a product of
TMSVs ``exp(sum_k lambda_k x_k^dag y_k^dag)|0>`` and a no-click set pulled back to the
inputs as ``C_x = 1 - T_x`` (outer photons) and ``C_y = 1 - T_y`` (inner photons),

    P(no click) = [ det(1 - Lambda^2) / det(1 - Lambda C_x Lambda C_y) ]^K        (1)

per Schmidt mode, raised to the number K of equally weighted Schmidt modes.  Eq. (1) is
derived here (it is the vacuum expectation ``<0|exp(y Lambda x) exp(x^+ C_x Lambda
C_y^T y^+)|0> = 1/det(1 - Lambda C_x Lambda C_y^T)`` of the pair-creation operators,
with ``:exp(-a^+ T a): = Gamma(1 - T)``); it is the same physics as the covariance-matrix
"no-click" formulas of [1] and [2], written in the pair-creation basis, and the
test-suite checks it against an independent covariance-matrix computation
(``tests/reference``) to ~1e-10.  Partial distinguishability of the two inner photons
enters as the Hadamard product of the pulled-back BSM matrix with their mode-overlap
matrix.

The outer stations enter only through small matrices ``W = eta*(u*1 + v*sigma)``, so
``det`` in (1) is a polynomial of degree <= 2 in (u_a, v_a) and in (u_b, v_b).  The
polynomial coefficients are fixed by the payload and computed once; per sample only
polynomials are evaluated.  The inclusion-exclusion differences over the outer detectors
are formed analytically from the polynomial (``log1p``/``expm1``), so four-fold
probabilities stay accurate down to link transmittances of 1e-8 and below, where naive
inclusion-exclusion of numbers close to 1 would lose every digit.

Two station rules need different outer events.  *Squash* (a double click becomes a random
bit): "at least one click at each station" (:func:`outer_click_factors`) and the signed
single-detector sums (:func:`outer_correlation`).  *Discard* (exactly-one-click counting):
"detector s clicks and its partner -s is silent" at each station, from the polynomial at
the station points "+ silent", "- silent" and "both silent" (:func:`exactly_one_parts`).

References
----------
.. [1] M. Takeoka, R.-B. Jin, M. Sasaki, "Full analysis of multi-photon pair effects in
   spontaneous parametric down conversion based photonic quantum information
   processing", New J. Phys. 17, 043030 (2015), doi:10.1088/1367-2630/17/4/043030
.. [2] H. Krovi et al., "Practical quantum repeaters with parametric down-conversion
   sources", Appl. Phys. B 122, 52 (2016)
"""
from __future__ import annotations

import functools
import itertools

import numpy as np

# Bell-state-measurement detectors: 50:50 beam splitter (outputs c, d), a polarising beam
# splitter in each output.  Inner input modes are ordered (a2V, a2H, b2V, b2H).
BSM_DETECTORS = ("cH", "cV", "dH", "dV")
_S2 = np.sqrt(0.5)
_BSM_VECTORS = {
    "cH": np.array([0.0, _S2, 0.0, _S2]),
    "cV": np.array([_S2, 0.0, _S2, 0.0]),
    "dH": np.array([0.0, _S2, 0.0, -_S2]),
    "dV": np.array([_S2, 0.0, -_S2, 0.0]),
}
# Target correlations <sigma_b sigma_b> (b = Z, X, Y) of the heralded outer state.
TARGET_SIGNS = {"psi-minus": (-1.0, -1.0, -1.0), "psi-plus": (-1.0, 1.0, 1.0)}

PAULI_Z = np.array([[1.0, 0.0], [0.0, -1.0]])
PAULI_X = np.array([[0.0, 1.0], [1.0, 0.0]])


def rotation_matrix(angle_rad):
    """Rotation of linear polarisation by ``angle_rad`` acting on (H, V) amplitudes.

    Parameters
    ----------
    angle_rad : float
        Rotation angle of the polarisation plane. [rad]
    """
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    return np.array([[c, -s], [s, c]])


def analyser_sigma(basis, rotation_rad=0.0):
    """Observable of a two-outcome polarisation analyser seen through a rotation.

    The analyser in ``basis`` ("Z": H/V, "X": D/A) measures ``sigma``; a polarisation
    rotation R before it turns that into ``R^T sigma R``.

    Parameters
    ----------
    basis : {"Z", "X"}
        Analyser basis.
    rotation_rad : float
        Polarisation rotation before the analyser. [rad]
    """
    sigma = {"Z": PAULI_Z, "X": PAULI_X}[basis]
    r = rotation_matrix(rotation_rad)
    return r.T @ sigma @ r


def tmsv_lambda_squared(mean_photons_per_mode):
    """``tanh^2 r`` of a TMSV with mean photon number ``sinh^2 r`` per mode.

    Parameters
    ----------
    mean_photons_per_mode : float or ndarray
        Mean photon (pair) number of the TMSV. [1]
    """
    m = np.asarray(mean_photons_per_mode, dtype=float)
    return m / (1.0 + m)


def bsm_no_click_matrix(detectors, eta_bsm, mode_overlap):
    """Pulled-back no-click matrix ``C_y`` of a set of BSM detectors.

    Parameters
    ----------
    detectors : iterable of str
        Names from ``BSM_DETECTORS`` required to stay silent.
    eta_bsm : float
        Efficiency of each BSM arm including its detector. [1]
    mode_overlap : float
        Amplitude overlap of the internal (spectral-temporal) modes of the two sources'
        inner photons within one Schmidt mode. [1]
    """
    t = np.zeros((4, 4))
    for name in detectors:
        vec = _BSM_VECTORS[name]
        t += eta_bsm * np.outer(vec, vec)
    omega = np.array([[1.0, 1.0, mode_overlap, mode_overlap],
                      [1.0, 1.0, mode_overlap, mode_overlap],
                      [mode_overlap, mode_overlap, 1.0, 1.0],
                      [mode_overlap, mode_overlap, 1.0, 1.0]])
    return np.eye(4) - t * omega


def _row_expansion_polynomial(g, sigma_a, sigma_b):
    """Coefficients of ``det(1 + W G)`` with ``W = diag(u_a 1 + v_a s_a, u_b 1 + v_b s_b)``.

    ``det`` is multilinear in the rows; rows 0-1 are ``e_i + u_a G_i + v_a (s_a G)_i``
    and rows 2-3 the same with b.  Returns an array ``c[i_ua, i_va, i_ub, i_vb]``.
    """
    ident = np.eye(4)
    sg = np.zeros_like(g)
    sg[:2] = sigma_a @ g[:2]
    sg[2:] = sigma_b @ g[2:]
    rows = (ident, g, sg)  # choice 0: identity row, 1: u row, 2: v row
    coeff = np.zeros((3, 3, 3, 3))
    choices = np.array(list(itertools.product(range(3), repeat=4)))
    mats = np.empty((len(choices), 4, 4))
    for n, ch in enumerate(choices):
        for i in range(4):
            mats[n, i] = rows[ch[i]][i]
    with np.errstate(divide="ignore", invalid="ignore"):  # singular row choices give 0
        dets = np.linalg.det(mats)
    for ch, det in zip(choices, dets):
        iua = int(np.sum(ch[:2] == 1))
        iva = int(np.sum(ch[:2] == 2))
        iub = int(np.sum(ch[2:] == 1))
        ivb = int(np.sum(ch[2:] == 2))
        coeff[iua, iva, iub, ivb] += det
    return coeff


def swap_no_click_polynomial(detectors, lambda_sq, eta_bsm, mode_overlap, sigma_a, sigma_b):
    """No-click structure of the swap for one BSM no-click set.

    Parameters
    ----------
    detectors : iterable of str
        BSM detectors required silent.
    lambda_sq : float
        ``tanh^2 r`` of each TMSV (one Schmidt mode). [1]
    eta_bsm : float
        BSM arm efficiency. [1]
    mode_overlap : float
        Internal-mode amplitude overlap of the two inner photons. [1]
    sigma_a, sigma_b : ndarray, shape (2, 2)
        Analyser observables at station a and b (in the station's input H/V frame).

    Returns
    -------
    log_n0 : float
        ``log`` of the no-click probability of the BSM set alone, per Schmidt mode. [1]
    coeff : ndarray, shape (3, 3, 3, 3)
        Polynomial ``r(u_a, v_a, u_b, v_b) = det M(W) / det M(0)``; ``coeff[0,0,0,0] = 1``.
    """
    lam = np.sqrt(lambda_sq) * np.array([1.0, -1.0, 1.0, -1.0])  # psi-minus sign pattern
    big_lam = np.diag(lam)
    c_y = bsm_no_click_matrix(detectors, eta_bsm, mode_overlap)
    m0 = np.eye(4) - lambda_sq * c_y  # Eq. (1) with C_x = 1
    g = big_lam @ c_y @ np.linalg.solve(m0, big_lam)
    coeff = _row_expansion_polynomial(g, sigma_a, sigma_b)
    coeff[0, 0, 0, 0] = 1.0
    log_n0 = 4.0 * np.log1p(-lambda_sq) - np.log(np.linalg.det(m0))
    return log_n0, coeff


def direct_downlink_no_click_polynomial(lambda_sq, sigma_a, sigma_b):
    """No-click polynomial of one SPDC source whose two photons go to stations a and b.

    For two TMSVs ``Lambda = lambda*Z`` (singlet sign pattern) Eq. (1) is a 2x2
    determinant, ``det(1 - lambda^2 P)`` with ``P = Z C_a Z C_b`` (C_b in the partner
    order (V, H)), i.e.
    ``1 - lambda^2 tr P + lambda^4 det C_a det C_b``.

    Parameters
    ----------
    lambda_sq : float
        ``tanh^2 r`` per TMSV. [1]
    sigma_a, sigma_b : ndarray, shape (2, 2)
        Analyser observables at a and b.

    Returns
    -------
    log_n0 : float
        Always 0 (no other detector is conditioned on). [1]
    coeff : ndarray, shape (3, 3, 3, 3)
        ``r(u_a, v_a, u_b, v_b)`` normalised to ``coeff[0,0,0,0] = 1``.
    """
    l2 = lambda_sq
    sa = PAULI_Z @ sigma_a @ PAULI_Z
    # the partner modes y are ordered (V, H): express sigma_b in that order
    sb = PAULI_X @ sigma_b @ PAULI_X
    overlap = 0.5 * np.trace(sa @ sb)
    d = np.zeros((3, 3, 3, 3))
    # tr P = 2 (1-u_a)(1-u_b) + 2 v_a v_b <sa, sb>
    one_minus_u = np.array([1.0, -1.0, 0.0])
    tr_p = np.zeros((3, 3, 3, 3))
    tr_p[:, 0, :, 0] += 2.0 * np.outer(one_minus_u, one_minus_u)
    tr_p[0, 1, 0, 1] += 2.0 * overlap
    # det C = (1-u)^2 - v^2
    det_c = np.zeros((3, 3))
    det_c[0, 0], det_c[1, 0], det_c[2, 0], det_c[0, 2] = 1.0, -2.0, 1.0, -1.0
    d += -l2 * tr_p
    d += l2 * l2 * det_c[:, :, None, None] * det_c[None, None, :, :]
    d[0, 0, 0, 0] += 1.0
    return 0.0, d / (1.0 - l2) ** 2


def _eval_parity_parts(coeff, x_a, x_b):
    """Parts of ``r`` even/odd in ``v_a``, ``v_b`` at ``u = |v| = eta/2``.

    Returns P0 (even, even), P1 (odd in v_a), P2 (odd in v_b), P3 (odd, odd) such that
    ``r(s_a, s_b) = P0 + s_a P1 + s_b P2 + s_a s_b P3`` for single-detector no-click sets.
    ``x_a = eta_a/2``, ``x_b = eta_b/2``.
    """
    shape = np.broadcast(x_a, x_b).shape
    return tuple(p if np.ndim(p) else np.full(shape, p)
                 for p in _parity_values(_parity_plans(np.asarray(coeff, float).tobytes()), x_a, x_b))


@functools.lru_cache(maxsize=256)
def _parity_plans(coeff_bytes):
    """The evaluation plans (:func:`_plan2`) of the four parity parts of one no-click polynomial, in
    the order P0, P1, P2, P3 (payload constants: cached per coefficient array)."""
    coeff = np.frombuffer(coeff_bytes).reshape(3, 3, 3, 3)
    parts = []
    for par_a in (0, 1):
        for par_b in (0, 1):
            poly = np.zeros((3, 3))  # powers of x_a, x_b
            for iua in range(3):
                for iva in range(3):
                    if iua + iva > 2 or iva % 2 != par_a:
                        continue
                    for iub in range(3):
                        for ivb in range(3):
                            if iub + ivb > 2 or ivb % 2 != par_b:
                                continue
                            poly[iua + iva, iub + ivb] += coeff[iua, iva, iub, ivb]
            parts.append(_plan2(poly))
    p00, p01, p10, p11 = parts  # order (a,b): 00, 01, 10, 11
    return p00, p10, p01, p11


def _parity_values(plans, x_a, x_b):
    """P0..P3 of :func:`_eval_parity_parts` from their plans; a part whose polynomial is a constant
    stays that Python float (the arrays it enters give the same numbers, with fewer passes)."""
    return tuple(_eval2(plan, x_a, x_b) for plan in plans)


def _horner(c0, c1, c2, t):
    """``c0 + t (c1 + t c2)``, dropping vanishing top coefficients (the same numbers, less work:
    most coefficient rows of the no-click polynomials are sparse)."""
    if not (np.ndim(c2) or c2 != 0.0):
        if not (np.ndim(c1) or c1 != 0.0):
            return c0
        return c0 + t * c1
    return c0 + t * (c1 + t * c2)


def _plan2(poly):
    """A 3x3 coefficient array as the rows of Python floats :func:`_eval2` reads."""
    return tuple((float(poly[i, 0]), float(poly[i, 1]), float(poly[i, 2])) for i in range(3))


def _eval2(plan, x, y):
    """:func:`_poly2` of a :func:`_plan2` (the same operations), a Python float where the
    polynomial is a constant."""
    rows = []
    for c0, c1, c2 in plan:  # _horner with float coefficients
        if c2 != 0.0:
            rows.append(c0 + y * (c1 + y * c2))
        elif c1 != 0.0:
            rows.append(c0 + y * c1)
        else:
            rows.append(c0)
    return _horner(rows[0], rows[1], rows[2], x)


def _poly2(poly, x, y):
    """Evaluate ``sum poly[i, j] x^i y^j`` (3x3 coefficients) by Horner's rule."""
    out = _eval2(_plan2(poly), x, y)
    return out if np.ndim(out) else np.full(np.broadcast(x, y).shape, out)


def outer_click_factors(coeff, schmidt_number, eta_a, eta_b):
    """Noise-free "all detectors of a station silent" factors, per sample.

    Parameters
    ----------
    coeff : ndarray, shape (3, 3, 3, 3)
        Polynomial from :func:`swap_no_click_polynomial`.
    schmidt_number : float
        Number K of equally weighted Schmidt modes (exponent of Eq. (1)). [1]
    eta_a, eta_b : ndarray
        Outer-photon transmittances. [1]

    Returns
    -------
    dict of ndarray
        ``rho10``, ``rho01``: no-click ratio with both detectors of a (resp. b) silent;
        ``m10 = 1 - rho10``, ``m01 = 1 - rho01`` and ``cross = rho11 - rho10*rho01``,
        all formed without subtracting numbers close to one.
    """
    k = schmidt_number
    pa = coeff[:, 0, 0, 0]
    pb = coeff[0, 0, :, 0]
    pab = coeff[:, 0, :, 0].copy()
    alpha = eta_a * (pa[1] + pa[2] * eta_a)
    beta = eta_b * (pb[1] + pb[2] * eta_b)
    pab[0, :] = 0.0
    pab[:, 0] = 0.0
    gamma = _poly2(pab, eta_a, eta_b)
    la = -k * np.log1p(alpha)
    lb = -k * np.log1p(beta)
    rho10 = np.exp(la)
    rho01 = np.exp(lb)
    lab = -k * np.log1p((gamma - alpha * beta) / ((1.0 + alpha) * (1.0 + beta)))
    return {"rho10": rho10, "rho01": rho01, "m10": -np.expm1(la), "m01": -np.expm1(lb),
            "cross": rho10 * rho01 * np.expm1(lab)}


def outer_correlation(coeff, schmidt_number, eta_a, eta_b):
    """``sum_{s_a, s_b} s_a s_b P(detector s_a and detector s_b silent) / P_R``, per sample.

    With the per-detector noise factor applied by the caller this is the numerator of
    the correlation ``E = <s_a s_b>`` of a four-fold event (double clicks get a random
    bit and drop out of the sum).

    Parameters
    ----------
    coeff : ndarray, shape (3, 3, 3, 3)
        Polynomial from :func:`swap_no_click_polynomial` for the analyser setting.
    schmidt_number : float
        Number K of Schmidt modes. [1]
    eta_a, eta_b : ndarray
        Outer-photon transmittances. [1]
    """
    return _outer_correlation_at(np.asarray(coeff, float).tobytes(), schmidt_number, 0.5 * eta_a, 0.5 * eta_b,
                                 np.broadcast(eta_a, eta_b).shape)


def _outer_correlation_at(coeff_bytes, k, x_a, x_b, shape):
    """:func:`outer_correlation` of the polynomial ``coeff_bytes`` at ``x = eta/2`` (the callers
    that evaluate several polynomials halve the transmittances once)."""
    p0, p1, p2, p3 = _parity_values(_parity_plans(coeff_bytes), x_a, x_b)
    if not np.ndim(p0):
        p0 = np.full(shape, p0)
    d01 = p0 - p1
    r_mm = d01 - p2 + p3
    r_pm = p0 + p1 - p2 - p3
    r_mp = d01 + p2 - p3
    p3_2 = 2.0 * p3
    ea = -k * np.log1p((2.0 * p1 - p3_2) / r_mm)
    eb = -k * np.log1p((2.0 * p2 - p3_2) / r_mm)
    ecab = -k * np.log1p((4.0 * p0 * p3 - 4.0 * p1 * p2) / (r_pm * r_mp))
    rho_mm = np.exp(-k * np.log(r_mm))
    return rho_mm * (np.expm1(ea) * np.expm1(eb) + np.exp(ea + eb) * np.expm1(ecab))


# Station points of the no-click polynomial, ``(u, v) = eta * (c_u, c_v)``: detector "+"
# silent, detector "-" silent (pulled back ``eta (1 +/- sigma) / 2``), both silent (``eta 1``).
STATION_POINTS = {"+": (0.5, 0.5), "-": (0.5, -0.5), "both": (1.0, 0.0)}


def _point_weights(point):
    """``w[d, i_u, i_v] = c_u^i_u c_v^i_v`` where ``d = i_u + i_v`` (degree in eta)."""
    c_u, c_v = point
    w = np.zeros((3, 3, 3))
    for iu in range(3):
        for iv in range(3 - iu):
            w[iu + iv, iu, iv] = c_u ** iu * c_v ** iv
    return w


def station_point_polynomials(coeff):
    """``r`` at the station points as polynomials in ``(eta_a, eta_b)``.

    Parameters
    ----------
    coeff : ndarray, shape (3, 3, 3, 3)
        Polynomial ``r(u_a, v_a, u_b, v_b)`` of :func:`swap_no_click_polynomial`.

    Returns
    -------
    dict of (str, str) -> ndarray, shape (3, 3)
        ``P[i, j]``: coefficient of ``eta_a^i eta_b^j`` of ``r`` with station a at point
        ``x_a`` and b at ``x_b`` (keys of ``STATION_POINTS``).
    """
    weights = {name: _point_weights(pt) for name, pt in STATION_POINTS.items()}
    return {(xa, xb): np.einsum("dij,ekl,ijkl->de", weights[xa], weights[xb], coeff)
            for xa in STATION_POINTS for xb in STATION_POINTS}


def _compile(poly):
    """Coefficient array -> rows of Python floats without vanishing top coefficients (the
    evaluation of :func:`_poly` then costs one multiply-add per nonzero-topped degree)."""
    rows = []
    for row in np.asarray(poly, float):
        c = [float(v) for v in row]
        while len(c) > 1 and c[-1] == 0.0:
            c.pop()
        rows.append(tuple(c))
    while len(rows) > 1 and rows[-1] == (0.0,):
        rows.pop()
    return tuple(rows)


def _poly(compiled, x, y):
    """Evaluate ``sum c[i][j] x^i y^j`` from :func:`_compile` (Horner on both axes)."""
    out = None
    for row in reversed(compiled):
        acc = row[-1]
        for c in row[-2::-1]:
            acc = acc * y + c if c != 0.0 else acc * y
        out = acc if out is None else out * x + acc
    return out if np.ndim(out) else np.full(np.broadcast(x, y).shape, out)


def exactly_one_polynomials(coeff):
    """Polynomials of the exactly-one-click factors (payload constants; cache them).

    Returns ``r0`` = ``r(both, both)``; ``num_a[s]`` = ``(r(s, both) - r0) / eta_a`` and
    ``num_b[s]`` = ``(r(both, s) - r0) / eta_b``; ``num_ab[s, t]`` =
    ``(r(s, t) r0 - r(s, both) r(both, t)) / (eta_a eta_b)``.  The divisions are exact:
    the constant rows and columns cancel identically (station a drops out of ``r`` at
    ``eta_a = 0``), so they are removed from the coefficients instead of subtracted
    numerically.  Each polynomial is returned as rows of floats (``_compile``), the form
    ``_poly`` evaluates.
    """
    pts = station_point_polynomials(coeff)
    r0 = pts["both", "both"]
    num_a = {s: _compile((pts[s, "both"] - r0)[1:, :]) for s in "+-"}
    num_b = {s: _compile((pts["both", s] - r0)[:, 1:]) for s in "+-"}
    num_ab = {}
    for s in "+-":
        for t in "+-":
            prod = _conv2(pts[s, t], r0) - _conv2(pts[s, "both"], pts["both", t])
            num_ab[s, t] = _compile(prod[1:, 1:])
    return {"r0": _compile(r0), "num_a": num_a, "num_b": num_b, "num_ab": num_ab}


def _conv2(p, q):
    """Coefficients of the product of two polynomials in (x, y)."""
    out = np.zeros((p.shape[0] + q.shape[0] - 1, p.shape[1] + q.shape[1] - 1))
    for i in range(p.shape[0]):
        for j in range(p.shape[1]):
            out[i:i + q.shape[0], j:j + q.shape[1]] += p[i, j] * q
    return out


def exactly_one_parts(polys, schmidt_number, eta_a, eta_b):
    """Noise-free pieces of "exactly one click at each station", per sample.

    With ``L = -K log r`` and station a at point ``x_a``, b at ``x_b``, write
    ``L(x_a, x_b) = L0 + d_a(x_a) + d_b(x_b) + d_ab(x_a, x_b)`` around the point where
    all four outer detectors are silent (``L0``); ``d_a(s) >= 0`` is the log-gain of
    letting detector s of a fire, ``d_ab`` the mixed second difference.  Inclusion-exclusion
    over the kept patterns "s clicks, -s silent" at both stations then gives, with
    per-detector noise ``n`` (``q = 1 - n``),

        P_1 = e^L0 q_a q_b [(A + 2 n_a)(B + 2 n_b) + C],
        A = sum_s expm1(d_a(s)),  B = sum_t expm1(d_b(t)),
        C = sum_{s,t} e^{d_a(s) + d_b(t)} expm1(d_ab(s, t)),

    every term formed without subtracting numbers close to one (see
    :func:`exactly_one_polynomials`).

    Parameters
    ----------
    polys : dict
        From :func:`exactly_one_polynomials`.
    schmidt_number : float
        Number K of Schmidt modes. [1]
    eta_a, eta_b : ndarray
        Outer-photon transmittances. [1]

    Returns
    -------
    dict of ndarray
        ``rho`` (``e^L0``), ``sum_a`` (A), ``sum_b`` (B), ``cross`` (C). [1]
    """
    k = schmidt_number
    r0 = _poly(polys["r0"], eta_a, eta_b)
    inv_r0 = 1.0 / r0
    r_a, m_a, r_b, m_b = {}, {}, {}, {}  # m = expm1(d)
    for s in "+-":
        num = eta_a * _poly(polys["num_a"][s], eta_a, eta_b)
        r_a[s], m_a[s] = r0 + num, np.expm1(-k * np.log1p(num * inv_r0))
        num = eta_b * _poly(polys["num_b"][s], eta_a, eta_b)
        r_b[s], m_b[s] = r0 + num, np.expm1(-k * np.log1p(num * inv_r0))
    cross = 0.0
    eta_ab = eta_a * eta_b
    for s in "+-":
        for t in "+-":
            num = eta_ab * _poly(polys["num_ab"][s, t], eta_a, eta_b)
            m_ab = np.expm1(-k * np.log1p(num / (r_a[s] * r_b[t])))
            cross = cross + (1.0 + m_a[s]) * (1.0 + m_b[t]) * m_ab
    return {"rho": r0 ** -k, "sum_a": m_a["+"] + m_a["-"], "sum_b": m_b["+"] + m_b["-"],
            "cross": cross}


def exactly_one_from_parts(parts, noise_a, noise_b):
    """Probability factor "exactly one click at a and exactly one at b".

    ``noise_*`` is the noise-click probability of *each* detector of the station in the
    window (not the station's).  See :func:`exactly_one_parts`.
    """
    qa = 1.0 - noise_a
    qb = 1.0 - noise_b
    return parts["rho"] * qa * qb * ((parts["sum_a"] + 2.0 * noise_a) * (parts["sum_b"] + 2.0 * noise_b)
                                     + parts["cross"])


def fourfold_from_outer(outer, noise_a, noise_b):
    """Probability factor "a clicks and b clicks" from :func:`outer_click_factors`.

    ``noise_*`` is the probability that at least one of the two detectors of the station
    fires from noise alone in the window.  Implements
    ``1 - q_a rho10 - q_b rho01 + q_a q_b rho11`` with ``q = 1 - noise`` in a
    cancellation-free form.
    """
    return _fourfold(outer, noise_a, noise_b, (1.0 - noise_a) * (1.0 - noise_b))


def _fourfold(outer, noise_a, noise_b, q_ab):
    """:func:`fourfold_from_outer` with ``q_ab = (1 - noise_a) (1 - noise_b)`` formed once by a
    caller that combines several outer factors with the same noise."""
    click_a = noise_a * outer["rho10"] + outer["m10"]
    click_b = noise_b * outer["rho01"] + outer["m01"]
    return click_a * click_b + q_ab * outer["cross"]
