"""The pipeline: the only place that chains the stages.

    Scenario -> OrbitStage -> WindowStage -> GeometryStage -> ChannelStage -> PayloadStage
             -> OperationsStage -> MissionResult

Each stage is a pure function of the scenario and the previous stages' frozen results; nothing
here does physics itself, it unpacks the scenario into plain arguments and calls the modules that
do. Read this file top to bottom to see how skyswap works.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml

from . import frames, geometry, passes, tables
from .orbit import OrbitInfo, build_orbit
from .parallel import default_threads, thread_map
from .scenario import PAIR_MODES, Scenario


# ------------------------------------------------------------------------------------- orbit

@dataclass(frozen=True)
class OrbitStage:
    """The satellite and the time frame of the span."""

    satrec: object
    info: OrbitInfo
    t0: object  # skyfield Time of the span start
    span_s: float
    sun: frames.BodyTrack
    moon: frames.BodyTrack


def orbit_stage(scenario: Scenario) -> OrbitStage:
    from . import skydata

    satrec, info = build_orbit(scenario.orbit, scenario.span)
    t0 = skydata.timescale().from_datetime(scenario.span.start_utc)
    span_s = scenario.span.duration_s
    sun, moon = frames.body_tracks(float(t0.tt), span_s)
    return OrbitStage(satrec, info, t0, span_s, sun, moon)


# ----------------------------------------------------------------------------------- windows

@dataclass(frozen=True)
class WindowStage:
    """Station windows, common-view windows and the satellite's sunlit intervals. [s]"""

    sites: list[passes.Site]
    stations: list[passes.StationWindows]
    pairs: list[passes.PairWindows]
    sunlit_s: np.ndarray


def sites_of(scenario: Scenario) -> list[passes.Site]:
    """Unpack the scenario's stations into the window search's sites."""
    out = []
    for st in scenario.stations:
        mask = st.elevation_mask_deg if st.elevation_mask_deg is not None else scenario.elevation_mask_deg
        out.append(passes.make_site(st.name, st.latitude_deg, st.longitude_deg, st.altitude_m, mask,
                                    st.horizon_profile or ()))
    return out


def window_stage(scenario: Scenario, orbit: OrbitStage) -> WindowStage:
    sites = sites_of(scenario)
    track = passes.coarse_track(orbit.satrec, orbit.t0, orbit.span_s)  # shared by both searches
    stations = passes.station_windows(
        orbit.satrec, orbit.t0, orbit.span_s, sites, orbit.sun,
        scenario.night.sun_elevation_max_deg, scenario.min_window_duration_s, track,
    )
    pairs = passes.common_view(stations, scenario.station_pairs, scenario.min_window_duration_s)
    sunlit = geometry.sunlit_intervals(orbit.satrec, orbit.t0, orbit.span_s, orbit.sun, track)
    return WindowStage(sites, stations, pairs, sunlit)


# ---------------------------------------------------------------------------------- geometry

@dataclass(frozen=True)
class GeometryStage:
    """Samples for each station's usable windows (``station[k]``) and both legs of each pair's
    common-view windows (``pair_a[p]``, ``pair_b[p]``)."""

    step_s: float
    station: list[geometry.Samples]
    pair_a: list[geometry.Samples]
    pair_b: list[geometry.Samples]


def geometry_stage(scenario: Scenario, orbit: OrbitStage, windows: WindowStage) -> GeometryStage:
    step = scenario.sample_step_s
    all_k = [geometry.grid_indices(w.usable_s, step)[0] for w in windows.stations]
    all_k += [geometry.grid_indices(p.usable_s, step)[0] for p in windows.pairs]
    k = np.concatenate(all_k) if all_k else np.empty(0, np.int64)
    shared = geometry.shared_state(orbit.satrec, orbit.t0, k, step, orbit.sun, orbit.moon)
    station = [
        geometry.sample_leg(shared, windows.sites, np.full(len(w.usable_s), i), w.usable_s, step)
        for i, w in enumerate(windows.stations)
    ]
    pair_a = [geometry.sample_leg(shared, windows.sites, np.full(len(p.usable_s), p.a), p.usable_s, step)
              for p in windows.pairs]
    pair_b = [geometry.sample_leg(shared, windows.sites, np.full(len(p.usable_s), p.b), p.usable_s, step)
              for p in windows.pairs]
    return GeometryStage(step, station, pair_a, pair_b)


# ------------------------------------------------------------------------------- mode windows

