"""``summary.json``: totals, fidelity statistics, per-month and per-station/pair tables.

Aggregation only: every number here is a sum, count or quantile of the passes table.
"""
from __future__ import annotations

from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import numpy as np

from ...groundstations.year_draws import WEATHER, WEATHER_AND_LINK
from ...payload.keyrate import bbm92_min_sifted_bits, bbm92_qber_threshold
from ...payload.modes import find_mode
from ...payload.swap import BUDGET_LABELS, BUDGET_TERMS
from ..channel import LINK_TERMS
from ..stages import WeatherStage
from .numbers import significant as sig
from .revisit import gap_statistics
from .tables import LEGS, loss_column

if TYPE_CHECKING:
    import pandas as pd

#: The schedule's columns summed in every table of the summary, and their keys there (the payload's
#: energy during the contacts is named apart from the SWaP scheduler's energy over the span).
TOTAL_COLUMNS = {"bsm_heralds": "bsm_heralds", "swaps_fourfold": "swaps_fourfold", "heralded_pairs": "heralded_pairs",
                 "expected_heralded_pairs": "expected_heralded_pairs", "secret_key_bits": "secret_key_bits",
                 "energy_wh": "payload_energy_in_contacts_wh"}

#: What the summary's quantities that could be read two ways are (``summary.json`` ``definitions``).
DEFINITIONS = {
    "totals.hours": "contact time the contact plan gives the downlink telescopes, retarget dead time included [h]",
    "totals.hours_wanted": "the candidate windows' total time, overlapping windows counted each [h]",
    "totals.heralded_pairs": "heralded pairs of the scheduled contacts if every sky were clear (an expected value) [1]",
    "totals.expected_heralded_pairs": "the same weighted by each contact's cloud-free probability: the headline [1]",
    "totals.operating_hours": "the payload's time in the SWaP scheduler's operating state over the whole span, "
                              "warm-up excluded (= operations.operating_hours) [h]",
    "totals.operating_hours_in_contacts": "the part of totals.operating_hours inside the scheduled contacts (the "
                                          "schedule's operating_s summed) [h]",
    "operations.operating_hours_outside_contacts": "operating_hours minus operating_hours_in_contacts [h]",
    "totals.payload_energy_in_contacts_wh": "energy the payload drew during the scheduled contacts (the tables' "
                                            "energy_wh summed) [Wh]",
    "operations.payload_energy_wh": "energy the payload drew over the whole span in every state (standby, warm-up, "
                                    "operating) [Wh]",
    "contact_plan.expected_heralded_pairs_before_swap_limits": "expected heralded pairs of the contacts as planned, "
                                                               "before the SWaP limits cut seconds from them [1]",
    "contact_plan.worst_pair_share": "the lowest share, among the station pairs, of the expected heralded pairs a "
                                     "pair's windows would give served whole that its contacts give (before SWaP "
                                     "limits); not a share of time [1]",
    "by_pair.time_share": "a pair's contact hours over its candidate windows' hours [1]",
    "loss_budget": "link loss by term, the mean over the samples of the windows the plan served [dB]",
    "levers": "the headline re-evaluated with one parameter changed on the plan's own contacts [1]",
}


