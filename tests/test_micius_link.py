"""Micius downlink budget, part by part, on the geometry of the experiment dates, against what the
Micius papers publish; and the joint fit of the one chain constant every scenario inherits.

See docs/micius_2017.md for the tables and the sources. Papers used (numbers quoted there):

[Y17] J. Yin et al., Science 356, 1140 (2017), doi:10.1126/science.aan3211: two downlinks,
      Delingha (1.2 m) and Lijiang (1.8 m), summed length 1600–2400 km (abstract), two-downlink
      loss 64–82 dB (main text, as quoted in issue 15; not re-read from a stored copy here).
[P17] J. Yin et al., Phys. Rev. Lett. 119, 200501 (2017), doi:10.1103/PhysRevLett.119.200501:
      ONE downlink, Micius to Delingha, 810 nm entangled photons, "link attenuation ... 29 dB at
      530 km to 36 dB at 1000 km" (abstract).
[Y20] J. Yin et al., Nature 582, 501 (2020), doi:10.1038/s41586-020-2401-y: "Both transmitters
      have a near-diffraction-limited far-field divergence of about 10 μrad" (p. 502).

Orbit: the Micius TLE of epoch 2016-12-18 21:38 UTC (revolution 1906) from the public repository
matteoschiav/satScripts, file satMiciusNature.py (commit 97a78679765e025239e92efac3688b85a5a7c21d),
used there for a Micius pass of 19 Dec 2016. It is the scenario's TLE.

One physics for both stations, no station constant: one chain constant per downlink
(``channel.chain_loss_db``, groundstations.calibration.MICIUS_CHAIN_LOSS_DB) fitted jointly on
[P17]'s two points and [Y17]'s 1600 km end.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from skyfield.api import EarthSatellite, load, wgs84

from skyswap.groundstations import calibration
from skyswap.groundstations.atmosphere import airmass_kastenyoung1989
from skyswap.groundstations.calibration import fit_chain_loss
from skyswap.groundstations.channel_config import ChannelConfig
from skyswap.mission import channel
from skyswap.mission.scenario.loading import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "micius_2017.yaml"
#: Night passes of Micius over Delingha and Lijiang (both above the scenario's 10° mask) whose summed
#: length spans [Y17]'s 1600–2400 km: 17 Dec 2016 17:35 UTC and 21 Dec 2016 17:43 UTC (01:35 and
#: 01:43 Beijing time).
PASS_STARTS = ((2016, 12, 17, 17, 35), (2016, 12, 21, 17, 43))
MASK_DEG = 10.0

YIN17_SUMMED_KM = np.array([1600.0, 2400.0])
YIN17_LOSS_DB = np.array([64.0, 82.0])       # [Y17], endpoints paired with the summed-length endpoints
PRL17_RANGE_KM = np.array([530.0, 1000.0])
PRL17_LOSS_DB = np.array([29.0, 36.0])       # [P17] abstract, Delingha single downlink


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def passes(scenario):
    """Per pass: elevation [deg] and range [km] at 1 s for Delingha and Lijiang while both are above the mask."""
    ts = load.timescale(builtin=True)
    line1, line2 = scenario.orbit.tle.strip().splitlines()[-2:]
    sat = EarthSatellite(line1, line2, "MICIUS", ts)
    out = []
    for y, mo, d, h, mi in PASS_STARTS:
        t = ts.utc(y, mo, d, h, mi, np.arange(-300.0, 630.0, 1.0))  # the whole pass of each station
        geo = []
        for st in scenario.stations:
            alt, _, dist = (sat - wgs84.latlon(st.latitude_deg, st.longitude_deg, elevation_m=st.altitude_m)).at(t).altaz()
            geo.append((alt.degrees, dist.km))
        both = (geo[0][0] > MASK_DEG) & (geo[1][0] > MASK_DEG)
        record = {name: (e[both], r[both]) for name, (e, r) in zip(("D", "L"), geo)}
        alone = geo[0][0] > MASK_DEG
        record["D alone"] = (geo[0][0][alone], geo[0][1][alone])  # Delingha above its mask, for [P17]
        out.append(record)
    return out


def bare(sc):
    """The scenario without the chain terms: the physics alone."""
    return sc.model_copy(update={"channel": replace(sc.channel, chain_loss_db=0.0, chain_airmass_loss_db=0.0)})


def breakdown_db(sc, station, elevation_deg, range_km) -> dict[str, np.ndarray]:
    """The downlink's loss parts in dB, as mission.channel.link_budget computes them."""
    el, rng = np.atleast_1d(np.asarray(elevation_deg, float)), np.atleast_1d(np.asarray(range_km, float))
    tx = sc.payload.transmitter
    lb = channel.link_budget(el, rng, station, tx, sc.payload.source.wavelength_nm, sc.channel)
    return {
        "geometric (beam spread over the receiver annulus)": lb.terms_db["diffraction"] + 0.0 * rng,
        "onboard optics": lb.terms_db["onboard_optics"] + 0.0 * rng,
        "pointing": lb.terms_db["pointing"] + 0.0 * rng,
        "atmosphere (site aerosol, Rayleigh, water vapour)": channel.to_db(lb.atmosphere),
        "seeing-limited image through the field stop": lb.terms_db["turbulence"] + 0.0 * rng,
        "receiver optics": lb.terms_db["receiver_optics"] + 0.0 * rng,
        "detector": lb.terms_db["detector"] + 0.0 * rng,
        "chain (joint Micius fit)": lb.terms_db["chain"] + lb.terms_db["station_calibration"] + 0.0 * rng,
        "total": lb.loss_db,
    }


