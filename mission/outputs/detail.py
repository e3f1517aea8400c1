"""What the report draws beyond the tables: the stations, the first satellite's ground track and the
per-sample detail of the chosen passes (read from stage results; no physics)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...groundstations.catalog import Station
from ..orbits import frames
from ..stages import OrbitStage, WindowStage

if TYPE_CHECKING:
    import pandas as pd


def stations_table(stations: list[Station]) -> pd.DataFrame:
    """The stations for the report's map and tables: name, position, aperture. [deg], [m]"""
    import pandas as pd

    return pd.DataFrame([{"name": s.name, "latitude_deg": s.latitude_deg, "longitude_deg": s.longitude_deg,
                          "altitude_m": s.altitude_m, "aperture_m": s.aperture_m} for s in stations])


def nights_table(windows: WindowStage, t0) -> pd.DataFrame:
    """Each station's nights (the Sun below the scenario's night rule), for the report's timeline:
    ``station``, ``start_utc``, ``end_utc``, in station then time order. (The Sun's elevation at a
    station does not depend on the satellite: one satellite's windows give every station's nights.)"""
    import pandas as pd

    rows = [(w.site.name, s, e) for w in windows.stations for s, e in np.asarray(w.dark_s, float).reshape(-1, 2)]
    if not rows:
        return pd.DataFrame(columns=["station", "start_utc", "end_utc"])
    names, start, end = zip(*rows)
    return pd.DataFrame({"station": list(names), "start_utc": frames.utc_iso(t0, np.array(start)),
                         "end_utc": frames.utc_iso(t0, np.array(end))})


def ground_track(orbit: OrbitStage, orbits: float = 3.0, step_s: float = 30.0) -> pd.DataFrame:
    """Sub-satellite points of the first satellite over its first few orbits (for the report's map)."""
    import pandas as pd

    t = np.arange(0.0, min(orbits * orbit.infos[0].period_min * 60.0, orbit.span_s), step_s)
    r = frames.propagate_itrs(orbit.satrecs[0], orbit.t0, t).position_km
    lat = np.degrees(np.arctan2(r[2], np.hypot(r[0], r[1])))  # geocentric latitude (a map, not geodesy)
    lon = np.degrees(np.arctan2(r[1], r[0]))
    return pd.DataFrame({"time_utc": frames.utc_iso(orbit.t0, t), "latitude_deg": lat, "longitude_deg": lon})


def pass_detail(table: pd.DataFrame, samples, n: int, t0) -> dict:
    """Per-sample detail of at most ``n`` passes for the report: the best pass (most heralded pairs)
    of each station or pair, best first, one per link (a pair's best passes are nights apart with
    near-identical geometry), so that the report can say "the best pass of each link".
    ``samples(pass_ids)`` gives the per-sample table of those passes (computed for them only)."""
    if not len(table) or n == 0:
        return {}
    ranked = table.sort_values(["heralded_pairs", "pass_id"], ascending=[False, True], kind="mergesort")
    link = ranked["station_a"].astype(str) + "+" + ranked["station_b"].astype(str)
    best = ranked[~link.duplicated()].head(n)
    chosen = samples(list(best["pass_id"]))
    out = {}
    for pid in best["pass_id"]:
        d = chosen[chosen["pass_id"] == pid].reset_index(drop=True)
        d.insert(1, "time_utc", frames.utc_iso(t0, d["time_s"].to_numpy()))
        out[pid] = d
    return out
