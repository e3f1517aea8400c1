"""Scenario files: YAML validated by pydantic v2, frozen, unknown keys refused.

This module is the edge: it turns the user's YAML into validated, frozen objects and every
mistake into one :class:`~mission.scenario.errors.InputError` line naming the field and the value. The
planner unpacks these objects into plain arguments for the physics.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import json
import math
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Union

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

from ...groundstations.catalog import Station, UnknownStationError, get_station
from ...groundstations.channel_config import ChannelConfig
from ...payload.config import PayloadConfig
from ...payload.modes import PayloadMode, mode_names, mode_of
from ..contacts.settings import ContactSettings, WeightKeyError, canonical_weights
from .candidate import Candidate
from .errors import InputError
from .reader import VALUE_CONTROL

#: Longest span a scenario may ask for. [d]
MAX_SPAN_DAYS = 3660.0
#: The JPL DE421 ephemeris that skyfield-data ships (read by mission/orbits/skydata.py) covers
#: JD 2414864.5 to 2471184.5 TDB, 1899-07-29 00:00 to 2053-10-09 00:00: the segment bounds of its
#: ``de421.bsp`` (a test reads them from the installed file). A span lies within, one day in from
#: either end (the Sun and Moon tracks reach an hour or two beyond the span).
EPHEMERIS_SPAN_UTC = (datetime(1899, 7, 30, tzinfo=UTC), datetime(2053, 10, 8, tzinfo=UTC))
#: Most sample-grid points a scenario may ask for: (span / sample_step_s) × stations. Geometry is
#: sampled only inside windows, about 1e-3 of these points for a LEO satellite above a 20° mask,
#: at about 0.5 kB each through the pipeline: the limit keeps a run near 5 GB. (A year at 0.001 s
#: over one station is 3.2e10 points.)
MAX_SAMPLE_GRID_POINTS = 1e10
#: Most samples a run computes: its candidate windows' samples at ``sample_step_s``, counted after
#: the window search and before any is computed (:func:`mission.persample.check_sample_count`).
#: The grid limit above cannot bound them: the share of the grid inside windows runs from ~1e-3
#: (LEO above a 20° mask: the q4s year holds 0.44 M samples of its 3.5e8 grid points) to ~0.5 (a
#: geostationary satellite at night). A plan of LEO passes holds ~100 B a sample at its peak (the
#: q4s year 295 MiB; 20 stations × 3 years in dual downlink, 5.4 M samples, 781 MiB): this keeps
#: such a run near 2 GiB and a few minutes.
MAX_RUN_SAMPLES = 2e7
#: Most samples one window may hold. A window is computed whole (one chunk of the per-sample
#: stages; the report's best passes are recomputed whole), at ~400 B a sample while it is: a
#: geostationary satellite's three night windows at 0.05 s (0.6 M samples each) took a plan to
#: 1.08 GB, at 0.005 s (6 M each) to 6 GB. A night-long window at 0.1 s, or a LEO pass at 0.002 s,
#: is below it.
MAX_WINDOW_SAMPLES = 5e5
#: Most stations one scenario lists (the catalog has 22). A station-year of 1 s samples holds about
#: 40 MiB through the pipeline (README, "The contract"), so 100 stations over a year is ~4 GiB.
MAX_STATIONS = 100
#: Longest station name (it heads tables, calendar entries and figure labels).
MAX_NAME_CHARS = 100
#: Most station pairs of a dual-downlink or distribution scenario, listed or implied (no ``pairs``
#: means every pair of the stations: 25 stations are 300 pairs). A pair-year is ~4 MiB.
MAX_PAIRS = 300
#: A scenario or sweep name is the default output folder (out/<name>/): letters, digits, "_", "-",
#: "." and " ", starting with a letter or digit and ending with neither "." nor " ".
SAFE_NAME = r"^[A-Za-z0-9](?:[A-Za-z0-9_.\- ]*[A-Za-z0-9_\-])?$"


class LocatedError(ValueError):
    """A validation error that knows its field better than the validator's own location:
    ``index`` is appended to it (``pairs`` -> ``pairs[0]``), or ``field`` replaces it."""

    def __init__(self, message: str, value: Any, *, index: int | None = None, field: str | None = None):
        super().__init__(message)
        self.value, self.index, self.field = value, index, field

    def __reduce__(self):
        # a pydantic ValidationError keeps it in its context: rebuilt from its parts, the error
        # pickles (a scenario validated in a Dask worker) as :class:`InputError` does
        return (_located_error, (str(self), self.value, self.index, self.field))


def _located_error(message: str, value: Any, index: int | None, field: str | None) -> LocatedError:
    return LocatedError(message, value, index=index, field=field)


def _safe_name(name: str) -> str:
    import re

    if not re.match(SAFE_NAME, name):
        raise ValueError("must be a plain folder name (letters, digits, '_', '-', '.', ' '; starting with a letter or "
                         "digit, not ending with '.' or ' '): it names the output folder out/<name>/")
    return name


#: The ``name`` of a scenario or a sweep.
SafeName = Annotated[str, Field(min_length=1, max_length=100, json_schema_extra={"pattern": SAFE_NAME}),
                     AfterValidator(_safe_name)]


def station_key(name: str) -> str:
    """How station names compare: ignoring case (Unicode casefold) and surrounding spaces, as the
    catalog looks them up."""
    return str(name).strip().casefold()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True)


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)


_LEAP_SECOND = re.compile(r"[T ]?\d{1,2}:\d{2}:60(\.0*)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE_ONLY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _instant(value: Any) -> Any:
    """Words a user can act on for the two time strings a datetime cannot take."""
    if isinstance(value, str):
        text = value.strip()
        if _LEAP_SECOND.search(text):
            raise ValueError("second 60 is a leap second, which skyswap's times (Python datetimes) cannot hold: "
                             "give 23:59:59 or 00:00:00 of the next day")
        if _DATE_ONLY.fullmatch(text):
            raise ValueError(f"is a date without a time: write {text}T00:00:00Z (a time and Z for UTC)")
    return value


#: A time with its zone, ISO 8601 (``2027-01-01T00:00:00Z``).
Instant = Annotated[AwareDatetime, BeforeValidator(_instant)]


class Span(_Model):
    """The mission span: a start and either an end or a number of days."""

    start: Instant = Field(description="Span start, ISO 8601 with a time zone (use Z for UTC).")
    end: Instant | None = Field(None, description="Span end (exclusive).")
    days: Annotated[float, Field(gt=0, le=MAX_SPAN_DAYS)] | None = Field(None, description="Span length. [d]")

    @model_validator(mode="after")
    def _one_of_end_or_days(self):
        if (self.end is None) == (self.days is None):
            raise ValueError("give exactly one of span.end and span.days")
        if self.end is not None:
            length = (self.end - self.start).total_seconds() / 86400.0
            if length <= 0:
                raise ValueError(f"span.end {self.end.isoformat()} is not after span.start")
            if length > MAX_SPAN_DAYS:
                raise ValueError(f"span of {length:.0f} days is longer than {MAX_SPAN_DAYS:.0f} days")
        first, last = self.start_utc, self.end_utc
        lo, hi = EPHEMERIS_SPAN_UTC
        if first < lo or last > hi:
            raise ValueError(f"span must lie within {lo:%Y-%m-%d} – {hi:%Y-%m-%d} (the DE421 ephemeris shipped by "
                             "skyfield-data)")
        return self

    @property
    def start_utc(self) -> datetime:
        """The span start in UTC."""
        return _utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The span end (exclusive) in UTC."""
        if self.end is not None:
            return _utc(self.end)
        return self.start_utc + timedelta(days=float(self.days or 0.0))

    @property
    def duration_s(self) -> float:
        """Length of the span. [s]"""
        return (self.end_utc - self.start_utc).total_seconds()


