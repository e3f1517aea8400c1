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
import dataclasses
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import yaml

from ..groundstations.catalog import Station
from ..groundstations.channel_config import ChannelConfig
from ..payload.config import PayloadConfig, downlink_telescopes, onboard_event_rate_hz
from ..payload.fidelity import window_totals
from ..payload.modes import PayloadMode
from ..payload.onboard import plan_onboard
from ..payload.operations import WindowOperations, operated_mask
from ..payload.operations.run import run_operations
from ..payload.ragged import ragged_reduce
from ..payload.storage import recorded_data_rate_bytes_s
from ..payload.swap import BUDGET_TERMS, swap_performance, swap_performance_chunked
from . import channel, chunks, levers
from .contacts.settings import ContactSettings, weight_indices
from .memory import release_free_memory
from .orbits import frames, skydata
from .orbits.sources import build_orbit
from .outputs import detail, passtable, schedule, summary, tables
from .outputs.result import MissionResult
from .parallel import default_threads, ordered_map, thread_map
from .scenario.schema import Orbit, Scenario
from .stages import (
    Candidates,
    ChannelStage,
    ContactStage,
    LinkSamples,
    OperationsStage,
    OrbitStage,
    PayloadStage,
    PayloadTotals,
    RowLink,
    RowPointing,
    SampleStage,
    WeatherStage,
    WindowStage,
    concat_samples,
    gather,
)
from .weather import clear_sky
from .weather.draws import DrawnContacts, WeatherModel, draw_years, weather_model
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
        link = channel.link_budget(r.elevation_deg[sel], r.range_km[sel], st, transmitter, wavelength_nm, cfg)
        total[sel] = link.total
        terms.put(sel, link.terms_db)
        sky[sel], dark[sel] = channel.noise_probabilities(
            r.sun_elevation_deg[sel], r.moon_elevation_deg[sel], r.moon_illumination[sel], st, wavelength_nm, cfg)

    thread_map(station, range(starts.size), threads)
    return ChannelStage(total, channel.to_db(total), sky, dark, terms.arrays())


# ---------------------------------------------------------------------------------- payload

#: The swap model's outputs the payload stage keeps per sample.
PAYLOAD_FIELDS = ("bsm_herald_rate_hz", "heralded_pair_rate_hz", "fidelity", "qber", "chsh_s", "key_pair_rate_hz",
                  "key_qber")


def payload_stage(mode: PayloadMode, payload: PayloadConfig, legs: tuple, ch: ChannelStage | RowLink | None,
                  threads: int = 1, budget: bool = True) -> PayloadStage:
    """The swap model on every sample, in fixed chunks on ``threads`` threads
    (:func:`payload.swap.swap_performance_chunked`); each leg's link is read chunk by chunk through
    its rows (``legs``: each sample's row, per leg). ``ch`` is None where no photon leaves the
    satellite (a mode without a channel): the rates do not depend on any link and one evaluation
    gives them all. Without ``budget`` the fidelity budget is left out (``infidelity`` empty; the
    levers need none)."""
    n = legs[0].size
    events = np.full(n, onboard_event_rate_hz(mode.name, payload))
    if ch is None:
        one = swap_performance(mode.name, np.ones(1), np.ones(1), np.zeros(1), np.zeros(1), payload=payload)
        full = {f: np.full(n, float(getattr(one, f)[0])) for f in PAYLOAD_FIELDS}
        return PayloadStage(**full, infidelity={k: np.full(n, float(one.infidelity[k][0])) for k in BUDGET_TERMS}
                            if budget else {}, event_rate_hz=events)
    a = legs[0]
    b = legs[1] if len(legs) > 1 else None

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


def _per_window(tot: dict) -> dict:
    """:func:`payload.fidelity.window_totals` without its per-sample terms."""
    return {k: v for k, v in tot.items() if not k.startswith("sample_")}


def payload_totals(pl: PayloadStage, offsets: np.ndarray, step_s: float) -> PayloadTotals:
    """The payload stage reduced per window (``offsets`` delimit the windows' samples, ``step_s``
    is the sample step [s]): served whole, not served, and the mean event and BSM-herald rates."""
    args = (pl.bsm_herald_rate_hz, pl.heralded_pair_rate_hz, pl.fidelity, pl.qber, pl.chsh_s, pl.infidelity, step_s, offsets)
    counts = np.maximum(np.diff(offsets), 1)
    whole = window_totals(*args)
    return PayloadTotals(_per_window(whole),
                         _per_window(window_totals(*args, operated=np.zeros(pl.bsm_herald_rate_hz.size, bool),
                                                   same_samples=whole)),
                         ragged_reduce(pl.event_rate_hz, offsets, np.add, 0.0) / counts,
                         ragged_reduce(pl.bsm_herald_rate_hz, offsets, np.add, 0.0) / counts)


