"""A synthetic MissionResult for the report tests.

The numbers are made up but shaped like a real mission year (the columns and keys of
``skyswap.mission.outputs.result.MissionResult`` and the README's "What `skyswap plan` writes"):
three Chinese stations of the catalog (``groundstations/data/stations.json``), their three pairs, a few hundred
dual-downlink windows over 2027, a fidelity budget whose terms add up to about 1 - fidelity, monthly
and per-station / per-pair summaries aggregated from the pass table, a ground track of a circular
sun-synchronous-like orbit and per-sample detail for three chosen passes. The geometry here is a toy
(spherical Earth, circular orbit): it only has to look plausible on the page.

Variants for the degenerate cases: :func:`empty_result` (no passes), :func:`nan_fidelity_result`
(nothing heralded, fidelity NaN everywhere), and ``make_result(mode="single-downlink")`` or
``mode="onboard"`` (no ``*_b`` values, empty ``station_b``).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from skyswap.mission.channel import LINK_TERMS
from skyswap.mission.levers import LEVERS, step_text
from skyswap.mission.outputs.result import MissionResult
from skyswap.mission.outputs.summary import fidelity_budget, loss_budget

STATIONS = pd.DataFrame(
    {
        "name": ["Delingha", "Nanshan", "Xinglong"],
        "latitude_deg": [37.378969, 43.475461, 40.3959],
        "longitude_deg": [97.727003, 87.176686, 117.5775],
        "altitude_m": [3153.0, 2028.0, 900.0],
        "aperture_m": [1.2, 1.2, 1.0],
    }
)
PAIRS = [("Delingha", "Nanshan"), ("Delingha", "Xinglong"), ("Nanshan", "Xinglong")]
#: A station of the scenario that is in no pair and has no window: the rankings must still list it.
IDLE_STATION = {"name": "Graz", "latitude_deg": 47.0671, "longitude_deg": 15.4933, "altitude_m": 539.4,
                "aperture_m": 0.5}
INFIDELITY_TERMS = (
    "multi_pair", "hom_distinguishability", "source_imperfection", "background", "dark_counts", "polarisation",
)
# mean infidelity of each term, the fixture's "truth"
TERM_MEANS = (0.020, 0.030, 0.010, 0.006, 0.002, 0.012)

SCENARIO_YAML = """\
name: fixture-year
span: {start: '2027-01-01T00:00:00Z', days: 365}
orbit:
  sun_synchronous: {altitude_km: 500, ltan_h: 22.5, epoch: '2027-01-01T00:00:00Z'}
