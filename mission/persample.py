"""The per-sample stages of the pipeline (:mod:`mission.planner` chains them): the samples'
geometry, the channel and the payload, run chunk by chunk of windows (:func:`per_sample_stages`)
and reduced per window at once, in this process's threads or in worker processes.

    Candidates -> SampleStage -> ChannelStage -> PayloadStage -> per-window columns and totals

Every number depends only on its own time and station, and every reduction on its own window, so
the result is the same for any number of workers or threads.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..groundstations.catalog import Station
from ..groundstations.channel_config import ChannelConfig
from ..payload.config import PayloadConfig, onboard_event_rate_hz
from ..payload.modes import PayloadMode
from ..payload.ragged import ragged_reduce
from ..payload.swap import BUDGET_TERMS, swap_performance, swap_performance_chunked
from . import channel, chunks
from .outputs import tables
from .parallel import exit_with_parent, ordered_map, process_pool, thread_map
from .scenario.errors import InputError
from .scenario.schema import MAX_RUN_SAMPLES, MAX_WINDOW_SAMPLES, Scenario
from .stages import (
    Candidates,
    ChannelStage,
    LinkSamples,
    OrbitStage,
    PayloadStage,
    PayloadTotals,
    RowLink,
    RowPointing,
    SampleStage,
    concat_samples,
    gather,
    orbit_stage,
)
from .windows import geometry, passes
from .windows.passes import sites_of

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
    counts = np.maximum(np.diff(offsets), 1)
    whole = pl.window_totals(step_s, offsets)
    return PayloadTotals(_per_window(whole),
                         _per_window(pl.window_totals(step_s, offsets, operated=np.zeros(pl.bsm_herald_rate_hz.size, bool),
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


_WORKER: dict = {}  # a worker process's scenario, orbit and sites (set once per process)


def _start_worker(scenario: Scenario, parent_pid: int) -> None:
    exit_with_parent(parent_pid)
    _WORKER.update(scenario=scenario, orbit=orbit_stage(scenario.satellites, scenario.span),
                   sites=sites_of(scenario.stations, scenario.elevation_mask_deg))


@dataclass(frozen=True)
class WorkerPool:
    """Worker processes of :func:`worker_pool`: the executor and how many processes it runs."""

    executor: concurrent.futures.ProcessPoolExecutor
    size: int


@contextlib.contextmanager
def worker_pool(scenario: Scenario, workers: int) -> Iterator[WorkerPool | None]:
    """``workers`` processes (forked where the platform can) that know the scenario, its orbit and
    sites, for the stages that split their work between processes (the stations' window search,
    the per-sample chunks); None for one worker. Each ends with this process."""
    if workers <= 1:
        yield None
        return
    with process_pool(workers, _start_worker, (scenario, os.getpid())) as executor:
        yield WorkerPool(executor, workers)


def station_windows_in_workers(pool: WorkerPool, satellite: int, n_sites: int, sun_elevation_max_deg: float,
                               min_duration_s: float, peaks: bool):
    """Futures of the stations' windows (:func:`mission.windows.passes.station_windows`) of one
    satellite, the sites split in contiguous groups, one per worker; each worker searches its
    satellite's coarse track itself. Every site's windows depend on that site alone (each
    crossing and peak is refined on its own), so the groups' lists joined in order are the list
    one search of all sites gives (test)."""
    split = [g for g in np.array_split(np.arange(n_sites), pool.size) if g.size]
    return [pool.executor.submit(_station_windows_in_worker, satellite, g.tolist(), sun_elevation_max_deg,
                                 min_duration_s, peaks) for g in split]


def _station_windows_in_worker(satellite: int, site_indices: list[int], sun_elevation_max_deg: float,
                               min_duration_s: float, peaks: bool):
    orbit = _WORKER["orbit"]
    satrec = orbit.satrecs[satellite]
    track = passes.coarse_track(satrec, orbit.t0, orbit.span_s)
    return passes.station_windows(satrec, orbit.t0, orbit.span_s, [_WORKER["sites"][k] for k in site_indices],
                                  orbit.sun, sun_elevation_max_deg, min_duration_s, track, peaks=peaks)


def _chunk_in_worker(args) -> chunks.Chunk:
    part, windows, threads, with_payload, keep_samples = args
    done = _chunk(_WORKER["scenario"], _WORKER["orbit"], _WORKER["sites"], part, windows, threads, with_payload)
    # what the joiner would drop is not sent back (a chunk's rows are ~50 B a sample)
    return done if keep_samples else done.per_window()


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


def check_sample_count(counts: np.ndarray, step_s: float) -> None:
    """Refuse a run whose candidate windows (``counts``: each one's samples at ``step_s``) hold more
    than :data:`MAX_RUN_SAMPLES` samples in all, or more than :data:`MAX_WINDOW_SAMPLES` in one,
    before any is computed, naming the step that would fit. [s]

    Raises
    ------
    InputError
        Naming ``sample_step_s``, the count and the step at which the windows would fit.
    """
    total = int(np.sum(counts))
    largest = int(np.max(counts)) if len(counts) else 0
    for held, limit, what, bound in ((total, MAX_RUN_SAMPLES, "the windows found hold", "a run computes"),
                                     (largest, MAX_WINDOW_SAMPLES, "the longest window holds", "one window may hold")):
        if held > limit:
            fits = step_s * held / limit
            raise InputError("sample_step_s", step_s,
                             f"{what} {held:.3g} samples at this step, more than the {limit:.0e} {bound} (memory, "
                             f"time); use sample_step_s >= {fits:.2g} s, a shorter span, fewer stations or "
                             "satellites, or a higher elevation_mask_deg")


def per_sample_stages(scenario: Scenario, orbit: OrbitStage, sites, cands: Candidates, workers: int = 1,
                      threads: int = 1, with_payload: bool = True, keep_samples: bool = True,
                      pool: WorkerPool | None = None) -> PerSample:
    """Samples, channel and payload of every candidate window, chunk by chunk of windows
    (:func:`mission.chunks.time_chunks`), each chunk reduced per window before the next starts, so
    that per-sample arrays of about one chunk per thread exist at a time. With ``workers > 1`` the
    chunks are computed in as many processes (``threads`` shared among them), else on ``threads``
    threads (numpy and the swap model release the GIL; SGP4 does not, so a chunk's propagation
    overlaps another's geometry).
    Every number depends only on its own time and station, and every reduction on its own window,
    so the result is the same for any ``workers`` or ``threads``. Without ``keep_samples`` only the
    windows' columns and totals are kept (``skyswap passes``: no per-sample arrays joined).
    ``pool``: the caller's :func:`worker_pool` (then its processes are the ``workers``; else a pool
    is started here where ``workers > 1``). A run whose windows hold more samples than
    :data:`MAX_RUN_SAMPLES` (or one more than :data:`MAX_WINDOW_SAMPLES`) is refused before any is
    computed (:func:`check_sample_count`)."""
    step = scenario.sample_step_s
    counts = geometry.grid_counts(cands.windows_s, step)
    check_sample_count(counts, step)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    parts = chunks.time_chunks(cands, np.diff(offsets))
    joined = chunks.Joiner(offsets, 2 if cands.pair else 1, keep_samples)
    workers = pool.size if pool is not None else workers
    if workers > 1 and len(parts) > 1:
        procs = min(workers, len(parts))
        jobs = [(cands.take(w), w, max(1, threads // procs), with_payload, keep_samples) for w in parts]
        with contextlib.ExitStack() as stack:
            use = pool if pool is not None else stack.enter_context(worker_pool(scenario, procs))
            assert use is not None  # procs > 1
            for done in use.executor.map(_chunk_in_worker, jobs):
                joined.add(done)
    else:  # several chunks: one thread each; one chunk: its stations and sample chunks on the threads
        inner = threads if len(parts) == 1 else 1
        for done in ordered_map(lambda w: _chunk(scenario, orbit, sites, cands.take(w), w, inner, with_payload),
                                parts, threads):
            joined.add(done)
    return PerSample(*joined.result())


