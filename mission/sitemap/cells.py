"""One site of a map: its windows, link, payload and weather, read out of the shared stage.

A site is a station (a map cell's candidate, or a catalog station) and, in dual downlink, its
partner. Its samples are the shared grid times at which the satellite is within reach
(:mod:`.shared`); on them it computes elevation and the Sun's elevation, finds its usable windows
(above the mask and dark at every station, consecutive grid times), interpolates each window's
edges linearly between the last sample out and the first sample in (of the elevation over the
mask, or of the Sun's elevation under the night limit), and integrates each window on its samples:
each sample stands for the part of the window nearer to it than to its neighbours (the first and
last reach the window's edges), so the weights add up to the window's duration.

The link (:func:`mission.channel.link_budget`, :func:`~mission.channel.noise_probabilities`) and the
payload (:func:`payload.swap.swap_performance`) run on those samples; per-window totals come from
:func:`payload.fidelity.window_totals` (the plan's one per-pass aggregation), the clear-sky
probability of each window from :func:`mission.weather.clear_sky.clear_probability` and the year's
weather from :mod:`.site_weather` (``compare``'s weather model). Every array here is
the site's own, so a site's numbers do not depend on which other sites share its chunk.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...groundstations.catalog import Station
from ...payload.fidelity import window_totals
from ...payload.swap import swap_performance
from .. import channel
from ..orbits import frames
from ..weather import clear_sky as clouds
from ..weather.draws import WeatherModel
from .shared import EDGE_MARGIN_DEG, SharedStage, reach_angle_rad, unit_vectors
from .site_weather import site_draws


@dataclass(frozen=True)
class LegSamples:
    """One station's samples of one satellite: the grid times within reach and at night (with a
    margin, so that every window edge has a sample on each side) and what the windows need at
    each. Arrays (n,)."""

    k: np.ndarray  # grid indices, increasing
    position: np.ndarray  # index into the satellite's shared arrays
    elevation_deg: np.ndarray
    range_km: np.ndarray
    visible: np.ndarray  # elevation − mask [deg]
    dark: np.ndarray  # night limit − Sun elevation [deg]
    sun_elevation_deg: np.ndarray
    frame: frames.SiteFrame


#: Samples whose Sun (geocentric direction, no parallax) stands more than this above the night limit
#: are left out before the exact geometry: the Sun moves < 0.05° in a 10 s step, so the sample just
#: outside a night edge is always kept. [deg]
NIGHT_MARGIN_DEG = 0.5


def leg_samples(shared: SharedStage, sat: int, station: Station, mask_deg: float, sun_max_deg: float) -> LegSamples:
    """The samples of ``station`` on satellite ``sat``: grid times within reach of its mask, at night. [deg]"""
    track = shared.satellites[sat]
    psi = reach_angle_rad(mask_deg - EDGE_MARGIN_DEG, track.radius_max_km)
    u = unit_vectors(station.latitude_deg, station.longitude_deg)[0]
    pos = np.asarray(track.tree.query_ball_point(u, 2.0 * np.sin(psi / 2.0), return_sorted=True), dtype=np.int64)
    frame = frames.site_frame(station.latitude_deg, station.longitude_deg, station.altitude_m)
    if sun_max_deg < 90.0 and pos.size:
        sin_sun = frames.dot3(frame.up, track.sun_unit[:, pos])
        pos = pos[sin_sun < np.sin(np.radians(min(sun_max_deg + NIGHT_MARGIN_DEG, 90.0)))]
    d = track.position_km[:, pos] - frame.position_km[:, None]
    rng = np.sqrt(np.einsum("in,in->n", d, d))
    el = np.degrees(np.arcsin(np.clip(frames.dot3(frame.up, d) / rng, -1.0, 1.0)))
    sun_el = frames.elevation_deg(frame, track.sun_km[:, pos])
    dark = (np.full(pos.size, 1.0) if sun_max_deg >= 90.0 else sun_max_deg - sun_el)
    return LegSamples(track.k[pos], pos, el, rng, el - mask_deg, dark, sun_el, frame)


def _crossing(t_out, t_in, g_out, g_in):
    """Where a function linear between (t_out, g_out ≤ 0) and (t_in, g_in > 0) crosses zero. [s]"""
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(g_in > g_out, -g_out / (g_in - g_out), 0.0)
    return t_out + np.clip(frac, 0.0, 1.0) * (t_in - t_out)


@dataclass(frozen=True)
class Windows:
    """A site's usable windows on one satellite and the samples that integrate them.

    ``offsets[w]:offsets[w + 1]`` are window ``w``'s samples; ``rows[i]`` their position in each
    leg's :class:`LegSamples`; ``weight_s`` the time each sample stands for. [s]
    """

    start_s: np.ndarray
    end_s: np.ndarray
    offsets: np.ndarray
    rows: list
    weight_s: np.ndarray


def find_windows(shared: SharedStage, legs: list[LegSamples], min_duration_s: float) -> Windows:
    """Usable windows common to every leg (all above their masks and dark), edges interpolated."""
    step, span_s = shared.step_s, shared.span_s
    k = legs[0].k
    for leg in legs[1:]:
        k = np.intersect1d(k, leg.k, assume_unique=True)
    rows = [np.searchsorted(leg.k, k) for leg in legs]
    inside = np.ones(k.size, bool)
    for leg, r in zip(legs, rows):
        inside &= (leg.visible[r] > 0.0) & (leg.dark[r] > 0.0)
    i = np.flatnonzero(inside)
    if not i.size:
        return Windows(np.empty(0), np.empty(0), np.zeros(1, np.int64), [np.empty(0, np.int64)] * len(legs), np.empty(0))
    new = np.r_[True, np.diff(k[i]) != 1]
    first, last = i[new], i[np.r_[new[1:], True]]
    t_first, t_last = k[first] * step, k[last] * step

    def edge(at, neighbour, t_at, sign):
        """Each run's edge: the latest (start) / earliest (end) crossing over the legs out at the neighbour."""
        has = (neighbour >= 0) & (neighbour < k.size)
        nb = np.clip(neighbour, 0, k.size - 1)
        has &= k[nb] == k[at] + sign
        t_nb = k[nb] * step
        out = np.where(sign < 0, np.maximum(t_at - 0.5 * step, 0.0), np.minimum(t_at + 0.5 * step, span_s))
        best = np.full(at.size, np.nan)
        for leg, r in zip(legs, rows):
            for g in (leg.visible, leg.dark):
                g_nb, g_at = g[r[nb]], g[r[at]]
                crosses = has & (g_nb <= 0.0)
                x = _crossing(t_nb, t_at, g_nb, g_at)
                pick = np.fmax if sign < 0 else np.fmin
                best = np.where(crosses, pick(best, x), best)
        out = np.where(np.isfinite(best), best, out)
        if sign < 0:
            return np.where(k[at] == 0, 0.0, out)  # under way at the span start
        return np.where((k[at] + 1) * step > span_s, span_s, out)  # unfinished at the span end

    start = edge(first, first - 1, t_first, -1)
    end = edge(last, last + 1, t_last, +1)
    keep = (end - start) >= max(min_duration_s, 1e-9)
    first, last, start, end = first[keep], last[keep], start[keep], end[keep]
    count = last - first + 1
    offsets = np.concatenate([[0], np.cumsum(count)])
    sample = np.repeat(first, count) + (np.arange(offsets[-1]) - np.repeat(offsets[:-1], count))
    t = k[sample] * step
    lo = np.maximum(t - 0.5 * step, np.repeat(start, count))
    hi = np.minimum(t + 0.5 * step, np.repeat(end, count))
    is_first = np.zeros(sample.size, bool)
    is_first[offsets[:-1]] = True
    is_last = np.zeros(sample.size, bool)
    is_last[offsets[1:] - 1] = True
    lo = np.where(is_first, np.repeat(start, count), lo)
    hi = np.where(is_last, np.repeat(end, count), hi)
    return Windows(start, end, offsets, [r[sample] for r in rows], hi - lo)


