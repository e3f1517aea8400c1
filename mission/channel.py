"""The channel stage's one place of combination: per-sample link budget and noise of a downlink.

Physics lives in ``groundstations`` (atmosphere, turbulence, background, receiver) and
``payload.optics`` (transmit beam and pointing); this module only strings them together per
station and converts to dB at the edge.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import numpy as np

from ..groundstations import atmosphere, background, turbulence
from ..groundstations.catalog import Station
from ..groundstations.channel_config import ChannelConfig
from ..payload.optics import Transmitter, downlink_geometric_transmittance

#: Coincidence window as a multiple of the combined rms jitter of two detectors, k·sqrt(2)·σ
#: (k = 3 keeps > 99 % of true coincidences of Gaussian jitter).
COINCIDENCE_JITTER_MULTIPLE = 3.0


def to_db(transmittance) -> np.ndarray:
    """Loss in dB of a linear transmittance (∞ for zero). [dB]"""
    t = np.asarray(transmittance, dtype=float)
    with np.errstate(divide="ignore"):
        return -10.0 * np.log10(t)


def from_db(loss_db) -> np.ndarray:
    """Linear transmittance of a loss in dB. [1]"""
    return 10.0 ** (-np.asarray(loss_db, dtype=float) / 10.0)


def coincidence_window_s(station: Station) -> float:
    """Coincidence window from the station's timing jitter: k·sqrt(2)·σ. [s]"""
    return COINCIDENCE_JITTER_MULTIPLE * np.sqrt(2.0) * station.timing_jitter_ps * 1e-12


#: The terms of a downlink's loss budget, along the photon's path, and what each is. Their losses
#: in dB add up to the link's total (:attr:`LinkBudget.loss_db`); the one table of them
#: (``passes.csv``'s ``loss_<term>_db`` columns, ``summary.json``'s ``loss_budget``, the report's
#: waterfall) reads this.
LINK_TERMS = ("onboard_optics", "diffraction", "pointing", "rayleigh", "aerosol", "water_vapour", "atmosphere_given",
              "turbulence", "receiver_optics", "detector", "chain", "station_calibration")
LINK_TERM_LABELS = {
    "onboard_optics": "onboard optics",
    "diffraction": "diffraction (beam spread)",
    "pointing": "pointing",
    "rayleigh": "Rayleigh scattering",
    "aerosol": "aerosol",
    "water_vapour": "water vapour",
    "atmosphere_given": "atmosphere (as given)",
    "turbulence": "turbulence (seeing vs field stop)",
    "receiver_optics": "receiver optics",
    "detector": "detector",
    "chain": "chain (calibrated)",
    "station_calibration": "station calibration",
}
#: What each term holds (the README's and the nomenclature's words).
LINK_TERM_MEANINGS = {
    "onboard_optics": "transmission of the onboard optics from source to transmit aperture (transmitter.optics_efficiency)",
    "diffraction": "the Gaussian beam's spread: the fraction of it the receiver aperture (annulus) collects, "
                   "with the transmit aperture's truncation where switched on",
    "pointing": "pointing bias and jitter averaged over the beam",
    "rayleigh": "Rayleigh scattering along the slant path (Bodhaine et al. 1999, scaled by the site's pressure)",
    "aerosol": "aerosol extinction along the slant path (the site's aerosol optical depth, Ångström's law)",
    "water_vapour": "water-vapour absorption along the slant path (Bird & Riordan 1984)",
    "atmosphere_given": "the whole atmosphere where the scenario gives it as one number or table "
                        "(channel.zenith_transmittance_sea_level or atmosphere_model: table); 0 dB otherwise",
    "turbulence": "the share of the seeing-limited image outside the receiver's field stop",
    "receiver_optics": "transmission of the station's optics (station optics_efficiency)",
    "detector": "the station detector's efficiency (station detector_efficiency)",
    "chain": "the calibrated loss of a real chain beyond the modelled parts (channel.chain_loss_db and its "
             "air-mass term)",
    "station_calibration": "the station's own measured loss beyond the chain (calibrated_loss_db and its air-mass term)",
}
#: The terms of the atmosphere (the clear sky's parts and a sky given whole).
ATMOSPHERE_TERMS = ("rayleigh", "aerosol", "water_vapour", "atmosphere_given")
_LOG10_E = 10.0 / np.log(10.0)  # dB per neper of optical depth: 10·log10(e)


