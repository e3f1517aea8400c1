"""The map's output set: ``map.nc`` (CF NetCDF), ``sites.parquet``, ``map.json`` and ``map.html``.

``map.nc`` is NetCDF-3 (classic) written by xarray's scipy backend: scipy is already a dependency,
the classic format opens in every NetCDF reader (xarray, netCDF4-C's ncdump, Panoply, GDAL), and
no HDF5 library is needed on the user's machine (h5netcdf would add h5py's compiled HDF5). A
map's fields are small (a global 2° map is ~2 MB), so NetCDF-4's compression buys little. Drawing
only: the numbers come from :class:`.assemble.MapResult`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..outputs import export, outset
from ..outputs.figures import STATION_COLOUR, _base_layout, house_template
from ..outputs.numbers import expected
from ..outputs.page import esc, figure_html, fmt, html_table, page, section
from .assemble import CAVEATS, FIELDS, MapResult

MAP_FIGURE_ID = "skyswap-map-figure"
SITE_COLUMNS = ["site", "kind", "name", "latitude_deg", "longitude_deg", "altitude_m", "land_fraction", "aperture_m",
                "partner", "rank_p10", *FIELDS, "cloud_source", "cloud_confidence", "note"]


def netcdf_bytes(result: MapResult) -> bytes:
    """The gridded fields as CF-1.8 NetCDF-3 (deterministic bytes: no timestamps)."""
    import xarray as xr

    g = result.grid
    coords = {
        "lat": ("lat", g.latitude_deg, {"standard_name": "latitude", "long_name": "latitude of the cell centre",
                                        "units": "degrees_north", "axis": "Y", "bounds": "lat_bnds"}),
        "lon": ("lon", g.longitude_deg, {"standard_name": "longitude", "long_name": "longitude of the cell centre",
                                         "units": "degrees_east", "axis": "X", "bounds": "lon_bnds"}),
    }
    data = {
        "lat_bnds": (("lat", "nv"), np.column_stack([g.latitude_edges_deg[:-1], g.latitude_edges_deg[1:]]),
                     {"units": "degrees_north"}),
        "lon_bnds": (("lon", "nv"), np.column_stack([g.longitude_edges_deg[:-1], g.longitude_edges_deg[1:]]),
                     {"units": "degrees_east"}),
        "land_fraction": (("lat", "lon"), g.land_fraction.astype(float),
                          {"units": "1", "long_name": "fraction of the cell that is not sea (ITU-R P.1511-2)",
                           "standard_name": "land_area_fraction"}),
        "altitude": (("lat", "lon"), g.altitude_m.astype(float),
                     {"units": "m", "long_name": "mean height of the cell's land above mean sea level (ITU-R P.1511-2)",
                      "standard_name": "surface_altitude"}),
        "evaluated": (("lat", "lon"), g.evaluated.astype(np.int8),
                      {"long_name": "cell evaluated (enough land for a station)", "flag_values": np.array([0, 1], np.int8),
                       "flag_meanings": "sea_or_little_land evaluated"}),
    }
    for name, (units, long_name) in FIELDS.items():
        key = {"p10": "heralded_pairs_p10", "p50": "heralded_pairs_p50", "p90": "heralded_pairs_p90",
               "mean_weather": "heralded_pairs_mean_over_weather"}.get(name, name)
        data[key] = (("lat", "lon"), result.fields[name], {"units": units, "long_name": long_name})
    p = result.provenance
    attrs = {
        "Conventions": "CF-1.8",
        "title": f"skyswap site-suitability map: {result.scenario_name} ({result.mode})",
        "institution": "skyswap (open-source mission planner)",
        "source": f"{p['software']}: orbit, windows, link, payload and weather model per cell",
        "history": f"skyswap map {result.scenario_name}",
        "references": "ITU-R P.1511-2 (08/2019) topography; ITU-R P.840-8 (08/2019) clouds; both as packaged in itur 0.4.0",
        "comment": " ".join(CAVEATS),
        # prefixed: scipy's writer keeps global attributes among its own (an attribute "mode" breaks it)
        **{f"skyswap_{k}": (v if isinstance(v, (int, float, str)) else export.json_text(v).strip())
           for k, v in p.items() if k not in ("caveats",)},
    }
    ds = xr.Dataset({k: xr.Variable(*v) for k, v in data.items()},
                    coords={k: xr.Variable(*v) for k, v in coords.items()}, attrs=attrs)
    for var in ds.data_vars.values():
        if var.dtype.kind == "f":
            var.encoding["_FillValue"] = np.nan
    for name in ("lat", "lon", "lat_bnds", "lon_bnds"):
        ds[name].encoding["_FillValue"] = None
    return bytes(ds.to_netcdf(None, engine="scipy", format="NETCDF3_64BIT"))  # no path: the file's bytes


def site_table(result: MapResult) -> pd.DataFrame:
    """One row per evaluated cell and catalog station, in site order."""
    rows = result.sites
    return rows[[c for c in SITE_COLUMNS if c in rows.columns]].reset_index(drop=True)


def summary(result: MapResult) -> dict:
    """``map.json``: provenance, counts, the top cells, the network and the catalog stations."""
    cols = ["rank_p10", "latitude_deg", "longitude_deg", "altitude_m", "partner", "windows", "window_hours",
            "expected_heralded_pairs", "p10", "p50", "p90", "secret_key_bits_p50", "cloud_free_probability", "note"]
    stations = result.sites[result.sites["kind"] == "station"]
    return {"provenance": result.provenance, "counts": result.counts,
            "top_cells": result.top[cols].to_dict(orient="records"), "network": result.network,
            "stations": stations[["name", *cols]].to_dict(orient="records")}


def map_figure(result: MapResult) -> go.Figure:
    """P10 of the span's heralded pairs per cell (log colour scale) over coastlines; catalog stations
    and the greedy network marked."""
    g = result.grid
    lat0, lat1, lon0, lon1 = g.region
    width_px, height_px = 1180, max(320, min(760, int(1180 * (lat1 - lat0) / (lon1 - lon0)) + 60))
    px_per_deg = min((width_px - 120) / (lon1 - lon0), (height_px - 60) / (lat1 - lat0))
    fig = go.Figure()
    _base_layout(fig, height_px)
    cells = result.sites[result.sites["kind"] == "cell"]
    p10 = cells["p10"].to_numpy(float)
    positive = p10 > 0
    hover = [f"{la:.2f}°, {lo:.2f}° ({al:.0f} m)<br>windows {w:,}, {h:.1f} h<br>expected {expected(e)}"
             f"<br>P10 {expected(a)}, P90 {expected(b)}" + (f"<br>partner {pa}" if pa else "") + (f"<br>{n}" if n else "")
             for la, lo, al, w, h, e, a, b, pa, n in zip(
                 cells["latitude_deg"], cells["longitude_deg"], cells["altitude_m"], cells["windows"],
                 cells["window_hours"], cells["expected_heralded_pairs"], cells["p10"], cells["p90"], cells["partner"],
                 cells["note"])]
    size = max(3.0, g.resolution_deg * px_per_deg)
    hover_arr = np.array(hover, dtype=object)
    if (~positive).any():
        fig.add_trace(go.Scattergeo(lat=cells["latitude_deg"][~positive], lon=cells["longitude_deg"][~positive],
                                    mode="markers", name="no heralded pair (P10 = 0)", hovertext=hover_arr[~positive],
                                    hoverinfo="text", marker={"symbol": "square", "size": size, "color": "#c9c9c9",
                                                              "line": {"width": 0}}))
    if positive.any():
        fig.add_trace(go.Scattergeo(
            lat=cells["latitude_deg"][positive], lon=cells["longitude_deg"][positive], mode="markers",
            name="P10 of heralded pairs", hovertext=hover_arr[positive], hoverinfo="text",
            marker={"symbol": "square", "size": size, "color": np.log10(p10[positive]), "colorscale": "Viridis",
                    "line": {"width": 0}, "opacity": 0.9,
                    "colorbar": {"title": {"text": "log10 P10<br>heralded pairs"}, "thickness": 14}}))
    st = result.sites[result.sites["kind"] == "station"]
    if len(st):
        fig.add_trace(go.Scattergeo(lat=st["latitude_deg"], lon=st["longitude_deg"], mode="markers+text",
                                    text=st["name"], textposition="top center", textfont={"size": 10},
                                    name="catalog stations", marker={"size": 7, "color": STATION_COLOUR,
                                                                      "line": {"color": "#222", "width": 1}},
                                    hovertext=[f"<b>{n}</b><br>expected {expected(e)}, P10 {expected(a)}" for n, e, a in
                                               zip(st["name"], st["expected_heralded_pairs"], st["p10"])],
                                    hoverinfo="text"))
    if result.network:
        fig.add_trace(go.Scattergeo(lat=[r["latitude_deg"] for r in result.network],
                                    lon=[r["longitude_deg"] for r in result.network], mode="markers",
                                    name=f"best network of {len(result.network)} (P10)",
                                    marker={"symbol": "star", "size": 14, "color": "#d62728",
                                            "line": {"color": "#fff", "width": 1}},
                                    hovertext=[f"#{i + 1} {r['station']}: network P10 {expected(r['p10'])}"
                                               for i, r in enumerate(result.network)], hoverinfo="text"))
    # lakes and rivers off: the inlined base map (page.py) carries land, coastlines and countries only
    fig.update_geos(projection_type="equirectangular", scope="world", resolution=110, showlakes=False, showrivers=False,
                    showland=True, landcolor="#f4f1e8",
                    showocean=True, oceancolor="#e3eef8", showcoastlines=True, coastlinecolor="#555",
                    showcountries=True, countrycolor="#aaa", showframe=True, framecolor="#888",
                    lataxis={"range": [lat0, lat1], "showgrid": True, "dtick": 10 if lat1 - lat0 > 40 else 5,
                             "gridcolor": "#d0d8e4"},
                    lonaxis={"range": [lon0, lon1], "showgrid": True, "dtick": 30 if lon1 - lon0 > 90 else 5,
                             "gridcolor": "#d0d8e4"})
    fig.update_layout(width=width_px, autosize=False, margin={"l": 10, "r": 10, "t": 10, "b": 40},
                      legend={"orientation": "h", "y": -0.02, "x": 0.5, "xanchor": "center", "yanchor": "top"})
    return fig


@house_template
def render_html(result: MapResult) -> str:
    """The self-contained page: the map, what it does not know, the top cells, the network, stations."""
    p, c = result.provenance, result.counts
    head = (f"<header><h1>Where to build: {esc(result.scenario_name)}</h1>"
            f"<p>{esc(result.mode)}{' with partner ' + esc(result.partner) if result.partner else ''}; "
            f"{esc(p['span_start_utc'])} + {p['span_days']:g} days; {p['resolution_deg']:g}° cells over "
            f"{esc(', '.join(f'{x:g}' for x in p['region_deg']))} (lat0, lat1, lon0, lon1); "
            f"{c['evaluated']:,} land cells evaluated ({c['without_window']:,} without a window), "
            f"{c['sea_or_little_land']:,} sea or coast cells not, {c['catalog_stations']} catalog stations; "
            f"{p['draws']:,} simulated weather years per cell.</p></header>")
    fig = section("P10 of the span's heralded pairs per cell",
                  '<p class="caption">Colour: log10 of the 10th percentile over simulated weather (a bad year); grey: '
                  'no heralded pair in a bad year. Stars: the greedy network for the weather\'s P10. Hover for each '
                  'cell\'s numbers.</p>' + figure_html(map_figure(result), MAP_FIGURE_ID), "map")
    caveats = section("What this map does not know", "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in CAVEATS) + "</ul>",
                      "caveats", "notes")
    cols = [("rank_p10", "rank (P10)"), ("latitude_deg", "latitude [°]"), ("longitude_deg", "longitude [°]"),
            ("altitude_m", "altitude [m]"), ("partner", "partner"), ("windows", "windows"),
            ("window_hours", "window hours"), ("expected_heralded_pairs", "expected heralded pairs"), ("p10", "P10"),
            ("p50", "P50"), ("p90", "P90"), ("secret_key_bits_p50", "key P50 [bit]"),
            ("cloud_free_probability", "cloud-free probability"), ("note", "note")]
    top = section(f"Top {len(result.top)} cells (by P10)", html_table(result.top.to_dict(orient="records"), cols,
                                                                         "skyswap-map-top"), "top")
    net_cols = [("station", "added station"), ("latitude_deg", "latitude [°]"), ("longitude_deg", "longitude [°]"),
                ("p10", "network P10"), ("p50", "network P50"), ("mean", "network mean"),
                ("added_p10", "added to P10"), ("added_p50", "added to P50")]
    net = section("Best network for the weather's P10 (greedy, one downlink telescope)",
                  '<p class="caption">Candidates: the top cells and the catalog stations of the map, drawn over the same '
                  'simulated years (nearby sites share clouds). Each step adds the station that raises the network\'s '
                  'P10 most; windows overlapping in time are alternatives, the best clear one served.</p>'
                  + (html_table(result.network, net_cols, "skyswap-map-network") if result.network
                     else "<p>No site delivers a heralded pair.</p>"), "network")
    st = result.sites[result.sites["kind"] == "station"].sort_values("rank_p10", kind="mergesort")
    stations = section("Catalog stations on the same model", html_table(
        st.to_dict(orient="records"), [("name", "station"), *cols[:1], *cols[3:]], "skyswap-map-stations"), "stations")
    prov = section("Provenance", "<pre>" + esc(export.json_text(p)) + "</pre>", "provenance")
    return page(f"skyswap map: {result.scenario_name}", "\n".join([head, fig, caveats, top, net, stations, prov]))


def closing_line(result: MapResult) -> str:
    """The command line's one line: cells evaluated and the best cell."""
    c = result.counts
    line = f"{result.scenario_name} map ({result.mode}): {c['evaluated']:,} land cells"
    if not c["evaluated"]:
        return line + " (no land cell in the region: nothing to evaluate)"
    line += f", {c['without_window']:,} without a window"
    if len(result.top) and result.top["p10"].iloc[0] > 0:
        t = result.top.iloc[0]
        line += (f"; best cell {t['latitude_deg']:.2f}°, {t['longitude_deg']:.2f}°: P10 {expected(t['p10'])}, "
                 f"expected {expected(t['expected_heralded_pairs'])} heralded pairs")
    return line


def write(result: MapResult, out_dir: Path) -> list[Path]:
    """The set, replacing the previous one as a whole (with its manifest)."""
    files: dict[str, bytes | str] = {"map.nc": netcdf_bytes(result), "sites.parquet": export.parquet_bytes(site_table(result)),
             "sites.csv": export.csv_text(site_table(result)), "map.json": export.json_text(summary(result)),
             "map.html": render_html(result)}
    return outset.write_set(out_dir, files, "map")


_ = fmt  # the page's number formatting is html_table's