class Elements(_Model):
    """Mean orbital elements (SGP4/TEME), initialised with ``Satrec.sgp4init``."""

    altitude_km: Annotated[float, Field(gt=100, lt=40000)] | None = Field(
        None, description="Mean altitude above 6378.135 km. [km]")
    semi_major_axis_km: Annotated[float, Field(gt=6478, lt=50000)] | None = Field(None, description="[km]")
    eccentricity: Annotated[float, Field(ge=0, lt=1)] = Field(0.0, description="[1]")
    inclination_deg: Annotated[float, Field(ge=0, le=180)] = Field(description="[deg]")
    raan_deg: Annotated[float, Field(ge=0, lt=360)] = Field(0.0, description="[deg]")
    arg_perigee_deg: Annotated[float, Field(ge=0, lt=360)] = Field(0.0, description="[deg]")
    mean_anomaly_deg: Annotated[float, Field(ge=0, lt=360)] = Field(0.0, description="[deg]")
    epoch: Instant | None = Field(None, description="Element epoch; default: the span start.")
    bstar_per_earth_radius: Annotated[float, Field(ge=-1, le=1)] = Field(0.0, description="SGP4 drag term B*. [1/R⊕]")

    @model_validator(mode="after")
    def _one_size(self):
        if (self.altitude_km is None) == (self.semi_major_axis_km is None):
            raise ValueError("give exactly one of altitude_km and semi_major_axis_km")
        return self


