"""The pipeline: the only place that chains the stages.

    Scenario -> OrbitStage -> WindowStage -> GeometryStage -> ChannelStage -> PayloadStage
             -> OperationsStage -> MissionResult

Each stage is a pure function of the scenario and the previous stages' frozen results; nothing
here does physics itself, it unpacks the scenario into plain arguments and calls the modules that
do. Read this file top to bottom to see how skyswap works.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from mission import frames, geometry, passes, tables
from mission.orbit import OrbitInfo, build_orbit
from mission.scenario import Scenario


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
    from mission import skydata

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
    """The windows the mode uses, flattened into one list with their samples.

    dual-downlink: every pair's common-view windows (legs ``a`` and ``b``); single-downlink and
    onboard: every station's usable windows (leg ``a``; ``b`` is None).
    """

    windows_s: np.ndarray  # (n, 2)
    station_a: np.ndarray  # (n,) site index
    station_b: np.ndarray  # (n,) site index, -1 for single-station rows
    culmination_s: np.ndarray
    a: geometry.Samples
    b: geometry.Samples | None


def mode_windows(scenario: Scenario, windows: WindowStage, geom: GeometryStage) -> ModeWindows:
    if scenario.mode == "dual-downlink":
        iv = [p.usable_s for p in windows.pairs]
        a_idx = [np.full(len(p.usable_s), p.a) for p in windows.pairs]
        b_idx = [np.full(len(p.usable_s), p.b) for p in windows.pairs]
        a, b = geometry.concat(geom.pair_a), geometry.concat(geom.pair_b)
        low = np.minimum(a.elevation_deg, b.elevation_deg)
        culm = tables.argmax_times(low, a.time_s, a.offsets, np.concatenate(iv) if iv else np.empty((0, 2)))
    else:
        iv = [w.usable_s for w in windows.stations]
        a_idx = [np.full(len(w.usable_s), k) for k, w in enumerate(windows.stations)]
        b_idx = [np.full(len(w.usable_s), -1) for w in windows.stations]
        a, b = geometry.concat(geom.station), None
        culm = np.concatenate([w.culmination_s for w in windows.stations]) if iv else np.empty(0)
    cat = (lambda xs, shape: np.concatenate(xs) if xs else np.empty(shape))
    return ModeWindows(cat(iv, (0, 2)), cat(a_idx, 0).astype(int), cat(b_idx, 0).astype(int), culm, a, b)


# ----------------------------------------------------------------------------------- channel

@dataclass(frozen=True)
class Leg:
    """Per-sample link of one leg (station side) of the mode windows."""

    transmittance: np.ndarray  # total, link × station optics × detector [1]
    loss_db: np.ndarray
    noise_probability: np.ndarray  # noise click per coincidence window at the station [1]


@dataclass(frozen=True)
class ChannelStage:
    a: Leg
    b: Leg | None


def _leg(scenario: Scenario, samples: geometry.Samples, station_of_window: np.ndarray) -> Leg:
    from mission import channel

    station_of_sample = np.repeat(station_of_window, np.diff(samples.offsets))
    total = np.zeros(samples.time_s.size)
    noise = np.zeros(samples.time_s.size)
    for k in np.unique(station_of_sample):
        sel = station_of_sample == k
        st = scenario.stations[int(k)]
        link = channel.link_budget(samples.elevation_deg[sel], samples.range_km[sel], st,
                                   scenario.payload.transmitter, scenario.payload.source.wavelength_nm,
                                   scenario.channel)
        total[sel] = link.total
        noise[sel] = channel.background_probability(
            samples.sun_elevation_deg[sel], samples.moon_elevation_deg[sel], samples.moon_illumination[sel],
            samples.moon_angle_deg[sel], st, scenario.payload.source.wavelength_nm,
            scenario.payload.coincidence_window_ps(st), scenario.channel)
    return Leg(total, channel.loss_db(total), noise)


def channel_stage(scenario: Scenario, mw: "ModeWindows") -> ChannelStage:
    a = _leg(scenario, mw.a, mw.station_a)
    b = _leg(scenario, mw.b, mw.station_b) if mw.b is not None else None
    return ChannelStage(a, b)


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


def payload_stage(scenario: Scenario, mw: "ModeWindows", ch: ChannelStage) -> PayloadStage:
    from payload import swap

    cfg = scenario.payload
    n = mw.a.time_s.size
    if scenario.mode == "dual-downlink":
        eta_a, eta_b = ch.a.transmittance, ch.b.transmittance
        noise_a, noise_b = ch.a.noise_probability, ch.b.noise_probability
    elif scenario.mode == "single-downlink":
        eta_a, noise_a = ch.a.transmittance, ch.a.noise_probability
        eta_b, noise_b = np.full(n, cfg.onboard_detection_efficiency), np.full(n, cfg.onboard_noise_probability)
    else:  # onboard: all four photons detected on board
        eta_a = eta_b = np.full(n, cfg.onboard_detection_efficiency)
        noise_a = noise_b = np.full(n, cfg.onboard_noise_probability)
    perf = swap.swap_performance(scenario.mode, eta_a, eta_b, noise_a, noise_b, cfg.source, cfg.bsm,
                                 polarisation_error_deg=cfg.polarisation_error_deg)
    return PayloadStage(perf.swap_rate_hz, perf.heralded_pair_rate_hz, perf.fidelity, perf.qber, perf.chsh_s,
                        {k: perf.infidelity[k] for k in INFIDELITY_TERMS}, perf.event_rate_hz)


# -------------------------------------------------------------------------------- operations

def operations_stage(scenario: Scenario, orbit: OrbitStage, windows: WindowStage, mw: "ModeWindows",
                     pl: PayloadStage):
    """The SWaP scheduler over the whole span: which seconds of each window the payload runs."""
    from payload.schedule import schedule_operations
    from payload.storage import recorded_data_rate_bytes_s

    budget = scenario.payload.swap_budget
    offsets = mw.a.offsets
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
    for w, smp in zip(windows.stations, geom.station):
        ids = tables.pass_ids(w.site.name, len(w.usable_s))
        parts.append(tables.samples_table(orbit.t0, ids, [w.site.name] * len(ids), smp))
    samples = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    samples = samples.sort_values(["time_utc", "station"], kind="mergesort").reset_index(drop=True)
    return PassesResult(table, samples)
