"""A full `plan`: the shipped Q4S-like year, the same year with 20 stations and all 190 pairs, a
2 × 2 Walker constellation, the scaling in days and stations, a plain per-sample baseline and the
propagation floor.

Run: python benchmarks/bench_plan.py [--quick] [--repeat 3]

* skyswap: ``skyswap.plan`` end to end (windows, geometry, channel, payload on every sample, the
  contact plan, SWaP scheduler, tables, 1,000 weather draws), dual downlink.
* plain baseline (what a user would write): a per-station Skyfield ``find_events`` loop for the
  windows, then a Python loop over the 1 s samples calling the same physics one sample at a
  time. The per-sample loop is timed on a slice of the samples and scaled to all of them (it would
  take hours); the scaling is linear by construction.
* floor: sgp4's array API propagating the satellite once per needed sample time, nothing else.
* the weather stage's engine on the plan's contacts with and without the link model's uncertainty
  drawn (issue 22: not more than 1 s more for a q4s year at 1,000 draws), with its peak memory.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from _common import benchmark_stations, machine, peak_rss_mib


def scenario(days: float, n_stations: int):
    from pathlib import Path

    from skyswap import mission

    base = mission.load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "q4s_year.yaml")
    stations = benchmark_stations(n_stations)
    return base.model_copy(update={"stations": stations, "pairs": [], "span": base.span.model_copy(update={"days": days})})


def run_plan(sc, repeat: int = 1) -> tuple[float, object]:
    """The fastest of ``repeat`` plans of ``sc`` (wall seconds) and its result."""
    from skyswap import mission

    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = mission.plan(sc)
        best = min(best, time.perf_counter() - t)
    return best, result


def shipped(name: str):
    """A scenario of scenarios/."""
    from pathlib import Path

    from skyswap import mission

    return mission.load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / name)


def walker(planes: int = 2, per_plane: int = 2):
    """The q4s year flown by a Walker constellation of ``planes`` x ``per_plane`` satellites."""
    from skyswap.mission.scenario import parse_scenario

    base = shipped("q4s_year.yaml").model_dump(mode="json")
    base["orbit"] = {"walker": {"altitude_km": 500, "inclination_deg": 97.4, "planes": planes,
                                "satellites_per_plane": per_plane, "phasing": 1}, "name": "w"}
    return parse_scenario(base)


def per_sample_baseline(sc, result, n_slice: int = 400) -> float:
    """Seconds a per-sample Python loop over all samples would take (timed on a slice)."""
    from skyswap.mission import channel, planner
    from skyswap.mission.orbits import frames
    from skyswap.payload.swap import swap_performance

    orbit = planner.orbit_stage(sc.satellites, sc.span)
    site = planner.sites_of(sc.stations, sc.elevation_mask_deg)[0]
    smp = result.samples().head(n_slice)  # the per-sample table is computed when asked
    stations = {s.name: s for s in sc.stations}
    pairs = result.passes.set_index("pass_id")[["station_a", "station_b"]]
    t_s = np.arange(len(smp), dtype=float) * sc.sample_step_s
    t0 = time.perf_counter()
    for i, row in enumerate(smp.itertuples(index=False)):
        st = frames.propagate_itrs(orbit.satrecs[0], orbit.t0, t_s[i:i + 1])  # one sample
        a_name, b_name = pairs.loc[row.pass_id]
        etas = []
        for name, el, rng in ((a_name, row.elevation_a_deg, row.range_a_km), (b_name, row.elevation_b_deg, row.range_b_km)):
            frames.topocentric(site.frame, st.position_km)
            etas.append(channel.link_budget(np.array([el]), np.array([rng]), stations[name], sc.payload.transmitter,
                                            sc.payload.source.wavelength_nm, sc.channel).total)
        swap_performance(sc.mode, etas[0], etas[1], 1e-7, 1e-7, payload=sc.payload)
    per_sample = (time.perf_counter() - t0) / len(smp)
    return per_sample * int(result.passes["samples"].sum())


def floor(sc, result) -> float:
    """sgp4 array propagation of every distinct sample time."""
    from skyswap.mission import planner
    from skyswap.mission.orbits import frames

    orbit = planner.orbit_stage(sc.satellites, sc.span)
    k = np.unique(result.samples()["time_s"].to_numpy())
    t = time.perf_counter()
    frames.propagate_itrs(orbit.satrecs[0], orbit.t0, k)
    return time.perf_counter() - t, k.size


def stage_breakdown(sc) -> None:
    """Wall time of each stage of one plan and how many satellite states it propagated; printed
    against the floor, this shows which stages keep skyswap above it."""
    import functools

    from skyswap import mission
    from skyswap.mission import planner
    from skyswap.mission.orbits import frames
    from skyswap.mission.outputs import passtable

    times: dict[str, float] = {}
    counts: dict[str, int] = {}
    states = {"n": 0}
    patched = []

    def wrap(mod, name, label):
        f = getattr(mod, name)

        @functools.wraps(f)
        def timed_call(*a, **k):
            t, n = time.perf_counter(), states["n"]
            try:
                return f(*a, **k)
            finally:
                times[label] = times.get(label, 0.0) + time.perf_counter() - t
                counts[label] = counts.get(label, 0) + states["n"] - n

        patched.append((mod, name, f))
        setattr(mod, name, timed_call)

    propagate = frames.propagate_itrs

    def counting(satrec, t0, t_s, *a, **k):
        states["n"] += np.size(t_s)
        return propagate(satrec, t0, t_s, *a, **k)

    wrap(planner, "window_stage", "windows (coarse scan, roots, night, culminations, pairs)")
    wrap(planner, "per_sample_stages", "samples (geometry, link, payload)")
    wrap(planner, "payload_stage", "  of which payload")
    wrap(planner, "contact_stage", "contact plan")
    wrap(planner, "operations_stage", "SWaP scheduler")
    wrap(passtable, "add_payload_columns", "tables")
    wrap(planner, "weather_stage", "weather draws")
    frames.propagate_itrs = counting
    try:
        t = time.perf_counter()
        mission.plan(sc)
        total = time.perf_counter() - t
    finally:
        frames.propagate_itrs = propagate
        for mod, name, f in patched:
            setattr(mod, name, f)
    print(f"  stages of one plan ({total:.2f} s in all):")
    order = ["windows (coarse scan, roots, night, culminations, pairs)", "samples (geometry, link, payload)",
             "  of which payload", "contact plan", "SWaP scheduler", "tables", "weather draws"]
    for label in order:
        n = counts.get(label, 0)
        print(f"    {label:<58s} {times.get(label, 0.0):6.2f} s" + (f"   {n:8d} satellite states" if n else ""))
    print(f"    satellite states propagated in all: {states['n']} (the floor: each distinct sample time once)")


def link_draws_cost(sc, repeat: int = 3) -> None:
    """What drawing the link model's uncertainty with the weather costs a plan: the weather stage's
    engine on the plan's own contacts (``--draws`` as the scenario says), with and without the link
    drawn; the fastest of ``repeat`` runs each, and the memory each allocates at its peak."""
    import tracemalloc

    from skyswap.groundstations.year_draws import simulate_years
    from skyswap.mission import planner
    from skyswap.mission.weather import clear_sky
    from skyswap.mission.weather.draws import year_inputs

    st = planner.run_stages(sc)
    mode, cfg = sc.payload_mode, sc.channel
    cloud_monthly, _ = clear_sky.cloud_tables(sc.stations, cfg)
    sky, default_clear = (cloud_monthly, cfg.cloud_free_probability) if mode.clouds_touch_counts else ({}, 1.0)
    model = st.weather.model
    inputs = year_inputs(model, st.orbit.t0, st.orbit.span_s, list(sc.stations), sky, default_clear, st.weather.contacts)
    link = model.link_uncertainty(mode.downlinks)
    figures = {}
    for label, extra in (("weather alone", {}), ("weather + link", {"link_uncertainty": link})):
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            simulate_years(**inputs, **extra)
            best = min(best, time.perf_counter() - t)
        tracemalloc.start()
        simulate_years(**inputs, **extra)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        figures[label] = best
        print(f"    {label:<16s} {best:6.3f} s, peak allocated {peak:5.0f} MiB")
    print(f"    the link's draws add {figures['weather + link'] - figures['weather alone']:+.3f} s to the plan "
          f"({model.draws} draws, {len(inputs['pairs_if_clear'])} contacts)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the scaling series and the baseline")
    ap.add_argument("--repeat", type=int, default=3, help="plans per figure (the fastest is shown)")
    args = ap.parse_args()
    print(f"plan benchmark on {machine()}")
    run_plan(scenario(2, 5))  # warm imports and caches
    wall, result = run_plan(shipped("q4s_year.yaml"), args.repeat)
    print(f"  q4s year as shipped (11 stations, 9 pairs): {wall:.2f} s, {len(result.passes)} candidate windows, "
          f"{len(result.schedule)} contacts")
    sc = scenario(365, 20)
    wall, result = run_plan(sc, args.repeat)
    n_samples = int(result.passes["samples"].sum())  # the plan keeps no per-sample table
    print(f"  full year, 20 stations, 190 pairs: {wall:.2f} s, {len(result.passes)} candidate windows, "
          f"{len(result.schedule)} contacts, {n_samples} samples (two legs each), peak RSS {peak_rss_mib():.0f} MiB")
    w, r = run_plan(walker(2, 2), args.repeat)
    print(f"  q4s year, Walker 2 planes x 2 satellites: {w:.2f} s, {len(r.passes)} candidate windows, "
          f"{len(r.schedule)} contacts, {r.summary['totals']['heralded_pairs']:.3g} heralded pairs")
    stage_breakdown(sc)
    print("  the weather stage with and without the link's uncertainty, q4s year as shipped:")
    link_draws_cost(shipped("q4s_year.yaml"), args.repeat)
    print("  the same, full year, 20 stations, 190 pairs:")
    link_draws_cost(sc, args.repeat)
    if args.quick:
        return
    from bench_windows import plain_find_events

    from skyswap.mission import planner

    orbit = planner.orbit_stage(sc.satellites, sc.span)
    t = time.perf_counter()
    plain_find_events(orbit.satrecs[0], orbit.t0, orbit.span_s, sc.stations)
    t_events = time.perf_counter() - t
    t_loop = per_sample_baseline(sc, result)
    baseline = t_events + t_loop
    print(f"  plain baseline: find_events loop {t_events:.1f} s + per-sample loop {t_loop:.0f} s (extrapolated) "
          f"= {baseline:.0f} s  → skyswap is {baseline / wall:.0f}× faster")
    t_floor, n_times = floor(sc, result)
    print(f"  propagation floor (sgp4 array API, {n_times} distinct sample times): {t_floor:.2f} s "
          f"→ skyswap is {wall / t_floor:.1f}× the floor")
    print("  scaling:")
    for days in (30, 90, 365):
        w, r = run_plan(scenario(days, 20))
        print(f"    {days:4d} days, 20 stations: {w:6.2f} s ({int(r.passes['samples'].sum())} samples)")
    for n in (5, 10, 20):
        w, r = run_plan(scenario(365, n))
        print(f"    365 days, {n:2d} stations: {w:6.2f} s ({int(r.passes['samples'].sum())} samples, {n * (n - 1) // 2} pairs)")
    print(f"  peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
