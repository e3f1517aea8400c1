"""Clear skies: each station's monthly cloud-free probability, and each window's chance that every
sky it needs is clear (groundstations.clouds and groundstations.cloud_process do the physics).

The contact plan weighs each candidate window by :func:`clear_probability`; the weather stage
(:mod:`.draws`) draws the same skies over the scheduled contacts, so the expectation and the mean
of the draws agree."""
from __future__ import annotations

import numpy as np

from ...groundstations.catalog import Station
from ...groundstations.channel_config import ChannelConfig
from ...groundstations.cloud_process import p_both_clear, station_correlation_matrix
from ...groundstations.clouds import cloud_free_probability, resolve_cloud_free_monthly
from ..scenario.files import read_cloud_csv


def month_of(t0, seconds: np.ndarray) -> np.ndarray:
    """Calendar month (1–12, UTC) of times after the span start. [s]"""
    from ..orbits import frames

    iso = frames.utc_iso(t0, seconds)
    return np.array([int(s[5:7]) for s in iso], dtype=int)


def cloud_tables(stations: list[Station], cfg: ChannelConfig):
    """Each station's monthly cloud-free probabilities and their source (groundstations.clouds)."""
    return resolve_cloud_free_monthly(
        stations, scenario_monthly=cfg.cloud_free_monthly,
        csv_monthly=read_cloud_csv(cfg.cloud_csv) if cfg.cloud_csv else {}, csv_path=cfg.cloud_csv,
        use_climatology=cfg.use_cloud_climatology, default=cfg.cloud_free_probability,
        use_global=cfg.use_global_cloud_grid)


def clear_probability(t0, stations: list[Station], start_s: np.ndarray, station_a: np.ndarray,
                      station_b: np.ndarray, cloud_monthly: dict, default: float,
                      correlation_length_km: float) -> np.ndarray:
    """Probability that the sky is clear at every station of each window, in the window's month. [1]

    For a pair, both stations clear together: their clouds correlate with distance as in the year's
    Monte Carlo (groundstations.cloud_process: latent correlation exp(−d/L), ``correlation_length_km``
    L [km], 0: independent), so this expectation and the mean of the draws agree.
    """
    n = len(start_s)
    names = [s.name for s in stations]
    month = month_of(t0, start_s) if n else np.empty(0, int)

    def p_of(idx):
        out = np.ones(n)
        for k in np.unique(idx):
            if k >= 0:
                sel = idx == k
                out[sel] = cloud_free_probability(names[k], month[sel], cloud_monthly, default)
        return out

    p_a = p_of(station_a)
    if not n or not np.any(station_b >= 0):
        return p_a
    p_b = p_of(station_b)
    rho = station_correlation_matrix([s.latitude_deg for s in stations], [s.longitude_deg for s in stations],
                                     correlation_length_km)
    pair = station_b >= 0
    joint = p_a.copy()
    joint[pair] = p_both_clear(p_a[pair], p_b[pair], rho[station_a[pair], station_b[pair]])
    return joint
