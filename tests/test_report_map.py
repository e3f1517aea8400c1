"""The report's map: stations, pairs and the ground track, markers sized by what each delivers, and
labels that keep off the lines and each other."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import result_fixture as fx
from tests.report_pages import figures, values


def test_map_has_stations_pairs_and_track(result, page):
    spec = figures(page)["skyswap-map"]
    names = [t["name"] for t in spec["data"]]
    assert names.count("ground track") == 1
    live = "station (area ∝ expected heralded pairs)"
    world = [t for t in spec["data"] if t["geo"] == "geo" and t["name"] in (live, "station with no expected heralded pairs")]
    assert sorted(n for t in world for n in t["text"]) == sorted(result.stations.name)
    by_name = {n: (la, t) for t in world for n, la in zip(t["text"], values(t["lat"]))}
    for n, la in zip(result.stations.name, result.stations.latitude_deg):
        assert by_name[n][0] == pytest.approx(la)
    # one labelled panel per region: Graz (Europe) apart from the three Chinese stations
    labels = [t for t in spec["data"] if t["name"] == "station labels"]
    assert [t["geo"] for t in labels] == ["geo2", "geo3"]
    assert labels[0]["text"] == ["Graz"] and sorted(labels[1]["text"]) == sorted(fx.STATIONS.name)
    pair_lines = {t["text"].split("<br>")[0] for t in spec["data"] if t.get("legendgroup") == "pairs"}
    assert pair_lines == {f"{a}–{b}" for a, b in fx.PAIRS}
    geo3 = spec["layout"]["geo3"]
    assert geo3["lataxis"]["range"][0] < fx.STATIONS.latitude_deg.min()
    assert geo3["lonaxis"]["range"][1] > fx.STATIONS.longitude_deg.max()


def test_map_sizes_markers_and_lines_by_expected_pairs(result, page):
    """Issue 23: identical markers, the dead pair drawn like the best. A station's marker area and a
    pair line's width grow with its expected heralded pairs; a station or pair with none is grey."""
    from skyswap.mission.outputs import figures_map as fm

    spec = figures(page)["skyswap-map"]
    expected_by = {r["station"]: r["expected_heralded_pairs"] for r in result.summary["by_station"]}
    sizes = {}
    for t in spec["data"]:
        if t["geo"] == "geo2" or t["geo"] == "geo3":
            if t["name"].startswith("station") and t.get("mode") == "markers":
                sizes.update(zip(t["text"], values(t["marker"]["size"])))
    ranked = sorted(expected_by, key=expected_by.get)
    assert [sizes[n] for n in ranked] == sorted(sizes[n] for n in ranked)
    best = max(expected_by, key=expected_by.get)
    assert sizes[best] == fm.MARKER_MAX_PX
    for n in ranked:  # area in proportion, down to the smallest marker
        assert sizes[n] == pytest.approx(max(fm.MARKER_MIN_PX, fm.MARKER_MAX_PX * (expected_by[n] / expected_by[best]) ** 0.5))
    idle = fx.IDLE_STATION["name"]
    dead = next(t for t in spec["data"] if t["geo"] == "geo" and t["name"] == "station with no expected heralded pairs")
    assert dead["text"] == [idle] and dead["marker"]["line"]["color"] == fm.DEAD_COLOUR
    lines = {t["text"].split("<br>")[0]: t for t in spec["data"] if t["geo"] == "geo" and t.get("mode") == "lines"
             and t["name"] != "ground track"}
    pair_exp = {f"{r['station_a']}–{r['station_b']}": r["expected_heralded_pairs"] for r in result.summary["by_pair"]}
    top = max(pair_exp, key=pair_exp.get)
    assert lines[top]["line"]["width"] == fm.LINE_MAX_PX and lines[top]["line"]["dash"] == "solid"
    assert [lines[k]["line"]["width"] for k in sorted(pair_exp, key=pair_exp.get)] == sorted(
        lines[k]["line"]["width"] for k in pair_exp)
    # a pair with nothing expected: thin, dotted and grey, never like the best
    fig = fm.map_figure(result.stations, None, fx.PAIRS, None, expected_by, {**pair_exp, top: 0.0})
    dead_line = next(t for t in fig.data if t.text.split("<br>")[0] == top and t.geo == "geo")
    assert (dead_line.line.dash, dead_line.line.color, dead_line.line.width) == ("dot", fm.DEAD_COLOUR, fm.LINE_ZERO_PX)
    assert dead_line.name == "pair with no expected heralded pairs"


