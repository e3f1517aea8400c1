"""Issue 23 item 5: every number says what it is — one definition per quantity, distinct names for
distinct quantities, and the contradictions the issue lists (each fails on the code before it)."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from skyswap import mission
from skyswap.mission import planner
from skyswap.mission.outputs import headline, report
from skyswap.mission.outputs.numbers import expected
from tests.report_pages import figures, parse, values

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def e2e():
    sc = mission.load_scenario(ROOT / "tests" / "data" / "e2e.yaml")
    return planner.mission_result(sc, planner.run_stages(sc))


def _keys(obj, prefix=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield f"{prefix}{k}"
            yield from _keys(v, f"{prefix}{k}.")
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v, prefix)


def test_hours_and_energies_have_one_name_each(e2e):
    """summary.json had two ``operating_hours`` (53.19, 57.09) and two energies (2,394 Wh, 46,991 Wh)
    under names that did not say which was which: each name now has one meaning wherever it appears."""
    s = e2e.summary
    keys = {k for k in _keys(s) if not k.startswith("definitions.")}
    assert not {k for k in keys if k.rsplit(".", 1)[-1] == "energy_wh"}  # the contacts' energy is named so
    assert {k for k in keys if k.rsplit(".", 1)[-1] == "payload_energy_wh"} <= {"operations.payload_energy_wh",
                                                                                "operations.by_satellite.payload_energy_wh"}
    t, ops = s["totals"], s["operations"]
    assert t["operating_hours"] == ops["operating_hours"]  # one quantity: the span's, in both places
    assert t["operating_hours_in_contacts"] == pytest.approx(e2e.schedule["operating_s"].sum() / 3600)
    assert t["payload_energy_in_contacts_wh"] == pytest.approx(e2e.schedule["energy_wh"].sum())
    assert ops["operating_hours"] == pytest.approx(t["operating_hours_in_contacts"]
                                                   + ops["operating_hours_outside_contacts"])
    assert ops["payload_energy_wh"] >= t["payload_energy_in_contacts_wh"]
    for key in ("totals.operating_hours", "totals.operating_hours_in_contacts", "totals.payload_energy_in_contacts_wh",
                "operations.payload_energy_wh", "contact_plan.expected_heralded_pairs_before_swap_limits",
                "contact_plan.worst_pair_share"):
        assert key in s["definitions"], key


def _plan_rows(page: str) -> dict[str, str]:
    table = re.search(r'<table class="skyswap-table kv" id="skyswap-contact-plan">(.*?)</table>', page, re.S).group(1)
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", table)}


def test_the_plans_pairs_and_shares_say_which_they_are(e2e):
    """7.34 (the contention table: the plan before SWaP limits) against 7.33 (the headline, after);
    'worst-served pair's share of its time' printed a share of pairs."""
    s = e2e.summary
    cp = s["contact_plan"]
    assert "expected_heralded_pairs" not in cp and "expected_heralded_pairs_before_swap_limits" in cp
    rows = _plan_rows(report.render_html(e2e))
    assert rows["expected heralded pairs as planned, before the SWaP limits"] == expected(
        cp["expected_heralded_pairs_before_swap_limits"])
    assert rows["expected heralded pairs after the SWaP limits (the headline)"] == expected(
        s["totals"]["expected_heralded_pairs"])
    assert not any("share of its time" in k for k in rows)
    assert rows["worst-served pair's share of the expected pairs its windows would give"] == \
        f"{expected(100 * cp['worst_pair_share'])} %"
    worst_time = min(r["time_share"] for r in s["by_pair"] if r["time_share"] is not None)
    assert rows["worst-served pair's share of its wanted contact time"] == f"{expected(100 * worst_time)} %"


def test_the_key_sentence_reads_in_words(e2e):
    """'needs >= 9220 heralded pairs in one contact at its QBER (0.0532); the best contact has 0.0503'
    read 0.0503 as a QBER; now: pairs, and how many short."""
    key = e2e.summary["secret_key"]
    line = headline.closing_line(e2e.summary)
    page = report.render_html(e2e)
    assert ">=" not in key["why_no_key"] and ">=" not in line and "&gt;=" not in page
    short = expected(key["closest_contact_heralded_pairs_short"])
    have = expected(key["closest_contact_heralded_pairs"])
    for text in (line, html.unescape(page)):
        assert f"has {have} heralded pairs, {short} short" in text
        assert f"needs at least {expected(key['closest_contact_heralded_pairs_needed'])} heralded pairs" in text


def test_chosen_passes_show_the_loss_they_promise_one_pass_per_link(e2e):
    """The figure promised a link-loss row the per-sample table did not have, and showed 3 passes where
    the text said 'each link'."""
    page = report.render_html(e2e)
    fig = figures(page)["skyswap-pass-detail"]
    axis_titles = [v.get("title", {}).get("text") for k, v in fig["layout"].items() if k.startswith("yaxis")]
    assert "link loss [dB]" in axis_titles
    loss = [t for t in fig["data"] if "link loss" in t.get("hovertemplate", "")]
    assert loss and all(values(t["y"]).max() > 20 for t in loss)  # a downlink loses tens of dB
    shown = list(e2e.pass_detail)
    links = e2e.passes.set_index("pass_id").loc[shown, ["station_a", "station_b"]].apply(tuple, axis=1)
    assert links.is_unique  # one pass per link
    caption = html.unescape(re.search(r'<section id="section-pass-detail">.*?<p class="caption">(.*?)</p>', page,
                                      re.S).group(1))
    n_links = e2e.passes[["station_a", "station_b"]].drop_duplicates().shape[0]
    assert ("of each link" in caption) == (len(shown) >= n_links)
    for pid, d in e2e.pass_detail.items():  # the loss the figure draws is the link's
        assert d["loss_total_a_db"].notna().all() and d["loss_total_b_db"].notna().all(), pid


def test_the_report_and_the_summary_quote_one_median_loss(e2e):
    """README's 63 dB against the report's 60 dB: the report reads the summary's definition."""
    page = report.render_html(e2e)
    median = e2e.summary["loss_budget"]["median_window_loss_total_db"]
    meaning = re.search(r'id="skyswap-meaning"(.*?)</section>', page, re.S).group(1)
    assert f"median over the served windows: {median:.0f} dB" in meaning
    assert parse(page).tables["skyswap-levers-table"]
