"""The stations map: the world with the ground track, and one zoomed panel per region of stations.

Stations closer than :data:`REGION_KM` (single linkage) form a region; each region gets its own
equirectangular panel, so that European and Chinese stations are not squeezed into one view. The
map has a fixed size (:data:`MAP_WIDTH_PX`), which lets the labels be placed in pixels: each name
takes the first of a ring of positions around its station that overlaps no other name, no station
marker and stays inside the panel (crowded stations first); names pushed further out get a thin
leader line. :func:`label_layout` returns the boxes, so tests can check that no two overlap.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...groundstations.cloud_process import great_circle_distance_km
from .figures import STATION_COLOUR, TRACK_COLOUR, _base_layout, column, text_column
from .numbers import expected

#: Stations within this distance of another (single linkage) share a zoomed panel. [km]
REGION_KM = 3000.0
#: At most this many zoomed panels; more regions are shown together in one. [1]
MAX_REGIONS = 3
#: The map's fixed size, which the label placement works in. [px]
MAP_WIDTH_PX, WORLD_HEIGHT_PX, REGION_HEIGHT_PX = 1180, 330, 390
_MARGIN_PX = {"l": 10, "r": 10, "t": 10, "b": 40}
_V_GAP, _H_GAP = 0.04, 0.03
#: Label font size and the width of an average character at that size (an estimate). [px]
LABEL_FONT_PX, CHAR_PX, LABEL_HEIGHT_PX = 12, 7.6, 16.0
#: Half the smallest box a station marker keeps free of labels. [px]
MARKER_PX = 7.0
#: Marker diameters: a station with nothing expected, and the range from the least to the most. [px]
MARKER_ZERO_PX, MARKER_MIN_PX, MARKER_MAX_PX = 8.0, 8.0, 22.0
#: Pair line widths: a pair with nothing expected, and the range from the least to the most. [px]
LINE_ZERO_PX, LINE_MIN_PX, LINE_MAX_PX = 1.2, 1.5, 7.0
PAIR_COLOUR, DEAD_COLOUR = "#7a3e9d", "#9a9a9a"
#: Points per great-circle pair line (as plotly draws it: a geodesic) for the label placement. [1]
_ARC_POINTS = 24
_DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))


def regions(lat_deg, lon_deg, threshold_km: float = REGION_KM, max_regions: int = MAX_REGIONS) -> list[list[int]]:
    """Groups of station indices, single linkage at ``threshold_km`` [km]; all in one group when
    there would be more than ``max_regions``. Groups are ordered by their westernmost station."""
    lat, lon = np.asarray(lat_deg, float), np.asarray(lon_deg, float)
    ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    parent = {int(i): int(i) for i in ok}

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for x in ok:
        for y in ok[ok > x]:
            if great_circle_distance_km(lat[x], lon[x], lat[y], lon[y]) < threshold_km:
                parent[root(int(y))] = root(int(x))
    groups: dict[int, list[int]] = {}
    for i in ok:
        groups.setdefault(root(int(i)), []).append(int(i))
    out = sorted(groups.values(), key=lambda g: (float(np.min(lon[g])), g[0]))
    if len(out) > max_regions:
        return [sorted(int(i) for i in ok)]
    return out


def _panel_px(n_regions: int) -> tuple[float, float]:
    """Width and height of one zoomed panel in pixels (fixed figure size)."""
    width = MAP_WIDTH_PX - _MARGIN_PX["l"] - _MARGIN_PX["r"]
    height = WORLD_HEIGHT_PX + REGION_HEIGHT_PX
    row = height * (1 - _V_GAP) * REGION_HEIGHT_PX / (WORLD_HEIGHT_PX + REGION_HEIGHT_PX)
    col = width * (1 - _H_GAP * (n_regions - 1)) / max(n_regions, 1)
    return col, row


def region_ranges(lat, lon, panel_w_px: float, panel_h_px: float) -> tuple[list[float], list[float]]:
    """Latitude and longitude ranges around stations that fill a panel of the given size (one
    pixel per degree in both directions: equirectangular), with room for labels. [deg]"""
    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    half_lat = max(4.0, 0.5 * (lat.max() - lat.min()) * 1.35 + 2.0)
    half_lon = max(6.0, 0.5 * (lon.max() - lon.min()) * 1.25 + 4.0)
    aspect = panel_w_px / panel_h_px
    half_lat, half_lon = max(half_lat, half_lon / aspect), max(half_lon, half_lat * aspect)
    half_lat = min(half_lat, 90.0)
    mid_lat = float(np.clip(0.5 * (lat.max() + lat.min()), -90 + half_lat, 90 - half_lat))
    mid_lon = 0.5 * (lon.max() + lon.min())
    return [mid_lat - half_lat, mid_lat + half_lat], [mid_lon - half_lon, mid_lon + half_lon]


@dataclass(frozen=True)
class Label:
    """A placed name: its centre and box in panel pixels (y down), and whether it needs a leader line."""

    index: int
    x_px: float
    y_px: float
    width_px: float
    height_px: float
    leader: bool

    def overlaps(self, other: Label) -> bool:
        """True when the two boxes intersect."""
        return (abs(self.x_px - other.x_px) * 2 < self.width_px + other.width_px
                and abs(self.y_px - other.y_px) * 2 < self.height_px + other.height_px)


def label_width_px(name: str) -> float:
    """Estimated width of a label at :data:`LABEL_FONT_PX`. [px]"""
    return CHAR_PX * len(name) + 4.0


def marker_size_px(values) -> np.ndarray:
    """Marker diameters whose area grows with the value: :data:`MARKER_MIN_PX` for the least
    positive value up to :data:`MARKER_MAX_PX` for the largest (area ∝ value), and
    :data:`MARKER_ZERO_PX` where the value is 0 or unknown. [px]"""
    v = np.asarray(values, float)
    out = np.full(v.shape, MARKER_ZERO_PX)
    ok = np.isfinite(v) & (v > 0)
    if ok.any():
        frac = np.sqrt(v[ok] / v[ok].max())  # diameter ∝ sqrt(value): area ∝ value
        out[ok] = np.maximum(MARKER_MIN_PX, MARKER_MAX_PX * frac)
    return out


def line_width_px(values) -> np.ndarray:
    """Pair line widths that grow with the value (∝ value, from :data:`LINE_MIN_PX` to
    :data:`LINE_MAX_PX`), :data:`LINE_ZERO_PX` where it is 0 or unknown. [px]"""
    v = np.asarray(values, float)
    out = np.full(v.shape, LINE_ZERO_PX)
    ok = np.isfinite(v) & (v > 0)
    if ok.any():
        out[ok] = LINE_MIN_PX + (LINE_MAX_PX - LINE_MIN_PX) * v[ok] / v[ok].max()
    return out


def great_circle(lat0_deg, lon0_deg, lat1_deg, lon1_deg, n: int = _ARC_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Points along the great circle between two places (the geodesic plotly draws). [deg]"""
    la0, lo0, la1, lo1 = np.radians([lat0_deg, lon0_deg, lat1_deg, lon1_deg])
    p0 = np.array([np.cos(la0) * np.cos(lo0), np.cos(la0) * np.sin(lo0), np.sin(la0)])
    p1 = np.array([np.cos(la1) * np.cos(lo1), np.cos(la1) * np.sin(lo1), np.sin(la1)])
    omega = np.arccos(np.clip(p0 @ p1, -1.0, 1.0))
    f = np.linspace(0.0, 1.0, n)
    if omega < 1e-12:
        pts = np.outer(np.ones(n), p0)
    else:
        pts = (np.sin((1 - f) * omega)[:, None] * p0 + np.sin(f * omega)[:, None] * p1) / np.sin(omega)
    lat = np.degrees(np.arcsin(np.clip(pts[:, 2], -1.0, 1.0)))
    lon = np.degrees(np.arctan2(pts[:, 1], pts[:, 0]))
    lon = lo0 * 180 / np.pi + (lon - np.degrees(lo0) + 180.0) % 360.0 - 180.0  # continuous from the start
    return lat, lon