def distribution_section(weather: WeatherStage) -> dict | None:
    """The ``distribution`` section (None without draws): how the years were drawn; the quantiles
    of the year over the weather alone (``heralded_pairs``, ``secret_key_bits``,
    ``passes_with_data``, as before the link was drawn); and under ``weather_and_link`` the same
    quantities over the weather and the link model's uncertainty, with that uncertainty's terms."""
    if WEATHER not in weather.years:
        return None
    model = weather.model
    out = {"draws": model.draws, "seed": model.seed, "night_correlation": model.night_correlation,
           "correlation_length_km": model.correlation_length_km,
           "fades": "not drawn: ms-scale fades average out within a contact (in the mean link)",
           "varies_with": "the weather (clouds) alone at this level; the weather and the link model's uncertainty "
                          "under weather_and_link",
           **weather.weather.distribution()}
    if WEATHER_AND_LINK in weather.years:
        link = model.link_uncertainty(weather.downlinks)
        out[WEATHER_AND_LINK] = {
            "link_uncertainty": {
                "chain_loss_sigma_db": link.chain_sigma_db, "link_loss_sigma_db": link.station_sigma_db,
                "downlinks": link.downlinks, "contact_offset_sigma_db": float(np.sqrt(link.variance_db2())),
                "expected_scale": link.expected_scale(),
                "model": "drawn once per simulated year: the chain's error shared by every link, each station's "
                         "own independent; a contact's pairs scale by 10^(-offset/10) summed over the links its "
                         "photons cross, QBER kept (valid while each station's noise clicks are rare beside its "
                         "signal, n << eta: docs/weather.md section 3)"},
            **weather.weather_and_link.distribution()}
    return out


def software_versions() -> dict[str, str]:
    """Versions of skyswap and the libraries whose numbers shape the results."""

    out = {}
    for name in ("skyswap", "numpy", "scipy", "astropy", "skyfield", "skyfield-data", "sgp4", "pydantic", "pandas", "pyarrow"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs) -> list[float | None]:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not ok.any():
        return [None for _ in qs]
    v, w = values[ok], weights[ok]
    order = np.argsort(v, kind="mergesort")
    v, w = v[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return [float(np.interp(q, cdf, v)) for q in qs]


def fidelity_stats(passes: pd.DataFrame) -> dict:
    """Fidelity of the delivered pairs: mean, median and 10/90 % quantiles weighted by heralded pairs."""
    f = passes["fidelity"].to_numpy(dtype=float)
    w = passes["heralded_pairs"].to_numpy(dtype=float)
    p10, median, p90 = _weighted_quantiles(f, w, (0.1, 0.5, 0.9))
    ok = np.isfinite(f) & (w > 0)
    mean = float(np.sum(f[ok] * w[ok]) / np.sum(w[ok])) if ok.any() else None
    return {"mean": mean, "median": median, "p10": p10, "p90": p90, "weighted_by": "heralded_pairs"}


def _numbers(df: pd.DataFrame, name: str) -> np.ndarray:
    """``df[name]`` as floats (non-numbers and a missing column: NaN)."""
    import pandas as pd

    if name not in df:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[name], errors="coerce").to_numpy(dtype=float)


#: Decimal places of the fidelity budget's residual (:func:`fidelity_budget`). [1]
RESIDUAL_RESOLUTION = 12


def fidelity_budget(passes: pd.DataFrame) -> dict | None:
    """Mean of each ``infidelity_*`` term and of the fidelity, weighted by heralded pairs.

    Passes with a finite fidelity count; their weight is ``heralded_pairs`` (when no pass heralded
    any pair but fidelities exist, all passes weigh the same). Returns ``None`` when no pass has a
    finite fidelity. ``residual`` is the part of the mean infidelity the itemised terms do not
    explain (cross terms), so that ``1 - sum(terms) + residual == mean fidelity`` to
    :data:`RESIDUAL_RESOLUTION` (a difference of numbers near one: below that it is rounding, and the
    last bit of a weight would show as a residual of 1e-16 where the terms explain everything).
    """
    fid = _numbers(passes, "fidelity")
    ok = np.isfinite(fid)
    if not ok.any():
        return None
    w = _numbers(passes, "heralded_pairs")[ok]
    w = np.where(np.isfinite(w) & (w > 0), w, 0.0)
    weighted = bool(w.sum() > 0)
    if not weighted:
        w = np.ones(ok.sum())
    w = w / w.max()  # relative weights: a denormal weight (5e-324) must not underflow the products
    mean_f = float(np.sum(w * fid[ok]) / w.sum())
    terms = []
    for term in BUDGET_TERMS:
        label = BUDGET_LABELS[term]
        x = _numbers(passes, f"infidelity_{term}")[ok]
        good = np.isfinite(x)
        if good.any() and w[good].sum() > 0:
            terms.append((label, float(np.sum(w[good] * x[good]) / w[good].sum())))
    residual = round(mean_f - (1.0 - sum(v for _, v in terms)), RESIDUAL_RESOLUTION) + 0.0  # + 0.0: no -0.0
    return {"terms": [[label, value] for label, value in terms], "mean_fidelity": mean_f, "residual": residual,
            "weighted": weighted, "passes": int(ok.sum())}


