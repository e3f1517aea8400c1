"""The mission report: one self-contained HTML page per mission result.

Reports only draw: they read a result (``MissionResult``: ``passes``, ``schedule``, ``summary``,
``stations``, ``ground_track``, ``pass_detail``, the scenario text and hash) and lay it out; the
only computing here is aggregation for display (sorting, counting what is missing). The page
opens with what the year's numbers mean (:mod:`.headline`), then the totals, the contact plan
(timeline, policy, solver, contention), the year over simulated weather, the map, the chosen
passes, the fidelity budget, the months, the ranking of every station and pair (those with no
contact included, with the reason), and the scenario (collapsed).

Shared page machinery (style, figure scripts, formatting, tables) is :mod:`.page`; the site
comparison page is :mod:`.compare_page`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd
import yaml

from ...payload.modes import find_mode
from ...payload.operations import LIMITS
from . import explain, figures_map, figures_plan, headline, numbers
from . import figures as rf
from .numbers import finite
from .page import esc, figure_html, fmt, html_table, page, rank_rows, section

__all__ = ["MISSION_FIGURE_IDS", "ReportInput", "fmt", "html_table", "pair_ranking", "render_html", "station_ranking"]


class ReportInput(Protocol):
    """What the report reads of a plan (a :class:`mission.outputs.result.MissionResult` is one; the
    report needs nothing else of it, so the result may render its own report without an import
    circle)."""

    @property
    def scenario_name(self) -> str:
        """The scenario's name."""

    @property
    def scenario_hash(self) -> str:
        """SHA-256 of the validated scenario."""

    @property
    def scenario_yaml(self) -> str:
        """The scenario as planned (YAML)."""

    @property
    def mode(self) -> str:
        """The payload mode's name."""

    @property
    def passes(self) -> pd.DataFrame:
        """The pass table (``passes.csv``)."""

    @property
    def schedule(self) -> pd.DataFrame:
        """The schedule (``schedule.csv``)."""

    @property
    def summary(self) -> dict:
        """``summary.json``."""

    @property
    def stations(self) -> pd.DataFrame:
        """The stations (name, position, aperture, ...)."""

    @property
    def ground_track(self) -> pd.DataFrame:
        """The ground track of the first orbits."""

    @property
    def pass_detail(self) -> dict:
        """Per-sample detail of the chosen passes."""

    @property
    def nights(self) -> pd.DataFrame:
        """Each station's nights (``station``, ``start_utc``, ``end_utc``) for the schedule."""


#: Figure ids of the mission report, in page order: what limits it and what would change it
#: (:mod:`.explain`), then the plan's figures.
MISSION_FIGURE_IDS = (
    *explain.FIGURE_IDS, "skyswap-schedule", "skyswap-contention", "skyswap-distribution", "skyswap-map",
    "skyswap-pass-detail", "skyswap-monthly",
)
WEIGHTING = "weighted by heralded pairs"
#: The gaps table under the schedule starts open up to this many stations and pairs. [1]
GAP_ROWS_OPEN = 12


# ----------------------------------------------------------------------------------- helpers

def _notes(result: ReportInput, passes: pd.DataFrame, budget) -> list[str]:
    notes = []
    if not len(passes):
        notes.append("No usable passes in this span: the schedule, pass detail and fidelity budget are empty.")
    elif budget is None:
        notes.append("No pass heralded an entangled pair: fidelity, its budget and the key are undefined.")
    elif not budget["weighted"]:
        notes.append("No heralded pairs to weight by: the fidelity budget weighs passes equally.")
    mode = find_mode(result.mode)
    if mode is not None and not mode.station_b_columns:
        notes.append(f"Mode {mode.name}: one station per pass, so station B columns and the pair table are empty.")
    if len(passes) and not result.pass_detail:
        notes.append("No pass was chosen for detail.")
    return notes