@dataclass(frozen=True)
class ModeWindows:
    """The windows the mode uses, flattened into one list.

    Pair modes: every pair's common-view windows (station_a, station_b); single-station modes:
    every station's usable windows (station_b = -1).
    """

    windows_s: np.ndarray  # (n, 2)
    station_a: np.ndarray  # (n,) site index
    station_b: np.ndarray  # (n,) site index, -1 for single-station rows
    culmination_s: np.ndarray  # NaN where it comes from the samples (pairs)


def mode_windows(scenario: Scenario, windows: WindowStage) -> ModeWindows:
    cat = (lambda xs, shape: np.concatenate(xs) if xs else np.empty(shape))
    if scenario.mode in PAIR_MODES:
        iv = [p.usable_s for p in windows.pairs]
        a = [np.full(len(p.usable_s), p.a) for p in windows.pairs]
        b = [np.full(len(p.usable_s), p.b) for p in windows.pairs]
        culm = [np.full(len(p.usable_s), np.nan) for p in windows.pairs]
    else:
        iv = [w.usable_s for w in windows.stations]
        a = [np.full(len(w.usable_s), k) for k, w in enumerate(windows.stations)]
        b = [np.full(len(w.usable_s), -1) for w in windows.stations]
        culm = [w.culmination_s for w in windows.stations]
    return ModeWindows(cat(iv, (0, 2)), cat(a, 0).astype(int), cat(b, 0).astype(int), cat(culm, 0))


# ----------------------------------------------------------------------------------- channel

@dataclass(frozen=True)
class Leg:
    """Per-sample link of one leg (station side) of the mode windows."""

    transmittance: np.ndarray  # link × station optics × detector [1]
    loss_db: np.ndarray
    sky_probability: np.ndarray  # sky-background click per coincidence window [1]
    dark_probability: np.ndarray  # dark click per coincidence window [1]


@dataclass(frozen=True)
class ChannelStage:
    a: Leg | geometry.RowView | None  # None where both photons stay on board
    b: Leg | geometry.RowView | None


def _links(scenario: Scenario, samples: geometry.Samples, slices, threads: int = 1) -> Leg:
    """Link and noise of samples whose stations are given as ``(station index, selection)``;
    stations run on ``threads`` threads."""
    from . import channel

    n = samples.time_s.size
    total, sky, dark = np.zeros(n), np.zeros(n), np.zeros(n)
    wavelength = scenario.payload.source.wavelength_nm

    def station(item):
        k, sel = item
        st = scenario.stations[int(k)]
        link = channel.link_budget(samples.elevation_deg[sel], samples.range_km[sel], st,
                                   scenario.payload.transmitter, wavelength, scenario.channel)
        total[sel] = link.total
        sky[sel], dark[sel] = channel.noise_probabilities(
            samples.sun_elevation_deg[sel], samples.moon_elevation_deg[sel], samples.moon_illumination[sel],
            st, wavelength, scenario.channel)

    thread_map(station, slices, threads)
    return Leg(total, channel.to_db(total), sky, dark)


def _leg(scenario: Scenario, samples: geometry.Samples, station_of_window: np.ndarray) -> Leg:
    """Link of one leg's samples, the station of each window given."""
    station_of_sample = np.repeat(station_of_window, np.diff(samples.offsets))
    return _links(scenario, samples, ((k, station_of_sample == k) for k in np.unique(station_of_sample)))


def _gather_leg(leg: Leg, rows: np.ndarray) -> geometry.RowView:
    """A leg's links read through its rows of the station table (gathered on use)."""
    return geometry.RowView(leg, rows)


# ----------------------------------------------------------------------------------- payload

INFIDELITY_TERMS = ("multi_pair", "hom_distinguishability", "source_imperfection", "background",
                    "dark_counts", "polarisation")


@dataclass(frozen=True)
class PayloadStage:
    """Per-sample payload performance over the mode windows, as if the payload ran throughout."""

    swap_rate_hz: np.ndarray
    heralded_pair_rate_hz: np.ndarray
    fidelity: np.ndarray
    qber: np.ndarray
    chsh_s: np.ndarray
    infidelity: dict[str, np.ndarray]
    event_rate_hz: np.ndarray  # detector events recorded onboard (for the data budget)
    key_pair_rate_hz: np.ndarray  # squash-rule four-folds and QBER for the key (payload.swap)
    key_qber: np.ndarray


