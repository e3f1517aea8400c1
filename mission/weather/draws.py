"""The weather stage's driver: the year drawn many times over a set of contacts.

The contact plan gives each scheduled contact's heralded pairs *if* every sky it needs is clear;
the clouds decide. :func:`groundstations.year_draws.simulate_year` draws the weather of the whole
span many times (each station's nights persistent from night to night, nearby stations
correlated) and sums, per draw, what the contacts deliver; this module feeds it the contacts
(:class:`DrawnContacts`: the plan's scheduled contacts, or ``skyswap compare``'s candidate windows
served whole) with the span's nights and months. ``summary.json``'s ``distribution`` section
reports the mean, P10, P50 and P90 of the year's heralded pairs, secret-key bits and contacts with
data, in total, by station, by pair and by month (:func:`mission.outputs.summary.distribution_section`).

Turbulent fades are not drawn here: they last milliseconds, a contact lasts minutes, so a contact's
pairs already average over them (the link budget's mean transmittance); they add no spread to a
year's total.

The link model's own uncertainty (the chain calibration's error shared by every link, each
station's residual independent: :mod:`groundstations.link_uncertainty`) is drawn once per simulated
year with the same seed, on the same weather: each link's pairs in a draw are scaled by
10^(−Σ offsets/10) over the links its photons cross (the payload mode's ``downlinks``).
:func:`draw_years` returns both years, ``"weather"`` and ``"weather_and_link"``; ``summary.json``'s
``distribution`` keeps the first at its top level and the second under ``weather_and_link``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...groundstations.calibration import MICIUS_CHAIN_LOSS_SIGMA_DB, MICIUS_LINK_LOSS_SIGMA_DB
from ...groundstations.cloud_process import CORRELATION_LENGTH_KM, NIGHT_CORRELATION
from ...groundstations.link_uncertainty import LinkUncertainty
from ...groundstations.year_draws import local_night_index, nightly_clear_probability, simulate_years
from ...groundstations.year_sums import YearDraws
from ...payload.keyrate import bbm92_secret_key_bits
from .clear_sky import month_of

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
    chain_loss_sigma_db : float
        The chain constant's uncertainty, shared by every link (``channel.chain_loss_sigma_db``). [dB]
    link_loss_sigma_db : float
        One station's scatter about the chain, independent between stations
        (``channel.link_loss_sigma_db``). [dB]
    """

    draws: int = DEFAULT_DRAWS
    seed: int = 0
    night_correlation: float = NIGHT_CORRELATION
    correlation_length_km: float = CORRELATION_LENGTH_KM
    chain_loss_sigma_db: float = MICIUS_CHAIN_LOSS_SIGMA_DB
    link_loss_sigma_db: float = MICIUS_LINK_LOSS_SIGMA_DB

    def link_uncertainty(self, downlinks: int) -> LinkUncertainty:
        """The link's uncertainty as it applies to contacts whose pairs cross ``downlinks`` links."""
        return LinkUncertainty(self.chain_loss_sigma_db, self.link_loss_sigma_db, downlinks)


@dataclass(frozen=True)
class DrawnContacts:
    """The contacts a year is drawn over, and what each delivers if every sky it needs is clear.

    Attributes
    ----------
    station_a, station_b : ndarray of int (n,)
        Each contact's stations (site indices; ``station_b`` −1 for a single station).
    start_s, end_s : ndarray (n,)
        Each contact's start and end after the span start. [s]
    pairs_if_clear, qber : ndarray (n,)
        Heralded pairs of the contact with clear skies, and their QBER. [1]
    """

    station_a: np.ndarray
    station_b: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    pairs_if_clear: np.ndarray
    qber: np.ndarray


def key_bits(pooled_pairs, pooled_qber):
    """BBM92 finite-size key of pooled pairs (half share a basis). [bit]"""
    return bbm92_secret_key_bits(0.5 * np.asarray(pooled_pairs, float), pooled_qber)


def weather_model(outputs, cfg, draws: int | None = None) -> WeatherModel:
    """How a scenario's weather is drawn: draws and seed (``outputs``; ``draws`` overrides),
    persistence and correlation of the clouds, and the link's uncertainty (``channel``, ``cfg``)."""
    return WeatherModel(outputs.draws if draws is None else draws, outputs.seed, cfg.cloud_night_correlation,
                        cfg.cloud_correlation_length_km, cfg.chain_loss_sigma_db, cfg.link_loss_sigma_db)


