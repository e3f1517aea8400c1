"""Exact Gaussian-state reference for SPDC entanglement swapping with threshold detectors.

Independent of ``payload.clicks``: it builds the full quadrature covariance matrix of
two polarisation-entangled SPDC sources (two TMSVs per source and Schmidt mode), splits
every inner photon into a mode shared with the other source (amplitude ``omega``) and an
orthogonal private mode, applies loss channels, the BSM beam splitter and the
polarisation analysers as symplectic maps, and evaluates threshold-detector events from
vacuum-projection probabilities ``P(no click on S) = det(1 + Delta_S / 2)^(-1/2)``
(hbar = 2, vacuum covariance = 1, ``Delta = V - 1``).  Dark counts are independent
``(1 - p)`` factors per detector; click patterns come from inclusion-exclusion.

To keep four-fold probabilities of order ``eta_a eta_b mu^2 ~ 1e-24`` meaningful in
double precision, the outer-station no-click factors are obtained by Schur complements
conditioned on the BSM no-click set, and their products/differences through
``log1p``/``expm1`` of eigenvalues (no subtraction of numbers close to one).

Two station rules are evaluated.  *Squash*: a four-fold event is the herald and at least
one click at each station, a double click at a station is given a random bit (it drops out
of the correlation sums).  *Discard* (exactly-one-click counting): only events with exactly
one of the two detectors of each station clicking are kept.  For the discard rule every
kept pattern "detector s clicks, its partner -s is silent" (at a and at b) is evaluated on
its own: the vacuum projection of the silent detectors (BSM set and both partners) is a
Schur complement of the covariance, and the click of s and s' is the inclusion-exclusion
``(1 - rho_s)(1 - rho_s') + rho_s rho_s' (kappa - 1)`` on that conditioned state.  Its
denominators are per analyser setting (a two-photon component can give a double click in
one basis and not in another).

Source imperfection (intrinsic visibility V) is an explicit Pauli channel on each outer
photon, ``rho -> (1+3V)/4 rho + (1-V)/4 sum_P P rho P``, averaged over the 16 Pauli pairs.

References: Takeoka, Jin, Sasaki, New J. Phys. 17, 043030 (2015); Krovi et al.,
Appl. Phys. B 122, 52 (2016); Weedbrook et al., Rev. Mod. Phys. 84, 621 (2012)
(Gaussian formalism).
"""
from __future__ import annotations

import itertools

import numpy as np

_S2 = np.sqrt(0.5)
BSM_DETECTORS = ("cH", "cV", "dH", "dV")
PATTERNS = {"psi-minus": (("cH", "dV"), ("cV", "dH")), "psi-plus": (("cH", "cV"), ("dH", "dV"))}
ANALYSERS = {  # rows: detector "+" then "-"; complex amplitudes on (H, V)
    "Z": np.array([[1.0, 0.0], [0.0, 1.0]], dtype=complex),
    "X": np.array([[_S2, _S2], [_S2, -_S2]], dtype=complex),
    "Y": np.array([[_S2, -1j * _S2], [_S2, 1j * _S2]], dtype=complex),
}
PAULIS = (np.eye(2, dtype=complex), np.array([[0, 1], [1, 0]], dtype=complex),
          np.array([[0, -1j], [1j, 0]], dtype=complex), np.array([[1, 0], [0, -1]], dtype=complex))


class _Modes:
    def __init__(self):
        self.index = {}

    def add(self, name):
        self.index[name] = len(self.index)
        return self.index[name]

    def __getitem__(self, name):
        return self.index[name]

    def __len__(self):
        return len(self.index)


def _passive(delta, modes, unitary):
    """Apply a passive unitary (complex, on the listed modes) to Delta in place."""
    n = delta.shape[0] // 2
    s = np.eye(2 * n)
    idx = np.array(modes)
    re, im = unitary.real, unitary.imag
    for a, i in enumerate(idx):
        for b, j in enumerate(idx):
            s[2 * i, 2 * j] = re[a, b]
            s[2 * i, 2 * j + 1] = -im[a, b]
            s[2 * i + 1, 2 * j] = im[a, b]
            s[2 * i + 1, 2 * j + 1] = re[a, b]
    return s @ delta @ s.T


