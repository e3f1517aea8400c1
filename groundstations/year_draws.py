"""A mission year as a distribution: Monte Carlo over clouds (and fades) contact by contact.

The planner knows, for every contact (a scheduled contact, or a candidate window), what it
delivers *if* the sky is clear: heralded pairs, their QBER. Clouds decide whether it delivers.
This module draws the clouds (:mod:`groundstations.cloud_process`: persistent from night to
night, correlated between nearby stations), decides per draw which contacts deliver, and sums
per draw (:mod:`groundstations.year_sums`) — the year's totals become samples whose mean, P10,
P50 and P90 the summary reports. The link model's own error (:mod:`groundstations.link_uncertainty`)
is drawn with the same seed, on the same weather.

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
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .cloud_process import (
    CORRELATION_LENGTH_KM,
    NIGHT_CORRELATION,
    simulate_clear_nights,
    station_correlation_matrix,
)
from .link_uncertainty import LinkUncertainty, draw_link_offsets_db, link_scales
from .year_sums import PERCENTILES, YearDraws, link_stations_of, quantile_summary, years_of

#: The year over the weather alone: a key of :func:`simulate_years`' result and of ``WeatherStage.years``.
WEATHER = "weather"
#: The year over the weather and the link model's error: a key of :func:`simulate_years`' result, of
#: ``WeatherStage.years`` and of ``summary.json``'s ``distribution``.
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
    scales: dict[str, np.ndarray | None] = {WEATHER: None}
    if link_uncertainty is not None:
        offsets = draw_link_offsets_db(n_draws, len(names), link_uncertainty.chain_sigma_db,
                                       link_uncertainty.station_sigma_db, seed=link_rng)
        scales[WEATHER_AND_LINK] = link_scales(offsets, link_stations_of(st, link, len(link_names)),
                                               link_uncertainty.downlinks)
    return years_of(delivered, names, st, month, pairs, qber, link, link_names, key_bits, scales)


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
