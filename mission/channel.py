"""The channel stage's one place of combination: per-sample link budget and noise of a downlink.

Physics lives in ``groundstations`` (atmosphere, turbulence, background, receiver) and
``payload.optics`` (transmit beam and pointing); this module only strings them together per
station and converts to dB at the edge.
"""
from __future__ import annotations

import functools
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


@dataclass(frozen=True)
class LinkBudget:
    """Per-sample transmittance of a downlink and its parts (all linear, [1]); the turbulence's
    scintillation index and fade probability are computed when first read (the plan reads the
    transmittance only)."""

    diffraction: np.ndarray  # collected fraction of the beam × onboard optics
    pointing: np.ndarray
    atmosphere: np.ndarray
    coupling: np.ndarray  # seeing-limited image through the receiver's field stop
    receiver: np.ndarray  # station optics × detector efficiency
    calibration: np.ndarray  # the scenario's chain terms and the station's own calibrated terms
    total: np.ndarray
    zenith_rad: np.ndarray  # of each sample [rad]
    turbulence: tuple  # aperture [m], wavelength [nm], HV profile (dict), fade threshold [1]

    @property
    def loss_db(self) -> np.ndarray:
        """The total as a loss. [dB]"""
        return to_db(self.total)

    @functools.cached_property
    def scintillation_index(self) -> np.ndarray:
        """Aperture-averaged scintillation index of each sample (Andrews & Phillips). [1]"""
        aperture_m, wavelength_nm, cn2, _ = self.turbulence
        return turbulence.scintillation_index_downlink(self.zenith_rad, aperture_m, wavelength_nm, **cn2)

    @functools.cached_property
    def fade_probability(self) -> np.ndarray:
        """Probability of a fade below the scenario's threshold at each sample. [1]"""
        return turbulence.fade_probability(self.scintillation_index, self.turbulence[3])


def atmospheric_transmittance(elevation_deg, station: Station, wavelength_nm: float, cfg: ChannelConfig) -> np.ndarray:
    """Clear-sky transmittance along the slant path at each elevation: Kasten & Young air mass
    with the site-scaled zenith transmittance, or the user's table. [1]"""
    if cfg.atmosphere_model == "table":
        return atmosphere.transmittance_from_table(elevation_deg, cfg.table_elevation_deg, cfg.table_transmittance)
    return cfg.clear_sky_transmittance(elevation_deg, wavelength_nm, station.altitude_m,
                                       station.aerosol_optical_depth_550nm, station.angstrom_exponent)


def link_budget(elevation_deg, range_km, station: Station, transmitter: Transmitter, wavelength_nm: float,
                cfg: ChannelConfig) -> LinkBudget:
    """Diffraction, pointing, atmosphere, field-stop coupling, receiver, chain and station
    calibration, and turbulence for one station's samples."""
    elevation_deg = np.asarray(elevation_deg, dtype=float)
    zenith = np.radians(90.0 - np.clip(elevation_deg, 0.0, 90.0))
    diffraction, pointing = downlink_geometric_transmittance(
        range_km, zenith, transmitter, wavelength_nm, station.aperture_m, station.obscuration_ratio)
    atm = atmospheric_transmittance(elevation_deg, station, wavelength_nm, cfg)
    cn2 = {"wind_speed_m_s": cfg.hv_wind_speed_m_s, "ground_cn2_m_23": cfg.ground_cn2_m_23(station.median_seeing_arcsec)}
    coupling = turbulence.field_stop_efficiency_downlink(zenith, station.fov_urad, station.aperture_m, wavelength_nm, **cn2)
    receiver = np.full(elevation_deg.shape, station.optics_efficiency * station.detector_efficiency)
    calibration = np.full(elevation_deg.shape, from_db(cfg.chain_loss_db + station.calibrated_loss_db))
    per_airmass_db = cfg.chain_airmass_loss_db + station.calibrated_airmass_loss_db
    if per_airmass_db != 0.0:
        excess_airmass = atmosphere.airmass_kastenyoung1989(np.clip(elevation_deg, 0.0, 90.0)) - 1.0
        calibration = calibration * from_db(per_airmass_db * excess_airmass)
    total = diffraction * pointing * atm * coupling * receiver * calibration
    return LinkBudget(diffraction, pointing, atm, coupling, receiver, calibration, total, zenith,
                      (station.aperture_m, wavelength_nm, cn2, cfg.fade_threshold_fraction))


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
