"""Tests of the Q4S-like profile: closed-form swap rate, the scenario fragment, the target."""
import re
from pathlib import Path

import numpy as np
import pydantic
import pytest
import yaml

from skyswap.payload.budget import SwapBudget
from skyswap.payload.operations.run import run_operations
from skyswap.payload.profile import (
    BSM_SUCCESS_PSI_MINUS,
    BSM_SUCCESS_PSI_MINUS_AND_PLUS,
    Q4SProfile,
    onboard_swap_rate_hz,
    q4s_swap_budget,
)

FRAGMENT = Path(__file__).resolve().parents[1] / "scenarios" / "q4s_profile.yaml"


def test_bsm_success_probabilities_are_the_published_ones():
    # psi-minus only (Pan et al. 1998): 1 of 4 Bell states; psi-minus and psi-plus
    # (Weinfurter 1994, Braunstein & Mann 1995): 2 of 4, the linear-optics bound
    # (Calsamiglia & Lutkenhaus 2001).
    assert BSM_SUCCESS_PSI_MINUS == 0.25
    assert BSM_SUCCESS_PSI_MINUS_AND_PLUS == 0.5


def test_onboard_swap_rate_worked_example_and_scaling():
    # f = 100 MHz, mu = 0.01, eta = 0.5, P = 1/2: 1e8 * 1e-4 * 0.5 * 0.0625 = 312.5 Hz
    assert onboard_swap_rate_hz(1e8, 0.01, 0.5, 0.5) == pytest.approx(312.5)
    assert onboard_swap_rate_hz(1e8, 0.01, 0.5, BSM_SUCCESS_PSI_MINUS) == pytest.approx(156.25)
    r = onboard_swap_rate_hz(1e8, np.array([0.01, 0.02]), np.array([[0.5], [0.25]]))
    np.testing.assert_allclose(r[:, 1] / r[:, 0], 4.0)  # mu^2
    np.testing.assert_allclose(r[0] / r[1], 16.0)  # eta^4


@pytest.mark.parametrize("mu", [1e-3, 5e-3, 2e-2])
def test_closed_form_is_the_low_gain_limit_of_thermal_pair_statistics(mu):
    # Independent reference: each SPDC source emits exactly one pair per pulse with the
    # thermal probability mu / (1 + mu)^2; the four-fold needs one pair from each source.
    f, eta, p = 1e8, 0.2, 0.5
    exact_one_pair_each = f * (mu / (1 + mu) ** 2) ** 2 * p * eta**4
    closed = onboard_swap_rate_hz(f, mu, eta, p)
    assert closed == pytest.approx(exact_one_pair_each, rel=4.5 * mu)


def _fragment():
    return yaml.safe_load(FRAGMENT.read_text())


def test_every_parameter_in_the_fragment_is_cited_or_an_assumption():
    lines = FRAGMENT.read_text().splitlines()
    leaf = re.compile(r"^\s+[a-z_]+:\s+\S")  # "key: value" lines (not section headers)
    checked = 0
    for line in lines:
        if line.lstrip().startswith("#") or not leaf.match(line):
            continue
        comment = line.split("#", 1)[1] if "#" in line else ""
        assert re.match(r"\s*(source|assumption):\s*\S", comment), f"uncited parameter: {line.strip()}"
        checked += 1
    assert checked == 9 + 11 + 3 + 5  # the operating rule is the mode's (payload/modes.py), not a parameter here


def test_fragment_validates_and_equals_the_code_defaults():
    frag = _fragment()["payload"]
    budget = pydantic.TypeAdapter(SwapBudget).validate_python(frag["swap_budget"])
    assert budget == q4s_swap_budget()
    profile = pydantic.TypeAdapter(Q4SProfile).validate_python(frag["profile"])
    assert profile == Q4SProfile()
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(SwapBudget).validate_python({**frag["swap_budget"], "battery": 1})


def test_profile_reaches_100_swaps_per_hour_onboard_within_45_w():
    profile, budget = Q4SProfile(), q4s_swap_budget()
    assert budget.power.payload_operating_w <= profile.envelope_power_w == 45.0
    assert budget.power.payload_warmup_w <= 45.0 and budget.power.payload_standby_w <= 45.0
    rate_per_hour = profile.onboard_swap_rate_hz() * 3600.0
    assert rate_per_hour >= profile.target_swaps_per_hour == 100.0
    # 1e8 * 0.005^2 * 0.5 * (0.3 * 0.6)^4 = 1.312 Hz = 4724 / h
    assert rate_per_hour == pytest.approx(4723.9, rel=1e-4)


def test_profile_sustains_the_target_over_a_sun_synchronous_like_year_onboard():
    # Continuous onboard operation for a year of 95-min orbits with 35-min eclipses within
    # the profile's power, thermal and data budget: swaps per hour of mission >= 100.
    span = 365 * 86400.0
    period, eclipse = 5677.0, 2100.0
    starts = np.arange(0.0, span, period)
    sun = np.column_stack([starts + eclipse, starts + period])
    profile = Q4SProfile()
    budget = SwapBudget(operating_rule="continuous-onboard")
    # onboard mode keeps one record and the four time tags per swap
    data_rate = profile.onboard_swap_rate_hz() * (budget.data.bytes_per_swap_record + 4 * budget.data.bytes_per_event)
    contacts = np.column_stack([np.arange(3600.0, span, 12 * 3600.0), np.arange(3600.0, span, 12 * 3600.0) + 480])
    s = run_operations(budget, span, sun, contacts, data_rate_bytes_s=np.full(len(contacts), data_rate),
                            onboard_data_rate_bytes_s=data_rate)
    swaps = profile.onboard_swap_rate_hz() * s.totals.operating_hours * 3600.0
    assert swaps / (span / 3600.0) >= 100.0
    # the 45 W payload fits the bus: nothing lost to power or storage, only the duty cycle
    assert s.totals.seconds_lost["power"] == 0.0 and s.totals.seconds_lost["storage"] == 0.0
    assert s.totals.seconds_lost["thermal"] > 0.0
    assert s.totals.unserved_wh == 0.0
    assert s.totals.soc_min >= budget.power.battery_min_soc


def test_no_number_is_cited_as_a_public_q4s_figure():
    """Issue 17: Boeing has not published Q4S's size, mass, power or rates. The envelope numbers are
    assumptions of a small-satellite payload class wherever they appear, never "[Q4S]" sources."""
    root = FRAGMENT.parents[1]
    files = [root / "README.md", *root.joinpath("scenarios").glob("*.yaml"), *root.joinpath("payload").glob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "[Q4S]" not in text, path.name
        assert not re.search(r"public envelope|source:.*(12 L|19 kg|45 W|swaps/hour)", text), path.name
    lines = {ln.split(":")[0].strip(): ln for ln in FRAGMENT.read_text().splitlines() if re.match(r"^\s+[a-z_]+:\s+\S", ln)}
    for key in ("envelope_volume_l", "envelope_mass_kg", "envelope_power_w", "target_swaps_per_hour",
                "payload_operating_w"):
        assert "# assumption:" in lines[key] and "not public" in lines[key], lines[key]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "What Boeing has **not** published" in readme
