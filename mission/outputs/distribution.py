"""The year as a distribution: ``summary.json``'s ``distribution`` section.

The pass table gives each contact's heralded pairs *if* every sky it needs is clear; the clouds
decide. :func:`groundstations.year_draws.simulate_year` draws the weather of the whole span many
times (each station's nights persistent from night to night, nearby stations correlated) and sums,
per draw, what the contacts deliver; this module feeds it the plan's contacts and returns the mean,
P10, P50 and P90 of the year's heralded pairs, secret-key bits and contacts with data, in total,
by station, by pair and by month.

Turbulent fades are not drawn here: they last milliseconds, a contact lasts minutes, so a contact's
pairs already average over them (the link budget's mean transmittance); they add no spread to a
year's total.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...groundstations.cloud_process import CORRELATION_LENGTH_KM, NIGHT_CORRELATION
from ...groundstations.year_draws import YearDraws, local_night_index, nightly_clear_probability, simulate_year
from ...payload.keyrate import bbm92_secret_key_bits
from ..windows.clouds import month_of

#: Draws of the weather per plan by default (``--draws`` changes it). The Monte Carlo error of a
#: P10 at 1,000 draws is ~1 % of the spread.
DEFAULT_DRAWS = 1000


@dataclass(frozen=True)
class WeatherModel:
    """How the weather of a span is drawn.

    Attributes
    ----------
    draws : int
        Simulated years. [1]
    seed : int
        Seed of the draws (the same seed gives byte-identical draws).
    night_correlation : float
        Latent night-to-night correlation of a station's clouds (assumption, docs/weather.md). [1]
    correlation_length_km : float
        Latent correlation length between stations (assumption; 0: independent). [km]
    """

    draws: int = DEFAULT_DRAWS
    seed: int = 0
    night_correlation: float = NIGHT_CORRELATION
    correlation_length_km: float = CORRELATION_LENGTH_KM


def key_bits(pooled_pairs, pooled_qber):
    """BBM92 finite-size key of pooled pairs (half share a basis). [bit]"""
    return bbm92_secret_key_bits(0.5 * np.asarray(pooled_pairs, float), pooled_qber)


def weather_model(outputs, cfg, draws: int | None = None) -> WeatherModel:
    """How a scenario's weather is drawn: draws and seed (``outputs``; ``draws`` overrides),
    persistence and correlation (``channel``, ``cfg``)."""
    return WeatherModel(outputs.draws if draws is None else draws, outputs.seed, cfg.cloud_night_correlation,
                        cfg.cloud_correlation_length_km)


def simulate(model: WeatherModel, t0, span_s: float, stations, cloud_monthly: dict, default_clear: float,
             station_a: np.ndarray, station_b: np.ndarray, start_s: np.ndarray, pairs_if_clear: np.ndarray,
             qber: np.ndarray) -> YearDraws:
    """Draw the weather of the span ``model.draws`` times over any contacts (the plan's scheduled
    contacts, or ``skyswap compare``'s candidate windows served whole).

    Parameters
    ----------
    t0, span_s
        The span's start (skyfield Time) and length. [s]
    stations : list of groundstations.catalog.Station
        The scenario's stations (names and positions). [deg]
    cloud_monthly : dict name -> 12 values
        Each station's monthly clear probability (the pass table's); others ``default_clear``. [1]
    station_a, station_b : ndarray of int (n,)
        Each contact's stations (``station_b`` −1 for a single station).
    start_s : ndarray (n,)
        Each contact's start after the span start. [s]
    pairs_if_clear, qber : ndarray (n,)
        Heralded pairs of the contact with clear skies, and their QBER. [1]
    """
    midnight = np.floor(float(t0.tt) - 0.5) + 0.5  # TT day start (the 32-69 s from UTC: not a night's worth)
    start_offset_s = (float(t0.tt) - midnight) * 86400.0  # from 00:00 of the span's first day
    n_days = int(np.ceil((span_s + start_offset_s) / 86400.0))
    noons = (np.arange(-1, n_days + 1) + 0.5) * 86400.0 - start_offset_s  # each local night's UTC noon, roughly
    day_month = month_of(t0, noons)  # from the night before the span to the one after it
    start_s = np.asarray(start_s, float)
    month = month_of(t0, start_s) if len(start_s) else np.empty(0, int)
    station_names = [s.name for s in stations]
    latitude_deg = [s.latitude_deg for s in stations]
    longitude_deg = [s.longitude_deg for s in stations]
    names = list(station_names)
    lon = np.asarray(longitude_deg, float)
    monthly = np.array([cloud_monthly.get(n, (default_clear,) * 12) for n in names], dtype=float)
    p_nightly = nightly_clear_probability(monthly, day_month)
    st = np.column_stack([station_a, station_b]).astype(int)
    t = np.asarray(start_s, float) + start_offset_s
    night = np.full(st.shape, -1, dtype=int)
    for k in range(2):
        used = st[:, k] >= 0
        night[used, k] = local_night_index(t[used], lon[st[used, k]]) + 1  # the night before the span is 0
    link_label = np.array([names[a] if b < 0 else f"{names[a]}–{names[b]}" for a, b in st.tolist()], dtype=object)
    link_names, link = np.unique(link_label, return_inverse=True) if len(link_label) else (np.empty(0, object),
                                                                                           np.empty(0, int))
    return simulate_year(
        station_names=names, latitude_deg=latitude_deg, longitude_deg=lon, p_clear_nightly=p_nightly,
        contact_station=st, contact_night=night, month=np.asarray(month, int),
        pairs_if_clear=np.asarray(pairs_if_clear, float), qber=np.nan_to_num(np.asarray(qber, float), nan=0.5),
        link=np.asarray(link, int).reshape(-1), link_names=[str(x) for x in link_names], key_bits=key_bits,
        n_draws=model.draws, seed=model.seed, night_correlation=model.night_correlation,
        correlation_length_km=model.correlation_length_km)


def distribution_section(draws: YearDraws, model: WeatherModel) -> dict:
    """The ``distribution`` section of summary.json: the quantiles and how they were drawn."""
    return {"draws": model.draws, "seed": model.seed, "night_correlation": model.night_correlation,
            "correlation_length_km": model.correlation_length_km,
            "fades": "not drawn: ms-scale fades average out within a contact (in the mean link)",
            **draws.distribution()}