def _scenario_pairs(result: ReportInput) -> list[tuple[str, str]] | None:
    """The pairs the scenario lists (None when the scenario text does not say)."""
    try:
        doc = yaml.safe_load(result.scenario_yaml or "")
    except yaml.YAMLError:
        return None
    pairs = doc.get("pairs") if isinstance(doc, dict) else None
    return [(str(a), str(b)) for a, b in pairs] if isinstance(pairs, list) and pairs else None


def _cards(summary: dict) -> str:
    totals = summary.get("totals") or {}
    fid = summary.get("fidelity") or {}
    ops = summary.get("operations") or {}
    lost = ops.get("seconds_lost") or {}
    dist = ((summary.get("distribution") or {}).get("heralded_pairs") or {})
    both = (((summary.get("distribution") or {}).get("weather_and_link") or {}).get("heralded_pairs") or {})
    mode = find_mode(summary.get("mode"))
    e = numbers.expected
    items = [
        ("scheduled contacts", f"{fmt(totals.get('contacts'), 'int')} of {fmt(totals.get('candidate_windows'), 'int')}",
         "of the candidate windows"),
        ("contact hours", f"{e(totals.get('hours'))} of {e(totals.get('hours_wanted'))}", "of the hours wanted"),
        ("heralded pairs, clear skies", e(totals.get("heralded_pairs")), "if every night were clear"),
        ("heralded pairs, expected", e(totals.get("expected_heralded_pairs")), "after clouds (mean)"),
        ("P10 – P90, weather + link",
         f"{e(both.get('p10'))} – {e(both.get('p90'))}" if finite(both.get("p10")) else "—",
         "heralded pairs over simulated years of weather and link uncertainty"),
        ("P10 – P90, weather alone",
         f"{e(dist.get('p10'))} – {e(dist.get('p90'))}" if finite(dist.get("p10")) else "—", "heralded pairs"),
    ]
    if mode is not None and not mode.clouds_touch_counts:  # counted on board: no sky, no pair on the ground
        items = items[:2]
    items += [
        ("four-fold swaps", e(totals.get("swaps_fourfold")), "expected count: BSM herald and both partners detected"),
        ("BSM heralds", e(totals.get("bsm_heralds")), "expected count: two photons at the onboard BSM"),
        ("secret key [bit]", fmt(totals.get("secret_key_bits")), "finite-size, one block per contact"),
        ("payload energy in contacts [Wh]", e(totals.get("payload_energy_in_contacts_wh")),
         f"over the span, every state: {e(ops.get('payload_energy_wh'))}"),
        ("fidelity mean", fmt(fid.get("mean"), "fidelity"), WEIGHTING),
        ("fidelity median", fmt(fid.get("median"), "fidelity"), WEIGHTING),
        ("fidelity P10 – P90", " – ".join(fmt(fid.get(k), "fidelity") for k in ("p10", "p90")), WEIGHTING),
        ("payload operating hours", e(totals.get("operating_hours")),
         f"over the span (SWaP scheduler); {e(totals.get('operating_hours_in_contacts'))} in contacts"),
        ("four-fold swaps per operating hour", e(headline.fourfold_per_operating_hour(totals)),
         "the payload's rate while it operates"),
        (f"seconds lost: {' / '.join(LIMITS)}", " / ".join(e(lost.get(k)) for k in LIMITS),
         "to the SWaP limits"),
    ]
    cards = "".join(f'<div class="card"><div class="k">{esc(k)}</div><div class="v">{esc(v)}</div>'
                    f'<div class="k">{esc(sub)}</div></div>' for k, v, sub in items)
    defs = [
        ("contact hours", "time the contact plan gives the payload's downlink telescopes (retarget dead time "
                          "included); hours wanted: the candidate windows' total, overlapping windows counted each"),
        ("payload operating hours", "time the SWaP scheduler ran the payload over the span (power, thermal and "
                                    "storage limits applied; warm-up not counted) — not the same clock as contact "
                                    "hours; the part inside the contacts is given beside it"),
        ("payload energy", "what the payload drew during the scheduled contacts; over the span: in every state "
                           "(standby, warm-up, operating), all year"),
        ("BSM herald", "a success of the onboard Bell-state measurement: two photons detected on board"),
        ("four-fold swap", "a BSM herald with both partner photons detected: at the stations in the downlink modes "
                           "(there it is the heralded pair), on board in mode onboard (Boeing's \"swaps per hour\")"),
        ("expected", "a mean: over the clouds (cloud-free probability of every station a contact needs) and "
                     "over photon statistics; shown to three significant figures, not as a count"),
        ("P10 / P90", "10th and 90th percentiles of the year's total over simulated weather years "
                      "(persistent, station-correlated clouds); the rankings' P10/P90 are over the weather alone"),
        ("weather + link", "the same simulated years with the link model's uncertainty drawn too, once per year: "
                           "the calibrated chain's error shared by every link and each station's own scatter "
                           "(channel.chain_loss_sigma_db, channel.link_loss_sigma_db); a contact's pairs scale with "
                           "the product of its links' transmittances"),
        ("fidelity statistics", f"of the delivered pairs, {WEIGHTING}"),
    ]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in defs)
    return f'<div class="cards" id="skyswap-totals">{cards}</div><dl class="defs" id="skyswap-definitions">{dl}</dl>'


