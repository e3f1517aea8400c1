"""Gaps and revisits: how long each station and pair waits between served contacts.

What a mission planner reads from an access report (STK's "gap" and "revisit" statistics): per
station and per station pair, the time from the end of one served visit to the start of the next
(the *gap*) and from the start of one visit to the start of the next (the *revisit* time), over the
schedule as planned — before clouds, which only lengthen the gaps.

A *visit* is the schedule's contacts of that station (or pair) merged where less than
:data:`VISIT_MERGE_S` apart: a window served in two stretches, or a station serving two pairs one
after the other in the same pass, is one visit. The merge time is an assumption, chosen below the
shortest possible return of a low-Earth-orbit satellite over a station (about one orbit, ~90 min
at 500 km), so that separate passes are never merged; with several satellites, passes of two
satellites less than 20 min apart count as one visit.

Aggregation only (sums and quantiles of the schedule's times): no physics here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: Contacts of one station (or pair) closer than this are one visit (see module; an assumption). [s]
VISIT_MERGE_S = 1200.0


def _seconds(times, t0: pd.Timestamp) -> np.ndarray:
    import pandas as pd

    t = pd.to_datetime(pd.Series(times, dtype=object), utc=True, format="ISO8601")
    return (t - t0).dt.total_seconds().to_numpy(float)


def visits(start_s, end_s, merge_s: float = VISIT_MERGE_S) -> np.ndarray:
    """Contacts merged into visits: sorted, and joined where one starts less than ``merge_s`` after
    the visit before ends (overlapping contacts too).

    Parameters
    ----------
    start_s, end_s : ndarray
        Each contact's start and end. [s]
    merge_s : float
        Largest gap inside one visit. [s]

    Returns
    -------
    ndarray, shape (n_visits, 2)
        Each visit's start and end, in time order. [s]
    """
    s, e = np.asarray(start_s, float), np.asarray(end_s, float)
    if not s.size:
        return np.empty((0, 2))
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    new = np.r_[True, s[1:] - reach[:-1] >= merge_s]
    idx = np.cumsum(new) - 1
    out = np.empty((int(idx[-1]) + 1, 2))
    out[:, 0] = s[new]
    out[:, 1] = np.maximum.reduceat(e, np.flatnonzero(new))
    return out


def gap_row(v: np.ndarray, span_s: float) -> dict:
    """The statistics of one station's or pair's visits (see :func:`gap_statistics`). [h]"""
    gaps = (v[1:, 0] - v[:-1, 1]) / 3600.0 if len(v) > 1 else np.empty(0)
    revisits = np.diff(v[:, 0]) / 3600.0 if len(v) > 1 else np.empty(0)

    def stat(x, f):
        return float(f(x)) if x.size else None

    longest = int(np.argmax(gaps)) if gaps.size else None
    return {
        "visits": int(len(v)),
        "mean_gap_h": stat(gaps, np.mean), "median_gap_h": stat(gaps, np.median), "max_gap_h": stat(gaps, np.max),
        "mean_revisit_h": stat(revisits, np.mean),
        "max_gap_from_s": float(v[longest, 1]) if longest is not None else None,
        "before_first_h": float(v[0, 0] / 3600.0) if len(v) else None,
        "after_last_h": float((span_s - v[-1, 1]) / 3600.0) if len(v) else None,
    }


def gap_statistics(schedule: pd.DataFrame, span: dict, stations: list[str] | None = None) -> dict:
    """Gaps and revisits of every station and pair over the schedule (``summary.json``'s ``revisit``).

    Parameters
    ----------
    schedule : DataFrame
        ``schedule.csv``: ``station_a``, ``station_b`` ("" for one station), ``start_utc``, ``end_utc``.
    span : dict
        ``start_utc`` and ``end_utc`` of the plan (ISO 8601).
    stations : list of str, optional
        Stations to list even without a contact (their statistics are then None).

    Returns
    -------
    dict
        ``definition``, ``visit_merge_s`` [s], and ``by_station`` / ``by_pair``: one row each with
        ``visits``, ``mean_gap_h``, ``median_gap_h``, ``max_gap_h`` (between visits),
        ``mean_revisit_h`` (start to start), ``max_gap_from_utc`` (when the longest gap began),
        ``before_first_h`` and ``after_last_h`` (from the span's start, to its end). [h]; None
        where there is no gap to measure (fewer than two visits).
    """
    import pandas as pd

    t0 = pd.Timestamp(span["start_utc"])
    span_s = float((pd.Timestamp(span["end_utc"]) - t0).total_seconds())
    have = len(schedule) > 0
    start = _seconds(schedule["start_utc"], t0) if have else np.empty(0)
    end = _seconds(schedule["end_utc"], t0) if have else np.empty(0)
    a = schedule["station_a"].astype(str).to_numpy() if have else np.empty(0, object)
    b = schedule["station_b"].fillna("").astype(str).to_numpy() if have else np.empty(0, object)

    def when(row):
        s = row.pop("max_gap_from_s")
        row["max_gap_from_utc"] = None if s is None else (t0 + pd.Timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return row

    names = list(dict.fromkeys([*(stations or []), *sorted(set(a) | set(b) - {""})]))
    by_station = []
    for name in names:
        sel = (a == name) | (b == name)
        by_station.append({"station": name, **when(gap_row(visits(start[sel], end[sel]), span_s))})
    by_pair = []
    for x, y in sorted({(x, y) for x, y in zip(a, b) if y}):
        sel = (a == x) & (b == y)
        by_pair.append({"station_a": x, "station_b": y, **when(gap_row(visits(start[sel], end[sel]), span_s))})
    return {"definition": ("gap: end of one served visit to the start of the next; revisit: start to start; a visit: "
                           "a station's (or pair's) scheduled contacts less than visit_merge_s apart; as planned, "
                           "before clouds"),
            "visit_merge_s": VISIT_MERGE_S, "by_station": by_station, "by_pair": by_pair}