def _hits_segment(box: Label, x0, y0, x1, y1, pad: float = 2.0) -> bool:
    """True when the segment passes through the label's box (grown by ``pad`` [px])."""
    lo_x, hi_x = box.x_px - box.width_px / 2 - pad, box.x_px + box.width_px / 2 + pad
    lo_y, hi_y = box.y_px - box.height_px / 2 - pad, box.y_px + box.height_px / 2 + pad
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - lo_x), (dx, hi_x - x0), (-dy, y0 - lo_y), (dy, hi_y - y0)):  # Liang–Barsky clipping
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def label_layout(names, x_px, y_px, panel_w_px: float, panel_h_px: float, marker_px=None,
                 lines=()) -> list[Label]:
    """Place one label per station (pixel positions, y down) so that no two labels overlap, no
    label covers a station marker (``marker_px``: each marker's diameter, default
    ``2 * MARKER_PX``) or crosses a line (``lines``: polylines as (x_px, y_px) arrays, e.g. the
    station pairs), inside the panel; crowded stations choose first."""
    x, y = np.asarray(x_px, float), np.asarray(y_px, float)
    n = len(names)
    size = np.full(n, 2 * MARKER_PX) if marker_px is None else np.maximum(np.asarray(marker_px, float), 2 * MARKER_PX)
    markers = [Label(-1, x[i], y[i], size[i], size[i], False) for i in range(n)]
    segments = [(lx[k], ly[k], lx[k + 1], ly[k + 1]) for lx, ly in lines for k in range(len(lx) - 1)]
    crowd = [int(np.sum(np.hypot(x - x[i], y - y[i]) < 120.0)) for i in range(n)]
    order = sorted(range(n), key=lambda i: (-crowd[i], y[i], str(names[i])))
    placed: list[Label] = []
    for i in order:
        w, h = label_width_px(str(names[i])), LABEL_HEIGHT_PX
        best = None
        for ring in range(8):
            gap = size[i] / 2 + 3.0 + 16.0 * ring
            for dx, dy in _DIRECTIONS:
                cx = x[i] + dx * (gap + w / 2)
                cy = y[i] + dy * (gap + h / 2)
                cand = Label(i, cx, cy, w, h, ring > 0)
                inside = w / 2 <= cx <= panel_w_px - w / 2 and h / 2 <= cy <= panel_h_px - h / 2
                if inside and not any(cand.overlaps(o) for o in placed) \
                        and not any(cand.overlaps(m) for m in markers) \
                        and not any(_hits_segment(cand, *seg) for seg in segments):
                    best = cand
                    break
            if best is not None:
                break
        placed.append(best or Label(i, x[i] + size[i] / 2 + 3.0 + w / 2, y[i], w, h, False))
    return sorted(placed, key=lambda lab: lab.index)


