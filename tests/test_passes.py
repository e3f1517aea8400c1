"""Pass windows against an independent predictor and the search invariants."""
from __future__ import annotations

from datetime import UTC

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from skyswap.mission.orbits import frames, skydata
from skyswap.mission.orbits.sources import sun_synchronous_inclination_deg
from skyswap.mission.windows import passes
from skyswap.mission.windows.intervals import intersect

# Micius (QUESS, NORAD 41731): a TLE of epoch 2016-12-19 13:39 UTC (day 354.569 of 2016).
L1 = "1 41731U 16051A   16354.56904520  .00000746  00000-0  35285-4 0  9993"
L2 = "2 41731  97.3628 267.3441 0010767  44.0987 316.1115 15.24965622 18046"


@pytest.fixture(scope="module")
def setup():
    ts = skydata.timescale()
    sat = EarthSatellite(L1, L2, "MICIUS", ts)
    t0 = ts.utc(2016, 12, 20, 12)
    span_s = 2 * 86400.0
    sites = [
        passes.make_site("Delingha", 37.3790, 97.7269, 3153, 10.0),
        passes.make_site("Nanshan", 43.4755, 87.1767, 2028, 10.0),
        passes.make_site("Graz", 47.0671, 15.4933, 539.4, 15.0),
    ]
    return ts, sat, t0, span_s, sites


def _full_chain_elevation(ts, sat, t0, site, seconds):
    """Skyfield's complete, independent chain: GCRS → ITRS with precession-nutation, altaz()."""
    topos = wgs84.latlon(site_lat_lon(site)[0], site_lat_lon(site)[1], elevation_m=site_lat_lon(site)[2])
    t = ts.tt_jd(t0.whole, t0.tt_fraction + np.asarray(seconds) / 86400.0)
    alt, _, _ = (sat - topos).at(t).altaz()
    return alt.degrees


_COORDS = {"Delingha": (37.3790, 97.7269, 3153), "Nanshan": (43.4755, 87.1767, 2028), "Graz": (47.0671, 15.4933, 539.4)}


def site_lat_lon(site):
    return _COORDS[site.name]


def _brute_force_windows(ts, sat, t0, span_s, site):
    """Independent windows: 10 s scan over the span, then a 0.1 s scan around each crossing."""
    coarse = np.arange(0.0, span_s + 10.0, 10.0)
    f = _full_chain_elevation(ts, sat, t0, site, coarse) - site.mask_deg
    up = np.flatnonzero((f[:-1] <= 0) & (f[1:] > 0))
    down = np.flatnonzero((f[:-1] > 0) & (f[1:] <= 0))
    out = []
    for idx, rising in [(i, True) for i in up] + [(i, False) for i in down]:
        fine = np.arange(coarse[idx], coarse[idx + 1] + 0.1, 0.1)
        g = _full_chain_elevation(ts, sat, t0, site, fine) - site.mask_deg
        k = np.flatnonzero((g[:-1] <= 0) & (g[1:] > 0) if rising else (g[:-1] > 0) & (g[1:] <= 0))[0]
        # linear interpolation inside the 0.1 s step
        out.append((fine[k] + 0.1 * g[k] / (g[k] - g[k + 1]), rising))
    return sorted(out)


def test_windows_agree_with_brute_force_full_skyfield_scan(setup):
    ts, sat, t0, span_s, sites = setup
    found = passes.visible_windows(sat.model, t0, span_s, sites)
    for site, windows in zip(sites, found):
        reference = _brute_force_windows(ts, sat, t0, span_s, site)
        rises = [t for t, r in reference if r]
        sets = [t for t, r in reference if not r]
        assert len(windows) == len(rises) == len(sets) > 0
        np.testing.assert_allclose(windows[:, 0], rises, atol=1.0)  # within 1 s
        np.testing.assert_allclose(windows[:, 1], sets, atol=1.0)
        # and, in fact, far better than the 1 s requirement
        assert np.max(np.abs(windows[:, 0] - rises)) < 0.05


def test_samples_inside_windows_are_above_the_mask_and_outside_below(setup):
    ts, sat, t0, span_s, sites = setup
    found = passes.visible_windows(sat.model, t0, span_s, sites)
    t = np.arange(0.0, span_s, 1.0)
    st = frames.propagate_itrs(sat.model, t0, t)
    for site, windows in zip(sites, found):
        el = frames.topocentric(site.frame, st.position_km)[1]
        inside = np.zeros(t.size, bool)
        for a, b in windows:
            inside |= (t > a + 1e-3) & (t < b - 1e-3)
        assert np.all(el[inside] > site.mask_deg)
        edge = np.zeros(t.size, bool)
        for a, b in windows:
            edge |= np.abs(t - a) < 1e-2
            edge |= np.abs(t - b) < 1e-2
        assert np.all(el[~inside & ~edge] <= site.mask_deg + 1e-6)