_RANK_COLUMNS = [("contacts", "contacts"), ("hours", "contact hours"),
                 ("heralded_pairs", "heralded pairs (clear skies)"),
                 ("expected_heralded_pairs", "expected heralded pairs"), ("p10", "P10 (weather)"),
                 ("p90", "P90 (weather)"),
                 ("median_fidelity", f"median fidelity ({WEIGHTING})"), ("secret_key_bits", "secret key [bit]")]


def _with_spread(rows: list[dict], spread: dict, key) -> list[dict]:
    """Rows with P10/P90 of the distribution."""
    def q(r, k):
        v = (spread.get(key(r)) or {}).get(k)
        return float(v) if finite(v) else None
    return [dict(r, p10=q(r, "p10"), p90=q(r, "p90")) for r in rows]


def station_ranking(summary: dict, stations: pd.DataFrame | None = None, passes: pd.DataFrame | None = None,
                    scenario_pairs: list[tuple[str, str]] | None = None) -> list[dict]:
    """``summary["by_station"]`` ranked by expected heralded pairs (best first), with ``rank``,
    P10/P90 from the distribution, and every station of ``stations`` that had no contact listed
    at the bottom with zeros and a ``note`` saying why."""
    spread = (((summary.get("distribution") or {}).get("heralded_pairs") or {}).get("by_station")) or {}
    mode = find_mode(summary.get("mode"))
    pair_mode = mode is not None and mode.station_pairs
    # both the table and the distribution give a station half of each pair contact's pairs
    rows = _with_spread(list(summary.get("by_station") or []), spread, lambda r: str(r.get("station")))
    ranked = rank_rows(rows, "expected_heralded_pairs", lambda r: str(r.get("station")))
    have = {str(r.get("station")) for r in ranked}
    names = rf.text_column(stations, "name").tolist() if stations is not None else []
    a, b = rf.text_column(passes, "station_a"), rf.text_column(passes, "station_b")
    paired = {x for p in scenario_pairs or [] for x in p}
    for name in names:
        if name in have:
            continue
        windows = int(((a == name) | (b == name)).sum()) if passes is not None and len(passes) else 0
        if windows:
            note = f"all {windows} candidate windows lost to other contacts"
        elif pair_mode and scenario_pairs is not None and name not in paired:
            note = "in no station pair of the scenario"
        elif pair_mode:
            note = "no common-view window of its pairs at night above the masks"
        else:
            note = "no window at night above its mask in this span"
        ranked.append({"station": name, "contacts": 0, "hours": 0.0, "heralded_pairs": 0.0,
                       "expected_heralded_pairs": 0.0, "secret_key_bits": 0.0, "rank": len(ranked) + 1,
                       "note": note})
    clouds = {str(c.get("station")): c for c in summary.get("clouds") or []}
    for r in ranked:  # each station's clear-sky probability (annual mean) and how sure it is (docs/weather.md)
        c = clouds.get(str(r.get("station")))
        r["clear_sky"] = f"{sum(c['monthly']) / 12:.2f} ({c.get('confidence', '')})" if c and c.get("monthly") else ""
    return ranked