stations: [Delingha, Nanshan, Xinglong, Graz]
elevation_mask_deg: 20
night: {sun_elevation_max_deg: -12}
mode: dual-downlink
pairs: [[Delingha, Nanshan], [Delingha, Xinglong], [Nanshan, Xinglong]]
sample_step_s: 1
# a comment with markup that must be escaped: <script>alert("x")</script> & friends
"""

PASS_COLUMNS = [
    "pass_id", "mode", "station_a", "station_b", "start_utc", "culmination_utc", "end_utc", "duration_s",
    "max_elevation_a_deg", "max_elevation_b_deg", "min_range_a_km", "min_range_b_km", "sun_elevation_max_deg",
    "sunlit_fraction", "min_sample_loss_db", "loss_total_db", "bsm_heralds", "swaps_fourfold", "heralded_pairs",
    "fidelity", "qber", "chsh_s",
    "secret_key_bits", "cloud_free_probability", "expected_heralded_pairs", "energy_wh", "power_limited",
    "limited_by", "scheduled_s", "lost_to", "heralded_pairs_if_served", "expected_heralded_pairs_if_served",
    *[f"infidelity_{t}" for t in INFIDELITY_TERMS],
]


def _iso(t: pd.Series | pd.DatetimeIndex) -> list[str]:
    t = pd.DatetimeIndex(t)
    return [f"{x:%Y-%m-%dT%H:%M:%S}.{x.microsecond // 1000:03d}Z" for x in t]


def _range_km(elevation_deg, altitude_km=500.0):
    """Slant range on a spherical Earth (toy geometry for the fixture)."""
    r_e = 6371.0
    el = np.radians(elevation_deg)
    return np.sqrt((r_e + altitude_km) ** 2 - (r_e * np.cos(el)) ** 2) - r_e * np.sin(el)


def _passes(rng: np.random.Generator, mode: str, n_passes: int) -> pd.DataFrame:
    t0 = pd.Timestamp("2027-01-01T00:00:00Z")
    if mode == "dual-downlink":
        links = [PAIRS[i % 3] for i in range(n_passes)]
    else:
        links = [(STATIONS.name[i % 3], "") for i in range(n_passes)]
    start = t0 + pd.to_timedelta(np.sort(rng.uniform(0, 364.9, n_passes)), unit="D")
    start = start.floor("ms")
    duration_s = rng.uniform(60.0, 420.0, n_passes).round(3)
    end = start + pd.to_timedelta(duration_s, unit="s")
    culm = start + pd.to_timedelta(duration_s / 2, unit="s")
    el_a = rng.uniform(25.0, 88.0, n_passes)
    el_b = rng.uniform(25.0, 88.0, n_passes)
    loss = 35.0 + 20.0 * np.log10(_range_km(np.minimum(el_a, el_b)) / 500.0) + rng.normal(0.0, 1.0, n_passes)
    heralds = rng.poisson(150.0 * duration_s / 300.0).astype(float)
    heralded = np.floor(heralds * 10 ** (-(loss - 30.0) / 20.0) * 0.6)
    terms = np.column_stack([rng.gamma(4.0, m / 4.0, n_passes) for m in TERM_MEANS])
    fidelity = 1.0 - terms.sum(axis=1) - 0.001  # a small cross term the budget does not itemise
    fidelity = np.where(heralded > 0, fidelity, np.nan)
    cloud = rng.uniform(0.3, 0.9, n_passes)
    # summary tables keep 4 decimals of expected pairs: keep the fixture on that grid
    expected = np.round(heralded * cloud, 4)
    month_index = start.month.to_numpy()
    rows = {
        "pass_id": [f"{a}{'+' + b if b else ''}/{i + 1:04d}" for i, (a, b) in enumerate(links)],
        "mode": mode,
        "station_a": [a for a, _ in links],
        "station_b": [b for _, b in links],
        "start_utc": _iso(start),
        "culmination_utc": _iso(culm),
        "end_utc": _iso(end),
        "duration_s": duration_s,
        "max_elevation_a_deg": el_a.round(3),
        "max_elevation_b_deg": el_b.round(3) if mode == "dual-downlink" else np.nan,
        "min_range_a_km": _range_km(el_a).round(3),
        "min_range_b_km": _range_km(el_b).round(3) if mode == "dual-downlink" else np.nan,
        "sun_elevation_max_deg": rng.uniform(-40.0, -12.0, n_passes).round(3),
        "sunlit_fraction": rng.uniform(0.0, 1.0, n_passes).round(4),
        "min_sample_loss_db": (loss - rng.uniform(1.0, 4.0, n_passes)).round(3),
        "loss_total_db": loss.round(3),
        "bsm_heralds": heralds,
        "swaps_fourfold": heralded,
        "heralded_pairs": heralded,
        "fidelity": fidelity,
        "qber": (1.0 - fidelity) * 2.0 / 3.0,
        "chsh_s": 2.0 * np.sqrt(2.0) * (4.0 * fidelity - 1.0) / 3.0,
        "secret_key_bits": np.where(fidelity > 0.9, np.floor(heralded * 0.3), 0.0),
        "cloud_free_probability": cloud.round(4),
        "expected_heralded_pairs": expected,
        "energy_wh": (duration_s / 3600.0 * 45.0).round(4),
        "power_limited": (month_index == 6) & (rng.uniform(size=n_passes) < 0.2),
        "limited_by": "none",
        "scheduled_s": duration_s,
        "lost_to": "",
        "heralded_pairs_if_served": heralded,
        "expected_heralded_pairs_if_served": expected,
    }
    df = pd.DataFrame(rows)
    df.loc[df.power_limited, "limited_by"] = "power"
    df = df.assign(**_loss_terms(loss, mode))
    for k, term in enumerate(INFIDELITY_TERMS):
        df[f"infidelity_{term}"] = np.where(heralded > 0, terms[:, k], np.nan)
    return df[PASS_COLUMNS + [c for c in df.columns if c.startswith("loss_") and c != "loss_total_db"]]


#: Made-up shares of a link's loss by term (the fixture's "truth"), and a constant chain.
LOSS_SHARES = {"diffraction": 0.55, "pointing": 0.05, "rayleigh": 0.02, "aerosol": 0.06, "water_vapour": 0.02,
               "turbulence": 0.01, "onboard_optics": 0.06, "receiver_optics": 0.08, "detector": 0.15}


def _loss_terms(loss: np.ndarray, mode: str) -> dict:
    """``loss_<term>_<leg>_db`` columns adding up to ``loss`` (rounded as the planner rounds them)."""
    legs = ("a", "b") if mode == "dual-downlink" else ("a",)
    out = {}
    for leg in ("a", "b"):
        for term in LINK_TERMS:
            share = LOSS_SHARES.get(term, 0.0) / len(legs)
            out[f"loss_{term}_{leg}_db"] = (loss * share).round(3) if leg in legs else np.full(loss.shape, np.nan)
    total = sum(np.nan_to_num(v) for v in out.values())
    out["loss_chain_a_db"] = (out["loss_chain_a_db"] + (loss.round(3) - total)).round(3)  # the rest: the chain
    return out


def _median(x: pd.Series):
    x = x.dropna()
    return None if x.empty else round(float(x.median()), 6)


def _group_rows(df: pd.DataFrame) -> dict:
    return {
        "contacts": int(len(df)),
        "hours": round(float(df.duration_s.sum()) / 3600.0, 4),
        "heralded_pairs": float(df.heralded_pairs.sum()),
        "expected_heralded_pairs": round(float(df.expected_heralded_pairs.sum()), 4),
        "median_fidelity": _median(df.fidelity),
        "secret_key_bits": float(df.secret_key_bits.sum()),
    }


def summarise(name: str, digest: str, mode: str, passes: pd.DataFrame) -> dict:
    """The summary dict of the contract, aggregated from ``passes`` (display data only)."""
    fid = passes.fidelity.dropna()
    month = passes.start_utc.astype(str).str.slice(0, 7)
    monthly = []
    for m in [f"2027-{k:02d}" for k in range(1, 13)]:
        sub = passes[month == m]
        monthly.append({
            "month": m, "contacts": int(len(sub)), "hours": round(float(sub.duration_s.sum()) / 3600.0, 4),
            "bsm_heralds": float(sub.bsm_heralds.sum()), "swaps_fourfold": float(sub.swaps_fourfold.sum()),
            "heralded_pairs": float(sub.heralded_pairs.sum()),
            "expected_heralded_pairs": round(float(sub.expected_heralded_pairs.sum()), 4),
            "secret_key_bits": float(sub.secret_key_bits.sum()),
        })
    by_station = []
    for st in STATIONS.name:
        sub = passes[(passes.station_a == st) | (passes.station_b == st)]
        by_station.append({"station": st, **_group_rows(sub)})
    by_pair = []
    if mode == "dual-downlink":
        for a, b in PAIRS:
            sub = passes[(passes.station_a == a) & (passes.station_b == b)]
            row = {"station_a": a, "station_b": b, **_group_rows(sub), "candidate_windows": int(len(sub))}
            # the fixture's plan serves every window whole but the last pair's: it wants twice what it gets
            want = 2.0 if (a, b) == PAIRS[-1] else 1.0
            row.update(hours_wanted=row["hours"] * want, heralded_pairs_wanted=row["heralded_pairs"] * want,
                       expected_heralded_pairs_wanted=row["expected_heralded_pairs"] * want,
                       time_share=(1.0 / want) if len(sub) else None)
            by_pair.append(row)
    return {
        "scenario": {"name": name, "hash": digest},
        "software": {"skyswap": "0.1.0", "numpy": np.__version__, "pandas": pd.__version__, "skyfield": "1.49"},
        "span": {"start_utc": "2027-01-01T00:00:00Z", "end_utc": "2028-01-01T00:00:00Z", "days": 365},
        "orbit": {"source": "sun_synchronous", "semi_major_axis_km": 6871.0, "inclination_deg": 97.4,
                  "eccentricity": 0.0, "period_min": 94.47},
        "mode": mode,
        "totals": {
            "contacts": int(len(passes)), "candidate_windows": int(len(passes)),
            "hours": round(float(passes.duration_s.sum()) / 3600.0, 4),
            "hours_wanted": round(float(passes.duration_s.sum()) / 3600.0, 4),
            "bsm_heralds": float(passes.bsm_heralds.sum()), "swaps_fourfold": float(passes.swaps_fourfold.sum()),
            "heralded_pairs": float(passes.heralded_pairs.sum()),
            "expected_heralded_pairs": round(float(passes.expected_heralded_pairs.sum()), 4),
            "secret_key_bits": float(passes.secret_key_bits.sum()),
            "payload_energy_in_contacts_wh": round(float(passes.energy_wh.sum()), 4),
            "operating_hours": round(float(passes.duration_s.sum()) / 3600.0 + 0.5, 4),
            "operating_hours_in_contacts": round(float(passes.duration_s.sum()) / 3600.0, 4),
        },
        "fidelity": {
            "budget": fidelity_budget(passes),
            "mean": None if fid.empty else round(float(fid.mean()), 6),
            "median": _median(fid),
            "p10": None if fid.empty else round(float(fid.quantile(0.1)), 6),
            "p90": None if fid.empty else round(float(fid.quantile(0.9)), 6),
        },
        "monthly": monthly,
        "by_station": by_station,
        "by_pair": by_pair,
        "loss_budget": loss_budget(passes),
        "levers": made_up_levers(float(passes.heralded_pairs.sum()), float(passes.expected_heralded_pairs.sum())),
        "operations": {"operating_hours": round(float(passes.duration_s.sum()) / 3600.0 + 0.5, 4),
                       "operating_hours_outside_contacts": 0.5, "payload_energy_wh": 46991.0,
                       "seconds_lost": {"power": 1234.0, "thermal": 0.0, "storage": 56.5}},
        "contact_plan": {"policy": "max-pairs", "objective": "value",
                         "objective_value": round(float(passes.expected_heralded_pairs.sum()), 4),
                         "expected_heralded_pairs_before_swap_limits":
                             round(float(passes.expected_heralded_pairs.sum()) * 1.002, 4),
                         "worst_pair_share": 0.5, "fair_bound": None, "groups_of_windows": int(len(passes)),
                         "solved_by": {"single": int(len(passes))}, "solver_status": {"optimal": int(len(passes))},
                         "largest_proven_gap": 0.0},
        "distribution": distribution_of(monthly, by_station, by_pair),
    }


#: Made-up effect of each lever step on the expected pairs (the fixture's "truth").
LEVER_RATIOS = {("aperture", 0.5): 0.07, ("aperture", 2.0): 13.0, ("source_rate", 0.5): 0.5, ("source_rate", 2.0): 2.0,
                ("divergence", 2.0): 0.1, ("divergence", 0.5): 6.0, ("pointing", 2.0): 0.5, ("pointing", 0.5): 1.2,
                ("station_detectors", 0.5): 0.25, ("station_detectors", 2.0): 4.0,
                ("onboard_detectors", 0.5): 0.25, ("onboard_detectors", 2.0): 2.8, ("elevation_mask", 10.0): 0.49}


def made_up_levers(pairs: float, expected: float) -> dict:
    """A ``levers`` section shaped like the planner's (:func:`skyswap.mission.outputs.summary.levers_section`)."""
    rows = [{"lever": lv.name, "label": lv.label, "step": step, "change": step_text(lv, step),
             "heralded_pairs": pairs * LEVER_RATIOS[lv.name, step],
             "expected_heralded_pairs": expected * LEVER_RATIOS[lv.name, step], "secret_key_bits": 0.0,
             "ratio": LEVER_RATIOS[lv.name, step]} for lv in LEVERS for step in lv.steps]
    return {"baseline": {"heralded_pairs": pairs, "expected_heralded_pairs": expected, "secret_key_bits": 0.0},
            "levers": rows, "not_applicable": [], "samples": 8000, "stride": 3, "method": "made up",
            "searches": {"link_gain_db_for_tenfold_pairs": 5.2, "link_gain_db_for_key": 25.5,
                         "source_rate_factor_for_key": 1.4e5, "loss_total_db_for_key": 20.7, "notes": {}}}