# ------------------------------------------------- samples -> channel -> payload, chunk by chunk

def _samples_channel(scenario: Scenario, orbit: OrbitStage, sites, part: Candidates, threads: int,
                     with_link: bool) -> tuple[SampleStage, ChannelStage | None]:
    smp = sample_stage(orbit, sites, part, scenario.sample_step_s, threads)
    ch = None if not with_link else channel_stage(
        smp, list(scenario.stations), scenario.payload.transmitter, scenario.payload.source.wavelength_nm,
        scenario.channel, threads)
    return smp, ch


def _chunk(scenario: Scenario, orbit: OrbitStage, sites, part: Candidates, windows: np.ndarray, threads: int,
           with_payload: bool) -> chunks.Chunk:
    """Samples → channel → payload of one chunk of windows (``part``, the candidates ``windows``),
    reduced at once: the windows' table columns and payload totals, each sample's rows and pair
    rate, and each row's time, pointing and link. Without the payload (``skyswap passes``) the
    link is computed in every mode."""
    smp, ch = _samples_channel(scenario, orbit, sites, part, threads,
                               scenario.payload_mode.channel or not with_payload)
    totals, rate = None, None
    if with_payload:
        pl = payload_stage(scenario.payload_mode, scenario.payload, smp.legs,
                           ch if scenario.payload_mode.channel else None, threads)
        totals, rate = payload_totals(pl, smp.offsets, scenario.sample_step_s), pl.heralded_pair_rate_hz
    r = smp.rows
    link = None if ch is None else RowLink(ch.transmittance, ch.sky_probability, ch.dark_probability)
    return chunks.Chunk(windows, tables.window_columns(part, smp, ch), totals, rate,
                        RowPointing(r.time_s, r.azimuth_deg, r.elevation_deg), link, smp.legs)


_WORKER: dict = {}  # a chunk worker process's scenario, orbit and sites (set once per process)


def _start_worker(scenario: Scenario) -> None:
    _WORKER.update(scenario=scenario, orbit=orbit_stage(scenario.satellites, scenario.span),
                   sites=sites_of(scenario.stations, scenario.elevation_mask_deg))


def _chunk_in_worker(args) -> chunks.Chunk:
    part, windows, threads, with_payload = args
    return _chunk(_WORKER["scenario"], _WORKER["orbit"], _WORKER["sites"], part, windows, threads, with_payload)


@dataclass(frozen=True)
class PerSample:
    """The per-sample stages of every candidate window, reduced (:func:`per_sample_stages`).

    ``samples`` is what the plan keeps of them (None where they were not kept), ``columns`` the
    windows' table columns
    (:func:`mission.outputs.tables.window_columns`), ``payload`` their payload totals and
    ``pair_rate_hz`` each sample's heralded pairs per second, which the contact plan weighs (both
    None when the payload was not asked for). [Hz]
    """

    samples: LinkSamples | None
    columns: dict
    payload: PayloadTotals | None
    pair_rate_hz: np.ndarray | None


def per_sample_stages(scenario: Scenario, orbit: OrbitStage, sites, cands: Candidates, workers: int = 1,
                      threads: int = 1, with_payload: bool = True, keep_samples: bool = True) -> PerSample:
    """Samples, channel and payload of every candidate window, chunk by chunk of windows
    (:func:`mission.chunks.time_chunks`), each chunk reduced per window before the next starts, so
    that per-sample arrays of about one chunk per thread exist at a time. With ``workers > 1`` the
    chunks are computed in as many processes, else on ``threads`` threads (numpy and the swap
    model release the GIL; SGP4 does not, so a chunk's propagation overlaps another's geometry).
    Every number depends only on its own time and station, and every reduction on its own window,
    so the result is the same for any ``workers`` or ``threads``. Without ``keep_samples`` only the
    windows' columns and totals are kept (``skyswap passes``: no per-sample arrays joined)."""
    step = scenario.sample_step_s
    offsets = np.concatenate([[0], np.cumsum(geometry.grid_counts(cands.windows_s, step))])
    parts = chunks.time_chunks(cands, np.diff(offsets))
    jobs = [(cands.take(w), w, threads, with_payload) for w in parts]
    joined = chunks.Joiner(offsets, 2 if cands.pair else 1, keep_samples)
    if workers > 1 and len(parts) > 1:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with concurrent.futures.ProcessPoolExecutor(min(workers, len(parts)), initializer=_start_worker,
                                                    initargs=(scenario,),
                                                    mp_context=multiprocessing.get_context(method)) as pool:
            for done in pool.map(_chunk_in_worker, jobs):
                joined.add(done)
    else:  # several chunks: one thread each; one chunk: its stations and sample chunks on the threads
        inner = threads if len(parts) == 1 else 1
        for done in ordered_map(lambda job: _chunk(scenario, orbit, sites, job[0], job[1], inner, with_payload),
                                jobs, threads):
            joined.add(done)
    return PerSample(*joined.result())