def pair_ranking(summary: dict, scenario_pairs: list[tuple[str, str]] | None = None) -> list[dict]:
    """``summary["by_pair"]`` ranked by expected heralded pairs, with ``rank``, ``pair`` ("A–B"),
    P10/P90, and the scenario's pairs that had no candidate window at the bottom with a ``note``."""
    spread = (((summary.get("distribution") or {}).get("heralded_pairs") or {}).get("by_pair")) or {}
    rows = [dict(r, pair=f"{r.get('station_a', '')}–{r.get('station_b', '')}") for r in summary.get("by_pair") or []]
    rows = _with_spread(rows, spread, lambda r: r["pair"])
    for r in rows:
        if not r.get("contacts") and r.get("candidate_windows"):
            r["note"] = f"all {r['candidate_windows']} candidate windows lost to other contacts"
    ranked = rank_rows(rows, "expected_heralded_pairs", lambda r: r["pair"])
    have = {frozenset((str(r.get("station_a")), str(r.get("station_b")))) for r in ranked}
    for x, y in scenario_pairs or []:
        if frozenset((x, y)) not in have:
            ranked.append({"pair": f"{x}–{y}", "station_a": x, "station_b": y, "contacts": 0, "hours": 0.0,
                           "heralded_pairs": 0.0, "expected_heralded_pairs": 0.0, "secret_key_bits": 0.0,
                           "rank": len(ranked) + 1, "note": "no common-view window at night above both masks"})
    return ranked


def _plan_section(summary: dict) -> str:
    """The policy and the solver's report (``summary["contact_plan"]``)."""
    cp = summary.get("contact_plan") or {}
    if not cp:
        return "<p>No contact plan in this result.</p>"
    solved = ", ".join(f"{k}: {v}" for k, v in sorted((cp.get("solved_by") or {}).items())) or "—"
    status = ", ".join(f"{k}: {v}" for k, v in sorted((cp.get("solver_status") or {}).items())) or "—"
    gap = cp.get("largest_proven_gap")
    rows = [
        ("policy", cp.get("policy", "—")),
        ("objective", f"{cp.get('objective', '—')} = {numbers.expected(cp.get('objective_value'))}"),
        ("expected heralded pairs as planned, before the SWaP limits",
         numbers.expected(cp.get("expected_heralded_pairs_before_swap_limits"))),
        ("expected heralded pairs after the SWaP limits (the headline)",
         numbers.expected((summary.get("totals") or {}).get("expected_heralded_pairs"))),
        ("worst-served pair's share of the expected pairs its windows would give",
         _percent(cp.get("worst_pair_share"))),
        ("worst-served pair's share of its wanted contact time", _worst_time_share(summary)),
        ("groups of overlapping windows solved", fmt(cp.get("groups_of_windows"), "int")),
        ("solved by", solved),
        ("solver status", status),
        ("largest proven optimality gap", "—" if gap is None else numbers.expected(gap)),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table class="skyswap-table kv" id="skyswap-contact-plan">{body}</table>'


def _percent(share) -> str:
    """A share as a percentage to three significant figures (``0.432 %``, ``100 %``)."""
    return f"{numbers.expected(100.0 * float(share))} %" if finite(share) else "—"


def _worst_time_share(summary: dict) -> str:
    """The lowest ``time_share`` of the pairs (contact hours over wanted hours), as a percentage."""
    shares = [float(r["time_share"]) for r in summary.get("by_pair") or [] if finite(r.get("time_share"))]
    return _percent(min(shares)) if shares else "—"


def _scenario_section(result: ReportInput, summary: dict) -> str:
    """Scenario name, hash, span and orbit in a short table; software and the full scenario text
    collapsed (readable YAML: no escaped characters)."""
    software = summary.get("software") or {}
    orbit = summary.get("orbit") or {}
    span = summary.get("span") or {}
    kv = [("scenario", result.scenario_name), ("sha256", result.scenario_hash), ("mode", result.mode),
          ("span", f"{span.get('start_utc', '—')} → {span.get('end_utc', '—')}"),
          ("orbit", ", ".join(f"{k} {fmt(v) if not isinstance(v, str) else v}" for k, v in orbit.items()) or "—")]
    meta = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(v)}</code></td></tr>" for k, v in kv)
    sw = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in sorted(software.items()))
    text = result.scenario_yaml or ""
    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    return section("Scenario", (
        f'<table class="skyswap-table" id="skyswap-scenario-meta">{meta}</table>'
        f'<details id="skyswap-software-details"><summary>Software versions</summary>'
        f'<table class="skyswap-table" id="skyswap-software">{sw or "<tr><td>not recorded</td></tr>"}</table></details>'
        f'<details id="skyswap-scenario-details"><summary>Scenario as planned ({lines} lines of YAML)</summary>'
        f'<pre id="skyswap-scenario-yaml">{esc(text) or "(not recorded)"}</pre></details>'
    ), "scenario")