def test_rises_and_sets_alternate_and_windows_are_disjoint(setup):
    ts, sat, t0, span_s, sites = setup
    for windows in passes.visible_windows(sat.model, t0, span_s, sites):
        flat = windows.ravel()
        assert np.all(np.diff(flat) > 0)  # rise < set < next rise < ...


def test_pass_under_way_at_start_and_unfinished_at_end_are_clipped_not_lost(setup):
    ts, sat, t0, span_s, sites = setup
    full = passes.visible_windows(sat.model, t0, span_s, sites[:1])[0]
    a, b = full[1]
    mid = 0.5 * (a + b)
    # a span that starts in the middle of pass 1 and ends in the middle of pass 3
    end_mid = 0.5 * (full[3, 0] + full[3, 1])
    t1 = ts.tt_jd(t0.whole, t0.tt_fraction + mid / 86400.0)
    clipped = passes.visible_windows(sat.model, t1, end_mid - mid, sites[:1])[0]
    assert len(clipped) == 3
    assert clipped[0, 0] == 0.0
    assert clipped[0, 1] == pytest.approx(b - mid, abs=1e-2)
    assert clipped[-1, 1] == pytest.approx(end_mid - mid)
    assert clipped[1, 0] == pytest.approx(full[2, 0] - mid, abs=1e-2)


def test_a_pass_that_barely_clears_the_mask_is_found(setup):
    """A pass a few seconds long hides between two 30 s grid points; the search still finds it."""
    ts, sat, t0, span_s, sites = setup
    site = sites[0]
    windows = passes.visible_windows(sat.model, t0, span_s, [site])[0]
    t_c, el_c = passes.culminations(sat.model, t0, windows, np.zeros(len(windows), int), [site])
    k = int(np.argmin(el_c))
    low = passes.make_site("Delingha", 37.3790, 97.7269, 3153, el_c[k] - 0.01)
    found = passes.visible_windows(sat.model, t0, span_s, [low])[0]
    hit = found[(found[:, 0] < t_c[k]) & (found[:, 1] > t_c[k])]
    assert len(hit) == 1
    assert 0.0 < hit[0, 1] - hit[0, 0] < 30.0


def test_azimuth_mask_splits_a_pass_in_two(setup):
    """An obstruction (30° wide in azimuth) across a low pass's culmination cuts it into two windows."""
    ts, sat, t0, span_s, sites = setup
    site = sites[0]
    windows = passes.visible_windows(sat.model, t0, span_s, [site])[0]
    t_c, el_c = passes.culminations(sat.model, t0, windows, np.zeros(len(windows), int), [site])
    k = int(np.argmin(np.where(el_c > 25.0, el_c, np.inf)))
    st = frames.propagate_itrs(sat.model, t0, np.array([t_c[k]]))
    az = frames.topocentric(site.frame, st.position_km)[0][0]
    horizon = [((az + d) % 360, e) for d, e in [(-16, 0), (-15, 80), (15, 80), (16, 0)]]
    walled = passes.make_site("Delingha", 37.3790, 97.7269, 3153, 10.0, horizon)
    found = passes.visible_windows(sat.model, t0, span_s, [walled])[0]
    inside = found[(found[:, 1] > windows[k, 0]) & (found[:, 0] < windows[k, 1])]
    assert len(inside) == 2
    assert inside[0, 1] < t_c[k] < inside[1, 0]


def test_night_and_common_view_invariants(setup):
    ts, sat, t0, span_s, sites = setup
    sun, _ = frames.body_tracks(t0.tt, span_s)
    sw = passes.station_windows(sat.model, t0, span_s, sites, sun, -12.0)
    for w in sw:
        assert len(w.usable_s)
        t = np.concatenate([np.linspace(a, b, 7) for a, b in w.usable_s])
        sun_el = frames.elevation_deg(w.site.frame, sun.itrs_km_at(t))
        assert np.all(sun_el < -12.0 + 1e-3)
        # culminations inside the usable windows
        assert np.all((w.culmination_s >= w.usable_s[:, 0]) & (w.culmination_s <= w.usable_s[:, 1]))
    (pair,) = passes.common_view(sw, [(0, 1)])
    assert len(pair.usable_s) > 0
    for (a, b), i, j in zip(pair.usable_s, pair.index_a, pair.index_b):
        assert sw[0].usable_s[i, 0] <= a < b <= sw[0].usable_s[i, 1]
        assert sw[1].usable_s[j, 0] <= a < b <= sw[1].usable_s[j, 1]


