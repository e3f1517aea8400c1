"""
Plan a mission year
===================

The README's main job — ``skyswap plan scenarios/q4s_year.yaml`` — from Python, on two weeks
instead of a year (the command line's ``--days 14``). The result holds the same tables the command
writes: ``passes`` (one row per candidate window), ``schedule`` (one row per scheduled contact)
and ``summary`` (the content of ``summary.json``).
"""
import tempfile
from pathlib import Path

import pandas as pd
import plotly.express as px

import skyswap

scenarios = Path("../../scenarios")  # the repository's scenarios/ folder, seen from docs/examples/
scenario = skyswap.load_scenario(scenarios / "q4s_year.yaml").with_days(14)
print(scenario.name, scenario.mode, scenario.span.start, f"{scenario.span.duration_s / 86400:.0f} days")
print("stations:", ", ".join(s.name for s in scenario.stations))

# %%
# Plan it
# -------
# ``skyswap.plan`` runs the whole pipeline (orbit, windows, link budget, payload, contact plan, SWaP
# limits, weather draws). The totals of ``summary.json`` are sums over the schedule's rows. A BSM
# herald is two photons at the onboard Bell-state measurement; a four-fold swap is a herald with
# both partner photons detected, here at the two stations: the heralded pair.

result = skyswap.plan(scenario)
totals = result.summary["totals"]
for key in ("candidate_windows", "contacts", "hours", "bsm_heralds", "swaps_fourfold", "heralded_pairs",
            "expected_heralded_pairs"):
    print(f"{key:>24}: {totals[key]:.4g}")

# %%
# The scheduled contacts
# ----------------------
# One row per contact: which pair of stations, when, and what it delivered. ``heralded_pairs`` is
# an expected value with clear skies; ``expected_heralded_pairs`` weighs it by the chance of clear
# skies at both stations.

columns = ["contact_id", "station_a", "station_b", "start_utc", "duration_s", "bsm_heralds", "heralded_pairs",
           "expected_heralded_pairs", "fidelity"]
result.schedule[columns].head(10)

# %%
# Every contact on a time line, one row per station pair: a marker's size is the contact's
# duration, its colour the heralded pairs it delivered (the report's schedule figure shows the same
# at a day, a week and a month).

schedule = result.schedule
contacts = schedule.assign(pair=schedule.station_a + "–" + schedule.station_b,
                           start=pd.to_datetime(schedule.start_utc))
fig = px.scatter(contacts, x="start", y="pair", size="duration_s", color="heralded_pairs",
                 hover_data=["contact_id", "bsm_heralds", "fidelity"],
                 title=f"{len(contacts)} scheduled contacts in {scenario.span.duration_s / 86400:.0f} days")
fig.update_layout(height=420, margin=dict(l=10, r=10, t=50, b=10))
fig

# %%
# Where the fidelity goes
# -----------------------
# ``summary["fidelity"]["budget"]`` itemises the infidelity of the delivered state, weighted by
# heralded pairs (the report's waterfall).

budget = result.summary["fidelity"]["budget"]
print(f"mean fidelity {budget['mean_fidelity']:.4f}")
for term, infidelity in budget["terms"]:
    print(f"  {term:<32} {infidelity:.2e}")

# %%
# What limits it, and what would change it
# ----------------------------------------
# ``summary["loss_budget"]`` is the link loss by term (the mean over the served windows' samples,
# both downlinks of a pair together; ``passes`` has it per window as ``loss_<term>_<leg>_db``), and
# ``summary["levers"]`` the headline with one parameter changed, re-evaluated on the plan's own
# contacts (the report's tornado), and the link gain at which ten times the pairs or a key appear.

loss = result.summary["loss_budget"]
print(f"mean loss of the served windows {loss['loss_total_db']:.1f} dB:")
for term, db in sorted(loss["terms_db"].items(), key=lambda x: -x[1])[:5]:
    print(f"  {term:<20} {db:5.1f} dB")
levers = result.summary["levers"]
for row in levers["levers"]:
    print(f"  {row['lever']:<18} {row['change']:>5}: {row['ratio']:.3g} x the expected pairs")
print("10 x the pairs: every downlink", levers["searches"]["link_gain_db_for_tenfold_pairs"], "dB lighter")

# %%
# The year over the weather
# -------------------------
# Pairs after clouds are a random variable: ``summary["distribution"]`` holds the mean and the
# P10/P50/P90 of the simulated weather draws (``outputs.draws`` in the scenario), and under
# ``weather_and_link`` the same years with the link model's own uncertainty drawn too.

spread = result.summary["distribution"]["heralded_pairs"]
both = result.summary["distribution"]["weather_and_link"]["heralded_pairs"]
for label, q in (("weather alone", spread), ("weather + link", both)):
    print(label, {k: f"{v:.3g}" for k, v in q.items() if k in ("mean", "p10", "p50", "p90")})

# %%
# Write the output set
# --------------------
# ``result.write(folder)`` writes the same files as ``skyswap plan`` (CSV and Parquet tables,
# ``summary.json``, ``report.html``, ``passes.ics``), replacing the folder's previous set as a whole.

out = Path(tempfile.mkdtemp()) / "q4s-year"
for path in result.write(out):
    print(f"{path.name:>18}  {path.stat().st_size:>9,d} bytes")
