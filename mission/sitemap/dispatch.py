"""``skyswap map``: every land cell of a grid (and every catalog station) as a site, on Dask.

The work is a list of sites — the evaluated cells of the grid (:mod:`.grid`) in row-major order,
then the catalog stations — cut into chunks of :data:`CHUNK_SITES`. Each chunk is one Dask task
(:func:`evaluate_chunk`): on a local cluster started on 127.0.0.1 for the run, or on an existing
one (``--scheduler``). A worker process builds the shared stage once (:mod:`.shared`: one
propagation per satellite for the whole map, from the job alone, so every worker builds the
same arrays) and keeps it for all its chunks; each site is computed on its own arrays
(:mod:`.cells`) and its weather is seeded from the scenario's seed and the site's index. So the
map is byte-identical whatever the number of workers and the chunk size.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...groundstations.catalog import Station, UnknownStationError, get_station, load_catalog
from ...groundstations.cloud_process import great_circle_distance_km
from ..compare import PARTNER_KM
from ..scenario.candidate import Candidate
from ..scenario.errors import InputError
from ..scenario.schema import Scenario, station_key
from . import cells as site_cells
from .grid import GLOBAL, MapGrid, make_grid
from .shared import SharedStage, check_track_points, shared_stage

#: Sites per Dask task. [1]
CHUNK_SITES = 48
#: ``--partner best``: the best catalog station within :data:`mission.compare.PARTNER_KM`.
BEST = "best"


@dataclass(frozen=True)
class MapJob:
    """Everything a worker needs to evaluate any site of a map (small and picklable)."""

    scenario: dict  # the validated scenario, as JSON
    resolution_deg: float = 2.0
    region: tuple = GLOBAL
    partner: str | None = None
    draws: int = 1000

    @functools.cached_property
    def key(self) -> str:
        """A digest naming the job (the workers' cache key)."""
        text = json.dumps([self.scenario, self.resolution_deg, list(self.region), self.partner, self.draws],
                          sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Context:
    """A worker's view of a job: the scenario, grid, sites and the shared stage."""

    scenario: Scenario
    candidate: Candidate
    grid: MapGrid
    cell_ids: np.ndarray  # evaluated cells (flat indices)
    stations: list  # catalog stations in the region as sites (the scenario's version where it lists them)
    partner: Station | None  # --partner NAME
    pool: list  # --partner best: every catalog station (the scenario's version where it lists them)
    shared: SharedStage

    @property
    def n_sites(self) -> int:
        """Cells and catalog stations."""
        return int(self.cell_ids.size) + len(self.stations)


def resolve_partner(scenario: Scenario, name: str | None) -> Station | None:
    """The partner station named by ``--partner`` (a scenario station, else a catalog one); None
    for single downlink or ``best``."""
    if name is None or name.strip().casefold() == BEST:
        return None
    for st in scenario.stations:
        if station_key(st.name) == station_key(name):
            return st
    try:
        return get_station(name)
    except UnknownStationError as exc:
        raise InputError("--partner", name, f"{exc}; or 'best' for the best catalog station within reach") from None


def catalog_sites(scenario: Scenario, region=GLOBAL) -> list[Station]:
    """The catalog stations inside ``region``, each as the scenario gives it when it lists it."""
    mine = {station_key(s.name): s for s in scenario.stations}
    lat0, lat1, lon0, lon1 = region
    return [mine.get(station_key(s.name), s) for s in load_catalog().values()
            if lat0 <= s.latitude_deg <= lat1 and lon0 <= s.longitude_deg <= lon1]


_CONTEXTS: dict[str, Context] = {}


def context(job: MapJob) -> Context:
    """The job's context, built once per process (the shared propagation is the expensive part)."""
    if job.key in _CONTEXTS:
        return _CONTEXTS[job.key]
    from ..stages import orbit_stage

    scenario = Scenario.model_validate(job.scenario)
    cand = scenario.candidate or Candidate()
    if cand.step_s > scenario.min_window_duration_s:
        raise InputError("candidate.step_s", cand.step_s, f"must not exceed min_window_duration_s "
                                                          f"({scenario.min_window_duration_s:g} s): a usable window "
                                                          "could fall between two steps")
    check_track_points(scenario.span.duration_s, cand.step_s, len(scenario.satellites))
    grid = make_grid(job.resolution_deg, job.region, cand.min_land_fraction)
    ids = grid.cells()
    stations = catalog_sites(scenario, grid.region)
    partner = resolve_partner(scenario, job.partner)
    best = job.partner is not None and partner is None
    pool = catalog_sites(scenario) if best else []
    lat, lon = grid.centre(ids)
    extra = stations + ([partner] if partner is not None else []) + pool
    masks = [cand.elevation_mask_deg or scenario.elevation_mask_deg, scenario.elevation_mask_deg]
    masks += [s.elevation_mask_deg for s in extra if s.elevation_mask_deg is not None]
    orbit = orbit_stage(scenario.satellites, scenario.span)
    shared = shared_stage(orbit, cand.step_s, np.r_[lat, [s.latitude_deg for s in extra]],
                          np.r_[lon, [s.longitude_deg for s in extra]], min(masks),
                          scenario.night.sun_elevation_max_deg)
    _CONTEXTS.clear()  # one job per process at a time
    _CONTEXTS[job.key] = Context(scenario, cand, grid, ids, stations, partner, pool, shared)
    return _CONTEXTS[job.key]


def site_station(ctx: Context, site: int) -> tuple[Station, str, float]:
    """The station of site ``site`` (a cell's candidate, or a catalog station), its kind and land share."""
    n = ctx.cell_ids.size
    if site >= n:
        st = ctx.stations[site - n]
        return st, "station", float("nan")
    cell = int(ctx.cell_ids[site])
    i, j = divmod(cell, ctx.grid.shape[1])
    lat, lon = float(ctx.grid.latitude_deg[i]), float(ctx.grid.longitude_deg[j])
    st = Station(name=f"cell {lat:+.3f} {lon:+.3f}", latitude_deg=lat, longitude_deg=lon,
                 altitude_m=float(np.clip(ctx.grid.altitude_m[i, j], -400.0, 8900.0)),
                 source="skyswap map candidate (scenario candidate: section)", **ctx.candidate.station_fields())
    return st, "cell", float(ctx.grid.land_fraction[i, j])


def _seed(base: int, site: int, partner: int) -> int:
    """The weather seed of a site (and partner: −1 none, −2 the named one, k the pool's k-th)."""
    return int(np.random.SeedSequence([int(base), int(site), int(partner) + 2]).generate_state(1)[0])


def evaluate_site(ctx: Context, site: int, partner_mode: str | None) -> dict:
    """One site's row and windows (see :func:`evaluate_chunk`)."""
    st, kind, land = site_station(ctx, site)
    sc, seed = ctx.scenario, ctx.scenario.outputs.seed
    base = {"site": site, "kind": kind, "name": st.name if kind == "station" else "", "latitude_deg": st.latitude_deg,
            "longitude_deg": st.longitude_deg, "altitude_m": st.altitude_m, "land_fraction": land,
            "aperture_m": st.aperture_m}
    if partner_mode is None:
        year = site_cells.site_year(ctx.shared, sc, [st], _seed(seed, site, -1), _draws(ctx))
        return {"row": {**base, "partner": "", **year.row}, "windows": _windows(year, -1)}
    options: list[tuple[int, Station]]
    if ctx.partner is not None:
        options = [(-2, ctx.partner)]
    else:
        options = [(k, p) for k, p in enumerate(ctx.pool)
                   if station_key(p.name) != station_key(st.name)
                   and great_circle_distance_km(st.latitude_deg, st.longitude_deg, p.latitude_deg, p.longitude_deg)
                   < PARTNER_KM]
    best = None
    for k, p in options:
        if great_circle_distance_km(st.latitude_deg, st.longitude_deg, p.latitude_deg, p.longitude_deg) < 1.0:
            continue  # a partner on the same site shares its sky: not a pair
        year = site_cells.site_year(ctx.shared, sc, [st, p], _seed(seed, site, k), _draws(ctx))
        key = (year.row["expected_heralded_pairs"], -k)
        if best is None or key > best[0]:
            best = (key, k, p, year)
    if best is None:
        empty = site_cells.site_year(ctx.shared, sc, [st], 0, 0)
        row = {**empty.row, **{c: 0.0 for c in ("heralded_pairs_clear_skies", "expected_heralded_pairs", "mean_weather",
                                               "p10", "p50", "p90", "secret_key_bits_p10", "secret_key_bits_p50",
                                               "secret_key_bits_p90")},
               "windows": 0, "window_hours": 0.0, "fidelity": float("nan"),
               "note": ("it is the partner station itself" if ctx.partner is not None
                        else f"no partner station within {PARTNER_KM:,.0f} km")}
        return {"row": {**base, "partner": "", **row}, "windows": _windows(None, -1)}
    _, k, p, year = best
    return {"row": {**base, "partner": p.name, **year.row}, "windows": _windows(year, k)}


def _draws(ctx: Context) -> int:
    return int(ctx.scenario.outputs.draws)


def _windows(year, partner: int) -> dict:
    if year is None:
        return {"start_s": np.empty(0), "end_s": np.empty(0), "pairs": np.empty(0), "qber": np.empty(0), "partner": partner}
    return {"start_s": year.start_s, "end_s": year.end_s, "pairs": year.pairs, "qber": year.qber, "partner": partner}


def evaluate_chunk(job: MapJob, sites: list[int]) -> list[dict]:
    """Rows and windows of ``sites`` (the unit of work a Dask worker runs)."""
    ctx = context(job)
    mode = None if job.partner is None else job.partner
    return [evaluate_site(ctx, int(s), mode) for s in sites]


@dataclass(frozen=True)
class MapRun:
    """Every site's row and windows, in site order, and the context of the run."""

    job: MapJob
    rows: pd.DataFrame
    windows: list = field(repr=False)
    context: Context = field(repr=False)


def chunks(n_sites: int, size: int = CHUNK_SITES) -> list[list[int]]:
    """The sites cut into consecutive chunks of ``size``."""
    return [list(range(lo, min(lo + size, n_sites))) for lo in range(0, n_sites, max(1, int(size)))]


def _assemble(job: MapJob, ctx: Context, results: list[list[dict]]) -> MapRun:
    flat = [r for part in results for r in part]
    flat.sort(key=lambda r: r["row"]["site"])
    rows = pd.DataFrame([r["row"] for r in flat])
    return MapRun(job, rows, [r["windows"] for r in flat], ctx)


def run_serial(job: MapJob, chunk_sites: int = CHUNK_SITES, progress=None) -> MapRun:
    """The map in this process, chunk by chunk (the reference the Dask run equals)."""
    ctx = context(job)
    parts = chunks(ctx.n_sites, chunk_sites)
    out = []
    for i, c in enumerate(parts):
        out.append(evaluate_chunk(job, c))
        if progress is not None:
            progress("map cells", i + 1, len(parts))
    return _assemble(job, ctx, out)


def run_dask(job: MapJob, scheduler: str | None = None, workers: int = 2, chunk_sites: int = CHUNK_SITES,
             progress=None) -> MapRun:
    """The map on Dask: a local cluster of ``workers`` processes on 127.0.0.1, or ``scheduler``
    (:func:`mission.cluster.dask_client`)."""
    from dask.distributed import as_completed

    from ..cluster import dask_client

    if progress is not None:
        progress("orbit for every cell", 0, 1)
    ctx = context(job)  # validates the job here, before any worker starts
    parts = chunks(ctx.n_sites, chunk_sites)
    if not parts:  # a region of sea without a catalog station: nothing to evaluate
        return _assemble(job, ctx, [])
    with dask_client(scheduler, workers) as client:
        keys = [f"skyswap-map-{job.key[:12]}-{i}" for i in range(len(parts))]
        futures = client.map(evaluate_chunk, [job] * len(parts), parts, key=keys, pure=False)
        if progress is not None:
            progress("map cells", 0, len(futures))
            for done, _ in enumerate(as_completed(futures), start=1):
                progress("map cells", done, len(futures))
        results = client.gather(futures)
    return _assemble(job, ctx, results)
