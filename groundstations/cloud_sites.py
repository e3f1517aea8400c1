"""The cited sites: published usable-night fractions with their sources and coordinates.

``data/cloud_climatology.json`` (``sites``) holds, for each site, the published value, what the
source counted, the years, the citation and the site's coordinates with their own source. The
quantity is the probability that the sky is usable at a night-time instant (docs/weather.md §2):
satellite clear nights, spectroscopic or useful nights, usable night-time hours; photometric
nights, stricter, are kept beside and never used. :mod:`groundstations.clouds` gives catalog
stations the values of the site they stand at; :mod:`groundstations.cloud_bias` measures the
global grid's bias on them.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Optional

import numpy as np


class CloudDataError(ValueError):
    """A cloud statistics file that cannot be used (the message names the file, line and value)."""


#: What a climatology entry's twelve values stand for.
BASES = ("monthly", "seasonal", "annual", "unknown")


@dataclass(frozen=True)
class CitedSite:
    """A site with a published usable-night fraction (``cloud_climatology.json``, ``sites``).

    The quantity is the probability that the line of sight is usable at a night-time instant:
    satellite clear nights, spectroscopic or useful nights, or usable night-time hours (docs/weather.md
    §2 says why); photometric nights, stricter, are recorded in ``photometric`` and never used.

    Attributes
    ----------
    name : str
    latitude_deg, longitude_deg : float
        Where the site is (longitude east). [deg]
    coordinates_source : str
        Where the coordinates come from.
    monthly : tuple of 12 float
        Usable-night fraction, January..December. [1]
    basis : {"monthly", "seasonal", "annual"}
        What was published (an annual figure is repeated for every month).
    source : str
        The citation, down to where in the paper the number is.
    quantity : str
        What the source measured.
    period : str
        The years the statistic covers.
    photometric : float or None
        The source's photometric fraction, where it gives one (not used). [1]
    other : str or None
        Other published values for the site (not used).
    """

    name: str
    latitude_deg: float
    longitude_deg: float
    coordinates_source: str
    monthly: tuple[float, ...]
    basis: str
    source: str
    quantity: str
    period: str
    photometric: Optional[float] = None
    other: Optional[str] = None

    @property
    def annual(self) -> float:
        """Mean of the twelve monthly values. [1]"""
        return float(np.mean(self.monthly))


def _monthly(where: str, values) -> tuple[float, ...]:
    if (not isinstance(values, list) or len(values) != 12
            or not all(isinstance(v, (int, float)) and 0.0 <= v <= 1.0 for v in values)):
        raise CloudDataError(f"{where}: cloud_free_monthly must be 12 numbers in [0, 1], found {values!r}")
    return tuple(float(v) for v in values)


def _site(name: str, raw: dict) -> CitedSite:
    where = f"cloud_climatology.json: site {name!r}"
    for key in ("coordinates_source", "source", "quantity", "period"):
        if not isinstance(raw.get(key), str) or len(raw[key].strip()) < 4:
            raise CloudDataError(f"{where}: {key} {raw.get(key)!r} must name where the number comes from")
    lat, lon = raw.get("latitude_deg"), raw.get("longitude_deg")
    if not isinstance(lat, (int, float)) or not -90.0 <= lat <= 90.0:
        raise CloudDataError(f"{where}: latitude_deg {lat!r} is not within [-90, 90]")
    if not isinstance(lon, (int, float)) or not -180.0 <= lon <= 360.0:
        raise CloudDataError(f"{where}: longitude_deg {lon!r} is not within [-180, 360]")
    basis = raw.get("basis")
    if basis not in BASES or basis == "unknown":
        raise CloudDataError(f"{where}: basis {basis!r} is not one of {BASES[:-1]}")
    monthly = _monthly(where, raw.get("cloud_free_monthly"))
    if basis == "annual" and len(set(monthly)) != 1:
        raise CloudDataError(f"{where}: basis 'annual' must repeat one value, found {monthly!r}")
    return CitedSite(name, float(lat), float(lon), raw["coordinates_source"], monthly, basis, raw["source"],
                     raw["quantity"], raw["period"], raw.get("photometric"), raw.get("other"))


@functools.lru_cache(maxsize=1)
def _raw_file() -> dict:
    return json.loads(resources.files(__package__).joinpath("data/cloud_climatology.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def load_sites() -> dict[str, CitedSite]:
    """The cited sites by name (``groundstations/data/cloud_climatology.json``, ``sites``)."""
    return {name: _site(name, raw) for name, raw in _raw_file().get("sites", {}).items()}