def _loss(delta, modes, eta):
    t = np.ones(delta.shape[0])
    for i in modes:
        t[2 * i] = t[2 * i + 1] = np.sqrt(eta)
    return delta * np.outer(t, t)


def build_delta(mu, schmidt_number, omega, eta_a, eta_b, eta_bsm, theta_a_rad,
                basis_a, basis_b, pauli_a=0, pauli_b=0):
    """Covariance excess ``Delta`` and detector mode lists for one analyser setting."""
    m = _Modes()
    k_modes = range(schmidt_number)
    det = {name: [] for name in BSM_DETECTORS + ("a+", "a-", "b+", "b-")}
    names = []
    for k in k_modes:
        for src in "ab":
            for pol in "HV":
                names.append(f"{src}1{pol}{k}")
                for part in ("par", "perp"):
                    names.append(f"{src}2{pol}{part}{k}")
                names.append(f"vac{src}{pol}{k}")  # BS partner of the private mode
    for nm in names:
        m.add(nm)
    n = len(m)
    delta = np.zeros((2 * n, 2 * n))
    mode_mu = mu / (2.0 * schmidt_number)
    c2 = 2.0 * mode_mu  # cosh 2r - 1
    s2 = 2.0 * np.sqrt(mode_mu * (1.0 + mode_mu))  # sinh 2r
    zmat = np.diag([1.0, -1.0])
    for k in k_modes:
        for src in "ab":
            for outer_pol, inner_pol, sign in (("H", "V", 1.0), ("V", "H", -1.0)):
                i = m[f"{src}1{outer_pol}{k}"]
                j = m[f"{src}2{inner_pol}par{k}"]
                for x in (i, j):
                    delta[2 * x:2 * x + 2, 2 * x:2 * x + 2] = c2 * np.eye(2)
                delta[2 * i:2 * i + 2, 2 * j:2 * j + 2] = sign * s2 * zmat
                delta[2 * j:2 * j + 2, 2 * i:2 * i + 2] = sign * s2 * zmat
    # split every inner photon into the shared internal mode and a private one
    split = np.array([[omega, -np.sqrt(1 - omega ** 2)], [np.sqrt(1 - omega ** 2), omega]],
                     dtype=complex)
    for k in k_modes:
        for src in "ab":
            for pol in "HV":
                delta = _passive(delta, [m[f"{src}2{pol}par{k}"], m[f"{src}2{pol}perp{k}"]], split)
    # losses
    inner = [m[f"{s}2{p}{part}{k}"] for s in "ab" for p in "HV" for part in ("par", "perp")
             for k in k_modes]
    delta = _loss(delta, inner, eta_bsm)
    delta = _loss(delta, [m[f"a1{p}{k}"] for p in "HV" for k in k_modes], eta_a)
    delta = _loss(delta, [m[f"b1{p}{k}"] for p in "HV" for k in k_modes], eta_b)
    # BSM beam splitter: c = (a + b)/sqrt2, d = (a - b)/sqrt2 for every internal mode
    bs = np.array([[_S2, _S2], [_S2, -_S2]], dtype=complex)
    for k in k_modes:
        for pol in "HV":
            pairs = [(m[f"a2{pol}par{k}"], m[f"b2{pol}par{k}"]),
                     (m[f"a2{pol}perp{k}"], m[f"vacb{pol}{k}"]),
                     (m[f"vaca{pol}{k}"], m[f"b2{pol}perp{k}"])]
            for ia, ib in pairs:
                delta = _passive(delta, [ia, ib], bs)
                det[f"c{pol}"].append(ia)
                det[f"d{pol}"].append(ib)
    # outer photons: Pauli error, polarisation rotation (a only), analyser
    c, s = np.cos(theta_a_rad), np.sin(theta_a_rad)
    rot = np.array([[c, -s], [s, c]], dtype=complex)
    for k in k_modes:
        ia = [m[f"a1H{k}"], m[f"a1V{k}"]]
        ib = [m[f"b1H{k}"], m[f"b1V{k}"]]
        delta = _passive(delta, ia, ANALYSERS[basis_a] @ rot @ PAULIS[pauli_a])
        delta = _passive(delta, ib, ANALYSERS[basis_b] @ PAULIS[pauli_b])
        det["a+"].append(ia[0])
        det["a-"].append(ia[1])
        det["b+"].append(ib[0])
        det["b-"].append(ib[1])
    return delta, det


