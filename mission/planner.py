"""The pipeline: the only place that chains the stages.

    Scenario -> OrbitStage -> WindowStage -> Candidates -> SampleStage -> ChannelStage
             -> PayloadStage -> ContactStage -> OperationsStage -> contact totals -> WeatherStage
             -> tables, summary -> MissionResult

Each stage is a pure function of plain arguments and the previous stages' frozen results
(:mod:`mission.stages`); nothing here does physics itself: it unpacks the scenario into the
arguments each stage needs and calls the modules that do. ``skyswap passes`` runs the same stages
up to the channel (:func:`plan_passes`), so its rows and columns are the plan's. Read this file top
to bottom to see how skyswap works.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import yaml

from ..groundstations.catalog import Station
from ..groundstations.channel_config import ChannelConfig
from ..payload.budget import ContactSettings, SwapBudget
from ..payload.config import PayloadConfig, downlink_telescopes, onboard_event_rate_hz
from ..payload.modes import PayloadMode
from ..payload.operations import WindowOperations, operated_mask
from ..payload.operations.run import run_operations
from ..payload.ragged import ragged_reduce
from ..payload.storage import recorded_data_rate_bytes_s
from ..payload.swap import BUDGET_TERMS, swap_performance, swap_performance_chunked
from . import channel, levers
from .orbits import frames, skydata
from .orbits.sources import build_orbit
from .outputs import detail, passtable, schedule, summary, tables
from .outputs.result import MissionResult
from .parallel import default_threads, thread_map
from .scenario.schema import Orbit, Scenario
from .stages import (
    Candidates,
    ChannelStage,
    ContactStage,
    OperationsStage,
    OrbitStage,
    PayloadStage,
    SampleStage,
    WeatherStage,
    WindowStage,
    concat_samples,
    gather,
)
from .weather import clear_sky
from .weather.draws import DrawnContacts, WeatherModel, draw_year, weather_model
from .windows import geometry, passes

# ------------------------------------------------------------------------------------- orbit


def orbit_stage(satellites: Sequence[tuple[str, str, Orbit]], span) -> OrbitStage:
    """Each satellite's propagator, and the Sun and Moon over the span (``satellites``: the
    scenario's (name, field, orbit) list, ``span``: its span section)."""
    built = [build_orbit(orbit, span, where) for _, where, orbit in satellites]
    t0 = skydata.timescale().from_datetime(span.start_utc)
    span_s = span.duration_s
    sun, moon = frames.body_tracks(float(t0.tt), span_s)
    return OrbitStage([name for name, _, _ in satellites], [b[0] for b in built], [b[1] for b in built],
                      t0, span_s, sun, moon)


# ----------------------------------------------------------------------------------- windows

def sites_of(stations: list[Station], default_mask_deg: float) -> list[passes.Site]:
    """The window search's sites: each station with its own mask, or the scenario's. [deg]"""
    return [passes.make_site(st.name, st.latitude_deg, st.longitude_deg, st.altitude_m,
                             st.elevation_mask_deg if st.elevation_mask_deg is not None else default_mask_deg,
                             st.horizon_profile or ())
            for st in stations]


def window_stage(orbit: OrbitStage, sites: list[passes.Site], sun_elevation_max_deg: float,
                 min_duration_s: float, pairs: list[tuple[int, int]]) -> list[WindowStage]:
    """For each satellite: usable (visible and dark) windows of every site, common-view windows of
    ``pairs`` and its sunlit intervals. ``sun_elevation_max_deg`` is the night rule [deg], windows
    shorter than ``min_duration_s`` are dropped [s]."""
    out = []
    for satrec in orbit.satrecs:
        track = passes.coarse_track(satrec, orbit.t0, orbit.span_s)  # shared by both searches
        stations = passes.station_windows(satrec, orbit.t0, orbit.span_s, sites, orbit.sun,
                                          sun_elevation_max_deg, min_duration_s, track)
        common = passes.common_view(stations, pairs, min_duration_s)
        sunlit = geometry.sunlit_intervals(satrec, orbit.t0, orbit.span_s, orbit.sun, track)
        out.append(WindowStage(sites, stations, common, sunlit))
    return out


