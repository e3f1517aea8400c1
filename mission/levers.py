"""What would change the headline: the plan's levers, re-evaluated on its own contacts.

Each lever changes one parameter of the scenario by a round step (halve or double it; raise the
elevation masks by 10°) and evaluates the channel and payload stages again on the samples the
plan's contacts delivered: the same contacts, the same SWaP schedule, no new orbit or windows
(:func:`mission.planner.lever_stage` chains the stages; this module chooses the samples, defines
the levers and adds up what they give). A raised elevation mask drops the samples below it. Two
searches turn "no key" and "few pairs" into numbers: the link gain per downlink (every link's
transmittance times 10^(G/10), the noise as it is) at which the expected pairs reach ten times the
plan's, and at which a first contact gives a finite key; and, for a pulsed source, the factor on its
repetition rate at which a first contact gives a key (at the same pairs per pulse the QBER does not
move and the pairs grow in proportion, so this is the closest contact's shortfall, exactly).

Totals are those of the plan's contacts with the changed parameter: heralded pairs if every sky
were clear, expected after clouds (each contact's cloud-free probability, unchanged), and finite-size
key bits (one block per contact). A contact's pairs are the plan's pairs times the ratio of the
changed to the plan's pair rate summed over its samples; with more than :data:`MAX_SAMPLES`
delivering samples, every ``stride``-th sample of each contact stands for the others (the ratio of
two smooth sums, not a count). With fewer, the numbers are those of re-running the plan with the
parameter changed, as long as the contact plan and the SWaP schedule would not change (a test
checks it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ..groundstations.catalog import Station
from ..payload.config import PayloadConfig
from ..payload.fidelity import window_key_bits
from ..payload.ragged import ragged_reduce, weighted_ragged_means

#: Samples a lever is evaluated on at most (every ``stride``-th delivering sample of each contact
#: beyond this). [1]
MAX_SAMPLES = 8192
#: The largest link gain per downlink the searches try. [dB]
MAX_GAIN_DB = 60.0
#: Resolution of the searches. [dB]
GAIN_RESOLUTION_DB = 0.1
#: What "many more pairs" means in the search: this factor on the expected heralded pairs. [1]
PAIRS_FACTOR = 10.0


@dataclass(frozen=True)
class Lever:
    """One parameter the levers change.

    Attributes
    ----------
    name : str
        Its key in ``summary.json`` ``levers``.
    label : str
        What is changed, in words.
    steps : tuple of float
        The changes tried: factors, or degrees added (``elevation_mask``).
    link : bool
        Whether it acts on the link (a mode without a downlink has nothing to change).
    """

    name: str
    label: str
    steps: tuple[float, ...]
    link: bool


#: The levers, in the report's order.
LEVERS = (
    Lever("aperture", "every station's telescope aperture (diameter)", (0.5, 2.0), True),
    Lever("source_rate", "the sources' pair rate (a pulsed source's repetition rate, pairs per pulse kept)",
          (0.5, 2.0), False),
    Lever("divergence", "the transmit beam's divergence", (2.0, 0.5), True),
    Lever("pointing", "the pointing error (bias and jitter)", (2.0, 0.5), True),
    Lever("station_detectors", "every station detector's efficiency (at most 1)", (0.5, 2.0), True),
    Lever("onboard_detectors", "the onboard detectors' efficiency (Bell-state measurement and onboard "
          "analysers, at most 1)", (0.5, 2.0), False),
    Lever("elevation_mask", "every station's elevation mask, raised", (10.0,), True),
)


def step_text(lever: Lever, step: float) -> str:
    """A step in words: ``×2``, ``×0.5``, ``+10°``."""
    if lever.name == "elevation_mask":
        return f"+{step:g}°"
    return f"×{step:g}"


def vary(lever: Lever, step: float, stations: list[Station],
         payload: PayloadConfig) -> tuple[list[Station], PayloadConfig]:
    """The stations and payload with ``lever`` changed by ``step`` (the elevation mask is applied to
    the samples instead: :func:`mask_keep`)."""
    tx, src, bsm = payload.transmitter, payload.source, payload.bsm
    if lever.name == "aperture":
        return [replace(s, aperture_m=s.aperture_m * step) for s in stations], payload
    if lever.name == "source_rate":
        src = (replace(src, repetition_rate_hz=src.repetition_rate_hz * step) if src.pulsed
               else replace(src, pair_rate_hz=src.pair_rate_hz * step))
        return stations, replace(payload, source=src)
    if lever.name == "divergence":
        return stations, replace(payload, transmitter=replace(tx, divergence_urad=tx.divergence_urad * step))
    if lever.name == "pointing":
        return stations, replace(payload, transmitter=replace(
            tx, pointing_bias_urad=tx.pointing_bias_urad * step, pointing_jitter_urad=tx.pointing_jitter_urad * step,
            pointing_jitter_per_zenith_urad=tx.pointing_jitter_per_zenith_urad * step))
    if lever.name == "station_detectors":
        return [replace(s, detector_efficiency=min(1.0, s.detector_efficiency * step)) for s in stations], payload
    if lever.name == "onboard_detectors":
        factor = min(1.0, bsm.detector_efficiency * step) / bsm.detector_efficiency
        return stations, replace(payload, bsm=replace(bsm, detector_efficiency=bsm.detector_efficiency * factor),
                                 onboard_detection_efficiency=min(1.0, payload.onboard_detection_efficiency * factor))
    return stations, payload


# --------------------------------------------------------------------------- the samples used

@dataclass(frozen=True)
class EvaluationSet:
    """The delivering samples a lever is evaluated on, grouped by contact.

    Attributes
    ----------
    index : ndarray of int
        The samples (indices into the plan's samples), contact after contact.
    offsets : ndarray (n_contacts + 1,)
        Contact ``c`` owns ``index[offsets[c]:offsets[c + 1]]``.
    stride : int
        Every ``stride``-th delivering sample of each contact (from its first) is in ``index``. [1]
    delivering : ndarray (n_contacts,)
        Delivering (operated) samples of each contact. [1]
    """

    index: np.ndarray
    offsets: np.ndarray
    stride: int
    delivering: np.ndarray


def evaluation_set(contact_of_sample: np.ndarray, operated: np.ndarray, n_contacts: int,
                   max_samples: int = MAX_SAMPLES) -> EvaluationSet:
    """The operated samples of every contact, thinned to at most about ``max_samples``."""
    on = np.flatnonzero(operated)
    order = on[np.argsort(contact_of_sample[on], kind="stable")]
    counts = np.bincount(contact_of_sample[order], minlength=n_contacts)[:n_contacts]
    stride = max(1, -(-order.size // max_samples))
    starts = np.repeat(np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) if n_contacts else np.empty(0, int)
    keep = (np.arange(order.size) - starts) % stride == 0
    index = order[keep]
    kept = np.bincount(contact_of_sample[index], minlength=n_contacts)[:n_contacts]
    return EvaluationSet(index, np.concatenate([[0], np.cumsum(kept)]).astype(np.int64), stride, counts)


def mask_keep(elevation_deg: list[np.ndarray], mask_deg: list[np.ndarray], raise_deg: float) -> np.ndarray:
    """Which samples stay above every leg's mask raised by ``raise_deg``: ``elevation_deg`` and
    ``mask_deg`` give each leg's elevation and its station's mask per sample. [deg]"""
    keep = np.ones(elevation_deg[0].shape, bool) if elevation_deg else np.ones(0, bool)
    for el, mask in zip(elevation_deg, mask_deg):
        keep &= el >= mask + raise_deg
    return keep


# ------------------------------------------------------------------------------- the totals

@dataclass(frozen=True)
class Rates:
    """A payload evaluation on the evaluation set (per sample; or one value each where the mode's
    counts are stored on board and do not depend on the samples). [Hz], [1]"""

    heralded_pair_rate_hz: np.ndarray
    key_pair_rate_hz: np.ndarray
    key_qber: np.ndarray


@dataclass(frozen=True)
class Baseline:
    """The plan's own numbers the levers scale.

    Attributes
    ----------
    heralded_pairs, key_pairs : ndarray (n_contacts,)
        What each contact delivered (the schedule's, exact), and its pairs under the squash rule. [1]
    clear : ndarray (n_contacts,)
        Each contact's cloud-free probability. [1]
    rates : Rates
        The plan's rates on the evaluation set.
    stored : bool
        Whether the mode's counts are stored on board (one rate for every contact).
    replan : callable (stations, payload) -> dict, optional
        Where the counts are stored on board: the plan from the SWaP scheduler on with the changed
        payload (the same contacts), giving the three totals. A contact counts the records it sent
        down, so once the classical downlink is full a faster source adds nothing: the rate ratio
        alone would overstate it.
    """

    heralded_pairs: np.ndarray
    key_pairs: np.ndarray
    clear: np.ndarray
    rates: Rates
    stored: bool
    replan: Callable[..., dict] | None = None


def key_pairs(heralded_pairs: np.ndarray, rates: Rates, es: EvaluationSet, stored: bool = False) -> np.ndarray:
    """Each contact's pairs under the squash rule (the key's), from its heralded pairs: times the
    ratio of the key's to the heralded pair rate summed over the contact's evaluation samples (the
    same pairs where the payload squashes double clicks; exact where no sample is thinned out,
    ``stride`` 1); the heralded pairs themselves where the mode's counts are stored on board
    (``stored``). [1]"""
    if stored or rates.key_pair_rate_hz is rates.heralded_pair_rate_hz:
        return heralded_pairs
    pairs, key = _per_contact(rates.heralded_pair_rate_hz, es), _per_contact(rates.key_pair_rate_hz, es)
    return np.where(pairs > 0, heralded_pairs * key / np.where(pairs > 0, pairs, 1.0), 0.0)


def _per_contact(x: np.ndarray, es: EvaluationSet) -> np.ndarray:
    return ragged_reduce(np.nan_to_num(np.asarray(x, float)), es.offsets, np.add, 0.0)


def totals(rates: Rates, base: Baseline, es: EvaluationSet, keep: np.ndarray | None = None) -> dict:
    """The headline of the plan's contacts at ``rates`` (``keep``: the samples that still count):
    ``heralded_pairs`` (clear skies), ``expected_heralded_pairs`` (after clouds) and
    ``secret_key_bits``, with each contact's ``per_contact`` pairs and key. [1], [bit]"""
    if base.stored:  # one rate: every contact scales alike
        ratio = _ratio(float(rates.heralded_pair_rate_hz[0]), float(base.rates.heralded_pair_rate_hz[0]))
        key_ratio = _ratio(float(rates.key_pair_rate_hz[0]), float(base.rates.key_pair_rate_hz[0]))
        pairs, key_pairs = base.heralded_pairs * ratio, base.key_pairs * key_ratio
        qber = np.full(pairs.shape, float(rates.key_qber[0]))
    else:
        on = np.ones(es.index.size) if keep is None else keep.astype(float)
        mine = _per_contact(rates.heralded_pair_rate_hz * on, es)
        theirs = _per_contact(base.rates.heralded_pair_rate_hz, es)
        key_mine = _per_contact(rates.key_pair_rate_hz * on, es)
        key_theirs = _per_contact(base.rates.key_pair_rate_hz, es)
        pairs = np.where(theirs > 0, base.heralded_pairs * mine / np.where(theirs > 0, theirs, 1.0), 0.0)
        key_pairs = np.where(key_theirs > 0, base.key_pairs * key_mine / np.where(key_theirs > 0, key_theirs, 1.0), 0.0)
        qber = weighted_ragged_means({"q": rates.key_qber}, rates.key_pair_rate_hz * on, es.offsets)["q"]
    key = window_key_bits(key_pairs, qber)
    return {"heralded_pairs": float(pairs.sum()), "expected_heralded_pairs": float((pairs * base.clear).sum()),
            "secret_key_bits": float(key.sum()), "per_contact": pairs, "key_per_contact": key}


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else 0.0


def smallest_gain_db(reaches: Callable[[float], bool], max_gain_db: float = MAX_GAIN_DB,
                     resolution_db: float = GAIN_RESOLUTION_DB) -> float | None:
    """The smallest gain in [0, ``max_gain_db``] at which ``reaches`` turns true, to
    ``resolution_db`` (bracketed from 5 dB by doubling, then bisection; ``reaches`` must not turn
    false again above it); None if it does not at ``max_gain_db``. [dB]"""
    if reaches(0.0):
        return 0.0
    lo, hi = 0.0, min(5.0, max_gain_db)
    while not reaches(hi):  # bracket it: 5, 10, 20, 40 dB, then the largest
        if hi >= max_gain_db:
            return None
        lo, hi = hi, min(2.0 * hi, max_gain_db)
    while hi - lo > resolution_db:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if reaches(mid) else (mid, hi)
    return round(float(np.ceil(hi / resolution_db - 1e-9) * resolution_db), 9)


# ------------------------------------------------------------------------------- the result

@dataclass(frozen=True)
class LeverStage:
    """The levers of one plan.

    Attributes
    ----------
    baseline : dict
        The plan's headline on the same footing (heralded pairs, expected after clouds, key bits).
    rows : list of dict
        Per lever and step: ``lever``, ``label``, ``step``, ``change`` (in words) and the three totals.
    not_applicable : list of str
        Levers the mode has nothing to act on (no photon leaves the satellite).
    searches : dict
        ``link_gain_db_for_tenfold_pairs``, ``link_gain_db_for_key`` (per downlink; None: not within
        :data:`MAX_GAIN_DB`), ``source_rate_factor_for_key`` and a ``note`` on each.
    stride, samples : int
        How the samples were chosen (:class:`EvaluationSet`). [1]
    """

    baseline: dict
    rows: list
    not_applicable: list
    searches: dict
    stride: int
    samples: int


Evaluate = Callable[..., Rates]


def run_levers(levers_on: tuple[Lever, ...], link: bool, stations: list[Station], payload: PayloadConfig,
               evaluate: Evaluate, base: Baseline, es: EvaluationSet, keep_above: Callable[[float], np.ndarray],
               key_needed: tuple[float, float] | None) -> LeverStage:
    """Every lever, then the searches.

    ``evaluate(stations, payload, link_changed=..., gain_db=...)`` gives the rates on the evaluation
    set; ``keep_above(deg)`` the samples above the masks raised by ``deg``; ``link``: whether the mode
    has a downlink; ``key_needed``: the closest contact's (heralded pairs, pairs needed) for a key
    (``summary.json`` ``secret_key``), for the source-rate factor of a pulsed source.
    """
    plan = totals(base.rates, base, es)
    baseline = {k: plan[k] for k in ("heralded_pairs", "expected_heralded_pairs", "secret_key_bits")}
    rows, skipped = [], []
    for lever in levers_on:
        if lever.link and not link:
            skipped.append(lever.name)
            continue
        for step in lever.steps:
            if lever.name == "elevation_mask":
                got = totals(base.rates, base, es, keep_above(step))
            elif base.replan is not None and not lever.link:  # counts stored on board: scheduled again
                got = base.replan(*vary(lever, step, stations, payload))
            else:
                st_v, pl_v = vary(lever, step, stations, payload)
                got = totals(evaluate(st_v, pl_v, link_changed=lever.link), base, es)
            rows.append({"lever": lever.name, "label": lever.label, "step": step, "change": step_text(lever, step),
                         **{k: got[k] for k in baseline},
                         "ratio": _ratio(got["expected_heralded_pairs"], baseline["expected_heralded_pairs"])})
    searches: dict[str, object] = {"link_gain_db_for_tenfold_pairs": None, "link_gain_db_for_key": None,
                                   "source_rate_factor_for_key": None}
    if link and baseline["expected_heralded_pairs"] > 0:
        def gained(g):
            return totals(evaluate(stations, payload, gain_db=g), base, es)
        searches["link_gain_db_for_tenfold_pairs"] = smallest_gain_db(
            lambda g: gained(g)["expected_heralded_pairs"] >= PAIRS_FACTOR * baseline["expected_heralded_pairs"])
        searches["link_gain_db_for_key"] = 0.0 if baseline["secret_key_bits"] > 0 else smallest_gain_db(
            lambda g: gained(g)["secret_key_bits"] > 0)
    if payload.source.pulsed and key_needed is not None and key_needed[0] > 0 and np.isfinite(key_needed[1]):
        searches["source_rate_factor_for_key"] = 1.0 if baseline["secret_key_bits"] > 0 else key_needed[1] / key_needed[0]
    searches["notes"] = {
        "link_gain_db_for_tenfold_pairs": (f"every downlink's transmittance times 10^(G/10) (at most 1), the noise "
                                           f"unchanged, until the expected heralded pairs are {PAIRS_FACTOR:g} times "
                                           f"the plan's; searched up to {MAX_GAIN_DB:g} dB"),
        "link_gain_db_for_key": f"the same gain until one contact gives a finite key; searched up to {MAX_GAIN_DB:g} dB",
        "source_rate_factor_for_key": ("a pulsed source's repetition rate times F at the same pairs per pulse: each "
                                       "contact's pairs grow by F, its QBER stays; F is the closest contact's "
                                       "pairs needed over pairs it has (secret_key); none for a continuous source"),
    }
    return LeverStage(baseline, rows, skipped, searches, es.stride, int(es.index.size))
