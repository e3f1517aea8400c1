"""The station catalog: real optical / laser-ranging ground stations shipped as data.

``data/stations.json`` holds each station's position and telescope aperture with the source they
come from (ILRS site logs for the laser-ranging stations, the quantum-communication papers for the
Chinese QKD stations). Receiver parameters — efficiencies, dark counts, timing jitter, filter and
field of view — are not in those sources: the :class:`Station` defaults below are assumptions,
typical of the Micius ground stations (Yin et al. 2017, 2020), and a scenario may override them per
station.
"""
from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Optional

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen


class UnknownStationError(ValueError):
    """A station name that is not in the catalog."""


#: Slew and re-acquisition of an optical telescope to a new target, a station's to another
#: satellite and a satellite's downlink telescope to another station (the contact plan's default for
#: both, ``mission.contacts.settings``). [s] Assumption: 30 s, within the "tens of seconds" of LEO
#: optical acquisitions that a published summary of Gerard, Fraire & Céspedes, "Modeling pointing,
#: acquisition, and tracking delays in free-space optical satellite networks", IEEE WiSEE 2025,
#: arXiv:2511.16063, reports (the summary, not the paper, was read; it gives no single figure); not
#: a measured figure of any shipped station or of a Q4S-like payload.
RETARGET_S = 30.0

# The bounds of a receiver's values, one owner each: a station (:class:`Station`) and the map's
# station template (``mission.scenario.candidate``) both take them from here.
ApertureM = Annotated[float, Gt(0.0), Le(20.0)]  # [m]
ObscurationRatio = Annotated[float, Ge(0.0), Lt(1.0)]  # [1]
ElevationMaskDeg = Annotated[float, Ge(0.0), Lt(90.0)]  # [deg]
Efficiency = Annotated[float, Gt(0.0), Le(1.0)]  # [1]
DarkCountRateHz = Annotated[float, Ge(0.0), Lt(1e7)]  # [Hz]
TimingJitterPs = Annotated[float, Gt(0.0), Lt(1e6)]  # [ps]
FilterBandwidthNm = Annotated[float, Gt(0.0), Lt(1000.0)]  # [nm]
FovUrad = Annotated[float, Gt(0.0), Lt(1e5)]  # [µrad]
SeeingArcsec = Annotated[float, Gt(0.0), Lt(20.0)]  # [arcsec]