def _spread(mean: float, low: float = 0.8, high: float = 1.25) -> dict:
    """A made-up spread around an expectation: P10 = ``low``, P50 = 1.0, P90 = ``high`` times it."""
    return {"mean": mean, "p10": low * mean, "p50": mean, "p90": high * mean}


def distribution_of(monthly: list[dict], by_station: list[dict], by_pair: list[dict]) -> dict:
    """A ``distribution`` section shaped like the planner's (made-up quantiles around the
    expectations; a station holds half of each pair contact, as the engine gives)."""
    total = sum(m["expected_heralded_pairs"] for m in monthly)
    pairs = {f"{r['station_a']}–{r['station_b']}": _spread(r["expected_heralded_pairs"]) for r in by_pair}
    stations = {r["station"]: _spread(r["expected_heralded_pairs"]) for r in by_station}
    heralded = {**_spread(total), "by_station": stations, "by_pair": pairs,
                "monthly": [{"month": k + 1, **_spread(m["expected_heralded_pairs"])} for k, m in enumerate(monthly)]}
    weather = {"heralded_pairs": heralded,
               "secret_key_bits": {**_spread(0.0), "by_station": {}, "by_pair": {}, "monthly": []},
               "passes_with_data": {**_spread(float(len(monthly))), "by_station": {}, "by_pair": {}, "monthly": []}}
    wider = {k: {**_spread(v["mean"], 0.5, 1.6), "by_station": {}, "by_pair": {}, "monthly": []}
             for k, v in weather.items()}  # the link's uncertainty widens the band
    return {"draws": 1000, "seed": 0, **weather,
            "weather_and_link": {"link_uncertainty": {"chain_loss_sigma_db": 0.308, "link_loss_sigma_db": 0.754,
                                                      "downlinks": 2}, **wider}}


