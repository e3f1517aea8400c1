"""Tables from stage results: one row per window, one row per sample.

Only reads frozen stage results and formats them; no physics here. Floats are rounded to fixed
decimals per column so that tables are byte-identical whatever the order of summation.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...payload.modes import PayloadMode
from ...payload.ragged import ragged_mean, ragged_reduce, weighted_ragged_means
from ..channel import LINK_TERMS
from ..orbits import frames
from ..stages import Candidates, ChannelStage, SampleStage, gather

if TYPE_CHECKING:  # pandas is imported where a frame is built: `skyswap passes` writes its table without it
    import pandas as pd


def window_columns(cands: Candidates, smp: SampleStage, ch: ChannelStage | None) -> dict:
    """The geometry and link of each candidate window, reduced from its samples: the columns of
    :func:`window_table` that read samples (one array per column, in candidate order, with the
    culmination as ``_culm_s``). The plan computes them chunk by chunk of windows, before it
    releases the samples; each window's values depend on its own samples only.

    Parameters
    ----------
    cands, smp, ch
        The candidate windows, their samples and their link (None where no photon leaves the
        satellite).
    """
    n = len(cands)
    off = smp.offsets
    pair = cands.pair

    def per_window(field, ufunc, leg=0):
        return ragged_reduce(smp.leg(field, leg), off, ufunc)

    def both(field, ufunc, combine):
        return combine(per_window(field, ufunc, 0), per_window(field, ufunc, 1)) if pair else per_window(field, ufunc)

    max_el_a = per_window("elevation_deg", np.maximum)
    refined = np.isfinite(cands.max_elevation_a_deg)  # single-station windows: the root-refined culmination
    max_el_a[refined] = cands.max_elevation_a_deg[refined]
    if ch is not None:
        loss = gather(ch.loss_db, smp.legs[0]) + (gather(ch.loss_db, smp.legs[1]) if pair else 0.0)
        lit = np.isfinite(loss).astype(float)
        min_loss = ragged_reduce(np.where(lit > 0, loss, np.inf), off, np.minimum)
        min_loss = np.where(np.isfinite(min_loss), min_loss, np.nan)
        budget = loss_budget_columns(ch, smp.legs if pair else smp.legs[:1], lit, off)
    else:
        min_loss = np.full(n, np.nan)
        budget = loss_budget_columns(None, (), np.empty(0), off)
    return {
        "_culm_s": smp.culmination_s,
        "max_elevation_a_deg": max_el_a,
        "max_elevation_b_deg": per_window("elevation_deg", np.maximum, 1) if pair else np.full(n, np.nan),
        "min_range_a_km": per_window("range_km", np.minimum),
        "min_range_b_km": per_window("range_km", np.minimum, 1) if pair else np.full(n, np.nan),
        "sun_elevation_max_deg": both("sun_elevation_deg", np.maximum, np.fmax),
        "sunlit_fraction": ragged_mean(smp.leg("sunlit").astype(float), off),
        "moon_elevation_max_deg": both("moon_elevation_deg", np.maximum, np.fmax),
        "moon_angle_min_deg": both("moon_angle_deg", np.minimum, np.fmin),
        "min_sample_loss_db": min_loss,
        **budget,
        "samples": np.diff(off),
    }


def window_rows(mode: PayloadMode, names: list[str], satellites: list[str], cands: Candidates,
                columns: dict) -> dict[str, np.ndarray]:
    """One row per candidate window, in candidate order, as ordered columns (name → array): ids,
    window edges, geometry and link (the first columns of ``passes.csv``; ``skyswap passes`` writes
    exactly these). The edges are kept as seconds (``_start_s``, ``_culm_s``, ``_end_s``) until
    :func:`finished_rows` turns them into UTC and sorts the rows.

    Parameters
    ----------
    mode : PayloadMode
        The payload mode (its name is the ``mode`` column).
    names : list of str
        Station names by site index.
    satellites : list of str
        Satellite names by index (with more than one, pass ids start with the satellite's).
    cands : Candidates
        The candidate windows.
    columns : dict
        Their geometry and link, :func:`window_columns`.
    """
    n = len(cands)
    name_of = np.array(list(names) + [""], dtype=object)
    name_a = name_of[cands.station_a] if n else np.empty(0, object)
    name_b = name_of[cands.station_b] if n else np.empty(0, object)
    sat = np.asarray(satellites, dtype=object)[cands.satellite] if n else np.empty(0, object)
    return {
        "pass_id": np.array(window_ids(name_a, name_b, cands.windows_s[:, 0], sat if len(satellites) > 1 else None),
                            dtype=object),
        "satellite": sat,
        "mode": np.full(n, mode.name, dtype=object),
        "station_a": name_a,
        "station_b": name_b,
        "_start_s": cands.windows_s[:, 0],
        "_culm_s": columns["_culm_s"],
        "_end_s": cands.windows_s[:, 1],
        **{k: v for k, v in columns.items() if k != "_culm_s"},
    }


def window_table(mode: PayloadMode, names: list[str], satellites: list[str], cands: Candidates,
                 columns: dict) -> pd.DataFrame:
    """:func:`window_rows` as a frame."""
    import pandas as pd

    return pd.DataFrame(window_rows(mode, names, satellites, cands, columns))


#: Decimals of every loss column (``loss_<term>_<leg>_db``, ``loss_total_db``): the written total is
#: the sum of the written terms. [dB]
LOSS_DECIMALS = 3
LEGS = ("a", "b")


def loss_column(term: str, leg: str | None = None) -> str:
    """The name of a loss column: ``loss_<term>_<leg>_db`` of a station leg (``a``, ``b``) of a
    window, ``loss_<term>_db`` of one station's row, ``loss_total_db`` for the sum."""
    return f"loss_{term}_{leg}_db" if leg else f"loss_{term}_db"


def loss_budget_columns(ch: ChannelStage | None, legs, lit: np.ndarray, offsets: np.ndarray) -> dict:
    """A window's link-loss budget: for each station leg and term of ``mission.channel.LINK_TERMS``,
    the mean of the term's loss over the window's samples that see light (``lit``, 1 or 0), and
    ``loss_total_db``, their sum (both legs' terms in a pair window). Each mean is rounded to
    :data:`LOSS_DECIMALS` first, so the total is exactly the sum of the columns as written; it is
    the mean over the same samples of the window's total loss, to that rounding. Legs a window does
    not have (b of a one-station window, both without a link) are NaN. [dB]"""
    n = len(offsets) - 1
    cols: dict[str, np.ndarray] = {"loss_total_db": np.zeros(n) if len(legs) else np.full(n, np.nan)}
    for i, leg in enumerate(LEGS):
        if i < len(legs) and ch is not None:
            means = weighted_ragged_means({t: gather(ch.loss_terms_db[t], legs[i]) for t in LINK_TERMS}, lit, offsets)
        for t in LINK_TERMS:
            cols[loss_column(t, leg)] = np.round(means[t], LOSS_DECIMALS) if i < len(legs) else np.full(n, np.nan)
            if i < len(legs):
                cols["loss_total_db"] = cols["loss_total_db"] + cols[loss_column(t, leg)]
    cols["loss_total_db"] = np.round(cols["loss_total_db"], LOSS_DECIMALS)
    return {"loss_total_db": cols.pop("loss_total_db"), **cols}


def window_ids(name_a: np.ndarray, name_b: np.ndarray, start_s: np.ndarray, satellite=None) -> list[str]:
    """``A/0001`` or ``A+B/0001``: per station or pair, numbered in time order (``SAT:A+B/0001``
    per satellite and pair when ``satellite`` names each row's)."""
    n = len(start_s)
    site = np.where(name_b == "", name_a, name_a + "+" + name_b) if n else np.empty(0, object)
    if satellite is not None and n:
        site = np.asarray(satellite, dtype=object) + ":" + site
    chrono = np.lexsort((start_s, site)) if n else np.empty(0, int)
    number = np.empty(n, int)
    for s_name in np.unique(site):
        idx = chrono[site[chrono] == s_name]
        number[idx] = np.arange(1, idx.size + 1)
    return [f"{s_}/{k:04d}" for s_, k in zip(site, number)]


def argmax_times(values, time_s, offsets, windows_s) -> np.ndarray:
    """Time of the largest value in each window, its first sample on a tie (the window's middle
    where it has no sample, or where all its values are NaN)."""
    out = 0.5 * (windows_s[:, 0] + windows_s[:, 1]) if len(windows_s) else np.empty(0)
    counts = np.diff(offsets)
    full = np.flatnonzero(counts > 0)
    if full.size:
        top = np.fmax.reduceat(values, offsets[full])
        is_top = values == np.repeat(top, counts[full])
        hits = np.flatnonzero(is_top)
        first = np.searchsorted(hits, offsets[full])  # first top sample at or after each window start
        found = first < hits.size
        found[found] = hits[first[found]] < offsets[full + 1][found]
        out[full[found]] = time_s[hits[first[found]]]
    return out


def row_order(start_s, station_a, station_b) -> np.ndarray:
    """The order of the tables' rows: by start, then station a's name, then station b's (stable)."""
    return np.lexsort((np.asarray(station_b, dtype=object), np.asarray(station_a, dtype=object),
                       np.asarray(start_s, float)))


#: The window table's internal edge columns (seconds after the span start), in this order. [s]
_EDGES = ("_start_s", "_culm_s", "_end_s")


def finished_rows(columns: dict, t0) -> dict:
    """The rows sorted (:func:`row_order`), with the UTC columns and ``duration_s`` after
    ``station_b``, without the internal second columns (``_start_s``, ``_culm_s``, ``_end_s``).
    ``columns`` are ordered columns (name → numpy or pandas array; each is indexed by the order)."""
    order = row_order(columns["_start_s"], columns["station_a"], columns["station_b"])
    rows = {k: v[order] for k, v in columns.items()}
    start, culm, end = (np.asarray(rows[k], dtype=float) for k in _EDGES)
    out = {}
    for k, v in rows.items():
        if k not in _EDGES:
            out[k] = v
        if k == "station_b":
            out.update(start_utc=frames.utc_iso(t0, start), culmination_utc=frames.utc_iso(t0, culm),
                       end_utc=frames.utc_iso(t0, end), duration_s=end - start)
    return out


def finish_times(df: pd.DataFrame, t0) -> pd.DataFrame:
    """:func:`finished_rows` of a frame (its columns keep their types)."""
    import pandas as pd

    require_unique_columns(df, "finish_times")
    return pd.DataFrame(finished_rows({c: df[c].array for c in df.columns}, t0))


def require_unique_columns(df: pd.DataFrame, who: str) -> None:
    """Refuse a frame with duplicate column names, by name (``who``: the caller): a table is taken
    apart and built again from its named columns, which needs each name once."""
    if not df.columns.is_unique:
        raise ValueError(f"{who}: duplicate column names in {list(df.columns)}")


def pointing_table(t0, names: list[str], pass_ids, cands: Candidates, smp: SampleStage,
                   ch: ChannelStage | None) -> pd.DataFrame:
    """One row per sample and station of every candidate window (both stations of a pair): the
    pointing file a station crew uses, time-ordered. ``pass_ids`` are the window table's ids in
    candidate order."""
    import pandas as pd

    w = smp.window_of_sample
    parts = []
    station_of_leg = [cands.station_a, cands.station_b][:len(smp.legs)]
    for rows, station in zip(smp.legs, station_of_leg):
        r = smp.rows
        data = {
            "pass_id": np.asarray(pass_ids, dtype=object)[w],
            "time_s": r.time_s[rows],
            "station": np.asarray(names, dtype=object)[station][w],
            "azimuth_deg": r.azimuth_deg[rows],
            "elevation_deg": r.elevation_deg[rows],
            "range_km": r.range_km[rows],
            "range_rate_km_s": r.range_rate_km_s[rows],
            "sun_elevation_deg": r.sun_elevation_deg[rows],
            "sunlit": r.sunlit[rows],
        }
        if ch is not None:
            terms = {loss_column(t): np.round(ch.loss_terms_db[t][rows].astype(float), LOSS_DECIMALS)
                     for t in LINK_TERMS}
            data.update(transmittance=ch.transmittance[rows],
                        loss_total_db=np.round(sum(terms.values()), LOSS_DECIMALS), **terms)
        parts.append(pd.DataFrame(data))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(out):
        out = out.sort_values(["time_s", "station", "pass_id"], kind="mergesort").reset_index(drop=True)
        out.insert(1, "time_utc", frames.utc_iso(t0, out.pop("time_s").to_numpy()))
    return out


#: Decimals per column in exported tables (fixed, so that output bytes do not depend on summation order).
DECIMALS = {
    "duration_s": 3, "max_elevation_a_deg": 3, "max_elevation_b_deg": 3, "min_range_a_km": 3,
    "min_range_b_km": 3, "sun_elevation_max_deg": 3, "sunlit_fraction": 4, "moon_elevation_max_deg": 3,
    "moon_angle_min_deg": 3, "azimuth_deg": 4, "elevation_deg": 4, "range_km": 4, "range_rate_km_s": 5,
    "sun_elevation_deg": 3, "min_sample_loss_db": 3,
}


def decimals(column: str) -> int | None:
    """Fixed decimals of a column (:data:`DECIMALS`, and every ``loss_*_db``), or None."""
    if column.startswith("loss_") and column.endswith("_db"):
        return LOSS_DECIMALS
    return DECIMALS.get(column)


def rounded_values(column: str, values: np.ndarray, default_significant: int = 6) -> np.ndarray:
    """A float column rounded as exported: to its fixed decimals (:func:`decimals`) where listed,
    else to ``default_significant`` significant digits (NaN and infinities kept)."""
    places = decimals(column)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if places is not None:
            out = np.round(values, places)
        else:
            mag = np.where(np.isfinite(values) & (values != 0),
                           np.floor(np.log10(np.abs(np.where(values == 0, 1, values)))), 0)
            scale = 10.0 ** (default_significant - 1 - mag)
            out = np.round(values * scale) / scale
    # where the scaling overflows (below ~1e-300, or decimals of a number near the largest float)
    # the number is kept as it is, not written as missing or infinite
    return np.where(np.isfinite(out), out, values)


def rounded(df: pd.DataFrame, default_significant: int = 6) -> pd.DataFrame:
    """The frame with its float columns rounded (:func:`rounded_values`); other columns are kept as
    they are. The frame is built once from its columns (assigning ~70 columns one by one into a
    copy cost ~10 ms a table)."""
    import pandas as pd

    require_unique_columns(df, "rounded")
    cols = {col: rounded_values(col, df[col].to_numpy(), default_significant) if df[col].dtype.kind == "f"
            else df[col] for col in df.columns}
    return pd.DataFrame(cols, index=df.index, columns=df.columns)


def fill_note(df: pd.DataFrame, link: bool) -> pd.DataFrame:
    """A ``note`` column saying why a row has no pairs or no fidelity (never a silent NaN); ``link``:
    whether the mode sends photons over a link (then a window without light says so)."""
    notes = np.full(len(df), "", dtype=object)
    no_samples = df["samples"].to_numpy() == 0
    no_light = ~no_samples & ~np.isfinite(df["loss_total_db"].to_numpy(dtype=float)) & link
    nothing = (df["bsm_heralds"].to_numpy(dtype=float) == 0) & (df["heralded_pairs"].to_numpy(dtype=float) == 0)
    stopped = ~no_samples & nothing & (df["limited_by"].to_numpy() != "none")
    notes[no_samples] = "window shorter than one sample step"
    notes[no_light] = "no light: transmittance is zero on every sample"
    notes[stopped & (notes == "")] = [f"payload not operated: {lim} limit"
                                      for lim in df.loc[stopped & (notes == ""), "limited_by"]]
    unserved = (df["scheduled_s"].to_numpy(dtype=float) == 0) & (notes == "")
    notes[unserved] = ["not scheduled: " + (f"its time went to {lost}" if lost else "nothing to deliver")
                       for lost in df.loc[unserved, "lost_to"]]
    out = df.copy()
    out["note"] = notes
    return out