@dataclass(frozen=True)
class Station:
    """An optical ground station: site, telescope and receiver.

    Attributes
    ----------
    name : str
        Unique name.
    latitude_deg : float
        Geodetic latitude (WGS-84), north positive. [deg]
    longitude_deg : float
        Longitude, east positive; values in [180, 360) are folded to [-180, 180). [deg]
    altitude_m : float
        Height above the WGS-84 ellipsoid (site logs give it to ~1 m). [m]
    aperture_m : float
        Receiving telescope aperture diameter. [m]
    obscuration_ratio : float
        Central obscuration diameter over the aperture diameter (assumption: 0.3). [1]
    elevation_mask_deg : float or None
        Elevation mask; None uses the scenario's ``elevation_mask_deg``. [deg]
    horizon_profile : tuple of (azimuth_deg, elevation_deg) pairs
        Azimuth-dependent horizon, interpolated periodically; the mask applies where it is lower. [deg]
    optics_efficiency : float
        Transmission of the receiving telescope and optics to the detectors (assumption 0.5, of the
        order reported for the Micius stations). [1]
    detector_efficiency : float
        Single-photon detector efficiency (assumption 0.5, Si SPAD at 810 nm). [1]
    dark_count_rate_hz : float
        Dark-count rate per detector (assumption 100 Hz). [Hz]
    timing_jitter_ps : float
        Combined detector and time-tagger jitter, rms (assumption 350 ps). [ps]
    filter_bandwidth_nm : float
        Spectral filter full width (assumption 3 nm). [nm]
    fov_urad : float
        Receiver full field of view: the field stop (or detector) on the sky, for the sky
        background and for the share of the seeing-limited image it passes (assumption 100 µrad). [µrad]
    median_seeing_arcsec : float or None
        Median zenith seeing at 500 nm (DIMM), which sets the ground layer of the station's
        turbulence profile; None uses HV 5/7 (r0 = 5 cm, 2.0″). [arcsec]
    seeing_source : str
        Where ``median_seeing_arcsec`` comes from.
    aerosol_optical_depth_550nm : float or None
        Zenith aerosol optical depth at 550 nm above the site (a sun photometer's typical clear-sky
        value); None uses the scenario's default profile at the site's altitude
        (``channel.aerosol_optical_depth_550nm_at``: 23 km rural at sea level, 2 km scale height). [1]
    angstrom_exponent : float or None
        Ångström exponent of the site's aerosol; None uses the scenario's (1.3). [1]
    aerosol_source : str
        Where the site's aerosol values come from.
    calibrated_loss_db : float
        A station's own measured loss beyond the scenario's chain (``channel.chain_loss_db``), added
        to its modelled link (0 unless calibrated, e.g. by ``skyswap calibrate``). [dB]
    calibrated_airmass_loss_db : float
        A measured loss per unit air mass above one, added to the modelled link (0 unless
        calibrated). [dB]
    calibration_source : str
        Which measurement the calibrated terms come from.
    retarget_s : float
        Slew and re-acquisition of the telescope to another satellite (assumption: :data:`RETARGET_S`;
        no shipped station publishes one). [s]
    source : str
        Where the position and aperture come from.
    """

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    name: Annotated[str, MinLen(1)]
    latitude_deg: Annotated[float, Ge(-90.0), Le(90.0)]
    longitude_deg: Annotated[float, Ge(-180.0), Lt(360.0)]
    altitude_m: Annotated[float, Gt(-500.0), Lt(9000.0)]
    aperture_m: ApertureM
    obscuration_ratio: ObscurationRatio = 0.3
    elevation_mask_deg: Optional[ElevationMaskDeg] = None
    horizon_profile: Annotated[tuple[tuple[Annotated[float, Ge(0.0), Lt(360.0)], Annotated[float, Ge(0.0), Lt(90.0)]], ...],
                               MaxLen(3600)] = ()  # at most one point per 0.1° of azimuth
    optics_efficiency: Efficiency = 0.5
    detector_efficiency: Efficiency = 0.5
    dark_count_rate_hz: DarkCountRateHz = 100.0
    timing_jitter_ps: TimingJitterPs = 350.0
    filter_bandwidth_nm: FilterBandwidthNm = 3.0
    fov_urad: FovUrad = 100.0
    median_seeing_arcsec: Optional[SeeingArcsec] = None
    seeing_source: str = ""
    aerosol_optical_depth_550nm: Optional[Annotated[float, Ge(0.0), Lt(10.0)]] = None
    angstrom_exponent: Optional[Annotated[float, Ge(-1.0), Le(4.0)]] = None
    aerosol_source: str = ""
    calibrated_loss_db: Annotated[float, Ge(-30.0), Le(60.0)] = 0.0
    calibrated_airmass_loss_db: Annotated[float, Ge(-30.0), Le(30.0)] = 0.0
    calibration_source: str = ""
    retarget_s: Annotated[float, Ge(0.0), Le(3600.0)] = RETARGET_S
    source: str = "scenario"

    def __post_init__(self):
        if self.longitude_deg >= 180.0:
            object.__setattr__(self, "longitude_deg", self.longitude_deg - 360.0)


@functools.lru_cache(maxsize=1)
def _raw() -> tuple[dict, ...]:
    text = resources.files(__package__).joinpath("data/stations.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["stations"])


@functools.lru_cache(maxsize=1)
def load_catalog() -> dict[str, Station]:
    """All shipped stations by name, in the file's order."""
    out = {}
    for entry in _raw():
        fields = {k: v for k, v in entry.items() if k != "aliases"}
        out[entry["name"]] = Station(**fields)
    return out


@functools.lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    index = {}
    for entry in _raw():
        for key in [entry["name"], *entry.get("aliases", [])]:
            index[key.casefold()] = entry["name"]
    return index


def get_station(name: str) -> Station:
    """The catalog station called ``name`` (case-insensitive; aliases such as "ESA OGS Tenerife").

    Raises
    ------
    UnknownStationError
        Naming the value and suggesting the closest names.
    """
    key = str(name).strip().casefold()
    found = _lookup().get(key)
    if found is None:
        names = list(load_catalog())
        close = difflib.get_close_matches(str(name), names, n=2, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else f"; known: {', '.join(names)}"
        raise UnknownStationError(f"unknown station {name!r}{hint}")
    return load_catalog()[found]