def _quad(modes):
    return np.array([q for i in modes for q in (2 * i, 2 * i + 1)], dtype=int)


def _logdet1p(sym):
    """``log det(1 + sym)`` for a small symmetric matrix, accurate for tiny entries."""
    return float(np.sum(np.log1p(np.linalg.eigvalsh(0.5 * (sym + sym.T)))))


class _Conditional:
    """No-click factors of the outer detectors given a silent BSM set R."""

    def __init__(self, delta, det, bsm_set):
        r_idx = _quad([i for name in bsm_set for i in det[name]])
        self.det = det
        self.delta = delta
        if len(r_idx):
            m_r = np.eye(len(r_idx)) + 0.5 * delta[np.ix_(r_idx, r_idx)]
            self.log_p_r = -0.5 * np.linalg.slogdet(m_r)[1]
            self.r_idx, self.m_r = r_idx, m_r
        else:
            self.log_p_r, self.r_idx, self.m_r = 0.0, r_idx, None

    def d_block(self, rows, cols):
        d = 0.5 * self.delta[np.ix_(rows, cols)]
        if self.m_r is not None:
            left = 0.5 * self.delta[np.ix_(rows, self.r_idx)]
            right = 0.5 * self.delta[np.ix_(self.r_idx, cols)]
            d = d - left @ np.linalg.solve(self.m_r, right)
        return d

    def factors(self, set_a, set_b):
        """(rho_A, 1 - rho_A, rho_B, 1 - rho_B, kappa - 1) for outer silent sets."""
        ia = _quad([i for name in set_a for i in self.det[name]])
        ib = _quad([i for name in set_b for i in self.det[name]])
        daa, dbb, dab = self.d_block(ia, ia), self.d_block(ib, ib), self.d_block(ia, ib)
        la, lb = -0.5 * _logdet1p(daa), -0.5 * _logdet1p(dbb)
        ca = np.linalg.cholesky(np.eye(len(ia)) + daa)
        cb = np.linalg.cholesky(np.eye(len(ib)) + dbb)
        z = np.linalg.solve(ca, dab)
        z = np.linalg.solve(cb, z.T).T
        ys = z.T @ z
        lk = -0.5 * float(np.sum(np.log1p(-np.linalg.eigvalsh(0.5 * (ys + ys.T)))))
        return np.exp(la), -np.expm1(la), np.exp(lb), -np.expm1(lb), np.expm1(lk)


