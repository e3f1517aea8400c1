"""The pass table: per-window aggregation of the per-sample stages into the contract rows.

One row per usable window (DESIGN.md "The command line"): sums of swaps and heralded pairs over
the operated samples, pair-weighted fidelity, QBER, CHSH S and fidelity budget, the finite-size
key of the pass, link loss, clouds and the SWaP scheduler's per-window results. Aggregation only:
the physics was done by the stages that produced the inputs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..orbits import frames

from . import tables
from ..planner import INFIDELITY_TERMS, ModeWindows, SampleStage


def _month(t0, seconds: np.ndarray) -> np.ndarray:
    iso = frames.utc_iso(t0, seconds)
    return np.array([int(s[5:7]) for s in iso], dtype=int)


def _operated_seconds_before(intervals_s: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Cumulative operating time of the payload from the span start up to each time. [s]"""
    if not len(intervals_s):
        return np.zeros(np.shape(t_s))
    starts, ends = intervals_s[:, 0], intervals_s[:, 1]
    cum = np.concatenate([[0.0], np.cumsum(ends - starts)])
    k = np.searchsorted(starts, t_s, side="right")  # intervals started by t
    before = cum[np.maximum(k - 1, 0)]
    inside = np.clip(t_s - starts[np.maximum(k - 1, 0)], 0.0, (ends - starts)[np.maximum(k - 1, 0)])
    return np.where(k > 0, before + inside, 0.0)


def cloud_tables(scenario):
    """Each station's monthly cloud-free probabilities and their source (groundstations.clouds)."""
    from ...groundstations.clouds import load_cloud_csv, resolve_cloud_free_monthly

    cfg = scenario.channel
    return resolve_cloud_free_monthly(
        scenario.stations, scenario_monthly=cfg.cloud_free_monthly,
        csv_monthly=load_cloud_csv(cfg.cloud_csv) if cfg.cloud_csv else {}, csv_path=cfg.cloud_csv,
        use_climatology=cfg.use_cloud_climatology, default=cfg.cloud_free_probability)