class SunSynchronous(_Model):
    """A designed circular sun-synchronous orbit (Vallado 2013, §11.4)."""

    altitude_km: Annotated[float, Field(gt=150, le=5000)] = Field(description="Circular altitude. [km]")
    ltan_h: Annotated[float, Field(ge=0, lt=24)] = Field(description="Local time of the ascending node. [h]")
    epoch: Instant | None = Field(None, description="Design epoch; default: the span start.")
    mean_anomaly_deg: Annotated[float, Field(ge=0, lt=360)] = Field(0.0, description="[deg]")


ORBIT_SOURCES = ("tle", "omm", "elements", "sun_synchronous", "walker")


class Walker(_Model):
    """A Walker-delta constellation i:T/P/F of circular orbits (Walker, J. Br. Interplanet. Soc. 37,
    559 (1984)): P planes of S satellites, RAAN_p = Ω0 + 360°·p/P, M = 360°·s/S + 360°·F·p/T."""

    altitude_km: Annotated[float, Field(gt=150, le=5000)] = Field(description="Circular altitude. [km]")
    inclination_deg: Annotated[float, Field(ge=0, le=180)] = Field(description="[deg]")
    planes: Annotated[int, Field(ge=1, le=50)] = Field(description="Number of planes P.")
    satellites_per_plane: Annotated[int, Field(ge=1, le=50)] = Field(description="Satellites per plane S.")
    phasing: Annotated[int, Field(ge=0, lt=50)] = Field(1, description="Phasing factor F (0 ≤ F < P).")
    raan0_deg: Annotated[float, Field(ge=0, lt=360)] = Field(0.0, description="RAAN of the first plane. [deg]")
    epoch: Instant | None = Field(None, description="Element epoch; default: the span start.")

    @model_validator(mode="after")
    def _phasing_below_planes(self):
        if self.phasing >= max(self.planes, 1) and self.planes > 1:
            raise ValueError(f"phasing {self.phasing} must be below the number of planes {self.planes}")
        return self

    def elements(self) -> list[Elements]:
        """Mean elements of the P×S satellites, plane by plane."""
        total = self.planes * self.satellites_per_plane
        return [Elements(altitude_km=self.altitude_km, inclination_deg=self.inclination_deg,
                         raan_deg=(self.raan0_deg + 360.0 * p / self.planes) % 360.0,
                         mean_anomaly_deg=(360.0 * s / self.satellites_per_plane
                                           + 360.0 * self.phasing * p / total) % 360.0,
                         epoch=self.epoch)
                for p in range(self.planes) for s in range(self.satellites_per_plane)]