def candidate_windows(windows: list[WindowStage], pair_mode: bool) -> Candidates:
    """The windows the mode can use, satellite by satellite, time-ordered per station or pair:
    every pair's common-view windows (pair modes), every station's usable windows otherwise."""
    def cat(xs, shape, dtype=float):
        return np.concatenate(xs).astype(dtype) if xs else np.empty(shape, dtype)

    groups: list[tuple] = []
    for sat, w in enumerate(windows):
        if pair_mode:
            groups += [(p.usable_s, p.a, p.b, None, None, sat) for p in w.pairs]
        else:
            groups += [(x.usable_s, k, -1, x.culmination_s, x.max_elevation_deg, sat) for k, x in enumerate(w.stations)]
    nan = [np.full(len(g[0]), np.nan) for g in groups]
    return Candidates(
        windows_s=cat([g[0] for g in groups], (0, 2)),
        satellite=cat([np.full(len(g[0]), g[5]) for g in groups], 0, int),
        station_a=cat([np.full(len(g[0]), g[1]) for g in groups], 0, int),
        station_b=cat([np.full(len(g[0]), g[2]) for g in groups], 0, int),
        culmination_s=cat([g[3] if g[3] is not None else x for g, x in zip(groups, nan)], 0),
        max_elevation_a_deg=cat([g[4] if g[4] is not None else x for g, x in zip(groups, nan)], 0),
    )


# ---------------------------------------------------------------------------------- samples

def sample_stage(orbit: OrbitStage, sites: list[passes.Site], cands: Candidates, step_s: float,
                 threads: int = 1) -> SampleStage:
    """Geometry of every sample of the candidate windows, on the span's grid of ``step_s`` [s].

    Each satellite is propagated once per distinct sample time; geometry is computed once per
    distinct (satellite, station, time) row and read by both legs of every window through ``legs``.
    """
    sats = np.unique(cands.satellite)
    if sats.size > 1:  # rows come grouped by satellite
        bounds = np.searchsorted(cands.satellite, np.append(sats, sats[-1] + 1))
        return concat_samples([sample_stage(orbit, sites, cands.take(slice(int(lo), int(hi))), step_s, threads)
                               for lo, hi in zip(bounds[:-1], bounds[1:])])
    satrec = orbit.satrecs[int(sats[0])] if sats.size else orbit.satrecs[0]
    legs = [cands.station_a, cands.station_b] if cands.pair else [cands.station_a]
    rows = geometry.station_rows(cands.windows_s, legs, step_s, len(sites))
    shared = geometry.shared_state(satrec, orbit.t0, geometry.distinct_grid_indices(cands.windows_s, step_s),
                                   step_s, orbit.sun, orbit.moon)
    table = geometry.station_geometry(shared, sites, rows, step_s, threads)
    culmination = cands.culmination_s
    if cands.pair:  # a pair window culminates where the lower of its two elevations peaks
        low = np.minimum(gather(table.elevation_deg, rows.leg_rows[0]), gather(table.elevation_deg, rows.leg_rows[1]))
        culmination = tables.argmax_times(low, gather(table.time_s, rows.leg_rows[0]), rows.offsets, cands.windows_s)
    return SampleStage(table, rows.station, tuple(rows.leg_rows), rows.offsets, culmination)


# ---------------------------------------------------------------------------------- channel

