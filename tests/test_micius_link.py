"""Micius downlink budget, part by part, against what the Micius papers publish.

See docs/micius_2017.md for the table and the sources. Papers used (numbers quoted there):

[Y17] J. Yin et al., Science 356, 1140 (2017), doi:10.1126/science.aan3211: two downlinks,
      Delingha (1.2 m) and Lijiang (1.8 m), summed length 1600–2400 km (abstract), two-downlink
      loss 64–82 dB (main text, as quoted in the issue; not re-read from a stored copy here).
[P17] J. Yin et al., Phys. Rev. Lett. 119, 200501 (2017), doi:10.1103/PhysRevLett.119.200501:
      ONE downlink, Micius to Delingha, 810 nm entangled photons, "link attenuation ... 29 dB at
      530 km to 36 dB at 1000 km" (abstract).
[Y20] J. Yin et al., Nature 582, 501 (2020), doi:10.1038/s41586-020-2401-y: "Both transmitters
      have a near-diffraction-limited far-field divergence of about 10 μrad" (p. 502); "a 3-dB
      enhancement in the collection efficiency was observed for each satellite-to-ground link"
      over [Y17] (p. 503).

The papers give no breakdown of the 64–82 dB into parts. What can be checked independently is
(1) the geometric (diffraction) part for the cited divergence and apertures, by hand, and
(2) the single-downlink range dependence against [P17], which fixes the range-independent part
of the loss that the model does not contain (receiver chain, beam quality, pointing bias).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from skyswap.mission import channel
from skyswap.mission.scenario.schema import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "micius_2017.yaml"
EARTH_RADIUS_KM, ALTITUDE_KM = 6371.0, 500.0  # ≈500 km Micius orbit (the TLE's mean altitude is ~494 km)

YIN17_SUMMED_KM = np.array([1600.0, 2400.0])
YIN17_LOSS_DB = np.array([64.0, 82.0])       # [Y17], endpoints paired with the summed-length endpoints
PRL17_RANGE_KM = np.array([530.0, 1000.0])
PRL17_LOSS_DB = np.array([29.0, 36.0])       # [P17] abstract, Delingha single downlink


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


def elevation_deg(range_km):
    """Elevation of a satellite at ``range_km`` on a circular orbit of ALTITUDE_KM (spherical Earth). [deg]"""
    r, re, h = np.asarray(range_km, dtype=float), EARTH_RADIUS_KM, ALTITUDE_KM
    return np.degrees(np.arcsin(((re + h) ** 2 - re**2 - r**2) / (2.0 * re * r)))


def breakdown_db(sc, station, range_km) -> dict[str, np.ndarray]:
    """The downlink's loss parts in dB, as mission.channel.link_budget computes them."""
    rng = np.atleast_1d(np.asarray(range_km, dtype=float))
    tx = sc.payload.transmitter
    lb = channel.link_budget(elevation_deg(rng), rng, station, tx, sc.payload.source.wavelength_nm, sc.channel)
    return {
        "geometric (beam spread over the receiver annulus)": channel.to_db(lb.diffraction / tx.optics_efficiency),
        "onboard optics": channel.to_db(np.full(rng.shape, tx.optics_efficiency)),
        "pointing": channel.to_db(lb.pointing),
        "atmosphere": channel.to_db(lb.atmosphere),
        "receiver optics": channel.to_db(np.full(rng.shape, station.optics_efficiency)),
        "detector": channel.to_db(np.full(rng.shape, station.detector_efficiency)),
        "total": lb.loss_db,
    }


def test_geometric_loss_matches_hand_formula(scenario):
    # Gaussian beam, full-angle divergence θ = 10 µrad [Y20] at 810 nm: w(L)² = w0² + (θL/2)², with
    # w0 = 2λ/(πθ) = 0.051566 m, so at L = 1000 km w² = 25.00266 m². An annulus of outer radius a and
    # obscuration ε catches exp(−2ε²a²/w²) − exp(−2a²/w²):
    #   Delingha a = 0.6 m, ε = 0.3: 0.9974116 − 0.9716137 = 0.025798 → 15.884 dB
    #   Lijiang  a = 0.9 m, ε = 0.3: 0.9941856 − 0.9372614 = 0.056924 → 12.447 dB
    # (the small-aperture form 2a²(1 − ε²)/w² gives 15.82 and 12.29 dB: 0.06 / 0.15 dB optimistic).
    d, lj = scenario.stations
    assert scenario.payload.transmitter.divergence_urad == 10.0
    assert (d.aperture_m, lj.aperture_m) == (1.2, 1.8)
    for station, hand_db in ((d, 15.884), (lj, 12.447)):
        geo = breakdown_db(scenario, station, 1000.0)["geometric (beam spread over the receiver annulus)"][0]
        assert geo == pytest.approx(hand_db, abs=0.005)
    # and the far-field 1/L² law: 20·log10(1200/800) = 3.52 dB (the finite aperture makes it 0.06 dB flatter)
    geo = breakdown_db(scenario, d, [800.0, 1200.0])["geometric (beam spread over the receiver annulus)"]
    assert geo[1] - geo[0] == pytest.approx(20 * np.log10(1.5), abs=0.1)