#: Most satellites one scenario plans together.
MAX_SATELLITES = 100
#: Farthest a span may reach from an element epoch: the shipped ephemeris's 1900–2053. [d]
MAX_EPOCH_OFFSET_DAYS = 56_000.0


class Orbit(_Model):
    """Exactly one orbit source (a Walker constellation counts as one: it gives several satellites)."""

    name: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")] | None = Field(
        None, description="Satellite name (default: sat1, sat2, ... in order; a Walker's: its name-P-S).")
    tle: str | None = Field(None, description=(
        "Two- or three-line element set: the lines themselves (a value with line breaks, e.g. 'tle: |'), or the "
        "path of a TLE file, relative to the scenario file (a value on one line)."))
    omm: str | None = Field(None, description="Path to a CCSDS OMM file (XML or CSV).")
    elements: Elements | None = None
    sun_synchronous: SunSynchronous | None = None
    walker: Walker | None = None
    warn_epoch_offset_days: Annotated[float, Field(gt=0, le=MAX_EPOCH_OFFSET_DAYS)] = Field(
        14.0, description="Warn when the span reaches this far from the element epoch. [d]")
    max_epoch_offset_days: Annotated[float, Field(gt=0, le=MAX_EPOCH_OFFSET_DAYS)] = Field(
        400.0, description="Refuse beyond this distance from the epoch. [d]")

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ORBIT_SOURCES if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(ORBIT_SOURCES)} (got {given or 'none'})")
        return self

    @property
    def source(self) -> str:
        """Which source the orbit comes from: tle, omm, elements, sun_synchronous or walker."""
        return next(k for k in ORBIT_SOURCES if getattr(self, k) is not None)


class Night(_Model):
    """The night rule: a station is usable only while its Sun is below a limit."""

    sun_elevation_max_deg: Annotated[float, Field(ge=-90, le=90)] = Field(
        -12.0, description="Usable only while the Sun is below this elevation at the station; 90 switches the rule off. [deg]")


class Outputs(_Model):
    """Which files ``skyswap plan`` writes, and how many passes the report details."""

    csv: bool = True
    parquet: bool = True
    summary: bool = True
    html: bool = True
    ics: bool = True
    report_passes: Annotated[int, Field(ge=0, le=20)] = Field(3, description="Passes drawn in detail in report.html.")
    draws: Annotated[int, Field(ge=0, le=100000)] = Field(
        1000, description="Simulated years of weather and link uncertainty for the distribution of the totals (0: none).")
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = Field(0, description="Seed of those draws.")


def _resolve_station(entry) -> Any:
    """A catalog name, a catalog name with overrides, or a full inline station (validated after)."""
    if isinstance(entry, str):
        try:
            return get_station(entry)
        except UnknownStationError as exc:
            raise ValueError(str(exc)) from None
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        try:
            base = _catalog_fields(entry["name"])
        except UnknownStationError:
            return {"source": "scenario", **entry}
        return {**base, **entry}
    return entry


@functools.lru_cache(maxsize=256)
def _catalog_fields(name: str) -> dict:
    """A catalog station's fields as a mapping (a sweep validates its stations at every point; the
    conversion was half the time a point took to validate). Callers copy it, never change it."""
    return asdict(get_station(name))


def expand_orbits(orbit: Orbit | list[Orbit]) -> list[tuple[str, str, Orbit]]:
    """Every satellite of a scenario's ``orbit`` as (name, field, single-satellite orbit): lists and
    Walker constellations expanded, Walker members as ``elements`` orbits; ``field`` names the
    satellite's section for error lines."""
    orbits = orbit if isinstance(orbit, list) else [orbit]
    out: list[tuple[str, str, Orbit]] = []
    for i, orb in enumerate(orbits):
        field = f"orbit[{i}]" if isinstance(orbit, list) else "orbit"
        if orb.walker is None:
            out.append((orb.name or f"sat{len(out) + 1}", field, orb))
            continue
        w = orb.walker
        for k, el in enumerate(w.elements()):
            p, s = divmod(k, w.satellites_per_plane)
            name = f"{orb.name or 'walker'}-{p + 1}-{s + 1}"
            out.append((name, f"{field}.walker", orb.model_copy(update={"walker": None, "elements": el, "name": name})))
    return out


