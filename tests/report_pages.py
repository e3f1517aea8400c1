"""Reading skyswap's HTML pages in tests: their tags, styles, tables and plotly figures, and that a
page loads nothing from the network."""
from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser

import numpy as np


class Page(HTMLParser):
    """Collects tags with their attributes, the text of <style>, tables and figure scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.tables: dict[str, list[dict]] = {}
        self._stack: list[str] = []
        self._table = None
        self._row = None
        self._cell = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self._stack.append(tag)
        if tag == "table" and a.get("id"):
            self._table = self.tables.setdefault(a["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = {"key": a.get("data-key"), "cells": {}}
        elif tag == "td" and self._row is not None:
            self._cell = a
            self._text = []

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()
        if tag == "td" and self._cell is not None:
            self._row["cells"][self._cell.get("data-field")] = (self._cell.get("data-value"), "".join(self._text))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        tag = self._stack[-1] if self._stack else ""
        if tag == "style":
            self.styles.append(data)
        elif tag == "script":
            self.scripts.append(data)
        if self._cell is not None:
            self._text.append(data)


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


def figures(page: str) -> dict[str, dict]:
    """The plotly figure specs of the page, by div id."""
    out = {}
    for m in re.finditer(r'<script>skyswapPlot\("([^"]+)", (.*)\);</script>', page):
        assert m.group(1) not in out
        out[m.group(1)] = json.loads(m.group(2))
    return out


def values(v) -> np.ndarray:
    """A plotly data array: a list, or plotly.py's base64 typed array ``{"dtype", "bdata"}``."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).astype(float)
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def assert_self_contained(page: str):
    doc = parse(page)
    for tag, attrs in doc.tags:
        for name in ("src", "href", "data", "srcset", "action", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), f"<{tag} {name}={value!r}> loads from the network"
        assert tag not in ("link", "iframe", "img", "object", "embed"), f"external-resource tag <{tag}>"
        if tag == "script":
            assert "src" not in attrs, "a script is loaded instead of inlined"
    css = "".join(doc.styles).lower()
    assert "@import" not in css and "@font-face" not in css and "url(" not in css
    # exactly one copy of plotly.js, inlined
    assert page.count("* plotly.js v") == 1
    big = [s for s in doc.scripts if len(s) > 1_000_000]
    assert len(big) == 1 and "Plotly" in big[0]
    # the world base map is preloaded where plotly.js looks for it before fetching from its CDN
    m = re.search(r"<script>window\.PlotlyGeoAssets = \{topojson: \{world_110m: (.*)\}\};</script>", page)
    assert m, "base map not inlined"
    topo = json.loads(m.group(1))
    assert {"land", "coastlines", "countries", "ocean"} <= set(topo["objects"]) and len(topo["arcs"]) > 500
    for div_id, spec in figures(page).items():
        config = spec["config"]
        assert not config["topojsonURL"].startswith("http"), div_id
        assert config["showSendToCloud"] is False and config["displaylogo"] is False, div_id
        for key in ("geo", "geo2"):
            geo = spec["layout"].get(key)
            if geo is not None:  # the base map plotly.js asks for is the one preloaded
                assert geo["scope"] == "world" and geo["resolution"] == 110, div_id