def leg_link(shared: SharedStage, sat: int, leg: LegSamples, rows: np.ndarray, station: Station, scenario) -> tuple:
    """Transmittance, sky and dark click probabilities of a leg's samples ``rows``. [1]"""
    wl = scenario.payload.source.wavelength_nm
    track = shared.satellites[sat]
    pos = leg.position[rows]
    link = channel.link_budget(leg.elevation_deg[rows], leg.range_km[rows], station, scenario.payload.transmitter, wl,
                               scenario.channel)
    moon_el = frames.elevation_deg(leg.frame, track.moon_km[:, pos])
    sky, dark = channel.noise_probabilities(leg.sun_elevation_deg[rows], moon_el, track.moon_illumination[pos],
                                            station, wl, scenario.channel)
    return link.total, sky, dark


@dataclass(frozen=True)
class SiteYear:
    """A site's windows over the span with what each would deliver, and its year over the weather.

    Arrays (n_windows,): ``start_s``, ``end_s`` [s], ``satellite``, ``pairs`` (heralded pairs with
    clear skies) [1], ``qber``, ``fidelity`` [1], ``clear`` (probability that every sky it needs is
    clear) [1]. ``row``: the site's totals (:func:`site_year`).
    """

    start_s: np.ndarray
    end_s: np.ndarray
    satellite: np.ndarray
    pairs: np.ndarray
    qber: np.ndarray
    fidelity: np.ndarray
    clear: np.ndarray
    row: dict


