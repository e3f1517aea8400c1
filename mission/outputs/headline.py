"""The headline numbers in plain words: the CLI's closing line and the report's "what this means".

Reads a summary (and, where given, the schedule) and says what the year delivers: the heralded
pairs if every sky were clear, the expected number after clouds and the P10–P90 range of the
simulated weather years, the swaps the onboard Bell-state measurement made, and why the secret key
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
def _distribution(summary: dict, quantity: str = "heralded_pairs") -> dict | None:
    d = (summary.get("distribution") or {}).get(quantity)
    return d if isinstance(d, dict) and finite(d.get("p10")) else None


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


def closing_line(summary: dict) -> str:
    """The CLI's closing line of ``skyswap plan``: contacts, swaps (expected), heralded pairs (with
    clear skies, expected after clouds, P10/P50/P90 over simulated years), key (and why zero)."""
    t = summary.get("totals") or {}
    name = (summary.get("scenario") or {}).get("name", "")
    parts = [f"{count(t.get('contacts'))} contacts (of {count(t.get('candidate_windows'))} candidate windows)",
             f"{expected(t.get('swaps'))} swaps expected",
             f"heralded pairs {expected(t.get('heralded_pairs'))} with clear skies, "
             f"{expected(t.get('expected_heralded_pairs'))} expected after clouds"]
    d = _distribution(summary)
    if d is not None:
        draws = (summary.get("distribution") or {}).get("draws")
        parts[-1] += (f" (P10 {expected(d['p10'])}, P50 {expected(d['p50'])}, P90 {expected(d['p90'])} "
                      f"over {count(draws)} simulated weather years)")
    reason = key_reason(summary)
    key = f"{expected(t.get('secret_key_bits'))} key bits" + (f" ({reason})" if reason else "")
    return f"{name}: " + ", ".join(parts) + f"; {key}"


def meaning(summary: dict, passes: pd.DataFrame | None = None, schedule: pd.DataFrame | None = None) -> list[str]:
    """Plain sentences for the top of the report: what the year's numbers mean."""
    t = summary.get("totals") or {}
    mode = summary.get("mode", "")
    payload_mode = find_mode(mode)
    out = []
    pairs, exp_pairs, swaps = t.get("heralded_pairs"), t.get("expected_heralded_pairs"), t.get("swaps")
    d = _distribution(summary)
    spread = (f" In {count((summary.get('distribution') or {}).get('draws'))} simulated weather years the total "
              f"lies between {expected(d['p10'])} (P10) and {expected(d['p90'])} (P90), median "
              f"{expected(d['p50'])}." if d is not None else "")
    if payload_mode is not None and payload_mode.downlinks == 2:
        loss = ""
        median = (summary.get("loss_budget") or {}).get("median_window_loss_total_db")  # the one definition
        if finite(median):
            loss = f" (median over the served windows: {float(median or 0.0):.0f} dB for the two downlinks together)"
        out.append(
            f"Both photons of a pair must reach their stations in the same instant: with no quantum memory, the "
            f"two link losses multiply{loss}. So this year gives few pairs: {expected(pairs)} heralded pairs if "
            f"every night were clear, {expected(exp_pairs)} expected after clouds.{spread}")
        if finite(swaps) and finite(pairs) and float(pairs or 0.0) > 0:
            out.append(
                f"On board, the Bell-state measurement succeeded {expected(swaps)} times during the contacts "
                f"(an expected count); about one in {expected(float(swaps or 0.0) / float(pairs or 1.0), 2)} of "
                "those swaps had "
                "both partner photons detected on the ground. The swaps themselves are what the payload does in "
                "any mode; this summary does not carry the other modes' totals (plan the scenario with "
                "mode: onboard or single-downlink to see them).")
    elif mode:
        out.append(f"Mode {mode}: {expected(pairs)} heralded pairs if every night were clear, "
                   f"{expected(exp_pairs)} expected after clouds.{spread} The onboard Bell-state measurement "
                   f"succeeded {expected(swaps)} times (an expected count).")
    reason = key_reason(summary, pooled_qber(schedule))
    if reason:
        out.append(f"Secret key: 0 bits, because {reason}.")
    limits = explain.limits_sentence(summary)
    change = " ".join(explain.change_sentences(summary))
    return out + ([limits] if limits else []) + ([change] if change else [])