def test_nights_are_kept_for_the_next_orbit_and_equal_a_fresh_search(setup):
    # a sweep over orbits asks for the same stations' nights at every point: the second call gives
    # the same (read-only) arrays, equal bit for bit to a search from scratch; another limit or
    # another site is searched anew
    ts, sat, t0, span_s, sites = setup
    sun, _ = frames.body_tracks(t0.tt, span_s)
    first = passes.dark_windows(sun, span_s, sites, -12.0)
    again = passes.dark_windows(sun, span_s, sites, -12.0)
    assert all(a is b for a, b in zip(first, again))
    assert not first[0].flags.writeable
    passes._nights.cache_clear()
    fresh = passes.dark_windows(sun, span_s, sites, -12.0)
    for a, b in zip(first, fresh):
        np.testing.assert_array_equal(a, b)
    other = passes.dark_windows(sun, span_s, sites, -6.0)
    assert all(len(o) and not np.array_equal(o, a) for o, a in zip(other, first))
    moved = passes.make_site("moved", 0.0, 0.0, 0.0, 20.0)
    (alone,) = passes.dark_windows(sun, span_s, [moved], -12.0)
    assert not np.array_equal(alone, first[0])


def test_windows_without_their_peaks_are_the_same_windows(setup):
    # the pair modes read a pair window's culmination from its samples: the stations' own peaks are
    # not searched there, and asking for them says so instead of giving something
    ts, sat, t0, span_s, sites = setup
    sun, _ = frames.body_tracks(t0.tt, span_s)
    full = passes.station_windows(sat.model, t0, span_s, sites, sun, -12.0)
    bare = passes.station_windows(sat.model, t0, span_s, sites, sun, -12.0, peaks=False)
    for a, b in zip(full, bare):
        np.testing.assert_array_equal(a.usable_s, b.usable_s)
        np.testing.assert_array_equal(a.dark_s, b.dark_s)
        assert a.culmination_s.shape == (len(a.usable_s),)
        with pytest.raises(RuntimeError, match="not searched"):
            _ = b.culmination_s
        with pytest.raises(RuntimeError, match="not searched"):
            _ = b.max_elevation_deg


def test_no_night_rule_keeps_every_visible_window(setup):
    ts, sat, t0, span_s, sites = setup
    sun, _ = frames.body_tracks(t0.tt, span_s)
    sw = passes.station_windows(sat.model, t0, span_s, sites[:1], sun, 90.0)
    np.testing.assert_array_equal(sw[0].usable_s, passes.visible_windows(sat.model, t0, span_s, sites[:1])[0])


@pytest.mark.parametrize("limit_deg", [-12.0, -6.0, 0.0])
def test_usable_windows_are_the_exact_overlap_of_visible_and_dark(setup, limit_deg):
    # station_windows refines only the rises and sets whose coarse bracket meets a night; its
    # usable windows must be, bit for bit, the overlap of the fully refined visible windows with
    # the nights, and the shortcut must have skipped some brackets (daylight passes exist).
    ts, sat, t0, span_s, sites = setup
    sun, _ = frames.body_tracks(t0.tt, span_s)
    sw = passes.station_windows(sat.model, t0, span_s, sites, sun, limit_deg)
    full = passes.visible_windows(sat.model, t0, span_s, sites)
    for w, vis in zip(sw, full):
        expected, _, _ = intersect(vis, w.dark_s)
        np.testing.assert_array_equal(w.usable_s, expected)
        assert len(w.usable_s) < len(vis)  # some passes are in daylight
        rough = passes.visible_windows(sat.model, t0, span_s, [w.site], within=[w.dark_s])[0]
        assert not np.array_equal(rough, vis)  # daylight crossings left at the coarse step