@dataclass(frozen=True)
class LinkBudget:
    """Per-sample transmittance of a downlink and its loss budget by term.

    Attributes
    ----------
    total : ndarray
        Satellite-to-detector transmittance: the product of every term. [1]
    terms_db : dict term -> ndarray or float
        The loss of each of :data:`LINK_TERMS` (a float where it is the same for every sample);
        they add up to :attr:`loss_db`. [dB]
    zenith_rad : ndarray
        Zenith angle of each sample. [rad]
    turbulence : tuple
        Aperture [m], wavelength [nm], HV profile (dict) and fade threshold [1], from which the
        turbulence's scintillation index and fade probability are computed when first read (the
        plan reads the transmittance only).
    """

    total: np.ndarray
    terms_db: dict
    zenith_rad: np.ndarray  # of each sample [rad]
    turbulence: tuple  # aperture [m], wavelength [nm], HV profile (dict), fade threshold [1]

    @property
    def loss_db(self) -> np.ndarray:
        """The total as a loss. [dB]"""
        return to_db(self.total)

    def transmittance(self, *terms: str) -> np.ndarray:
        """Transmittance of the given terms together (e.g. the atmosphere's). [1]"""
        return from_db(sum(np.asarray(self.terms_db[t], float) for t in terms))

    @property
    def atmosphere(self) -> np.ndarray:
        """Clear-sky transmittance of the slant path (every atmosphere term). [1]"""
        return self.transmittance(*ATMOSPHERE_TERMS)

    @functools.cached_property
    def scintillation_index(self) -> np.ndarray:
        """Aperture-averaged scintillation index of each sample (Andrews & Phillips). [1]"""
        aperture_m, wavelength_nm, cn2, _ = self.turbulence
        return turbulence.scintillation_index_downlink(self.zenith_rad, aperture_m, wavelength_nm, **cn2)

    @functools.cached_property
    def fade_probability(self) -> np.ndarray:
        """Probability of a fade below the scenario's threshold at each sample. [1]"""
        return turbulence.fade_probability(self.scintillation_index, self.turbulence[3])


class LossTerms:
    """Collects the loss terms of a stage's rows, run by run (a run: one station's rows), as float32
    arrays; a term that is the same number on every row (an efficiency, the chain, a sky part that
    is absent) is kept as that number broadcast over the rows, which costs no memory. Runs may be
    put from several threads."""

    def __init__(self, n_rows: int):
        self.n = n_rows
        self._arrays: dict[str, np.ndarray] = {}
        self._numbers: dict[str, list[tuple[slice, float]]] = {t: [] for t in LINK_TERMS}
        self._lock = threading.Lock()

    def put(self, rows: slice, terms_db: dict) -> None:
        """The terms of the rows ``rows`` (:attr:`LinkBudget.terms_db`: arrays or numbers). [dB]"""
        for t, v in terms_db.items():
            if np.ndim(v) == 0 and t not in self._arrays:
                self._numbers[t].append((rows, float(v)))
                continue
            with self._lock:
                if t not in self._arrays:
                    self._arrays[t] = np.empty(self.n, np.float32)
            self._arrays[t][rows] = v

    def arrays(self) -> dict[str, np.ndarray]:
        """Every term per row (read-only broadcast where it is one number). [dB]"""
        out = {}
        for t in LINK_TERMS:
            numbers = self._numbers[t]
            if t not in self._arrays and len({v for _, v in numbers}) == 1:
                out[t] = np.broadcast_to(np.float32(numbers[0][1]), (self.n,))
                continue
            arr = self._arrays.get(t, np.zeros(self.n, np.float32) if not numbers else np.empty(self.n, np.float32))
            for rows, v in numbers:
                arr[rows] = v
            out[t] = arr
        return out


def atmospheric_transmittance(elevation_deg, station: Station, wavelength_nm: float, cfg: ChannelConfig) -> np.ndarray:
    """Clear-sky transmittance along the slant path at each elevation: Kasten & Young air mass
    with the site-scaled zenith transmittance, or the user's table. [1]"""
    return atmosphere_components(elevation_deg, station, wavelength_nm, cfg)[0]