#: Samples per payload evaluation: fixes the pieces that threads share, and keeps the model's ~50
#: temporaries (256 KiB each) near the cache: 2^15 runs a year's payload ~2× faster than 2^18.
PAYLOAD_CHUNK = 1 << 15


def payload_stage(scenario: Scenario, n: int, ch: ChannelStage, threads: int = 1) -> PayloadStage:
    """The payload on ``n`` samples in fixed chunks on ``threads`` threads; the legs are read chunk
    by chunk through their station rows (``RowView.take``, as :func:`sample_stage` builds them)."""
    from ..payload.config import onboard_event_rate_hz
    from ..payload.swap import swap_performance

    a, b = ch.a, ch.b
    squash = scenario.payload.double_clicks == "squash"  # then the key fields are the same arrays
    fields = ("swap_rate_hz", "heralded_pair_rate_hz", "fidelity", "qber", "chsh_s")
    fields += () if squash else ("key_pair_rate_hz", "key_qber")
    out = {f: np.empty(n) for f in fields}
    infidelity = {k: np.empty(n) for k in INFIDELITY_TERMS}

    def chunk(lo):
        sl = slice(lo, min(lo + PAYLOAD_CHUNK, n))
        m = sl.stop - sl.start
        ones, zeros = np.ones(m), np.zeros(m)
        perf = swap_performance(
            scenario.mode,
            a.take("transmittance", sl) if a else ones, b.take("transmittance", sl) if b else ones,
            a.take("sky_probability", sl) if a else zeros, b.take("sky_probability", sl) if b else zeros,
            payload=scenario.payload,
            dark_a=a.take("dark_probability", sl) if a else zeros,
            dark_b=b.take("dark_probability", sl) if b else zeros,
            chunk_size=PAYLOAD_CHUNK,
        )
        for f in fields:
            out[f][sl] = getattr(perf, f)
        for k in INFIDELITY_TERMS:
            infidelity[k][sl] = perf.infidelity[k]

    thread_map(chunk, range(0, n, PAYLOAD_CHUNK), threads)
    events = np.full(n, onboard_event_rate_hz(scenario.mode, scenario.payload))
    if squash:
        out["key_pair_rate_hz"], out["key_qber"] = out["heralded_pair_rate_hz"], out["qber"]
    return PayloadStage(out["swap_rate_hz"], out["heralded_pair_rate_hz"], out["fidelity"], out["qber"],
                        out["chsh_s"], infidelity, events, out["key_pair_rate_hz"], out["key_qber"])


# ---------------------------------------------------------------------- per-sample stages

@dataclass(frozen=True)
class SampleStage:
    """Geometry, channel and payload of every sample of the mode windows (legs a and b)."""

    a: geometry.Samples
    b: geometry.Samples | None
    channel: ChannelStage
    payload: PayloadStage


def sample_stage(scenario: Scenario, orbit: OrbitStage, sites, mw: ModeWindows, threads: int = 1) -> SampleStage:
    """Geometry → channel → payload for a set of mode windows (all of them, or one chunk).

    The satellite is propagated once per distinct sample time; geometry and link are computed once
    per distinct (station, time) and gathered to both legs of every window; the payload runs on
    every sample of every window.
    """
    step = scenario.sample_step_s
    pair = scenario.mode in PAIR_MODES
    rows = geometry.station_rows(mw.windows_s, [mw.station_a, mw.station_b] if pair else [mw.station_a],
                                 step, len(sites))
    shared = geometry.shared_state(orbit.satrec, orbit.t0, geometry.distinct_grid_indices(mw.windows_s, step),
                                   step, orbit.sun, orbit.moon)
    table = geometry.station_geometry(shared, sites, rows, step, threads)
    a = geometry.gather(table, rows.leg_rows[0], rows.offsets)
    b = geometry.gather(table, rows.leg_rows[1], rows.offsets) if pair else None
    if scenario.mode == "onboard":
        ch = ChannelStage(None, None)
    else:
        links = _links(scenario, table, ((s, slice(int(rows.bounds[s]), int(rows.bounds[s + 1])))
                                         for s in range(len(sites)) if rows.bounds[s + 1] > rows.bounds[s]), threads)
        ch = ChannelStage(_gather_leg(links, rows.leg_rows[0]),
                          _gather_leg(links, rows.leg_rows[1]) if pair else None)
    return SampleStage(a, b, ch, payload_stage(scenario, int(rows.offsets[-1]), ch, threads))