def reference_swap(mu, eta_a, eta_b, eta_bsm, *, schmidt_number=1, hom_overlap=1.0,
                   dark_bsm=0.0, noise_a=0.0, noise_b=0.0, theta_a_rad=0.0,
                   visibility_a=1.0, visibility_b=1.0, heralds=("psi-minus",)):
    """Per-window probabilities of the swap, from the full Gaussian state.

    ``hom_overlap`` is the internal-mode intensity overlap per Schmidt mode (omega^2);
    ``noise_*``/``dark_bsm`` are per-detector noise-click probabilities per window.

    Returns a dict with ``herald`` (BSM herald probability), ``fourfold`` and ``corr`` (dict
    basis -> target-aligned correlation numerator summed over heralds), ``fidelity`` (squash
    rule), and ``discard``: a dict with ``fourfold`` and ``corr`` per basis and ``fidelity``
    for exactly-one-click counting.
    """
    # each inner photon = c*shared + sqrt(1-c^2)*private, so <phi_a|phi_b> = c^2 and the
    # intensity overlap is c^4 = hom_overlap
    omega = hom_overlap ** 0.25
    if visibility_a == 1.0 and visibility_b == 1.0:
        paulis = [((0, 0), 1.0)]
    else:
        wa = [(1 + 3 * visibility_a) / 4] + [(1 - visibility_a) / 4] * 3
        wb = [(1 + 3 * visibility_b) / 4] + [(1 - visibility_b) / 4] * 3
        paulis = [((i, j), wa[i] * wb[j]) for i in range(4) for j in range(4)]
    targets = {"psi-minus": {"Z": -1, "X": -1, "Y": -1}, "psi-plus": {"Z": -1, "X": 1, "Y": 1}}
    out = {"herald": 0.0, "fourfold": 0.0, "corr": {"Z": 0.0, "X": 0.0, "Y": 0.0}}
    disc = {"fourfold": {"Z": 0.0, "X": 0.0, "Y": 0.0}, "corr": {"Z": 0.0, "X": 0.0, "Y": 0.0}}
    qa1, qb1 = 1.0 - noise_a, 1.0 - noise_b
    na, nb = 1.0 - qa1 ** 2, 1.0 - qb1 ** 2
    for basis in ("Z", "X", "Y"):
        for (pa, pb), weight in paulis:
            delta, det = build_delta(mu, schmidt_number, omega, eta_a, eta_b, eta_bsm,
                                     theta_a_rad, basis, basis, pa, pb)
            for herald in heralds:
                for clicks in PATTERNS[herald]:
                    silent = [d for d in BSM_DETECTORS if d not in clicks]
                    for nsub in range(3):
                        for extra in itertools.combinations(clicks, nsub):
                            rset = tuple(silent) + extra
                            sign = (-1.0) ** nsub * (1.0 - dark_bsm) ** len(rset)
                            cond = _Conditional(delta, det, rset)
                            p_r = np.exp(cond.log_p_r)
                            if basis == "Z":
                                ra, ma, rb, mb, km1 = cond.factors(("a+", "a-"), ("b+", "b-"))
                                ff = (na * ra + ma) * (nb * rb + mb) + qa1 ** 2 * qb1 ** 2 * ra * rb * km1
                                out["fourfold"] += weight * sign * p_r * ff
                                out["herald"] += weight * sign * p_r
                            tot = 0.0
                            single = {}
                            for sa in ("a+", "a-"):
                                for sb in ("b+", "b-"):
                                    single[(sa, sb)] = cond.factors((sa,), (sb,))
                            # (rho_a+ - rho_a-)(rho_b+ - rho_b-) + sum s s' rho rho' (kappa-1)
                            fa = single[("a+", "b+")]
                            ga = single[("a-", "b+")]
                            fb = single[("a+", "b-")]
                            da = ga[1] - fa[1]  # rho_a+ - rho_a- = m_a- - m_a+
                            db = fb[3] - fa[3]
                            tot = da * db
                            for (sa, sb), f in single.items():
                                sgn = (1 if sa == "a+" else -1) * (1 if sb == "b+" else -1)
                                tot += sgn * f[0] * f[2] * f[4]
                            out["corr"][basis] += (weight * sign * p_r * qa1 * qb1 * tot
                                                   * targets[herald][basis])
                            ff1, corr1 = exactly_one_click(delta, det, rset, noise_a, noise_b)
                            w1 = weight * sign
                            disc["fourfold"][basis] += w1 * ff1
                            disc["corr"][basis] += w1 * corr1 * targets[herald][basis]
    corr = out["corr"]
    out["fidelity"] = (1.0 + (corr["Z"] + corr["X"] + corr["Y"]) / out["fourfold"]) / 4.0
    out["discard"] = _discard_summary(disc)
    return out


def exactly_one_click(delta, det, bsm_set, noise_a, noise_b):
    """Exactly one click at each station, jointly with the silent BSM set ``bsm_set``.

    Sums over the four kept patterns (s at a, s' at b): ``P(s, s' click; -s, -s', R
    silent)``, each from the state conditioned on the silent detectors.  Per-detector noise
    ``n`` makes a detector silent with probability ``(1 - n) rho`` and click with
    ``n rho + (1 - rho)``.

    Returns
    -------
    fourfold : float
        ``sum_{s, s'} P`` (probability of a kept event with R silent). [1]
    corr : float
        ``sum_{s, s'} s s' P`` (unnormalised correlation). [1]
    """
    qa, qb = 1.0 - noise_a, 1.0 - noise_b
    other = {"a+": "a-", "a-": "a+", "b+": "b-", "b-": "b+"}
    fourfold = corr = 0.0
    for sa in ("a+", "a-"):
        for sb in ("b+", "b-"):
            cond = _Conditional(delta, det, tuple(bsm_set) + (other[sa], other[sb]))
            ra, ma, rb, mb, km1 = cond.factors((sa,), (sb,))
            both = (noise_a * ra + ma) * (noise_b * rb + mb) + qa * qb * ra * rb * km1
            p = np.exp(cond.log_p_r) * qa * qb * both
            fourfold += p
            corr += (1 if sa == "a+" else -1) * (1 if sb == "b+" else -1) * p
    return fourfold, corr


