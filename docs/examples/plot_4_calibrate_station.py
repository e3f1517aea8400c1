"""
Calibrate a station
===================

The link model knows the physics; what it cannot know — a receiver chain's optics and detectors,
beam quality, static pointing — is a constant loss per link. ``skyswap calibrate MEASURED.csv``
fits it to measured pass data::

    L_measured = L_model(elevation, range) + c + k·(AM − 1)

either *jointly*, one constant per link shared by several stations (the scenario's
``channel.chain_loss_db``), or for *one station* beyond that chain (its ``calibrated_loss_db`` and
``calibrated_airmass_loss_db``), and prints the scenario fragment that carries the result. This
example does both on the published Micius numbers, then recovers known terms from made-up data.
"""
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

import skyswap
from skyswap.groundstations.atmosphere import airmass_kastenyoung1989
from skyswap.mission import channel
from skyswap.mission.calibrate import calibrate

scenarios = Path("../../scenarios")  # the repository's scenarios/ folder, seen from docs/examples/
micius = skyswap.load_scenario(scenarios / "micius_2017.yaml")
work = Path(tempfile.mkdtemp())

# %%
# The Micius chain constant, from published numbers
# -------------------------------------------------
# Yin et al., PRL 119, 200501 (2017), abstract: the Micius–Delingha downlink lost 29 dB at 530 km
# and 36 dB at 1000 km. Yin et al., Science 356, 1140 (2017): the two downlinks to Delingha and
# Lijiang lost 64 dB together at the 1600 km end of their summed length — a row with ``station_b``,
# on each of the two passes whose summed length starts there (weight one half each: ``sigma_db``
# √2). The elevations and ranges are the scenario's geometry at those ranges
# (``tests/test_micius_link.py``). Rows of two stations ask for the joint fit: one constant per
# link, against the bare physics; the air-mass term is off (``--no-airmass``), four rows being few.

published = work / "micius_published.csv"
published.write_text(
    "station,elevation_deg,range_km,station_b,elevation_b_deg,range_b_km,loss_db,sigma_db\n"
    "Delingha,66.2,530,,,,29,1\nDelingha,25.5,1000,,,,36,1\n"
    "Delingha,32.7,836.4,Lijiang,37.8,753.5,64,1.41421356\n"
    "Delingha,39.7,725.9,Lijiang,30.7,873.4,64,1.41421356\n")
line, residuals, fragment = calibrate(published, None, micius, fit_airmass=False)
print(line)
print(residuals)
print(fragment)
print("the scenario's chain constant:", micius.channel.chain_loss_db, "dB per link")

# %%
# One station, beyond the chain
# -----------------------------
# The same two Delingha rows alone, against the scenario's model *with* its chain: what is left is
# Delingha's own constant (``calibrated_loss_db``), small when the chain describes the station.

delingha = work / "delingha_prl2017.csv"
delingha.write_text("elevation_deg,range_km,loss_db\n66.2,530,29\n25.5,1000,36\n")
line, residuals, fragment = calibrate(delingha, "Delingha", micius, fit_airmass=False)
print(line)
print(fragment)

# %%
# A night of measurements with a known answer
# -------------------------------------------
# Forty rows over a pass of a 500 km orbit seen from Delingha: the scenario's model (with its chain)
# plus a true ``c = 6 dB`` and ``k = 1.5 dB`` per air mass, plus 0.3 dB of measurement noise.
# (Made-up data: the point is that the fit recovers what was put in, within its stated uncertainty.)

station = next(s for s in micius.stations if s.name == "Delingha")
elevation_deg = np.linspace(15.0, 85.0, 40)
earth_km, altitude_km = 6371.0, 500.0  # a spherical Earth is enough for made-up data
sin_el = np.sin(np.radians(elevation_deg))
range_km = np.sqrt((earth_km + altitude_km) ** 2 - (earth_km * np.cos(np.radians(elevation_deg))) ** 2) \
    - earth_km * sin_el  # slant range to a 500 km circular orbit
bare_station = replace(station, calibrated_loss_db=0.0, calibrated_airmass_loss_db=0.0)  # no own terms
bare = channel.link_budget(elevation_deg, range_km, bare_station, micius.payload.transmitter,
                           micius.payload.source.wavelength_nm, micius.channel).loss_db
airmass = airmass_kastenyoung1989(elevation_deg)
rng = np.random.default_rng(1)
loss_db = bare + 6.0 + 1.5 * (airmass - 1.0) + rng.normal(0.0, 0.3, elevation_deg.size)

night = work / "delingha_night.csv"
night.write_text("elevation_deg,range_km,loss_db,sigma_db\n" + "".join(
    f"{e:.3f},{r:.2f},{lo:.3f},0.3\n" for e, r, lo in zip(elevation_deg, range_km, loss_db)))
line, residuals, fragment = calibrate(night, "Delingha", micius)
print(line)
print(fragment)

# %%
# The measured rows against the model and the calibrated model (columns of the residual table:
# station, links, elevation, range, measured, model, residual).

fitted = np.genfromtxt(residuals.splitlines()[1:], delimiter=",")
fig = go.Figure([
    go.Scatter(x=elevation_deg, y=loss_db, mode="markers", name="measured (made up)"),
    go.Scatter(x=elevation_deg, y=fitted[:, 5], mode="lines", name="model (physics + chain)"),
    go.Scatter(x=elevation_deg, y=fitted[:, 4] - fitted[:, 6], mode="lines", name="model + c + k·(AM − 1)"),
])
fig.update_layout(title="Delingha downlink loss vs elevation", xaxis_title="elevation [deg]",
                  yaxis_title="loss [dB]", height=400, margin=dict(l=10, r=10, t=50, b=10))
fig
