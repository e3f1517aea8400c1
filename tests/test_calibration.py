"""groundstations.calibration and `skyswap calibrate`: the chain constant shared by several stations
(joint fit) and a station's own constant loss and air-mass term, fitted to measured pass data (scipy
least_squares, uncertainties from the Jacobian)."""
from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from skyswap.groundstations.atmosphere import airmass_kastenyoung1989
from skyswap.groundstations.calibration import chain_fragment, fit_chain_loss, fit_station_loss, override_fragment
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


def test_joint_fit_recovers_known_chain_from_synthetic_stations():
    """Single downlinks and two-downlink sums of several stations sharing one chain, c = 10.0 dB per
    link and k = 0.8 dB per air mass, with independent noise of 0.4 dB per row: over 300 synthetic
    campaigns of 30 rows the fitted c and k fall within 1σ about 68 % of the time and within 3σ in
    ≥ 98 %, their mean is the truth within 3 standard errors, and the reported σ equals the scatter
    of the fits within 15 % (the Jacobian covariance is honest for independent rows)."""
    rng = np.random.default_rng(22)
    c_true, k_true = 10.0, 0.8
    fits = []
    for _ in range(300):
        links = 1 + (rng.random(30) < 0.4)
        excess = airmass_kastenyoung1989(rng.uniform(15.0, 85.0, 30)) - 1.0
        excess = excess + np.where(links == 2, airmass_kastenyoung1989(rng.uniform(15.0, 85.0, 30)) - 1.0, 0.0)
        model = rng.uniform(20.0, 40.0, 30) * links  # any model: only the difference matters
        measured = model + links * c_true + k_true * excess + rng.normal(0.0, 0.4, 30)
        fits.append(fit_chain_loss(measured, model, links, excess, fit_airmass=True))
    c = np.array([f.constant_loss_db for f in fits])
    k = np.array([f.airmass_loss_db for f in fits])
    sc = np.array([f.constant_sigma_db for f in fits])
    sk = np.array([f.airmass_sigma_db for f in fits])
    assert abs(np.mean(c) - c_true) < 3 * np.std(c) / np.sqrt(c.size)
    assert abs(np.mean(k) - k_true) < 3 * np.std(k) / np.sqrt(k.size)
    assert np.mean(np.abs(c - c_true) < 3 * sc) >= 0.98 and np.mean(np.abs(k - k_true) < 3 * sk) >= 0.98
    assert 0.6 < np.mean(np.abs(c - c_true) < sc) < 0.76 and 0.6 < np.mean(np.abs(k - k_true) < sk) < 0.76
    assert np.std(c) == pytest.approx(np.mean(sc), rel=0.15) and np.std(k) == pytest.approx(np.mean(sk), rel=0.15)
    assert np.mean([f.residual_sigma_db for f in fits]) == pytest.approx(0.4, rel=0.05)


def test_joint_fit_exact_two_link_rows():
    """Exact data: single downlinks carry c once, two-downlink sums twice; the fit returns c and k
    exactly and a two-link row's residual is zero."""
    links = np.array([1, 1, 2, 2, 1])
    excess = np.array([0.1, 1.3, 0.6, 4.0, 2.2])
    y = 7.25 * links + 0.4 * excess
    fit = fit_chain_loss(y + 30.0, np.full(5, 30.0), links, excess, fit_airmass=True)
    assert fit.constant_loss_db == pytest.approx(7.25, abs=1e-9) and fit.airmass_loss_db == pytest.approx(0.4, abs=1e-9)
    np.testing.assert_allclose(fit.residuals_db, 0.0, atol=1e-9)
    only_c = fit_chain_loss([20.0, 41.0, 19.0], [0.0, 0.0, 0.0], [1, 2, 1], [0.0, 0.0, 0.0])
    # least squares of y = n·c: c = Σ n·y / Σ n² = (20 + 82 + 19)/6
    assert only_c.constant_loss_db == pytest.approx(121.0 / 6.0, rel=1e-12)
    assert only_c.dof == 2 and only_c.residual_sigma_db == pytest.approx(np.sqrt(np.sum(only_c.residuals_db**2) / 2))
    with pytest.raises(ValueError, match="at least one link"):
        fit_chain_loss([1.0, 2.0], [0.0, 0.0], [1, 0], [0.0, 0.0])
    fragment = yaml.safe_load(chain_fragment(fit, "synthetic"))["channel"]
    assert fragment["chain_loss_db"] == pytest.approx(7.25, abs=1e-3) and fragment["chain_loss_source"] == "synthetic"


