"""Cloud-free probability per station and month.

Where each station's numbers come from, first match wins (:func:`resolve_cloud_free_monthly`):

1. the scenario's own per-station values (``channel.cloud_free_monthly``);
2. the user's CSV of monthly statistics (``channel.cloud_csv``, e.g. derived from ERA5 total
   cloud cover);
3. the shipped climatology ``data/cloud_climatology.json`` (``channel.use_cloud_climatology``,
   on by default): a published clear-night fraction per catalog station with its citation and its
   ``basis`` ("monthly", "seasonal" or "annual" — an annual figure is repeated for all twelve
   months). Most stations are "unknown" there: no citable number was found for them. The shipped
   value is used only while the station stands where the catalog puts it;
4. the global grid (``channel.use_global_cloud_grid``, on by default): the annual probability of
   a line of sight free of blocking liquid cloud from the ITU-R P.840-8 maps at the station's
   latitude and longitude (:mod:`groundstations.cloud_grid`; liquid water only, so optimistic);
5. the scenario's single value for every other station and month
   (``channel.cloud_free_probability``, an assumption).

A planned pass counts its expected value: heralded pairs × the probability that the sky is clear
(both skies, assumed independent, for a station pair).
"""
from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .cloud_sites import BASES, CitedSite, CloudDataError, _monthly, _raw_file, load_sites


def parse_cloud_csv(text: str) -> dict[str, tuple[float, ...]]:
    """Monthly cloud-free probabilities from the text of a CSV with columns ``station, month,
    cloud_free_probability``.

    Months are 1..12; every station listed must give all twelve; values lie in [0, 1]. Errors
    (:class:`CloudDataError`) give the line and quote at most a cell (20 characters), never a
    header or a line of some other file.
    """
    need = ("station", "month", "cloud_free_probability")
    lines = text.splitlines()
    header = lines[0] if lines else ""
    if ";" in header and "," not in header:
        raise CloudDataError("line 1: columns are separated by ';' (a spreadsheet's export in some locales): save it "
                             "as comma-separated CSV with columns " + ", ".join(need))
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in need if c not in columns]
    if missing:
        raise CloudDataError(f"line 1: column{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing (a cloud CSV "
                             f"has the columns {', '.join(need)})")
    reader.fieldnames = columns
    table: dict[str, dict[int, float]] = {}
    for line, row in enumerate(reader, start=2):
        try:
            month = int(row["month"])
            p = float(row["cloud_free_probability"])
        except (TypeError, ValueError):
            raise CloudDataError(f"line {line}: month {_cell(row['month'])} / probability "
                                 f"{_cell(row['cloud_free_probability'])} are not numbers") from None
        if not 1 <= month <= 12:
            raise CloudDataError(f"line {line}: month {month} is not in 1..12")
        if not (0.0 <= p <= 1.0):
            raise CloudDataError(f"line {line}: cloud_free_probability {p} is not in [0, 1]")
        table.setdefault(str(row["station"]).strip(), {})[month] = p
    out = {}
    for station, months in table.items():
        missing_months = sorted(set(range(1, 13)) - set(months))
        if missing_months:
            raise CloudDataError(f"station {_cell(station)} lacks months {missing_months}")
        out[station] = tuple(months[m] for m in range(1, 13))
    return out


def _cell(value) -> str:
    text = repr(value)
    return text if len(text) <= 22 else text[:19] + "..."