def channel_stage(smp: SampleStage, stations: list[Station], transmitter, wavelength_nm: float,
                  cfg: ChannelConfig, threads: int = 1) -> ChannelStage:
    """Link budget and noise of every row from its own station (stations on ``threads`` threads)."""
    n = smp.station_of_row.size
    total, sky, dark = np.zeros(n), np.zeros(n), np.zeros(n)
    terms = channel.LossTerms(n)  # the loss budget by term: float32, and no memory for a term that is one number
    r = smp.rows
    # rows come in runs of one station (grouped by satellite, then station): one call per run
    change = np.flatnonzero(np.diff(smp.station_of_row)) + 1
    starts = np.concatenate([[0], change]) if n else np.empty(0, int)
    ends = np.concatenate([change, [n]]) if n else np.empty(0, int)

    def station(run):
        sel = slice(int(starts[run]), int(ends[run]))
        st = stations[int(smp.station_of_row[starts[run]])]
        link = channel.link_budget(r.elevation_deg[sel], r.range_km[sel], st, transmitter, wavelength_nm, cfg,
                                   fluctuations=False)  # the stage keeps the mean link
        total[sel] = link.total
        terms.put(sel, link.terms_db)
        sky[sel], dark[sel] = channel.noise_probabilities(
            r.sun_elevation_deg[sel], r.moon_elevation_deg[sel], r.moon_illumination[sel], st, wavelength_nm, cfg)

    thread_map(station, range(starts.size), threads)
    return ChannelStage(total, channel.to_db(total), sky, dark, terms.arrays())


# ---------------------------------------------------------------------------------- payload

#: The swap model's outputs the payload stage keeps per sample.
PAYLOAD_FIELDS = ("swap_rate_hz", "heralded_pair_rate_hz", "fidelity", "qber", "chsh_s", "key_pair_rate_hz",
                  "key_qber")


def payload_stage(mode: PayloadMode, payload: PayloadConfig, smp: SampleStage, ch: ChannelStage | None,
                  threads: int = 1, budget: bool = True) -> PayloadStage:
    """The swap model on every sample, in fixed chunks on ``threads`` threads
    (:func:`payload.swap.swap_performance_chunked`); each leg's link is read chunk by chunk through
    its rows. ``ch`` is None where no photon leaves the satellite (a mode without a channel): the
    rates do not depend on any link and one evaluation gives them all. Without ``budget`` the
    fidelity budget is left out (``infidelity`` empty; the levers need none)."""
    n = smp.n_samples
    events = np.full(n, onboard_event_rate_hz(mode.name, payload))
    if ch is None:
        one = swap_performance(mode.name, np.ones(1), np.ones(1), np.zeros(1), np.zeros(1), payload=payload)
        full = {f: np.full(n, float(getattr(one, f)[0])) for f in PAYLOAD_FIELDS}
        return PayloadStage(**full, infidelity={k: np.full(n, float(one.infidelity[k][0])) for k in BUDGET_TERMS}
                            if budget else {}, event_rate_hz=events)
    a = smp.legs[0]
    b = smp.legs[1] if len(smp.legs) > 1 else None

    def inputs(sl):  # a station-less leg b: photon b on board, its link unused
        m = sl.stop - sl.start
        return (gather(ch.transmittance, a, sl), gather(ch.transmittance, b, sl) if b is not None else np.ones(m),
                gather(ch.sky_probability, a, sl), gather(ch.sky_probability, b, sl) if b is not None else np.zeros(m),
                gather(ch.dark_probability, a, sl),
                gather(ch.dark_probability, b, sl) if b is not None else np.zeros(m))

    out, infidelity = swap_performance_chunked(mode.name, n, inputs, PAYLOAD_FIELDS, payload=payload,
                                               map_chunks=lambda fn, starts: thread_map(fn, starts, threads),
                                               budget=budget)
    return PayloadStage(**out, infidelity=infidelity, event_rate_hz=events)


# ------------------------------------------------------------ samples -> payload, in processes

@dataclass(frozen=True)
class _PerSample:
    samples: SampleStage
    channel: ChannelStage | None
    payload: PayloadStage


def _per_sample(scenario: Scenario, orbit: OrbitStage, sites, cands: Candidates, threads: int) -> _PerSample:
    """Samples → channel → payload of a set of candidate windows (all of them, or one chunk)."""
    smp = sample_stage(orbit, sites, cands, scenario.sample_step_s, threads)
    ch = None if not scenario.payload_mode.channel else channel_stage(
        smp, list(scenario.stations), scenario.payload.transmitter, scenario.payload.source.wavelength_nm,
        scenario.channel, threads)
    return _PerSample(smp, ch, payload_stage(scenario.payload_mode, scenario.payload, smp, ch, threads))


