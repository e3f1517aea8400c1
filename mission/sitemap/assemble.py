"""What ``skyswap map`` returns: the gridded fields, the table of sites, the top cells, the network."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...groundstations.cloud_bias import corrected_source, grid_correction
from ...groundstations.topography import GRID_SOURCE as TOPOGRAPHY_SOURCE
from ..outputs.summary import software_versions
from .dispatch import MapRun, site_station
from .grid import MapGrid
from .network import greedy_network

#: Cells listed as the map's best. [1]
TOP_CELLS = 20
#: The gridded quantities: column of the site table, units and long name (CF).
FIELDS = {
    "windows": ("1", "usable windows in the span (above the mask, at night at every station)"),
    "window_hours": ("h", "time in usable windows over the span"),
    "heralded_pairs_clear_skies": ("1", "heralded pairs over the span if every window had clear skies"),
    "expected_heralded_pairs": ("1", "expected heralded pairs over the span after clouds"),
    "mean_weather": ("1", "mean of the span's heralded pairs over simulated weather"),
    "p10": ("1", "10th percentile of the span's heralded pairs over simulated weather"),
    "p50": ("1", "median of the span's heralded pairs over simulated weather"),
    "p90": ("1", "90th percentile of the span's heralded pairs over simulated weather"),
    "secret_key_bits_p10": ("bit", "10th percentile of the span's finite-size BBM92 key over simulated weather"),
    "secret_key_bits_p50": ("bit", "median of the span's finite-size BBM92 key over simulated weather"),
    "secret_key_bits_p90": ("bit", "90th percentile of the span's finite-size BBM92 key over simulated weather"),
    "fidelity": ("1", "fidelity of the heralded pairs (weighted by heralded pairs)"),
    "cloud_free_probability": ("1", "annual mean cloud-free probability at the cell (the cloud model's)"),
}
#: What the map does not know (the page, the README and the NetCDF's comment say it).
CAVEATS = (
    "Clouds: each cell takes the global ITU-R P.840 grid (liquid water only, all hours, ~1° cells) scaled by one "
    "factor fitted on 15 observatories' published usable-night fractions (docs/weather.md; leave-one-out error "
    "~0.04 median, 0.12 RMS): no months, no cirrus of its own, and a summit above a cloudy cell's inversion "
    "(Mauna Kea) is far clearer than its cell. Each cell's cloud_confidence says whether its grid value lies "
    "within the range the cited sites check.",
    "Station template: every cell gets the same telescope and receiver (the scenario's candidate: section; "
    "defaults are the catalog's assumptions) at the cell's centre and its mean land height (ITU-R P.1511-2): "
    "a summit observatory sits higher, with less aerosol and better seeing, than its cell's mean.",
    "Seeing: the template's median seeing, or the Hufnagel-Valley 5/7 profile, everywhere; no site's own.",
    "Windows are integrated on a grid of candidate.step_s (10 s) with interpolated edges; plan and compare sum "
    "the scenario's samples (they agree within 1 % at catalog sites: tests/test_sitemap.py).",
)


@dataclass(frozen=True)
class MapResult:
    """A site map: the grid's fields, the table of sites, the top cells and the greedy network."""

    scenario_name: str
    scenario_hash: str
    mode: str
    partner: str
    grid: MapGrid
    fields: dict  # name -> ndarray (n_lat, n_lon), NaN where not evaluated
    sites: pd.DataFrame  # one row per evaluated cell and catalog station
    top: pd.DataFrame
    network: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    @property
    def counts(self) -> dict:
        """Cells of the grid: all, evaluated (land), sea, and evaluated without a window."""
        cells = self.sites[self.sites["kind"] == "cell"]
        return {"cells": int(self.grid.evaluated.size), "evaluated": int(len(cells)),
                "sea_or_little_land": int(self.grid.evaluated.size - len(cells)),
                "without_window": int((cells["windows"] == 0).sum()),
                "catalog_stations": int((self.sites["kind"] == "station").sum())}