def _concat_stages(parts: list[SampleStage]) -> SampleStage:
    def legs(xs):
        if xs[0] is None:
            return None
        return Leg(*(np.concatenate([getattr(x, f) for x in xs]) for f in Leg.__dataclass_fields__))

    a = geometry.concat([p.a for p in parts])
    b = geometry.concat([p.b for p in parts]) if parts[0].b is not None else None
    ch = ChannelStage(legs([p.channel.a for p in parts]), legs([p.channel.b for p in parts]))
    pls = [p.payload for p in parts]
    pl = PayloadStage(**{f: np.concatenate([getattr(x, f) for x in pls]) for f in PayloadStage.__dataclass_fields__ if f != "infidelity"},
                      infidelity={k: np.concatenate([x.infidelity[k] for x in pls]) for k in INFIDELITY_TERMS})
    return SampleStage(a, b, ch, pl)


def _chunk_worker(args) -> SampleStage:
    scenario, mw, threads = args
    orbit = orbit_stage(scenario)
    return sample_stage(scenario, orbit, sites_of(scenario), mw, threads)


def sample_stages(scenario: Scenario, orbit: OrbitStage, sites, mw: ModeWindows, workers: int = 1,
                  threads: int = 1) -> SampleStage:
    """All samples of the mode windows; with ``workers > 1`` the windows are split into contiguous
    chunks of about equal sample count, each computed in its own process. Every sample's numbers
    depend only on its own time and station, so the result is identical for any ``workers``."""
    n = len(mw.windows_s)
    if workers <= 1 or n < 2 * workers:
        return sample_stage(scenario, orbit, sites, mw, threads)
    import concurrent.futures
    import multiprocessing

    sizes = np.maximum(mw.windows_s[:, 1] - mw.windows_s[:, 0], 1.0)
    edges = np.searchsorted(np.cumsum(sizes), np.linspace(0, sizes.sum(), workers + 1)[1:-1])
    bounds = [0, *edges.tolist(), n]
    chunks = [ModeWindows(*(getattr(mw, f)[lo:hi] for f in ModeWindows.__dataclass_fields__))
              for lo, hi in zip(bounds[:-1], bounds[1:]) if hi > lo]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with concurrent.futures.ProcessPoolExecutor(len(chunks), mp_context=multiprocessing.get_context(method)) as pool:
        parts = list(pool.map(_chunk_worker, [(scenario, c, threads) for c in chunks]))
    return _concat_stages(parts)


# -------------------------------------------------------------------------------- operations

def operations_stage(scenario: Scenario, orbit: OrbitStage, windows: WindowStage, mw: ModeWindows,
                     offsets: np.ndarray, pl: PayloadStage):
    """The SWaP scheduler over the whole span: which seconds of each window the payload runs."""
    from ..payload.schedule import schedule_operations
    from ..payload.storage import recorded_data_rate_bytes_s

    budget = scenario.payload.swap_budget
    counts = np.maximum(np.diff(offsets), 1)
    mean_events = tables.segment_reduce(pl.event_rate_hz, offsets, np.add, 0.0) / counts
    mean_swaps = tables.segment_reduce(pl.swap_rate_hz, offsets, np.add, 0.0) / counts
    rate = recorded_data_rate_bytes_s(mean_events, mean_swaps, budget.data)
    order = np.argsort(mw.windows_s[:, 0], kind="mergesort")
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    sched = schedule_operations(budget, orbit.span_s, windows.sunlit_s, mw.windows_s[order],
                                data_rate_bytes_s=rate[order])
    return sched, order, inverse


# ------------------------------------------------------------------------- `skyswap passes`

@dataclass(frozen=True)
class PassesResult:
    """Windows (one row per station window and per pair window) and per-sample pointing."""

    windows: "pd.DataFrame"
    samples: "pd.DataFrame"


def plan_passes(scenario: Scenario) -> PassesResult:
    """Orbit → windows → geometry (→ channel) for ``skyswap passes``."""
    import pandas as pd

    orbit = orbit_stage(scenario)
    windows = window_stage(scenario, orbit)
    geom = geometry_stage(scenario, orbit, windows)
    table = tables.station_window_table(orbit, windows, geom)
    parts = []
    for k, (w, smp) in enumerate(zip(windows.stations, geom.station)):
        ids = tables.pass_ids(w.site.name, len(w.usable_s))
        leg = _leg(scenario, smp, np.full(len(w.usable_s), k))
        parts.append(tables.samples_table(orbit.t0, ids, [w.site.name] * len(ids), smp,
                                          {"transmittance": leg.transmittance, "loss_db": leg.loss_db}))
    samples = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    samples = samples.sort_values(["time_utc", "station"], kind="mergesort").reset_index(drop=True)
    return PassesResult(table, samples)


