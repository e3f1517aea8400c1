"""SPDC source parameters and derived quantities; BSM helpers; import direction."""
from __future__ import annotations

import ast
import dataclasses
import pathlib
import typing

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from skyswap.payload.bsm import BellStateMeasurement, arm_efficiency, herald_names, noise_click_probability
from skyswap.payload.source import (
    PairSource,
    coherence_time_ps,
    hom_visibility,
    jitter_hom_factor,
    mean_pairs_per_window,
    multi_pair_probability,
    schmidt_number,
    trials_per_second,
)
from skyswap.payload.swap import PayloadQuantum


def test_pulsed_and_continuous_trials():
    pulsed = PairSource(repetition_rate_hz=8e7, mean_pairs_per_pulse=0.02)
    assert mean_pairs_per_window(pulsed) == 0.02
    assert trials_per_second(pulsed) == 8e7
    cw = PairSource(pulsed=False, pair_rate_hz=5.9e6, coincidence_window_ps=2500.0)
    assert mean_pairs_per_window(cw) == pytest.approx(5.9e6 * 2.5e-9)
    assert trials_per_second(cw) == pytest.approx(4e8)
    # mean emitted pair rate is the same either way
    assert mean_pairs_per_window(cw) * trials_per_second(cw) == pytest.approx(5.9e6)


def test_coherence_time_of_1nm_at_810nm():
    # tau_c = lambda^2 / (c dlambda) = (810e-9)^2 / (3e8 * 1e-9) = 2.19 ps
    assert coherence_time_ps(810.0, 1.0) == pytest.approx(2.1886, rel=1e-3)


def test_schmidt_number_pulsed_and_cw():
    assert schmidt_number(PairSource(spectral_purity=0.5)) == pytest.approx(2.0)
    cw = PairSource(pulsed=False, coincidence_window_ps=1000.0, bandwidth_nm=1.0, spectral_purity=1.0)
    assert schmidt_number(cw) == pytest.approx(1000.0 / 2.1886, rel=1e-3)


def test_multi_pair_probability_limits():
    mu = 0.1
    # 2K = 1 would be one thermal mode: P(>=2) = (mu/(1+mu))^2
    assert multi_pair_probability(mu, 0.5) == pytest.approx((mu / (1 + mu)) ** 2, rel=1e-12)
    # K -> infinity: Poisson
    assert multi_pair_probability(mu, 1e7) == pytest.approx(1 - np.exp(-mu) * (1 + mu), rel=1e-5)
    # thermal statistics are more bunched than Poisson
    assert multi_pair_probability(mu, 1.0) > multi_pair_probability(mu, 10.0)


@given(mu=st.floats(1e-6, 0.5), k=st.floats(1.0, 100.0))
def test_multi_pair_probability_bounds(mu, k):
    p = multi_pair_probability(mu, k)
    assert 0.0 <= p <= mu ** 2  # P(>=2) <= E[n(n-1)]/2 <= mu^2 for 2K >= 2 thermal modes
    assert multi_pair_probability(mu * 1.1, k) >= p


def test_hom_visibility_and_jitter():
    assert hom_visibility(PairSource(spectral_purity=0.9, hom_mode_overlap=0.95)) == pytest.approx(0.855)
    assert jitter_hom_factor(0.0, 2.0) == 1.0
    assert jitter_hom_factor(2.0, 2.0) == pytest.approx(1 / np.sqrt(3))
    cw = PairSource(pulsed=False, spectral_purity=1.0, bandwidth_nm=0.01)  # tau_c ~ 219 ps
    assert hom_visibility(cw, 50.0) == pytest.approx(1 / np.sqrt(1 + 2 * (50 / 218.86) ** 2), rel=1e-3)


def test_noise_click_probability_and_bsm():
    assert noise_click_probability(100.0, 1000.0) == pytest.approx(1e-7, rel=1e-6)
    assert noise_click_probability(0.0, 1000.0) == 0.0
    bsm = BellStateMeasurement(detector_efficiency=0.5, optics_efficiency=0.8, herald_states="psi-minus")
    assert arm_efficiency(bsm) == pytest.approx(0.4)
    assert herald_names(bsm) == ("psi-minus",)


def test_parameter_containers_are_frozen_with_bounds_metadata():
    src = PairSource()
    with pytest.raises(dataclasses.FrozenInstanceError):
        src.mean_pairs_per_pulse = 0.5  # frozen
    assert PairSource.__pydantic_config__ == {"extra": "forbid", "allow_inf_nan": False}
    hints = typing.get_type_hints(PairSource, include_extras=True)
    assert hints["spectral_purity"].__metadata__, "bounds must be annotated"


def test_scenario_validation_of_the_payload_section():
    """The lead's pydantic scenario embeds these dataclasses: bounds and unknown keys."""
    pydantic = pytest.importorskip("pydantic")
    adapter = pydantic.TypeAdapter(PayloadQuantum)
    ok = adapter.validate_python({"source": {"mean_pairs_per_pulse": 0.02},
                                  "bsm": {"herald_states": "psi-minus"},
                                  "polarisation_error_deg": 2.0})
    assert ok.source.mean_pairs_per_pulse == 0.02 and ok.bsm.herald_states == "psi-minus"
    with pytest.raises(pydantic.ValidationError, match="spectral_purity"):
        adapter.validate_python({"source": {"spectral_purity": 1.5}})
    with pytest.raises(pydantic.ValidationError, match="colour"):
        adapter.validate_python({"source": {"colour": "red"}})
    with pytest.raises(pydantic.ValidationError, match="herald_states"):
        adapter.validate_python({"bsm": {"herald_states": "phi-plus"}})


def test_payload_does_not_import_mission():
    for path in pathlib.Path(__file__).resolve().parents[1].joinpath("payload").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "mission" for n in names), path


def test_payload_modules_import_each_other_one_way_only():
    # every intra-package import, those under TYPE_CHECKING included: the graph has no cycle
    folder = pathlib.Path(__file__).resolve().parents[1].joinpath("payload")
    graph = {}
    for path in folder.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        graph[path.stem] = deps

    def cycle_from(module, trail):
        if module in trail:
            return trail[trail.index(module):] + [module]
        for dep in sorted(graph.get(module, ())):
            found = cycle_from(dep, trail + [module])
            if found:
                return found
        return None

    for module in sorted(graph):
        assert cycle_from(module, []) is None, " -> ".join(cycle_from(module, []))


def test_coincidence_window_follows_source_type():
    from skyswap.payload.swap import coincidence_window_ps
    pulsed = PayloadQuantum(bsm=BellStateMeasurement(coincidence_window_ps=800.0))
    assert coincidence_window_ps(pulsed) == 800.0
    cw = PayloadQuantum(source=PairSource(pulsed=False, coincidence_window_ps=2500.0))
    assert coincidence_window_ps(cw) == 2500.0