def _chunk_worker(args) -> _PerSample:
    scenario, cands, threads = args
    orbit = orbit_stage(scenario.satellites, scenario.span)
    return _per_sample(scenario, orbit, sites_of(scenario.stations, scenario.elevation_mask_deg), cands, threads)


def _concat(parts: list[_PerSample]) -> _PerSample:
    """Chunks joined (samples: :func:`mission.stages.concat_samples`; per-row and per-sample arrays in order)."""
    samples = concat_samples([p.samples for p in parts])
    chs = [p.channel for p in parts if p.channel is not None]
    ch = None if not chs else ChannelStage(
        **{f: np.concatenate([getattr(c, f) for c in chs]) for f in ChannelStage.__dataclass_fields__
           if f != "loss_terms_db"},
        loss_terms_db={t: np.concatenate([c.loss_terms_db[t] for c in chs]) for t in channel.LINK_TERMS})
    pls = [p.payload for p in parts]
    pl = PayloadStage(**{f: np.concatenate([getattr(x, f) for x in pls])
                         for f in PayloadStage.__dataclass_fields__ if f != "infidelity"},
                      infidelity={k: np.concatenate([x.infidelity[k] for x in pls]) for k in BUDGET_TERMS})
    return _PerSample(samples, ch, pl)


def per_sample_stages(scenario: Scenario, orbit: OrbitStage, sites, cands: Candidates, workers: int = 1,
                      threads: int = 1) -> _PerSample:
    """Samples, channel and payload of every candidate window. With ``workers > 1`` the windows are
    split into contiguous chunks of about equal length, each computed in its own process; every
    number depends only on its own time and station, so the result is the same for any ``workers``."""
    n = len(cands)
    if workers <= 1 or n < 2 * workers:
        return _per_sample(scenario, orbit, sites, cands, threads)
    sizes = np.maximum(cands.windows_s[:, 1] - cands.windows_s[:, 0], 1.0)
    edges = np.searchsorted(np.cumsum(sizes), np.linspace(0, sizes.sum(), workers + 1)[1:-1])
    bounds = [0, *edges.tolist(), n]
    chunks = [cands.take(slice(lo, hi)) for lo, hi in zip(bounds[:-1], bounds[1:]) if hi > lo]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with concurrent.futures.ProcessPoolExecutor(len(chunks), mp_context=multiprocessing.get_context(method)) as pool:
        parts = list(pool.map(_chunk_worker, [(scenario, c, threads) for c in chunks]))
    return _concat(parts)


# --------------------------------------------------------------------------------- contacts

def contact_stage(settings: ContactSettings, telescopes: int, stations: list[Station], cands: Candidates,
                  smp: SampleStage, pl: PayloadStage, clear: np.ndarray, step_s: float,
                  mode: PayloadMode) -> ContactStage:
    """The conflict-free contact plan: which candidate window each downlink telescope and each
    station serves when (mission.contacts.plan), valuing a window's samples by the expected,
    cloud-weighted heralded pairs they would deliver (a mode whose counts are stored on board: the
    clear downlink seconds, which carry the records down).

    ``telescopes`` is the satellites' count of downlink telescopes [1], ``clear`` each window's
    clear-sky probability [1], ``step_s`` the sample step [s].
    """
    counts = np.diff(smp.offsets)
    clear_of_sample = np.repeat(clear, counts)
    rate = np.ones(smp.n_samples) if mode.stored else pl.heralded_pair_rate_hz
    value = np.nan_to_num(rate * step_s * clear_of_sample)
    from .contacts.plan import CandidateWindows, Resources, plan_contacts, window_weights  # scipy: only a plan needs it

    windows = CandidateWindows(cands.satellite, cands.station_a, cands.station_b, cands.windows_s[:, 0],
                               cands.windows_s[:, 1], smp.time_s, value, smp.offsets)
    used = int(max(cands.station_a.max(initial=-1), cands.station_b.max(initial=-1))) + 1  # stations the windows use
    resources = Resources(telescopes, settings.retarget_s, [st.retarget_s for st in stations][:used])
    names = [st.name.casefold() for st in stations]
    weights = None
    if settings.policy == "priority":
        index = {n: i for i, n in enumerate(names)}
        pair_w = {tuple(index[x.strip().casefold()] for x in k.split("+")): v for k, v in settings.weights.items()
                  if "+" in k}
        station_w = {index[k.strip().casefold()]: v for k, v in settings.weights.items() if "+" not in k}
        weights = window_weights(cands.station_a, cands.station_b, pair_w, station_w)
    plan = plan_contacts(windows, resources, settings.policy, weights, milp_time_limit_s=settings.milp_time_limit_s)
    # the samples each contact delivers: its window's, from the end of its dead time to its end
    contact_of_sample = np.full(smp.n_samples, -1)
    t = smp.time_s
    for c, (w, d, e) in enumerate(zip(plan.contact_window, plan.contact_delivering_from_s, plan.contact_end_s)):
        lo, hi = smp.offsets[w], smp.offsets[w + 1]
        i0 = lo + np.searchsorted(t[lo:hi], d, side="left")
        i1 = lo + np.searchsorted(t[lo:hi], e, side="left")
        contact_of_sample[i0:i1] = c
    return ContactStage(plan, clear, contact_of_sample >= 0, contact_of_sample)


