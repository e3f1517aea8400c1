"""The pass table's payload columns: what each candidate window delivered under the SWaP schedule.

:func:`mission.outputs.tables.window_table` gives the ids, times, geometry and link of each window;
this adds swaps, heralded pairs, the pair-weighted fidelity, QBER, CHSH S and fidelity budget, the
finite-size key (:func:`payload.fidelity.window_totals`, the one per-pass aggregation), clouds and
the SWaP scheduler's per-window results. Aggregation only: the physics was done by the stages that
produced the inputs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...groundstations.catalog import Station
from ...groundstations.channel_config import ChannelConfig
from ...groundstations.cloud_process import p_both_clear, station_correlation_matrix
from ...groundstations.clouds import cloud_free_probability, load_cloud_csv, resolve_cloud_free_monthly
from ...payload.fidelity import window_key_bits, window_totals
from ...payload.swap import BUDGET_TERMS
from ..orbits import frames
from ..stages import Candidates, OperationsStage, PayloadStage, SampleStage
from . import tables


def month_of(t0, seconds: np.ndarray) -> np.ndarray:
    """Calendar month (1–12, UTC) of times after the span start. [s]"""
    iso = frames.utc_iso(t0, seconds)
    return np.array([int(s[5:7]) for s in iso], dtype=int)


def operated_seconds_before(intervals_s: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Cumulative operating time of the payload from the span start up to each time. [s]"""
    if not len(intervals_s):
        return np.zeros(np.shape(t_s))
    starts, ends = intervals_s[:, 0], intervals_s[:, 1]
    cum = np.concatenate([[0.0], np.cumsum(ends - starts)])
    k = np.searchsorted(starts, t_s, side="right")  # intervals started by t
    before = cum[np.maximum(k - 1, 0)]
    inside = np.clip(t_s - starts[np.maximum(k - 1, 0)], 0.0, (ends - starts)[np.maximum(k - 1, 0)])
    return np.where(k > 0, before + inside, 0.0)


def cloud_tables(stations: list[Station], cfg: ChannelConfig):
    """Each station's monthly cloud-free probabilities and their source (groundstations.clouds)."""
    return resolve_cloud_free_monthly(
        stations, scenario_monthly=cfg.cloud_free_monthly,
        csv_monthly=load_cloud_csv(cfg.cloud_csv) if cfg.cloud_csv else {}, csv_path=cfg.cloud_csv,
        use_climatology=cfg.use_cloud_climatology, default=cfg.cloud_free_probability,
        use_global=cfg.use_global_cloud_grid)


def clear_probability(t0, stations: list[Station], cands: Candidates, cloud_monthly: dict, default: float,
                      correlation_length_km: float) -> np.ndarray:
    """Probability that the sky is clear at every station of each window, in the window's month. [1]

    For a pair, both stations clear together: their clouds correlate with distance as in the year's
    Monte Carlo (groundstations.cloud_process: latent correlation exp(−d/L), ``correlation_length_km``
    L [km], 0: independent), so this expectation and the mean of the draws agree.
    """
    n = len(cands)
    names = [s.name for s in stations]
    month = month_of(t0, cands.windows_s[:, 0]) if n else np.empty(0, int)

    def p_of(idx):
        out = np.ones(n)
        for k in np.unique(idx):
            if k >= 0:
                sel = idx == k
                out[sel] = cloud_free_probability(names[k], month[sel], cloud_monthly, default)
        return out

    p_a = p_of(cands.station_a)
    if not n or not np.any(cands.station_b >= 0):
        return p_a
    p_b = p_of(cands.station_b)
    rho = station_correlation_matrix([s.latitude_deg for s in stations], [s.longitude_deg for s in stations],
                                     correlation_length_km)
    pair = cands.station_b >= 0
    joint = p_a.copy()
    joint[pair] = p_both_clear(p_a[pair], p_b[pair], rho[cands.station_a[pair], cands.station_b[pair]])
    return joint