# --------------------------------------------------------------------------------- contacts

def contact_stage(settings: ContactSettings, telescopes: int, stations: list[Station], cands: Candidates,
                  smp: LinkSamples, pair_rate_hz: np.ndarray, clear: np.ndarray, step_s: float,
                  mode: PayloadMode, workers: int = 1) -> ContactStage:
    """The conflict-free contact plan: which candidate window each downlink telescope and each
    station serves when (mission.contacts.plan), valuing a window's samples by the expected,
    cloud-weighted heralded pairs they would deliver (``pair_rate_hz``, per sample [Hz]; a mode
    whose counts are stored on board: the downlink seconds, which carry the records down by radio;
    clouds do not touch them).

    ``telescopes`` is the satellites' count of downlink telescopes [1], ``clear`` each window's
    clear-sky probability [1], ``step_s`` the sample step [s]; ``workers`` processes solve the
    plan's groups of windows (the plan is the same for any number).
    """
    counts = np.diff(smp.offsets)
    value = (np.ones(smp.n_samples) if mode.stored else pair_rate_hz) * step_s
    value *= np.repeat(clear, counts)  # the pairs each sample would deliver, weighted by clear skies
    np.nan_to_num(value, copy=False)
    from .contacts.plan import CandidateWindows, Resources, plan_contacts, window_weights  # scipy: only a plan needs it

    windows = CandidateWindows(cands.satellite, cands.station_a, cands.station_b, cands.windows_s[:, 0],
                               cands.windows_s[:, 1], smp.time_s, value, smp.offsets)
    used = int(max(cands.station_a.max(initial=-1), cands.station_b.max(initial=-1))) + 1  # stations the windows use
    resources = Resources(telescopes, settings.retarget_s, [st.retarget_s for st in stations][:used])
    weights = window_weights(cands.station_a, cands.station_b, *weight_indices(settings.weights, [st.name for st in stations]))
    plan = plan_contacts(windows, resources, settings.policy, weights, milp_time_limit_s=settings.milp_time_limit_s,
                         workers=workers)
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

def operations_stage(mode: PayloadMode, payload: PayloadConfig, rule: str, span_s: float, sunlit_s: list[np.ndarray],
                     smp: LinkSamples, totals: PayloadTotals, contacts: ContactStage) -> OperationsStage:
    """The SWaP scheduler of each satellite over the whole span, with its scheduled contacts as the
    windows (``sunlit_s``: each satellite's sunlit intervals [s]; ``totals``: each window's mean event
    and BSM-herald rates, which fill the data store).

    A mode whose photons go down runs the payload for its contacts under the operating ``rule``
    (which seconds of each contact it serves). A mode whose counts are stored on board
    (``mode.stored``) runs :func:`payload.onboard.plan_onboard`: the payload operates whenever the
    budget allows, under :func:`payload.onboard.onboard_rule`, and the contacts drain its store
    over the classical downlink.
    """
    budget = payload.swap_budget
    plan = contacts.plan
    rate = recorded_data_rate_bytes_s(totals.mean_event_rate_hz, totals.mean_bsm_herald_rate_hz,
                                      budget.data)[plan.contact_window]
    contact_s = np.column_stack([plan.contact_start_s, plan.contact_end_s])
    n_contacts = contact_s.shape[0]
    runs, parts, onboard, where = [], [], [], np.empty(n_contacts, int)
    operated = np.zeros(smp.n_samples, bool)
    time_s = smp.time_s
    base = 0
    for sat, sunlit in enumerate(sunlit_s):
        mine = np.flatnonzero(plan.contact_satellite == sat)
        order = mine[np.argsort(contact_s[mine, 0], kind="mergesort")]
        if mode.stored:
            onboard.append(plan_onboard(payload, span_s, sunlit, contact_s[order]))
            run = onboard[-1].operations
        else:
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
    return OperationsStage(runs, windows, operated, onboard)


# -------------------------------------------------------------------------------- delivery

