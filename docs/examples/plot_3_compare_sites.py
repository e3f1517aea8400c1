"""
Compare ground-station sites
============================

``skyswap compare scenarios/site_comparison.yaml`` from Python, on a week. Every station is planned
in single downlink and every pair in dual downlink, each ranked by what it would deliver on its own
(every candidate window served whole), by the expected heralded pairs after clouds and by the P10
of simulated weather years. A site given by coordinates joins the comparison as the command line's
``--site NAME=LAT,LON[,ALT_M]`` does.
"""
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

import skyswap
from skyswap.mission import compare

scenarios = Path("../../scenarios")  # the repository's scenarios/ folder, seen from docs/examples/
scenario = skyswap.load_scenario(scenarios / "site_comparison.yaml").with_days(7)

# A candidate site by coordinates (a made-up mountain site in southern Spain; any latitude,
# longitude and altitude will do): the same as --site "Candidate=37.2,-2.5,2100". It gets the
# scenario's median aperture and, in dual downlink, is paired with the stations within 3,000 km.
scenario = compare.with_sites(scenario, ["Candidate=37.2,-2.5,2100"])
print(len(scenario.stations), "stations,", len(scenario.station_pairs), "pairs,", scenario.mode)

# %%
# Rank them
# ---------
# ``draws`` is the number of simulated weather years behind P10/P50/P90 (the scenario's
# ``outputs.draws`` when not given).

comparison = compare.compare_sites(scenario, draws=200)
for line in comparison.verdict["lines"]:  # the verdict: which pair and station, by how much, how sure
    print(line)
ranking = comparison.ranking
stations = ranking[ranking.kind == "station"]
stations[["rank_expected", "rank_p10", "p_rank_first", "site", "aperture_a_m", "windows",
          "expected_heralded_pairs", "p10", "p90", "cloud_free_probability", "cloud_source"]]

# %%
# Each station's expected heralded pairs after clouds, with the P10–P90 range of the simulated
# weather years around it.

fig = go.Figure(go.Bar(
    x=stations.site, y=stations.expected_heralded_pairs, name="expected",
    error_y=dict(type="data", symmetric=False, array=stations.p90 - stations.expected_heralded_pairs,
                 arrayminus=stations.expected_heralded_pairs - stations.p10)))
fig.update_layout(title="single downlink, one week: expected heralded pairs (P10–P90)", height=380,
                  yaxis_title="heralded pairs", margin=dict(l=10, r=10, t=50, b=10))
fig

# %%
# Pairs of stations (dual downlink)
# ---------------------------------
# A pair delivers orders of magnitude less than a station: both photons must survive both links in
# the same coincidence window. A pair with no window says why in ``note``.

pairs = ranking[ranking.kind == "pair"]
pairs[["rank_expected", "site", "windows", "expected_heralded_pairs", "p10", "p90", "note"]]

# %%
# Networks for the year's P10
# ---------------------------
# The network of 1, 2, 3, ... stations chosen greedily for the year's P10 with one downlink
# telescope (each adds the station that raises P10 most), how likely at least one of its stations
# is clear on a night, and what each added station brings to the P10 and P50.

pd.DataFrame(comparison.diversity)[["stations", "p_any_clear", "p10", "p50", "added_p10", "added_p50"]]