def prl_geometry(passes):
    """Delingha's elevation at [P17]'s ranges, on the 21 Dec pass (it culminates at 76°). [deg]"""
    el, rng = passes[1]["D alone"]
    rise = slice(0, int(np.argmax(el)) + 1)  # the rising branch: range falls as elevation grows
    return np.interp(PRL17_RANGE_KM, rng[rise][::-1], el[rise][::-1])


def yin_points(passes):
    """Samples at the shortest and the longest summed length of each pass: (el_D, r_D, el_L, r_L, sum)."""
    rows = []
    for p in passes:
        total = p["D"][1] + p["L"][1]
        for i in (int(np.argmin(total)), int(np.argmax(total))):
            rows.append((p["D"][0][i], p["D"][1][i], p["L"][0][i], p["L"][1][i], total[i]))
    return np.array(rows)  # rows: pass 1 short, pass 1 long, pass 2 short, pass 2 long


def micius_rows(sc, passes):
    """Every Micius link loss the project holds, as rows of the joint chain fit: measured loss, the
    bare model (no chain term), links per row and Σ(AM − 1). [P17] 530 km, [P17] 1000 km, [Y17]
    1600 km (the model the mean over the two passes' short ends: one measured number, one row). [dB]"""
    d, lj = sc.stations
    base = bare(sc)
    el = prl_geometry(passes)
    prl = breakdown_db(base, d, el, PRL17_RANGE_KM)["total"]
    pts = yin_points(passes)[[0, 2]]
    yin = (breakdown_db(base, d, pts[:, 0], pts[:, 1])["total"] + breakdown_db(base, lj, pts[:, 2], pts[:, 3])["total"])
    excess_prl = airmass_kastenyoung1989(el) - 1.0
    excess_yin = airmass_kastenyoung1989(pts[:, 0]) + airmass_kastenyoung1989(pts[:, 2]) - 2.0
    measured = np.array([*PRL17_LOSS_DB, YIN17_LOSS_DB[0]])
    model = np.array([*prl, np.mean(yin)])
    return measured, model, np.array([1.0, 1.0, 2.0]), np.array([*excess_prl, np.mean(excess_yin)])


def test_tle_is_of_the_experiment_dates(scenario, passes):
    """The TLE's revolution number agrees with the revolutions flown since launch (15 Aug 2016
    17:40 UTC), which the previous scenario TLE (revolution 1804 at 2016-12-19) missed by ~110; and
    its night passes reproduce [Y17]'s summed length of 1600–2400 km within 15 km."""
    line1, line2 = scenario.orbit.tle.strip().splitlines()[-2:]
    assert line1[2:7] == "41731" and line1[18:32] == "16353.90152003"
    epoch = datetime(2016, 1, 1, tzinfo=UTC).timestamp() + (float(line1[20:32]) - 1.0) * 86400.0
    launch = datetime(2016, 8, 15, 17, 40, tzinfo=UTC).timestamp()
    revs_flown = (epoch - launch) / 86400.0 * float(line2[52:63])
    assert int(line2[63:68]) == pytest.approx(revs_flown, abs=3.0)
    for p in passes:
        total = p["D"][1] + p["L"][1]
        assert total.min() == pytest.approx(1600.0, abs=15.0) and total.max() == pytest.approx(2400.0, abs=25.0)


def test_geometric_loss_matches_hand_formula(scenario):
    # Gaussian beam, full-angle divergence θ = 10 µrad [Y20] at 810 nm: w(L)² = w0² + (θL/2)², with
    # w0 = 2λ/(πθ) = 0.051566 m, so at L = 1000 km w² = 25.00266 m². An annulus of outer radius a and
    # obscuration ε catches exp(−2ε²a²/w²) − exp(−2a²/w²):
    #   Delingha a = 0.6 m, ε = 0.3: 0.9974116 − 0.9716137 = 0.025798 → 15.884 dB
    #   Lijiang  a = 0.9 m, ε = 0.3: 0.9941856 − 0.9372614 = 0.056924 → 12.447 dB
    d, lj = scenario.stations
    assert scenario.payload.transmitter.divergence_urad == 10.0
    assert (d.aperture_m, lj.aperture_m) == (1.2, 1.8)
    for station, hand_db in ((d, 15.884), (lj, 12.447)):
        geo = breakdown_db(scenario, station, 30.0, 1000.0)["geometric (beam spread over the receiver annulus)"][0]
        assert geo == pytest.approx(hand_db, abs=0.005)


