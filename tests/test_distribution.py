"""The year as a distribution over the weather, wired through the plan (summary.json ``distribution``)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import skyswap
from skyswap.mission.scenario import parse_scenario

E2E = Path(__file__).resolve().parent / "data" / "e2e.yaml"


def _scenario(**outputs):
    data = yaml.safe_load(E2E.read_text())
    data["outputs"] = outputs
    return parse_scenario(data)


@pytest.fixture(scope="module")
def planned():
    return skyswap.plan(_scenario(draws=4000, seed=7))


def test_mean_of_the_draws_is_the_expected_value(planned):
    """Each contact's expectation (pass table) uses the same correlated clouds as the draws, so the
    draws' mean equals the table's expected total within the Monte Carlo error."""
    d = planned.summary["distribution"]["heralded_pairs"]
    expected = planned.passes["expected_heralded_pairs"].sum()
    spread = (d["p90"] - d["p10"]) / 2.563  # ~ the standard deviation of a year
    assert expected > 0
    assert abs(d["mean"] - expected) < 4.0 * spread / np.sqrt(4000) + 1e-9
    assert d["p10"] <= d["p50"] <= d["p90"]
    # per pair too
    for pair, q in planned.summary["distribution"]["heralded_pairs"]["by_pair"].items():
        a, b = pair.split("–")
        rows = planned.passes[(planned.passes.station_a == a) & (planned.passes.station_b == b)]
        assert q["mean"] == pytest.approx(rows["expected_heralded_pairs"].sum(), rel=0.05, abs=1e-6)


def test_contacts_with_data_never_exceed_the_contacts(planned):
    d = planned.summary["distribution"]["passes_with_data"]
    assert 0 <= d["p10"] <= d["p90"] <= (planned.passes["heralded_pairs"] > 0).sum()


def test_same_seed_same_bytes_other_seed_other_draws():
    from skyswap.mission.outputs import export

    one, two = (skyswap.plan(_scenario(draws=300, seed=3)).summary["distribution"] for _ in range(2))
    other = skyswap.plan(_scenario(draws=300, seed=4)).summary["distribution"]
    assert export.json_text(one) == export.json_text(two)
    assert one["heralded_pairs"]["p10"] != other["heralded_pairs"]["p10"]


def test_no_draws_no_distribution():
    assert skyswap.plan(_scenario(draws=0)).summary["distribution"] is None


def test_a_pair_is_clear_together_as_its_correlated_clouds_say():
    """Pair windows: P(both clear) = Φ2(Φ⁻¹(pa), Φ⁻¹(pb); exp(−d/L)), checked against a direct
    simulation of the two correlated latent variables."""
    from dataclasses import replace

    from scipy.stats import norm

    from skyswap.groundstations.cloud_process import great_circle_distance_km

    sc = _scenario(draws=0)
    monthly = {"Delingha": (0.7,) * 12, "Nanshan": (0.4,) * 12, "Lijiang": (0.5,) * 12}
    sc = sc.model_copy(update={"channel": replace(sc.channel, cloud_free_monthly=monthly,
                                                   cloud_correlation_length_km=2000.0)})
    p = skyswap.plan(sc).passes
    st = {s.name: s for s in sc.stations}
    rng = np.random.default_rng(1)
    for (a, b), rows in p.groupby(["station_a", "station_b"]):
        rho = np.exp(-great_circle_distance_km(st[a].latitude_deg, st[a].longitude_deg,
                                               st[b].latitude_deg, st[b].longitude_deg) / 2000.0)
        z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=400_000)
        both = np.mean((z[:, 0] < norm.ppf(monthly[a][0])) & (z[:, 1] < norm.ppf(monthly[b][0])))
        assert rows["cloud_free_probability"].to_numpy() == pytest.approx(both, abs=3e-3)
        assert rows["cloud_free_probability"].iloc[0] > monthly[a][0] * monthly[b][0] + 0.01  # correlation helps
