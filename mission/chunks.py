"""The per-sample stages chunk by chunk: which windows are computed together, and how the
chunks' reduced results are joined.

Geometry, link and payload are per-sample arrays of ~300 B a sample while they are computed; a
year of 20 stations has millions of samples. The planner therefore runs them on chunks of
candidate windows (windows of one satellite with consecutive start times, about
:data:`CHUNK_SAMPLES` samples each) and reduces each chunk at once to what the later stages read
(:class:`Chunk`): per window its table columns and payload totals, per sample the row of each leg
and the pair rate the contact plan weighs, per row its time, pointing and link. Joining the chunks
puts every window and sample back in candidate order, so the joined arrays are the ones a single
pass would give: each window's numbers come from its own samples only.

Plumbing only: no stage is called here (:mod:`mission.planner` calls them on each chunk).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .stages import Candidates, LinkSamples, PayloadTotals, RowLink, RowPointing

#: Samples of one chunk of windows: geometry, link and payload of about this many samples exist at
#: once (~300 B each, ~40 MiB), and the stations' rows shared by pairs are found within it. [1]
CHUNK_SAMPLES = 1 << 17


def time_chunks(cands: Candidates, counts: np.ndarray, max_samples: int | None = None) -> list[np.ndarray]:
    """The candidate windows in chunks: per satellite, windows of consecutive start times holding
    about ``max_samples`` samples together (a window is never split, a chunk has at least one
    window; no window gives one empty chunk). Each chunk lists its windows' candidate indices in
    ascending order.

    ``counts`` is each window's number of samples; ``max_samples`` defaults to :data:`CHUNK_SAMPLES`.
    """
    size = max(int(CHUNK_SAMPLES if max_samples is None else max_samples), 1)
    n = len(cands)
    if n == 0:
        return [np.empty(0, np.int64)]
    order = np.lexsort((np.arange(n), cands.windows_s[:, 0], cands.satellite))
    before = np.cumsum(counts[order]) - counts[order]  # samples of the windows ahead in this order
    sat = cands.satellite[order]
    first_of_sat = np.searchsorted(sat, sat)  # position of the satellite's first window
    block = (before - before[first_of_sat]) // size
    key = np.stack([sat, block])
    new = np.ones(n, bool)
    new[1:] = np.any(key[:, 1:] != key[:, :-1], axis=0)
    bounds = np.append(np.flatnonzero(new), n)
    return [np.sort(order[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:])]


def consecutive_chunks(windows: np.ndarray, counts: np.ndarray, max_samples: int | None = None) -> list[np.ndarray]:
    """``windows`` (ascending candidate indices) cut into runs of about ``max_samples`` samples
    (a window is never split; no window gives one empty chunk). ``counts``: every candidate
    window's number of samples; ``max_samples`` defaults to :data:`CHUNK_SAMPLES`."""
    if not len(windows):
        return [np.empty(0, np.int64)]
    c = counts[windows]
    block = (np.cumsum(c) - c) // max(int(CHUNK_SAMPLES if max_samples is None else max_samples), 1)
    bounds = np.append(np.flatnonzero(np.diff(block, prepend=-1) != 0), len(windows))
    return [windows[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]


@dataclass(frozen=True)
class Chunk:
    """One chunk of windows, reduced (indices are the chunk's own: rows from 0, samples in the
    chunk's window order).

    Attributes
    ----------
    windows : ndarray of int
        The chunk's candidate indices (ascending).
    columns : dict str -> ndarray
        Each window's table columns (:func:`mission.outputs.tables.window_columns`).
    payload : PayloadTotals or None
        Each window's payload totals (None where the payload was not asked for).
    pair_rate_hz : ndarray (n_samples,) or None
        Heralded pairs per second of each sample (what the contact plan weighs). [Hz]
    rows : RowPointing or None
        Each row's time and pointing (None once :class:`Joiner` has taken them, or did not keep them).
    link : RowLink or None
        Each row's link (None in a mode without a channel).
    legs : tuple of ndarray
        Each sample's row, per leg.
    """

    windows: np.ndarray
    columns: dict
    payload: PayloadTotals | None
    pair_rate_hz: np.ndarray | None
    rows: RowPointing | None
    link: RowLink | None
    legs: tuple

    def per_window(self) -> Chunk:
        """This chunk without its per-sample and per-row arrays: what is kept (and, from a worker
        process, sent back) where the samples are not."""
        return Chunk(self.windows, self.columns, self.payload, None, None, None, ())


class Joiner:
    """Chunks joined in candidate order as they arrive: each window's table columns and payload
    totals, each sample's rows and pair rate, and the rows themselves (:meth:`add` each chunk,
    then :meth:`result`). A chunk's per-sample arrays are copied into place and released.

    Parameters
    ----------
    offsets : ndarray (n_windows + 1,)
        The samples' offsets of all candidate windows, in candidate order.
    n_legs : int
        Legs per sample (2 for station pairs).
    keep_samples : bool
        Whether the samples' rows, link and legs are kept (``skyswap passes`` keeps only the
        windows' columns: its samples are computed again when asked for).
    """

    def __init__(self, offsets: np.ndarray, n_legs: int, keep_samples: bool = True):
        self.offsets = offsets
        self.keep_samples = keep_samples
        n = int(offsets[-1]) if keep_samples else 0
        self.legs = tuple(np.empty(n, np.int64) for _ in range(n_legs))
        self.rate: np.ndarray | None = None
        self.parts: list[Chunk] = []
        self.rows_so_far = 0

    def add(self, chunk: Chunk) -> None:
        """Put a chunk's samples in place; keep its rows and per-window results for :meth:`result`."""
        if not self.keep_samples:
            self.parts.append(chunk.per_window())
            return
        assert chunk.rows is not None  # a computed chunk carries its rows
        counts = np.diff(self.offsets)[chunk.windows]
        local = np.concatenate([[0], np.cumsum(counts)])
        at = np.repeat(self.offsets[:-1][chunk.windows] - local[:-1], counts) + np.arange(local[-1])
        for mine, theirs in zip(self.legs, chunk.legs):
            mine[at] = theirs + self.rows_so_far
        if chunk.pair_rate_hz is not None:
            if self.rate is None:
                self.rate = np.empty(self.legs[0].size)
            self.rate[at] = chunk.pair_rate_hz
        self.rows_so_far += chunk.rows.time_s.size
        self.parts.append(Chunk(chunk.windows, chunk.columns, chunk.payload, None, chunk.rows, chunk.link, ()))

    def _samples(self, parts: list[Chunk], cat, culmination_s: np.ndarray) -> LinkSamples:
        rows = RowPointing(cat(lambda c: c.rows.time_s), cat(lambda c: c.rows.azimuth_deg),
                           cat(lambda c: c.rows.elevation_deg))
        link = None
        if parts[0].link is not None:
            link = RowLink(cat(lambda c: c.link.transmittance), cat(lambda c: c.link.sky_probability),
                           cat(lambda c: c.link.dark_probability))
        return LinkSamples(rows, link, self.legs, self.offsets, culmination_s)

    def result(self) -> tuple[LinkSamples | None, dict, PayloadTotals | None, np.ndarray | None]:
        """The kept samples (None unless ``keep_samples``), every window's table columns, its
        payload totals (None without a payload) and each sample's pair rate (None without a payload
        or samples)."""
        parts, n_windows = self.parts, len(self.offsets) - 1
        self.parts = []
        columns = _scatter_dict([(c.windows, c.columns) for c in parts], n_windows)

        def cat(get):
            return np.concatenate([get(c) for c in parts])

        samples = None
        if self.keep_samples:
            samples = self._samples(parts, cat, columns["_culm_s"])
        payload = None
        if parts[0].payload is not None:
            pls = [(c.windows, c.payload) for c in parts if c.payload is not None]
            payload = PayloadTotals(
                served_whole=_scatter_dict([(w, p.served_whole) for w, p in pls], n_windows),
                unserved=_scatter_dict([(w, p.unserved) for w, p in pls], n_windows),
                mean_event_rate_hz=_scatter([(w, p.mean_event_rate_hz) for w, p in pls], n_windows),
                mean_bsm_herald_rate_hz=_scatter([(w, p.mean_bsm_herald_rate_hz) for w, p in pls], n_windows))
        return samples, columns, payload, self.rate


def _scatter(parts: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Per-window arrays of the chunks put back in candidate order (``parts``: (windows, values))."""
    out = np.empty(n, np.result_type(*(np.asarray(v).dtype for _, v in parts)))
    for windows, values in parts:
        out[windows] = values
    return out


def _scatter_dict(chunks: list[tuple[np.ndarray, dict]], n: int) -> dict:
    keys = list(chunks[0][1])
    return {k: _scatter([(w, d[k]) for w, d in chunks], n) for k in keys}
