"""The frozen result of every stage of the pipeline, in the order :mod:`mission.planner` makes them.

    OrbitStage -> WindowStage -> Candidates -> [SampleStage -> ChannelStage -> PayloadStage, per chunk]
               -> LinkSamples, PayloadTotals -> ContactStage -> OperationsStage -> (contact totals)
               -> WeatherStage -> (tables, summary: mission.outputs)

Each type holds plain numpy arrays (times in seconds after the span start, units in the names);
no stage mutates an earlier one. The per-sample stages (geometry, link, payload) run on chunks of
windows and are reduced per window at once: what the plan keeps of its samples is
:class:`LinkSamples` (each row's time, pointing and link; ~48 B a row and 8 B a sample and leg) and
:class:`PayloadTotals` (per window). Per-sample arrays come in two shapes:

* **rows** — one entry per distinct (station, sample time). Stations' passes are shared by every
  pair they belong to, so geometry and link are computed once per row.
* **samples** — one entry per sample of each candidate window, window after window
  (``offsets[w]:offsets[w + 1]`` are window ``w``'s). ``legs[i]`` gives, for each sample, its row
  as seen from the window's station ``i`` (station a, and station b of a pair).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from sgp4.api import Satrec
from skyfield.timelib import Time

from ..groundstations.year_draws import WEATHER, WEATHER_AND_LINK
from ..groundstations.year_sums import YearDraws
from ..payload.fidelity import window_totals
from ..payload.operations import WindowOperations
from .orbits import frames, skydata
from .orbits.sources import OrbitInfo, build_orbit
from .weather.draws import DrawnContacts, WeatherModel
from .windows import geometry
from .windows.geometry import Samples
from .windows.passes import PairWindows, Site, StationWindows

if TYPE_CHECKING:  # the contact plan (scipy) is imported by the planner only when a plan runs
    from .contacts.plan import ContactPlan


@dataclass(frozen=True)
class OrbitStage:
    """The satellites and the time frame of the span.

    Attributes
    ----------
    names : list of str
        Satellite names, in scenario order.
    satrecs : list of sgp4.api.Satrec
        The SGP4 propagator of each satellite.
    infos : list of OrbitInfo
        What is reported about each orbit.
    t0 : skyfield.timelib.Time
        The span start; every time below counts seconds from it. [s]
    span_s : float
        Length of the span. [s]
    sun, moon : frames.BodyTrack
        The Sun and Moon over the span.
    """

    names: list[str]
    satrecs: list[Satrec]
    infos: list[OrbitInfo]
    t0: Time
    span_s: float
    sun: frames.BodyTrack
    moon: frames.BodyTrack


def orbit_stage(satellites: Sequence[tuple[str, str, Any]], span) -> OrbitStage:
    """Each satellite's propagator, and the Sun and Moon over the span (``satellites``: the
    scenario's (name, field, orbit) list, ``span``: its span section)."""
    built = [build_orbit(orbit, span, where) for _, where, orbit in satellites]
    t0 = skydata.timescale().from_datetime(span.start_utc)
    span_s = span.duration_s
    sun, moon = frames.body_tracks(float(t0.tt), span_s)
    return OrbitStage([name for name, _, _ in satellites], [b[0] for b in built], [b[1] for b in built],
                      t0, span_s, sun, moon)


@dataclass(frozen=True)
class WindowStage:
    """One satellite's station windows, common-view windows of the requested pairs and sunlit
    intervals (None where not searched: ``skyswap passes``). [s] ``pair_mode``: whether the
    candidates are the pairs' windows (then the stations' culminations were not searched).
    (The pipeline has one per satellite.)"""

    sites: list[Site]
    stations: list[StationWindows]
    pairs: list[PairWindows]
    sunlit_s: np.ndarray | None
    pair_mode: bool

    @property
    def sunlit(self) -> np.ndarray:
        """The sunlit intervals, for the payload's power. [s]"""
        if self.sunlit_s is None:
            raise RuntimeError("the sunlit intervals were not searched (window_stage(sunlit=False))")
        return self.sunlit_s