def delivery_stage(mode: PayloadMode, payload: PayloadConfig, smp: LinkSamples, unserved: dict, contacts: ContactStage,
                   ops: OperationsStage, step_s: float, threads: int = 1,
                   served_whole: dict | None = None) -> tuple[schedule.ContactTotals, dict]:
    """What the scheduled contacts delivered, per contact and per window: the swap model again, on
    the samples of the windows the plan serves only (chunk by chunk, from each row's kept link),
    summed over the samples the payload operated in per contact
    (:func:`mission.outputs.schedule.contact_totals`) and per window
    (:func:`payload.fidelity.window_totals`). A window the plan does not serve keeps its totals
    of ``unserved`` (nothing operated). ``step_s`` is the sample step. [s]

    The model is evaluated on the operated samples only: in a window that delivered pairs the others
    weigh nothing, so they enter the sums as zeros either way (the same floats; a window that
    delivered none is evaluated whole, its means weigh every sample). ``served_whole`` (the payload
    stage's totals of every sample of each window, :class:`mission.stages.PayloadTotals`, for this
    ``payload``): a window operated throughout by one contact under the squash rule delivered
    exactly those totals, taken from there instead of evaluated again.
    """
    plan = contacts.plan
    counts = np.diff(smp.offsets)
    windows = {k: np.array(v, copy=True) for k, v in unserved.items()}
    fields = [f.name for f in dataclasses.fields(schedule.ContactTotals)]
    per_contact: dict[str, np.ndarray] = {}
    parts = chunks.consecutive_chunks(np.unique(plan.contact_window), counts)
    inner = threads if len(parts) == 1 else 1
    reuse = served_whole if (served_whole is not None and not mode.stored
                             and payload.double_clicks == "squash") else None

    def evaluate(at, need):  # the payload stage on the samples ``at``, where ``need`` (all if None)
        if need is None or need.all():
            return payload_stage(mode, payload, tuple(leg[at] for leg in smp.legs), smp.link, inner)
        return _scattered(payload_stage(mode, payload, tuple(leg[at[need]] for leg in smp.legs), smp.link, inner),
                          need)

    def deliver(idx):
        at = smp.window_samples(idx)
        operated = ops.operated[at]
        offsets = np.concatenate([[0], np.cumsum(counts[idx])])
        whole = np.zeros(idx.size, bool) if reuse is None else _whole_windows(idx, offsets, operated, contacts,
                                                                              reuse["heralded_pairs"])
        in_whole = np.repeat(whole, counts[idx])
        pl = evaluate(at, None if mode.stored else operated & ~in_whole)
        counted = operated & ~in_whole  # the whole windows' contacts are taken from ``reuse`` below
        part = schedule.contact_totals(
            mode, smp, pl, ContactStage(plan, contacts.clear_probability, contacts.delivering[at],
                                        contacts.contact_of_sample[at]),
            dataclasses.replace(ops, operated=counted), step_s)
        got = window_totals(pl.bsm_herald_rate_hz, pl.heralded_pair_rate_hz, pl.fidelity, pl.qber, pl.chsh_s,
                            pl.infidelity, step_s, offsets, operated=operated)
        if not mode.stored:  # a window without pairs weighs all its samples: evaluate it whole
            again = ~((got["heralded_pairs"] > 0) & (got["bsm_heralds"] != 0)) & ~whole
            if again.any():
                at_again = smp.window_samples(idx[again])
                pl_again = evaluate(at_again, None)
                redo = window_totals(pl_again.bsm_herald_rate_hz, pl_again.heralded_pair_rate_hz, pl_again.fidelity,
                                     pl_again.qber, pl_again.chsh_s, pl_again.infidelity, step_s,
                                     np.concatenate([[0], np.cumsum(counts[idx[again]])]),
                                     operated=ops.operated[at_again])
                for k in windows:
                    got[k][again] = redo[k]
        if whole.any():
            assert reuse is not None
            for k in windows:
                got[k][whole] = reuse[k][idx[whole]]
            part = _contacts_served_whole(mode, part, plan.contact_window, idx[whole], reuse)
        return idx, part, got

    for idx, part, got in ordered_map(deliver, parts, threads):
        mine = np.isin(plan.contact_window, idx)
        for f in fields:
            if f not in per_contact:
                per_contact[f] = np.array(getattr(part, f), dtype=float, copy=True)
            per_contact[f][mine] = getattr(part, f)[mine]
        for k, v in windows.items():
            v[idx] = got[k]
    return schedule.ContactTotals(**per_contact), windows


