"""The scenario's ``channel`` section: atmosphere, turbulence, sky background and clouds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

import numpy as np
from annotated_types import Ge, Gt, Le, Lt, MaxLen

from . import atmosphere, turbulence
from .atmosphere import (
    AEROSOL_SCALE_HEIGHT_M,
    ANGSTROM_EXPONENT,
    PRECIPITABLE_WATER_SEA_LEVEL_CM,
    VISIBILITY_RURAL_KM,
)
from .background import DARK_SKY_RADIANCE, DAY_SKY_RADIANCE, FULL_MOON_RADIANCE
from .calibration import (
    MICIUS_CHAIN_AIRMASS_LOSS_DB,
    MICIUS_CHAIN_LOSS_DB,
    MICIUS_CHAIN_LOSS_SIGMA_DB,
    MICIUS_CHAIN_SOURCE,
    MICIUS_LINK_LOSS_SIGMA_DB,
)
from .cloud_process import CORRELATION_LENGTH_KM, NIGHT_CORRELATION

Probability = Annotated[float, Ge(0.0), Le(1.0)]
#: Most rows of a transmittance-vs-elevation table (0.1° steps from 0 to 90° are 901).
MAX_TABLE_ROWS = 1000
#: Brightest sky radiance accepted: 250x the clear noon sky of groundstations.background (0.039),
#: brighter than any sky a telescope observes through. [W m⁻² sr⁻¹ nm⁻¹]
MAX_SKY_RADIANCE = 10.0


@dataclass(frozen=True)
class ChannelConfig:
    """Channel model choices shared by every downlink of a scenario.

    Attributes
    ----------
    atmosphere_model : {"kastenyoung1989", "table"}
        Beer–Lambert with Kasten & Young air mass, or a user table of transmittance vs elevation.
    zenith_transmittance_sea_level : float, optional
        Clear-sky zenith transmittance at sea level at the wavelength (everything included), scaled
        to each site's altitude. Left out (the default), the sky follows from the wavelength, each
        site's aerosol and the keys below (see groundstations.atmosphere). [1]
    visibility_km : float
        Sea-level meteorological range of the default aerosol profile (Koschmieder's law; default
        23 km: MODTRAN's rural model, a clear continental site). [km]
    aerosol_scale_height_m : float
        Scale height of the default aerosol profile: a site at altitude h sees exp(−h/H) of the
        sea-level column (2 km: Qiu et al. 2005, the mean of 11 Chinese sites). [m]
    aerosol_optical_depth_550nm : float, optional
        Instead of the visibility: the default profile's zenith aerosol optical depth at 550 nm from
        sea level, cut at each site's altitude like the visibility's. A station's own
        ``aerosol_optical_depth_550nm`` (a photometer's value above the site) wins over both. [1]
    angstrom_exponent : float
        Wavelength exponent of the aerosol optical depth for stations that give none (1.3: Ångström
        1929; Kruse 1962 for 6–50 km visibility). [1]
    precipitable_water_sea_level_cm : float
        Column water vapour at sea level, scaled to each site by exp(−h/2 km) (assumption 1.4 cm);
        absorbs in the 810–830 nm band (Bird & Riordan 1984). [cm]
    table_elevation_deg, table_transmittance : tuple of float
        The table for ``atmosphere_model: table`` (e.g. MODTRAN/libRadtran output). [deg], [1]
    hv_wind_speed_m_s : float
        Hufnagel–Valley rms upper wind (HV 5/7: 21 m/s). [m/s]
    hv_ground_cn2_m_23 : float, optional
        Hufnagel–Valley ground-layer Cn² for every station. Left out, each station's comes from its
        ``median_seeing_arcsec`` (catalog or scenario), or HV 5/7's 1.7e-14 where it has none. [m^-2/3]
    fade_threshold_fraction : float
        A fade is the received power below this fraction of its mean (0.5 = −3 dB). [1]
    dark_sky_radiance, full_moon_radiance, day_sky_radiance : float
        Sky radiance model (see groundstations.background). [W m⁻² sr⁻¹ nm⁻¹]
    cloud_free_probability : float
        Clear-sky probability for every station and month with no other value: neither the
        scenario's, the CSV's nor a shipped one (assumption 0.5). [1]
    cloud_free_monthly : mapping station -> 12 values
        Monthly clear-sky probabilities per station; they win over every other source. [1]
    cloud_csv : str, optional
        CSV of monthly values (station, month, cloud_free_probability), relative to the scenario;
        wins over the shipped climatology.
    use_cloud_climatology : bool
        Use the shipped, cited clear-night fractions (groundstations/data/cloud_climatology.json)
        for catalog stations that have one and no user value (default true).
    use_global_cloud_grid : bool
        Fill every station without a user or shipped value from the global ITU-R P.840-8 grid at
        its latitude and longitude (groundstations/cloud_grid.py; annual, liquid cloud only;
        default true). Off, such stations take ``cloud_free_probability``.
    cloud_night_correlation : float
        Latent night-to-night correlation of a station's clouds in the year's Monte Carlo
        (assumption 0.5; groundstations.cloud_process, docs/weather.md). [1]
    cloud_correlation_length_km : float
        Latent correlation length of clouds between stations (assumption 300 km; 0: independent). [km]
    chain_loss_db : float
        Loss of a real transmit/receive chain beyond the modelled parts (diffraction, pointing,
        atmosphere, field stop, onboard optics, station optics and detector at their given or default
        efficiencies), added to every downlink. Default: what the Micius chain lost, fitted jointly
        on every Micius link loss the project holds (groundstations.calibration, docs/micius_2017.md).
        Set 0 for a chain whose efficiencies are measured end to end. [dB]
    chain_airmass_loss_db : float
        The chain's extra loss per unit air mass above one (0: the joint fit does not support one). [dB]
    chain_loss_sigma_db : float
        One-standard-deviation uncertainty of ``chain_loss_db`` (the joint fit's), shared by every
        link of the scenario (groundstations.link_uncertainty). [dB]
    link_loss_sigma_db : float
        Scatter of one station's link about the chain (the joint fit's residual), independent from
        station to station. [dB]
    chain_loss_source : str
        Where ``chain_loss_db`` comes from.
    """

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    atmosphere_model: Literal["kastenyoung1989", "table"] = "kastenyoung1989"
    zenith_transmittance_sea_level: Annotated[float, Gt(0.0), Le(1.0)] | None = None
    visibility_km: Annotated[float, Ge(0.5), Le(1000.0)] = VISIBILITY_RURAL_KM
    aerosol_scale_height_m: Annotated[float, Gt(0.0), Le(20000.0)] = AEROSOL_SCALE_HEIGHT_M
    aerosol_optical_depth_550nm: Annotated[float, Ge(0.0), Lt(10.0)] | None = None
    angstrom_exponent: Annotated[float, Ge(-1.0), Le(4.0)] = ANGSTROM_EXPONENT
    precipitable_water_sea_level_cm: Annotated[float, Ge(0.0), Le(15.0)] = PRECIPITABLE_WATER_SEA_LEVEL_CM
    table_elevation_deg: Annotated[tuple[Annotated[float, Ge(0.0), Le(90.0)], ...], MaxLen(MAX_TABLE_ROWS)] = ()
    table_transmittance: Annotated[tuple[Probability, ...], MaxLen(MAX_TABLE_ROWS)] = ()
    hv_wind_speed_m_s: Annotated[float, Ge(0.0), Lt(200.0)] = 21.0
    hv_ground_cn2_m_23: Annotated[float, Ge(0.0), Lt(1e-10)] | None = None
    fade_threshold_fraction: Annotated[float, Gt(0.0), Lt(1.0)] = 0.5
    # twilight is log-linear between night and day (groundstations.background): both must be > 0
    dark_sky_radiance: Annotated[float, Gt(0.0), Le(MAX_SKY_RADIANCE)] = DARK_SKY_RADIANCE
    full_moon_radiance: Annotated[float, Ge(0.0), Le(MAX_SKY_RADIANCE)] = FULL_MOON_RADIANCE
    day_sky_radiance: Annotated[float, Gt(0.0), Le(MAX_SKY_RADIANCE)] = DAY_SKY_RADIANCE
    cloud_free_probability: Probability = 0.5
    cloud_free_monthly: dict[str, tuple[Probability, Probability, Probability, Probability, Probability, Probability,
                                        Probability, Probability, Probability, Probability, Probability,
                                        Probability]] = field(default_factory=dict)
    cloud_csv: str | None = None
    use_cloud_climatology: bool = True
    use_global_cloud_grid: bool = True
    cloud_night_correlation: Annotated[float, Ge(0.0), Lt(1.0)] = NIGHT_CORRELATION
    cloud_correlation_length_km: Annotated[float, Ge(0.0), Le(20000.0)] = CORRELATION_LENGTH_KM
    chain_loss_db: Annotated[float, Ge(-30.0), Le(60.0)] = MICIUS_CHAIN_LOSS_DB
    chain_airmass_loss_db: Annotated[float, Ge(-30.0), Le(30.0)] = MICIUS_CHAIN_AIRMASS_LOSS_DB
    chain_loss_sigma_db: Annotated[float, Ge(0.0), Le(30.0)] = MICIUS_CHAIN_LOSS_SIGMA_DB
    link_loss_sigma_db: Annotated[float, Ge(0.0), Le(30.0)] = MICIUS_LINK_LOSS_SIGMA_DB
    chain_loss_source: str = MICIUS_CHAIN_SOURCE

    def __post_init__(self):
        if self.atmosphere_model == "table":
            if len(self.table_elevation_deg) < 2 or len(self.table_elevation_deg) != len(self.table_transmittance):
                raise ValueError("atmosphere_model 'table' needs table_elevation_deg and table_transmittance "
                                 "of equal length (>= 2)")
            if list(self.table_elevation_deg) != sorted(self.table_elevation_deg):
                raise ValueError("table_elevation_deg must increase")

    def aerosol_optical_depth_550nm_at(self, altitude_m: float, station_aod_550nm: float | None = None) -> float:
        """Zenith aerosol optical depth at 550 nm above a site: the station's own value, else the
        default profile (``aerosol_optical_depth_550nm`` or ``visibility_km`` at sea level, cut at
        the site's altitude with ``aerosol_scale_height_m``). [1]"""
        if station_aod_550nm is not None:
            return float(station_aod_550nm)
        if self.aerosol_optical_depth_550nm is not None:
            return float(atmosphere.aerosol_optical_depth_at_altitude(self.aerosol_optical_depth_550nm, altitude_m,
                                                                      self.aerosol_scale_height_m))
        return float(atmosphere.default_aerosol_optical_depth_550nm(altitude_m, self.visibility_km,
                                                                    self.aerosol_scale_height_m))

    def clear_sky_transmittance(self, elevation_deg, wavelength_nm: float, altitude_m: float,
                                station_aod_550nm: float | None = None,
                                station_angstrom_exponent: float | None = None) -> np.ndarray:
        """Clear-sky transmittance of the slant path to a site. [1]

        A given ``zenith_transmittance_sea_level`` is the whole sky; otherwise Rayleigh, the site's
        aerosol (:meth:`aerosol_optical_depth_550nm_at`, the station's Ångström exponent or the
        scenario's) and water vapour (groundstations.atmosphere.clear_sky_transmittance)."""
        if self.zenith_transmittance_sea_level is not None:
            return atmosphere.transmittance_kastenyoung1989(elevation_deg, self.zenith_transmittance_sea_level, altitude_m)
        alpha = self.angstrom_exponent if station_angstrom_exponent is None else station_angstrom_exponent
        return atmosphere.clear_sky_transmittance(elevation_deg, wavelength_nm, altitude_m,
                                                  self.aerosol_optical_depth_550nm_at(altitude_m, station_aod_550nm),
                                                  alpha, self.precipitable_water_sea_level_cm)

    def clear_sky_components(self, elevation_deg, wavelength_nm: float, altitude_m: float,
                             station_aod_550nm: float | None = None,
                             station_angstrom_exponent: float | None = None) -> tuple[np.ndarray, dict]:
        """:meth:`clear_sky_transmittance` and the slant optical depth of each of its parts: Rayleigh,
        aerosol and water vapour (groundstations.atmosphere.clear_sky_components), or, for a sky the
        user gives whole (``zenith_transmittance_sea_level``), its one optical depth under
        ``"atmosphere_given"``; the depths add up to −ln(transmittance). [1]"""
        if self.zenith_transmittance_sea_level is not None:
            tau = atmosphere.zenith_optical_depth(self.zenith_transmittance_sea_level, altitude_m)
            path = tau * atmosphere.airmass_kastenyoung1989(elevation_deg)
            return np.exp(-path), {"atmosphere_given": path}
        alpha = self.angstrom_exponent if station_angstrom_exponent is None else station_angstrom_exponent
        return atmosphere.clear_sky_components(elevation_deg, wavelength_nm, altitude_m,
                                               self.aerosol_optical_depth_550nm_at(altitude_m, station_aod_550nm),
                                               alpha, self.precipitable_water_sea_level_cm)

    def ground_cn2_m_23(self, median_seeing_arcsec: float | None) -> float:
        """The HV ground-layer Cn² for a station: the scenario's value, else the station's seeing,
        else HV 5/7. [m^-2/3]"""
        if self.hv_ground_cn2_m_23 is not None:
            return float(self.hv_ground_cn2_m_23)
        if median_seeing_arcsec is not None:
            return turbulence.ground_cn2_from_seeing(median_seeing_arcsec, self.hv_wind_speed_m_s)
        return turbulence.HV57_GROUND_CN2_M_23