@dataclass(frozen=True)
class Candidates:
    """The windows the mode can use, one row each: a pair's common-view window (pair modes) or a
    station's usable window (single-station modes).

    Attributes
    ----------
    windows_s : ndarray (n, 2)
        Start and end. [s]
    satellite : ndarray (n,) of int
        Index of the satellite (rows come grouped by satellite).
    station_a, station_b : ndarray (n,) of int
        Site index of the window's station(s); ``station_b`` is -1 for single-station rows.
    culmination_s : ndarray (n,)
        Time of the highest elevation (single station: root-refined; pair: where the lower of the
        two elevations peaks, from the samples, NaN until :func:`mission.persample.sample_stage`). [s]
    max_elevation_a_deg : ndarray (n,)
        Root-refined highest elevation at station a (NaN for pair rows: taken from the samples). [deg]
    """

    windows_s: np.ndarray
    satellite: np.ndarray
    station_a: np.ndarray
    station_b: np.ndarray
    culmination_s: np.ndarray
    max_elevation_a_deg: np.ndarray

    @property
    def pair(self) -> bool:
        """Whether the rows are station pairs (two legs)."""
        return bool(len(self.station_b)) and bool(np.all(self.station_b >= 0))

    def __len__(self) -> int:
        return int(len(self.windows_s))

    def take(self, sl: slice | np.ndarray) -> Candidates:
        """The rows ``sl`` (a contiguous chunk, or ascending candidate indices)."""
        return Candidates(*(getattr(self, f)[sl] for f in Candidates.__dataclass_fields__))


class WindowSampleIndex:
    """What every set of window samples answers from its ``rows`` (per-row arrays with ``time_s``),
    ``legs`` (each sample's row, per leg) and ``offsets`` (window ``w`` owns samples
    ``offsets[w]:offsets[w + 1]``): :class:`SampleStage` and :class:`LinkSamples`."""

    rows: Any
    legs: tuple
    offsets: np.ndarray

    @property
    def n_samples(self) -> int:
        """Number of samples over all windows."""
        return int(self.offsets[-1])

    @property
    def time_s(self) -> np.ndarray:
        """Time of each sample. [s]"""
        return self.rows.time_s[self.legs[0]]

    def leg(self, field: str, i: int = 0) -> np.ndarray:
        """Per-sample values of a row field (``elevation_deg``, ``azimuth_deg``, ...) at leg ``i``."""
        return gather(getattr(self.rows, field), self.legs[i])

    @property
    def window_of_sample(self) -> np.ndarray:
        """Index of the window each sample belongs to."""
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))


@dataclass(frozen=True)
class SampleStage(WindowSampleIndex):
    """Geometry of every sample of a set of candidate windows (a chunk of them in a plan, all of
    them in ``skyswap passes``).

    Attributes
    ----------
    rows : Samples
        Geometry of each distinct (satellite, station, time) row (its ``offsets`` delimit nothing
        here: ``station_of_row`` says whose row it is).
    station_of_row : ndarray (n_rows,) of int
        Site index of each row (rows come grouped by satellite, then station).
    legs : tuple of ndarray (n_samples,)
        The row of each sample seen from station a (and b for pairs).
    offsets : ndarray (n_windows + 1,)
        Window ``w`` owns samples ``offsets[w]:offsets[w + 1]``.
    culmination_s : ndarray (n_windows,)
        Culmination of each window (see :class:`Candidates`). [s]
    """

    rows: Samples
    station_of_row: np.ndarray
    legs: tuple
    offsets: np.ndarray
    culmination_s: np.ndarray

    def take_samples(self, index: np.ndarray) -> SampleStage:
        """The samples ``index`` (in that order) as one window, with only the rows they read (in
        their order, so still grouped by satellite and station)."""
        index = np.asarray(index, dtype=np.int64)
        legs = [leg[index] for leg in self.legs]
        rows = np.unique(np.concatenate(legs)) if legs else np.empty(0, np.int64)
        r = self.rows
        sub = Samples(offsets=np.array([0, rows.size]),
                      **{f.name: getattr(r, f.name)[rows] for f in fields(Samples) if f.name != "offsets"})
        return SampleStage(rows=sub, station_of_row=self.station_of_row[rows],
                           legs=tuple(np.searchsorted(rows, leg) for leg in legs),
                           offsets=np.array([0, index.size], dtype=np.int64), culmination_s=np.full(1, np.nan))


def concat_samples(parts: list[SampleStage]) -> SampleStage:
    """Sample stages of consecutive candidate chunks joined: rows concatenated, each chunk's leg
    rows shifted by the rows before it."""
    if len(parts) == 1:
        return parts[0]
    row_base = np.cumsum([0] + [p.station_of_row.size for p in parts[:-1]])
    return SampleStage(
        rows=geometry.concat([p.rows for p in parts]),
        station_of_row=np.concatenate([p.station_of_row for p in parts]),
        legs=tuple(np.concatenate([p.legs[i] + base for p, base in zip(parts, row_base)])
                   for i in range(len(parts[0].legs))),
        offsets=geometry.concat_offsets([p.offsets for p in parts]),
        culmination_s=np.concatenate([p.culmination_s for p in parts]),
    )


def gather(values_per_row: np.ndarray, rows: np.ndarray, sl: slice = slice(None)) -> np.ndarray:
    """Per-sample values read through their rows: ``values_per_row[rows[sl]]``."""
    return values_per_row[rows[sl]]


