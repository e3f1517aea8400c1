"""The swap model's statistics per sample, before the planner's API (:mod:`payload.swap`) turns
them into rates, fidelity, QBER and the fidelity budget: the noise-independent pieces of each BSM
no-click class and analyser basis (:func:`swap_components`, :func:`direct_downlink_components`),
and their combination with the noise into herald, four-fold and aligned-correlation numerators
(:func:`combine`), from the closed-form Gaussian-state click model of :mod:`payload.clicks`
(references in :mod:`payload.swap`).
"""
from __future__ import annotations

import functools

import numpy as np

from . import clicks

# BSM no-click sets up to symmetry (H<->V on all photons, exchange of the BS outputs):
# representative, number of detectors.  psi-minus pattern {cH,dV}: silent {cV,dH};
# psi-plus pattern {cH,cV}: silent {dH,dV}.
_CLASS_SETS = {"2m": ("cV", "dH"), "2p": ("dH", "dV"), "3": ("cV", "dH", "cH"),
               "4": ("cH", "cV", "dH", "dV")}
_HERALD_CLASSES = {"psi-minus": (("2m", 1.0), ("3", -2.0), ("4", 1.0)),
                   "psi-plus": (("2p", 1.0), ("3", -2.0), ("4", 1.0))}


@functools.lru_cache(maxsize=64)
def _class_tables(mu, k, omega, eta_bsm, theta_rad, classes):
    """Per-class constants: log no-click of the BSM set and polynomials per basis.

    Depends on payload constants only, so it is cached across calls (passes).
    """
    lam2 = float(clicks.tmsv_lambda_squared(mu / (2.0 * k)))
    settings = {"Z": (clicks.analyser_sigma("Z", theta_rad), clicks.analyser_sigma("Z")),
                "X": (clicks.analyser_sigma("X", theta_rad), clicks.analyser_sigma("X")),
                "Y": (clicks.analyser_sigma("X"), clicks.analyser_sigma("X"))}
    tables = {}
    for name in classes:
        dets = _CLASS_SETS[name]
        polys = {}
        log_n0 = 0.0
        for basis, (sa, sb) in settings.items():
            log_n0, polys[basis] = clicks.swap_no_click_polynomial(dets, lam2, eta_bsm, omega, sa, sb)
        tables[name] = (k * log_n0, len(dets), polys)
    return tables


@functools.lru_cache(maxsize=256)
def _exactly_one_tables(poly_bytes):
    """Exactly-one-click polynomials of one no-click polynomial (payload constants: cached)."""
    return clicks.exactly_one_polynomials(np.frombuffer(poly_bytes).reshape(3, 3, 3, 3))


def _kept_parts(polys, schmidt_k, eta_a, eta_b, double_clicks, done):
    """Per basis, the exactly-one-click pieces (``discard``) or None (``squash``); ``done``
    shares evaluations between classes and bases with the same polynomial."""
    if double_clicks == "squash":
        return None
    out = {}
    for b in ("Z", "X", "Y"):
        key = polys[b].tobytes()
        if key not in done:
            done[key] = clicks.exactly_one_parts(_exactly_one_tables(key), schmidt_k, eta_a, eta_b)
        out[b] = done[key]
    return out


