"""Tables from stage results: one row per window, one row per sample.

Only reads frozen stage results and formats them; no physics here. Floats are rounded to fixed
decimals per column so that tables are byte-identical whatever the order of summation.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..orbits import frames
from ..windows.geometry import Samples


def segment_reduce(values: np.ndarray, offsets: np.ndarray, ufunc, empty=np.nan) -> np.ndarray:
    """``ufunc.reduceat`` over segments ``offsets[i]:offsets[i+1]``; empty segments give ``empty``.

    ``values`` is the concatenation of the segments (``len(values) == offsets[-1]``), so the starts
    of the non-empty segments alone still delimit them.
    """
    counts = np.diff(offsets)
    out = np.full(counts.size, empty, dtype=float)
    nonempty = counts > 0
    if nonempty.any():
        out[nonempty] = ufunc.reduceat(values, offsets[:-1][nonempty])
    return out


def segment_mean(values, offsets):
    counts = np.diff(offsets)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, segment_reduce(values, offsets, np.add, 0.0) / np.maximum(counts, 1), np.nan)


def pass_ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}/{i + 1:04d}" for i in range(n)]


def station_window_table(orbit, windows, geom) -> pd.DataFrame:
    """One row per station usable window and per pair common-view window (``kind``)."""
    rows = []
    for k, (w, smp) in enumerate(zip(windows.stations, geom.station)):
        n = len(w.usable_s)
        if not n:
            continue
        rows.append(pd.DataFrame({
            "pass_id": pass_ids(w.site.name, n),
            "kind": "station",
            "station_a": w.site.name,
            "station_b": "",
            "_start_s": w.usable_s[:, 0],
            "_culm_s": w.culmination_s,
            "_end_s": w.usable_s[:, 1],
            "max_elevation_a_deg": w.max_elevation_deg,
            "max_elevation_b_deg": np.nan,
            "min_range_a_km": segment_reduce(smp.range_km, smp.offsets, np.minimum),
            "min_range_b_km": np.nan,
            "sun_elevation_max_deg": segment_reduce(smp.sun_elevation_deg, smp.offsets, np.maximum),
            "sunlit_fraction": segment_mean(smp.sunlit.astype(float), smp.offsets),
            "moon_elevation_max_deg": segment_reduce(smp.moon_elevation_deg, smp.offsets, np.maximum),
            "moon_angle_min_deg": segment_reduce(smp.moon_angle_deg, smp.offsets, np.minimum),
            "samples": np.diff(smp.offsets),
        }))
    for p, a_smp, b_smp in zip(windows.pairs, geom.pair_a, geom.pair_b):
        n = len(p.usable_s)
        if not n:
            continue
        name_a, name_b = windows.sites[p.a].name, windows.sites[p.b].name
        low = np.minimum(a_smp.elevation_deg, b_smp.elevation_deg)
        culm = argmax_times(low, a_smp.time_s, a_smp.offsets, p.usable_s)
        rows.append(pd.DataFrame({
            "pass_id": pass_ids(f"{name_a}+{name_b}", n),
            "kind": "pair",
            "station_a": name_a,
            "station_b": name_b,
            "_start_s": p.usable_s[:, 0],
            "_culm_s": culm,
            "_end_s": p.usable_s[:, 1],
            "max_elevation_a_deg": segment_reduce(a_smp.elevation_deg, a_smp.offsets, np.maximum),
            "max_elevation_b_deg": segment_reduce(b_smp.elevation_deg, b_smp.offsets, np.maximum),
            "min_range_a_km": segment_reduce(a_smp.range_km, a_smp.offsets, np.minimum),
            "min_range_b_km": segment_reduce(b_smp.range_km, b_smp.offsets, np.minimum),
            "sun_elevation_max_deg": np.fmax(segment_reduce(a_smp.sun_elevation_deg, a_smp.offsets, np.maximum),
                                             segment_reduce(b_smp.sun_elevation_deg, b_smp.offsets, np.maximum)),
            "sunlit_fraction": segment_mean(a_smp.sunlit.astype(float), a_smp.offsets),
            "moon_elevation_max_deg": np.fmax(segment_reduce(a_smp.moon_elevation_deg, a_smp.offsets, np.maximum),
                                              segment_reduce(b_smp.moon_elevation_deg, b_smp.offsets, np.maximum)),
            "moon_angle_min_deg": np.fmin(segment_reduce(a_smp.moon_angle_deg, a_smp.offsets, np.minimum),
                                          segment_reduce(b_smp.moon_angle_deg, b_smp.offsets, np.minimum)),
            "samples": np.diff(a_smp.offsets),
        }))
    df = pd.concat(rows, ignore_index=True) if rows else _empty_windows()
    return finish_times(df, orbit.t0)


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


def _empty_windows() -> pd.DataFrame:
    cols = ["pass_id", "kind", "station_a", "station_b", "_start_s", "_culm_s", "_end_s",
            "max_elevation_a_deg", "max_elevation_b_deg", "min_range_a_km", "min_range_b_km",
            "sun_elevation_max_deg", "sunlit_fraction", "moon_elevation_max_deg", "moon_angle_min_deg", "samples"]
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("pass_id", "kind", "station_a", "station_b") else float)
                         for c in cols})


def finish_times(df: pd.DataFrame, t0) -> pd.DataFrame:
    """Sort by start, add the UTC columns and ``duration_s``; drop the internal second columns."""
    df = df.sort_values(["_start_s", "station_a", "station_b"], kind="mergesort").reset_index(drop=True)
    df.insert(4, "start_utc", frames.utc_iso(t0, df["_start_s"].to_numpy()))
    df.insert(5, "culmination_utc", frames.utc_iso(t0, df["_culm_s"].to_numpy()))
    df.insert(6, "end_utc", frames.utc_iso(t0, df["_end_s"].to_numpy()))
    df.insert(7, "duration_s", df["_end_s"] - df["_start_s"])
    return df.drop(columns=["_start_s", "_culm_s", "_end_s"])


def samples_table(t0, ids: list[str], station: list[str], smp: Samples, extra: dict | None = None) -> pd.DataFrame:
    """One row per sample of one leg: the pointing file a station crew uses."""
    w = smp.window_of_sample
    data = {
        "pass_id": np.asarray(ids, dtype=object)[w],
        "time_utc": frames.utc_iso(t0, smp.time_s),
        "station": np.asarray(station, dtype=object)[w],
        "azimuth_deg": smp.azimuth_deg,
        "elevation_deg": smp.elevation_deg,
        "range_km": smp.range_km,
        "range_rate_km_s": smp.range_rate_km_s,
        "sun_elevation_deg": smp.sun_elevation_deg,
        "sunlit": smp.sunlit,
    }
    data.update(extra or {})
    return pd.DataFrame(data)


#: Decimals per column in exported tables (fixed, so that output bytes do not depend on summation order).
DECIMALS = {
    "duration_s": 3, "max_elevation_a_deg": 3, "max_elevation_b_deg": 3, "min_range_a_km": 3,
    "min_range_b_km": 3, "sun_elevation_max_deg": 3, "sunlit_fraction": 4, "moon_elevation_max_deg": 3,
    "moon_angle_min_deg": 3, "azimuth_deg": 4, "elevation_deg": 4, "range_km": 4, "range_rate_km_s": 5,
    "sun_elevation_deg": 3, "mean_loss_db": 3, "min_loss_db": 3, "loss_db": 3,
}


def rounded(df: pd.DataFrame, default_significant: int = 6) -> pd.DataFrame:
    """Round float columns: fixed decimals where listed, else 6 significant digits."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind != "f":
            continue
        if col in DECIMALS:
            out[col] = out[col].round(DECIMALS[col])
        else:
            v = out[col].to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                mag = np.where(np.isfinite(v) & (v != 0), np.floor(np.log10(np.abs(np.where(v == 0, 1, v)))), 0)
            scale = 10.0 ** (default_significant - 1 - mag)
            out[col] = np.where(np.isfinite(v), np.round(v * scale) / scale, v)
    return out