def ground_track(n_orbits: float = 3.0, step_s: float = 30.0) -> pd.DataFrame:
    """Circular-orbit ground track (inclination 97.4 deg, period 94.47 min) on a rotating Earth."""
    t = np.arange(0.0, n_orbits * 94.47 * 60.0, step_s)
    inc = np.radians(97.4)
    u = 2.0 * np.pi * t / (94.47 * 60.0)
    lat = np.degrees(np.arcsin(np.sin(inc) * np.sin(u)))
    lon = np.degrees(np.arctan2(np.cos(inc) * np.sin(u), np.cos(u))) + 60.0 - 360.0 * t / 86164.1
    lon = (lon + 180.0) % 360.0 - 180.0
    time = pd.Timestamp("2027-01-01T00:00:00Z") + pd.to_timedelta(t, unit="s")
    return pd.DataFrame({"time_utc": _iso(time), "latitude_deg": lat.round(4), "longitude_deg": lon.round(4)})


def _detail(row: pd.Series, dual: bool, step_s: float = 5.0) -> pd.DataFrame:
    t = np.arange(0.0, row.duration_s, step_s)
    shape = np.clip(np.sin(np.pi * (t + 0.5 * step_s) / row.duration_s), 0.0, 1.0)
    el_a = 20.0 + (row.max_elevation_a_deg - 20.0) * shape
    start = pd.Timestamp(row.start_utc)
    out = {"time_utc": _iso(start + pd.to_timedelta(t, unit="s")), "elevation_a_deg": el_a,
           "range_a_km": _range_km(el_a)}
    out["loss_total_a_db"] = 17.0 + 20.0 * np.log10(out["range_a_km"] / 500.0) + 1.0 / np.sin(np.radians(el_a))
    if dual:
        el_b = 20.0 + (row.max_elevation_b_deg - 20.0) * shape[::-1] ** 0.8
        out.update(elevation_b_deg=el_b, range_b_km=_range_km(el_b),
                   loss_total_b_db=17.0 + 20.0 * np.log10(_range_km(el_b) / 500.0) + 1.0 / np.sin(np.radians(el_b)))
        total = out["loss_total_a_db"] + out["loss_total_b_db"]
    else:
        total = out["loss_total_a_db"]
    out["heralded_pair_rate_hz"] = 50.0 * 10 ** (-(total - 30.0) / 10.0)
    out["fidelity"] = np.full(t.size, row.fidelity) if np.isfinite(row.fidelity) else np.full(t.size, np.nan)
    return pd.DataFrame(out)


