"""A mission year as a distribution: Monte Carlo over clouds (and fades) contact by contact.

The planner knows, for every contact (a scheduled contact, or a candidate window), what it
delivers *if* the sky is clear: heralded pairs, their QBER. Clouds decide whether it delivers.
This module draws the clouds (:mod:`groundstations.cloud_process`: persistent from night to
night, correlated between nearby stations), decides per draw which contacts deliver, and sums
per draw — the year's totals become samples whose mean, P10, P50 and P90 the summary reports.

Inputs per contact ``c`` (arrays over contacts):

- ``contact_station[c] = (a, b)``: station indices, ``b = -1`` for a single-station contact;
- ``contact_night[c] = (n_a, n_b)``: each station's night index (:func:`local_night_index`);
- ``pairs_if_clear[c]``, ``qber[c]``: heralded pairs and their error rate if every sky is clear;
- ``fade_probability[c]``: probability that turbulence (or anything else independent of clouds)
  spoils the whole contact; 0 where the channel has no fades;
- ``link[c]``: the link whose key pools this contact's pairs (station pair, or the station);
- ``month[c]`` (1..12);
- optionally ``alternative[c]``: contacts with the same non-negative value are alternatives (one
  payload, one of them served): per draw the first that delivers, in order of decreasing pairs,
  is served — the contact plan's choice made after the weather is known.

Secret key is not additive: the finite-size key of a set of contacts is a function of the pooled
sifted bits and the pooled QBER (payload.keyrate.bbm92_secret_key_bits). Per draw and per key
block (a link over the year, or a link in one month) the engine pools pairs P = Σ pairs and
errors E = Σ pairs·qber of the contacts that delivered and calls the caller's
``key_bits(pooled_pairs, pooled_qber)`` once on the whole (n_draws, n_blocks) array, e.g.
``lambda n, q: bbm92_secret_key_bits(0.5 * n, q)`` (half the pairs share a basis). The yearly key
of a link is that of its year block; a month's key is that of its month block (the two do not
add up: finite-size effects).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .cloud_process import (
    CORRELATION_LENGTH_KM,
    NIGHT_CORRELATION,
    simulate_clear_nights,
    station_correlation_matrix,
)

#: Quantiles reported for every total (P10, P50, P90). [%]
PERCENTILES = (10.0, 50.0, 90.0)


def local_night_index(time_s, longitude_deg):
    """Index of the local night a time falls in: 0 for the evening of the span's first day.

    Local mean solar time is UTC + longitude/15 h; a night runs from local noon to local noon, so
    an evening and the following morning share an index. ``time_s`` counts from the span start
    at 00:00 UTC; a morning before the first local noon gets −1 (the night before the span).

    Parameters
    ----------
    time_s : ndarray
        Seconds after the span start (00:00 UTC). [s]
    longitude_deg : float or ndarray
        Station longitude east. [deg]

    Returns
    -------
    ndarray of int
    """
    local_s = np.asarray(time_s, float) + np.asarray(longitude_deg, float) / 15.0 * 3600.0
    return np.floor((local_s - 43200.0) / 86400.0).astype(int)


def nightly_clear_probability(monthly, night_month):
    """Each station's clear probability on each night, from its twelve monthly values.

    Parameters
    ----------
    monthly : ndarray, shape (n_stations, 12)
        Cloud-free probability per station and month. [1]
    night_month : ndarray of int, shape (n_nights,)
        Month (1..12) of each night.

    Returns
    -------
    ndarray, shape (n_stations, n_nights)  [1]
    """
    m = np.asarray(night_month, int)
    if np.any((m < 1) | (m > 12)):
        raise ValueError("night_month must be in 1..12")
    return np.asarray(monthly, float)[:, m - 1]


def contact_deliveries(clear, contact_station, contact_night, fade_probability=None, rng=None):
    """Which contacts deliver in each draw: every sky of the contact clear, and no fade.

    Parameters
    ----------
    clear : ndarray of bool, shape (n_draws, n_stations, n_nights)
        :func:`groundstations.cloud_process.simulate_clear_nights`.
    contact_station, contact_night : ndarray of int, shape (n_contacts, 2)
        Station indices (−1: none) and their night indices.
    fade_probability : ndarray, shape (n_contacts,), optional
        Independent probability that the contact is lost to a fade. [1]
    rng : numpy.random.Generator
        Needed when ``fade_probability`` is given.

    Returns
    -------
    ndarray of bool, shape (n_draws, n_contacts)
    """
    st = np.asarray(contact_station, int).reshape(-1, 2)
    night = np.asarray(contact_night, int).reshape(-1, 2)
    n_draws, _, n_nights = clear.shape
    used = st >= 0
    if np.any(used & ((night < 0) | (night >= n_nights))):
        raise ValueError(f"contact_night must be in 0..{n_nights - 1} for every station of a contact")
    ok = np.ones((n_draws, st.shape[0]), dtype=bool)
    for k in range(2):
        sel = np.flatnonzero(used[:, k])
        ok[:, sel] &= clear[:, st[sel, k], night[sel, k]]
    if fade_probability is not None:
        fp = np.asarray(fade_probability, float)
        if np.any((fp < 0) | (fp > 1)):
            raise ValueError("fade_probability must lie in [0, 1]")
        if np.any(fp > 0):
            ok &= rng.random(ok.shape) >= fp
    return ok


def serve_alternatives(delivered, alternative, pairs_if_clear):
    """Keep, per draw and per group of alternatives, only the first delivering contact.

    Contacts sharing a non-negative ``alternative`` id compete for one payload; they are tried in
    order of decreasing pairs (ties: contact order) and the first with a clear sky is served.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
    alternative : ndarray of int, shape (n_contacts,)
        Group id, or −1 for a contact that competes with none.
    pairs_if_clear : ndarray, shape (n_contacts,)

    Returns
    -------
    ndarray of bool, shape (n_draws, n_contacts)
    """
    alt = np.asarray(alternative, int)
    grouped = np.flatnonzero(alt >= 0)
    if grouped.size == 0:
        return delivered
    order = grouped[np.lexsort((grouped, -np.asarray(pairs_if_clear, float)[grouped], alt[grouped]))]
    d = delivered[:, order].astype(np.int32)
    cum = np.cumsum(d, axis=1)
    ids = alt[order]
    first = np.r_[True, ids[1:] != ids[:-1]]
    start = np.flatnonzero(first)
    before = np.where(start > 0, cum[:, np.maximum(start - 1, 0)], 0)  # delivered before each group
    seg = np.cumsum(first) - 1
    served = (d == 1) & (cum - before[:, seg] == 1)
    out = delivered.copy()
    out[:, order] = served
    return out


def group_sums(delivered, index, n_groups, weights=None):
    """Per-draw sums of ``weights`` over the delivered contacts of each group.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
    index : ndarray of int, shape (n_contacts,) or (n_contacts, k)
        Group(s) of each contact; −1 entries are ignored (a contact of two stations counts for both).
    n_groups : int
    weights : ndarray, shape (n_contacts,) or (n_contacts, m), optional
        Default 1; m columns are summed at once.

    Returns
    -------
    ndarray, shape (n_draws, n_groups) or (n_draws, n_groups, m)
    """
    idx = np.asarray(index, int)
    idx = idx[:, None] if idx.ndim == 1 else idx
    w = np.ones(idx.shape[0]) if weights is None else np.asarray(weights, float)
    out = np.zeros((delivered.shape[0], n_groups) + w.shape[1:])
    for k in range(idx.shape[1]):
        sel = np.flatnonzero(idx[:, k] >= 0)
        if sel.size == 0:
            continue
        order = sel[np.argsort(idx[sel, k], kind="stable")]
        g = idx[order, k]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        d = delivered[:, order]
        terms = d[..., None] * w[order] if w.ndim == 2 else d * w[order]
        out[:, g[starts]] += np.add.reduceat(terms, starts, axis=1)
    return out


def pooled_key_bits(delivered, pairs_if_clear, qber, block, n_blocks, key_bits):
    """Finite-size key per draw and block, from the pooled pairs and pooled QBER of the block.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
    pairs_if_clear, qber : ndarray, shape (n_contacts,)
        Heralded pairs and QBER of each contact if it delivers. [1]
    block : ndarray of int, shape (n_contacts,)
        Key block of each contact (−1: none).
    n_blocks : int
    key_bits : callable (pooled_pairs, pooled_qber) -> key bits, elementwise on arrays

    Returns
    -------
    ndarray, shape (n_draws, n_blocks)  [bit]
    """
    pairs = np.asarray(pairs_if_clear, float)
    both = group_sums(delivered, block, n_blocks, np.column_stack([pairs, pairs * np.asarray(qber, float)]))
    p, e = both[..., 0], both[..., 1]
    out = np.zeros_like(p)
    some = p > 0
    out[some] = np.asarray(key_bits(p[some], e[some] / p[some]), float)  # key of the pooled block
    return out


def quantile_summary(samples) -> dict:
    """Mean, P10, P50 and P90 over draws (axis 0), as floats or lists.

    Parameters
    ----------
    samples : ndarray, shape (n_draws, ...)
    """
    s = np.asarray(samples, float)
    q = np.percentile(s, PERCENTILES, axis=0)
    conv = float if s.ndim == 1 else (lambda a: a.tolist())
    return {"mean": conv(s.mean(axis=0)), "p10": conv(q[0]), "p50": conv(q[1]), "p90": conv(q[2])}


@dataclass(frozen=True)
class YearDraws:
    """Per-draw totals of a simulated year (draws on axis 0).

    Attributes
    ----------
    station_names, link_names : tuple of str
    heralded_pairs, passes_with_data, secret_key_bits : dict
        Each with ``total`` (n_draws,), ``by_station`` (n_draws, n_stations), ``by_link``
        (n_draws, n_links) and ``monthly`` (n_draws, 12). A two-station contact's pairs count half
        at each of its stations (the stations add up to the total); its data counts at both.
        Key by station is the sum of its links'
        keys; key ``monthly`` pools each link's month. Key arrays are zero without ``key_bits``.
    delivered : ndarray of bool, shape (n_draws, n_contacts)
        Which contacts delivered in each draw.
    """

    station_names: tuple
    link_names: tuple
    heralded_pairs: dict
    passes_with_data: dict
    secret_key_bits: dict
    delivered: np.ndarray

    def distribution(self) -> dict:
        """Mean/P10/P50/P90 of each quantity in total, by station, by link and by month (JSON-ready)."""
        out = {}
        for q in ("heralded_pairs", "secret_key_bits", "passes_with_data"):
            d = getattr(self, q)
            by_st, by_link, monthly = (quantile_summary(d[k]) for k in ("by_station", "by_link", "monthly"))
            out[q] = {
                **quantile_summary(d["total"]),
                "by_station": {n: {k: v[i] for k, v in by_st.items()} for i, n in enumerate(self.station_names)},
                "by_pair": {n: {k: v[i] for k, v in by_link.items()} for i, n in enumerate(self.link_names)},
                "monthly": [{"month": m + 1, **{k: v[m] for k, v in monthly.items()}} for m in range(12)],
            }
        return out


def simulate_year(
    *,
    station_names: Sequence[str],
    latitude_deg: Sequence[float],
    longitude_deg: Sequence[float],
    p_clear_nightly: np.ndarray,
    contact_station: np.ndarray,
    contact_night: np.ndarray,
    month: np.ndarray,
    pairs_if_clear: np.ndarray,
    qber: np.ndarray | None = None,
    link: np.ndarray | None = None,
    link_names: Sequence[str] = (),
    fade_probability: np.ndarray | None = None,
    alternative: np.ndarray | None = None,
    key_bits: Callable | None = None,
    n_draws: int = 1000,
    seed: int = 0,
    night_correlation: float = NIGHT_CORRELATION,
    correlation_length_km: float = CORRELATION_LENGTH_KM,
) -> YearDraws:
    """Simulate ``n_draws`` years of weather over the contacts and sum what each delivers.

    Deterministic: the same inputs and ``seed`` give byte-identical draws (clouds and fades come
    from two independent streams spawned from ``seed``, so switching fades on leaves the clouds
    unchanged).

    Parameters
    ----------
    station_names : sequence of str, length n_stations
    latitude_deg, longitude_deg : sequence of float, length n_stations  [deg]
    p_clear_nightly : ndarray, shape (n_stations, n_nights)
        Clear probability per station and night (:func:`nightly_clear_probability`). [1]
    contact_station, contact_night : ndarray of int, shape (n_contacts, 2)
        Stations (−1: none) and their night indices.
    month : ndarray of int, shape (n_contacts,)
        Month (1..12) of each contact.
    pairs_if_clear : ndarray, shape (n_contacts,)
        Heralded pairs if the contact delivers. [1]
    qber : ndarray, shape (n_contacts,), optional
        QBER of those pairs (needed for key). [1]
    link : ndarray of int, shape (n_contacts,), optional
        Link (key block) of each contact, indexing ``link_names``; default: the station pair.
    link_names : sequence of str
    fade_probability : ndarray, shape (n_contacts,), optional  [1]
    alternative : ndarray of int, shape (n_contacts,), optional
        :func:`serve_alternatives`.
    key_bits : callable (pooled_pairs, pooled_qber) -> bits, optional
    n_draws : int
    seed : int
    night_correlation : float
        Latent night-to-night correlation (assumption 0.5). [1]
    correlation_length_km : float
        Latent correlation length between stations (assumption 300 km; 0: independent). [km]
    """
    names = tuple(station_names)
    st, pairs, month = _checked_contacts(len(names), contact_station, pairs_if_clear, month)
    if link is None:
        uniq, link = np.unique(st, axis=0, return_inverse=True)
        link = link.reshape(-1)
        link_names = tuple("–".join(names[i] for i in k if i >= 0) for k in uniq.tolist())
    cloud_rng, fade_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    corr = station_correlation_matrix(latitude_deg, longitude_deg, correlation_length_km)
    clear = simulate_clear_nights(p_clear_nightly, n_draws=n_draws, rng=cloud_rng,
                                  night_correlation=night_correlation, correlation=corr)
    delivered = contact_deliveries(clear, st, contact_night, fade_probability, fade_rng)
    if alternative is not None:
        delivered = serve_alternatives(delivered, alternative, pairs)
    return year_totals(delivered, names, st, month, pairs, qber, np.asarray(link, int), tuple(link_names), key_bits)


def _checked_contacts(n_stations: int, contact_station, pairs_if_clear, month):
    """The contacts' stations (n, 2), pairs and months as arrays; a ValueError naming the argument
    when they do not fit."""
    st = np.asarray(contact_station, int).reshape(-1, 2)
    n_c = st.shape[0]
    pairs = np.asarray(pairs_if_clear, float)
    month = np.asarray(month, int)
    if pairs.shape != (n_c,) or month.shape != (n_c,):
        raise ValueError(f"pairs_if_clear and month must have one value per contact ({n_c})")
    if np.any((month < 1) | (month > 12)):
        raise ValueError("month must be in 1..12")
    if np.any(st >= n_stations) or np.any(st[:, 0] < 0):
        raise ValueError("contact_station must index the stations, with a first station for every contact")
    return st, pairs, month


def year_totals(delivered, station_names: tuple, contact_station, month, pairs_if_clear, qber, link,
                link_names: tuple, key_bits: Callable | None = None) -> YearDraws:
    """The year's totals per draw from which contacts delivered in each draw.

    Heralded pairs and contacts with data are sums over the delivered contacts, in total, by
    station (a two-station contact's pairs count half at each of its stations, so the stations add
    up to the total; its data counts at both), by link and by month; the secret key is pooled per
    link over the year and per link and month (:func:`pooled_key_bits`). A further source of
    variation drawn on the same weather (the link model's own uncertainty) enters here, as what
    each delivered contact gives in each draw.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
        :func:`contact_deliveries` (alternatives served).
    station_names : tuple of str
    contact_station : ndarray of int, shape (n_contacts, 2)
    month : ndarray of int, shape (n_contacts,)  (1..12)
    pairs_if_clear, qber : ndarray, shape (n_contacts,)
        Heralded pairs of a delivering contact and their QBER (None: no key). [1]
    link : ndarray of int, shape (n_contacts,)
        Key block of each contact, indexing ``link_names``.
    key_bits : callable (pooled_pairs, pooled_qber) -> bits, optional
    """
    st, pairs = contact_station, pairs_if_clear
    n_draws, n_c = delivered.shape
    n_st, n_links = len(station_names), len(link_names)
    with_data = (pairs > 0).astype(float)
    by = {"by_station": (st, n_st), "by_link": (link, n_links), "monthly": (month - 1, 12)}
    w = np.column_stack([pairs, with_data])
    sums = {k: group_sums(delivered, idx, n, w) for k, (idx, n) in by.items()}
    share = np.where(st[:, 1] >= 0, 0.5, 1.0)  # each station holds one photon of a pair contact's pairs
    sums["by_station"][..., 0] = group_sums(delivered, st, n_st, pairs * share)
    out = {}
    for j, q in enumerate(("heralded_pairs", "passes_with_data")):
        out[q] = {k: v[..., j] for k, v in sums.items()}
        out[q]["total"] = delivered @ w[:, j]
    key = {k: np.zeros((n_draws, n)) for k, (_, n) in by.items()}
    if key_bits is not None and qber is not None and n_c:
        year = pooled_key_bits(delivered, pairs, qber, link, n_links, key_bits)
        by_month = pooled_key_bits(delivered, pairs, qber, link * 12 + month - 1, n_links * 12, key_bits)
        link_stations = np.full((n_links, 2), -1)
        link_stations[link] = st
        key = {"by_link": year, "by_station": _by_station(year, link_stations, n_st),
               "monthly": by_month.reshape(n_draws, n_links, 12).sum(axis=1)}
    key["total"] = key["by_link"].sum(axis=1)
    return YearDraws(station_names, link_names, out["heralded_pairs"], out["passes_with_data"], key, delivered)


def _by_station(per_link, link_stations, n_stations):
    """Each station's sum over the links it belongs to: (n_draws, n_links) -> (n_draws, n_stations)."""
    out = np.zeros((per_link.shape[0], n_stations))
    for k in range(link_stations.shape[1]):
        for j, s in enumerate(link_stations[:, k]):
            if s >= 0:
                out[:, s] += per_link[:, j]
    return out


def overlap_groups(windows_s) -> np.ndarray:
    """Which windows overlap in time: a group id per window (chains of overlapping windows share
    one), −1 for a window that overlaps no other.

    Parameters
    ----------
    windows_s : ndarray, shape (n, 2)
        Start and end of each window. [s]
    """
    w = np.asarray(windows_s, float).reshape(-1, 2)
    out = np.full(w.shape[0], -1)
    if not w.shape[0]:
        return out
    order = np.argsort(w[:, 0], kind="stable")
    reach = np.maximum.accumulate(w[order, 1])
    new = np.r_[True, w[order[1:], 0] >= reach[:-1]]  # a window that starts after all before it ended
    comp = np.cumsum(new) - 1
    sizes = np.bincount(comp)
    out[order] = np.where(sizes[comp] > 1, comp, -1)
    return out


def station_diversity(delivered, pairs_if_clear, contact_station, order: Sequence[int], windows_s=None) -> list[dict]:
    """What each further station adds to a year: cumulative totals as stations join in ``order``.

    Group k holds the first k stations of ``order``; its year counts the contacts whose stations
    all belong to the group (common random numbers: the same weather draws for every group).
    With ``windows_s``, the group's contacts that overlap in time are alternatives for one
    downlink telescope (:func:`overlap_groups`, :func:`serve_alternatives`: per draw the best clear
    one is served), so that a station seeing the satellite at the same time as another adds only
    when the other is clouded out.
    For each group: mean/P10/P50/P90 of the year's heralded pairs, and ``added_p10``/``added_p50``,
    the rise of P10 and P50 over the group before.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
        :attr:`YearDraws.delivered` (alternatives already served).
    pairs_if_clear : ndarray, shape (n_contacts,)  [1]
    contact_station : ndarray of int, shape (n_contacts, 2)
    order : sequence of int
        Station indices, in the order they join.
    windows_s : ndarray, shape (n_contacts, 2), optional
        Start and end of each contact [s]; None: every contact is served (no competition).
    """
    st = np.asarray(contact_station, int).reshape(-1, 2)
    pairs = np.asarray(pairs_if_clear, float)
    rows, prev = [], None
    for k in range(1, len(order) + 1):
        group = np.asarray(order[:k], int)
        inside = np.isin(st[:, 0], group) & ((st[:, 1] < 0) | np.isin(st[:, 1], group))
        if windows_s is None:
            year = delivered @ (pairs * inside)
        else:
            sel = np.flatnonzero(inside)
            served = serve_alternatives(delivered[:, sel], overlap_groups(np.asarray(windows_s, float)[sel]),
                                        pairs[sel])
            year = served @ pairs[sel]
        q = quantile_summary(year)
        q["added_p10"] = q["p10"] - (prev["p10"] if prev else 0.0)
        q["added_p50"] = q["p50"] - (prev["p50"] if prev else 0.0)
        rows.append({"stations": [int(i) for i in group], **q})
        prev = q
    return rows


def greedy_network(delivered, pairs_if_clear, contact_station, candidates: Sequence[int], n_stations: int,
                   windows_s=None) -> list[int]:
    """The stations of a network for the weather's P10, chosen greedily: the order they join.

    Each step adds the candidate that gives the largest P10 of the network's year (ties: the larger
    P50, then the earlier candidate), the year counted as in :func:`station_diversity` (a contact
    counts when all its stations are in the network; with ``windows_s`` overlapping contacts are
    alternatives for one downlink telescope). Greedy is not always optimal for P10 (a quantile is
    not submodular), but it is what a planner adding one site at a time would do.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
    pairs_if_clear : ndarray, shape (n_contacts,)  [1]
    contact_station : ndarray of int, shape (n_contacts, 2)
    candidates : sequence of int
        Station indices that may join, in their tie-breaking order.
    n_stations : int
        Stations to choose (at most ``len(candidates)``).
    windows_s : ndarray, shape (n_contacts, 2), optional
        Start and end of each contact [s]; None: every contact is served.

    Returns
    -------
    list of int
        The chosen stations, in the order they joined (give it to :func:`station_diversity`).
    """
    st = np.asarray(contact_station, int).reshape(-1, 2)
    pairs = np.asarray(pairs_if_clear, float)
    chosen: list[int] = []
    for _ in range(min(int(n_stations), len(candidates))):
        best = None
        for rank, c in enumerate(candidates):
            if c in chosen:
                continue
            group = np.asarray(chosen + [c], int)
            inside = np.isin(st[:, 0], group) & ((st[:, 1] < 0) | np.isin(st[:, 1], group))
            sel = np.flatnonzero(inside)
            if windows_s is None:
                year = delivered[:, sel] @ pairs[sel]
            else:
                served = serve_alternatives(delivered[:, sel], overlap_groups(np.asarray(windows_s, float)[sel]),
                                            pairs[sel])
                year = served @ pairs[sel]
            q = np.percentile(year, PERCENTILES[:2])
            key = (float(q[0]), float(q[1]), -rank)
            if best is None or key > best[0]:
                best = (key, int(c))
        if best is None:
            break
        chosen.append(best[1])
    return chosen


def rank_first_share(totals) -> np.ndarray:
    """How often each column is the largest: its share of the draws in which it ranks first.

    A draw in which several columns tie for the largest value gives each of them an equal part;
    a draw whose largest value is 0 (nothing delivered anywhere) ranks no one first, so the shares
    add up to the probability that something is delivered.

    Parameters
    ----------
    totals : ndarray, shape (n_draws, n_columns)
        Per-draw totals, e.g. :attr:`YearDraws.heralded_pairs` ``["by_link"]``. [1]

    Returns
    -------
    ndarray, shape (n_columns,)
        Probability of ranking first, over the draws. [1]
    """
    t = np.asarray(totals, float)
    if t.ndim != 2 or not t.shape[0] or not t.shape[1]:
        return np.zeros(t.shape[1] if t.ndim == 2 else 0)
    top = t.max(axis=1, keepdims=True)
    first = (t == top) & (top > 0)
    share = first / np.maximum(first.sum(axis=1, keepdims=True), 1)
    return share.mean(axis=0)