# ------------------------------------------------------------------------------- operations

def operations_stage(budget: SwapBudget, rule: str, span_s: float, sunlit_s: list[np.ndarray], smp: SampleStage,
                     pl: PayloadStage, contacts: ContactStage) -> OperationsStage:
    """The SWaP scheduler of each satellite over the whole span, on its scheduled contacts, under the
    operating ``rule``: which seconds of each contact its payload runs (``sunlit_s``: each
    satellite's sunlit intervals [s])."""
    plan = contacts.plan
    offsets = smp.offsets
    counts = np.maximum(np.diff(offsets), 1)
    mean_events = ragged_reduce(pl.event_rate_hz, offsets, np.add, 0.0) / counts
    mean_swaps = ragged_reduce(pl.swap_rate_hz, offsets, np.add, 0.0) / counts
    rate = recorded_data_rate_bytes_s(mean_events, mean_swaps, budget.data)[plan.contact_window]
    contact_s = np.column_stack([plan.contact_start_s, plan.contact_end_s])
    n_contacts = contact_s.shape[0]
    runs, parts, where = [], [], np.empty(n_contacts, int)
    operated = np.zeros(smp.n_samples, bool)
    time_s = smp.time_s
    base = 0
    for sat, sunlit in enumerate(sunlit_s):
        mine = np.flatnonzero(plan.contact_satellite == sat)
        order = mine[np.argsort(contact_s[mine, 0], kind="mergesort")]
        run = run_operations(budget, span_s, sunlit, contact_s[order], data_rate_bytes_s=rate[order], rule=rule)
        runs.append(run)
        parts.append(run.windows)
        where[order] = base + np.arange(order.size)
        base += order.size
        if n_contacts == 0:  # candidate windows, none scheduled (e.g. none with any value): nothing operates
            continue
        on = contacts.delivering & (plan.contact_satellite[np.maximum(contacts.contact_of_sample, 0)] == sat)
        operated[on] = operated_mask(run, None, time_s[on])
    windows = WindowOperations(**{f: np.concatenate([getattr(w, f) for w in parts])[where]
                                  for f in WindowOperations.__dataclass_fields__})
    return OperationsStage(runs, windows, operated)


# ------------------------------------------------------------------------- `skyswap passes`

@dataclass(frozen=True)
class PassesResult:
    """The candidate windows with their geometry and link columns (the plan's first columns), and
    a function giving per-sample pointing (one row per sample and station)."""

    windows: pd.DataFrame
    samples: Callable[[], pd.DataFrame]  # built only when asked for