def test_no_station_constant_any_more(scenario):
    """Issue 22: the measured constant lives on the chain (``channel.chain_loss_db``), not on two
    stations; the scenario's stations carry none, and every scenario inherits the chain."""
    assert all(s.calibrated_loss_db == 0.0 and s.calibrated_airmass_loss_db == 0.0 for s in scenario.stations)
    assert scenario.channel.chain_loss_db == ChannelConfig().chain_loss_db == calibration.MICIUS_CHAIN_LOSS_DB


def test_joint_chain_fit_is_the_shipped_default(scenario, passes, capsys):
    """The shipped Micius chain constants are the joint least-squares fit (one constant per downlink)
    on [P17]'s two points and [Y17]'s short end, with their Jacobian uncertainty and the residual
    scatter of one link; the air-mass term is left out (with it the fit has one degree of freedom
    and the term's two-sided p-value, Student's t, is above 0.05)."""
    measured, model, links, excess = micius_rows(scenario, passes)
    fit = fit_chain_loss(measured, model, links, excess)
    with_k = fit_chain_loss(measured, model, links, excess, fit_airmass=True)
    with capsys.disabled():
        print(f"\nMicius joint chain fit: c = {fit.constant_loss_db:.3f} ± {fit.constant_sigma_db:.3f} dB per link, "
              f"residual sigma {fit.residual_sigma_db:.3f} dB, residuals {np.round(fit.residuals_db, 2)} dB (dof {fit.dof})")
        print(f"  with an air-mass term: c = {with_k.constant_loss_db:.2f} ± {with_k.constant_sigma_db:.2f}, "
              f"k = {with_k.airmass_loss_db:.2f} ± {with_k.airmass_sigma_db:.2f} dB per air mass (dof {with_k.dof})")
    assert calibration.MICIUS_CHAIN_LOSS_DB == pytest.approx(fit.constant_loss_db, abs=0.005)
    assert calibration.MICIUS_CHAIN_LOSS_SIGMA_DB == pytest.approx(fit.constant_sigma_db, abs=0.005)
    assert calibration.MICIUS_LINK_LOSS_SIGMA_DB == pytest.approx(fit.residual_sigma_db, abs=0.005)
    assert calibration.MICIUS_CHAIN_AIRMASS_LOSS_DB == 0.0
    p_value = 2.0 * stats.t.sf(abs(with_k.airmass_loss_db) / with_k.airmass_sigma_db, with_k.dof)
    assert p_value > 0.05  # no evidence for a shared air-mass term
    assert 5.0 < fit.constant_loss_db < 15.0  # the ~10 dB the physics does not contain


def test_every_micius_number_within_3db_without_station_constants(scenario, passes, capsys):
    """[P17] at both ranges, its growth, and [Y17]'s 1600 km end on both passes: the model with the
    chain and no station constant is within 3 dB of each."""
    d, lj = scenario.stations
    el = prl_geometry(passes)
    prl = breakdown_db(scenario, d, el, PRL17_RANGE_KM)
    pts = yin_points(passes)
    parts_d = breakdown_db(scenario, d, pts[:, 0], pts[:, 1])
    parts_l = breakdown_db(scenario, lj, pts[:, 2], pts[:, 3])
    total = parts_d["total"] + parts_l["total"]
    with capsys.disabled():
        print(f"\nDelingha single downlink at {PRL17_RANGE_KM} km (elevation {np.round(el, 1)} deg):")
        for name, v in prl.items():
            print(f"  {name:58s} {np.round(v, 2)}")
        print(f"  [P17] {PRL17_LOSS_DB} dB; growth model {np.diff(prl['total'])[0]:.2f} dB vs 7 dB")
        print("Micius two downlinks on the 17 and 21 Dec 2016 night passes (rows: short, long, short, long):")
        print(f"  summed km {np.round(pts[:, 4])}; Delingha el {np.round(pts[:, 0], 1)}; Lijiang el {np.round(pts[:, 2], 1)}")
        for name in parts_d:
            print(f"  {name:58s} D {np.round(parts_d[name], 2)}  L {np.round(parts_l[name], 2)}")
        print(f"  total {np.round(total, 2)} dB; [Y17] {YIN17_LOSS_DB} dB at {YIN17_SUMMED_KM} km")
    np.testing.assert_allclose(prl["total"], PRL17_LOSS_DB, atol=3.0)
    assert np.diff(prl["total"])[0] == pytest.approx(np.diff(PRL17_LOSS_DB)[0], abs=3.0)
    np.testing.assert_allclose(total[[0, 2]], YIN17_LOSS_DB[0], atol=3.0)