# ------------------------------------------------------------------------------------- page

@dataclass(frozen=True)
class _Figure:
    """One figure section of the page: title, element id, the figure, its caption."""

    title: str
    div_id: str
    figure: object
    caption: str


def _figures(result: ReportInput, schedule: pd.DataFrame, pairs, hover: dict,
             values: tuple[dict, dict] = ({}, {})) -> list[_Figure]:
    """The page's figures in :data:`MISSION_FIGURE_IDS` order, each with what it shows; ``values``:
    each station's and pair's expected heralded pairs (the map sizes markers and lines by them)."""
    summary, passes = result.summary or {}, result.passes
    draws = (summary.get("distribution") or {}).get("draws")
    return [
        _Figure("Schedule", "skyswap-schedule",
                figures_plan.schedule_figure(schedule, passes, result.nights),
                "Top: one lane per downlink telescope, with the contacts it serves (the link written in the bar where "
                "it fits). Below: one row per station or pair, its nights shaded, every candidate window pale and "
                "the contacts it was given over it, coloured by the telescope that served them. Opens on the busiest "
                "stretch of the first week at a scale where contacts are visible; the buttons show 12 hours, a day, "
                "a week, a month or the whole span; drag to pan, the slider below moves through the span. Hover a "
                "bar for its contact, window and pairs."),
        _Figure("Contention", "skyswap-contention", figures_plan.contention_figure(summary.get("by_pair") or []),
                "Per pair: the contact time its candidate windows wanted against what the plan served, and the "
                "expected heralded pairs of those windows served whole (before SWaP limits) against what it got."),
        _Figure("The year over the weather", "skyswap-distribution",
                figures_plan.distribution_figure(summary.get("distribution")),
                f"Heralded pairs over {fmt(draws, 'int')} simulated weather years on the scheduled contacts (the "
                "weather alone; the cards give the band with the link's uncertainty): each month's P10–P90 band, "
                "median and mean; each link's P10, P50 and P90 for the year."),
        _Figure("Ground track and stations", "skyswap-map",
                figures_map.map_figure(result.stations, result.ground_track, pairs, hover, values[0], values[1]),
                "Top: the world with the ground track of the first orbits of the span. Below: each region of "
                "stations, labelled. A station's marker area and a pair line's width grow with its expected heralded "
                "pairs; a station or pair with none is grey (hollow marker, dotted line). Hover for the ranking."),
        _Figure("Chosen passes", "skyswap-pass-detail", rf.pass_detail_figure(result.pass_detail, passes),
                f"{_detail_words(result.pass_detail, passes)}, one column each: elevation, slant range, link loss "
                "(each downlink's total) and heralded-pair rate against time since the window opened; station A "
                "solid, station B dashed."),
        _Figure("Monthly totals", "skyswap-monthly", rf.monthly_figure(summary.get("monthly") or []),
                "BSM heralds and four-fold swaps (expected counts), heralded pairs (clear skies and expected after "
                "clouds) and secret key per calendar month."),
    ]


