"""Geometry samples inside windows, and the satellite's sunlight over the span.

Samples sit on one grid for the whole span, ``t = k · sample_step_s`` after the span start, so that
windows of different stations share sample times: the satellite is propagated once per distinct
sample time and that state is reused for every station and every pair.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mission import frames
from mission.passes import CoarseTrack, Site, coarse_track, positive_intervals


@dataclass(frozen=True)
class Samples:
    """Per-sample geometry of a list of windows seen from one station per window (one leg).

    Window ``w`` owns samples ``offsets[w]:offsets[w + 1]``. All arrays have one entry per sample.

    Attributes
    ----------
    offsets : ndarray (n_windows + 1,)
    time_s : ndarray
        Seconds after the span start (TT). [s]
    azimuth_deg, elevation_deg : ndarray
        Satellite direction from the station. [deg]
    range_km, range_rate_km_s : ndarray
        Slant range and its rate (positive receding). [km], [km/s]
    sun_elevation_deg : ndarray
        Sun elevation at the station. [deg]
    moon_elevation_deg : ndarray
        Moon elevation at the station. [deg]
    moon_angle_deg : ndarray
        Angle between the Moon and the satellite seen from the station. [deg]
    moon_illumination : ndarray
        Illuminated fraction of the Moon's disc. [1]
    sunlit : ndarray of bool
        Satellite outside the Earth's shadow.
    """

    offsets: np.ndarray
    time_s: np.ndarray
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    range_km: np.ndarray
    range_rate_km_s: np.ndarray
    sun_elevation_deg: np.ndarray
    moon_elevation_deg: np.ndarray
    moon_angle_deg: np.ndarray
    moon_illumination: np.ndarray
    sunlit: np.ndarray

    def window(self, w: int) -> slice:
        return slice(int(self.offsets[w]), int(self.offsets[w + 1]))

    @property
    def window_of_sample(self) -> np.ndarray:
        """Index of the window each sample belongs to."""
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))


def grid_indices(windows_s: np.ndarray, step_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid indices k (t = k·step) inside each window [start, end], flattened, and the offsets."""
    windows_s = np.asarray(windows_s, dtype=float).reshape(-1, 2)
    k0 = np.ceil(windows_s[:, 0] / step_s - 1e-9).astype(np.int64)
    k1 = np.floor(windows_s[:, 1] / step_s + 1e-9).astype(np.int64)
    count = np.maximum(k1 - k0 + 1, 0)
    offsets = np.concatenate([[0], np.cumsum(count)])
    k = np.repeat(k0, count) + (np.arange(offsets[-1]) - np.repeat(offsets[:-1], count))
    return k, offsets


@dataclass(frozen=True)
class SharedState:
    """Satellite, Sun and Moon at a set of distinct grid indices (shared by all stations)."""

    k: np.ndarray  # sorted distinct grid indices
    sat_km: np.ndarray  # (3, n)
    sat_v_km_s: np.ndarray
    sun_km: np.ndarray
    moon_km: np.ndarray
    moon_illumination: np.ndarray
    sunlit: np.ndarray


def shared_state(satrec, t0, k: np.ndarray, step_s: float, sun, moon) -> SharedState:
    """Propagate once per distinct grid index in ``k``."""
    k = np.unique(k)
    t = k * step_s
    st = frames.propagate_itrs(satrec, t0, t)
    sun_km = sun.itrs_km_at(t)
    return SharedState(
        k, st.position_km, st.velocity_km_s, sun_km, moon.itrs_km_at(t),
        moon.illumination_at(t), frames.sunlit(st.position_km, sun_km),
    )


def sample_leg(shared: SharedState, sites: list[Site], site_of_window: np.ndarray,
               windows_s: np.ndarray, step_s: float) -> Samples:
    """Geometry of each window from its own station, gathered from the shared state."""
    k, offsets = grid_indices(windows_s, step_s)
    at = np.searchsorted(shared.k, k)
    n = k.size
    out = {name: np.empty(n) for name in (
        "azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s",
        "sun_elevation_deg", "moon_elevation_deg", "moon_angle_deg")}
    site_of_sample = np.repeat(np.asarray(site_of_window, dtype=np.int64), np.diff(offsets))
    for s in np.unique(site_of_sample):
        sel = site_of_sample == s
        idx = at[sel]
        frame = sites[s].frame
        r = shared.sat_km[:, idx]
        az, el, rng, rr = frames.topocentric(frame, r, shared.sat_v_km_s[:, idx])
        out["azimuth_deg"][sel], out["elevation_deg"][sel] = az, el
        out["range_km"][sel], out["range_rate_km_s"][sel] = rng, rr
        out["sun_elevation_deg"][sel] = frames.elevation_deg(frame, shared.sun_km[:, idx])
        moon = shared.moon_km[:, idx]
        out["moon_elevation_deg"][sel] = frames.elevation_deg(frame, moon)
        d_sat = r - frame.position_km[:, None]
        d_moon = moon - frame.position_km[:, None]
        cos = np.einsum("in,in->n", d_sat, d_moon) / (rng * np.linalg.norm(d_moon, axis=0))
        out["moon_angle_deg"][sel] = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return Samples(
        offsets=offsets, time_s=k * step_s, moon_illumination=shared.moon_illumination[at],
        sunlit=shared.sunlit[at], **out,
    )


def sunlit_intervals(satrec, t0, span_s: float, sun, track: CoarseTrack | None = None) -> np.ndarray:
    """Intervals in which the satellite is in sunlight, refined to 10 ms. [s]

    The function searched is ψ − asin(R⊕/r), with ψ the angle between the satellite and the
    anti-Sun direction: positive in sunlight, continuous across shadow entry and exit, and the
    same criterion as :func:`mission.frames.sunlit`.
    """
    track = track or coarse_track(satrec, t0, span_s)

    def shadow_function(r, s):
        r_norm = np.linalg.norm(r, axis=0)
        cos_psi = -np.einsum("in,in->n", r, s) / (r_norm * np.linalg.norm(s, axis=0))
        psi = np.arccos(np.clip(cos_psi, -1.0, 1.0))
        return psi - np.arcsin(np.clip(frames.EARTH_EQUATORIAL_RADIUS_KM / r_norm, -1.0, 1.0))

    def evaluate(t, _):
        return shadow_function(frames.propagate_itrs(satrec, t0, t).position_km, sun.itrs_km_at(t))

    coarse = shadow_function(track.position_km, sun.itrs_km_at(track.grid_s))
    (out,) = positive_intervals(track.grid_s, [coarse], evaluate, span_s, 0.05, 1e-2)
    return out


def concat(parts: list[Samples]) -> Samples:
    """Join the samples of several window lists into one (windows keep their order)."""
    if not parts:
        k, offsets = grid_indices(np.empty((0, 2)), 1.0)
        empty = np.empty(0)
        return Samples(offsets, empty, empty, empty, empty, empty, empty, empty, empty, empty, np.empty(0, bool))
    offsets = [parts[0].offsets]
    base = parts[0].offsets[-1]
    for p in parts[1:]:
        offsets.append(p.offsets[1:] + base)
        base += p.offsets[-1]
    fields = [f for f in Samples.__dataclass_fields__ if f != "offsets"]
    return Samples(np.concatenate(offsets), **{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})