def test_two_downlinks_long_end_gap_recorded(scenario, passes):
    """[Y17]'s 2400 km end is a prediction of the fitted model, not a fit: it stays short of 82 dB
    (docs/micius_2017.md, 'What is missing'); this test records the size of the gap."""
    d, lj = scenario.stations
    pts = yin_points(passes)
    total = breakdown_db(scenario, d, pts[:, 0], pts[:, 1])["total"] + breakdown_db(scenario, lj, pts[:, 2], pts[:, 3])["total"]
    growth = total[[1, 3]] - total[[0, 2]]
    assert np.all((growth > 6.0) & (growth < 11.0))  # the model's growth over 1600 → 2400 km
    gap = YIN17_LOSS_DB[1] - total[[1, 3]]
    assert np.all((gap > 6.0) & (gap < 13.0))  # the known shortfall at the long end


@pytest.mark.xfail(strict=True, reason="issue 15/22 target not reached: the model grows 6-7 dB over "
                   "1600 -> 2400 km where [Y17] grows 18 dB (docs/micius_2017.md, 'What is missing'); not tuned")
def test_yin2017_long_end_and_growth_within_3db(scenario, passes):
    d, lj = scenario.stations
    pts = yin_points(passes)
    total = breakdown_db(scenario, d, pts[:, 0], pts[:, 1])["total"] + breakdown_db(scenario, lj, pts[:, 2], pts[:, 3])["total"]
    np.testing.assert_allclose(total[[1, 3]], YIN17_LOSS_DB[1], atol=3.0)
    np.testing.assert_allclose(total[[1, 3]] - total[[0, 2]], np.diff(YIN17_LOSS_DB)[0], atol=3.0)


def test_prl2017_trend_extrapolated_to_yin2017(passes):
    """[P17]'s own range dependence (29 → 36 dB over 530 → 1000 km, i.e. loss ∝ L^2.54), applied to
    both links of the two passes, predicts a growth of 6–8.5 dB over [Y17]'s 1600 → 2400 km, far from
    [Y17]'s 18 dB: the missing loss is not in [P17]'s measured trend (docs/micius_2017.md, 'A second
    look')."""
    exponent = np.diff(PRL17_LOSS_DB)[0] / (10.0 * np.log10(PRL17_RANGE_KM[1] / PRL17_RANGE_KM[0]))
    assert exponent == pytest.approx(2.539, abs=0.001)
    pts = yin_points(passes)
    for short, long in ((0, 1), (2, 3)):
        growth = 10.0 * exponent * np.log10(pts[long, 1] * pts[long, 3] / (pts[short, 1] * pts[short, 3]))
        assert 6.0 < growth < 8.5
        assert YIN17_LOSS_DB[1] - (YIN17_LOSS_DB[0] + growth) > 9.0


def test_no_field_of_view_closes_yin2017(scenario, passes):
    """Sensitivity, not a fit: for any receiver field of view from 3 to 100 µrad (none is published),
    with the scenario's seeing or the site seeing found published (Delingha r0 8–12 cm, Qian et al.
    2019; Lijiang taken at 0.9″), re-fitting the chain constant jointly as the shipped default is
    fitted, either the [Y17] long end stays more than 3 dB short or [P17]'s growth leaves 7 ± 3 dB."""
    d0, l0 = scenario.stations
    el = prl_geometry(passes)
    pts = yin_points(passes)
    for seeing_d, seeing_l in ((None, None), (1.0, 0.9)):
        for fov in (3.0, 5.0, 10.0, 20.0, 40.0, 100.0):
            d = replace(d0, fov_urad=fov, median_seeing_arcsec=seeing_d)
            lj = replace(l0, fov_urad=fov, median_seeing_arcsec=seeing_l)
            sc = bare(scenario).model_copy(update={"stations": [d, lj]})
            c = fit_chain_loss(*micius_rows(sc, passes)).constant_loss_db
            prl = breakdown_db(sc, d, el, PRL17_RANGE_KM)["total"]
            total = (breakdown_db(sc, d, pts[:, 0], pts[:, 1])["total"]
                     + breakdown_db(sc, lj, pts[:, 2], pts[:, 3])["total"] + 2.0 * c)
            prl_growth_off = abs(np.diff(prl)[0] - np.diff(PRL17_LOSS_DB)[0])
            long_gap = np.max(YIN17_LOSS_DB[1] - total[[1, 3]])
            assert long_gap > 3.0 or prl_growth_off > 3.0, (fov, seeing_d, long_gap, prl_growth_off)