def _detail_words(detail: dict, passes: pd.DataFrame) -> str:
    """Which passes the detail shows: one per link (the planner picks at most one per link)."""
    links = rf.link_labels(passes).nunique() if len(passes) else 0
    shown = len(detail or {})
    if shown and shown >= links:
        return "The best pass (most heralded pairs) of each link"
    return (f"The best pass (most heralded pairs) of each of the {shown} links with the best passes, of "
            f"{links} (outputs.report_passes sets how many)")


def _gaps_table(summary: dict) -> str:
    """Gaps and revisits per station and pair (``summary["revisit"]``, :mod:`.revisit`)."""
    rev = summary.get("revisit") or {}
    rows = [{**r, "who": r.get("station", "")} for r in rev.get("by_station") or []]
    rows += [{**r, "who": f"{r.get('station_a', '')}–{r.get('station_b', '')}"} for r in rev.get("by_pair") or []]
    if not rows:
        return ""
    for r in rows:
        r["max_gap_from_utc"] = (r.get("max_gap_from_utc") or "").replace("T", " ").replace("Z", " UTC")
    cols = [("who", "station or pair"), ("visits", "visits"), ("mean_gap_h", "mean gap [h]"),
            ("median_gap_h", "median gap [h]"), ("max_gap_h", "longest gap [h]"), ("max_gap_from_utc", "longest from"),
            ("mean_revisit_h", "mean revisit [h]")]
    merge_min = float(rev.get("visit_merge_s") or 0.0) / 60.0
    gaps = [r for r in rows if finite(r.get("max_gap_h"))]
    worst = max(gaps, key=lambda r: r["max_gap_h"]) if gaps else None
    head = (f"Gaps between served contacts: the longest, {numbers.expected(worst['max_gap_h'])} h at {worst['who']}"
            if worst else "Gaps between served contacts")
    opened = " open" if len(rows) <= GAP_ROWS_OPEN else ""  # a long table starts folded
    return (f'<details id="skyswap-gaps-details"{opened}><summary>{esc(head)}</summary>'
            f'<p class="caption">A visit: the contacts of a station (or pair) less than {merge_min:.0f} min apart; a gap '
            "runs from the end of one visit to the start of the next, a revisit from start to start. As planned, "
            "before clouds (a clouded-out contact lengthens the gap).</p>"
            + html_table(rows, cols, "skyswap-gaps", key="who") + "</details>")


def _figure_section(fig: _Figure, summary: dict) -> str:
    inner = f'<p class="caption">{esc(fig.caption)}</p>\n{figure_html(fig.figure, fig.div_id)}'
    if fig.div_id == "skyswap-contention":
        inner = f"<h3>Policy and solver</h3>{_plan_section(summary)}<h3>Time and pairs per pair</h3>" + inner
    if fig.div_id == "skyswap-schedule":
        inner += _gaps_table(summary)
    return section(fig.title, inner, fig.div_id.replace("skyswap-", "section-"))


def _header(result: ReportInput, span: dict) -> str:
    return "\n".join([
        "<header>",
        f"<h1>skyswap mission report — {esc(result.scenario_name)}</h1>",
        f"<p>mode <b>{esc(result.mode or '—')}</b> · span {esc(span.get('start_utc', '—'))} → "
        f"{esc(span.get('end_utc', '—'))} ({esc(fmt(span.get('days')))} days)</p>",
        f'<p>scenario sha256 <code id="skyswap-hash">{esc(result.scenario_hash or "—")}</code></p>',
        "</header>",
    ])