def _scattered(pl: PayloadStage, need: np.ndarray) -> PayloadStage:
    """``pl``, evaluated on the samples ``need`` marks, as arrays over all of them (+0.0 elsewhere)."""
    def put(v):
        out = np.zeros(need.size)
        out[need] = v
        return out

    pairs = put(pl.heralded_pair_rate_hz)
    qber = put(pl.qber)
    aliased = pl.key_pair_rate_hz is pl.heralded_pair_rate_hz and pl.key_qber is pl.qber
    return PayloadStage(put(pl.bsm_herald_rate_hz), pairs, put(pl.fidelity), qber, put(pl.chsh_s),
                        {k: put(v) for k, v in pl.infidelity.items()}, put(pl.event_rate_hz),
                        pairs if aliased else put(pl.key_pair_rate_hz), qber if aliased else put(pl.key_qber))


def _whole_windows(idx: np.ndarray, offsets: np.ndarray, operated: np.ndarray, contacts: ContactStage,
                   whole_pairs: np.ndarray) -> np.ndarray:
    """Which of the windows ``idx`` (their samples' ``offsets`` and ``operated`` flags) one contact
    served throughout, and would have delivered pairs served whole (``whole_pairs``, per candidate
    window): their totals are their served-whole totals."""
    n = np.diff(offsets)
    nonempty = n > 0
    starts = offsets[:-1][nonempty]
    all_on = np.zeros(idx.size, bool)
    all_on[nonempty] = np.logical_and.reduceat(operated, starts)
    at = contacts.plan.contact_window
    one_contact = np.bincount(at, minlength=whole_pairs.size)[idx] == 1  # a contact's samples lie in its window
    return all_on & one_contact & (whole_pairs[idx] > 0)


def _contacts_served_whole(mode: PayloadMode, part: schedule.ContactTotals, contact_window: np.ndarray,
                           served: np.ndarray, whole: dict) -> schedule.ContactTotals:
    """``part`` with the contacts of the windows ``served`` (each by one contact, throughout) given
    their windows' served-whole totals (``whole``; the squash rule: the key counts the same pairs)."""
    c = np.flatnonzero(np.isin(contact_window, served))
    w = contact_window[c]
    out = {f.name: np.array(getattr(part, f.name), dtype=float, copy=True) for f in dataclasses.fields(part)}
    for f in ("bsm_heralds", "heralded_pairs", "secret_key_bits", "fidelity", "qber"):
        out[f][c] = whole[f][w]
    out["swaps_fourfold"][c] = whole["heralded_pairs"][w] if mode.swaps else 0.0
    return schedule.ContactTotals(**out)


# ------------------------------------------------------------------------- `skyswap passes`

@dataclass(frozen=True)
class PassesResult:
    """The candidate windows with their geometry and link columns (the plan's first columns), and
    a function giving per-sample pointing (one row per sample and station)."""

    windows: pd.DataFrame
    samples: Callable[[], pd.DataFrame]  # built only when asked for