def schedule_of(passes: pd.DataFrame) -> pd.DataFrame:
    """One scheduled contact per pass, served whole (the fixture has no contention)."""
    cols = ["satellite", "station_a", "station_b", "start_utc", "end_utc", "duration_s", "pass_id", "bsm_heralds",
            "swaps_fourfold", "heralded_pairs", "fidelity", "qber", "secret_key_bits", "cloud_free_probability",
            "expected_heralded_pairs", "energy_wh", "limited_by"]
    df = passes.assign(satellite="sat1")[cols].copy()
    df.insert(0, "contact_id", [f"C{i + 1:05d}" for i in range(len(df))])
    df.insert(df.columns.get_loc("end_utc"), "delivering_from_utc", df["start_utc"])
    return df


def nights_of(stations: pd.DataFrame, days: int = 365) -> pd.DataFrame:
    """Made-up nights for the timeline: 19:00 to 05:00 local mean solar time at each station."""
    rows = []
    day0 = pd.Timestamp("2027-01-01T00:00:00Z")
    for name, lon in zip(stations["name"], stations["longitude_deg"]):
        offset = pd.Timedelta(hours=19.0 - float(lon) / 15.0)
        for d in range(-1, days):
            start = day0 + pd.Timedelta(days=d) + offset
            rows.append((name, max(start, day0), min(start + pd.Timedelta(hours=10), day0 + pd.Timedelta(days=days))))
    df = pd.DataFrame(rows, columns=["station", "start_utc", "end_utc"])
    df = df[df["end_utc"] > df["start_utc"]]
    return df.assign(start_utc=_iso(df["start_utc"]), end_utc=_iso(df["end_utc"])).reset_index(drop=True)