def _text(df: pd.DataFrame, name: str) -> np.ndarray:
    """``df[name]`` as text, missing values and a missing column as ``""``."""
    import pandas as pd

    if name not in df:
        return np.full(len(df), "", dtype=object)
    col = df[name]
    return np.array(["" if pd.isna(v) else str(v) for v in col], dtype=object)


def _weighted_mean(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(x * w) / np.sum(w))


def _leg_terms(passes: pd.DataFrame, rows: np.ndarray, leg: str, weights: np.ndarray) -> dict:
    """Each term's loss on one station leg over ``rows``, the windows weighted by ``weights``. [dB]"""
    return {t: _weighted_mean(_numbers(passes, loss_column(t, leg))[rows], weights[rows]) for t in LINK_TERMS}


def loss_budget(passes: pd.DataFrame) -> dict | None:
    """The link-loss budget by term (``summary.json`` ``loss_budget``): over the windows the plan
    served (every candidate window where none was), the mean of each term's loss over their
    samples — each window's ``loss_<term>_<leg>_db`` weighted by its samples — in total (both
    links of a pair together), per station pair (each station's leg) and per station (its own
    link); ``loss_total_db`` is the sum of the terms. ``median_window_loss_total_db``: the median
    of the same windows' ``loss_total_db``. None without a link. [dB]"""
    total = _numbers(passes, "loss_total_db")
    ok = np.isfinite(total)
    if not ok.any():
        return None
    served = ok & (_numbers(passes, "scheduled_s") > 0)
    use = served if served.any() else ok
    weights = np.maximum(_numbers(passes, "samples"), 0.0)
    weights = np.where(np.isfinite(weights), weights, 0.0)
    if weights[use].sum() <= 0:
        weights = np.ones(len(passes))
    legs = [leg for leg in LEGS if np.isfinite(_numbers(passes, loss_column(LINK_TERMS[0], leg))[use]).any()]
    per_leg = {leg: _leg_terms(passes, use, leg, weights) for leg in legs}
    both = {t: sum(per_leg[leg][t] for leg in legs) for t in LINK_TERMS}
    a, b = _text(passes, "station_a"), _text(passes, "station_b")
    by_pair = []
    if "b" in legs:
        for x, y in sorted({(x, y) for x, y, u in zip(a, b, use) if u and y}):
            rows = use & (a == x) & (b == y)
            ta, tb = _leg_terms(passes, rows, "a", weights), _leg_terms(passes, rows, "b", weights)
            by_pair.append({"station_a": x, "station_b": y, "windows": int(rows.sum()), "terms_a_db": ta,
                            "terms_b_db": tb, "loss_total_db": sum(ta.values()) + sum(tb.values())})
    by_station = []
    for name in sorted(set(a[use]) | set(b[use & (b != "")])):
        parts = [(leg, use & (side == name)) for leg, side in zip(LEGS, (a, b)) if leg in legs]
        rows_w = [(leg, rows) for leg, rows in parts if rows.any()]
        w_all = sum(weights[rows].sum() for _, rows in rows_w)
        terms = {t: float(sum(np.sum(_numbers(passes, loss_column(t, leg))[rows] * weights[rows]) for leg, rows in rows_w)
                          / w_all) for t in LINK_TERMS}
        by_station.append({"station": name, "windows": int(sum(rows.sum() for _, rows in rows_w)), "terms_db": terms,
                           "loss_total_db": sum(terms.values())})
    return {
        "over": "served windows" if served.any() else "candidate windows (none was served)",
        "aggregation": ("per term, the mean of its loss over the samples of those windows (each window's "
                        "loss_<term>_<leg>_db weighted by its samples); the terms add up to loss_total_db"),
        "windows": int(use.sum()),
        "terms_db": both,
        "loss_total_db": sum(both.values()),
        "median_window_loss_total_db": float(np.median(total[use])),
        "by_pair": by_pair,
        "by_station": by_station,
    }


