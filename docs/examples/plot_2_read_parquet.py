"""
Read the Parquet tables with pandas
===================================

``skyswap plan`` writes every table twice: CSV (times as ISO 8601 text with ``Z``) and Parquet
(typed columns, times as UTC timestamps). This example plans a week of the Q4S-like scenario,
writes the output set as ``skyswap plan --days 7 --out DIR`` would, and reads it back with pandas:
the column reference is the README's table of `what skyswap plan writes
<../readme.html#what-skyswap-plan-writes>`_.
"""
import json
import tempfile
from pathlib import Path

import pandas as pd
import plotly.express as px

import skyswap

scenarios = Path("../../scenarios")  # the repository's scenarios/ folder, seen from docs/examples/
out = Path(tempfile.mkdtemp()) / "q4s-week"
skyswap.plan(skyswap.load_scenario(scenarios / "q4s_year.yaml").with_days(7)).write(out)
print(sorted(p.name for p in out.iterdir()))

# %%
# The two tables
# --------------
# ``passes.parquet`` has one row per candidate window (scheduled or not), ``schedule.parquet`` one
# row per scheduled contact. Times are ``timestamp[ms, tz=UTC]``: pandas reads them as
# timezone-aware datetimes, ready for resampling.

passes = pd.read_parquet(out / "passes.parquet")
schedule = pd.read_parquet(out / "schedule.parquet")
print(len(passes), "candidate windows,", len(schedule), "scheduled contacts")
schedule.dtypes.head(12)

# %%
# The summary's totals are the sums of the schedule's rows.

summary = json.loads((out / "summary.json").read_text())
# (the payload's energy in the contacts is named so in the summary, apart from its energy over the span)
for column, key in (("bsm_heralds", "bsm_heralds"), ("heralded_pairs", "heralded_pairs"),
                    ("expected_heralded_pairs", "expected_heralded_pairs"), ("energy_wh", "payload_energy_in_contacts_wh")):
    print(f"{column:>24}: schedule sum {schedule[column].sum():.6g}, summary {summary['totals'][key]:.6g}")

# %%
# Per station pair and per night
# ------------------------------
# Ordinary pandas from here: group the contacts by pair, resample them by night.

by_pair = (schedule.assign(pair=schedule.station_a + "–" + schedule.station_b)
           .groupby("pair")[["bsm_heralds", "heralded_pairs", "expected_heralded_pairs"]].sum()
           .sort_values("expected_heralded_pairs", ascending=False))
by_pair

# %%
nightly = (schedule.set_index("start_utc")["expected_heralded_pairs"]
           .resample("24h", offset="12h").sum().rename("expected heralded pairs"))
fig = px.bar(nightly, title="expected heralded pairs after clouds, night by night (noon to noon UTC)", height=360)
fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=50, b=10))
fig

# %%
# Windows the plan did not serve
# ------------------------------
# A candidate window keeps its row even when another window took its time: ``scheduled_s`` says
# how much of it was served, ``lost_to`` which windows took the rest, ``note`` why a row has no
# pairs.

unserved = passes[passes.scheduled_s == 0]
unserved[["pass_id", "start_utc", "duration_s", "heralded_pairs_if_served", "lost_to", "note"]].head(8)
