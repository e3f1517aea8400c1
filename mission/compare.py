"""``skyswap compare``: rank the scenario's stations (and pairs for dual downlink).

Every site is planned on the same orbit, payload and SWaP budget: stations in single-downlink
mode (one photon down to the station, its partner measured onboard), pairs in dual-downlink mode.
The ranking orders by expected heralded pairs after clouds, the number that decides what a site
is worth; the other columns say why.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import planner
from .outputs import export, outset, report
from .outputs.summary import fidelity_stats
from .scenario.schema import PAIR_MODES

COLUMNS = ["rank", "kind", "site", "station_a", "station_b", "usable_passes", "usable_passes_per_year",
           "link_hours", "heralded_pairs", "expected_heralded_pairs", "median_fidelity", "secret_key_bits",
           "cloud_free_probability_mean"]


def _aggregate(passes: pd.DataFrame, kind: str, names: list[tuple[str, str]], days: float) -> pd.DataFrame:
    rows = []
    for a, b in names:
        g = passes[(passes["station_a"] == a) & (passes["station_b"] == b)]
        rows.append({
            "kind": kind, "site": a if not b else f"{a}+{b}", "station_a": a, "station_b": b,
            "usable_passes": int(len(g)),
            "usable_passes_per_year": len(g) * 365.25 / days,
            "link_hours": float(g["duration_s"].sum() / 3600.0),
            "heralded_pairs": float(g["heralded_pairs"].sum()),
            "expected_heralded_pairs": float(g["expected_heralded_pairs"].sum()),
            "median_fidelity": fidelity_stats(g)["median"] if len(g) else None,
            "secret_key_bits": float(g["secret_key_bits"].sum()),
            "cloud_free_probability_mean": float(g["cloud_free_probability"].mean()) if len(g) else np.nan,
        })
    return pd.DataFrame(rows)


def rank_sites(scenario) -> pd.DataFrame:
    """The ranking table (one row per station, and per pair in dual-downlink scenarios)."""

    days = scenario.span.duration_s / 86400.0
    single = scenario.model_copy(update={"mode": "single-downlink"})
    parts = [_aggregate(planner.plan(single).passes, "station", [(s.name, "") for s in scenario.stations], days)]
    if scenario.mode in PAIR_MODES:
        result = planner.plan(scenario)
        names = [(scenario.stations[a].name, scenario.stations[b].name) for a, b in scenario.station_pairs]
        parts.append(_aggregate(result.passes, "pair", names, days))
    ranking = pd.concat(parts, ignore_index=True)
    ranking = ranking.sort_values(["kind", "expected_heralded_pairs", "site"], ascending=[False, False, True],
                                  kind="mergesort").reset_index(drop=True)
    ranking["rank"] = ranking.groupby("kind").cumcount() + 1
    return ranking[COLUMNS]


def write(ranking: pd.DataFrame, scenario, out_dir: Path) -> list[Path]:
    """``compare.csv`` and ``compare.html`` into ``out_dir``, as one set replacing the previous one."""

    stations = pd.DataFrame([{"name": s.name, "latitude_deg": s.latitude_deg, "longitude_deg": s.longitude_deg,
                              "altitude_m": s.altitude_m, "aperture_m": s.aperture_m} for s in scenario.stations])
    files = {"compare.csv": export.csv_text(ranking),
             "compare.html": report.render_compare_html(ranking, stations, f"skyswap site comparison: {scenario.name}")}
    return outset.write_set(out_dir, files, "compare")


def print_table(ranking: pd.DataFrame) -> None:
    """The ranking as a table on the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="site ranking (by expected heralded pairs after clouds)")
    for col in ("rank", "site", "usable_passes_per_year", "link_hours", "expected_heralded_pairs", "median_fidelity", "secret_key_bits"):
        table.add_column(col.replace("_", " "), justify="right" if col != "site" else "left")
    for r in ranking.itertuples(index=False):
        fid = "n/a" if r.median_fidelity is None or pd.isna(r.median_fidelity) else f"{r.median_fidelity:.3f}"
        table.add_row(str(r.rank), r.site, f"{r.usable_passes_per_year:.0f}", f"{r.link_hours:.1f}",
                      f"{r.expected_heralded_pairs:.4g}", fid, f"{r.secret_key_bits:.4g}")
    console = Console(width=160)
    console.on_broken_pipe = _broken_pipe  # rich would exit 1 itself: let the command line say it quietly
    console.print(table)


def _broken_pipe() -> None:
    raise BrokenPipeError