def levers_section(stage, summary: dict) -> dict:
    """``summary.json`` ``levers`` from a :class:`mission.levers.LeverStage`: the plan's headline,
    each lever's, the searches, and the total loss of a served window at which a finite key
    appears (the median served window's ``loss_total_db`` less the key's link gain on each downlink). [dB]"""
    mode = find_mode(summary.get("mode"))
    downlinks = mode.downlinks if mode is not None else 0
    searches = dict(stage.searches)
    median = (summary.get("loss_budget") or {}).get("median_window_loss_total_db")
    gain = searches.get("link_gain_db_for_key")
    searches["loss_total_db_for_key"] = (median - downlinks * gain if gain is not None and median is not None
                                         else None)
    return {"baseline": stage.baseline, "levers": stage.rows, "not_applicable": stage.not_applicable,
            "searches": searches, "samples": stage.samples, "stride": stage.stride,
            "method": ("each lever changes one parameter and evaluates the channel and payload again on the samples "
                       "the plan's contacts delivered (same contacts, same SWaP schedule); every stride-th sample "
                       "of each contact stands for the others")}


def _group(rows: pd.DataFrame, keys: list[str], share: np.ndarray | None = None) -> list[dict]:
    """Totals of the schedule's rows per group: contacts, hours, BSM heralds, four-fold swaps, pairs,
    key, energy, and the pair-weighted median fidelity. ``share`` weights each row's additive totals
    (a station's half of a pair's contact)."""
    if rows.empty:
        return []
    rows = rows.assign(_share=1.0 if share is None else share)
    out = []
    for key, g in rows.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key))
        row["contacts"] = int(len(g))
        row["hours"] = float(g["duration_s"].sum() / 3600.0)
        for col, key in TOTAL_COLUMNS.items():
            if col in g:
                row[key] = float((g[col] * g["_share"]).sum())
        row["median_fidelity"] = fidelity_stats(g)["median"]
        out.append(row)
    return out


def _by_station(schedule: pd.DataFrame) -> list[dict]:
    """Per station: the contacts it took part in and its share of what they delivered (half of a
    pair's, all of a single station's), so that the stations add up to the totals."""
    import pandas as pd

    if schedule.empty:
        return []
    pair = schedule["station_b"] != ""
    half = np.where(pair, 0.5, 1.0)
    rows = pd.concat([schedule.assign(station=schedule["station_a"], _w=half),
                      schedule[pair].assign(station=schedule.loc[pair, "station_b"], _w=0.5)], ignore_index=True)
    return _group(rows, ["station"], rows["_w"].to_numpy())