def _station_hover(stations: pd.DataFrame, extra: dict[str, str]) -> list[str]:
    names = text_column(stations, "name")
    return [f"<b>{n}</b><br>{la:.4f}°, {lo:.4f}°<br>altitude {al:.0f} m, aperture {ap:.2f} m"
            + (f"<br>{extra[n]}" if n in extra else "")
            for n, la, lo, al, ap in zip(names, column(stations, "latitude_deg"), column(stations, "longitude_deg"),
                                         column(stations, "altitude_m"), column(stations, "aperture_m"))]


def _pair_key(a: str, b: str) -> str:
    return f"{a}–{b}"


def map_figure(stations: pd.DataFrame, ground_track: pd.DataFrame | None = None,
               pairs: Sequence[tuple[str, str]] = (), station_hover: dict[str, str] | None = None,
               station_value: dict[str, float] | None = None, pair_value: dict[str, float] | None = None,
               value_label: str = "expected heralded pairs") -> go.Figure:
    """Stations (markers), station pairs (great-circle lines) and the ground track on a world map,
    with one zoomed, labelled panel per region of stations (:func:`regions`).

    ``station_value`` (by name) and ``pair_value`` (by ``"A–B"``) size the markers (area) and the
    pair lines (width) by what they are expected to deliver (``value_label`` says what); a station
    or pair whose value is 0 is drawn apart: hollow grey marker, thin dotted grey line. Without
    values every marker and line looks the same."""
    names = text_column(stations, "name").tolist()
    lat = column(stations, "latitude_deg").to_numpy()
    lon = column(stations, "longitude_deg").to_numpy()
    groups = regions(lat, lon) or [[]]
    k = len(groups)
    fig = make_subplots(rows=2, cols=k, specs=[[{"type": "geo", "colspan": k}] + [None] * (k - 1),
                                               [{"type": "geo"}] * k],
                        row_heights=[WORLD_HEIGHT_PX, REGION_HEIGHT_PX], vertical_spacing=_V_GAP,
                        horizontal_spacing=_H_GAP)
    where = {n: (la, lo) for n, la, lo in zip(names, lat, lon)}
    hover = _station_hover(stations, station_hover or {})
    sized = station_value is not None
    s_val = np.array([float((station_value or {}).get(n, 0.0) or 0.0) for n in names])
    size = marker_size_px(s_val) if sized else np.full(len(names), 10.0)
    alive = s_val > 0 if sized else np.ones(len(names), bool)
    drawn_pairs = [(a, b) for a, b in pairs if a in where and b in where]
    p_val = np.array([float((pair_value or {}).get(_pair_key(a, b), 0.0) or 0.0) for a, b in drawn_pairs])
    width = line_width_px(p_val) if pair_value is not None else np.full(len(drawn_pairs), 2.0)
    p_alive = p_val > 0 if pair_value is not None else np.ones(len(drawn_pairs), bool)
    arcs = {pair: great_circle(where[pair[0]][0], where[pair[0]][1], where[pair[1]][0], where[pair[1]][1])
            for pair in drawn_pairs}
    order = np.argsort(width, kind="stable")  # the widest line drawn last, on top
    panels = [(1, 1, list(range(len(names))))] + [(2, c + 1, g) for c, g in enumerate(groups)]
    panel_w, panel_h = _panel_px(k)
    layout_geo = {}
    live_name = f"station pair (width ∝ {value_label})" if pair_value is not None else "station pairs"
    for p, (row, col, members) in enumerate(panels):
        first = p == 0
        if first and ground_track is not None and len(ground_track):
            fig.add_trace(go.Scattergeo(
                lon=column(ground_track, "longitude_deg").to_numpy(), lat=column(ground_track, "latitude_deg").to_numpy(),
                text=text_column(ground_track, "time_utc").tolist(), mode="lines", name="ground track",
                line={"color": TRACK_COLOUR, "width": 1.5}, opacity=0.8,
                hovertemplate="%{text}<br>lat %{lat:.2f}°, lon %{lon:.2f}°<extra>ground track</extra>",
            ), row=row, col=col)
        shown = {True: False, False: False}
        for j in order:
            a, b = drawn_pairs[j]
            if not (first or names.index(a) in members):
                continue
            live = bool(p_alive[j])
            value = f"<br>{value_label}: {expected(p_val[j])}" if pair_value is not None else ""
            fig.add_trace(go.Scattergeo(
                lon=[where[a][1], where[b][1]], lat=[where[a][0], where[b][0]], mode="lines",
                line={"color": PAIR_COLOUR if live else DEAD_COLOUR, "width": float(width[j]),
                      "dash": "solid" if live else "dot"},
                name=live_name if live else f"pair with no {value_label}", legendgroup="pairs" if live else "dead",
                showlegend=first and not shown[live], hoverinfo="text", text=f"{a}–{b}{value}",
            ), row=row, col=col)
            shown[live] = True
        if not members:
            continue
        for live in (False, True):
            idx = [i for i in members if bool(alive[i]) == live]
            if not idx:
                continue
            marker = ({"size": (size[idx] * (0.8 if first else 1.0)).tolist(), "color": STATION_COLOUR,
                       "line": {"color": "#222", "width": 1}} if live else
                      {"size": (size[idx] * (0.8 if first else 1.0)).tolist(), "color": "rgba(255,255,255,0.9)",
                       "line": {"color": DEAD_COLOUR, "width": 2}})
            name = ("stations" if not sized else f"station (area ∝ {value_label})") if live \
                else f"station with no {value_label}"
            fig.add_trace(go.Scattergeo(
                lon=lon[idx], lat=lat[idx], hovertext=[hover[i] for i in idx], hoverinfo="text", mode="markers",
                name=name, legendgroup=name, showlegend=first, text=[names[i] for i in idx], marker=marker,
            ), row=row, col=col)
        if first:
            continue
        lat_range, lon_range = region_ranges(lat[members], lon[members], panel_w, panel_h)
        scale = panel_h / (lat_range[1] - lat_range[0])  # px per degree
        x_px = (lon[members] - lon_range[0]) * scale
        y_px = (lat_range[1] - lat[members]) * scale
        lines = [((arc[1] - lon_range[0]) * scale, (lat_range[1] - arc[0]) * scale)
                 for (a, _), arc in arcs.items() if names.index(a) in members]
        labels = label_layout([names[i] for i in members], x_px, y_px, panel_w, panel_h, size[members], lines)
        lab_lon = [lon_range[0] + lab.x_px / scale for lab in labels]
        lab_lat = [lat_range[1] - lab.y_px / scale for lab in labels]
        leaders_lon, leaders_lat = [], []
        for lab, la, lo in zip(labels, lab_lat, lab_lon):
            if lab.leader:
                i = members[lab.index]
                leaders_lon += [lon[i], lo, None]
                leaders_lat += [lat[i], la, None]
        if leaders_lon:
            fig.add_trace(go.Scattergeo(lon=leaders_lon, lat=leaders_lat, mode="lines", hoverinfo="skip",
                                        line={"color": "#555", "width": 0.8}, showlegend=False, name="label leaders"),
                          row=row, col=col)
        fig.add_trace(go.Scattergeo(
            lon=lab_lon, lat=lab_lat, mode="text", text=[names[i] for i in members], textposition="middle center",
            textfont={"size": LABEL_FONT_PX, "color": "#111"}, hoverinfo="skip", showlegend=False,
            name="station labels"), row=row, col=col)
        layout_geo[f"geo{p + 1}"] = {"lataxis": {"range": lat_range, "dtick": 5 if lat_range[1] - lat_range[0] <= 40 else 10},
                                     "lonaxis": {"range": lon_range, "dtick": 5 if lon_range[1] - lon_range[0] <= 40 else 10}}
    _base_layout(fig, WORLD_HEIGHT_PX + REGION_HEIGHT_PX + _MARGIN_PX["t"] + _MARGIN_PX["b"])
    fig.update_geos(
        projection_type="equirectangular", scope="world", resolution=110,
        showland=True, landcolor="#eee8d5", showocean=True, oceancolor="#dbe9f6",
        showcoastlines=True, coastlinecolor="#8a8a8a", showcountries=True, countrycolor="#c4c4c4",
        showlakes=False, showrivers=False, showframe=True, framecolor="#888",
        lataxis={"showgrid": True, "dtick": 30, "gridcolor": "#c8d6e5"},
        lonaxis={"showgrid": True, "dtick": 30, "gridcolor": "#c8d6e5"},
    )
    fig.update_layout(geo={"fitbounds": False, "lataxis": {"range": [-90, 90]}, "lonaxis": {"range": [-180, 180]}},
                      **layout_geo)
    fig.update_layout(width=MAP_WIDTH_PX, autosize=False, margin=_MARGIN_PX,
                      legend={"orientation": "h", "y": -0.01, "x": 0.5, "xanchor": "center", "yanchor": "top"})
    if not names and (ground_track is None or not len(ground_track)):
        fig.add_annotation(text="No stations and no ground track in this result.", x=0.5, y=0.5,
                           xref="paper", yref="paper", showarrow=False, font={"size": 16, "color": "#666"})
    return fig