def swap_components(mu, schmidt_k, hom_overlap, eta_bsm, theta_rad, eta_a, eta_b, heralds,
                    double_clicks="squash"):
    """Noise-independent pieces of the swap statistics (recombined by :func:`combine`).

    Parameters
    ----------
    mu : float
        Mean pairs per trial and source. [1]
    schmidt_k : float
        Effective Schmidt number K. [1]
    hom_overlap : float
        Intensity overlap per Schmidt mode of the two inner photons (V_HOM * K). [1]
    eta_bsm : float
        BSM arm efficiency. [1]
    theta_rad : float
        Polarisation error on photon a. [rad]
    eta_a, eta_b : ndarray
        Outer transmittances. [1]
    heralds : tuple of str
        Heralding Bell states.
    double_clicks : {"squash", "discard"}
        Station rule (see :class:`PayloadQuantum`); ``discard`` adds the exactly-one-click
        pieces.
    """
    omega = np.sqrt(min(max(hom_overlap, 0.0), 1.0))
    needed = {c for h in heralds for c, _ in _HERALD_CLASSES[h]}
    tables = _class_tables(float(mu), float(schmidt_k), float(omega), float(eta_bsm),
                           float(theta_rad), tuple(sorted(needed)))
    comps = {}
    outer_of, corr_of, kept_of = {}, {}, {}  # classes and bases share polynomials: evaluate once
    x_a, x_b, shape = 0.5 * eta_a, 0.5 * eta_b, np.broadcast(eta_a, eta_b).shape  # each correlation's eta/2
    for name, (log_n0, ndet, polys) in tables.items():
        key = polys["Z"].tobytes()
        if key not in outer_of:
            outer_of[key] = clicks.outer_click_factors(polys["Z"], schmidt_k, eta_a, eta_b)
        corr = {}
        for b in ("Z", "X", "Y"):
            key_b = polys[b].tobytes()
            if key_b not in corr_of:
                corr_of[key_b] = clicks._outer_correlation_at(key_b, schmidt_k, x_a, x_b, shape)
            corr[b] = corr_of[key_b]
        kept = _kept_parts(polys, schmidt_k, eta_a, eta_b, double_clicks, kept_of)
        comps[name] = (np.exp(log_n0), ndet, outer_of[key], corr, kept)
    return {"heralds": heralds, "classes": comps, "double_clicks": double_clicks}


def direct_downlink_components(mu, schmidt_k, theta_rad, eta_a, eta_b, double_clicks="squash"):
    """As :func:`swap_components` for one source sending both photons down."""
    lam2 = float(clicks.tmsv_lambda_squared(mu / (2.0 * schmidt_k)))
    polys = {}
    for basis, (sa, sb) in {"Z": ("Z", "Z"), "X": ("X", "X")}.items():
        _, polys[basis] = clicks.direct_downlink_no_click_polynomial(
            lam2, clicks.analyser_sigma(sa, theta_rad), clicks.analyser_sigma(sb))
    _, polys["Y"] = clicks.direct_downlink_no_click_polynomial(
        lam2, clicks.analyser_sigma("X"), clicks.analyser_sigma("X"))
    outer = clicks.outer_click_factors(polys["Z"], schmidt_k, eta_a, eta_b)
    corr = {b: clicks.outer_correlation(polys[b], schmidt_k, eta_a, eta_b) for b in ("Z", "X", "Y")}
    kept = _kept_parts(polys, schmidt_k, eta_a, eta_b, double_clicks, {})
    return {"heralds": ("source",), "classes": {"source": (1.0, 0, outer, corr, kept)},
            "double_clicks": double_clicks}


_TARGETS = {"psi-minus": clicks.TARGET_SIGNS["psi-minus"],
            "psi-plus": clicks.TARGET_SIGNS["psi-plus"],
            # Phase convention of the direct-downlink model: the single source emits the
            # singlet, so the delivered target is psi-minus.
            "source": clicks.TARGET_SIGNS["psi-minus"]}