def add_payload_columns(table: pd.DataFrame, t0, mode: str, stations: list[Station], cands: Candidates,
                        smp: SampleStage, pl: PayloadStage, ops: OperationsStage, step_s: float,
                        cloud_monthly: dict, cfg: ChannelConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pass table with its payload columns, and the per-sample table (whose sums are the table's
    per-pass totals).

    ``table`` is :func:`tables.window_table` of the same candidates (one row per candidate, in
    candidate order; :func:`tables.finish_times` sorts it afterwards). In ``onboard`` mode the rows are ground contacts: the payload swaps on board
    whenever the scheduler runs it, and each contact downlinks the swaps made since the previous
    contact. ``cloud_monthly`` maps a station to its twelve cloud-free probabilities
    (:func:`cloud_tables`; others take ``cfg.cloud_free_probability``). [s], [1]
    """
    offsets = smp.offsets
    n = len(cands)
    time_s = smp.time_s
    tot = window_totals(pl.swap_rate_hz, pl.heralded_pair_rate_hz, pl.fidelity, pl.qber, pl.chsh_s, pl.infidelity,
                        step_s, offsets, operated=ops.operated, key_pair_rate_hz=pl.key_pair_rate_hz,
                        key_qber=pl.key_qber)
    swaps, heralded = tot["swaps"], tot["heralded_pairs"]
    sample_swaps, sample_heralded = tot["sample_swaps"], tot["sample_heralded_pairs"]
    key = tot["secret_key_bits"]
    if mode == "onboard":
        # rates do not depend on the link: each contact carries down what was swapped since the last
        since = np.empty(n)
        for sat, sched in enumerate(ops.schedules):
            mine = np.flatnonzero(cands.satellite == sat)
            by_end = mine[np.argsort(cands.windows_s[mine, 1], kind="mergesort")]
            since[by_end] = np.diff(operated_seconds_before(sched.operating_intervals_s, cands.windows_s[by_end, 1]),
                                    prepend=0.0)
        rate_s, rate_h, rate_k = ((pl.swap_rate_hz[0], pl.heralded_pair_rate_hz[0], pl.key_pair_rate_hz[0])
                                  if time_s.size else (0.0, 0.0, 0.0))
        swaps, heralded = rate_s * since, rate_h * since
        key = window_key_bits(rate_k * since, np.full(n, pl.key_qber[0] if time_s.size else np.nan))
        sample_swaps = np.zeros(time_s.size)
        sample_heralded = np.zeros(time_s.size)

    p_clear = clear_probability(t0, stations, cands, cloud_monthly, cfg.cloud_free_probability,
                                cfg.cloud_correlation_length_km)
    w = ops.windows
    cols = {
        "swaps": swaps,
        "heralded_pairs": heralded,
        "fidelity": tot["fidelity"],
        "qber": tot["qber"],
        "chsh_s": tot["chsh_s"],
        "secret_key_bits": key,
        "cloud_free_probability": p_clear,
        "expected_heralded_pairs": heralded * p_clear,
        "energy_wh": w.energy_wh,
        "power_limited": w.seconds_lost_power > 0,
        "limited_by": np.asarray(w.limited_by, dtype=object),
        **{f"infidelity_{k}": tot[f"infidelity_{k}"] for k in BUDGET_TERMS},
        "battery_soc_start": w.battery_soc_start,
        "battery_soc_end": w.battery_soc_end,
        "operating_s": w.operating_s,
        "seconds_lost_power": w.seconds_lost_power,
        "seconds_lost_thermal": w.seconds_lost_thermal,
        "seconds_lost_storage": w.seconds_lost_storage,
    }
    out = tables.fill_note(table.assign(**cols))
    ids = out["pass_id"].to_numpy()
    w_of_s = smp.window_of_sample
    a, b = 0, 1
    samples = pd.DataFrame({
        # categorical ids and float times: millions of rows must not become millions of strings
        "pass_id": pd.Categorical.from_codes(w_of_s, categories=ids) if n else pd.Categorical([]),
        "time_s": time_s,
        "swaps": sample_swaps,
        "heralded_pairs": sample_heralded,
        "swap_rate_hz": pl.swap_rate_hz,
        "heralded_pair_rate_hz": pl.heralded_pair_rate_hz,
        "fidelity": pl.fidelity,
        "elevation_a_deg": smp.leg("elevation_deg", a),
        "range_a_km": smp.leg("range_km", a),
        "elevation_b_deg": smp.leg("elevation_deg", b) if cands.pair else np.nan,
        "range_b_km": smp.leg("range_km", b) if cands.pair else np.nan,
    }, copy=False)  # the columns are this stage's own arrays: no 2-D block copy of millions of rows
    return out, samples
