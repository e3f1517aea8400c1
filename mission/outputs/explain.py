"""The report's "what limits it" and "what would change it": the link-loss budget beside the
fidelity budget, the levers and the searches, in figures, a table and words (reads ``summary.json``;
drawing and wording only)."""
from __future__ import annotations

from ...payload.modes import find_mode
from ..channel import LINK_TERM_LABELS, LINK_TERMS
from ..levers import MAX_GAIN_DB, PAIRS_FACTOR
from .figures_explain import levers_figure, loss_waterfall_figure
from .numbers import expected, finite
from .page import esc, figure_html, html_table, section

#: The figures of these sections, in page order.
FIGURE_IDS = ("skyswap-loss-budget", "skyswap-fidelity-budget", "skyswap-levers")


def _downlinks(summary: dict) -> int:
    mode = find_mode(summary.get("mode"))
    return mode.downlinks if mode is not None else 1


def largest_terms(loss_budget: dict | None, n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` largest terms of a loss budget, (label, dB), largest first."""
    terms = (loss_budget or {}).get("terms_db") or {}
    ranked = sorted(((LINK_TERM_LABELS[t], float(terms[t])) for t in LINK_TERMS if finite(terms.get(t))),
                    key=lambda x: -x[1])
    return ranked[:n]


def limits_sentence(summary: dict) -> str | None:
    """What limits the link, in one sentence (None without a loss budget)."""
    lb = summary.get("loss_budget") or {}
    if not finite(lb.get("loss_total_db")):
        return None
    both = "the two downlinks together lose" if _downlinks(summary) == 2 else "the downlink loses"
    top = ", ".join(f"{label} {v:.1f} dB" for label, v in largest_terms(lb))
    return (f"What limits it: on the served windows {both} {lb['loss_total_db']:.1f} dB on average (median window "
            f"{lb['median_window_loss_total_db']:.1f} dB); the largest terms are {top} (the loss budget below).")


def _best_lever(levers: dict) -> dict | None:
    rows = [r for r in levers.get("levers") or [] if finite(r.get("ratio")) and float(r["ratio"]) > 0]
    return max(rows, key=lambda r: float(r["ratio"])) if rows else None


def change_sentences(summary: dict) -> list[str]:
    """What would change the headline, in words: the strongest lever and the searches."""
    lv = summary.get("levers") or {}
    if not lv:
        return []
    out = []
    best = _best_lever(lv)
    if best is not None and float(best["ratio"]) > 1.0:
        out.append(f"What would change it most: {best['label']} {best['change']} gives {expected(best['ratio'], 2)} "
                   f"times the expected heralded pairs ({expected(best['expected_heralded_pairs'])}).")
    s = lv.get("searches") or {}
    per = "every downlink"
    if finite(s.get("link_gain_db_for_tenfold_pairs")):
        out.append(f"{PAIRS_FACTOR:g} times the pairs needs {s['link_gain_db_for_tenfold_pairs']:.1f} dB less loss on "
                   f"{per}.")
    base_key = (lv.get("baseline") or {}).get("secret_key_bits")
    if finite(base_key) and float(base_key or 0.0) > 0:
        return out
    key = []
    if finite(s.get("link_gain_db_for_key")):
        at = (f" (a served window's total {s['loss_total_db_for_key']:.1f} dB)"
              if finite(s.get("loss_total_db_for_key")) else "")
        key.append(f"{s['link_gain_db_for_key']:.1f} dB less loss on {per}{at}")
    elif s.get("link_gain_db_for_tenfold_pairs") is not None or "link_gain_db_for_key" in s:
        key.append(f"more than {MAX_GAIN_DB:g} dB less loss on {per} (no key within that)")
    if finite(s.get("source_rate_factor_for_key")):
        key.append(f"a source {expected(s['source_rate_factor_for_key'], 2)} times as fast at the same pairs per "
                   "pulse")
    if key:
        out.append("A finite key would need " + ", or ".join(key) + ".")
    return out


def limits_section(summary: dict, fidelity_figure) -> str:
    """The link-loss waterfall beside the fidelity waterfall."""
    lb = summary.get("loss_budget") or {}
    over = lb.get("over", "served windows")
    both = "both downlinks of a pair together, " if _downlinks(summary) == 2 else ""
    loss = (f'<div><h3>Link loss</h3><p class="caption">From no loss up through each term to the mean total loss: '
            f"{both}the mean over the samples of the {esc(over)} (each window's term weighted by its samples); the "
            f"terms add up to the total. Per pair and station: summary.json loss_budget; per window: passes.csv "
            f"loss_&lt;term&gt;_&lt;leg&gt;_db.</p>"
            f"{figure_html(loss_waterfall_figure(lb, _downlinks(summary)), FIGURE_IDS[0])}</div>")
    fid = (f'<div><h3>Fidelity</h3><p class="caption">From a perfect Bell state down through each infidelity term to '
           f"the mean delivered fidelity; means over passes weighted by heralded pairs.</p>"
           f"{figure_html(fidelity_figure, FIGURE_IDS[1])}</div>")
    return section("What limits it", f'<div class="side-by-side">{loss}{fid}</div>', "section-limits")


_LEVER_COLUMNS = [("label", "lever"), ("change", "change"), ("expected_heralded_pairs", "expected heralded pairs"),
                  ("ratio_text", "× the plan's"), ("heralded_pairs", "heralded pairs (clear skies)"),
                  ("secret_key_bits", "secret key [bit]")]


def levers_section(summary: dict) -> str:
    """The levers: tornado, table and the searches in words."""
    lv = summary.get("levers") or {}
    base = lv.get("baseline") or {}
    rows = [{"label": "the plan as it is", "change": "—", **base, "ratio_text": "1"}]
    rows += [dict(r, ratio_text=expected(r.get("ratio"), 3)) for r in lv.get("levers") or []]
    skipped = lv.get("not_applicable") or []
    note = (f" Not applicable in this mode (no photon leaves the satellite): {', '.join(skipped)}." if skipped else "")
    thinned = (f" One delivering sample in {lv['stride']} of each contact stands for the others "
               f"({lv['samples']:,} samples)." if lv.get("stride", 1) > 1 else "")
    inner = (f"<p class=\"caption\">Each lever changes one parameter by the step shown and evaluates the link "
             f"and the payload again on the samples the plan's contacts delivered: the same contacts, the same "
             f"SWaP schedule, the same clouds (a re-planned year could choose other contacts).{esc(thinned + note)}</p>"
             f"{figure_html(levers_figure(lv), FIGURE_IDS[2])}"
             f"{html_table(rows, _LEVER_COLUMNS, 'skyswap-levers-table', key='label') if lv else ''}")
    return section("What would change it", inner, "section-levers")


__all__ = ["FIGURE_IDS", "change_sentences", "largest_terms", "levers_section", "limits_section", "limits_sentence"]
