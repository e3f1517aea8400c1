"""Issue 23 item 1: the link budget by term — per downlink sample, per window (``passes.csv``), in
``summary.json`` and in the report; the terms add up to the total exactly."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skyswap import mission
from skyswap.groundstations import atmosphere
from skyswap.groundstations.catalog import get_station
from skyswap.groundstations.channel_config import ChannelConfig
from skyswap.mission import channel, persample, planner
from skyswap.mission.channel import LINK_TERMS
from skyswap.mission.outputs import tables
from skyswap.mission.stages import gather
from skyswap.mission.windows import passes
from skyswap.payload.optics import Transmitter

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
LOG10_E = 10.0 / np.log(10.0)


@pytest.fixture(scope="module")
def tiny():
    sc = mission.load_scenario(TINY)
    st = planner.run_stages(sc)
    return sc, st, planner.mission_result(sc, st, with_levers=False)


# ------------------------------------------------------------------------------ per sample

ELEVATION_DEG = np.array([15.0, 25.0, 45.0, 70.0, 89.0])
RANGE_KM = np.array([1400.0, 1050.0, 690.0, 530.0, 500.0])


@pytest.mark.parametrize("name", ["Delingha", "Graz", "Tenerife", "Xinglong"])
@pytest.mark.parametrize("cfg", [ChannelConfig(), ChannelConfig(chain_loss_db=3.0, chain_airmass_loss_db=0.7),
                                 ChannelConfig(zenith_transmittance_sea_level=0.8),
                                 ChannelConfig(atmosphere_model="table", table_elevation_deg=(10.0, 40.0, 90.0),
                                               table_transmittance=(0.5, 0.8, 0.9))])
def test_the_terms_of_a_downlink_add_up_to_its_loss(name, cfg):
    station = replace(get_station(name), calibrated_loss_db=1.5, calibrated_airmass_loss_db=0.2)
    lb = channel.link_budget(ELEVATION_DEG, RANGE_KM, station, Transmitter(truncate=True), 810.0, cfg)
    assert set(lb.terms_db) == set(LINK_TERMS)
    total = sum(np.broadcast_to(lb.terms_db[t], ELEVATION_DEG.shape) for t in LINK_TERMS)
    np.testing.assert_allclose(total, lb.loss_db, rtol=0, atol=1e-9)  # dB
    np.testing.assert_allclose(channel.to_db(lb.atmosphere),
                               channel.to_db(channel.atmospheric_transmittance(ELEVATION_DEG, station, 810.0, cfg)),
                               rtol=0, atol=1e-9)


def test_each_term_is_the_model_it_names():
    """Each term against the formula it stands for, computed here independently."""
    station = replace(get_station("Graz"), calibrated_loss_db=1.5, calibrated_airmass_loss_db=0.2)
    tx, cfg = Transmitter(divergence_urad=12.0, optics_efficiency=0.7), ChannelConfig(chain_airmass_loss_db=0.5)
    lb = channel.link_budget(ELEVATION_DEG, RANGE_KM, station, tx, 810.0, cfg)
    # Gaussian beam (Siegman Eqs. 17.5-17.6) over the annulus: 1 - exp(-2 a^2/w^2) less the obscuration
    w0 = 2 * 810e-9 / (np.pi * 12e-6)
    w = w0 * np.sqrt(1 + (RANGE_KM * 1e3 / (np.pi * w0**2 / 810e-9)) ** 2)
    r_out, r_in = station.aperture_m / 2, station.aperture_m * station.obscuration_ratio / 2
    np.testing.assert_allclose(lb.terms_db["diffraction"], -10 * np.log10(np.exp(-2 * r_in**2 / w**2)
                                                                          - np.exp(-2 * r_out**2 / w**2)), atol=1e-9)
    # Rayleigh: Bodhaine Eq. 30 at the site's pressure along the Kasten-Young air mass
    am = atmosphere.airmass_kastenyoung1989(ELEVATION_DEG)
    tau_r = atmosphere.rayleigh_optical_depth_bodhaine1999(810.0) * np.exp(-station.altitude_m / 8434.0)
    np.testing.assert_allclose(lb.terms_db["rayleigh"], LOG10_E * tau_r * am, atol=1e-9)
    aod = cfg.aerosol_optical_depth_550nm_at(station.altitude_m, station.aerosol_optical_depth_550nm)
    alpha = station.angstrom_exponent if station.angstrom_exponent is not None else cfg.angstrom_exponent
    np.testing.assert_allclose(lb.terms_db["aerosol"], LOG10_E * aod * (810 / 550) ** -alpha * am, atol=1e-9)
    assert np.all(lb.terms_db["water_vapour"] > 0) and lb.terms_db["atmosphere_given"] == 0.0
    # the constant efficiencies
    assert lb.terms_db["onboard_optics"] == pytest.approx(-10 * np.log10(0.7), abs=1e-12)
    assert lb.terms_db["receiver_optics"] == pytest.approx(-10 * np.log10(station.optics_efficiency), abs=1e-12)
    assert lb.terms_db["detector"] == pytest.approx(-10 * np.log10(station.detector_efficiency), abs=1e-12)
    # the chain's and the station's calibrated terms, each with its air-mass part
    np.testing.assert_allclose(lb.terms_db["chain"], cfg.chain_loss_db + 0.5 * (am - 1), atol=1e-9)
    np.testing.assert_allclose(lb.terms_db["station_calibration"], 1.5 + 0.2 * (am - 1), atol=1e-9)
    assert np.all(lb.terms_db["pointing"] > 0) and np.all(lb.terms_db["turbulence"] >= 0)


def test_a_sky_given_whole_is_one_term():
    station = get_station("Delingha")
    for cfg in (ChannelConfig(zenith_transmittance_sea_level=0.8),
                ChannelConfig(atmosphere_model="table", table_elevation_deg=(10.0, 90.0), table_transmittance=(0.5, 0.9))):
        lb = channel.link_budget(ELEVATION_DEG, RANGE_KM, station, Transmitter(), 810.0, cfg)
        assert all(np.all(np.asarray(lb.terms_db[t]) == 0.0) for t in ("rayleigh", "aerosol", "water_vapour"))
        np.testing.assert_allclose(lb.terms_db["atmosphere_given"], channel.to_db(lb.atmosphere), atol=1e-12)
        assert np.all(lb.terms_db["atmosphere_given"] > 0)


def _per_sample(sc, st):
    """The tiny plan's samples and link, computed again for every candidate window (the plan keeps
    neither per sample: it reduces each chunk of windows at once)."""
    return persample._samples_channel(sc, st.orbit, passes.sites_of(sc.stations, sc.elevation_mask_deg), st.candidates,
                                    1, True)


def test_the_channel_stage_computes_every_term_per_row(tiny):
    sc, st, _ = tiny
    _, ch = _per_sample(sc, st)
    total = sum(ch.loss_terms_db[t].astype(float) for t in LINK_TERMS)
    np.testing.assert_allclose(total, ch.loss_db, rtol=1e-6, atol=1e-4)  # float32 terms: 1e-6 relative
    assert all(ch.loss_terms_db[t].dtype == np.float32 for t in LINK_TERMS)


# -------------------------------------------------------------------------------- per window

def test_window_terms_add_up_to_the_total_and_no_other_column_says_loss(tiny):
    _, _, res = tiny
    p = res.passes
    loss_cols = [c for c in p.columns if c.startswith("loss_")]
    term_cols = [tables.loss_column(t, leg) for leg in ("a", "b") for t in LINK_TERMS]
    assert sorted(loss_cols) == sorted(["loss_total_db", *term_cols])  # nothing else starts with loss_
    assert "mean_loss_db" not in p and "min_loss_db" not in p
    np.testing.assert_allclose(p[term_cols].sum(axis=1), p["loss_total_db"], rtol=0, atol=1e-9)
    # and as written: the CSV's columns add up too
    from io import StringIO

    from skyswap.mission.outputs import export

    csv = pd.read_csv(StringIO(export.csv_text(p)))
    np.testing.assert_allclose(csv[term_cols].sum(axis=1), csv["loss_total_db"], rtol=0, atol=1e-9)
    assert (p["min_sample_loss_db"] <= p["loss_total_db"] + len(term_cols) * 5e-4).all()


def test_a_window_term_is_the_mean_over_its_samples(tiny):
    """The aggregation: each term's mean in dB over the window's samples, so the terms add up to the
    mean of the pair's total loss over the same samples (to the columns' rounding)."""
    sc, st, res = tiny
    smp, ch = _per_sample(sc, st)
    loss = gather(ch.loss_db, smp.legs[0]) + gather(ch.loss_db, smp.legs[1])
    ids = st.table["pass_id"]  # candidate order
    by_window = pd.Series(loss).groupby(smp.window_of_sample).mean()
    expected = pd.Series(by_window.to_numpy(), index=ids.to_numpy()[by_window.index])
    got = res.passes.set_index("pass_id")["loss_total_db"]
    np.testing.assert_allclose(got.loc[expected.index], expected, atol=2 * len(LINK_TERMS) * 5e-4)
    for leg, rows in zip("ab", smp.legs):
        term = pd.Series(gather(ch.loss_terms_db["diffraction"], rows)).groupby(smp.window_of_sample).mean()
        col = res.passes.set_index("pass_id")[f"loss_diffraction_{leg}_db"]
        np.testing.assert_allclose(col.loc[ids.to_numpy()[term.index]], term.to_numpy(), atol=5e-4)


def test_one_station_modes_have_no_b_leg_and_onboard_none():
    sc = mission.load_scenario(TINY)
    single = sc.model_copy(update={"mode": "single-downlink", "pairs": []})
    p = planner.mission_result(single, planner.run_stages(single), with_levers=False).passes
    assert p[[tables.loss_column(t, "b") for t in LINK_TERMS]].isna().all().all()
    a = [tables.loss_column(t, "a") for t in LINK_TERMS]
    np.testing.assert_allclose(p[a].sum(axis=1), p["loss_total_db"], atol=1e-9)
    onboard = sc.model_copy(update={"mode": "onboard", "pairs": []})
    q = planner.mission_result(onboard, planner.run_stages(onboard), with_levers=False).passes
    assert q[[c for c in q.columns if c.startswith("loss_")]].isna().all().all()


# ------------------------------------------------------------------------------ the summary

def test_summary_loss_budget_per_pair_and_station(tiny):
    _, _, res = tiny
    lb, p = res.summary["loss_budget"], res.passes
    served = p[p["scheduled_s"] > 0]
    w = served["samples"].to_numpy(float)
    assert lb["windows"] == len(served) and lb["over"] == "served windows"
    for t in LINK_TERMS:  # both legs of every served window, weighted by its samples
        both = served[tables.loss_column(t, "a")] + served[tables.loss_column(t, "b")]
        assert lb["terms_db"][t] == pytest.approx(np.sum(both * w) / w.sum(), abs=1e-9)
    assert sum(lb["terms_db"].values()) == pytest.approx(lb["loss_total_db"], abs=1e-9)
    assert lb["median_window_loss_total_db"] == pytest.approx(served["loss_total_db"].median())
    for row in lb["by_pair"]:
        assert sum(row["terms_a_db"].values()) + sum(row["terms_b_db"].values()) == pytest.approx(row["loss_total_db"])
    for row in lb["by_station"]:  # a station's own link, whichever leg it was
        legs = [(served["station_a"] == row["station"], "a"), (served["station_b"] == row["station"], "b")]
        num = sum((served.loc[m, tables.loss_column("diffraction", g)] * served.loc[m, "samples"]).sum() for m, g in legs)
        den = sum(served.loc[m, "samples"].sum() for m, _ in legs)
        assert row["terms_db"]["diffraction"] == pytest.approx(num / den)
        assert sum(row["terms_db"].values()) == pytest.approx(row["loss_total_db"])


def test_report_draws_the_loss_waterfall_next_to_the_fidelity_one(tiny):
    from skyswap.mission.outputs import report
    from tests.report_pages import figures, values

    _, _, res = tiny
    page = report.render_html(res)
    figs = figures(page)
    loss = figs["skyswap-loss-budget"]["data"][0]
    assert loss["type"] == "waterfall" and loss["orientation"] == "h" and loss["y"][-1] == "total (mean)"
    lb = res.summary["loss_budget"]
    assert values(loss["x"])[:-1].sum() == pytest.approx(lb["loss_total_db"], abs=1e-3)  # the empty terms left out
    limits = re.search(r'<section id="section-limits">(.*?)</section>', page, re.S).group(1)
    assert 'id="skyswap-loss-budget"' in limits and 'id="skyswap-fidelity-budget"' in limits


@pytest.mark.slow
def test_the_readme_quotes_the_median_loss_the_summary_defines():
    """Issue 23: the README said 63 dB where the report said 60 dB; one definition now
    (``loss_budget.median_window_loss_total_db``, which the report reads) and the README's number
    is the shipped year's."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"median over the served\s+windows: (\d+) dB", readme)
    assert m, "the README states the median loss with its definition"
    sc = mission.load_scenario(ROOT / "scenarios" / "q4s_year.yaml")
    sc = sc.model_copy(update={"outputs": sc.outputs.model_copy(update={"draws": 0})})
    summary = planner.mission_result(sc, planner.run_stages(sc), with_levers=False).summary
    assert int(m.group(1)) == round(summary["loss_budget"]["median_window_loss_total_db"])


def test_a_term_that_is_one_number_costs_no_memory():
    terms = channel.LossTerms(5)
    terms.put(slice(0, 2), {"detector": 3.0, "diffraction": np.array([10.0, 11.0]), "chain": 11.4})
    terms.put(slice(2, 5), {"detector": 1.0, "diffraction": np.array([12.0, 13.0, 14.0]), "chain": 11.4})
    out = terms.arrays()
    assert out["chain"].strides == (0,) and np.all(out["chain"] == np.float32(11.4))  # broadcast: no copy
    np.testing.assert_array_equal(out["detector"], np.float32([3, 3, 1, 1, 1]))  # per station: an array
    np.testing.assert_array_equal(out["diffraction"], np.float32([10, 11, 12, 13, 14]))
    assert all(out[t].shape == (5,) and out[t].dtype == np.float32 for t in LINK_TERMS)
    assert np.all(out["water_vapour"] == 0)  # a term no run gave: zero