def build_result(run: MapRun) -> MapResult:
    """The gridded fields, ranked tables, greedy network and provenance of a finished run."""
    ctx, rows = run.context, run.rows.copy()
    grid, sc = ctx.grid, ctx.scenario
    n_lat, n_lon = grid.shape
    if len(rows):
        rows["cell"] = np.where(rows["kind"] == "cell", ctx.cell_ids[np.minimum(rows["site"], len(ctx.cell_ids) - 1)]
                                if len(ctx.cell_ids) else -1, -1)
        order = sorted(range(len(rows)), key=lambda i: (-rows["p10"].iloc[i], -rows["expected_heralded_pairs"].iloc[i],
                                                        int(rows["site"].iloc[i])))
        rank = np.empty(len(rows), int)
        rank[order] = np.arange(1, len(rows) + 1)
        rows["rank_p10"] = rank
    else:
        text = ("kind", "name", "partner", "cloud_source", "cloud_confidence", "note")
        columns = ["site", "kind", "name", "latitude_deg", "longitude_deg", "altitude_m", "land_fraction", "aperture_m",
                   "partner", "cell", "rank_p10", *FIELDS, "cloud_source", "cloud_confidence", "note"]
        rows = pd.DataFrame({c: pd.Series(dtype=object if c in text else float) for c in columns})
    fields = {}
    cells = rows[rows["kind"] == "cell"]
    idx = cells["cell"].to_numpy(int)
    for name in FIELDS:
        f = np.full(n_lat * n_lon, np.nan)
        f[idx] = cells[name].to_numpy(float)
        fields[name] = f.reshape(n_lat, n_lon)
    top = cells.sort_values("rank_p10", kind="mergesort").head(TOP_CELLS).reset_index(drop=True)
    # the network: the top cells and the catalog stations of the map
    chosen = list(top["site"].astype(int)) + list(rows.loc[rows["kind"] == "station", "site"].astype(int))
    by_site = {int(s): i for i, s in enumerate(rows["site"].astype(int))} if len(rows) else {}
    partners = [ctx.partner] if ctx.partner is not None else list(ctx.pool)
    sites, wins = [], []
    for s in chosen:
        st, kind, _ = site_station(ctx, s)
        label = st.name if kind == "station" else f"cell {st.latitude_deg:.2f}°, {st.longitude_deg:.2f}°"
        w = dict(run.windows[by_site[s]])
        if ctx.partner is not None and w["partner"] == -2:
            w["partner"] = 0
        sites.append((label, st))
        wins.append(w)
    network = greedy_network(sc, ctx.shared, sites, wins, partners, ctx.candidate.network_stations,
                             int(sc.outputs.draws)) if sites else []
    mode = "single-downlink" if run.job.partner is None else "dual-downlink"
    provenance = {
        "software": f"skyswap {software_versions()['skyswap']}", "scenario": sc.name, "scenario_sha256": sc.hash(),
        "span_start_utc": sc.span.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"), "span_days": sc.span.duration_s / 86400.0,
        "mode": mode, "partner": run.job.partner or "", "resolution_deg": grid.resolution_deg,
        "region_deg": list(grid.region), "min_land_fraction": ctx.candidate.min_land_fraction,
        "step_s": ctx.candidate.step_s, "draws": int(sc.outputs.draws), "seed": int(sc.outputs.seed),
        "station_template": ctx.candidate.model_dump(mode="json"), "elevation_mask_default_deg": sc.elevation_mask_deg,
        "night_sun_elevation_max_deg": sc.night.sun_elevation_max_deg,
        "topography": TOPOGRAPHY_SOURCE, "clouds": corrected_source(grid_correction()), "caveats": list(CAVEATS),
    }
    return MapResult(sc.name, sc.hash(), mode, run.job.partner or "", grid, fields, rows, top, network, provenance)