def load_cloud_csv(path: str | Path) -> dict[str, tuple[float, ...]]:
    """:func:`parse_cloud_csv` of a file (a plain read: the command line reads scenario files through
    skyswap's bounded reader, ``mission.scenario.files.read_cloud_csv``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CloudDataError(f"{path}: file not found") from None
    try:
        return parse_cloud_csv(text)
    except CloudDataError as exc:
        raise CloudDataError(f"{path}: {exc}") from None


def cloud_free_probability(station: str, month: np.ndarray, monthly: dict[str, tuple[float, ...]], default: float) -> np.ndarray:
    """Probability of a clear sky at ``station`` in each ``month`` (1..12). [1]"""
    month = np.asarray(month, dtype=int)
    values = monthly.get(station)
    if values is None:
        return np.full(month.shape, float(default))
    return np.asarray(values, float)[month - 1]


#: A catalog station moved by more than this is another site: the shipped climatology no longer applies. [deg]
SITE_TOLERANCE_DEG = 0.01


@dataclass(frozen=True)
class ClimatologyEntry:
    """The shipped cloud statistics of one catalog station.

    Attributes
    ----------
    monthly : tuple of 12 float, or None
        Cloud-free probability, January..December; None where no citable number exists. [1]
    basis : {"monthly", "seasonal", "annual", "unknown"}
        What the published number was (an annual figure is repeated for every month).
    source : str or None
        The citation (authors, title, journal, where in the paper).
    quantity : str or None
        What the source measured (e.g. fraction of spectroscopic nights).
    period : str or None
        The years the statistics cover.
    site : str or None
        The cited site (``cloud_climatology.json``, ``sites``) the station stands at.
    """

    monthly: Optional[tuple[float, ...]]
    basis: str
    source: Optional[str] = None
    quantity: Optional[str] = None
    period: Optional[str] = None
    site: Optional[str] = None


def _entry(name: str, raw: dict, sites: Mapping[str, CitedSite] | None = None) -> ClimatologyEntry:
    where = f"cloud_climatology.json: station {name!r}"
    if "site" in raw:
        site = (sites or {}).get(raw["site"])
        if site is None or len(raw) != 1:
            raise CloudDataError(f"{where}: site {raw['site']!r} is not one of the cited sites (and stands alone)")
        return ClimatologyEntry(site.monthly, site.basis, site.source, site.quantity, site.period, site.name)
    values, basis, source = raw.get("cloud_free_monthly"), raw.get("basis"), raw.get("source")
    if basis not in BASES:
        raise CloudDataError(f"{where}: basis {basis!r} is not one of {BASES}")
    if values is None:
        if basis != "unknown":
            raise CloudDataError(f"{where}: no values, so basis must be 'unknown', not {basis!r}")
        return ClimatologyEntry(None, basis)
    if basis == "unknown" or not isinstance(source, str) or not source.strip():
        raise CloudDataError(f"{where}: values need a source and a basis other than 'unknown'")
    return ClimatologyEntry(_monthly(where, values), basis, source, raw.get("quantity"), raw.get("period"))


@functools.lru_cache(maxsize=1)
def load_climatology() -> dict[str, ClimatologyEntry]:
    """The shipped climatology by catalog station name (``groundstations/data/cloud_climatology.json``)."""
    sites = load_sites()
    return {name: _entry(name, raw, sites) for name, raw in _raw_file()["stations"].items()}


def shipped_cloud_free_monthly(station) -> Optional[ClimatologyEntry]:
    """The shipped entry for ``station`` (a :class:`~groundstations.catalog.Station`), if it has values.

    None for a station outside the catalog, one whose position differs from the catalog's by more
    than :data:`SITE_TOLERANCE_DEG`, and one whose climatology is "unknown".
    """
    from .catalog import UnknownStationError, get_station

    entry = load_climatology().get(station.name)
    if entry is None or entry.monthly is None:
        return None
    try:
        site = get_station(station.name)
    except UnknownStationError:
        return None
    if (abs(site.latitude_deg - station.latitude_deg) > SITE_TOLERANCE_DEG
            or abs(site.longitude_deg - station.longitude_deg) > SITE_TOLERANCE_DEG):
        return None
    return entry


#: How sure a station's cloud-free probabilities are, one word per origin (docs/nomenclature.md):
#: the user's own statistic, a published site statistic, the corrected global grid inside / outside
#: the range of grid values of the cited sites, the scenario's single assumed value.
CONFIDENCE_WORDS = ("user", "cited", "corrected grid", "corrected grid, extrapolated", "assumed")


@dataclass(frozen=True)
class CloudSource:
    """Where one station's cloud-free probabilities come from, and how sure they are.

    Attributes
    ----------
    kind : {"scenario", "csv", "climatology", "global", "default"}
        Scenario ``cloud_free_monthly``, the user CSV, the shipped climatology, the global ITU-R
        P.840 grid (corrected, :mod:`groundstations.cloud_bias`), or the scenario's single
        ``cloud_free_probability``.
    basis : str
        "monthly" for user values, the climatology's basis, "annual" for the global grid, or
        "default".
    source : str
        A human-readable origin: the scenario key, the CSV path or the citation.
    monthly : tuple of 12 float, optional
        The values used, January..December. [1]
    confidence : str
        One of :data:`CONFIDENCE_WORDS`.
    """

    kind: str
    basis: str
    source: str
    monthly: Optional[tuple[float, ...]] = None
    confidence: str = "assumed"


def resolve_cloud_free_monthly(
    stations: Iterable,
    *,
    scenario_monthly: Mapping[str, tuple[float, ...]],
    csv_monthly: Mapping[str, tuple[float, ...]],
    csv_path: Optional[str],
    use_climatology: bool,
    default: float,
    use_global: bool = False,
) -> tuple[dict[str, tuple[float, ...]], dict[str, CloudSource]]:
    """Monthly cloud-free probabilities for each station, where they come from and how sure they are.

    Precedence, first match wins: ``scenario_monthly`` > ``csv_monthly`` > the shipped climatology
    (if ``use_climatology``) > the corrected global ITU-R P.840 grid at the station's coordinates
    (if ``use_global``) > ``default`` (stations left out of the returned table).

    Parameters
    ----------
    stations : iterable of Station
        The scenario's stations.
    scenario_monthly, csv_monthly : mapping station name -> 12 values
        The user's values. [1]
    csv_path : str or None
        The CSV the ``csv_monthly`` values were read from (named in the source).
    use_climatology : bool
        Whether the shipped climatology applies.
    default : float
        Probability for every station and month without values. [1]
    use_global : bool
        Whether the corrected global grid
        (:func:`groundstations.cloud_bias.corrected_cloud_free_monthly`) fills stations that have no
        other value.
    """
    table: dict[str, tuple[float, ...]] = {}
    sources: dict[str, CloudSource] = {}
    for st in stations:
        name = st.name
        if name in scenario_monthly:
            table[name] = tuple(scenario_monthly[name])
            sources[name] = CloudSource("scenario", "monthly", "scenario channel.cloud_free_monthly", table[name], "user")
        elif name in csv_monthly:
            table[name] = tuple(csv_monthly[name])
            sources[name] = CloudSource("csv", "monthly", f"user CSV {csv_path}", table[name], "user")
        elif use_climatology and (entry := shipped_cloud_free_monthly(st)) is not None:
            table[name] = tuple(entry.monthly or ())
            sources[name] = CloudSource("climatology", entry.basis, entry.source or "", table[name], "cited")
        elif use_global:
            from .cloud_bias import corrected_cloud_free_monthly, corrected_source, grid_correction

            table[name], word = corrected_cloud_free_monthly(st.latitude_deg, st.longitude_deg)
            sources[name] = CloudSource("global", "annual", corrected_source(grid_correction()), table[name], word)
        else:
            sources[name] = CloudSource("default", "default",
                                        f"scenario channel.cloud_free_probability = {default:g} (no citable climatology)",
                                        (float(default),) * 12, "assumed")
    return table, sources
