"""Micius downlink budget, part by part, on the geometry of the experiment dates, against what the
Micius papers publish.

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

One physics for both stations; one measured constant per station (``calibrated_loss_db``):
Delingha's from [P17] (least squares over its two points), Lijiang's from [Y17]'s 64 dB end.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, load, wgs84

from skyswap.groundstations.atmosphere import airmass_kastenyoung1989
from skyswap.groundstations.calibration import fit_station_loss
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


def bare(station):
    return replace(station, calibrated_loss_db=0.0, calibrated_airmass_loss_db=0.0)


def breakdown_db(sc, station, elevation_deg, range_km) -> dict[str, np.ndarray]:
    """The downlink's loss parts in dB, as mission.channel.link_budget computes them."""
    el, rng = np.atleast_1d(np.asarray(elevation_deg, float)), np.atleast_1d(np.asarray(range_km, float))
    tx = sc.payload.transmitter
    lb = channel.link_budget(el, rng, station, tx, sc.payload.source.wavelength_nm, sc.channel)
    return {
        "geometric (beam spread over the receiver annulus)": channel.to_db(lb.diffraction / tx.optics_efficiency),
        "onboard optics": channel.to_db(np.full(rng.shape, tx.optics_efficiency)),
        "pointing": channel.to_db(lb.pointing),
        "atmosphere (23 km rural aerosol, Rayleigh, water vapour)": channel.to_db(lb.atmosphere),
        "seeing-limited image through the field stop": channel.to_db(lb.coupling),
        "receiver optics": channel.to_db(np.full(rng.shape, station.optics_efficiency)),
        "detector": channel.to_db(np.full(rng.shape, station.detector_efficiency)),
        "calibrated constant": channel.to_db(lb.calibration),
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


def test_delingha_single_downlink_against_prl2017(scenario, passes, capsys):
    """[P17]: 29 dB at 530 km, 36 dB at 1000 km. Delingha's one calibrated constant is the least-
    squares fit of the model to these two points (and is the scenario's ``calibrated_loss_db``); then
    each point within 3 dB and the growth with range within 3 dB."""
    d = scenario.stations[0]
    el = prl_geometry(passes)
    model = breakdown_db(scenario, bare(d), el, PRL17_RANGE_KM)["total"]
    fit = fit_station_loss(PRL17_LOSS_DB, model, airmass_kastenyoung1989(el), fit_airmass=False)
    assert d.calibrated_loss_db == pytest.approx(fit.constant_loss_db, abs=0.05)
    assert d.calibrated_airmass_loss_db == 0.0 and "PRL 119, 200501" in d.calibration_source
    calibrated = breakdown_db(scenario, d, el, PRL17_RANGE_KM)
    with capsys.disabled():
        print(f"\nDelingha single downlink at {PRL17_RANGE_KM} km (elevation {np.round(el, 1)} deg):")
        for name, v in calibrated.items():
            print(f"  {name:58s} {np.round(v, 2)}")
        print(f"  [P17] {PRL17_LOSS_DB} dB; growth model {np.diff(calibrated['total'])[0]:.1f} dB vs 7 dB")
    np.testing.assert_allclose(calibrated["total"], PRL17_LOSS_DB, atol=3.0)
    assert np.diff(calibrated["total"])[0] == pytest.approx(np.diff(PRL17_LOSS_DB)[0], abs=3.0)
    assert 5.0 < fit.constant_loss_db < 15.0  # what the physics does not contain, Delingha


def _two_downlink(scenario, passes):
    d, lj = scenario.stations
    pts = yin_points(passes)
    parts_d = breakdown_db(scenario, d, pts[:, 0], pts[:, 1])
    parts_l = breakdown_db(scenario, lj, pts[:, 2], pts[:, 3])
    return pts, parts_d, parts_l


def test_two_downlinks_against_yin2017(scenario, passes, capsys):
    """[Y17]: 64 dB at 1600 km summed, 82 dB at 2400 km. Lijiang's one calibrated constant comes
    from the 64 dB end (with Delingha's from [P17]); the 2400 km end and the growth are predictions.

    Documented finding (docs/micius_2017.md): the growth with summed length is 8–10 dB in the model
    against [Y17]'s 18 dB, so the long end stays 7–12 dB short. This test records the gap; the
    target test below is an expected failure until the physics closes it."""
    _d, lj = scenario.stations
    pts, parts_d, parts_l = _two_downlink(scenario, passes)
    short = np.array([0, 2])
    bare_l = breakdown_db(scenario, bare(lj), pts[short, 2], pts[short, 3])["total"]
    constant_l = float(np.mean(YIN17_LOSS_DB[0] - parts_d["total"][short] - bare_l))
    assert lj.calibrated_loss_db == pytest.approx(constant_l, abs=0.05)
    assert "Science 356, 1140" in lj.calibration_source
    total = parts_d["total"] + parts_l["total"]
    with capsys.disabled():
        print("\nMicius two downlinks on the 17 and 21 Dec 2016 night passes (rows: short, long, short, long):")
        print(f"  summed km {np.round(pts[:, 4])}; Delingha el {np.round(pts[:, 0], 1)}; Lijiang el {np.round(pts[:, 2], 1)}")
        for name in parts_d:
            print(f"  {name:58s} D {np.round(parts_d[name], 2)}  L {np.round(parts_l[name], 2)}")
        print(f"  total {np.round(total, 1)} dB; [Y17] {YIN17_LOSS_DB} dB at {YIN17_SUMMED_KM} km")
    np.testing.assert_allclose(total[short], YIN17_LOSS_DB[0], atol=0.5)  # by construction of Lijiang's constant
    growth = total[[1, 3]] - total[short]
    assert np.all((growth > 7.0) & (growth < 11.0))  # the model's growth over 1600 → 2400 km
    gap = YIN17_LOSS_DB[1] - total[[1, 3]]
    assert np.all((gap > 6.0) & (gap < 12.0))  # the known shortfall at the long end


@pytest.mark.xfail(strict=True, reason="issue 15 target not reached: the model grows 8-10 dB over "
                   "1600 -> 2400 km where [Y17] grows 18 dB (docs/micius_2017.md, 'What is missing')")
def test_yin2017_long_end_and_growth_within_3db(scenario, passes):
    _pts, parts_d, parts_l = _two_downlink(scenario, passes)
    total = parts_d["total"] + parts_l["total"]
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
    2019; Lijiang taken at 0.9″), re-calibrating both constants as the scenario does, either the
    [Y17] long end stays more than 3 dB short or [P17]'s growth leaves 7 ± 3 dB."""
    d0, l0 = scenario.stations
    el = prl_geometry(passes)
    pts = yin_points(passes)
    short = np.array([0, 2])
    for seeing_d, seeing_l in ((None, None), (1.0, 0.9)):
        for fov in (3.0, 5.0, 10.0, 20.0, 40.0, 100.0):
            d = replace(bare(d0), fov_urad=fov, median_seeing_arcsec=seeing_d)
            lj = replace(bare(l0), fov_urad=fov, median_seeing_arcsec=seeing_l)
            prl = breakdown_db(scenario, d, el, PRL17_RANGE_KM)["total"]
            c_d = fit_station_loss(PRL17_LOSS_DB, prl, airmass_kastenyoung1989(el), fit_airmass=False).constant_loss_db
            total = breakdown_db(scenario, d, pts[:, 0], pts[:, 1])["total"] + c_d
            total = total + breakdown_db(scenario, lj, pts[:, 2], pts[:, 3])["total"]
            total = total + float(np.mean(YIN17_LOSS_DB[0] - total[short]))
            prl_growth_off = abs(np.diff(prl)[0] - np.diff(PRL17_LOSS_DB)[0])
            long_gap = np.max(YIN17_LOSS_DB[1] - total[[1, 3]])
            assert long_gap > 3.0 or prl_growth_off > 3.0, (fov, seeing_d, long_gap, prl_growth_off)
