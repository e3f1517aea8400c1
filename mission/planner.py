"""The pipeline: the only place that chains the stages.

    Scenario -> OrbitStage -> WindowStage -> Candidates -> SampleStage -> ChannelStage
             -> PayloadStage -> ContactStage -> OperationsStage -> contact totals -> WeatherStage
             -> tables, summary -> MissionResult

Each stage is a pure function of plain arguments and the previous stages' frozen results
(:mod:`mission.stages`); the per-sample stages live in :mod:`mission.persample`, the contact plan,
SWaP scheduler and delivery in :mod:`mission.serving`. Nothing here does physics itself: it unpacks the scenario into the
arguments each stage needs and calls the modules that do. ``skyswap passes`` runs the same stages
up to the channel (:func:`plan_passes`), so its rows and columns are the plan's. Read this file top
to bottom to see how skyswap works.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import yaml

from ..groundstations.catalog import Station
from ..payload.config import PayloadConfig, downlink_telescopes
from . import channel, chunks, levers
from .memory import release_free_memory
from .outputs import detail, passtable, schedule, summary, tables
from .outputs.result import MissionResult
from .parallel import default_threads
from .persample import (
    WorkerPool,
    _samples_channel,
    channel_stage,
    payload_stage,
    per_sample_stages,
    sample_stage,
    station_windows_in_workers,
    worker_pool,
)
from .scenario.schema import Scenario
from .serving import contact_stage, delivery_stage, operations_stage
from .stages import (
    Candidates,
    ContactStage,
    LinkSamples,
    OperationsStage,
    OrbitStage,
    PayloadStage,
    PayloadTotals,
    SampleStage,
    WeatherStage,
    WindowStage,
    orbit_stage,
)
from .weather import clear_sky
from .weather.draws import DrawnContacts, WeatherModel, draw_years, weather_model
from .windows import geometry, passes
from .windows.passes import sites_of

if TYPE_CHECKING:
    import pandas as pd

# ----------------------------------------------------------------------------------- windows

def window_stage(orbit: OrbitStage, sites: list[passes.Site], sun_elevation_max_deg: float,
                 min_duration_s: float, pairs: list[tuple[int, int]], pair_mode: bool,
                 sunlit: bool = True, pool: WorkerPool | None = None) -> list[WindowStage]:
    """For each satellite: usable (visible and dark) windows of every site, common-view windows of
    ``pairs`` and (unless ``sunlit`` is False: only the payload's power needs them) its sunlit
    intervals. ``pair_mode`` (the mode's ``station_pairs``) says which windows are the candidates
    (:func:`candidate_windows`): in a pair mode the pairs' (a pair window's culmination comes from
    its samples, so the stations' culminations are not searched), else the stations' (with their
    culminations). ``sun_elevation_max_deg`` is the night rule [deg], windows shorter than
    ``min_duration_s`` are dropped [s]. With a ``pool`` of processes
    (:func:`mission.persample.worker_pool`; its sites are ``sites``) the stations are searched in
    groups there, the sunlit intervals here meanwhile: the same windows."""
    out = []
    for i, satrec in enumerate(orbit.satrecs):
        futures = [] if pool is None else station_windows_in_workers(
            pool, i, len(sites), sun_elevation_max_deg, min_duration_s, not pair_mode)
        track = passes.coarse_track(satrec, orbit.t0, orbit.span_s) if sunlit or not futures else None
        if futures:
            stations = [w for f in futures for w in f.result()]
        else:
            stations = passes.station_windows(satrec, orbit.t0, orbit.span_s, sites, orbit.sun,
                                              sun_elevation_max_deg, min_duration_s, track, peaks=not pair_mode)
        common = passes.common_view(stations, pairs, min_duration_s)
        lit = geometry.sunlit_intervals(satrec, orbit.t0, orbit.span_s, orbit.sun, track) if sunlit else None
        out.append(WindowStage(sites, stations, common, lit, pair_mode))
    return out


def candidate_windows(windows: list[WindowStage]) -> Candidates:
    """The windows the mode can use (:func:`window_stage`'s ``pair_mode``), satellite by satellite,
    time-ordered per station or pair: every pair's common-view windows (pair modes), every
    station's usable windows otherwise."""
    def cat(xs, shape, dtype=float):
        return np.concatenate(xs).astype(dtype) if xs else np.empty(shape, dtype)

    groups: list[tuple] = []
    for sat, w in enumerate(windows):
        if w.pair_mode:
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


# ------------------------------------------------------------------------- `skyswap passes`

@dataclass(frozen=True)
class PassesResult:
    """The candidate windows with their geometry and link columns (the plan's first columns) as
    ordered columns (``rows``: name → array, the rows sorted as in ``passes.csv``; :attr:`windows`
    is the same table as a frame), and a function giving per-sample pointing (one row per sample
    and station)."""

    rows: dict[str, np.ndarray]
    samples: Callable[[], pd.DataFrame]  # built only when asked for

    @functools.cached_property
    def windows(self) -> pd.DataFrame:
        """``rows`` as a frame (built when first read)."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    def __len__(self) -> int:
        return len(self.rows["pass_id"])


def plan_passes(scenario: Scenario, threads: int | None = None, progress=None, workers: int = 1) -> PassesResult:
    """The plan's stages up to the channel: orbit → windows → candidates → samples → channel → table
    (the samples chunk by chunk, reduced per window; the per-sample pointing is computed again
    when asked for).

    The stations' window search and the chunks run on ``workers`` processes (forked where the
    platform can; ``skyswap passes``: one per core) where there are several, else on ``threads``
    threads (default: one per core; shared among the processes): a chunk sends back its windows'
    columns only, and in processes the Python between numpy's calls (on ~6,500-row station slices)
    does not wait for one interpreter. The table is the same either way.
    ``progress``, if given, is called as ``progress(stage, done, total)`` between the stages.
    """
    tick = progress or (lambda stage, done, total: None)
    threads = default_threads(1) if threads is None else threads
    tick("orbit", 0, 4)
    orbit = orbit_stage(scenario.satellites, scenario.span)
    tick("pass windows", 1, 4)
    sites = sites_of(scenario.stations, scenario.elevation_mask_deg)
    with worker_pool(scenario, workers) as pool:  # forked after the orbit: the workers find its tables made
        windows = window_stage(orbit, sites, scenario.night.sun_elevation_max_deg, scenario.min_window_duration_s,
                               scenario.station_pairs, scenario.payload_mode.station_pairs, sunlit=False,
                               pool=pool)
        cands = candidate_windows(windows)
        tick("geometry and link", 2, 4)
        per = per_sample_stages(scenario, orbit, sites, cands, workers, threads, with_payload=False,
                                keep_samples=False, pool=pool)
    tick("table", 3, 4)
    names = [s.name for s in scenario.stations]
    rows = tables.window_rows(scenario.payload_mode, names, orbit.names, cands, per.columns)
    ids = rows["pass_id"]

    def pointing() -> pd.DataFrame:
        smp, ch = _samples_channel(scenario, orbit, sites, cands, threads, True)
        return tables.pointing_table(orbit.t0, names, ids, cands, smp, ch)

    tick("done", 4, 4)
    return PassesResult(tables.finished_rows(rows, orbit.t0), pointing)


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

    ``workers`` processes take groups of stations' window searches, then chunks of the windows;
    inside each, ``threads`` threads (default: the cores shared among the workers) take stations
    and sample chunks. Neither changes a number.
    """
    tick = progress or (lambda stage, done, total: None)
    threads = default_threads(workers) if threads is None else threads
    mode, stations, cfg = scenario.payload_mode, list(scenario.stations), scenario.channel

    tick("orbit", 0, 6)
    orbit = orbit_stage(scenario.satellites, scenario.span)
    tick("pass windows", 1, 6)
    sites = sites_of(scenario.stations, scenario.elevation_mask_deg)
    with worker_pool(scenario, workers) as pool:  # forked after the orbit: the workers find its tables made
        windows = window_stage(orbit, sites, scenario.night.sun_elevation_max_deg, scenario.min_window_duration_s,
                               scenario.station_pairs, mode.station_pairs, pool=pool)
        cands = candidate_windows(windows)
        tick("geometry, link, payload", 2, 6)
        per = per_sample_stages(scenario, orbit, sites, cands, workers, threads, pool=pool)
    smp, payload, rate = per.samples, per.payload, per.pair_rate_hz
    assert smp is not None and payload is not None and rate is not None
    table = tables.window_table(mode, [s.name for s in stations], orbit.names, cands, per.columns)
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
    ops = operations_stage(mode, scenario.payload, rule, orbit.span_s, [w.sunlit for w in windows], smp, payload,
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
        import pandas as pd

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
    ops = operations_stage(mode, payload, rule, st.orbit.span_s, [w.sunlit for w in st.windows], st.samples, rates,
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