def _discard_summary(disc):
    """Fidelity of the exactly-one-click events: ``A_b = corr_b / fourfold_b`` per setting."""
    ff, corr = disc["fourfold"], disc["corr"]
    disc["fidelity"] = (1.0 + sum(corr[b] / ff[b] for b in ("Z", "X", "Y"))) / 4.0
    return disc


def reference_direct_downlink(mu, eta_a, eta_b, *, schmidt_number=1, noise_a=0.0, noise_b=0.0,
                           theta_a_rad=0.0):
    """One SPDC source, photon 1 to station a, photon 2 to station b (full covariance).

    Returns ``fourfold`` (here: two-fold coincidence probability per window), ``corr``
    (psi-minus-aligned correlation numerators per basis) and ``fidelity`` (squash rule),
    and ``discard`` as in :func:`reference_swap`.
    """
    out = {"corr": {}}
    disc = {"fourfold": {}, "corr": {}}
    qa1, qb1 = 1.0 - noise_a, 1.0 - noise_b
    na, nb = 1.0 - qa1 ** 2, 1.0 - qb1 ** 2
    mode_mu = mu / (2.0 * schmidt_number)
    c2, s2 = 2.0 * mode_mu, 2.0 * np.sqrt(mode_mu * (1.0 + mode_mu))
    zmat = np.diag([1.0, -1.0])
    for basis in ("Z", "X", "Y"):
        n = 4 * schmidt_number
        delta = np.zeros((2 * n, 2 * n))
        det = {"a+": [], "a-": [], "b+": [], "b-": []}
        for k in range(schmidt_number):
            a_h, a_v, b_h, b_v = 4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3
            for i, j, sign in ((a_h, b_v, 1.0), (a_v, b_h, -1.0)):
                for x in (i, j):
                    delta[2 * x:2 * x + 2, 2 * x:2 * x + 2] = c2 * np.eye(2)
                delta[2 * i:2 * i + 2, 2 * j:2 * j + 2] = sign * s2 * zmat
                delta[2 * j:2 * j + 2, 2 * i:2 * i + 2] = sign * s2 * zmat
            delta = _loss(delta, [a_h, a_v], eta_a)
            delta = _loss(delta, [b_h, b_v], eta_b)
            c, s = np.cos(theta_a_rad), np.sin(theta_a_rad)
            rot = np.array([[c, -s], [s, c]], dtype=complex)
            delta = _passive(delta, [a_h, a_v], ANALYSERS[basis] @ rot)
            delta = _passive(delta, [b_h, b_v], ANALYSERS[basis])
            det["a+"].append(a_h)
            det["a-"].append(a_v)
            det["b+"].append(b_h)
            det["b-"].append(b_v)
        cond = _Conditional(delta, det, ())
        if basis == "Z":
            ra, ma, rb, mb, km1 = cond.factors(("a+", "a-"), ("b+", "b-"))
            out["fourfold"] = (na * ra + ma) * (nb * rb + mb) + qa1 ** 2 * qb1 ** 2 * ra * rb * km1
        single = {(sa, sb): cond.factors((sa,), (sb,)) for sa in ("a+", "a-") for sb in ("b+", "b-")}
        tot = (single[("a-", "b+")][1] - single[("a+", "b+")][1]) * (
            single[("a+", "b-")][3] - single[("a+", "b+")][3])
        for (sa, sb), f in single.items():
            tot += (1 if sa == "a+" else -1) * (1 if sb == "b+" else -1) * f[0] * f[2] * f[4]
        out["corr"][basis] = -qa1 * qb1 * tot
        ff1, corr1 = exactly_one_click(delta, det, (), noise_a, noise_b)
        disc["fourfold"][basis], disc["corr"][basis] = ff1, -corr1
    corr = out["corr"]
    out["fidelity"] = (1.0 + (corr["Z"] + corr["X"] + corr["Y"]) / out["fourfold"]) / 4.0
    out["discard"] = _discard_summary(disc)
    return out