@dataclass(frozen=True)
class ChannelStage:
    """Link and noise of every row (one downlink each).

    Attributes
    ----------
    transmittance : ndarray (n_rows,)
        Satellite-to-detector transmittance: link × station optics × detector. [1]
    loss_db : ndarray (n_rows,)
        The same as a loss. [dB]
    sky_probability, dark_probability : ndarray (n_rows,)
        Sky-background and dark click per coincidence window. [1]
    loss_terms_db : dict term -> ndarray (n_rows,) of float32
        The loss budget by term (``mission.channel.LINK_TERMS``); the terms add up to ``loss_db``
        (to float32's 10⁻⁶ relative). A term that is one number on every row is that number
        broadcast (read-only, no memory: ``mission.channel.LossTerms``). [dB]
    """

    transmittance: np.ndarray
    loss_db: np.ndarray
    sky_probability: np.ndarray
    dark_probability: np.ndarray
    loss_terms_db: dict


@dataclass(frozen=True)
class RowPointing:
    """Where each row looks: its time and the satellite's direction from its station.

    Attributes
    ----------
    time_s : ndarray (n_rows,)
        Seconds after the span start. [s]
    azimuth_deg, elevation_deg : ndarray (n_rows,)
        Satellite direction from the row's station. [deg]
    """

    time_s: np.ndarray
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray


@dataclass(frozen=True)
class RowLink:
    """What the swap model reads of each row's downlink (the channel stage, without its parts).

    Attributes
    ----------
    transmittance : ndarray (n_rows,)
        Satellite-to-detector transmittance. [1]
    sky_probability, dark_probability : ndarray (n_rows,)
        Sky-background and dark click per coincidence window. [1]
    """

    transmittance: np.ndarray
    sky_probability: np.ndarray
    dark_probability: np.ndarray


@dataclass(frozen=True)
class LinkSamples(WindowSampleIndex):
    """What the plan keeps of its samples once each window's totals exist: per row its time,
    pointing and link, per sample the row each leg reads (the contact plan values the samples, the
    SWaP scheduler and the contacts' totals read them, the schedule points the stations).

    Attributes
    ----------
    rows : RowPointing
        Time and direction of each distinct (satellite, station, time) row.
    link : RowLink or None
        The downlink of each row (None in a mode where no photon leaves the satellite).
    legs : tuple of ndarray (n_samples,)
        The row of each sample seen from station a (and b for pairs).
    offsets : ndarray (n_windows + 1,)
        Window ``w`` owns samples ``offsets[w]:offsets[w + 1]``.
    culmination_s : ndarray (n_windows,)
        Culmination of each window (see :class:`Candidates`). [s]
    """

    rows: RowPointing
    link: RowLink | None
    legs: tuple
    offsets: np.ndarray
    culmination_s: np.ndarray

    def window_samples(self, windows: np.ndarray) -> np.ndarray:
        """Positions of the samples of ``windows`` (candidate indices, ascending), window after window."""
        counts = np.diff(self.offsets)[windows]
        local = np.concatenate([[0], np.cumsum(counts)])
        return np.repeat(self.offsets[:-1][windows] - local[:-1], counts) + np.arange(local[-1])


@dataclass(frozen=True)
class PayloadTotals:
    """The payload stage reduced per window: the swap model on every sample of each candidate
    window, as if the payload ran throughout, summed per window (:func:`payload.fidelity.window_totals`
    without its per-sample terms) before the samples are released.

    Attributes
    ----------
    served_whole : dict str -> ndarray (n_windows,)
        Totals of every sample of the window: what it would give if the plan served all of it (no
        contention, before the SWaP limits).
    unserved : dict str -> ndarray (n_windows,)
        Totals with no sample operated: zero counts, and the fidelity, QBER and CHSH S the window
        would have given (weighted by the pair rate), which the pass table shows for a window the
        plan did not serve.
    mean_event_rate_hz, mean_bsm_herald_rate_hz : ndarray (n_windows,)
        Detector events recorded on board and BSM heralds per second,
        averaged over the window's samples (the SWaP scheduler's data budget). [Hz]
    """

    served_whole: dict
    unserved: dict
    mean_event_rate_hz: np.ndarray
    mean_bsm_herald_rate_hz: np.ndarray