def plan_passes(scenario: Scenario, threads: int | None = None, progress=None) -> PassesResult:
    """The plan's stages up to the channel: orbit → windows → candidates → samples → channel → table
    (the samples chunk by chunk, reduced per window; the per-sample pointing is computed again
    when asked for).

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
    per = per_sample_stages(scenario, orbit, sites, cands, 1, threads, with_payload=False, keep_samples=False)
    tick("table", 3, 4)
    names = [s.name for s in scenario.stations]
    table = tables.window_table(orbit.t0, scenario.payload_mode, names, orbit.names, cands, per.columns)
    ids = table["pass_id"].to_numpy()

    def pointing() -> pd.DataFrame:
        smp, ch = _samples_channel(scenario, orbit, sites, cands, threads, True)
        return tables.pointing_table(orbit.t0, names, ids, cands, smp, ch)

    tick("done", 4, 4)
    return PassesResult(tables.finish_times(table, orbit.t0), pointing)


# ---------------------------------------------------------------------------------- weather

def weather_stage(model: WeatherModel, orbit: OrbitStage, stations: list[Station], cloud_monthly: dict,
                  default_clear: float, cands: Candidates, contacts: ContactStage,
                  totals: schedule.ContactTotals, downlinks: int) -> WeatherStage:
    """The year drawn ``model.draws`` times over the scheduled contacts: each delivers its heralded
    pairs when every sky it needs is clear (``cloud_monthly``: each station's monthly clear
    probability, ``default_clear`` where none is given [1]); drawn again on the same weather with the
    link model's error on the ``downlinks`` links its pairs cross (the mode's)."""
    plan = contacts.plan
    w = plan.contact_window
    drawn = DrawnContacts(cands.station_a[w], cands.station_b[w], plan.contact_start_s, plan.contact_end_s,
                          totals.heralded_pairs, totals.qber)
    years = draw_years(model, orbit.t0, orbit.span_s, stations, cloud_monthly, default_clear, drawn,
                       downlinks) if model.draws else {}
    return WeatherStage(model, drawn, years, downlinks)


# ------------------------------------------------------------------------------------ `plan`

@dataclass(frozen=True)
class PlanStages:
    """Every stage's result of one plan, in the order :func:`run_stages` makes them (``skyswap
    compare`` reads them; :func:`mission_result` turns them into the tables, summary and report).

    ``samples`` is what the plan keeps of its samples, ``table`` the window table's geometry and
    link (:func:`mission.outputs.tables.window_table`, candidate order), ``payload`` each window's
    payload totals; ``totals`` is what each scheduled contact delivered and ``delivered`` what each
    window delivered (:func:`delivery_stage`); ``cloud_sources`` says where each station's cloud
    statistics come from (``summary.json``'s ``clouds``).
    """

    orbit: OrbitStage
    windows: list[WindowStage]
    candidates: Candidates
    samples: LinkSamples
    table: pd.DataFrame
    payload: PayloadTotals
    contacts: ContactStage
    operations: OperationsStage
    totals: schedule.ContactTotals
    delivered: dict
    weather: WeatherStage
    cloud_sources: dict


def run_stages(scenario: Scenario, workers: int = 1, progress=None, threads: int | None = None) -> PlanStages:
    """The pipeline, top to bottom: orbit → windows → candidates → samples, channel, payload
    (chunk by chunk, reduced per window) → contact plan → SWaP scheduler → what each contact and
    window delivered → the weather drawn over them.

    ``workers`` processes take chunks of the windows; inside each, ``threads`` threads (default:
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
    smp, payload, rate = per.samples, per.payload, per.pair_rate_hz
    assert smp is not None and payload is not None and rate is not None
    table = tables.window_table(orbit.t0, mode, [s.name for s in stations], orbit.names, cands, per.columns)
    del per
    release_free_memory()  # the chunks' arrays are freed: give their pages back
    tick("contact plan", 3.5, 6)
    cloud_monthly, cloud_sources = clear_sky.cloud_tables(scenario.stations, cfg)
    # the skies the mode's counts see: the stations' clouds, or always clear where clouds touch no count
    sky, default_clear = (cloud_monthly, cfg.cloud_free_probability) if mode.clouds_touch_counts else ({}, 1.0)
    clear = clear_sky.clear_probability(orbit.t0, stations, cands.windows_s[:, 0], cands.station_a, cands.station_b,
                                        sky, default_clear, cfg.cloud_correlation_length_km)
    contacts = contact_stage(scenario.payload.contacts,
                             downlink_telescopes(mode.name, scenario.payload.contacts.downlink_telescopes), stations,
                             cands, smp, rate, clear, scenario.sample_step_s, mode, workers)
    del rate  # the contact plan's value: no longer needed
    tick("SWaP scheduler", 4, 6)
    rule = scenario.payload.swap_budget.operating_rule or mode.operating_rule  # the scenario's, else the mode's
    ops = operations_stage(mode, scenario.payload, rule, orbit.span_s, [w.sunlit_s for w in windows], smp, payload,
                           contacts)
    tick("tables", 5, 6)
    totals, delivered = delivery_stage(mode, scenario.payload, smp, payload.unserved, contacts, ops,
                                       scenario.sample_step_s, threads, payload.served_whole)
    release_free_memory()
    tick("weather draws", 5.5, 6)
    weather = weather_stage(weather_model(scenario.outputs, cfg), orbit, stations, sky, default_clear, cands,
                            contacts, totals, mode.downlinks)
    return PlanStages(orbit, windows, cands, smp, table, payload, contacts, ops, totals, delivered, weather,
                      cloud_sources)


def pass_table(scenario: Scenario, st: PlanStages) -> pd.DataFrame:
    """The pass table (``passes.csv``): the window table with what each window's contacts delivered,
    in the tables' row order (all a sweep keeps of a plan)."""
    table = passtable.add_payload_columns(st.table, scenario.payload_mode, st.candidates, st.contacts, st.operations,
                                          st.totals, st.delivered, st.payload.served_whole["heralded_pairs"])
    return tables.finish_times(table, st.orbit.t0)


def sample_table(scenario: Scenario, st: PlanStages) -> Callable[..., pd.DataFrame]:
    """``samples(pass_ids=None)``: the per-sample table of the given passes (all when None),
    computed again for those passes only (geometry, link and payload are not kept per sample
    through the run): its sums over a pass are the pass's totals. Holds the stages' small parts
    only (the orbit, the windows, which samples the payload operated in)."""
    orbit, cands, mode = st.orbit, st.candidates, scenario.payload_mode
    sites = sites_of(scenario.stations, scenario.elevation_mask_deg)
    ids = st.table["pass_id"].to_numpy()
    offsets, operated = st.samples.offsets, st.operations.operated
    counts = np.diff(offsets)
    row_of = {pid: i for i, pid in enumerate(ids)}

    def samples(pass_ids=None) -> pd.DataFrame:
        wanted = np.arange(len(cands)) if pass_ids is None else np.array(sorted(row_of[p] for p in pass_ids), int)
        parts = []
        for idx in chunks.consecutive_chunks(wanted, counts):
            part = cands.take(idx)
            smp, ch = _samples_channel(scenario, orbit, sites, part, 1, mode.channel)
            pl = payload_stage(mode, scenario.payload, smp.legs, ch, 1)
            at = np.repeat(offsets[:-1][idx] - smp.offsets[:-1], counts[idx]) + np.arange(smp.n_samples)
            parts.append(passtable.sample_rows(mode, part, idx, ids, smp, pl, operated[at], scenario.sample_step_s, ch))
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    return samples


# ----------------------------------------------------------------------------------- levers

def evaluation_samples(scenario: Scenario, st: PlanStages, index: np.ndarray, threads: int = 1) -> SampleStage:
    """The geometry of the plan's samples ``index`` (positions in the plan's samples, any order), as
    one window in that order: computed again at those sample times only (each sample as a window
    of its own a quarter step either side of its grid time, through :func:`sample_stage`: the same
    grid time, station and satellite give the same numbers), with the rows they read."""
    index = np.asarray(index, dtype=np.int64)
    order = np.argsort(index, kind="stable")
    wanted = index[order]  # candidate order: grouped by satellite, as sample_stage needs
    window = np.searchsorted(st.samples.offsets, wanted, side="right") - 1
    t = st.samples.rows.time_s[st.samples.legs[0][wanted]]
    half = 0.25 * scenario.sample_step_s
    cands, nan = st.candidates, np.full(wanted.size, np.nan)
    one_each = Candidates(np.stack([t - half, t + half], axis=1), cands.satellite[window], cands.station_a[window],
                          cands.station_b[window], nan, nan)
    sites = sites_of(scenario.stations, scenario.elevation_mask_deg)
    smp = sample_stage(st.orbit, sites, one_each, scenario.sample_step_s, threads)
    assert smp.n_samples == wanted.size, "one grid sample per evaluation sample"
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return smp.take_samples(rank)


def lever_stage(scenario: Scenario, st: PlanStages, key: dict | None = None,
                threads: int | None = None) -> levers.LeverStage:
    """What would change the headline: each lever of :data:`mission.levers.LEVERS` (and the link
    gain searches) through the channel and payload stages again, on the samples the plan's contacts
    delivered (:func:`mission.levers.evaluation_set`, their geometry computed again:
    :func:`evaluation_samples`): the same contacts and SWaP schedule, no new orbit. ``key`` is
    ``summary.json``'s ``secret_key`` (the closest contact to a key)."""
    threads = default_threads(1) if threads is None else threads
    mode, cfg = scenario.payload_mode, scenario.channel
    stations, payload = list(scenario.stations), scenario.payload
    wavelength_nm = payload.source.wavelength_nm
    plan = st.contacts.plan
    es = levers.evaluation_set(st.contacts.contact_of_sample, st.operations.operated, len(plan.contact_window))
    sub = evaluation_samples(scenario, st, es.index, threads)
    base_ch = None if not mode.channel else channel_stage(sub, stations, payload.transmitter, wavelength_nm, cfg, threads)

    def rates(pl: PayloadStage) -> levers.Rates:
        return levers.Rates(pl.heralded_pair_rate_hz, pl.key_pair_rate_hz, pl.key_qber)

    def evaluate(stations_v, payload_v, link_changed: bool = False, gain_db: float = 0.0) -> levers.Rates:
        ch = base_ch
        if ch is not None and link_changed:
            ch = channel_stage(sub, stations_v, payload_v.transmitter, wavelength_nm, cfg, threads)
        if ch is not None and gain_db:
            ch = replace(ch, transmittance=np.minimum(ch.transmittance * channel.from_db(-gain_db), 1.0))
        return rates(payload_stage(mode, payload_v, sub.legs, ch, threads, budget=False))

    masks = np.array([s.elevation_mask_deg if s.elevation_mask_deg is not None else scenario.elevation_mask_deg
                      for s in stations], dtype=float)
    elevations = [sub.leg("elevation_deg", i) for i in range(len(sub.legs))]
    leg_masks = [masks[sub.station_of_row[leg]] for leg in sub.legs]
    legs = sub.legs if not mode.stored else (np.zeros(1, np.int64),)  # stored: one rate for every contact
    base_rates = rates(payload_stage(mode, payload, legs, base_ch, threads, budget=False))
    clear = st.contacts.clear_probability[plan.contact_window]
    base = levers.Baseline(st.totals.heralded_pairs, levers.key_pairs(st.totals.heralded_pairs, base_rates, es, mode.stored),
                           clear, base_rates, mode.stored,
                           (lambda st_v, pl_v: _stored_replan(scenario, st, pl_v, clear, threads)) if mode.stored else None)
    closest = None
    if key and key.get("closest_contact_heralded_pairs_needed") is not None:
        closest = (float(key["closest_contact_heralded_pairs"]), float(key["closest_contact_heralded_pairs_needed"]))
    return levers.run_levers(levers.LEVERS, mode.channel, stations, payload, evaluate, base, es,
                             lambda deg: levers.mask_keep(elevations, leg_masks, deg), closest)


def _stored_replan(scenario: Scenario, st: PlanStages, payload: PayloadConfig, clear: np.ndarray,
                   threads: int) -> dict:
    """A mode whose counts are stored on board, with ``payload`` instead of the scenario's: the SWaP
    scheduler and what the same contacts deliver, again (the rates are one number per mode; the
    contacts' cloud-free probabilities ``clear`` as planned). [1], [bit]"""
    mode, n_w = scenario.payload_mode, len(st.candidates)
    one = payload_stage(mode, payload, (np.zeros(1, np.int64),), None)
    rates = PayloadTotals(st.payload.served_whole, st.payload.unserved, np.full(n_w, float(one.event_rate_hz[0])),
                          np.full(n_w, float(one.bsm_herald_rate_hz[0])))
    rule = payload.swap_budget.operating_rule or mode.operating_rule
    ops = operations_stage(mode, payload, rule, st.orbit.span_s, [w.sunlit_s for w in st.windows], st.samples, rates,
                           st.contacts)
    got, _ = delivery_stage(mode, payload, st.samples, st.payload.unserved, st.contacts, ops, scenario.sample_step_s,
                            threads)
    return {"heralded_pairs": float(got.heralded_pairs.sum()),
            "expected_heralded_pairs": float((got.heralded_pairs * clear).sum()),
            "secret_key_bits": float(got.secret_key_bits.sum())}


def mission_result(scenario: Scenario, st: PlanStages, with_levers: bool = True) -> MissionResult:
    """The plan's tables (``passes``, ``schedule``), summary and report inputs from its stages
    (``with_levers``: the summary's ``levers``, :func:`lever_stage`; comparisons and sweeps need none)."""
    names = [s.name for s in scenario.stations]
    orbit, cands = st.orbit, st.candidates
    ids = st.table["pass_id"].to_numpy()
    contact_table = schedule.schedule_table(orbit.t0, names, orbit.names, ids, cands, st.samples, st.contacts,
                                            st.operations, st.totals)
    table = pass_table(scenario, st)
    span = {"start_utc": scenario.span.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_utc": scenario.span.end_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "days": scenario.span.duration_s / 86400.0}
    summ = summary.build_summary(scenario.name, scenario.hash(), scenario.mode, orbit.names, orbit.infos, table,
                                 contact_table, st.contacts.plan, [s.totals for s in st.operations.runs], span,
                                 st.cloud_sources, summary.distribution_section(st.weather),
                                 st.operations.runs[0].operating_rule if st.operations.runs else None)
    if with_levers:
        summ["levers"] = summary.levers_section(lever_stage(scenario, st, summ["secret_key"]), summ)
    samples = sample_table(scenario, st)
    return MissionResult(
        scenario_name=scenario.name, scenario_hash=scenario.hash(),
        scenario_yaml=yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100),
        mode=scenario.mode, passes=table, schedule=contact_table, summary=summ, samples=samples,
        stations=detail.stations_table(scenario.stations), ground_track=detail.ground_track(orbit),
        pass_detail=detail.pass_detail(table, samples, scenario.outputs.report_passes, orbit.t0),
        outputs=scenario.outputs, nights=detail.nights_table(st.windows[0], orbit.t0),
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