def test_labels_keep_off_the_pair_lines():
    """Issue 23: a pair line ran through a label. The placement treats every pair line (its great
    circle, as plotly draws it) as an obstacle."""
    from skyswap.mission.outputs import figures_map as fm

    # three stations in a row, west to east: the middle one's label must not sit on the line
    x = np.array([100.0, 300.0, 500.0])
    y = np.array([200.0, 200.0, 200.0])
    line = (np.array([100.0, 500.0]), np.array([200.0, 200.0]))
    labels = fm.label_layout(["West", "Middle", "East"], x, y, 600.0, 400.0, lines=[line])
    for lab in labels:
        assert not fm._hits_segment(lab, 100.0, 200.0, 500.0, 200.0, pad=0.0)
    # without the line, the first choice is to the right of the marker, on the line
    free = fm.label_layout(["West", "Middle", "East"], x, y, 600.0, 400.0)
    assert any(fm._hits_segment(lab, 100.0, 200.0, 500.0, 200.0, pad=0.0) for lab in free)
    # the great circle plotly draws: Delingha -> Xinglong bends north of the straight line in lat/lon
    lat, lon = fm.great_circle(37.38, 97.73, 40.40, 117.58)
    assert (lat[0], lon[0], lat[-1], lon[-1]) == pytest.approx((37.38, 97.73, 40.40, 117.58))
    straight = 37.38 + (40.40 - 37.38) * (lon - 97.73) / (117.58 - 97.73)
    assert np.all(lat[1:-1] > straight[1:-1])


def _q4s_stations():
    from skyswap.groundstations.catalog import get_station

    names = ["Graz", "Matera", "Wettzell", "Zimmerwald", "Grasse", "Herstmonceux", "Tenerife", "Delingha", "Nanshan",
             "Lijiang", "Xinglong"]
    st = [get_station(n) for n in names]
    return pd.DataFrame({"name": names, "latitude_deg": [s.latitude_deg for s in st],
                         "longitude_deg": [s.longitude_deg for s in st]})


def test_map_labels_of_crowded_stations_do_not_overlap():
    """Issue 17: Herstmonceux, Zimmerwald, Grasse, Wettzell and Graz printed on top of each other."""
    from skyswap.mission.outputs import figures_map as fm

    st = _q4s_stations()
    groups = fm.regions(st.latitude_deg, st.longitude_deg)
    assert [sorted(st.name[g]) for g in groups] == [
        sorted(["Graz", "Matera", "Wettzell", "Zimmerwald", "Grasse", "Herstmonceux", "Tenerife"]),
        sorted(["Delingha", "Nanshan", "Lijiang", "Xinglong"])]
    w, h = fm._panel_px(len(groups))
    for g in groups:
        lat, lon = st.latitude_deg[g].to_numpy(), st.longitude_deg[g].to_numpy()
        lat_r, lon_r = fm.region_ranges(lat, lon, w, h)
        scale = h / (lat_r[1] - lat_r[0])
        x, y = (lon - lon_r[0]) * scale, (lat_r[1] - lat) * scale
        labels = fm.label_layout(list(st.name[g]), x, y, w, h)
        markers = [fm.Label(-1, a, b, 2 * fm.MARKER_PX, 2 * fm.MARKER_PX, False) for a, b in zip(x, y)]
        for i, a in enumerate(labels):
            assert a.width_px / 2 <= a.x_px <= w - a.width_px / 2 and a.height_px / 2 <= a.y_px <= h - a.height_px / 2
            assert not any(a.overlaps(m) for m in markers)
            assert not any(a.overlaps(b) for b in labels[i + 1:]), (a, labels)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(44.0, 50.0), st.floats(0.0, 12.0)), min_size=2, max_size=9))
def test_label_layout_never_overlaps_in_a_crowd(points):
    """Property: up to nine stations within a few degrees still get labels that overlap nothing."""
    from skyswap.mission.outputs import figures_map as fm

    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    keep = np.ones(len(lat), bool)
    for i in range(len(lat)):  # stations closer than a marker are one site: keep the first
        keep[i] = not any(keep[j] and np.hypot(lat[i] - lat[j], lon[i] - lon[j]) < 0.3 for j in range(i))
    lat, lon = lat[keep], lon[keep]
    names = [f"Station{k:02d}" for k in range(lat.size)]
    w, h = fm._panel_px(2)
    lat_r, lon_r = fm.region_ranges(lat, lon, w, h)
    scale = h / (lat_r[1] - lat_r[0])
    labels = fm.label_layout(names, (lon - lon_r[0]) * scale, (lat_r[1] - lat) * scale, w, h)
    for i, a in enumerate(labels):
        assert not any(a.overlaps(b) for b in labels[i + 1:])