def draw_years(model: WeatherModel, t0, span_s: float, stations, cloud_monthly: dict, default_clear: float,
               contacts: DrawnContacts, downlinks: int) -> dict[str, YearDraws]:
    """Draw the span ``model.draws`` times over ``contacts``: the weather alone, and the weather
    with the link model's error.

    Parameters
    ----------
    t0, span_s
        The span's start (skyfield Time) and length. [s]
    stations : list of groundstations.catalog.Station
        The scenario's stations (names and positions). [deg]
    cloud_monthly : dict name -> 12 values
        Each station's monthly clear probability (the pass table's); others ``default_clear``. [1]
    contacts : DrawnContacts
        What the year is drawn over.
    downlinks : int
        Links a contact's pairs cross (the payload mode's ``downlinks``: 0 on board, 1, 2): how
        many of its stations' link offsets scale its pairs.

    Returns
    -------
    dict str -> groundstations.year_sums.YearDraws
        ``"weather"`` and ``"weather_and_link"`` (:data:`groundstations.year_draws.WEATHER`,
        :data:`~groundstations.year_draws.WEATHER_AND_LINK`), drawn on the same clouds.
    """
    inputs = year_inputs(model, t0, span_s, stations, cloud_monthly, default_clear, contacts)
    return simulate_years(**inputs, link_uncertainty=model.link_uncertainty(downlinks))


def year_inputs(model: WeatherModel, t0, span_s: float, stations, cloud_monthly: dict, default_clear: float,
                contacts: DrawnContacts) -> dict:
    """The keywords of :func:`groundstations.year_draws.simulate_years` for ``contacts`` over the span
    (nights and months, each station's nightly clear probability, links, the model's draws and
    seed), the link's uncertainty aside. Parameters as :func:`draw_years`."""
    midnight = np.floor(float(t0.tt) - 0.5) + 0.5  # TT day start (the 32-69 s from UTC: not a night's worth)
    start_offset_s = (float(t0.tt) - midnight) * 86400.0  # from 00:00 of the span's first day
    n_days = int(np.ceil((span_s + start_offset_s) / 86400.0))
    noons = (np.arange(-1, n_days + 1) + 0.5) * 86400.0 - start_offset_s  # each local night's UTC noon, roughly
    day_month = month_of(t0, noons)  # from the night before the span to the one after it
    start_s = np.asarray(contacts.start_s, float)
    month = month_of(t0, start_s) if len(start_s) else np.empty(0, int)
    names = [s.name for s in stations]
    lon = np.asarray([s.longitude_deg for s in stations], float)
    monthly = np.array([cloud_monthly.get(n, (default_clear,) * 12) for n in names], dtype=float)
    p_nightly = nightly_clear_probability(monthly, day_month)
    st = np.column_stack([contacts.station_a, contacts.station_b]).astype(int)
    t = start_s + start_offset_s
    night = np.full(st.shape, -1, dtype=int)
    for k in range(2):
        used = st[:, k] >= 0
        night[used, k] = local_night_index(t[used], lon[st[used, k]]) + 1  # the night before the span is 0
    link_label = np.array([names[a] if b < 0 else f"{names[a]}–{names[b]}" for a, b in st.tolist()], dtype=object)
    link_names, link = np.unique(link_label, return_inverse=True) if len(link_label) else (np.empty(0, object),
                                                                                           np.empty(0, int))
    return dict(
        station_names=names, latitude_deg=[s.latitude_deg for s in stations], longitude_deg=lon,
        p_clear_nightly=p_nightly, contact_station=st, contact_night=night, month=np.asarray(month, int),
        pairs_if_clear=np.asarray(contacts.pairs_if_clear, float),
        qber=np.nan_to_num(np.asarray(contacts.qber, float), nan=0.5),
        link=np.asarray(link, int).reshape(-1), link_names=[str(x) for x in link_names], key_bits=key_bits,
        n_draws=model.draws, seed=model.seed, night_correlation=model.night_correlation,
        correlation_length_km=model.correlation_length_km)