def atmosphere_components(elevation_deg, station: Station, wavelength_nm: float,
                          cfg: ChannelConfig) -> tuple[np.ndarray, dict]:
    """:func:`atmospheric_transmittance` and the slant optical depth of each atmosphere term present
    (Rayleigh, aerosol, water vapour; or the sky given whole). [1]"""
    if cfg.atmosphere_model == "table":
        t = atmosphere.transmittance_from_table(elevation_deg, cfg.table_elevation_deg, cfg.table_transmittance)
        with np.errstate(divide="ignore"):
            return t, {"atmosphere_given": -np.log(t)}
    return cfg.clear_sky_components(elevation_deg, wavelength_nm, station.altitude_m,
                                    station.aerosol_optical_depth_550nm, station.angstrom_exponent)


def link_budget(elevation_deg, range_km, station: Station, transmitter: Transmitter, wavelength_nm: float,
                cfg: ChannelConfig) -> LinkBudget:
    """Diffraction, pointing, atmosphere, field-stop coupling, receiver, chain and station
    calibration, and turbulence for one station's samples, with the loss of each term
    (:data:`LINK_TERMS`). Terms that are the same for every sample are floats; the scintillation
    index and fade probability are computed when first read."""
    elevation_deg = np.asarray(elevation_deg, dtype=float)
    zenith = np.radians(90.0 - np.clip(elevation_deg, 0.0, 90.0))
    diffraction, pointing = downlink_geometric_transmittance(
        range_km, zenith, transmitter, wavelength_nm, station.aperture_m, station.obscuration_ratio)
    atm, depths = atmosphere_components(elevation_deg, station, wavelength_nm, cfg)
    cn2 = {"wind_speed_m_s": cfg.hv_wind_speed_m_s, "ground_cn2_m_23": cfg.ground_cn2_m_23(station.median_seeing_arcsec)}
    coupling = turbulence.field_stop_efficiency_downlink(zenith, station.fov_urad, station.aperture_m, wavelength_nm, **cn2)
    receiver = np.full(elevation_deg.shape, station.optics_efficiency * station.detector_efficiency)
    calibration = np.full(elevation_deg.shape, from_db(cfg.chain_loss_db + station.calibrated_loss_db))
    chain_db, station_db = float(cfg.chain_loss_db), float(station.calibrated_loss_db)
    per_airmass_db = cfg.chain_airmass_loss_db + station.calibrated_airmass_loss_db
    if per_airmass_db != 0.0:
        excess_airmass = atmosphere.airmass_kastenyoung1989(np.clip(elevation_deg, 0.0, 90.0)) - 1.0
        calibration = calibration * from_db(per_airmass_db * excess_airmass)
        chain_db = chain_db + cfg.chain_airmass_loss_db * excess_airmass
        station_db = station_db + station.calibrated_airmass_loss_db * excess_airmass
    total = diffraction * pointing * atm * coupling * receiver * calibration
    onboard_db = float(to_db(transmitter.optics_efficiency))
    terms = {"onboard_optics": onboard_db, "diffraction": to_db(diffraction) - onboard_db,  # diffraction × optics
             "pointing": to_db(pointing),
             **{t: _LOG10_E * depths[t] if t in depths else 0.0 for t in ATMOSPHERE_TERMS},
             "turbulence": to_db(coupling), "receiver_optics": float(to_db(station.optics_efficiency)),
             "detector": float(to_db(station.detector_efficiency)), "chain": chain_db,
             "station_calibration": station_db}
    return LinkBudget(total, terms, zenith, (station.aperture_m, wavelength_nm, cn2, cfg.fade_threshold_fraction))


def noise_probabilities(sun_elevation_deg, moon_elevation_deg, moon_illumination, station: Station,
                        wavelength_nm: float, cfg: ChannelConfig) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities of a sky-background click and of a dark click in one coincidence window. [1]"""
    window = coincidence_window_s(station)
    radiance = background.sky_radiance(sun_elevation_deg, moon_elevation_deg, moon_illumination,
                                       cfg.dark_sky_radiance, cfg.full_moon_radiance, cfg.day_sky_radiance)
    sky = background.background_counts(radiance, station.fov_urad, station.aperture_m, station.obscuration_ratio,
                                       station.filter_bandwidth_nm, window,
                                       station.optics_efficiency * station.detector_efficiency, wavelength_nm)
    dark = np.full(np.shape(sky), station.dark_count_rate_hz * window)
    return background.noise_click_probability(sky), background.noise_click_probability(dark)