@dataclass(frozen=True)
class PayloadStage:
    """Per-sample payload performance over a set of candidate windows (a chunk of them: the plan
    reduces it per window at once, :class:`PayloadTotals`), as if the payload ran throughout.

    Attributes
    ----------
    bsm_herald_rate_hz, heralded_pair_rate_hz : ndarray (n_samples,)
        BSM heralds (two photons at the onboard Bell-state measurement) and heralded pairs (the
        four-fold events: herald and both partner photons detected) per second. [Hz]
    fidelity, qber, chsh_s : ndarray (n_samples,)
        Of the heralded pairs. [1]
    infidelity : dict term -> ndarray (n_samples,)
        The fidelity budget (``payload.swap.BUDGET_TERMS``; the terms sum to 1 − F). [1]
    event_rate_hz : ndarray (n_samples,)
        Detector events recorded on board (for the data budget). [Hz]
    key_pair_rate_hz, key_qber : ndarray (n_samples,)
        Pair rate and QBER under the squash rule, which the key always counts (the same arrays as
        ``heralded_pair_rate_hz`` and ``qber`` when the payload squashes). [Hz], [1]
    """

    bsm_herald_rate_hz: np.ndarray
    heralded_pair_rate_hz: np.ndarray
    fidelity: np.ndarray
    qber: np.ndarray
    chsh_s: np.ndarray
    infidelity: dict
    event_rate_hz: np.ndarray
    key_pair_rate_hz: np.ndarray
    key_qber: np.ndarray

    def window_totals(self, step_s: float, offsets: np.ndarray, **options) -> dict:
        """:func:`payload.fidelity.window_totals` of these samples: ``offsets`` delimit the windows,
        ``step_s`` is the sample step [s], ``options`` its keyword arguments (``operated``, ...)."""
        return window_totals(self.bsm_herald_rate_hz, self.heralded_pair_rate_hz, self.fidelity, self.qber,
                             self.chsh_s, self.infidelity, step_s, offsets, **options)


@dataclass(frozen=True)
class ContactStage:
    """Which candidate window is served when: the conflict-free contact plan.

    Attributes
    ----------
    plan : mission.contacts.plan.ContactPlan
        The contacts (window, satellite, lane, start, end, delivering from), per window its
        scheduled seconds and the windows it lost time to, per pair its share, the solver's report.
    clear_probability : ndarray (n_windows,)
        Probability that every sky of the window is clear (the plan's value is weighted by it). [1]
    delivering : ndarray (n_samples,) of bool
        Whether the sample lies in a contact of its window after the contact's retarget dead time.
    contact_of_sample : ndarray (n_samples,) of int
        The contact each delivering sample belongs to (-1 elsewhere).
    """

    plan: ContactPlan
    clear_probability: np.ndarray
    delivering: np.ndarray
    contact_of_sample: np.ndarray


@dataclass(frozen=True)
class OperationsStage:
    """When each satellite's payload runs: its SWaP schedule over the span, with its scheduled
    contacts as the windows (the passes it serves in the downlink modes; the downlinks of its
    records in a mode whose counts are stored on board).

    Attributes
    ----------
    runs : list of payload.operations.OperationsRun
        One per satellite; a run's windows are that satellite's contacts, in start order.
    windows : payload.operations.WindowOperations
        What happened in each contact, in the contact plan's order.
    operated : ndarray (n_samples,) of bool
        Whether the sample delivered: in a contact after its dead time, and the payload of its
        satellite operating then.
    onboard : list of payload.onboard.OnboardPlan
        A mode whose counts are stored on board (``PayloadMode.stored``): each satellite's
        :func:`payload.onboard.plan_onboard` (its ``operations`` is the satellite's run); empty
        otherwise.
    """

    runs: list
    windows: WindowOperations
    operated: np.ndarray
    onboard: list = field(default_factory=list)


@dataclass(frozen=True)
class WeatherStage:
    """The year drawn many times over the scheduled contacts (:mod:`mission.weather.draws`).

    Attributes
    ----------
    model : mission.weather.draws.WeatherModel
        How the draws were made: how many, the seed, the clouds' persistence and correlation.
    contacts : mission.weather.draws.DrawnContacts
        The scheduled contacts with what each delivers if every sky it needs is clear.
    years : dict str -> groundstations.year_draws.YearDraws
        The year's totals per draw, one entry per combination of sources of variation drawn:
        ``"weather"`` (the clouds) and ``"weather_and_link"`` (the same clouds, and the link model's
        own uncertainty: :mod:`groundstations.link_uncertainty`), so that the weather-only and the
        combined bands come from the same draws. Empty without draws.
    downlinks : int
        Links a contact's pairs cross (the payload mode's ``downlinks``): how the link's error
        reaches them (0: not at all, counts made on board).
    """

    model: WeatherModel
    contacts: DrawnContacts
    years: dict[str, YearDraws]
    downlinks: int

    @property
    def weather(self) -> YearDraws:
        """The year over the weather alone."""
        return self.years[WEATHER]

    @property
    def weather_and_link(self) -> YearDraws:
        """The year over the weather and the link model's uncertainty."""
        return self.years[WEATHER_AND_LINK]