def _by_pair(schedule: pd.DataFrame, passes: pd.DataFrame) -> list[dict]:
    """Per station pair: the schedule's totals beside what the pair wanted (its candidate windows'
    hours, and the heralded and expected pairs they would give if served whole, before SWaP
    limits): the contention it met."""
    pair_rows = schedule[schedule["station_b"] != ""] if len(schedule) else schedule
    served = {(r["station_a"], r["station_b"]): r for r in _group(pair_rows, ["station_a", "station_b"])}
    cand = passes[passes["station_b"] != ""] if len(passes) else passes
    out = []
    for (a, b), g in (cand.groupby(["station_a", "station_b"], sort=True) if len(cand) else []):
        row = served.get((a, b), {"station_a": a, "station_b": b, "contacts": 0, "hours": 0.0,
                                  **{k: 0.0 for k in TOTAL_COLUMNS.values()}, "median_fidelity": None})
        row["candidate_windows"] = int(len(g))
        row["hours_wanted"] = float(g["duration_s"].sum() / 3600.0)
        for col in ("heralded_pairs", "expected_heralded_pairs"):
            if f"{col}_if_served" in g:
                row[f"{col}_wanted"] = float(g[f"{col}_if_served"].sum())
        row["time_share"] = row["hours"] / row["hours_wanted"] if row["hours_wanted"] > 0 else None
        out.append(row)
    return out


def contact_plan_section(plan) -> dict:
    """The contact plan's policy, objective and how exactly each group of windows was solved."""
    methods: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for m, st in zip(plan.component_method, plan.component_status):
        methods[m] = methods.get(m, 0) + 1
        statuses[st] = statuses.get(st, 0) + 1
    gaps = np.asarray(plan.component_gap, float)
    return {
        "policy": plan.policy, "objective": plan.objective_name, "objective_value": plan.objective,
        "expected_heralded_pairs_before_swap_limits": plan.total_value, "worst_pair_share": plan.worst_share,
        "fair_bound": plan.fair_bound if np.isfinite(plan.fair_bound) else None,
        "groups_of_windows": int(len(plan.component_method)), "solved_by": methods, "solver_status": statuses,
        "largest_proven_gap": float(np.nanmax(gaps)) if np.any(np.isfinite(gaps)) else None,
    }


def combined_operations(totals: list) -> dict:
    """The satellites' SWaP totals as one ``operations`` section: sums of the energies, hours, runs,
    bytes and lost seconds; the extremes of the state of charge; each satellite's own under
    ``by_satellite`` when there are several."""
    parts = [t.as_summary() for t in totals]
    if len(parts) == 1:
        return parts[0]
    out: dict = {}
    for key, value in parts[0].items():
        if key == "seconds_lost":
            out[key] = {k: sum(p[key][k] for p in parts) for k in value}
        elif key == "soc_min":
            out[key] = min(p[key] for p in parts)
        elif key == "soc_max":
            out[key] = max(p[key] for p in parts)
        else:
            out[key] = sum(p[key] for p in parts)
    out["by_satellite"] = parts
    return out


#: The key settings of the tables (``bbm92_secret_key_bits(heralded / 2, qber)`` per contact).
KEY_EPSILON, KEY_EC_EFFICIENCY, SIFTED_PER_HERALDED = 1e-10, 1.19, 0.5


def closest_to_key(pairs: np.ndarray, qber: np.ndarray, ec_efficiency: float = KEY_EC_EFFICIENCY,
                   epsilon: float = KEY_EPSILON) -> tuple[int, float]:
    """The contact closest to a finite key, and the heralded pairs it would need (inf: none would do).

    Closest: the largest share ``pairs / needed`` of the pairs a finite-size block needs at the
    contact's QBER (:func:`payload.keyrate.bbm92_min_sifted_bits`, which grows with the QBER); where
    every QBER is at or above the threshold, the contact with the lowest QBER. Only contacts that no
    other beats in both pairs and QBER can be closest, so the root is found for those alone.
    ``pairs`` [1] and ``qber`` [1] per contact, finite and ``pairs > 0``; returns (index, needed [1]).
    """
    order = np.lexsort((qber, -pairs))  # most pairs first, the lower QBER first among equals
    front = order[qber[order] < np.minimum.accumulate(np.concatenate([[np.inf], qber[order][:-1]]))]
    needed = np.array([bbm92_min_sifted_bits(float(q), epsilon, ec_efficiency) for q in qber[front]]) / SIFTED_PER_HERALDED
    ratio = np.where(np.isfinite(needed), pairs[front] / np.where(np.isfinite(needed), needed, 1.0), -np.inf)
    best = int(np.argmax(ratio)) if np.isfinite(ratio).any() else int(np.argmin(qber[front]))
    return int(front[best]), float(needed[best])


