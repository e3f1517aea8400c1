"""The verdict of ``skyswap compare``: which station, pair and network to choose, and how sure.

Read from the comparison's ranking and networks only (no planning here): for stations and for
pairs, the best by expected heralded pairs after clouds, with its P10–P90 over the simulated
weather years, the ratio to the next, and the share of simulated years in which it ranks first; the
best network of two and of three stations for the year's P10 with one downlink telescope; what
limits the best (clouds: how much a clear sky every night would give; telescopes: whether the
apertures differ). :func:`verdict` gives the JSON-ready dict (``compare.json``), :func:`verdict_lines`
the sentences the terminal and the page print.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from .numbers import expected, finite

#: Networks the verdict names: of two and of three stations. [1]
NETWORK_SIZES = (2, 3)
#: Below this share of years in first place the verdict calls the choice close. [1]
CLOSE_CALL = 0.6


def _number(value) -> float | None:
    return float(value) if finite(value) else None


def _best(rows: pd.DataFrame) -> dict | None:
    """The best row of one kind (rank 1 by expected value) and how far ahead of the next it is."""
    if not len(rows):
        return None
    ranked = rows.sort_values("rank_expected", kind="mergesort")
    top = ranked.iloc[0]
    nxt = ranked.iloc[1] if len(ranked) > 1 else None
    best_value = float(top["expected_heralded_pairs"])
    next_value = float(nxt["expected_heralded_pairs"]) if nxt is not None else None
    out = {
        "kind": str(top["kind"]), "site": str(top["site"]),
        "stations": [str(top["station_a"])] + ([str(top["station_b"])] if top["station_b"] else []),
        "aperture_m": [a for a in (_number(top["aperture_a_m"]), _number(top["aperture_b_m"])) if a is not None],
        "expected_heralded_pairs": best_value,
        **{k: _number(top[k]) for k in ("p10", "p50", "p90")},
        "p_rank_first": _number(top["p_rank_first"]),
        "rank_p10": int(top["rank_p10"]),
        "heralded_pairs_clear_skies": _number(top["heralded_pairs_clear_skies"]),
        "cloud_free_probability": _number(top["cloud_free_probability"]),
        "next": None if nxt is None else {"site": str(nxt["site"]), "expected_heralded_pairs": next_value},
        "ratio_to_next": (best_value / next_value if next_value and next_value > 0 else None),
        "delivers": best_value > 0,
    }
    return out


def _networks(networks: list[dict]) -> list[dict]:
    keep = ("stations", "added_station", "mean", "p10", "p50", "p90", "added_p10", "added_p50", "p_any_clear")
    return [{k: d.get(k) for k in keep} for d in networks if len(d.get("stations") or ()) in NETWORK_SIZES]


def verdict(ranking: pd.DataFrame, networks: list[dict], days: float, draws: int,
            equal_aperture_m: float | None = None) -> dict:
    """The verdict of a comparison (see module).

    Parameters
    ----------
    ranking : DataFrame
        :attr:`mission.compare.Comparison.ranking` (columns :data:`mission.compare.COLUMNS`).
    networks : list of dict
        The greedy networks for the year's P10 (:attr:`mission.compare.Comparison.diversity`).
    days : float
        The span compared. [d]
    draws : int
        Simulated weather years. [1]
    equal_aperture_m : float, optional
        The aperture every station was given, or None when each kept its own. [m]

    Returns
    -------
    dict
        ``station`` and ``pair`` (None where there is none): site, stations, apertures [m], expected
        heralded pairs and P10/P50/P90 [1], ``p_rank_first`` [1], ``next`` and ``ratio_to_next``
        [1], pairs with clear skies and the cloud-free probability [1]; ``networks`` (two and three
        stations); ``answer`` (``"pair"`` in a pair mode, else ``"station"``); the apertures'
        range [m]; ``days`` [d], ``draws``; ``lines``: the verdict in words.
    """
    kinds = ranking["kind"] if len(ranking) else pd.Series(dtype=object)
    stations = ranking[(kinds == "station").to_numpy()] if len(ranking) else ranking
    pairs = ranking[(kinds == "pair").to_numpy()] if len(ranking) else ranking
    station_apertures = [float(a) for a in stations.get("aperture_a_m", pd.Series(dtype=float)) if finite(a)]
    out: dict[str, Any] = {
        "answer": "pair" if len(pairs) else "station",
        "station": _best(stations),
        "pair": _best(pairs),
        "networks": _networks(networks),
        "days": float(days), "draws": int(draws),
        "equal_aperture_m": equal_aperture_m,
        "aperture_min_m": min(station_apertures) if station_apertures else None,
        "aperture_max_m": max(station_apertures) if station_apertures else None,
    }
    out["lines"] = verdict_lines(out)
    return out


def aperture_text(a, b=None) -> str:
    """A station's aperture, or a pair's two ("1.20 / 0.50"), in metres; "" when unknown. [m]"""
    parts = [f"{float(x):.2f}" for x in (a, b) if finite(x)]
    return " / ".join(parts)


def _share(p) -> str:
    return "—" if p is None else f"{100 * p:.0f} %"


def _best_sentence(best: dict, what: str, days: float, draws: int, num: Callable[[float], str]) -> str:
    if not best["delivers"]:
        return f"No {what} delivers a heralded pair in this span: nothing to choose between."
    band = f"P10 {num(best['p10'])}, P90 {num(best['p90'])}"
    head = (f"Best {what}: {best['site']}, {num(best['expected_heralded_pairs'])} expected heralded pairs in "
            f"{num(days)} days ({band})")
    if best["next"] is None:
        ahead = "the only one compared"
    elif best["ratio_to_next"] is None:
        ahead = f"the only one with pairs (the next, {best['next']['site']}, has none)"
    else:
        ahead = (f"{best['ratio_to_next']:.2f}× the next ({best['next']['site']}, "
                 f"{num(best['next']['expected_heralded_pairs'])})")
    sure = f"first in {_share(best['p_rank_first'])} of {draws:,} simulated weather years"
    if best["p_rank_first"] is not None and best["p_rank_first"] < CLOSE_CALL and best["next"] is not None:
        sure += ": a close call"
    return f"{head}, {ahead}; {sure}."


def _network_sentence(networks: list[dict], num: Callable[[float], str]) -> str | None:
    if not networks:
        return None
    parts = []
    for d in networks:
        names = " + ".join(d["stations"])
        parts.append(f"{len(d['stations'])} stations {names}: P10 {num(d['p10'])} "
                     f"(+{num(d['added_p10'])} from {d['added_station']}), P90 {num(d['p90'])}")
    return "Best network for the year's P10 with one downlink telescope: " + "; ".join(parts) + "."


def _limit_sentence(best: dict | None, answer: str, num: Callable[[float], str]) -> str | None:
    if not best or not best["delivers"]:
        return None
    clear, exp, p = best["heralded_pairs_clear_skies"], best["expected_heralded_pairs"], best["cloud_free_probability"]
    if not (finite(clear) and finite(p) and exp > 0):
        return None
    skies = "both skies are" if answer == "pair" else "the sky is"
    return (f"What limits it: clouds — {skies} clear for {100 * p:.0f} % of its windows; with clear skies every night "
            f"it would give {num(clear)} ({clear / exp:.2f}× the expected).")


def _aperture_sentence(v: dict) -> str | None:
    if v["equal_aperture_m"] is not None:
        return (f"Every station was given the same {v['equal_aperture_m']:.2f} m aperture (--equal-aperture): "
                "a ranking of sites, not of telescopes.")
    lo, hi = v["aperture_min_m"], v["aperture_max_m"]
    if lo is None or hi is None:
        return None
    if math.isclose(lo, hi):
        return f"Every station has a {lo:.2f} m aperture: the ranking is one of sites."
    return (f"Each station keeps its own telescope ({lo:.2f}–{hi:.2f} m, up to {(hi / lo) ** 2:.1f}× the collecting "
            "area): this ranks telescopes as much as sites; --equal-aperture ranks the sites alone.")


def verdict_lines(v: dict, num: Callable[[float], str] = expected) -> list[str]:
    """The verdict in sentences: the answer first (the best pair in a pair mode), then the best
    station, the best networks, what limits the answer, and the apertures compared. ``num`` writes
    an expected number (:func:`.numbers.expected` on pages, :func:`.numbers.significant` on a
    terminal)."""
    if not v:
        return []
    days, draws = v.get("days", 0.0), v.get("draws", 0)
    lines = []
    order = (("pair", "pair (dual downlink)"), ("station", "station (single downlink)")) if v["answer"] == "pair" \
        else (("station", "station"),)
    for key, what in order:
        if v.get(key):
            lines.append(_best_sentence(v[key], what, days, draws, num))
    for extra in (_network_sentence(v.get("networks") or [], num), _limit_sentence(v.get(v["answer"]), v["answer"], num),
                  _aperture_sentence(v)):
        if extra:
            lines.append(extra)
    if not lines:
        lines.append("Nothing to rank: the comparison has no stations.")
    return lines