def make_result(mode: str = "dual-downlink", n_passes: int = 300, seed: int = 2027) -> MissionResult:
    """A realistic synthetic result: ``n_passes`` windows over 2027, three stations, three pairs."""
    rng = np.random.default_rng(seed)
    passes = _passes(rng, mode, n_passes)
    name = f"fixture-{mode}"
    digest = f"{seed:064x}"
    chosen = passes.sort_values(["heralded_pairs", "pass_id"], ascending=[False, True]).head(3)
    detail = {r.pass_id: _detail(r, mode == "dual-downlink") for r in chosen.itertuples()}
    return MissionResult(
        scenario_name=name, scenario_hash=digest, scenario_yaml=SCENARIO_YAML.replace("dual-downlink", mode),
        mode=mode, passes=passes, schedule=schedule_of(passes), summary=summarise(name, digest, mode, passes),
        samples=lambda pass_ids=None: pd.DataFrame(),
        stations=pd.concat([STATIONS, pd.DataFrame([IDLE_STATION])], ignore_index=True), ground_track=ground_track(),
        pass_detail=detail, nights=nights_of(STATIONS),
    )


def empty_result(mode: str = "dual-downlink") -> MissionResult:
    """No usable window in the span: empty pass table, zero totals, no detail."""
    res = make_result(mode, n_passes=0)
    return replace(res, pass_detail={})


def nan_fidelity_result() -> MissionResult:
    """Passes exist but nothing was heralded: fidelity and its budget NaN everywhere."""
    res = make_result("dual-downlink", n_passes=40, seed=5)
    p = res.passes.copy()
    p["heralded_pairs"] = 0.0
    p["expected_heralded_pairs"] = 0.0
    p["secret_key_bits"] = 0.0
    for c in ["fidelity", "qber", "chsh_s", *[f"infidelity_{t}" for t in INFIDELITY_TERMS]]:
        p[c] = np.nan
    detail = {k: v.assign(fidelity=np.nan, heralded_pair_rate_hz=0.0) for k, v in res.pass_detail.items()}
    return replace(res, passes=p, summary=summarise(res.scenario_name, res.scenario_hash, "dual-downlink", p),
                   pass_detail=detail)