def key_requirement(schedule: pd.DataFrame) -> dict:
    """Why the year has (or lacks) secret key: how many pairs one contact needs for a finite key.

    The key is one finite-size BBM92 block per contact (Tomamichel et al. 2012); a block shorter
    than :func:`payload.keyrate.bbm92_min_sifted_bits` at its QBER gives no key at all. Reported
    for the contact closest to a key (:func:`closest_to_key`): its heralded pairs, QBER, the pairs it
    would need at that QBER and how many it is short.
    """
    threshold = bbm92_qber_threshold(KEY_EC_EFFICIENCY)
    out = {
        "model": (f"BBM92, one finite-size block per contact (Tomamichel et al. 2012, eps_sec = eps_cor = "
                  f"{KEY_EPSILON:g}, f_EC = {KEY_EC_EFFICIENCY}); sifted pairs = heralded pairs x {SIFTED_PER_HERALDED}"),
        "qber_threshold": threshold,
        "contacts_with_key": int((schedule["secret_key_bits"] > 0).sum()) if len(schedule) else 0,
        "closest_contact_id": None, "closest_contact_heralded_pairs": None, "closest_contact_qber": None,
        "closest_contact_heralded_pairs_needed": None, "closest_contact_heralded_pairs_short": None,
        "why_no_key": None,
    }
    usable = (schedule[np.isfinite(schedule["qber"].to_numpy(dtype=float)) & (schedule["heralded_pairs"] > 0)]
              if len(schedule) else schedule)
    if len(usable):
        k, needed = closest_to_key(usable["heralded_pairs"].to_numpy(float), usable["qber"].to_numpy(float))
        best = usable.iloc[k]
        have = float(best["heralded_pairs"])
        out.update(closest_contact_id=str(best["contact_id"]), closest_contact_heralded_pairs=have,
                   closest_contact_qber=float(best["qber"]),
                   closest_contact_heralded_pairs_needed=needed if np.isfinite(needed) else None,
                   closest_contact_heralded_pairs_short=max(needed - have, 0.0) if np.isfinite(needed) else None)
    if out["contacts_with_key"] == 0:
        out["why_no_key"] = key_sentence(out)
    return out


def key_sentence(key: dict, number=sig) -> str:
    """Why there is no key, in words, from a ``secret_key`` section (:func:`key_requirement`);
    ``number`` formats the numbers (plain ASCII for ``summary.json``, typeset on pages)."""
    cid, qber = key.get("closest_contact_id"), key.get("closest_contact_qber")
    if cid is None:
        return "no contact delivers heralded pairs"
    if key.get("closest_contact_heralded_pairs_needed") is None:
        return (f"no contact's QBER is below the {number(key['qber_threshold'])} that a BBM92 key tolerates "
                f"(the lowest, {cid}'s, is {number(qber)})")
    return (f"a finite key needs at least {number(key['closest_contact_heralded_pairs_needed'])} heralded pairs in "
            f"one contact at that contact's QBER; the contact closest to a key, {cid} (QBER {number(qber)}), has "
            f"{number(key['closest_contact_heralded_pairs'])} heralded pairs, "
            f"{number(key['closest_contact_heralded_pairs_short'])} short")