def test_delingha_single_downlink_against_prl2017(scenario, capsys):
    """[P17] measured the same satellite to the same station: 29 dB at 530 km, 36 dB at 1000 km.

    The modelled range dependence (geometry + atmosphere) must reproduce the measured one, which
    leaves a range-independent residual: the part of the loss the model does not contain.
    """
    d = scenario.stations[0]
    model = breakdown_db(scenario, d, PRL17_RANGE_KM)["total"]
    residual = PRL17_LOSS_DB - model
    with capsys.disabled():
        print(f"\nDelingha single downlink at {PRL17_RANGE_KM} km: model {np.round(model, 1)} dB, "
              f"[P17] {PRL17_LOSS_DB} dB, residual {np.round(residual, 1)} dB")
    assert np.diff(model)[0] == pytest.approx(np.diff(PRL17_LOSS_DB)[0], abs=1.5)  # slope: 5.6 vs 7 dB
    assert np.all(residual > 5.0)  # the model is optimistic: every missing term is a loss
    assert abs(residual[1] - residual[0]) < 1.5  # ... and the missing part is nearly range-independent


def test_two_downlink_loss_against_yin2017(scenario, capsys):
    """Summed two-downlink loss, equal split of the summed length, against [Y17] 64–82 dB.

    Documented finding (docs/micius_2017.md): the cited parameters give ~41.5/49.5 dB at 1600/2400 km.
    Adding, per link, the range-independent residual that [P17] fixes for Delingha closes the
    1600 km end to within 3 dB, but leaves the 2400 km end ~10 dB short: [Y17]'s loss grows by
    18 dB over 1600→2400 km, geometry and the clear-sky atmosphere by only ~8 dB.
    """
    d, lj = scenario.stations
    summed = np.array([1600.0, 2000.0, 2400.0])
    parts_d, parts_l = breakdown_db(scenario, d, summed / 2), breakdown_db(scenario, lj, summed / 2)
    total = parts_d["total"] + parts_l["total"]
    with capsys.disabled():
        print(f"\nMicius two-downlink loss, equal split, summed {summed} km (elevation "
              f"{np.round(elevation_deg(summed / 2), 1)} deg):")
        for name in parts_d:
            print(f"  {name:52s} Delingha {np.round(parts_d[name], 2)}  Lijiang {np.round(parts_l[name], 2)}  "
                  f"sum {np.round(parts_d[name] + parts_l[name], 2)}")
        print(f"  [Y17]: {YIN17_LOSS_DB} dB at {YIN17_SUMMED_KM} km; "
              f"gap {np.round(YIN17_LOSS_DB - total[[0, 2]], 1)} dB")
    assert np.all(np.diff(total) > 0)
    gap = YIN17_LOSS_DB - total[[0, 2]]
    assert np.all(gap > 15.0)  # the cited parameters alone leave ≥ 15 dB unexplained at both ends

    prl_residual = PRL17_LOSS_DB - breakdown_db(scenario, d, PRL17_RANGE_KM)["total"]
    with_residual = total[[0, 2]] + 2.0 * prl_residual.mean()  # assumption: Lijiang's chain loses as much
    with capsys.disabled():
        print(f"  with the [P17] Delingha residual ({prl_residual.mean():.1f} dB) on both links: "
              f"{np.round(with_residual, 1)} dB vs [Y17] {YIN17_LOSS_DB} dB")
    assert with_residual[0] == pytest.approx(YIN17_LOSS_DB[0], abs=3.0)
    # the long end stays short by 5–15 dB: range/elevation dependence the model lacks (see the doc)
    assert 5.0 < YIN17_LOSS_DB[1] - with_residual[1] < 15.0
    slope_model, slope_paper = total[2] - total[0], YIN17_LOSS_DB[1] - YIN17_LOSS_DB[0]
    assert slope_model == pytest.approx(8.0, abs=1.0) and slope_paper - slope_model > 8.0
