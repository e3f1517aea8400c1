"""A simulated year's totals: what the delivered contacts sum to in each draw.

:mod:`groundstations.year_draws` decides, per draw, which contacts deliver; this module sums them.
Every total of a year — in all, by station, by link, by month — is a sum over blocks of one link
in one month (:class:`LinkMonthSums`), taken in one sparse matrix product (:func:`group_sums`);
a source of variation that scales a link's pairs in a draw (the link model's error) scales its
blocks, so the years with and without it share the product (:func:`years_of`). The draws are
summed a chunk at a time, so the memory the sums take is bounded whatever the number of draws.

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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Quantiles reported for every total (P10, P50, P90). [%]
PERCENTILES = (10.0, 50.0, 90.0)
#: Bytes of the per-draw 0/1 floats :func:`group_sums` holds at once (draws are taken in chunks of
#: this size): a bound on the draws' temporary memory, not a tuning knob of the results. [B]
DRAW_CHUNK_BYTES = 1 << 22
#: Bytes of link × month sums (three per block) :func:`years_of` holds at once: the year's totals
#: are made this many draws at a time, which bounds the sums and the finite-size key's temporaries. [B]
SUMS_CHUNK_BYTES = 1 << 22


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
    cols = w if w.ndim == 2 else w[:, None]
    m = cols.shape[1]
    rows, at, values = [], [], []
    for k in range(idx.shape[1]):
        sel = np.flatnonzero(idx[:, k] >= 0)
        rows.append(np.repeat(sel, m))
        at.append((np.arange(m) * n_groups + idx[sel, k][:, None]).reshape(-1))  # column j's groups together
        values.append(cols[sel].reshape(-1))
    from scipy import sparse  # here: reading a plan's stage types needs no scipy (0.08 s to import)

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


@dataclass(frozen=True)
class LinkMonthSums:
    """What the delivered contacts of each link and month sum to in each draw (of a chunk of draws).

    Every total of a year is a sum of these blocks (a contact belongs to one link and one month),
    and the link model's error scales a link's blocks alike, so the years with and without it come
    from one product (:func:`link_month_sums`).

    Attributes
    ----------
    pairs, with_data, errors : ndarray, shape (n_draws, n_links, 12)
        Heralded pairs, contacts with data and pairs·QBER of the delivered contacts. [1]
    link_stations : ndarray of int, shape (n_links, 2)
        The station(s) of each link (−1: none): :func:`link_stations_of`.
    has_key : bool
        A QBER was given and there are contacts (the key can be computed).
    """

    pairs: np.ndarray
    with_data: np.ndarray
    errors: np.ndarray
    link_stations: np.ndarray
    has_key: bool


def link_stations_of(contact_station, link, n_links: int) -> np.ndarray:
    """The station(s) of each link, shape (n_links, 2) (−1: none); a ValueError when the contacts of
    one link do not share their stations.

    Parameters
    ----------
    contact_station : ndarray of int, shape (n_contacts, 2)
    link : ndarray of int, shape (n_contacts,)
    n_links : int
    """
    st = np.asarray(contact_station, int).reshape(-1, 2)
    link = np.asarray(link, int)
    out = np.full((n_links, 2), -1)
    out[link] = st
    if np.any(out[link] != st):
        raise ValueError("link: the contacts of one link must share their station(s)")
    return out


def link_month_sums(delivered, month, pairs_if_clear, qber, link, link_stations) -> LinkMonthSums:
    """The blocks of :class:`LinkMonthSums`: one :func:`group_sums` over link × month.

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
    month : ndarray of int, shape (n_contacts,)  (1..12)
    pairs_if_clear, qber : ndarray, shape (n_contacts,)
        Heralded pairs of a delivering contact and their QBER (None: no key). [1]
    link : ndarray of int, shape (n_contacts,)
        Each contact's link.
    link_stations : ndarray of int, shape (n_links, 2)
        :func:`link_stations_of`.
    """
    link = np.asarray(link, int)
    n_links = link_stations.shape[0]
    pairs = np.asarray(pairs_if_clear, float)
    q = np.zeros_like(pairs) if qber is None else np.asarray(qber, float)
    w = np.column_stack([pairs, (pairs > 0).astype(float), pairs * q])
    s = group_sums(delivered, link * 12 + np.asarray(month, int) - 1, n_links * 12, w)
    pairs_s, data_s, errors_s = (s[..., j].reshape(delivered.shape[0], n_links, 12) for j in range(3))  # views
    return LinkMonthSums(pairs_s, data_s, errors_s, link_stations, qber is not None and pairs.shape[0] > 0)


def _totals(sums: LinkMonthSums, n_stations: int, key_bits: Callable | None, link_scale) -> dict:
    """Totals of one chunk of draws from its link × month sums, each link's pairs (and errors)
    scaled by ``link_scale`` (n_draws, n_links) when given (see :func:`years_of`)."""
    pairs, errors = sums.pairs, sums.errors
    if link_scale is not None:
        pairs, errors = pairs * link_scale[:, :, None], errors * link_scale[:, :, None]
    n_draws, n_links = pairs.shape[0], pairs.shape[1]
    member = np.zeros((n_links, n_stations))  # link l holds station s
    ls = sums.link_stations
    for k in range(2):
        used = np.flatnonzero(ls[:, k] >= 0)
        member[used, ls[used, k]] = 1.0
    share = member * np.where(ls[:, 1] >= 0, 0.5, 1.0)[:, None]  # each station holds one photon of a pair's pairs
    out = {}
    for q, blocks, station_matrix in (("heralded_pairs", pairs, share), ("passes_with_data", sums.with_data, member)):
        by_link = blocks.sum(axis=2)
        out[q] = {"by_station": _by_station(by_link, station_matrix), "by_link": by_link,
                  "monthly": blocks.sum(axis=1), "total": by_link.sum(axis=1)}
    key = {"by_station": np.zeros((n_draws, n_stations)), "by_link": np.zeros((n_draws, n_links)),
           "monthly": np.zeros((n_draws, 12))}
    if key_bits is not None and sums.has_key:
        year = _pooled_key(pairs.sum(axis=2), errors.sum(axis=2), key_bits)
        key = {"by_link": year, "by_station": _by_station(year, member),
               "monthly": _pooled_key(pairs, errors, key_bits).sum(axis=1)}
    key["total"] = key["by_link"].sum(axis=1)
    out["secret_key_bits"] = key
    return out


def _by_station(per_link, station_matrix):
    """(n_draws, n_links) -> (n_draws, n_stations): each station's weighted sum over its links, by
    numpy's own reductions (a BLAS product's order of summation depends on the shapes and threads;
    these do not)."""
    out = np.zeros((per_link.shape[0], station_matrix.shape[1]))
    for s in range(station_matrix.shape[1]):
        links = np.flatnonzero(station_matrix[:, s])
        out[:, s] = (per_link[:, links] * station_matrix[links, s]).sum(axis=1)
    return out


def years_of(delivered, station_names, contact_station, month, pairs_if_clear, qber, link, link_names,
             key_bits: Callable | None = None, link_scales: dict | None = None) -> dict[str, YearDraws]:
    """The year's totals per draw from which contacts delivered in each draw, once per entry of
    ``link_scales``: that entry's factor on each link's pairs in each draw (None: unscaled).

    Heralded pairs and contacts with data in total, by station (a two-station link's pairs count
    half at each of its stations, so the stations add up to the total; its data counts at both),
    by link and by month; the secret key pooled per link over the year and per link and month
    (QBER held per contact: a factor changes how many pairs, not their errors' share). Contacts
    with data do not scale. The draws are summed :data:`SUMS_CHUNK_BYTES` of link × month blocks at
    a time (every draw is summed alone, so the chunks change no number).

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
        Which contacts delivered in each draw (alternatives served).
    station_names, link_names : sequence of str
    contact_station : ndarray of int, shape (n_contacts, 2)
    month : ndarray of int, shape (n_contacts,)  (1..12)
    pairs_if_clear, qber : ndarray, shape (n_contacts,)
        Heralded pairs of a delivering contact and their QBER (None: no key). [1]
    link : ndarray of int, shape (n_contacts,)
        Key block of each contact, indexing ``link_names``; the contacts of one link share their
        station(s).
    key_bits : callable (pooled_pairs, pooled_qber) -> bits, optional
    link_scales : dict str -> ndarray (n_draws, n_links) or None
        Default ``{"weather": None}``.

    Returns
    -------
    dict str -> YearDraws
        One per entry of ``link_scales``, all sharing ``delivered``.
    """
    scales = {"weather": None} if link_scales is None else link_scales
    station_names, link_names = tuple(station_names), tuple(link_names)
    ls = link_stations_of(contact_station, link, len(link_names))
    step = max(1, SUMS_CHUNK_BYTES // (3 * 12 * 8 * max(len(link_names), 1)))
    parts: dict[str, list[dict]] = {name: [] for name in scales}
    for lo in range(0, max(delivered.shape[0], 1), step):
        sl = slice(lo, lo + step)
        sums = link_month_sums(delivered[sl], month, pairs_if_clear, qber, link, ls)
        for name, scale in scales.items():
            parts[name].append(_totals(sums, len(station_names), key_bits, None if scale is None else scale[sl]))
    out = {}
    for name, chunks in parts.items():
        joined = {q: {k: np.concatenate([c[q][k] for c in chunks]) for k in chunks[0][q]} for q in chunks[0]}
        out[name] = YearDraws(station_names, link_names, joined["heralded_pairs"], joined["passes_with_data"],
                              joined["secret_key_bits"], delivered)
    return out


def year_totals(delivered, station_names: tuple, contact_station, month, pairs_if_clear, qber, link,
                link_names: tuple, key_bits: Callable | None = None) -> YearDraws:
    """The year's totals per draw over the weather alone (:func:`years_of` without a factor).

    Parameters
    ----------
    delivered : ndarray of bool, shape (n_draws, n_contacts)
        Which contacts delivered in each draw (alternatives served).
    station_names : tuple of str
    contact_station : ndarray of int, shape (n_contacts, 2)
    month : ndarray of int, shape (n_contacts,)  (1..12)
    pairs_if_clear, qber : ndarray, shape (n_contacts,)
        Heralded pairs of a delivering contact and their QBER (None: no key). [1]
    link : ndarray of int, shape (n_contacts,)
        Key block of each contact, indexing ``link_names``.
    key_bits : callable (pooled_pairs, pooled_qber) -> bits, optional
    """
    return years_of(delivered, station_names, contact_station, month, pairs_if_clear, qber, link, link_names,
                    key_bits)["weather"]
