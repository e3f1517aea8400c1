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
from scipy import sparse

from .cloud_process import (
    CORRELATION_LENGTH_KM,
    NIGHT_CORRELATION,
    simulate_clear_nights,
    station_correlation_matrix,
)
from .link_uncertainty import LinkUncertainty, draw_link_offsets_db, link_scales

#: Quantiles reported for every total (P10, P50, P90). [%]
PERCENTILES = (10.0, 50.0, 90.0)
#: Bytes of the per-draw 0/1 floats :func:`group_sums` holds at once (draws are taken in chunks of
#: this size): a bound on the draws' temporary memory, not a tuning knob of the results. [B]
DRAW_CHUNK_BYTES = 1 << 22
#: The years a plan draws: over the weather alone, and over the weather and the link model's error
#: (the keys of :func:`simulate_years`' result, of ``WeatherStage.years`` and of ``summary.json``).
WEATHER = "weather"
WEATHER_AND_LINK = "weather_and_link"


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

    One sparse matrix product: ``delivered`` (draws × contacts, 0/1) times the contacts' group
    matrix (contacts × groups, the weight where a contact belongs to a group), taken
    :data:`DRAW_CHUNK_BYTES` of draws at a time so that the 0/1 matrix is never held as floats
    for every draw at once.

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
    n_c = idx.shape[0]
    w = np.ones(n_c) if weights is None else np.asarray(weights, float)
    cols = w.reshape(n_c, -1)
    m = cols.shape[1]
    rows, at, values = [], [], []
    for k in range(idx.shape[1]):
        sel = np.flatnonzero(idx[:, k] >= 0)
        rows.append(np.repeat(sel, m))
        at.append((np.arange(m) * n_groups + idx[sel, k][:, None]).reshape(-1))  # column j's groups together
        values.append(cols[sel].reshape(-1))
    matrix = sparse.csr_array((np.concatenate(values), (np.concatenate(rows), np.concatenate(at))),
                              shape=(n_c, m * n_groups))  # entries of one (contact, group) add up
    n_draws = delivered.shape[0]
    out = np.empty((n_draws, m * n_groups))
    step = max(1, DRAW_CHUNK_BYTES // (8 * max(n_c, 1)))
    for lo in range(0, n_draws, step):
        out[lo:lo + step] = delivered[lo:lo + step].astype(float) @ matrix
    if w.ndim == 1:
        return out
    return np.moveaxis(out.reshape(n_draws, m, n_groups), 1, -1)  # [..., j] is a contiguous block


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
    return _pooled_key(both[..., 0], both[..., 1], key_bits)


def _pooled_key(pooled_pairs, pooled_errors, key_bits):
    """Key of pooled blocks from their pairs and their pairs·QBER (0 where a block has no pair). [bit]"""
    p, e = pooled_pairs, pooled_errors
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


def simulate_years(
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
    link_uncertainty: LinkUncertainty | None = None,
) -> dict[str, YearDraws]:
    """Simulate ``n_draws`` years of weather (and of the link model's error) over the contacts and
    sum what each delivers.

    Deterministic: the same inputs and ``seed`` give byte-identical draws. Clouds, fades and the
    link offsets come from three independent streams spawned from ``seed``, so switching fades on
    leaves the clouds alone, and the weather-only year is the same with or without the link drawn.

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
        Link (key block) of each contact, indexing ``link_names``; default: the station pair. The
        contacts of one link share their station(s).
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
    link_uncertainty : groundstations.link_uncertainty.LinkUncertainty, optional
        Draw the link model's error too: each draw scales every link's pairs by
        :func:`~groundstations.link_uncertainty.link_scales` of that year's station offsets.

    Returns
    -------
    dict str -> YearDraws
        :data:`WEATHER` (the clouds alone) and, with ``link_uncertainty``, :data:`WEATHER_AND_LINK`
        (the same weather, each link's pairs scaled by its draw). Both share ``delivered``.
    """
    names = tuple(station_names)
    st, pairs, month = _checked_contacts(len(names), contact_station, pairs_if_clear, month)
    if link is None:
        uniq, link = np.unique(st, axis=0, return_inverse=True)
        link = link.reshape(-1)
        link_names = tuple("–".join(names[i] for i in k if i >= 0) for k in uniq.tolist())
    cloud_rng, fade_rng, link_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    corr = station_correlation_matrix(latitude_deg, longitude_deg, correlation_length_km)
    clear = simulate_clear_nights(p_clear_nightly, n_draws=n_draws, rng=cloud_rng,
                                  night_correlation=night_correlation, correlation=corr)
    delivered = contact_deliveries(clear, st, contact_night, fade_probability, fade_rng)
    del clear
    if alternative is not None:
        delivered = serve_alternatives(delivered, alternative, pairs)
    link = np.asarray(link, int)
    link_names = tuple(link_names)
    sums = link_month_sums(delivered, st, month, pairs, qber, link, len(link_names))
    years = {WEATHER: totals_from_sums(sums, delivered, names, link_names, key_bits)}
    if link_uncertainty is not None:
        offsets = draw_link_offsets_db(n_draws, len(names), link_uncertainty.chain_sigma_db,
                                       link_uncertainty.station_sigma_db, seed=link_rng)
        scale = link_scales(offsets, sums.link_stations, link_uncertainty.downlinks)
        years[WEATHER_AND_LINK] = totals_from_sums(sums, delivered, names, link_names, key_bits, scale)
    return years


def simulate_year(**kwargs) -> YearDraws:
    """The year over the weather alone: :func:`simulate_years` without the link's error (same
    keywords, ``link_uncertainty`` aside)."""
    return simulate_years(**kwargs)[WEATHER]


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


@dataclass(frozen=True)
class LinkMonthSums:
    """What the delivered contacts of each link and month sum to in each draw.

    Every total of a year is a sum of these blocks (a contact belongs to one link and one month),
    and the link model's error scales a link's blocks alike, so the year's totals with and without
    it come from one product (:func:`link_month_sums`).

    Attributes
    ----------
    pairs, with_data, errors : ndarray, shape (n_draws, n_links, 12)
        Heralded pairs, contacts with data and pairs·QBER of the delivered contacts. [1]
    link_stations : ndarray of int, shape (n_links, 2)
        The station(s) of each link (−1: none).
    has_key : bool
        A QBER was given and there are contacts (the key can be computed).
    """

    pairs: np.ndarray
    with_data: np.ndarray
    errors: np.ndarray
    link_stations: np.ndarray
    has_key: bool


def link_month_sums(delivered, contact_station, month, pairs_if_clear, qber, link, n_links: int) -> LinkMonthSums:
    """The blocks of :class:`LinkMonthSums`: one :func:`group_sums` over link × month.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
    contact_station : ndarray of int, shape (n_contacts, 2)
    month : ndarray of int, shape (n_contacts,)  (1..12)
    pairs_if_clear, qber : ndarray, shape (n_contacts,)
        Heralded pairs of a delivering contact and their QBER (None: no key). [1]
    link : ndarray of int, shape (n_contacts,)
        Each contact's link; the contacts of a link share their station(s).
    n_links : int
    """
    st = np.asarray(contact_station, int).reshape(-1, 2)
    link = np.asarray(link, int)
    pairs = np.asarray(pairs_if_clear, float)
    link_stations = np.full((n_links, 2), -1)
    link_stations[link] = st
    if np.any(link_stations[link] != st):
        raise ValueError("link: the contacts of one link must share their station(s)")
    q = np.zeros_like(pairs) if qber is None else np.asarray(qber, float)
    w = np.column_stack([pairs, (pairs > 0).astype(float), pairs * q])
    s = group_sums(delivered, link * 12 + np.asarray(month, int) - 1, n_links * 12, w)
    pairs_s, data_s, errors_s = (s[..., j].reshape(-1, n_links, 12) for j in range(3))  # views, no copy
    return LinkMonthSums(pairs_s, data_s, errors_s, link_stations, qber is not None and st.shape[0] > 0)


def totals_from_sums(sums: LinkMonthSums, delivered, station_names: tuple, link_names: tuple,
                     key_bits: Callable | None = None, link_scale=None) -> YearDraws:
    """The year's totals per draw from the link × month sums, each link's pairs scaled by
    ``link_scale`` (n_draws, n_links) when given.

    Heralded pairs and contacts with data in total, by station (a two-station link's pairs count
    half at each of its stations, so the stations add up to the total; its data counts at both),
    by link and by month; the secret key pooled per link over the year and per link and month
    (QBER held per contact: a scale changes how many pairs, not their errors' share). Contacts with
    data do not scale.
    """
    pairs, errors = sums.pairs, sums.errors
    if link_scale is not None:
        pairs, errors = pairs * link_scale[:, :, None], errors * link_scale[:, :, None]
    n_draws, n_links = pairs.shape[0], pairs.shape[1]
    n_st = len(station_names)
    member = np.zeros((n_links, n_st))  # link l holds station s
    ls = sums.link_stations
    for k in range(2):
        used = np.flatnonzero(ls[:, k] >= 0)
        member[used, ls[used, k]] = 1.0
    share = member * np.where(ls[:, 1] >= 0, 0.5, 1.0)[:, None]  # each station holds one photon of a pair's pairs
    out = {}
    for q, blocks, station_matrix in (("heralded_pairs", pairs, share), ("passes_with_data", sums.with_data, member)):
        by_link = blocks.sum(axis=2)
        out[q] = {"by_station": by_link @ station_matrix, "by_link": by_link, "monthly": blocks.sum(axis=1),
                  "total": by_link.sum(axis=1)}
    key = {"by_station": np.zeros((n_draws, n_st)), "by_link": np.zeros((n_draws, n_links)),
           "monthly": np.zeros((n_draws, 12))}
    if key_bits is not None and sums.has_key:
        year = _pooled_key(pairs.sum(axis=2), errors.sum(axis=2), key_bits)
        key = {"by_link": year, "by_station": year @ member,
               "monthly": _pooled_key(pairs, errors, key_bits).sum(axis=1)}
    key["total"] = key["by_link"].sum(axis=1)
    return YearDraws(station_names, link_names, out["heralded_pairs"], out["passes_with_data"], key, delivered)


def year_totals(delivered, station_names: tuple, contact_station, month, pairs_if_clear, qber, link,
                link_names: tuple, key_bits: Callable | None = None) -> YearDraws:
    """The year's totals per draw (over the weather alone) from which contacts delivered in each draw:
    :func:`link_month_sums`, then :func:`totals_from_sums`.

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
    sums = link_month_sums(delivered, contact_station, month, pairs_if_clear, qber, link, len(link_names))
    return totals_from_sums(sums, delivered, tuple(station_names), tuple(link_names), key_bits)


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