def site_year(shared: SharedStage, scenario, stations: list[Station], seed: int, draws: int) -> SiteYear:
    """Windows, link, payload, clouds and weather of a site: ``stations[0]`` alone (single downlink)
    or with its partner ``stations[1]`` (dual downlink).

    ``seed`` seeds the site's weather draws (derived from the scenario's seed and the site, so it
    is the same whatever chunk the site is in); ``draws`` is their number. Returns the windows and
    a row: ``windows``, ``window_hours`` [h], ``heralded_pairs_clear_skies``,
    ``expected_heralded_pairs``, ``p10``/``p50``/``p90``/``mean_weather`` of the year's heralded
    pairs, ``secret_key_bits_p10``/``p50``/``p90`` [bit], ``fidelity`` (pair-weighted),
    ``cloud_free_probability`` (annual mean at ``stations[0]``), ``cloud_source``, ``cloud_confidence``
    (:class:`groundstations.clouds.CloudSource`) and ``note``.
    """
    mode = "dual-downlink" if len(stations) > 1 else "single-downlink"
    sun_max = scenario.night.sun_elevation_max_deg
    masks = [st.elevation_mask_deg if st.elevation_mask_deg is not None else scenario.elevation_mask_deg
             for st in stations]
    parts = []
    for sat in range(len(shared.satellites)):
        legs = [leg_samples(shared, sat, st, m, sun_max) for st, m in zip(stations, masks)]
        win = find_windows(shared, legs, scenario.min_window_duration_s)
        n = win.weight_s.size
        if not win.start_s.size:
            continue
        links = [leg_link(shared, sat, leg, r, st, scenario) for leg, r, st in zip(legs, win.rows, stations)]
        ones, zeros = np.ones(n), np.zeros(n)
        b = links[1] if len(links) > 1 else (ones, zeros, zeros)
        perf = swap_performance(mode, links[0][0], b[0], links[0][1], b[1], payload=scenario.payload,
                                dark_a=links[0][2], dark_b=b[2])
        squash = scenario.payload.double_clicks == "squash"
        tot = window_totals(perf.bsm_herald_rate_hz, perf.heralded_pair_rate_hz, perf.fidelity, perf.qber, perf.chsh_s,
                            perf.infidelity, win.weight_s, win.offsets,
                            key_pair_rate_hz=None if squash else perf.key_pair_rate_hz,
                            key_qber=None if squash else perf.key_qber)
        parts.append((win.start_s, win.end_s, np.full(win.start_s.size, sat), tot["heralded_pairs"], tot["qber"],
                      tot["fidelity"]))
    cat = [np.concatenate([p[i] for p in parts]) if parts else np.empty(0) for i in range(6)]
    start, end, satellite, pairs, qber, fidelity = cat
    satellite = satellite.astype(int)
    cloud_monthly, sources = clouds.cloud_tables(stations, scenario.channel)
    first = np.zeros(start.size, int)
    second = np.full(start.size, 1 if len(stations) > 1 else -1)
    clear = clouds.clear_probability(shared.t0, stations, start, first, second, cloud_monthly,
                                     scenario.channel.cloud_free_probability,
                                     scenario.channel.cloud_correlation_length_km)
    row = _totals(shared, scenario, stations, cloud_monthly, sources, start, end, first, second, pairs, qber, fidelity, clear,
                  seed, draws)
    return SiteYear(start, end, satellite, pairs, qber, fidelity, clear, row)


def _totals(shared, scenario, stations, cloud_monthly, sources, start, end, a, b, pairs, qber, fidelity, clear, seed,
            draws) -> dict:
    model = WeatherModel(draws, seed, scenario.channel.cloud_night_correlation,
                                      scenario.channel.cloud_correlation_length_km)
    q = {"mean": 0.0, "p10": 0.0, "p50": 0.0, "p90": 0.0}
    key = dict(q)
    default = (scenario.channel.cloud_free_probability,) * 12
    if start.size and draws > 0:
        table = np.array([cloud_monthly.get(s.name, default) for s in stations], float)
        q, key = site_draws(model, shared, stations, table, a, b, start, pairs, qber)
    name = stations[0].name
    monthly = cloud_monthly.get(name, default)
    src = sources.get(name)
    weight = np.nansum(pairs)
    if not start.size:
        note = "no window at night above the mask in this span" + (" common to both stations" if len(stations) > 1
                                                                    else "")
    elif not (pairs > 0).any():
        note = "windows, but no heralded pair in any"
    else:
        note = ""
    return {
        "windows": int(start.size),
        "window_hours": float(np.sum(end - start) / 3600.0),
        "heralded_pairs_clear_skies": float(np.sum(pairs)),
        "expected_heralded_pairs": float(np.sum(pairs * clear)),
        "mean_weather": float(q["mean"]), "p10": float(q["p10"]), "p50": float(q["p50"]), "p90": float(q["p90"]),
        "secret_key_bits_p10": float(key["p10"]), "secret_key_bits_p50": float(key["p50"]),
        "secret_key_bits_p90": float(key["p90"]),
        "fidelity": float(np.nansum(fidelity * pairs) / weight) if weight > 0 else float("nan"),
        "cloud_free_probability": float(np.mean(monthly)),
        "cloud_source": getattr(src, "kind", "default") if src is not None else "default",
        "cloud_confidence": getattr(src, "confidence", "assumed") if src is not None else "assumed",
        "note": note,
    }