def test_cli_calibrate_prl_rows_is_delingha_beyond_the_chain(tmp_path):
    """[P17]'s two rows at Delingha, against the scenario's model with its chain: the station's own
    constant is what is left beyond the joint Micius chain, the mean of its [P17] residuals."""
    csv = tmp_path / "delingha.csv"
    csv.write_text("elevation_deg,range_km,loss_db\n66.2,530,29\n25.5,1000,36\n")
    out = tmp_path / "override.yaml"
    res = runner.invoke(app, ["calibrate", str(csv), "--station", "Delingha", "--scenario",
                              "scenarios/micius_2017.yaml", "--no-airmass", "--out", str(out)])
    assert res.exit_code == 0, res.output
    entry = yaml.safe_load(out.read_text())[0]
    assert abs(entry["calibrated_loss_db"]) < 1.0  # tests/test_micius_link.py: residuals −0.96, +0.34 dB
    assert "residual_db" in res.output


def test_cli_joint_calibration_reproduces_the_micius_chain(tmp_path):
    """The same rows as the shipped fit, in a file: [P17]'s two Delingha rows and [Y17]'s 64 dB at
    the 1600 km end as two-downlink rows of the 17 and 21 Dec passes (each with weight one half, as
    the shipped fit averages them: sigma sqrt(2)); the joint fit's constant is the shipped one within
    the geometry's rounding."""
    from skyswap.groundstations.calibration import MICIUS_CHAIN_LOSS_DB

    csv = tmp_path / "micius.csv"
    csv.write_text("station,elevation_deg,range_km,station_b,elevation_b_deg,range_b_km,loss_db,sigma_db\n"
                   "Delingha,66.2,530,,,,29,1\nDelingha,25.5,1000,,,,36,1\n"
                   "Delingha,32.7,836.4,Lijiang,37.8,753.5,64,1.41421356\n"
                   "Delingha,39.7,725.9,Lijiang,30.7,873.4,64,1.41421356\n")
    out = tmp_path / "chain.yaml"
    res = runner.invoke(app, ["calibrate", str(csv), "--scenario", "scenarios/micius_2017.yaml", "--no-airmass",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    fragment = yaml.safe_load(out.read_text())["channel"]
    assert fragment["chain_loss_db"] == pytest.approx(MICIUS_CHAIN_LOSS_DB, abs=0.1)
    assert "chain of Delingha, Lijiang" in res.output and "Delingha+Lijiang,2," in res.output


def test_cli_chain_flag_on_one_station_writes_a_channel_fragment(tmp_path):
    """--chain on one station's rows fits the chain against the bare physics: the constant is the
    station's own fit plus the scenario's chain (the two models differ by exactly the chain)."""
    from skyswap.groundstations.calibration import MICIUS_CHAIN_LOSS_DB

    csv = tmp_path / "delingha.csv"
    csv.write_text("elevation_deg,range_km,loss_db\n66.2,530,29\n25.5,1000,36\n")
    chain, own = tmp_path / "chain.yaml", tmp_path / "own.yaml"
    base = ["calibrate", str(csv), "--station", "Delingha", "--scenario", "scenarios/micius_2017.yaml", "--no-airmass"]
    assert runner.invoke(app, [*base, "--chain", "--out", str(chain)]).exit_code == 0
    assert runner.invoke(app, [*base, "--out", str(own)]).exit_code == 0
    c = yaml.safe_load(chain.read_text())["channel"]["chain_loss_db"]
    station = yaml.safe_load(own.read_text())[0]["calibrated_loss_db"]
    assert c == pytest.approx(station + MICIUS_CHAIN_LOSS_DB, abs=2e-3)


@pytest.mark.parametrize("text, station, needle", [
    ("elevation_deg,range_km\n30,900\n", "Delingha", "loss_db"),
    ("elevation_deg,loss_db\n30,40\n40,41\n", "Delingha", "range_km"),
    ("elevation_deg,range_km,loss_db\n30,900,abc\n40,800,41\n", "Delingha", "'abc'"),
    ("elevation_deg,range_km,loss_db\n30,900,40\n", "Delingha", "fewer than the 2"),
    ("elevation_deg,range_km,loss_db\n30,900,40\n40,800,41\n", "Atlantis", "'Atlantis'"),
    ("elevation_deg,range_km,loss_db\n130,900,40\n40,800,41\n", "Delingha", "elevation_deg"),
    ("station,elevation_deg,range_km,loss_db\nDelingha,30,900,40\n,40,800,41\n", None, "station"),
    ("station,elevation_deg,range_km,loss_db\nDelingha,30,900,40\nNarnia,40,800,41\n", None, "'Narnia'"),
    ("elevation_deg,range_km,station_b,loss_db\n30,900,Lijiang,40\n40,800,,41\n", "Delingha", "elevation_b_deg"),
    ("elevation_deg,range_km,station_b,elevation_b_deg,range_b_km,loss_db\n30,900,Lijiang,95,800,60\n40,800,,,,41\n",
     "Delingha", "elevation_b_deg"),
])
def test_cli_calibrate_bad_csv(tmp_path, text, station, needle):
    csv = tmp_path / "m.csv"
    csv.write_text(text)
    res = runner.invoke(app, ["calibrate", str(csv)] + (["--station", station] if station else []))
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0]