def plan_passes(scenario: Scenario, threads: int | None = None, progress=None) -> PassesResult:
    """The plan's stages up to the channel: orbit → windows → candidates → samples → channel → table.

    ``progress``, if given, is called as ``progress(stage, done, total)`` between the stages.
    """
    tick = progress or (lambda stage, done, total: None)
    threads = default_threads(1) if threads is None else threads
    tick("orbit", 0, 4)
    orbit = orbit_stage(scenario.satellites, scenario.span)
    tick("pass windows", 1, 4)
    sites = sites_of(scenario.stations, scenario.elevation_mask_deg)
    windows = window_stage(orbit, sites, scenario.night.sun_elevation_max_deg, scenario.min_window_duration_s,
                           scenario.station_pairs)
    cands = candidate_windows(windows, scenario.payload_mode.station_pairs)
    tick("geometry and link", 2, 4)
    smp = sample_stage(orbit, sites, cands, scenario.sample_step_s, threads)
    ch = channel_stage(smp, list(scenario.stations), scenario.payload.transmitter,
                       scenario.payload.source.wavelength_nm, scenario.channel, threads)
    tick("table", 3, 4)
    names = [s.name for s in scenario.stations]
    table = tables.window_table(orbit.t0, scenario.payload_mode, names, orbit.names, cands, smp, ch)
    ids = table["pass_id"].to_numpy()
    tick("done", 4, 4)
    return PassesResult(tables.finish_times(table, orbit.t0),
                        lambda: tables.pointing_table(orbit.t0, names, ids, cands, smp, ch))


# ---------------------------------------------------------------------------------- weather

def weather_stage(model: WeatherModel, orbit: OrbitStage, stations: list[Station], cloud_monthly: dict,
                  default_clear: float, cands: Candidates, contacts: ContactStage,
                  totals: schedule.ContactTotals) -> WeatherStage:
    """The year drawn ``model.draws`` times over the scheduled contacts: each delivers its heralded
    pairs when every sky it needs is clear (``cloud_monthly``: each station's monthly clear
    probability, ``default_clear`` where none is given [1])."""
    plan = contacts.plan
    w = plan.contact_window
    drawn = DrawnContacts(cands.station_a[w], cands.station_b[w], plan.contact_start_s, plan.contact_end_s,
                          totals.heralded_pairs, totals.qber)
    years = {"weather": draw_year(model, orbit.t0, orbit.span_s, stations, cloud_monthly, default_clear, drawn)
             } if model.draws else {}
    return WeatherStage(model, drawn, years)


# ------------------------------------------------------------------------------------ `plan`

@dataclass(frozen=True)
class PlanStages:
    """Every stage's result of one plan, in the order :func:`run_stages` makes them (``skyswap
    compare`` reads them; :func:`mission_result` turns them into the tables, summary and report).

    ``cloud_sources`` says where each station's cloud statistics come from (``summary.json``'s
    ``clouds``); ``totals`` is what each scheduled contact delivered.
    """

    orbit: OrbitStage
    windows: list[WindowStage]
    candidates: Candidates
    samples: SampleStage
    channel: ChannelStage | None
    payload: PayloadStage
    contacts: ContactStage
    operations: OperationsStage
    totals: schedule.ContactTotals
    weather: WeatherStage
    cloud_sources: dict