def combine(components, dark_bsm, noise_a, noise_b):
    """Herald, four-fold and aligned correlation numerators per trial.

    Parameters
    ----------
    components : dict
        From :func:`swap_components` or :func:`direct_downlink_components`.
    dark_bsm : float
        Noise-click probability per window of each BSM detector. [1]
    noise_a, noise_b : ndarray
        Noise-click probability per window of each outer detector. [1]

    Returns
    -------
    herald : ndarray
        BSM herald probability per trial. [1]
    fourfold : ndarray
        Four-fold probability per trial under the squash rule: herald and at least one
        click at each station (the same in every basis). [1]
    aligned : dict of str -> ndarray
        ``sum_h tau_b^h Num_b^h`` for b in Z, X, Y (the same for both rules: a squashed
        double click carries a random bit and drops out). [1]
    kept : dict of str -> ndarray
        Events kept by the components' rule, per basis: ``fourfold`` for ``squash``;
        herald and exactly one click at each station for ``discard`` (basis dependent).
        ``A_b = aligned[b] / kept[b]``. [1]
    """
    q_a, q_b = 1.0 - noise_a, 1.0 - noise_b
    station_a = 1.0 - q_a ** 2
    station_b = 1.0 - q_b ** 2
    # weights per no-click class, summed over heralds and their click patterns
    w_rate = {}
    w_corr = {}
    for herald in components["heralds"]:
        if herald == "source":
            entries, multiplicity = (("source", 1.0),), 1.0
        else:
            entries = _HERALD_CLASSES[herald]
            multiplicity = 2.0  # two equivalent click patterns per Bell state
        for name, coef in entries:
            w_rate[name] = w_rate.get(name, 0.0) + multiplicity * coef
            signs = w_corr.setdefault(name, [0.0, 0.0, 0.0])
            for i, sign in enumerate(_TARGETS[herald]):
                signs[i] += multiplicity * coef * sign
    herald = 0.0
    fourfold = 0.0
    aligned = {"Z": 0.0, "X": 0.0, "Y": 0.0}
    discard = components.get("double_clicks", "squash") == "discard"
    kept = {"Z": 0.0, "X": 0.0, "Y": 0.0}
    kept_of = {}
    outer_noise = q_a * q_b
    station_q = (1.0 - station_a) * (1.0 - station_b)
    fourfold_of = {}  # classes share outer factors (swap_components): one evaluation each
    for name, rate_coef in w_rate.items():
        n0, ndet, outer, corr, parts = components["classes"][name]
        w = n0 * (1.0 - dark_bsm) ** ndet
        herald = herald + rate_coef * w
        if id(outer) not in fourfold_of:
            fourfold_of[id(outer)] = clicks._fourfold(outer, station_a, station_b, station_q)
        fourfold = fourfold + rate_coef * w * fourfold_of[id(outer)]
        noise_of = {}  # the bases of a class often share their weight: scale the noise once
        for sign, b in zip(w_corr[name], ("Z", "X", "Y")):
            if sign != 0.0:
                sw = sign * w
                if sw not in noise_of:
                    noise_of[sw] = sw * outer_noise
                aligned[b] = aligned[b] + noise_of[sw] * corr[b]
            if discard:
                if id(parts[b]) not in kept_of:
                    kept_of[id(parts[b])] = clicks.exactly_one_from_parts(parts[b], noise_a, noise_b)
                kept[b] = kept[b] + rate_coef * w * kept_of[id(parts[b])]
    # Probabilities, not correlations: where they are ~1e-23 a trial and below (arm efficiencies
    # ~1e-8), their signed sums round to either side of zero, and a negative rate is no rate.
    # Only such roundoff is clipped; NaN stays NaN. (``aligned`` is signed: left as it is.)
    herald, fourfold = np.maximum(herald, 0.0), np.maximum(fourfold, 0.0)
    kept = {b: fourfold for b in kept} if not discard else {b: np.maximum(v, 0.0) for b, v in kept.items()}
    return herald, fourfold, aligned, kept


def _fidelity_from(kept, aligned, vis):
    """``F = (1 + A_Z + A_X + A_Y)/4`` with ``A_b = V aligned_b / kept_b`` (each basis its
    own kept events); NaN where a basis keeps no event (its correlation is undefined: not an
    infinite one whose sum with another would be "invalid")."""
    with np.errstate(invalid="ignore", divide="ignore"):
        a = {b: np.where(np.asarray(kept[b]) > 0.0, vis * aligned[b] / kept[b], np.nan) for b in aligned}
    return (1.0 + a["Z"] + a["X"] + a["Y"]) / 4.0, a