# ------------------------------------------------------------------------------------ `plan`

def plan(scenario: Scenario, workers: int = 1, progress=None, threads: int | None = None):
    """Plan the scenario's whole span: the pipeline of DESIGN.md, returning a MissionResult.

    ``workers`` processes take time chunks of the windows; inside each, ``threads`` threads (default:
    the cores shared among the workers) take stations and sample chunks. Neither changes a number.
    """
    from . import passtable
    from .result import MissionResult
    from .summary import build_summary

    tick = progress or (lambda stage, done, total: None)
    tick("orbit", 0, 6)
    orbit = orbit_stage(scenario)
    tick("pass windows", 1, 6)
    windows = window_stage(scenario, orbit)
    mw = mode_windows(scenario, windows)
    tick("geometry, link, payload", 2, 6)
    threads = default_threads(workers) if threads is None else threads
    smp = sample_stages(scenario, orbit, windows.sites, mw, workers, threads)
    pl, a, b = smp.payload, smp.a, smp.b
    if scenario.mode in PAIR_MODES:  # a pair window culminates where the lower of its two elevations peaks
        mw = ModeWindows(mw.windows_s, mw.station_a, mw.station_b, tables.argmax_times(
            np.minimum(a.elevation_deg, b.elevation_deg), a.time_s, a.offsets, mw.windows_s))
    tick("SWaP scheduler", 4, 6)
    sched, order, inverse = operations_stage(scenario, orbit, windows, mw, a.offsets, pl)
    tick("tables", 5, 6)

    cloud_monthly, cloud_sources = passtable.cloud_tables(scenario)
    table, samples = passtable.build(scenario, orbit, mw, smp, sched, inverse,
                                     payload_stage(scenario, 1, ChannelStage(None, None)) if scenario.mode == "onboard" else None,
                                     cloud_monthly)
    span = {"start_utc": scenario.span.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_utc": scenario.span.end_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "days": scenario.span.duration_s / 86400.0}
    summary = build_summary(scenario, orbit.info, table, sched.totals.as_summary(), span, cloud_sources)
    tick("done", 6, 6)
    return MissionResult(
        scenario_name=scenario.name, scenario_hash=scenario.hash(),
        scenario_yaml=yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False),
        mode=scenario.mode, passes=table, summary=summary, samples=samples,
        stations=_stations_table(scenario), ground_track=_ground_track(orbit),
        pass_detail=_pass_detail(table, samples, scenario.outputs.report_passes, orbit.t0),
        outputs=scenario.outputs,
    )


def _stations_table(scenario: Scenario) -> pd.DataFrame:
    return pd.DataFrame([{"name": s.name, "latitude_deg": s.latitude_deg, "longitude_deg": s.longitude_deg,
                          "altitude_m": s.altitude_m, "aperture_m": s.aperture_m} for s in scenario.stations])


def _ground_track(orbit: OrbitStage, orbits: float = 3.0, step_s: float = 30.0) -> pd.DataFrame:
    """Sub-satellite points over the first few orbits (for the report's map)."""
    t = np.arange(0.0, min(orbits * orbit.info.period_min * 60.0, orbit.span_s), step_s)
    r = frames.propagate_itrs(orbit.satrec, orbit.t0, t).position_km
    lat = np.degrees(np.arctan2(r[2], np.hypot(r[0], r[1])))  # geocentric latitude (a map, not geodesy)
    lon = np.degrees(np.arctan2(r[1], r[0]))
    return pd.DataFrame({"time_utc": frames.utc_iso(orbit.t0, t), "latitude_deg": lat, "longitude_deg": lon})


def _pass_detail(table: pd.DataFrame, samples: pd.DataFrame, n: int, t0) -> dict:
    """Per-sample detail of the ``n`` passes with the most heralded pairs (for the report)."""
    if not len(table) or n == 0:
        return {}
    best = table.sort_values(["heralded_pairs", "pass_id"], ascending=[False, True], kind="mergesort").head(n)
    out = {}
    for pid in best["pass_id"]:
        d = samples[samples["pass_id"] == pid].reset_index(drop=True)
        d.insert(1, "time_utc", frames.utc_iso(t0, d["time_s"].to_numpy()))
        out[pid] = d
    return out
