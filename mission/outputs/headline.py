"""The headline numbers in plain words: the CLI's closing line and the report's "what this means".

Reads a summary (and, where given, the schedule) and says what the year delivers: the heralded
pairs if every sky were clear, the expected number after clouds and the P10–P90 range of the
simulated years (over the weather and the link model's uncertainty, and over the weather alone),
the BSM heralds and four-fold swaps (``docs/nomenclature.md``; in mode
``onboard`` the four-fold swaps per operating hour), and why the secret key
is zero when it is (how many pairs one link's finite-size key needs). Wording only: the one
computation is the key threshold, :func:`payload.keyrate.bbm92_min_sifted_bits`.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...payload.keyrate import bbm92_min_sifted_bits
from ...payload.modes import find_mode
from . import explain
from .numbers import count, expected, finite
from .summary import key_sentence

#: Share of heralded pairs measured in matching bases (BBM92), as the key columns count them. [1]
SIFTING_FRACTION = 0.5
def _distribution(summary: dict, quantity: str = "heralded_pairs", sources: str = "weather") -> dict | None:
    """The quantiles of ``quantity`` over the ``sources`` drawn: ``"weather"`` (the section's top level)
    or ``"weather_and_link"``; None where the summary has none."""
    section = summary.get("distribution") or {}
    if sources != "weather":
        section = section.get(sources) or {}
    d = section.get(quantity)
    return d if isinstance(d, dict) and finite(d.get("p10")) else None


def _band(summary: dict) -> str:
    """The year's band in words: over the weather and the link's uncertainty, and over the weather
    alone ("" without draws)."""
    weather, both = _distribution(summary), _distribution(summary, sources="weather_and_link")
    draws = count((summary.get("distribution") or {}).get("draws"))
    alone = f"P10 {expected(weather['p10'])} – P90 {expected(weather['p90'])}" if weather is not None else ""
    if both is not None:
        return (f"weather + link over {draws} simulated years: P10 {expected(both['p10'])}, "
                f"P50 {expected(both['p50'])}, P90 {expected(both['p90'])}" + (f"; weather alone {alone}" if alone else ""))
    return f"weather alone over {draws} simulated years: {alone}" if alone else ""


def link_pairs(summary: dict) -> list[tuple[str, float]]:
    """Each link's (station pair's, or station's) heralded pairs in the year with clear skies, best
    first: the pool a link's finite-size key is computed from."""
    rows = summary.get("by_pair") or []
    if rows:
        out = [(f"{r.get('station_a', '')}–{r.get('station_b', '')}", float(r.get("heralded_pairs") or 0.0))
               for r in rows]
    else:
        out = [(str(r.get("station", "")), float(r.get("heralded_pairs") or 0.0)) for r in summary.get("by_station") or []]
    return sorted(out, key=lambda x: -x[1])


def pooled_qber(schedule: pd.DataFrame | None) -> float | None:
    """QBER of all scheduled pairs pooled (weighted by heralded pairs); None without pairs. [1]"""
    if schedule is None or not len(schedule) or "qber" not in schedule:
        return None
    q = pd.to_numeric(schedule["qber"], errors="coerce").to_numpy(float)
    w = pd.to_numeric(schedule["heralded_pairs"], errors="coerce").to_numpy(float)
    ok = np.isfinite(q) & np.isfinite(w) & (w > 0)
    return float(np.sum(q[ok] * w[ok]) / np.sum(w[ok])) if ok.any() else None


def pairs_needed_for_key(qber: float | None) -> float:
    """Heralded pairs one link must pool for a positive finite-size key at ``qber`` (0 when None:
    the least any link needs). [1]"""
    return bbm92_min_sifted_bits(0.0 if qber is None else qber) / SIFTING_FRACTION


def key_reason(summary: dict, qber: float | None = None) -> str | None:
    """Why the year's key is zero, in one clause; None when there is a key. The summary's own
    reason (``secret_key.why_no_key``: one finite-size block per contact, as the totals count it)
    comes first; without it, what one link would need if it pooled its year's pairs."""
    totals = summary.get("totals") or {}
    if finite(totals.get("secret_key_bits")) and float(totals["secret_key_bits"]) > 0:
        return None
    key = summary.get("secret_key") or {}
    if key.get("why_no_key"):  # the summary's reason, its numbers typeset
        return key_sentence(key, expected) if "closest_contact_id" in key else key["why_no_key"]
    need = pairs_needed_for_key(qber)
    links = link_pairs(summary)
    best = f"; the best link, {links[0][0]}, has {expected(links[0][1])} with clear skies" if links else ""
    at = f"at its QBER of {100 * qber:.1f} %" if qber is not None else "even with no errors"
    if not math.isfinite(need):
        return f"no finite key at a QBER of {100 * (qber or 0.0):.1f} % (above the threshold of BBM92 with f_EC = 1.19)"
    return f"a finite-size key needs at least {count(need)} heralded pairs pooled on one link {at}{best}"


def fourfold_per_operating_hour(t: dict) -> float | None:
    """Four-fold swaps per operating hour of the payload (``totals``), None without operation. [1/h]"""
    hours, fourfold = t.get("operating_hours"), t.get("swaps_fourfold")
    if not (finite(hours) and finite(fourfold)) or float(hours or 0.0) <= 0:
        return None
    return float(fourfold or 0.0) / float(hours or 0.0)


def _spread(summary: dict) -> str:
    """`` (weather + link over n simulated years: P10 a, P50 b, P90 c; weather alone P10 d – P90 e)``,
    or nothing without draws (:func:`_band`)."""
    band = _band(summary)
    return f" ({band})" if band else ""


def closing_line(summary: dict) -> str:
    """The CLI's closing line of ``skyswap plan``: contacts, then what the mode counts — four-fold
    swaps on board per operating hour (``onboard``), or heralded pairs (the four-fold swaps detected
    at the stations: with clear skies, expected after clouds, P10/P50/P90 over simulated years of
    weather and link uncertainty and P10–P90 of the weather alone) — the BSM heralds, and the key
    (and why it is zero)."""
    t = summary.get("totals") or {}
    name = (summary.get("scenario") or {}).get("name", "")
    mode = find_mode(summary.get("mode"))
    parts = [f"{count(t.get('contacts'))} contacts (of {count(t.get('candidate_windows'))} candidate windows)"]
    if mode is not None and mode.stored:
        rate = fourfold_per_operating_hour(t)
        parts.append(f"four-fold swaps on board {expected(t.get('swaps_fourfold'))} expected in "
                     f"{expected(t.get('operating_hours'))} operating hours"
                     + (f" ({expected(rate)} per operating hour, clouds do not touch them)" if rate is not None
                        else ""))
        parts.append(f"BSM heralds {expected(t.get('bsm_heralds'))}")
        return f"{name}: " + ", ".join(parts)
    what = ("heralded pairs (four-fold swaps detected at the stations)" if mode is None or mode.swaps
            else "pairs detected at both stations (no Bell-state measurement)")
    parts.append(f"{what} {expected(t.get('heralded_pairs'))} with clear skies, "
                 f"{expected(t.get('expected_heralded_pairs'))} expected after clouds" + _spread(summary))
    if mode is None or mode.swaps:
        parts.append(f"BSM heralds {expected(t.get('bsm_heralds'))} expected on board")
    reason = key_reason(summary)
    key = f"{expected(t.get('secret_key_bits'))} key bits" + (f" ({reason})" if reason else "")
    return f"{name}: " + ", ".join(parts) + f"; {key}"


#: Boeing's stated target, in the words of its only public account (docs/q4s_profile.md).
STATED_TARGET = ("Boeing's stated target for the Q4S payload is 100+ swaps per hour at high fidelity, four-photon "
                 "events: four-fold swaps (Quantum World Congress write-up of Jay Lowell's talk, reported "
                 "second-hand; docs/q4s_profile.md)")


def meaning(summary: dict, passes: pd.DataFrame | None = None, schedule: pd.DataFrame | None = None) -> list[str]:
    """Plain sentences for the top of the report: what the year's numbers mean, in the words of
    ``docs/nomenclature.md`` (a BSM herald: two photons at the onboard Bell-state measurement; a
    four-fold swap: a herald with both partner photons detected)."""
    t = summary.get("totals") or {}
    mode = summary.get("mode", "")
    payload_mode = find_mode(mode)
    out = []
    pairs, exp_pairs, heralds = t.get("heralded_pairs"), t.get("expected_heralded_pairs"), t.get("bsm_heralds")
    fidelity = (summary.get("fidelity") or {}).get("mean")
    d, both = _distribution(summary), _distribution(summary, sources="weather_and_link")
    draws = count((summary.get("distribution") or {}).get("draws"))
    spread = ""
    if both is not None:
        spread = (f" In {draws} simulated years of weather and link uncertainty (the calibrated chain's error "
                  f"and each station's own) the total lies between {expected(both['p10'])} (P10) and "
                  f"{expected(both['p90'])} (P90), median {expected(both['p50'])}")
        spread += (f"; the weather alone spans {expected(d['p10'])} – {expected(d['p90'])}." if d is not None
                   else ".")
    elif d is not None:
        spread = (f" In {draws} simulated weather years the total lies between {expected(d['p10'])} (P10) and "
                  f"{expected(d['p90'])} (P90), median {expected(d['p50'])}.")
    if payload_mode is not None and payload_mode.stored:
        rate = fourfold_per_operating_hour(t)
        out.append(
            f"Mode {mode}: both photon pairs, the Bell-state measurement and all four detections are on board, "
            f"so no photon crosses a link and clouds do not touch the counts. The payload made "
            f"{expected(t.get('swaps_fourfold'))} four-fold swaps (a BSM herald with both partner photons "
            f"detected) in {expected(t.get('operating_hours'))} operating hours"
            + (f": {expected(rate)} per operating hour" if rate is not None else "")
            + (f", at a fidelity of {expected(fidelity)} with the heralded Bell state" if finite(fidelity) else "")
            + f". Its Bell-state measurement heralded {expected(heralds)} times (two photons each); "
            f"the {count(t.get('contacts'))} contacts carried the records down over the classical downlink. "
            f"{STATED_TARGET}.")
    elif payload_mode is not None and payload_mode.downlinks == 2 and payload_mode.swaps:
        loss = ""
        median = (summary.get("loss_budget") or {}).get("median_window_loss_total_db")  # the one definition
        if finite(median):
            loss = f" (median over the served windows: {float(median or 0.0):.0f} dB for the two downlinks together)"
        out.append(
            f"Both photons of a pair must reach their stations in the same instant: with no quantum memory, the "
            f"two link losses multiply{loss}. So this year gives few pairs: {expected(pairs)} heralded pairs if "
            f"every night were clear, {expected(exp_pairs)} expected after clouds.{spread}")
        if finite(heralds) and finite(pairs) and float(pairs or 0.0) > 0:
            out.append(
                f"On board, the Bell-state measurement heralded {expected(heralds)} times during the contacts "
                f"(BSM heralds, an expected count); about one in {expected(float(heralds or 0.0) / float(pairs or 1.0), 2)} "
                "of those heralds became a four-fold swap: both partner photons detected at the stations, a "
                "heralded pair. The heralds are what the payload does in any mode; this summary does not carry the "
                "other modes' totals (plan the scenario with mode: onboard or single-downlink to see them).")
    elif payload_mode is not None and payload_mode.swaps:
        out.append(f"Mode {mode}: {expected(pairs)} heralded pairs (four-fold swaps: a BSM herald with one partner "
                   f"photon detected at a station and the other on board) if every night were clear, "
                   f"{expected(exp_pairs)} expected after clouds.{spread} The onboard Bell-state measurement "
                   f"heralded {expected(heralds)} times (BSM heralds, an expected count).")
    elif mode:
        out.append(f"Mode {mode}: {expected(pairs)} pairs detected at both stations (no Bell-state measurement, so "
                   f"no herald and no swap) if every night were clear, {expected(exp_pairs)} expected after "
                   f"clouds.{spread}")
    reason = key_reason(summary, pooled_qber(schedule))
    if reason and not (payload_mode is not None and payload_mode.stored):
        out.append(f"Secret key: 0 bits, because {reason}.")
    limits = explain.limits_sentence(summary)
    change = " ".join(explain.change_sentences(summary))
    return out + ([limits] if limits else []) + ([change] if change else [])