def run_stages(scenario: Scenario, workers: int = 1, progress=None, threads: int | None = None) -> PlanStages:
    """The pipeline, top to bottom: orbit → windows → candidates → samples, channel, payload →
    contact plan → SWaP scheduler → what each contact delivered → the weather drawn over them.

    ``workers`` processes take time chunks of the windows; inside each, ``threads`` threads (default:
    the cores shared among the workers) take stations and sample chunks. Neither changes a number.
    """
    tick = progress or (lambda stage, done, total: None)
    threads = default_threads(workers) if threads is None else threads
    mode, stations, cfg = scenario.payload_mode, list(scenario.stations), scenario.channel

    tick("orbit", 0, 6)
    orbit = orbit_stage(scenario.satellites, scenario.span)
    tick("pass windows", 1, 6)
    sites = sites_of(scenario.stations, scenario.elevation_mask_deg)
    windows = window_stage(orbit, sites, scenario.night.sun_elevation_max_deg, scenario.min_window_duration_s,
                           scenario.station_pairs)
    cands = candidate_windows(windows, mode.station_pairs)
    tick("geometry, link, payload", 2, 6)
    per = per_sample_stages(scenario, orbit, sites, cands, workers, threads)
    tick("contact plan", 3.5, 6)
    cloud_monthly, cloud_sources = clear_sky.cloud_tables(scenario.stations, cfg)
    # the skies the mode's counts see: the stations' clouds, or always clear where clouds touch no count
    sky, default_clear = (cloud_monthly, cfg.cloud_free_probability) if mode.clouds_touch_counts else ({}, 1.0)
    clear = clear_sky.clear_probability(orbit.t0, stations, cands.windows_s[:, 0], cands.station_a, cands.station_b,
                                        sky, default_clear, cfg.cloud_correlation_length_km)
    contacts = contact_stage(scenario.payload.contacts, downlink_telescopes(mode.name, scenario.payload), stations,
                             cands, per.samples, per.payload, clear, scenario.sample_step_s, mode)
    tick("SWaP scheduler", 4, 6)
    budget = scenario.payload.swap_budget
    rule = budget.operating_rule or mode.operating_rule  # the scenario's, else the mode's
    ops = operations_stage(budget, rule, orbit.span_s, [w.sunlit_s for w in windows], per.samples, per.payload,
                           contacts)
    tick("tables", 5, 6)
    totals = schedule.contact_totals(mode, per.samples, per.payload, contacts, ops, scenario.sample_step_s)
    tick("weather draws", 5.5, 6)
    weather = weather_stage(weather_model(scenario.outputs, cfg), orbit, stations, sky, default_clear, cands,
                            contacts, totals)
    return PlanStages(orbit, windows, cands, per.samples, per.channel, per.payload, contacts, ops, totals, weather,
                      cloud_sources)


# ----------------------------------------------------------------------------------- levers

def lever_stage(scenario: Scenario, st: PlanStages, key: dict | None = None,
                threads: int | None = None) -> levers.LeverStage:
    """What would change the headline: each lever of :data:`mission.levers.LEVERS` (and the link
    gain searches) through the channel and payload stages again, on the samples the plan's contacts
    delivered (:func:`mission.levers.evaluation_set`): the same contacts and SWaP schedule, no new
    orbit. ``key`` is ``summary.json``'s ``secret_key`` (the closest contact to a key)."""
    threads = default_threads(1) if threads is None else threads
    mode, cfg = scenario.payload_mode, scenario.channel
    stations, payload = list(scenario.stations), scenario.payload
    wavelength_nm = payload.source.wavelength_nm
    plan = st.contacts.plan
    es = levers.evaluation_set(st.contacts.contact_of_sample, st.operations.operated, len(plan.contact_window))
    sub = st.samples.take_samples(es.index)
    base_ch = None if not mode.channel else channel_stage(sub, stations, payload.transmitter, wavelength_nm, cfg, threads)

    def rates(pl: PayloadStage) -> levers.Rates:
        return levers.Rates(pl.heralded_pair_rate_hz, pl.key_pair_rate_hz, pl.key_qber)

    def evaluate(stations_v, payload_v, link_changed: bool = False, gain_db: float = 0.0) -> levers.Rates:
        ch = base_ch
        if ch is not None and link_changed:
            ch = channel_stage(sub, stations_v, payload_v.transmitter, wavelength_nm, cfg, threads)
        if ch is not None and gain_db:
            ch = replace(ch, transmittance=np.minimum(ch.transmittance * channel.from_db(-gain_db), 1.0))
        return rates(payload_stage(mode, payload_v, sub, ch, threads, budget=False))

    masks = np.array([s.elevation_mask_deg if s.elevation_mask_deg is not None else scenario.elevation_mask_deg
                      for s in stations], dtype=float)
    elevations = [sub.leg("elevation_deg", i) for i in range(len(sub.legs))]
    leg_masks = [masks[sub.station_of_row[leg]] for leg in sub.legs]
    pl = st.payload
    idx = es.index
    base = levers.Baseline(st.totals.heralded_pairs, _key_pairs(st, scenario.sample_step_s, mode),
                           st.contacts.clear_probability[plan.contact_window],
                           levers.Rates(pl.heralded_pair_rate_hz[idx], pl.key_pair_rate_hz[idx], pl.key_qber[idx])
                           if not mode.stored else rates(payload_stage(mode, payload, sub, None, 1, budget=False)),
                           mode.stored)
    closest = None
    if key and key.get("closest_contact_heralded_pairs_needed") is not None:
        closest = (float(key["closest_contact_heralded_pairs"]), float(key["closest_contact_heralded_pairs_needed"]))
    return levers.run_levers(levers.LEVERS, mode.channel, stations, payload, evaluate, base, es,
                             lambda deg: levers.mask_keep(elevations, leg_masks, deg), closest)