def build(scenario, orbit, mw: ModeWindows, smp: SampleStage, sched, inverse: np.ndarray,
          onboard_rates, cloud_monthly: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pass table and the per-sample table (whose sums are the table's per-pass totals).

    ``onboard_rates`` is the payload stage evaluated once with both photons on board (used in
    ``onboard`` mode, where the rows are ground contacts); ``cloud_monthly`` maps a station to its
    twelve cloud-free probabilities (:func:`cloud_tables`; others take the scenario default).
    """
    from ...groundstations.clouds import cloud_free_probability
    from ...payload.keyrate import bbm92_secret_key_bits
    from ...payload.operations import operated_mask

    ch, pl, a, b = smp.channel, smp.payload, smp.a, smp.b
    step = scenario.sample_step_s
    offsets = a.offsets
    n_windows = len(mw.windows_s)
    names = [s.name for s in scenario.stations]
    onboard = scenario.mode == "onboard"
    if onboard:
        # rows are ground contacts; the payload swaps on board whenever the scheduler runs it, and
        # each contact downlinks the swaps made since the previous contact. The onboard rates do
        # not depend on any link: one evaluation gives them.
        rates = onboard_rates
        by_end = np.argsort(mw.windows_s[:, 1], kind="mergesort")
        operated_s = _operated_seconds_before(sched.operating_intervals_s, mw.windows_s[by_end, 1])
        since = np.empty(n_windows)
        since[by_end] = np.diff(operated_s, prepend=0.0)
        swaps, heralded = rates.swap_rate_hz[0] * since, rates.heralded_pair_rate_hz[0] * since
        sample_swaps = np.zeros(a.time_s.size)
        sample_heralded = np.zeros(a.time_s.size)
        weights = pl.heralded_pair_rate_hz
    else:
        operated = operated_mask(sched, None, a.time_s)
        sample_swaps = pl.swap_rate_hz * step * operated
        sample_heralded = pl.heralded_pair_rate_hz * step * operated
        swaps = tables.segment_reduce(sample_swaps, offsets, np.add, 0.0)
        heralded = tables.segment_reduce(sample_heralded, offsets, np.add, 0.0)
        w_of_s = a.window_of_sample
        weights = np.where(heralded[w_of_s] > 0, sample_heralded, pl.heralded_pair_rate_hz)
    means = tables.weighted_segment_means({"fidelity": pl.fidelity, "qber": pl.qber, "chsh": pl.chsh_s,
                                           **{("infid", k): v for k, v in pl.infidelity.items()}}, weights, offsets)
    fidelity, qber, chsh = means["fidelity"], means["qber"], means["chsh"]
    infid = {k: means[("infid", k)] for k in pl.infidelity}
    key = bbm92_secret_key_bits(0.5 * heralded, qber)  # BBM92: half the pairs share a basis

    # link loss: the summed two-downlink loss for pairs, the one downlink otherwise
    if ch.a is not None:
        loss = ch.a.loss_db + (ch.b.loss_db if ch.b is not None else 0.0)
        lit = np.isfinite(loss).astype(float)
        mean_loss = tables.weighted_segment_mean(loss, lit, offsets)  # over samples that see any light
        min_loss = tables.segment_reduce(np.where(lit > 0, loss, np.inf), offsets, np.minimum)
        min_loss = np.where(np.isfinite(min_loss), min_loss, np.nan)
    else:
        mean_loss = min_loss = np.full(n_windows, np.nan)

    # clouds: clear sky at both stations (independent) in the month of the window
    default_clear = scenario.channel.cloud_free_probability
    month = _month(orbit.t0, mw.windows_s[:, 0]) if n_windows else np.empty(0, int)
    p_clear = np.ones(n_windows)
    for idx in (mw.station_a, mw.station_b):
        for k in np.unique(idx):
            if k < 0:
                continue
            sel = idx == k
            p_clear[sel] *= cloud_free_probability(names[k], month[sel], cloud_monthly, default_clear)

    w = sched.windows
    name_a = np.array(names, dtype=object)[mw.station_a] if n_windows else np.empty(0, object)
    name_b = np.where(mw.station_b >= 0, np.array(names + [""], dtype=object)[mw.station_b], "") if n_windows else np.empty(0, object)
    table = pd.DataFrame({
        "pass_id": "",
        "mode": scenario.mode,
        "station_a": name_a,
        "station_b": name_b,
        "_start_s": mw.windows_s[:, 0],
        "_culm_s": mw.culmination_s,
        "_end_s": mw.windows_s[:, 1],
        "max_elevation_a_deg": tables.segment_reduce(a.elevation_deg, offsets, np.maximum),
        "max_elevation_b_deg": tables.segment_reduce(b.elevation_deg, offsets, np.maximum) if b is not None else np.nan,
        "min_range_a_km": tables.segment_reduce(a.range_km, offsets, np.minimum),
        "min_range_b_km": tables.segment_reduce(b.range_km, offsets, np.minimum) if b is not None else np.nan,
        "sun_elevation_max_deg": np.fmax(tables.segment_reduce(a.sun_elevation_deg, offsets, np.maximum),
                                         tables.segment_reduce(b.sun_elevation_deg, offsets, np.maximum) if b is not None else -np.inf),
        "sunlit_fraction": tables.segment_mean(a.sunlit.astype(float), offsets),
        "mean_loss_db": mean_loss,
        "min_loss_db": min_loss,
        "swaps": swaps,
        "heralded_pairs": heralded,
        "fidelity": fidelity,
        "qber": qber,
        "chsh_s": chsh,
        "secret_key_bits": key,
        "cloud_free_probability": p_clear,
        "expected_heralded_pairs": heralded * p_clear,
        "energy_wh": w.energy_wh[inverse] if n_windows else np.empty(0),
        "power_limited": (w.seconds_lost_power[inverse] > 0) if n_windows else np.empty(0, bool),
        "limited_by": np.asarray(w.limited_by, dtype=object)[inverse] if n_windows else np.empty(0, object),
        **{f"infidelity_{k}": infid[k] for k in INFIDELITY_TERMS},
        "battery_soc_start": w.battery_soc_start[inverse] if n_windows else np.empty(0),
        "battery_soc_end": w.battery_soc_end[inverse] if n_windows else np.empty(0),
        "operating_s": w.operating_s[inverse] if n_windows else np.empty(0),
        "seconds_lost_power": w.seconds_lost_power[inverse] if n_windows else np.empty(0),
        "seconds_lost_thermal": w.seconds_lost_thermal[inverse] if n_windows else np.empty(0),
        "seconds_lost_storage": w.seconds_lost_storage[inverse] if n_windows else np.empty(0),
        "samples": np.diff(offsets),
    })
    # pass ids: per station or pair, numbered in time order
    site = np.where(name_b == "", name_a, name_a + "+" + name_b) if n_windows else np.empty(0, object)
    chrono = np.lexsort((mw.windows_s[:, 0], site)) if n_windows else np.empty(0, int)
    number = np.empty(n_windows, int)
    for s_name in np.unique(site):
        idx = chrono[site[chrono] == s_name]
        number[idx] = np.arange(1, idx.size + 1)
    table["pass_id"] = [f"{s_}/{k:04d}" for s_, k in zip(site, number)]
    ids = table["pass_id"].to_numpy()
    table = tables.fill_note(table)
    table = tables.finish_times(table, orbit.t0)

    w_of_s = a.window_of_sample
    samples = pd.DataFrame({
        # categorical ids and float times: millions of rows must not become millions of strings
        "pass_id": pd.Categorical.from_codes(w_of_s, categories=ids) if n_windows else pd.Categorical([]),
        "time_s": a.time_s,
        "swaps": sample_swaps,
        "heralded_pairs": sample_heralded,
        "swap_rate_hz": pl.swap_rate_hz,
        "heralded_pair_rate_hz": pl.heralded_pair_rate_hz,
        "fidelity": pl.fidelity,
        "elevation_a_deg": a.elevation_deg,
        "range_a_km": a.range_km,
        "loss_a_db": ch.a.loss_db if ch.a is not None else np.nan,
        "elevation_b_deg": b.elevation_deg if b is not None else np.nan,
        "range_b_km": b.range_km if b is not None else np.nan,
        "loss_b_db": ch.b.loss_db if ch.b is not None else np.nan,
    }, copy=False)  # the columns are this stage's own arrays: no 2-D block copy of millions of rows
    return table, samples