def weighted_segment_mean(values: np.ndarray, weights: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-segment mean of ``values`` weighted by ``weights``; NaN where the weights sum to zero.

    Samples whose value is not finite or whose weight is not positive count with weight zero."""
    return weighted_segment_means({"": values}, weights, offsets)[""]


def weighted_segment_means(values: dict, weights: np.ndarray, offsets: np.ndarray) -> dict:
    """:func:`weighted_segment_mean` of several arrays with the same weights (the weight sums are
    formed once; finite values with finite, non-negative weights skip the masking, same numbers)."""
    weights = np.asarray(weights, dtype=float)
    clean_w = bool(np.all(weights >= 0.0))  # False for any NaN as well
    w = weights if clean_w else np.where(weights > 0, weights, 0.0)
    den = segment_reduce(w, offsets, np.add, 0.0)
    out = {}
    for name, v in values.items():
        v = np.asarray(v, dtype=float)
        if np.all(np.isfinite(v)):
            num = segment_reduce(v * w, offsets, np.add, 0.0)
            d = den
        else:
            ok = np.isfinite(v)
            w_ok = np.where(ok, w, 0.0)
            num = segment_reduce(np.where(ok, v, 0.0) * w_ok, offsets, np.add, 0.0)
            d = segment_reduce(w_ok, offsets, np.add, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(d > 0, num / np.where(d > 0, d, 1.0), np.nan)
    return out


def fill_note(df: pd.DataFrame) -> pd.DataFrame:
    """A ``note`` column saying why a row has no pairs or no fidelity (never a silent NaN)."""
    notes = np.full(len(df), "", dtype=object)
    no_samples = df["samples"].to_numpy() == 0
    no_light = ~no_samples & ~np.isfinite(df["mean_loss_db"].to_numpy(dtype=float)) & (df["mode"].to_numpy() != "onboard")
    stopped = ~no_samples & (df["swaps"].to_numpy(dtype=float) == 0) & (df["limited_by"].to_numpy() != "none")
    notes[no_samples] = "window shorter than one sample step"
    notes[no_light] = "no light: transmittance is zero on every sample"
    notes[stopped & (notes == "")] = [f"payload not operated: {lim} limit" for lim in df.loc[stopped & (notes == ""), "limited_by"]]
    out = df.copy()
    out["note"] = notes
    return out