def _ranking_section(st_rank: list[dict], pr_rank: list[dict]) -> str:
    note = [("note", "note")]
    return section("Ranking", (
        "<h3>Stations</h3>"
        + html_table(st_rank, [("rank", "rank"), ("station", "station"), *_RANK_COLUMNS,
                               ("clear_sky", "clear sky (confidence)"), *note],
                     "skyswap-ranking-stations", key="station")
        + '<p class="caption">A station\'s share is half of each pair contact it takes part in (its P10 and P90 '
          "too), so the stations add up to the totals. Stations with no contact are listed last, with the "
          "reason. Clear sky: the station's cloud-free probability (annual mean) and how sure it is — user, "
          "cited, corrected grid (extrapolated where no cited site checks it) or assumed.</p>"
        + "<h3>Station pairs</h3>"
        + html_table(pr_rank, [("rank", "rank"), ("pair", "pair"), *_RANK_COLUMNS,
                               ("time_share", "share of wanted time"), *note], "skyswap-ranking-pairs", key="pair")
        + '<p class="caption">Ranked by expected (cloud-weighted) heralded pairs; P10 and P90 over the simulated '
          "weather years.</p>"
    ), "ranking")


def _map_links(pr_rank: list[dict], passes: pd.DataFrame) -> list[tuple[str, str]]:
    """The station pairs the map draws: the ranked pairs, else every pair of the pass table."""
    pairs = [(r.get("station_a", ""), r.get("station_b", "")) for r in pr_rank]
    if not pairs and len(passes):
        a, b = rf.text_column(passes, "station_a"), rf.text_column(passes, "station_b")
        pairs = sorted({(x, y) for x, y in zip(a, b) if x and y})
    return pairs


@rf.house_template
def render_html(result: ReportInput) -> str:
    """The mission report: one self-contained, offline, deterministic HTML page.

    Parameters
    ----------
    result : ReportInput
        The plan (the report reads its passes, schedule, summary, stations, ground track and pass
        detail; the fidelity budget is the summary's).

    Returns
    -------
    str
        The page, figures in the order of :data:`MISSION_FIGURE_IDS`; tables
        ``skyswap-contact-plan``, ``skyswap-ranking-stations`` and ``skyswap-ranking-pairs``; the
        scenario text, hash and software versions. Degenerate results (no passes, NaN fidelity, one
        station per pass) give empty figures with a note, never an exception.
    """
    summary, passes = result.summary or {}, result.passes
    schedule = result.schedule if isinstance(result.schedule, pd.DataFrame) else pd.DataFrame()
    budget = (summary.get("fidelity") or {}).get("budget") if len(passes) else None
    mode = find_mode(result.mode)
    scenario_pairs = _scenario_pairs(result) if mode is not None and mode.station_pairs else None
    st_rank = station_ranking(summary, result.stations, passes, scenario_pairs)
    pr_rank = pair_ranking(summary, scenario_pairs)
    hover = {str(r.get("station")): f"rank {r['rank']}: {fmt(r.get('contacts'), 'int')} contacts, "
                                    f"{numbers.expected(r.get('expected_heralded_pairs'))} expected heralded pairs"
             for r in st_rank}
    parts = [_header(result, summary.get("span") or {})]
    notes = _notes(result, passes, budget)
    if notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in notes)
        parts.append(f'<section class="notes" id="skyswap-notes"><ul>{items}</ul></section>')
    meaning = headline.meaning(summary, passes, schedule)
    if meaning:
        parts.append(section("What this means", "".join(f"<p>{esc(m)}</p>" for m in meaning), "skyswap-meaning",
                             "meaning"))
    parts.append(section("Totals", _cards(summary), "totals"))
    parts.append(explain.limits_section(summary, rf.waterfall_figure(budget)))
    parts.append(explain.levers_section(summary))
    values = ({str(r.get("station")): r.get("expected_heralded_pairs") for r in st_rank},
              {str(r.get("pair")): r.get("expected_heralded_pairs") for r in pr_rank})
    parts += [_figure_section(f, summary)
              for f in _figures(result, schedule, _map_links(pr_rank, passes), hover, values)]
    parts.append(_ranking_section(st_rank, pr_rank))
    parts.append(_scenario_section(result, summary))
    version = (summary.get("software") or {}).get("skyswap", "")
    parts.append(f"<footer>skyswap {esc(version)} · self-contained page, works offline</footer>")
    return page(f"skyswap — {result.scenario_name}", "\n".join(parts))