def build_summary(name: str, scenario_hash: str, mode: str, satellites: list[str], orbit_infos: list,
                  passes: pd.DataFrame, schedule: pd.DataFrame, plan, operations: list, span: dict,
                  cloud_sources: dict | None = None, distribution: dict | None = None,
                  operating_rule: str | None = None) -> dict:
    """The content of ``summary.json``: every total is a sum of the schedule's rows.

    Parameters
    ----------
    name, scenario_hash, mode : str
        The scenario's name, content hash and payload mode.
    satellites : list of str
        Satellite names.
    orbit_infos : list of mission.orbits.sources.OrbitInfo
        Each satellite's orbit (``orbit`` is the first's, ``satellites`` lists all).
    passes : DataFrame
        The candidate windows (``passes.csv``).
    schedule : DataFrame
        The scheduled contacts (``schedule.csv``).
    plan : mission.contacts.plan.ContactPlan
        The contact plan (its policy and solver report).
    operations : list of payload.operations.OperationsTotals
        Each satellite's year totals of the SWaP scheduler (``operations`` is their sum).
    span : dict
        ``start_utc``, ``end_utc``, ``days``.
    cloud_sources : dict station -> groundstations.clouds.CloudSource, optional
        Where each station's cloud-free probabilities came from (listed under ``clouds``).
    distribution : dict, optional
        The year's totals as a distribution over the weather (:func:`distribution_section`).
    operating_rule : str, optional
        The SWaP scheduler's operating rule the runs used (``operations.operating_rule``).

    ``totals.operating_hours`` is the payload's time in the operating state over the whole span
    (the SWaP scheduler's, warm-up excluded; the same as ``operations.operating_hours``);
    ``schedule.csv``'s ``operating_s`` is the part of it inside each contact, and
    ``totals.operating_hours_in_contacts`` their sum.
    """
    totals = {"contacts": int(len(schedule)), "candidate_windows": int(len(passes)),
              "hours": float(schedule["duration_s"].sum() / 3600.0) if len(schedule) else 0.0,
              "hours_wanted": float(passes["duration_s"].sum() / 3600.0) if len(passes) else 0.0}
    for col, key in TOTAL_COLUMNS.items():
        totals[key] = float(schedule[col].sum()) if len(schedule) else 0.0
    ops = combined_operations(operations)
    # operating hours: one definition, the SWaP scheduler's time in the operating state over the whole
    # span (warm-up excluded), whatever the mode; the schedule's operating_s is the part in each contact
    totals["operating_hours"] = float(ops["operating_hours"])
    totals["operating_hours_in_contacts"] = float(schedule["operating_s"].sum() / 3600.0) if len(schedule) else 0.0
    # between two close contacts the payload stays on (their warm-up leads merge); in mode onboard it
    # operates whenever the budget allows, contacts or not
    ops["operating_hours_outside_contacts"] = ops["operating_hours"] - totals["operating_hours_in_contacts"]
    if operating_rule is not None:
        ops["operating_rule"] = operating_rule
    with_month = schedule.assign(month=schedule["start_utc"].str.slice(0, 7)) if len(schedule) else schedule
    return {
        "definitions": DEFINITIONS,
        "scenario": {"name": name, "hash": scenario_hash},
        "software": software_versions(),
        "span": span,
        "orbit": asdict(orbit_infos[0]),
        "satellites": [{"name": n, **asdict(info)} for n, info in zip(satellites, orbit_infos)],
        "mode": mode,
        "totals": totals,
        "secret_key": key_requirement(schedule),
        "contact_plan": contact_plan_section(plan),
        "fidelity": {**fidelity_stats(schedule), "budget": fidelity_budget(passes[passes["heralded_pairs"] > 0]
                                                                           if len(passes) else passes)},
        "loss_budget": loss_budget(passes),
        "monthly": _group(with_month, ["month"]),
        "by_station": _by_station(schedule),
        "by_pair": _by_pair(schedule, passes),
        "operations": ops,
        "revisit": gap_statistics(schedule, span, list(cloud_sources or {})),  # every station (cloud_sources' keys)
        "distribution": distribution,
        "clouds": [{"station": name, **asdict(src)} for name, src in (cloud_sources or {}).items()],
    }