def _key_pairs(st: PlanStages, step_s: float, mode: PayloadMode) -> np.ndarray:
    """Each contact's pairs under the squash rule (the key's): the heralded pairs, or, where the
    payload discards double clicks, the sum of its key pair rate. [1]"""
    pl, contacts, ops = st.payload, st.contacts, st.operations
    if pl.key_pair_rate_hz is pl.heralded_pair_rate_hz or mode.stored:
        return st.totals.heralded_pairs
    on = np.flatnonzero(ops.operated)
    n_c = len(contacts.plan.contact_window)
    return np.bincount(contacts.contact_of_sample[on], weights=pl.key_pair_rate_hz[on] * step_s, minlength=n_c)[:n_c]


def mission_result(scenario: Scenario, st: PlanStages, with_levers: bool = True) -> MissionResult:
    """The plan's tables (``passes``, ``schedule``), summary and report inputs from its stages
    (``with_levers``: the summary's ``levers``, :func:`lever_stage`; comparisons and sweeps need none)."""
    names = [s.name for s in scenario.stations]
    orbit, cands = st.orbit, st.candidates
    table = tables.window_table(orbit.t0, scenario.payload_mode, names, orbit.names, cands, st.samples, st.channel)
    ids = table["pass_id"].to_numpy()
    table, samples = passtable.add_payload_columns(table, scenario.payload_mode, cands, st.samples, st.payload,
                                                   st.contacts, st.operations, st.totals, scenario.sample_step_s,
                                                   st.channel)
    contact_table = schedule.schedule_table(orbit.t0, names, orbit.names, ids, cands, st.samples, st.contacts,
                                            st.operations, st.totals)
    table = tables.finish_times(table, orbit.t0)
    span = {"start_utc": scenario.span.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_utc": scenario.span.end_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "days": scenario.span.duration_s / 86400.0}
    summ = summary.build_summary(scenario.name, scenario.hash(), scenario.mode, orbit.names, orbit.infos, table,
                                 contact_table, st.contacts.plan, [s.totals for s in st.operations.runs], span,
                                 st.cloud_sources, summary.distribution_section(st.weather))
    if with_levers:
        summ["levers"] = summary.levers_section(lever_stage(scenario, st, summ["secret_key"]), summ)
    return MissionResult(
        scenario_name=scenario.name, scenario_hash=scenario.hash(),
        scenario_yaml=yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100),
        mode=scenario.mode, passes=table, schedule=contact_table, summary=summ, samples=samples,
        stations=detail.stations_table(scenario.stations), ground_track=detail.ground_track(orbit),
        pass_detail=detail.pass_detail(table, samples, scenario.outputs.report_passes, orbit.t0),
        outputs=scenario.outputs,
    )


def plan(scenario: Scenario, workers: int = 1, progress=None, threads: int | None = None,
         with_levers: bool = True) -> MissionResult:
    """Plan the scenario's whole span (:func:`run_stages`, then :func:`mission_result`).

    ``workers`` processes take time chunks of the windows, ``threads`` threads stations and sample
    chunks inside each (see :func:`run_stages`); neither changes a number. ``with_levers``: the
    summary's ``levers`` (what would change the headline).
    """
    tick = progress or (lambda stage, done, total: None)
    result = mission_result(scenario, run_stages(scenario, workers, tick, threads), with_levers)
    tick("done", 6, 6)
    return result
