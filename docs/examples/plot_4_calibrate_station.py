"""
Calibrate a station
===================

``skyswap calibrate MEASURED.csv --station NAME`` fits what the physics does not know about a
station — a constant loss ``c`` (receiver chain, beam quality, static pointing) and an extra loss
``k`` per air mass above one — to measured pass data:

.. math:: L_\\mathrm{measured} = L_\\mathrm{model}(\\mathrm{elevation}, \\mathrm{range}) + c + k\\,(\\mathrm{AM} - 1)

and prints the station-override fragment a scenario can include. This example does it twice: on
the two published Micius–Delingha points, and on a made-up night of measurements whose true
``c`` and ``k`` are known, to show that the fit finds them.
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
# Published points: Delingha, 2017
# --------------------------------
# Yin et al., PRL 119, 200501 (2017), abstract: the Micius–Delingha downlink lost 29 dB at 530 km
# and 36 dB at 1000 km. The elevations are those of the scenario's Micius pass at these ranges
# (``tests/test_micius_link.py``). Two rows fit one parameter, so the air-mass term is off (the
# command line's ``--no-airmass``); the result is the scenario's own ``calibrated_loss_db`` (9.96).

measured = work / "delingha_prl2017.csv"
measured.write_text("elevation_deg,range_km,loss_db\n66.2,530,29\n25.5,1000,36\n")
line, residuals, fragment = calibrate(measured, "Delingha", micius, fit_airmass=False)
print(line)
print(residuals)
print(fragment)

# %%
# A night of measurements with a known answer
# -------------------------------------------
# Forty rows over a pass of a 500 km orbit seen from Delingha: the model's loss plus a true
# ``c = 6 dB`` and ``k = 1.5 dB`` per air mass, plus 0.3 dB of measurement noise. (Made-up data:
# the point is that the fit recovers what was put in, within its stated uncertainty.)

station = next(s for s in micius.stations if s.name == "Delingha")
elevation_deg = np.linspace(15.0, 85.0, 40)
earth_km, altitude_km = 6371.0, 500.0  # a spherical Earth is enough for made-up data
sin_el = np.sin(np.radians(elevation_deg))
range_km = np.sqrt((earth_km + altitude_km) ** 2 - (earth_km * np.cos(np.radians(elevation_deg))) ** 2) \
    - earth_km * sin_el  # slant range to a 500 km circular orbit
bare_station = replace(station, calibrated_loss_db=0.0, calibrated_airmass_loss_db=0.0)  # the physics alone
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
# The measured rows against the bare model and the calibrated one.

fitted = np.loadtxt(residuals.splitlines()[1:], delimiter=",")
fig = go.Figure([
    go.Scatter(x=elevation_deg, y=loss_db, mode="markers", name="measured (made up)"),
    go.Scatter(x=elevation_deg, y=fitted[:, 3], mode="lines", name="model, bare physics"),
    go.Scatter(x=elevation_deg, y=fitted[:, 2] - fitted[:, 4], mode="lines", name="model + c + k·(AM − 1)"),
])
fig.update_layout(title="Delingha downlink loss vs elevation", xaxis_title="elevation [deg]",
                  yaxis_title="loss [dB]", height=400, margin=dict(l=10, r=10, t=50, b=10))
fig
