"""The ``candidate:`` section of a scenario: the station template ``skyswap map`` puts on every cell.

A candidate station is a telescope and receiver without a site: ``skyswap map`` places it at the
centre of every land cell of its grid, at the cell's mean land height (ITU-R P.1511-2,
:mod:`groundstations.topography`). Every receiver field left out takes the catalog's default for
a station without its own measurement (:class:`groundstations.catalog.Station`, each an
assumption stated there), so the map and ``compare`` judge a site with the same receiver.

.. code-block:: yaml

    candidate:
      aperture_m: 1.0              # default 1.0 m (assumption: a 1 m class OGS, as Xinglong or ESA's OGS)
      elevation_mask_deg: 20       # default: the scenario's elevation_mask_deg
      optics_efficiency: 0.5       # default: the catalog's (Station)
      partner: best                # dual downlink: a station name, "best" (the best catalog station in reach), or none
      network_stations: 5          # the greedy network's size
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ...groundstations.catalog import (
    ApertureM,
    DarkCountRateHz,
    Efficiency,
    ElevationMaskDeg,
    FilterBandwidthNm,
    FovUrad,
    ObscurationRatio,
    SeeingArcsec,
    TimingJitterPs,
)

#: Aperture of the candidate station when the scenario gives none (assumption: a 1 m class optical
#: ground station, as Xinglong's 1.0 m or ESA's OGS 1.0 m in the catalog). [m]
DEFAULT_CANDIDATE_APERTURE_M = 1.0
#: Share of a cell that must be land for the map to place a station there (assumption: at least
#: half the cell, so that its centre is usually on land). [1]
DEFAULT_MIN_LAND_FRACTION = 0.5
#: Integration step of the map's windows (trapezoid on this grid, window edges interpolated);
#: ``plan`` and ``compare`` sum the scenario's samples instead (tests: within 1 %). [s]
DEFAULT_MAP_STEP_S = 10.0


class Candidate(BaseModel):
    """The station template of ``skyswap map`` (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    aperture_m: ApertureM = Field(
        DEFAULT_CANDIDATE_APERTURE_M, description="Receiving telescope aperture (default 1.0 m, assumption). [m]")
    obscuration_ratio: ObscurationRatio | None = Field(
        None, description="Central obscuration over aperture (default: the catalog's). [1]")
    elevation_mask_deg: ElevationMaskDeg | None = Field(
        None, description="Elevation mask (default: the scenario's elevation_mask_deg). [deg]")
    optics_efficiency: Efficiency | None = Field(
        None, description="Receiver optics transmission (default: the catalog's). [1]")
    detector_efficiency: Efficiency | None = Field(
        None, description="Detector efficiency (default: the catalog's). [1]")
    dark_count_rate_hz: DarkCountRateHz | None = Field(
        None, description="Dark counts per detector (default: the catalog's). [Hz]")
    timing_jitter_ps: TimingJitterPs | None = Field(
        None, description="Detector and tagger jitter, rms (default: the catalog's). [ps]")
    filter_bandwidth_nm: FilterBandwidthNm | None = Field(
        None, description="Spectral filter width (default: the catalog's). [nm]")
    fov_urad: FovUrad | None = Field(
        None, description="Receiver field of view (default: the catalog's). [µrad]")
    median_seeing_arcsec: SeeingArcsec | None = Field(
        None, description="Median zenith seeing at 500 nm (default: none, HV 5/7 turbulence). [arcsec]")
    min_land_fraction: Annotated[float, Field(gt=0, le=1)] = Field(
        DEFAULT_MIN_LAND_FRACTION, description="Cells with less land are not evaluated (default 0.5). [1]")
    partner: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="Dual downlink: a partner station (catalog or scenario name), or 'best' for the best catalog "
                          "station within reach; none: single downlink (--partner overrides).")
    network_stations: Annotated[int, Field(ge=1, le=20)] = Field(
        5, description="Stations of the greedy best network for the weather's P10.")
    step_s: Annotated[float, Field(ge=1, le=60)] = Field(
        DEFAULT_MAP_STEP_S, description="Integration step of the map's windows (at most min_window_duration_s). [s]")

    def station_fields(self) -> dict:
        """The template's receiver fields that were given (the rest keep the catalog's defaults)."""
        keep = ("aperture_m", "obscuration_ratio", "elevation_mask_deg", "optics_efficiency", "detector_efficiency",
                "dark_count_rate_hz", "timing_jitter_ps", "filter_bandwidth_nm", "fov_urad", "median_seeing_arcsec")
        return {k: getattr(self, k) for k in keep if getattr(self, k) is not None}