def test_sun_synchronous_inclination_matches_vallado():
    # Vallado (2013) §11.4: a circular sun-synchronous orbit at 500 km has i = 97.40°.
    assert sun_synchronous_inclination_deg(6378.137 + 500.0) == pytest.approx(97.40, abs=0.01)
    # and at 800 km, 98.60° (Vallado, Table of SSO inclinations; Wertz SMAD Table 6-6: 98.6°)
    assert sun_synchronous_inclination_deg(6378.137 + 800.0) == pytest.approx(98.60, abs=0.02)


def test_culminations_agree_with_a_fine_full_skyfield_scan(setup):
    """Time and elevation of each pass's peak against a 0.05 s scan through Skyfield's altaz()."""
    ts, sat, t0, span_s, sites = setup
    for site, windows in zip(sites, passes.visible_windows(sat.model, t0, span_s, sites)):
        t_c, el_c = passes.culminations(sat.model, t0, windows, np.zeros(len(windows), int), [site])
        for (lo, hi), t, el in zip(windows, t_c, el_c):
            coarse = np.arange(lo, hi, 5.0)
            peak = coarse[np.argmax(_full_chain_elevation(ts, sat, t0, site, coarse))]
            fine = np.arange(max(lo, peak - 5.0), min(hi, peak + 5.0), 0.05)
            ref = _full_chain_elevation(ts, sat, t0, site, fine)
            assert abs(t - fine[np.argmax(ref)]) < 0.5  # the peak is flat: 0.5 s is ~1e-4°
            assert abs(el - ref.max()) < 2e-3  # polar motion and frame differences: a few mdeg


def test_a_window_cut_while_climbing_peaks_at_its_end(setup):
    ts, sat, t0, span_s, sites = setup
    site = sites[0]
    w = passes.visible_windows(sat.model, t0, span_s, [site])[0][0]
    t_c, _ = passes.culminations(sat.model, t0, w[None, :], np.zeros(1, int), [site])
    first_half = np.array([[w[0], t_c[0] - 20.0]])
    second_half = np.array([[t_c[0] + 20.0, w[1]]])
    t_a, el_a = passes.culminations(sat.model, t0, first_half, np.zeros(1, int), [site])
    t_b, _ = passes.culminations(sat.model, t0, second_half, np.zeros(1, int), [site])
    assert t_a[0] == first_half[0, 1] and t_b[0] == second_half[0, 0]
    np.testing.assert_allclose(el_a, _full_chain_elevation(ts, sat, t0, site, first_half[:, 1]), atol=2e-3)


def _low_orbit(ts):
    """A 300 km circular sun-synchronous orbit: the fastest elevation changes a mission would see."""
    from datetime import datetime

    from skyswap.mission.orbits.sources import EARTH_RADIUS_KM, satrec_from_elements, sun_synchronous_raan_deg

    epoch = datetime(2027, 3, 1, tzinfo=UTC)
    a = EARTH_RADIUS_KM + 300.0
    satrec = satrec_from_elements(a, 0.0, sun_synchronous_inclination_deg(a), sun_synchronous_raan_deg(22.5, epoch),
                                  0.0, 0.0, epoch)
    return EarthSatellite.from_satrec(satrec, ts), ts.from_datetime(epoch)


@pytest.mark.parametrize("orbit, mask_deg", [("micius", 20.0), ("micius", 55.0), ("micius", 60.0), ("micius", 75.0),
                                             ("micius", 84.0), ("300 km", 0.0), ("300 km", 20.0), ("300 km", 80.0)])
def test_no_pass_lost_against_find_events(setup, orbit, mask_deg):
    """Near the zenith a pass is sharply peaked: one that culminates just above an 80° mask falls
    far below it within half a coarse step. Every pass Skyfield's find_events reports over ten days
    at eight sites is found, with the same rise and set times, for low and high masks and orbits."""
    ts, sat, t0, _, _ = setup
    if orbit == "300 km":
        sat, t0 = _low_orbit(ts)
    span_s = 10 * 86400.0
    coords = [(37.38, 97.73, 3153), (43.48, 87.18, 2028), (47.07, 15.49, 539), (28.30, -16.51, 2393),
              (-35.32, 149.01, 805), (30.68, -104.02, 2006), (-25.89, 27.69, 1406), (0.0, 0.0, 0.0)]
    sites = [passes.make_site(f"s{i}", lat, lon, alt, mask_deg) for i, (lat, lon, alt) in enumerate(coords)]
    found = passes.visible_windows(sat.model, t0, span_s, sites)
    t1 = ts.tt_jd(t0.whole, t0.tt_fraction + span_s / 86400.0)
    n_total = 0
    for (lat, lon, alt), windows in zip(coords, found):
        t, events = sat.find_events(wgs84.latlon(lat, lon, elevation_m=alt), t0, t1, altitude_degrees=mask_deg)
        sec = (t.tt - t0.tt) * 86400.0
        rises, sets = sec[events == 0], sec[events == 2]
        if len(sets) and (not len(rises) or sets[0] < rises[0]):
            sets = sets[1:]  # under way at the start: clipped to the span by skyswap
        rises = rises[: len(sets)]
        inner = windows[(windows[:, 0] > 0.0) & (windows[:, 1] < span_s)]
        assert len(inner) == len(rises)
        np.testing.assert_allclose(inner[:, 0], rises, atol=0.5)
        np.testing.assert_allclose(inner[:, 1], sets, atol=0.5)
        n_total += len(rises)
    assert n_total > 0


