"""``skyswap compare``: rank the scenario's stations and pairs, and candidate sites by coordinates.

Every site is planned on the same orbit, payload and sky model: stations in single-downlink mode
(one photon down to the station, its partner measured onboard), pairs in dual-downlink mode.

A site is ranked by what it would deliver on its own: every candidate window served whole (the
pass table's ``*_if_served`` columns: no contention, before SWaP limits). The contact plan of the
comparison run chooses between sites that see the satellite at once, so its served totals would
mark a site down for windows a neighbour took; the if-served columns do not depend on the plan.
(Planning with as many downlink telescopes as sites would also remove the choice, but a station
still serves one pair at a time and the SWaP limits would couple the sites.)

For each station and pair: the expected heralded pairs after clouds (their sum over windows) and
P10 / P50 / P90 of the year over simulated weather (persistent, station-correlated clouds:
:func:`mission.weather.draws.draw_years`), ranked by the expectation and by P10, and the share of
the simulated years in which it ranks first (:func:`groundstations.year_draws.rank_first_share`);
beside them the band over the weather and the link model's uncertainty (``*_weather_and_link``: a
station's one link, a pair's two). Site diversity: the network of 1, 2, 3, ... stations chosen
greedily for the year's P10 with one downlink telescope
(:func:`groundstations.year_draws.greedy_network`; windows that overlap in time are alternatives:
:func:`groundstations.year_draws.station_diversity`), the probability that at least one of its
stations is clear on a night, and what each added station brings. The verdict
(:mod:`mission.outputs.verdict`) names the best station, pair and network with how sure it is.
Stations or pairs without a window are listed with zeros and the reason, never dropped.

Stations keep their own telescopes unless ``equal_aperture`` is asked for
(:func:`with_equal_aperture`): then every station gets the same aperture, and the ranking is one of
sites (sky, latitude, altitude, clouds) rather than of telescopes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..groundstations.cloud_process import (
    great_circle_distance_km,
    p_any_clear_correlated,
    station_correlation_matrix,
)
from ..groundstations.year_draws import WEATHER, WEATHER_AND_LINK, greedy_network, rank_first_share, station_diversity
from ..groundstations.year_sums import quantile_summary
from . import planner
from .outputs import compare_page, export, outset
from .outputs import verdict as verdicts
from .outputs.summary import fidelity_stats
from .outputs.tables import row_order
from .scenario.errors import InputError, option_number
from .scenario.loading import input_error_from_validation
from .scenario.schema import Scenario
from .weather import clear_sky
from .weather.draws import DrawnContacts, draw_years, weather_model

#: The columns of the ranking (``compare.csv``), one row per station and pair.
COLUMNS = ["kind", "site", "station_a", "station_b", "aperture_a_m", "aperture_b_m", "rank_expected", "rank_p10",
           "p_rank_first", "windows", "window_hours", "expected_heralded_pairs", "p10", "p50", "p90",
           "p10_weather_and_link", "p50_weather_and_link", "p90_weather_and_link",
           "heralded_pairs_clear_skies", "median_fidelity", "secret_key_bits_p50", "cloud_free_probability",
           "cloud_source", "cloud_confidence", "note"]
#: A candidate site given by coordinates is paired (dual downlink) with the scenario's stations
#: closer than this: a common view at night needs stations ~2,000 km apart or less at ~500 km. [km]
PARTNER_KM = 3000.0
#: The mode each station is ranked in on its own: one photon down to it, its partner measured on board.
STATION_MODE = "single-downlink"
#: How many stations the diversity table adds one by one. [1]
DIVERSITY_STATIONS = 5
_SITE = re.compile(r"^\s*([^=]+?)\s*=\s*([^,]+),([^,]+)(?:,([^,]+))?\s*$")


@dataclass(frozen=True)
class Comparison:
    """What ``skyswap compare`` shows: the ranking (stations and pairs), site diversity, clouds."""

    scenario_name: str
    mode: str
    ranking: pd.DataFrame
    diversity: list[dict] = field(default_factory=list)
    clouds: list[dict] = field(default_factory=list)
    stations: pd.DataFrame = field(default_factory=pd.DataFrame)
    draws: int = 0
    days: float = 0.0
    verdict: dict = field(default_factory=dict)
    equal_aperture_m: float | None = None


# ------------------------------------------------------------------------------ --site NAME=..

def parse_site(text: str) -> dict:
    """``NAME=LAT,LON[,ALT_M]`` as an inline station (degrees, metres); one InputError naming
    ``--site`` and the value otherwise."""
    m = _SITE.match(text or "")
    if not m:
        raise InputError("--site", text, "expected NAME=LAT,LON or NAME=LAT,LON,ALT_M (degrees, metres)")
    name, *numbers = m.groups()
    lat, lon, *alt = (option_number("--site", text, label, raw)
                      for label, raw in zip(("latitude", "longitude", "altitude"), numbers) if raw is not None)
    if not -90.0 <= lat <= 90.0:
        raise InputError("--site", text, f"latitude {lat:g} is outside -90..90 degrees")
    if not -180.0 <= lon < 360.0:
        raise InputError("--site", text, f"longitude {lon:g} is outside -180..360 degrees")
    if alt and not -500.0 < alt[0] < 9000.0:
        raise InputError("--site", text, f"altitude {alt[0]:g} m is outside -500..9000 m")
    return {"name": name, "latitude_deg": lat, "longitude_deg": lon, "altitude_m": alt[0] if alt else 0.0}


def common_aperture_m(scenario: Scenario) -> float:
    """The aperture given to a candidate site and, with ``--equal-aperture``, to every station: the
    median of the scenario's stations' apertures. [m]"""
    return float(np.median([s.aperture_m for s in scenario.stations]))


def with_equal_aperture(scenario: Scenario) -> tuple[Scenario, float]:
    """The scenario with every station given :func:`common_aperture_m` (a ranking of sites rather
    than of telescopes; the other receiver values stay each station's), and that aperture. [m]"""
    aperture_m = common_aperture_m(scenario)
    data = scenario.model_dump(mode="json")
    for station in data["stations"]:
        station["aperture_m"] = aperture_m
    return Scenario.model_validate(data), aperture_m


def with_sites(scenario: Scenario, sites: list[str]) -> Scenario:
    """The scenario with candidate sites added as stations: each with the median aperture of the
    scenario's stations (:func:`common_aperture_m`: the comparison is of sites, not telescopes) and,
    in pair modes, paired with every scenario station closer than :data:`PARTNER_KM`."""
    if not sites:
        return scenario
    data = scenario.model_dump(mode="json")
    aperture_m = common_aperture_m(scenario)
    have = {s.name.casefold() for s in scenario.stations}
    pairs = list(data.get("pairs") or [])
    if scenario.payload_mode.station_pairs and not pairs:  # every pair of the scenario, as the planner would take
        names = [s.name for s in scenario.stations]
        pairs = [[names[i], names[j]] for i, j in scenario.station_pairs]
    for text in sites:
        site = parse_site(text)
        if site["name"].casefold() in have:
            raise InputError("--site", text, f"a station named {site['name']!r} is already in the scenario")
        have.add(site["name"].casefold())
        data["stations"].append({**site, "aperture_m": aperture_m, "source": "candidate site (--site)"})
        if scenario.payload_mode.station_pairs:
            pairs += [[s.name, site["name"]] for s in scenario.stations
                      if great_circle_distance_km(s.latitude_deg, s.longitude_deg, site["latitude_deg"],
                                                  site["longitude_deg"]) < PARTNER_KM]
    data["pairs"] = pairs
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:  # one line naming the option
        raise InputError("--site", " ".join(sites), input_error_from_validation(exc).line()) from None


# ------------------------------------------------------------------------------------ ranking

def _links(passes: pd.DataFrame) -> pd.Series:
    a, b = passes["station_a"].astype(str), passes["station_b"].fillna("").astype(str)
    return a.where(b == "", a + "–" + b)


def served_whole(scenario: Scenario, st: planner.PlanStages) -> DrawnContacts:
    """Every candidate window of a plan served whole, as contacts to draw the weather over: its
    heralded pairs over all its samples, and the QBER of the pass table (over the samples the plan
    delivered, or where it delivered none, over all); in the pass table's row order."""
    cands, whole, served = st.candidates, st.payload.served_whole, st.delivered
    name_of = np.array([s.name for s in scenario.stations] + [""], dtype=object)
    order = row_order(cands.windows_s[:, 0], name_of[cands.station_a], name_of[cands.station_b])  # as the table
    return DrawnContacts(cands.station_a[order], cands.station_b[order], cands.windows_s[order, 0],
                         cands.windows_s[order, 1], np.nan_to_num(whole["heralded_pairs"][order]),
                         served["qber"][order])


def _window_draws(scenario: Scenario, st: planner.PlanStages, draws: int):
    """The year drawn over every candidate window served whole (``"weather"`` and
    ``"weather_and_link"``: :func:`mission.weather.draws.draw_years`), and those windows."""
    windows = served_whole(scenario, st)
    cloud_monthly, _ = clear_sky.cloud_tables(scenario.stations, scenario.channel)
    model = weather_model(scenario.outputs, scenario.channel, draws)
    return draw_years(model, st.orbit.t0, st.orbit.span_s, list(scenario.stations), cloud_monthly,
                      scenario.channel.cloud_free_probability, windows, scenario.payload_mode.downlinks), windows


def _rows(passes: pd.DataFrame, kind: str, links: list[tuple[str, str]], years: dict, clouds: dict,
          apertures: dict[str, float]) -> list[dict]:
    """One row per station or pair: its windows served whole (totals over the span), and its year
    over the weather (and over the weather and the link's uncertainty: ``years`` holds both);
    ``clouds`` gives each station's annual mean cloud-free probability, ``apertures`` each
    station's aperture [m]. ``p_rank_first`` is the share of simulated weather years in which the
    row's year beats every other row of its kind."""
    label = _links(passes) if len(passes) else pd.Series(dtype=object)
    weather, both = years.get(WEATHER), years.get(WEATHER_AND_LINK)
    names = list(weather.link_names) if weather is not None else []
    q_pairs = quantile_summary(weather.heralded_pairs["by_link"]) if weather is not None and names else {}
    q_both = quantile_summary(both.heralded_pairs["by_link"]) if both is not None and names else {}
    q_key = quantile_summary(weather.secret_key_bits["by_link"]) if weather is not None and names else {}
    sites = [a if not b else f"{a}–{b}" for a, b in links]
    first = _first_shares(weather, names, sites)
    out = []
    for a, b in links:
        site = a if not b else f"{a}–{b}"
        g = passes[(label == site).to_numpy()] if len(passes) else passes
        j = names.index(site) if site in names else None

        def pick(q, k, j=j):
            return float(q[k][j]) if j is not None and q else 0.0
        # a station's annual mean; a pair's mean over its windows of both skies clear (correlated)
        p_clear = clouds.get(a, np.nan) if not b else (float(g["cloud_free_probability"].mean()) if len(g) else None)
        note = ""
        if not len(g):
            note = ("never in common view at night above both masks" if b
                    else "no window at night above its mask in this span")
        elif not (g["heralded_pairs_if_served"].fillna(0) > 0).any():
            note = "windows, but no heralded pair in any"
        out.append({
            "kind": kind, "site": site, "station_a": a, "station_b": b,
            "aperture_a_m": apertures.get(a), "aperture_b_m": apertures.get(b) if b else None,
            "p_rank_first": first.get(site, 0.0), "windows": int(len(g)), "window_hours": float(g["duration_s"].sum() / 3600.0),
            "expected_heralded_pairs": float(g["expected_heralded_pairs_if_served"].sum()),
            "p10": pick(q_pairs, "p10"), "p50": pick(q_pairs, "p50"), "p90": pick(q_pairs, "p90"),
            **{f"{k}_weather_and_link": pick(q_both, k) for k in ("p10", "p50", "p90")},
            "heralded_pairs_clear_skies": float(g["heralded_pairs_if_served"].sum()),
            "median_fidelity": fidelity_stats(g.assign(heralded_pairs=g["heralded_pairs_if_served"]))["median"]
            if len(g) else None,
            "secret_key_bits_p50": pick(q_key, "p50"),
            "cloud_free_probability": p_clear,
            "note": note,
        })
    return out


def _first_shares(years, names: list[str], sites: list[str]) -> dict[str, float]:
    """Each site's share of the simulated years in which it ranks first among ``sites`` (the
    links of the draws that are not in ``sites`` take no part). [1]"""
    cols = [names.index(s) for s in sites if s in names]
    if years is None or not cols:
        return {}
    share = rank_first_share(np.asarray(years.heralded_pairs["by_link"])[:, cols])
    return {names[c]: float(v) for c, v in zip(cols, share)}


def _ranked(rows: list[dict]) -> list[dict]:
    """Ranks by expected value and by P10 (ties and zeros by name)."""
    for col, rank in (("expected_heralded_pairs", "rank_expected"), ("p10", "rank_p10")):
        order = sorted(range(len(rows)), key=lambda i: (-rows[i][col], rows[i]["site"]))
        for r, i in enumerate(order, start=1):
            rows[i][rank] = r
    return sorted(rows, key=lambda r: r["rank_expected"])


def _diversity(scenario: Scenario, station_rows: list[dict], years: dict, windows: DrawnContacts) -> list[dict]:
    """The network of k = 1, 2, ... stations for the year's P10 over the weather with one downlink
    telescope, chosen greedily (:func:`groundstations.year_draws.greedy_network`) among the stations
    that deliver pairs (ties broken by the ranking): P(at least one clear on a night), the year's
    P10/P50 and what each added station brings."""
    names = [s.name for s in scenario.stations]
    candidates = [names.index(r["site"]) for r in station_rows if r["expected_heralded_pairs"] > 0]
    weather = years.get(WEATHER)
    if not candidates or weather is None:
        return []
    station_pairs = np.column_stack([windows.station_a, windows.station_b])
    windows_s = np.column_stack([windows.start_s, windows.end_s])
    order = greedy_network(weather.delivered, windows.pairs_if_clear, station_pairs, candidates, DIVERSITY_STATIONS,
                           windows_s=windows_s)
    rows = station_diversity(weather.delivered, windows.pairs_if_clear, station_pairs, order, windows_s=windows_s)
    cloud_monthly, _ = clear_sky.cloud_tables(scenario.stations, scenario.channel)
    p_year = np.array([np.mean(cloud_monthly.get(n, (scenario.channel.cloud_free_probability,) * 12)) for n in names])
    lat = [s.latitude_deg for s in scenario.stations]
    lon = [s.longitude_deg for s in scenario.stations]
    corr = station_correlation_matrix(lat, lon, scenario.channel.cloud_correlation_length_km)
    out = []
    for r in rows:
        g = r["stations"]
        out.append({**{k: v for k, v in r.items() if k != "stations"}, "stations": [names[i] for i in g],
                    "added_station": names[g[-1]],
                    "p_any_clear": p_any_clear_correlated(p_year[g], corr[np.ix_(g, g)])})
    return out


def _part(progress, label: str):
    """A planner progress callback that reports under ``label`` (None when there is no bar)."""
    if progress is None:
        return None
    return lambda stage, done, total: progress(f"{label}: {stage}", done, total)


def compare_sites(scenario: Scenario, draws: int | None = None, progress=None,
                  equal_aperture: bool = False) -> Comparison:
    """Plan the stations (single downlink) and pairs (dual downlink), rank them and give the verdict
    (see module).

    ``progress``, if given, is called as ``progress(stage, done, total)`` through both plans.
    ``equal_aperture`` gives every station :func:`common_aperture_m` (a ranking of sites).
    """
    equal_m = None
    if equal_aperture:
        scenario, equal_m = with_equal_aperture(scenario)
    days = scenario.span.duration_s / 86400.0
    n_draws = scenario.outputs.draws if draws is None else draws
    n_draws = max(int(n_draws), 1)
    apertures = {s.name: float(s.aperture_m) for s in scenario.stations}
    quiet = {"outputs": scenario.outputs.model_copy(update={"draws": 0})}  # compare draws its own weather
    single = scenario.model_copy(update={"mode": STATION_MODE, **quiet})
    st_stages = planner.run_stages(single, progress=_part(progress, "stations"))
    st_res = planner.mission_result(single, st_stages, with_levers=False)  # a ranking needs no levers
    st_passes = st_res.passes
    tick = progress or (lambda stage, done, total: None)
    tick("stations: weather years", 5.5, 6)
    years, windows = _window_draws(single, st_stages, n_draws)
    clouds_rows = st_res.summary.get("clouds") or []
    p_clear = {c["station"]: float(np.mean(c["monthly"])) for c in clouds_rows}
    st_rows = _ranked(_rows(st_passes, "station", [(s.name, "") for s in scenario.stations], years, p_clear,
                            apertures))
    for r in st_rows:
        src = next((c for c in clouds_rows if c["station"] == r["site"]), None)
        r["cloud_source"] = src["kind"] if src else ""
        r["cloud_confidence"] = src.get("confidence", "") if src else ""  # how sure (docs/weather.md §1)
    tick("stations: networks", 5.8, 6)
    diversity = _diversity(scenario, st_rows, years, windows)
    pr_rows: list[dict] = []
    if scenario.payload_mode.station_pairs:
        paired = scenario.model_copy(update=quiet)
        pr_stages = planner.run_stages(paired, progress=_part(progress, "pairs"))
        pr_res = planner.mission_result(paired, pr_stages, with_levers=False)  # a ranking needs no levers
        tick("pairs: weather years", 5.5, 6)
        pr_years, _ = _window_draws(scenario, pr_stages, n_draws)
        links = [(scenario.stations[a].name, scenario.stations[b].name) for a, b in scenario.station_pairs]
        pr_rows = _ranked(_rows(pr_res.passes, "pair", links, pr_years, p_clear, apertures))
        for r in pr_rows:
            r["cloud_source"] = r["cloud_confidence"] = ""
    tick("done", 6, 6)
    rows = pr_rows + st_rows  # in a pair mode the pairs are the answer: they come first
    ranking = pd.DataFrame(rows, columns=COLUMNS)
    said = verdicts.verdict(ranking, diversity, days=days, draws=n_draws, equal_aperture_m=equal_m)
    return Comparison(scenario.name, scenario.mode, ranking, diversity, clouds_rows, st_res.stations, n_draws, days,
                      said, equal_m)


# ------------------------------------------------------------------------------------ outputs

def comparison_json(comparison: Comparison) -> dict:
    """``compare.json``: the verdict, how the comparison was made, the ranking and the networks."""
    return {"scenario": comparison.scenario_name, "mode": comparison.mode, "days": comparison.days,
            "draws": comparison.draws, "equal_aperture_m": comparison.equal_aperture_m,
            "verdict": comparison.verdict,
            "ranking": comparison.ranking.astype(object).where(comparison.ranking.notna(), None).to_dict(
                orient="records"),
            "networks": comparison.diversity}


def write(comparison: Comparison, scenario, out_dir: Path) -> list[Path]:
    """``compare.csv``, ``compare.json`` and ``compare.html`` into ``out_dir``, as one set replacing
    the previous one."""
    files = {"compare.csv": export.csv_text(comparison.ranking),
             "compare.json": export.json_text(comparison_json(comparison)),
             "compare.html": compare_page.render_compare_html(comparison, f"skyswap site comparison: {scenario.name}")}
    return outset.write_set(out_dir, files, "compare")


def print_table(comparison: Comparison, width: int | None = None) -> None:
    """The verdict, then pairs (in a pair mode) and stations as tables on the terminal, what the
    columns mean and why a row has no pairs. The tables fit the terminal's width (``width`` to fix
    it): every column where they fit, else the compact set (rank, site, aperture, expected,
    P10–P90, share of years first, clear sky)."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from .outputs.numbers import significant as num
    from .stdio import console as table_console

    console = table_console(width)
    for line in verdicts.verdict_lines(comparison.verdict, num):
        print(line)  # one line each, whatever the width (a terminal wraps it)
    wide_heads = ["rank", "P10 rank", "site", "aperture", "windows", "expected", "P10", "P50", "P90",
                  "P10–P90 +link", "first", "clear", "note"]
    compact_heads = ["#", "site", "aperture", "expected", "P10–P90", "first", "clear"]
    notes = []
    for kind, title in (("pair", "station pairs (dual downlink)"), ("station", "stations (single downlink)")):
        part = comparison.ranking[comparison.ranking["kind"] == kind]
        if not len(part):
            continue
        wide, compact = [], []
        for r in part.itertuples(index=False):
            p_clear = r.cloud_free_probability
            clear = "" if p_clear is None or pd.isna(p_clear) else f"{p_clear:.2f}"
            aperture = verdicts.aperture_text(r.aperture_a_m, r.aperture_b_m).replace(" ", "")
            first = f"{100 * r.p_rank_first:.0f} %"
            wide.append([str(r.rank_expected), str(r.rank_p10), r.site, aperture, f"{r.windows:,.0f}",
                         num(r.expected_heralded_pairs), num(r.p10), num(r.p50), num(r.p90),
                         f"{num(r.p10_weather_and_link)} – {num(r.p90_weather_and_link)}", first,
                         clear + (f" ({r.cloud_confidence})" if clear and r.cloud_confidence else ""), r.note])
            compact.append([str(r.rank_expected), r.site, aperture, num(r.expected_heralded_pairs),
                            f"{num(r.p10)} – {num(r.p90)}", first, clear])
        fits = sum(max([len(h)] + [len(row[k]) for row in wide]) + 2 for k, h in enumerate(wide_heads)) <= console.width
        heads, rows = (wide_heads, wide) if fits else (compact_heads, compact)
        if not fits:  # the compact table has no note column: the notes follow the tables
            notes += [f"{r.site}: {r.note}" for r in part.itertuples(index=False) if r.note]
        table = Table(title=escape(f"{title}, by expected heralded pairs after clouds"), box=box.SIMPLE_HEAD,
                      show_edge=False, padding=(0, 0, 0, 1), title_justify="left")
        for h in heads:
            table.add_column(escape(h), justify="left" if h in ("site", "note") else "right", no_wrap=True)
        for row in rows:
            table.add_row(*(escape(c) for c in row))
        console.print(table)
    print(f"aperture [m]; expected: heralded pairs after clouds (mean); P10, P90: over {comparison.draws:,} simulated "
          "weather years; +link: the same years with the link model's uncertainty drawn too (a station's one link, "
          "a pair's two); first: the share of the weather years it ranks first; clear: cloud-free probability")
    for note in notes:
        print(note)
