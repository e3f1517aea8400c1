"""The scenario's ``channel`` section: atmosphere, turbulence, sky background and clouds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal, Optional

from annotated_types import Ge, Gt, Le, Lt

from . import atmosphere
from .atmosphere import AEROSOL_OPTICAL_DEPTH_550NM, ANGSTROM_EXPONENT
from .background import DARK_SKY_RADIANCE, DAY_SKY_RADIANCE, FULL_MOON_RADIANCE

Probability = Annotated[float, Ge(0.0), Le(1.0)]


@dataclass(frozen=True)
class ChannelConfig:
    """Channel model choices shared by every downlink of a scenario.

    Attributes
    ----------
    atmosphere_model : {"kastenyoung1989", "table"}
        Beer–Lambert with Kasten & Young air mass, or a user table of transmittance vs elevation.
    zenith_transmittance_sea_level : float, optional
        Clear-sky zenith transmittance at sea level at the wavelength, scaled to each site's
        altitude. Left out (the default), it follows from the wavelength: Rayleigh optical depth
        of Bodhaine et al. (1999) plus Ångström aerosols (see groundstations.atmosphere). [1]
    aerosol_optical_depth_550nm : float
        Aerosol optical depth at 550 nm, sea level (assumption 0.1, a clear continental sky). [1]
    angstrom_exponent : float
        Ångström exponent of the aerosol optical depth (1.3, Ångström 1929). [1]
    table_elevation_deg, table_transmittance : tuple of float
        The table for ``atmosphere_model: table`` (e.g. MODTRAN/libRadtran output). [deg], [1]
    hv_wind_speed_m_s, hv_ground_cn2_m_23 : float
        Hufnagel–Valley parameters (HV 5/7: 21 m/s, 1.7e-14). [m/s], [m^-2/3]
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
    """

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    atmosphere_model: Literal["kastenyoung1989", "table"] = "kastenyoung1989"
    zenith_transmittance_sea_level: Optional[Annotated[float, Gt(0.0), Le(1.0)]] = None
    aerosol_optical_depth_550nm: Annotated[float, Ge(0.0), Lt(10.0)] = AEROSOL_OPTICAL_DEPTH_550NM
    angstrom_exponent: Annotated[float, Ge(-1.0), Le(4.0)] = ANGSTROM_EXPONENT
    table_elevation_deg: tuple[Annotated[float, Ge(0.0), Le(90.0)], ...] = ()
    table_transmittance: tuple[Probability, ...] = ()
    hv_wind_speed_m_s: Annotated[float, Ge(0.0), Lt(200.0)] = 21.0
    hv_ground_cn2_m_23: Annotated[float, Ge(0.0), Lt(1e-10)] = 1.7e-14
    fade_threshold_fraction: Annotated[float, Gt(0.0), Lt(1.0)] = 0.5
    dark_sky_radiance: Annotated[float, Ge(0.0)] = DARK_SKY_RADIANCE
    full_moon_radiance: Annotated[float, Ge(0.0)] = FULL_MOON_RADIANCE
    day_sky_radiance: Annotated[float, Ge(0.0)] = DAY_SKY_RADIANCE
    cloud_free_probability: Probability = 0.5
    cloud_free_monthly: dict[str, tuple[Probability, Probability, Probability, Probability, Probability, Probability,
                                        Probability, Probability, Probability, Probability, Probability, Probability]] = field(default_factory=dict)
    cloud_csv: Optional[str] = None
    use_cloud_climatology: bool = True
    use_global_cloud_grid: bool = True

    def __post_init__(self):
        if self.atmosphere_model == "table":
            if len(self.table_elevation_deg) < 2 or len(self.table_elevation_deg) != len(self.table_transmittance):
                raise ValueError("atmosphere_model 'table' needs table_elevation_deg and table_transmittance of equal length (>= 2)")
            if list(self.table_elevation_deg) != sorted(self.table_elevation_deg):
                raise ValueError("table_elevation_deg must increase")

    def zenith_transmittance(self, wavelength_nm: float) -> float:
        """The sea-level zenith transmittance at ``wavelength_nm``: the given value, or Rayleigh +
        Ångström aerosols. [1]"""
        if self.zenith_transmittance_sea_level is not None:
            return float(self.zenith_transmittance_sea_level)
        return float(atmosphere.zenith_transmittance_sea_level(wavelength_nm, self.aerosol_optical_depth_550nm, self.angstrom_exponent))