@pytest.mark.parametrize("mode", ["dual-downlink", "single-downlink"])
def test_the_window_stage_owns_which_windows_are_candidates(mode):
    """One flag, the mode's ``station_pairs``, decides both what the window stage searches (no
    station culminations in a pair mode) and which windows :func:`planner.candidate_windows` takes."""
    from pathlib import Path

    from skyswap.mission import planner
    from skyswap.mission.scenario.loading import load_scenario
    from skyswap.mission.stages import orbit_stage

    sc = load_scenario(Path(__file__).parent / "data" / "tiny.yaml")
    sc = sc.model_copy(update={"mode": mode})
    orbit = orbit_stage(sc.satellites, sc.span)
    sites = passes.sites_of(sc.stations, sc.elevation_mask_deg)
    pair_mode = sc.payload_mode.station_pairs
    assert pair_mode == (mode == "dual-downlink")
    (w,) = planner.window_stage(orbit, sites, sc.night.sun_elevation_max_deg, sc.min_window_duration_s,
                                sc.station_pairs, pair_mode, sunlit=False)
    cands = planner.candidate_windows([w])
    assert w.pair_mode == pair_mode and cands.pair == pair_mode and len(cands) > 0
    if pair_mode:
        assert len(cands) == sum(len(p.usable_s) for p in w.pairs)
        assert np.isnan(cands.culmination_s).all()
        with pytest.raises(RuntimeError, match="not searched"):
            _ = w.stations[0].culmination_s
    else:
        assert len(cands) == sum(len(s.usable_s) for s in w.stations)
        np.testing.assert_array_equal(cands.culmination_s, np.concatenate([s.culmination_s for s in w.stations]))


def test_the_coarse_grid_is_shared_read_only_and_the_same_as_fresh(setup, monkeypatch):
    """The coarse grid, the Earth's rotation and the Sun on it depend on the span only: a sweep's
    points share them (cached, read-only) and get the numbers a fresh computation gives; a plan
    alone keeps none of them."""
    ts, sat, t0, span_s, sites = setup
    sun, _ = frames.body_tracks(t0.tt, span_s)
    monkeypatch.setattr(passes, "_KEEP_SPAN_GRIDS", False)  # (a sweep run earlier in this process sets it)
    alone = passes.coarse_grid(t0, span_s)
    assert passes.coarse_grid(t0, span_s)[1] is not alone[1]  # not kept outside a sweep's worker
    monkeypatch.setattr(passes, "_KEEP_SPAN_GRIDS", True)
    grid, rot = passes.coarse_grid(t0, span_s)
    np.testing.assert_array_equal(grid, alone[0])
    np.testing.assert_array_equal(rot.theta_rad, alone[1].theta_rad)
    again = passes.coarse_grid(t0, span_s)
    assert again[1] is rot and not rot.theta_rad.flags.writeable and not grid.flags.writeable
    fresh = frames.earth_rotation(t0, passes.padded_grid(span_s, passes.COARSE_STEP_S))
    np.testing.assert_array_equal(rot.cos, fresh.cos)
    track = passes.coarse_track(sat.model, t0, span_s)
    np.testing.assert_array_equal(track.position_km, frames.propagate_itrs(sat.model, t0, grid).position_km)
    on = passes.body_on_grid(sun, rot)
    assert passes.body_on_grid(sun, rot) is on and not on.flags.writeable
    np.testing.assert_array_equal(on, sun.itrs_km_at(grid, fresh))  # rotated with the span's own start
    other = passes.coarse_grid(t0, span_s / 2)
    assert other[1] is not rot and other[0].size < grid.size