StationField = Annotated[Station, BeforeValidator(_resolve_station, json_schema_input_type=Union[str, Station])]


def _known_mode(name: str) -> str:
    mode_of(name)  # a renamed mode names its new name; an unknown one, the known modes
    return name


def _mode_choices(schema: dict) -> None:
    schema["enum"] = list(mode_names())


#: The payload mode: a name of the mode registry (:data:`payload.modes.MODES`), which gives the
#: check and the JSON Schema's choices.
Mode = Annotated[str, AfterValidator(_known_mode), Field(json_schema_extra=_mode_choices)]


def _scenario_station(name: str, by_key: dict[str, str]) -> str | None:
    """The scenario's station that ``name`` names (``by_key``: station key -> name), ignoring case;
    a catalog alias names its station. None if it names none."""
    found = by_key.get(station_key(name))
    if found is None:
        try:
            found = by_key.get(station_key(get_station(name).name))
        except UnknownStationError:
            pass
    return found


@dataclass(frozen=True)
class PayloadSection(PayloadConfig):
    """The scenario's ``payload``: the onboard package (:class:`payload.config.PayloadConfig`) and
    the contact plan's settings, ``contacts`` (:class:`mission.contacts.settings.ContactSettings`)."""

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    contacts: ContactSettings = field(default_factory=ContactSettings)


