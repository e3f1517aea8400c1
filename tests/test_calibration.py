"""groundstations.calibration and `skyswap calibrate`: a station's constant loss and air-mass term
fitted to measured pass data (scipy least_squares, uncertainties from the Jacobian)."""
from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from skyswap.groundstations.atmosphere import airmass_kastenyoung1989
from skyswap.groundstations.calibration import fit_station_loss, override_fragment
from skyswap.mission.cli import app
from skyswap.mission.scenario import parse_scenario

runner = CliRunner()


def test_synthetic_parameters_recovered_within_their_uncertainty():
    """Known c = 7.5 dB, k = 1.2 dB per air mass, Gaussian noise of 0.3 dB on 60 rows: over 200
    independent draws the fitted values fall within 1σ about 68 % of the time and within 3σ in ≥ 98 %,
    and the mean reported σ equals the scatter of the fits (the Jacobian covariance is honest)."""
    rng = np.random.default_rng(15)
    el = rng.uniform(12.0, 85.0, 60)
    am = airmass_kastenyoung1989(el)
    model = 20.0 + 10.0 * np.log10(1.0 / np.sin(np.radians(el)))  # any model: only the difference matters
    fits = [fit_station_loss(model + 7.5 + 1.2 * (am - 1.0) + rng.normal(0.0, 0.3, el.size), model, am)
            for _ in range(200)]
    c = np.array([f.constant_loss_db for f in fits])
    k = np.array([f.airmass_loss_db for f in fits])
    sc = np.array([f.constant_sigma_db for f in fits])
    sk = np.array([f.airmass_sigma_db for f in fits])
    assert np.mean(np.abs(c - 7.5) < 3 * sc) >= 0.98 and np.mean(np.abs(k - 1.2) < 3 * sk) >= 0.98
    assert 0.58 < np.mean(np.abs(c - 7.5) < sc) < 0.78 and 0.58 < np.mean(np.abs(k - 1.2) < sk) < 0.78
    assert np.std(c) == pytest.approx(np.mean(sc), rel=0.15) and np.std(k) == pytest.approx(np.mean(sk), rel=0.15)
    assert fits[0].dof == 58 and fits[0].rms_db == pytest.approx(0.3, abs=0.1)


def test_exact_data_and_given_errors():
    el = np.array([15.0, 30.0, 60.0, 85.0])
    am = airmass_kastenyoung1989(el)
    fit = fit_station_loss(3.0 + 0.5 * (am - 1.0), np.zeros(4), am, sigma_db=np.full(4, 0.5))
    assert fit.constant_loss_db == pytest.approx(3.0, abs=1e-9) and fit.airmass_loss_db == pytest.approx(0.5, abs=1e-9)
    np.testing.assert_allclose(fit.residuals_db, 0.0, atol=1e-9)
    # with given errors the covariance is absolute: σ_c of the mean of 4 rows at 0.5 dB is 0.25 dB
    only_c = fit_station_loss(np.full(4, 3.0), np.zeros(4), am, sigma_db=np.full(4, 0.5), fit_airmass=False)
    assert only_c.constant_sigma_db == pytest.approx(0.25, rel=1e-9)
    with pytest.raises(ValueError, match="rows for 2 parameters"):
        fit_station_loss([1.0], [0.0], [1.0])
    with pytest.raises(ValueError, match="one air mass"):
        fit_station_loss([1.0, 2.0], [0.0, 0.0], [1.5, 1.5])


def test_yin_prl_numbers_constant_only():
    """[P17] (Yin et al., PRL 119, 200501, 2017): 29 dB at 530 km, 36 dB at 1000 km. Against any
    model the constant is the mean difference and its σ (one degree of freedom) the half-spread."""
    am = airmass_kastenyoung1989(np.array([66.2, 25.5]))
    model = np.array([19.3, 25.8])
    fit = fit_station_loss([29.0, 36.0], model, am, fit_airmass=False)
    assert fit.constant_loss_db == pytest.approx(np.mean([29.0 - 19.3, 36.0 - 25.8]), abs=1e-9)
    assert fit.constant_sigma_db == pytest.approx(abs((36.0 - 25.8) - (29.0 - 19.3)) / 2.0, rel=1e-9)


def test_fragment_is_a_station_override_a_scenario_accepts():
    fit = fit_station_loss([30.0, 31.0, 35.0], [20.0, 21.0, 24.0], [1.1, 1.3, 2.2])
    text = override_fragment("Delingha", fit, 'passes of "Dec 2016"')
    entry = yaml.safe_load(text)[0]
    assert entry["calibrated_loss_db"] == pytest.approx(fit.constant_loss_db, abs=1e-3)
    sc = parse_scenario({"name": "t", "span": {"start": "2027-01-01T00:00:00Z", "days": 1},
                         "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
                         "stations": [entry], "mode": "single-downlink"})
    assert sc.stations[0].calibrated_airmass_loss_db == pytest.approx(fit.airmass_loss_db, abs=1e-3)
    assert sc.stations[0].calibration_source == 'passes of "Dec 2016"'


def test_cli_calibrate_prl_rows(tmp_path):
    csv = tmp_path / "delingha.csv"
    csv.write_text("elevation_deg,range_km,loss_db\n66.2,530,29\n25.5,1000,36\n")
    out = tmp_path / "override.yaml"
    res = runner.invoke(app, ["calibrate", str(csv), "--station", "Delingha", "--scenario",
                              "scenarios/micius_2017.yaml", "--no-airmass", "--out", str(out)])
    assert res.exit_code == 0, res.output
    entry = yaml.safe_load(out.read_text())[0]
    # the scenario's own Delingha constant was calibrated on the same [P17] numbers (tests/test_micius_link.py)
    assert entry["calibrated_loss_db"] == pytest.approx(9.96, abs=0.05)
    assert "residual_db" in res.output


@pytest.mark.parametrize("text, station, needle", [
    ("elevation_deg,range_km\n30,900\n", "Delingha", "loss_db"),
    ("elevation_deg,loss_db\n30,40\n40,41\n", "Delingha", "range_km"),
    ("elevation_deg,range_km,loss_db\n30,900,abc\n40,800,41\n", "Delingha", "'abc'"),
    ("elevation_deg,range_km,loss_db\n30,900,40\n", "Delingha", "fewer than the 2"),
    ("elevation_deg,range_km,loss_db\n30,900,40\n40,800,41\n", "Atlantis", "'Atlantis'"),
    ("elevation_deg,range_km,loss_db\n130,900,40\n40,800,41\n", "Delingha", "elevation_deg"),
])
def test_cli_calibrate_bad_csv(tmp_path, text, station, needle):
    csv = tmp_path / "m.csv"
    csv.write_text(text)
    res = runner.invoke(app, ["calibrate", str(csv), "--station", station])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0]
