"""A site's year over the weather: the same draws as ``compare``'s, totals only.

:func:`mission.weather.draws.draw_years` draws the weather of a span over many stations and
sums by station, link and month; a map needs, per site (a station, or a station and its partner),
only the year's total heralded pairs and key. This draws them with the same model and building
blocks (:mod:`groundstations.year_draws`, :mod:`groundstations.cloud_process`: persistent,
distance-correlated clouds night by night; a window delivers when every sky it needs is clear)
and skips the group sums, which cost ten times the draws themselves.
"""
from __future__ import annotations

import numpy as np

from ...groundstations.cloud_process import simulate_clear_nights, station_correlation_matrix
from ...groundstations.year_draws import contact_deliveries, local_night_index, nightly_clear_probability
from ...groundstations.year_sums import quantile_summary
from ..weather.draws import WeatherModel, key_bits


def site_draws(model: WeatherModel, shared, stations, monthly: np.ndarray, station_a, station_b, start_s, pairs, qber
               ) -> tuple[dict, dict]:
    """Mean/P10/P50/P90 of the year's heralded pairs and of its key (pooled over the year).

    Parameters
    ----------
    model : WeatherModel
    shared : SharedStage
        The span (start, length, months).
    stations : list of Station
    monthly : ndarray (n_stations, 12)
        Each station's monthly clear probability. [1]
    station_a, station_b : ndarray of int (n,)
        Each window's stations (``station_b`` −1: one station).
    start_s : ndarray (n,)
        Window starts after the span start. [s]
    pairs, qber : ndarray (n,)
        Heralded pairs with clear skies and their QBER. [1]
    """
    t0 = shared.t0
    midnight = np.floor(float(t0.tt) - 0.5) + 0.5  # as distribution.simulate: the TT day of the span start
    start_offset_s = (float(t0.tt) - midnight) * 86400.0
    n_days = int(np.ceil((shared.span_s + start_offset_s) / 86400.0))
    noons = (np.arange(-1, n_days + 1) + 0.5) * 86400.0 - start_offset_s
    p_nightly = nightly_clear_probability(monthly, shared.month_of(noons))
    st = np.column_stack([station_a, station_b]).astype(int)
    t = np.asarray(start_s, float) + start_offset_s
    lon = np.array([s.longitude_deg for s in stations], float)
    night = np.full(st.shape, -1, dtype=int)
    for k in range(2):
        used = st[:, k] >= 0
        night[used, k] = local_night_index(t[used], lon[st[used, k]]) + 1
    cloud_rng, _ = (np.random.default_rng(s) for s in np.random.SeedSequence(model.seed).spawn(2))
    corr = station_correlation_matrix([s.latitude_deg for s in stations], lon, model.correlation_length_km)
    clear = simulate_clear_nights(p_nightly, n_draws=model.draws, rng=cloud_rng,
                                  night_correlation=model.night_correlation, correlation=corr)
    delivered = contact_deliveries(clear, st, night).astype(float)
    pairs = np.asarray(pairs, float)
    year = delivered @ pairs
    errors = delivered @ (pairs * np.nan_to_num(np.asarray(qber, float), nan=0.5))
    key = np.zeros_like(year)
    some = year > 0
    key[some] = np.asarray(key_bits(year[some], errors[some] / year[some]), float)
    return quantile_summary(year), quantile_summary(key)