class Scenario(_Model):
    """A skyswap scenario. See the README's "Writing a scenario" for the meaning of each key."""

    name: SafeName
    span: Span
    orbit: Orbit | Annotated[list[Orbit], Field(min_length=1, max_length=MAX_SATELLITES)] = Field(
        description="One orbit, or a list of orbits planned together (each may be a Walker constellation).")
    stations: Annotated[list[StationField], Field(min_length=1, max_length=MAX_STATIONS)]
    elevation_mask_deg: Annotated[float, Field(ge=0, lt=90)] = Field(20.0, description="Mask for stations that give none. [deg]")
    night: Night = Night()
    mode: Mode = Field("dual-downlink", description="Payload mode: which photons go where (payload.modes).")
    pairs: Annotated[list[tuple[str, str]], Field(max_length=MAX_PAIRS)] = Field(default_factory=list, description=(
        "Station pairs for the modes that send both photons down, dual-downlink and direct-downlink (all pairs "
        "when omitted; refused in other modes). "
        "Names compare ignoring case, and catalog aliases name their station."))
    sample_step_s: Annotated[float, Field(gt=0, le=60)] = Field(1.0, description=(
        "Geometry sample step; (span / sample_step_s) × stations may not exceed 1e10 sample-grid points. [s]"))
    min_window_duration_s: Annotated[float, Field(ge=0, le=3600)] = Field(
        10.0, description="Shorter windows are dropped (acquisition takes longer; assumption). [s]")
    payload: PayloadSection = PayloadSection()
    channel: ChannelConfig = ChannelConfig()
    outputs: Outputs = Outputs()
    candidate: Candidate | None = Field(None, description=(
        "The station template of `skyswap map` (mission/scenario/candidate.py; defaults there)."))

    @model_serializer(mode="wrap")
    def _without_absent_candidate(self, handler):
        data = handler(self)  # a scenario without `candidate:` dumps (and hashes) as before the section existed
        if self.candidate is None and isinstance(data, dict):
            data.pop("candidate", None)
        return data

    @field_validator("stations")
    @classmethod
    def _unique_stations(cls, stations):
        first: dict[str, int] = {}
        for i, st in enumerate(stations):
            bad = VALUE_CONTROL.search(st.name)
            if bad is not None:
                raise LocatedError(f"a station name holds a control character (U+{ord(bad.group()):04X}): names are "
                                   "plain text", st.name, index=i)
            if len(st.name) > MAX_NAME_CHARS:
                raise LocatedError(f"a station name is at most {MAX_NAME_CHARS} characters", st.name, index=i)
            j = first.setdefault(station_key(st.name), i)
            if j != i:
                rule = "" if stations[j].name == st.name else "; names compare ignoring case"
                raise LocatedError(f"station {stations[j].name!r} is listed twice (stations[{j}] and stations[{i}]{rule})",
                                   st.name, index=i)
        return stations

    @field_validator("orbit")
    @classmethod
    def _satellites_are_distinct(cls, orbit):
        sats = expand_orbits(orbit)
        if len(sats) > MAX_SATELLITES:
            raise ValueError(f"orbit gives {len(sats)} satellites, more than the {MAX_SATELLITES} one scenario plans")
        names = [n for n, _, _ in sats]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"two satellites are named {dup[0]!r}")
        return orbit

    @field_validator("pairs")
    @classmethod
    def _pairs_name_stations(cls, pairs, info):
        """Each end names one of the scenario's stations (ignoring case; a catalog alias names its
        station), the two ends differ, no pair repeats; pairs only where the mode uses them."""
        mode, stations = info.data.get("mode"), info.data.get("stations")
        if pairs and mode is not None and not mode_of(mode).station_pairs:
            raise ValueError(f"mode {mode} uses no station pairs: remove pairs, or use mode dual-downlink")
        if stations is None:  # the stations were refused already
            return pairs
        by_key = {station_key(st.name): st.name for st in stations}
        out, seen = [], {}
        for i, pair in enumerate(pairs):
            ends = []
            for name in pair:
                found = _scenario_station(name, by_key)
                if found is None:
                    close = difflib.get_close_matches(station_key(name), list(by_key), n=1, cutoff=0.6)
                    hint = f"; did you mean {by_key[close[0]]!r}?" if close else ""
                    raise LocatedError(f"{name!r} is not among the scenario's stations ({', '.join(by_key.values())})"
                                       f"{hint}", list(pair), index=i)
                ends.append(found)
            if ends[0] == ends[1]:
                rule = "" if pair[0] == pair[1] else " (station names compare ignoring case; aliases name their station)"
                raise LocatedError(f"both ends are station {ends[0]!r}{rule}: a pair needs two stations", list(pair), index=i)
            key = frozenset(ends)
            if key in seen:
                raise LocatedError(f"repeats pairs[{seen[key]}]", list(pair), index=i)
            seen[key] = i
            out.append((ends[0], ends[1]))
        return out

    @field_validator("payload")
    @classmethod
    def _contact_weights_name_stations(cls, payload, info):
        """Each priority-weight key names a station of the scenario (as a pair's ends do) and a pair
        key one of its pairs; the keys come back in the stations' own names."""
        stations = info.data.get("stations")
        if not payload.contacts.weights or stations is None:
            return payload
        by_key = {station_key(st.name): st.name for st in stations}
        names = list(by_key.values())
        pairs, mode = None, info.data.get("mode")
        if mode is not None and mode_of(mode).station_pairs:
            pairs = info.data.get("pairs") or list(itertools.combinations(names, 2))
        try:
            weights = canonical_weights(payload.contacts.weights, lambda n: _scenario_station(n, by_key), names, pairs)
        except WeightKeyError as exc:
            raise LocatedError(str(exc), exc.key, field="payload.contacts.weights") from None
        return replace(payload, contacts=replace(payload.contacts, weights=weights))

    @model_validator(mode="after")
    def _pairs_need_stations(self):
        if self.payload_mode.station_pairs and len(self.stations) < 2:
            raise ValueError(f"mode {self.mode} needs at least two stations")
        given, needed = self.payload.contacts.downlink_telescopes, self.payload_mode.telescopes_needed
        if given is not None and given < needed:  # the contact plan faulted on it (exit 1) before
            raise LocatedError(f"mode {self.mode} sends photons to {needed} stations at once, so the satellite needs "
                               f"at least {needed} downlink telescopes", given, field="payload.contacts.downlink_telescopes")
        n = len(self.stations)
        if self.payload_mode.station_pairs and not self.pairs and n * (n - 1) // 2 > MAX_PAIRS:
            raise LocatedError(f"without 'pairs', mode {self.mode} pairs every two of the {n} stations: "
                               f"{n * (n - 1) // 2} pairs, more than the {MAX_PAIRS} skyswap plans; list the pairs",
                               f"{n} stations", field="pairs")
        return self

    @model_validator(mode="after")
    def _span_and_step_fit(self):
        """The span holds at least one usable window's length, and the sample grid stays bounded."""
        span_s = self.span.duration_s
        field, value = ("span.days", self.span.days) if self.span.days is not None else ("span.end", self.span.end)
        shortest = max(self.sample_step_s, self.min_window_duration_s)
        if span_s < shortest:
            what = "min_window_duration_s" if self.min_window_duration_s >= self.sample_step_s else "sample_step_s"
            raise LocatedError(f"the span is {span_s:.3g} s, shorter than {what} ({shortest:g} s): no window could be used",
                               value, field=field)
        links = len(self.stations) * len(expand_orbits(self.orbit))  # every satellite over every station
        points = span_s / self.sample_step_s * links
        if points > MAX_SAMPLE_GRID_POINTS:
            fits = span_s * links / MAX_SAMPLE_GRID_POINTS
            raise LocatedError(
                f"{span_s / 86400:.4g} d / {self.sample_step_s:g} s x {len(self.stations)} station(s) x "
                f"{links // len(self.stations)} satellite(s) = {points:.2g} sample-grid points, more than the "
                f"{MAX_SAMPLE_GRID_POINTS:.0e} skyswap accepts (memory); use sample_step_s >= {fits:.2g} s, a shorter "
                "span, fewer stations or fewer satellites", self.sample_step_s, field="sample_step_s")
        return self

    @property
    def payload_mode(self) -> PayloadMode:
        """The registry's description of the scenario's mode."""
        return mode_of(self.mode)

    @property
    def satellites(self) -> list[tuple[str, str, Orbit]]:
        """Every satellite as (name, field, single-satellite orbit): see :func:`expand_orbits`."""
        return expand_orbits(self.orbit)

    @property
    def station_pairs(self) -> list[tuple[int, int]]:
        """Station index pairs of the pair modes: the listed pairs, or every pair when none is listed."""
        index = {st.name: i for i, st in enumerate(self.stations)}
        if not self.payload_mode.station_pairs:
            return []
        if self.pairs:  # validated: each end is a station's own name
            return [(index[a], index[b]) for a, b in self.pairs]
        n = len(self.stations)
        return [(i, j) for i in range(n) for j in range(i + 1, n)]

    def hash(self) -> str:
        """SHA-256 of the validated scenario, canonical JSON (formatting and comments do not count)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def with_days(self, days: float) -> Scenario:
        """The same scenario on a span shortened to ``days`` (``--days``)."""
        if not (days > 0 and math.isfinite(days)):
            raise InputError("--days", days, "must be a positive number of days")
        if days * 86400.0 > self.span.duration_s + 1e-6:
            raise InputError("--days", days, f"is longer than the scenario's span of {self.span.duration_s / 86400:g} days")
        shortest = max(self.sample_step_s, self.min_window_duration_s)
        if days * 86400.0 < shortest:
            raise InputError("--days", days, f"is {days * 86400:.3g} s, shorter than the shortest usable window ({shortest:g} s)")
        span = Span(start=self.span.start, days=days)
        return self.model_copy(update={"span": span})
