"""Windows for 365 days × 20 stations × 190 pairs, against a plain per-station find_events loop.

Run: python benchmarks/bench_windows.py [--days 365] [--stations 20]

Both sides compute, for every station, the rise/set windows above a 20° mask over the span and
then the common-view windows of all station pairs. skyswap additionally clips to night
(Sun < −12°), refines culminations and finds the satellite's sunlit intervals; the baseline does
not, so the ratio understates the difference.
"""
from __future__ import annotations

import argparse

from _common import benchmark_orbit, benchmark_stations, machine, peak_rss_mib, timed


def skyswap_windows(satrec, t0, span_s, stations):
    from skyswap.mission.orbits import frames
    from skyswap.mission.windows import geometry, passes

    sites = [passes.make_site(s.name, s.latitude_deg, s.longitude_deg, s.altitude_m, 20.0) for s in stations]
    sun, _ = frames.body_tracks(float(t0.tt), span_s)
    track = passes.coarse_track(satrec, t0, span_s)
    windows = passes.station_windows(satrec, t0, span_s, sites, sun, -12.0, track=track)
    pairs = [(i, j) for i in range(len(sites)) for j in range(i + 1, len(sites))]
    common = passes.common_view(windows, pairs)
    geometry.sunlit_intervals(satrec, t0, span_s, sun, track)
    return windows, common


def plain_find_events(satrec, t0, span_s, stations):
    """What a user would write: Skyfield's find_events per station, then nested loops over pairs."""
    from skyfield.api import EarthSatellite, wgs84

    from skyswap.mission.orbits import skydata

    ts = skydata.timescale()
    sat = EarthSatellite.from_satrec(satrec, ts)
    t1 = ts.tt_jd(t0.tt + span_s / 86400.0)
    per_station = []
    for s in stations:
        t, events = sat.find_events(wgs84.latlon(s.latitude_deg, s.longitude_deg, elevation_m=s.altitude_m),
                                    t0, t1, altitude_degrees=20.0)
        windows, rise = [], None
        for ti, e in zip(t.tt, events):
            if e == 0:
                rise = ti
            elif e == 2 and rise is not None:
                windows.append((rise, ti))
                rise = None
        per_station.append(windows)
    common = []
    for i in range(len(stations)):
        for j in range(i + 1, len(stations)):
            for a0, a1 in per_station[i]:
                for b0, b1 in per_station[j]:
                    if b0 < a1 and a0 < b1:
                        common.append((max(a0, b0), min(a1, b1)))
    return per_station, common


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--stations", type=int, default=20)
    args = ap.parse_args()
    from skyswap.mission.orbits import skydata

    satrec, epoch = benchmark_orbit()
    t0 = skydata.timescale().from_datetime(epoch)
    stations = benchmark_stations(args.stations)
    span_s = args.days * 86400.0
    n_pairs = len(stations) * (len(stations) - 1) // 2
    print(f"windows: {args.days:g} days × {len(stations)} stations × {n_pairs} pairs on {machine()}")
    skydata.ephemeris()
    r = {}
    with timed("skyswap (visible + night + culminations + pairs + sunlit)", r):
        windows, common = skyswap_windows(satrec, t0, span_s, stations)
    with timed("plain per-station find_events loop + pair loops", r):
        base_windows, base_common = plain_find_events(satrec, t0, span_s, stations)
    n_vis = sum(len(w.visible_s) for w in windows)
    n_base = sum(len(w) for w in base_windows)
    print(f"  visible windows: skyswap {n_vis}, find_events {n_base}; "
          f"usable (night) {sum(len(w.usable_s) for w in windows)}, common-view {sum(len(c.usable_s) for c in common)}")
    ratio = r["plain per-station find_events loop + pair loops"] / r["skyswap (visible + night + culminations + pairs + sunlit)"]
    print(f"  speed-up over the plain loop: {ratio:.1f}×   peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
