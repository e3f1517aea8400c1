"""``summary.json``: totals, fidelity statistics, per-month and per-station/pair tables.

Aggregation only: every number here is a sum, count or quantile of the passes table.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TOTAL_COLUMNS = ("swaps", "heralded_pairs", "expected_heralded_pairs", "secret_key_bits", "energy_wh")


def software_versions() -> dict[str, str]:
    """Versions of skyswap and the libraries whose numbers shape the results."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("skyswap", "numpy", "scipy", "astropy", "skyfield", "skyfield-data", "sgp4", "pydantic", "pandas", "pyarrow"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs) -> list[float | None]:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not ok.any():
        return [None for _ in qs]
    v, w = values[ok], weights[ok]
    order = np.argsort(v, kind="mergesort")
    v, w = v[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return [float(np.interp(q, cdf, v)) for q in qs]


def fidelity_stats(passes: pd.DataFrame) -> dict:
    """Fidelity of the delivered pairs: mean, median and 10/90 % quantiles weighted by heralded pairs."""
    f = passes["fidelity"].to_numpy(dtype=float)
    w = passes["heralded_pairs"].to_numpy(dtype=float)
    p10, median, p90 = _weighted_quantiles(f, w, (0.1, 0.5, 0.9))
    ok = np.isfinite(f) & (w > 0)
    mean = float(np.sum(f[ok] * w[ok]) / np.sum(w[ok])) if ok.any() else None
    return {"mean": mean, "median": median, "p10": p10, "p90": p90, "weighted_by": "heralded_pairs"}


def _group(passes: pd.DataFrame, keys: list[str]) -> list[dict]:
    if passes.empty:
        return []
    rows = []
    for key, g in passes.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key))
        row["passes"] = int(len(g))
        row["hours"] = float(g["duration_s"].sum() / 3600.0)
        for col in TOTAL_COLUMNS:
            if col in g:
                row[col] = float(g[col].sum())
        row["median_fidelity"] = fidelity_stats(g)["median"]
        rows.append(row)
    return rows


#: The key settings of the passes table (``bbm92_secret_key_bits(heralded / 2, qber)`` per pass).
KEY_EPSILON, KEY_EC_EFFICIENCY, SIFTED_PER_HERALDED = 1e-10, 1.19, 0.5


def key_requirement(passes: pd.DataFrame) -> dict:
    """Why the year has (or lacks) secret key: how many pairs one pass needs for a finite key.

    The key is one finite-size BBM92 block per pass (Tomamichel et al. 2012); a block shorter
    than :func:`payload.keyrate.bbm92_min_sifted_bits` at its QBER gives no key at all. Reported
    for the pass with the most heralded pairs (the best chance of a key).
    """
    from ...payload.keyrate import bbm92_min_sifted_bits, bbm92_qber_threshold
    from .numbers import significant as sig

    threshold = bbm92_qber_threshold(KEY_EC_EFFICIENCY)
    out = {
        "model": (f"BBM92, one finite-size block per pass (Tomamichel et al. 2012, eps_sec = eps_cor = {KEY_EPSILON:g}, "
                  f"f_EC = {KEY_EC_EFFICIENCY}); sifted pairs = heralded pairs x {SIFTED_PER_HERALDED}"),
        "qber_threshold": threshold,
        "passes_with_key": int((passes["secret_key_bits"] > 0).sum()) if len(passes) else 0,
        "best_pass_id": None, "best_pass_heralded_pairs": None, "best_pass_qber": None,
        "best_pass_heralded_pairs_needed": None, "why_no_key": None,
    }
    usable = passes[np.isfinite(passes["qber"].to_numpy(dtype=float)) & (passes["heralded_pairs"] > 0)] if len(passes) else passes
    if len(usable):
        best = usable.loc[usable["heralded_pairs"].idxmax()]
        needed = bbm92_min_sifted_bits(float(best["qber"]), KEY_EPSILON, KEY_EC_EFFICIENCY) / SIFTED_PER_HERALDED
        out.update(best_pass_id=str(best["pass_id"]), best_pass_heralded_pairs=float(best["heralded_pairs"]),
                   best_pass_qber=float(best["qber"]), best_pass_heralded_pairs_needed=needed if np.isfinite(needed) else None)
    if out["passes_with_key"] == 0:
        if not len(usable):
            out["why_no_key"] = "no pass delivers heralded pairs"
        elif out["best_pass_heralded_pairs_needed"] is None:
            out["why_no_key"] = (f"the QBER of the best pass ({sig(out['best_pass_qber'])}) is above the "
                                 f"{sig(threshold)} that a BBM92 key tolerates")
        else:
            out["why_no_key"] = (f"a finite key needs >= {sig(out['best_pass_heralded_pairs_needed'])} heralded pairs in one "
                                 f"pass at its QBER ({sig(out['best_pass_qber'])}); the best pass has "
                                 f"{sig(out['best_pass_heralded_pairs'])}")
    return out


def build_summary(scenario, orbit_info, passes: pd.DataFrame, operations: dict, span: dict,
                  cloud_sources: dict | None = None) -> dict:
    """The content of ``summary.json``.

    Parameters
    ----------
    scenario : mission.scenario.Scenario
    orbit_info : mission.orbit.OrbitInfo
    passes : DataFrame
        The contract passes table.
    operations : dict
        Year totals of the operations scheduler.
    span : dict
        ``start_utc``, ``end_utc``, ``days``.
    cloud_sources : dict station -> groundstations.clouds.CloudSource, optional
        Where each station's cloud-free probabilities came from (listed under ``clouds``).
    """
    from dataclasses import asdict

    totals = {"passes": int(len(passes)), "hours": float(passes["duration_s"].sum() / 3600.0)}
    for col in TOTAL_COLUMNS:
        totals[col] = float(passes[col].sum()) if len(passes) else 0.0
    with_month = passes.assign(month=passes["start_utc"].str.slice(0, 7))
    pair_rows = passes[passes["station_b"] != ""] if len(passes) else passes
    # a station's share: its own windows, and every pair window it takes part in
    station_rows = pd.concat([passes.assign(station=passes["station_a"]),
                              pair_rows.assign(station=pair_rows["station_b"])], ignore_index=True)
    return {
        "scenario": {"name": scenario.name, "hash": scenario.hash()},
        "software": software_versions(),
        "span": span,
        "orbit": asdict(orbit_info),
        "mode": scenario.mode,
        "totals": totals,
        "fidelity": fidelity_stats(passes),
        "monthly": _group(with_month, ["month"]),
        "by_station": _group(station_rows, ["station"]),
        "by_pair": _group(pair_rows, ["station_a", "station_b"]),
        "operations": operations,
        "secret_key": key_requirement(passes),
        "clouds": [{"station": name, **asdict(src)} for name, src in (cloud_sources or {}).items()],
    }
