"""The best network of N stations for the weather's P10: greedy over the top cells and the catalog.

Candidates are the map's top cells (by P10) and the catalog stations it evaluated. Their windows
are drawn together over the same simulated weather years (:func:`groundstations.year_draws.simulate_year`:
clouds persistent from night to night and correlated between nearby sites, so two neighbours add
less than two distant sites). A network's year counts, per draw, the heralded pairs of its
stations' clear windows with one downlink telescope: windows that overlap in time are
alternatives, the best clear one served (:func:`groundstations.year_draws.serve_alternatives`).
The greedy step adds the candidate that raises the network's P10 most (ties: the larger P50, then
the earlier candidate), and each row says what that station added.
"""
from __future__ import annotations

import numpy as np

from ...groundstations.year_draws import overlap_groups, serve_alternatives, simulate_year
from ...groundstations.year_sums import quantile_summary
from ..weather import clear_sky as clouds
from ..weather.draws import DrawnContacts, weather_model, year_inputs


def greedy_network(scenario, shared, sites: list, windows: list, partners: list, n_stations: int,
                   draws: int) -> list[dict]:
    """The greedy network (see the module docstring).

    Parameters
    ----------
    sites : list of (label, Station)
        The candidates.
    windows : list of dict
        Each candidate's windows: ``start_s``, ``end_s`` [s], ``pairs``, ``qber`` [1] and
        ``partner`` (an index into ``partners``, −1: single downlink).
    partners : list of Station
        Partner stations of dual-downlink windows.
    n_stations : int
        Stations to choose.
    draws : int
        Simulated years.

    Returns
    -------
    list of dict
        One row per added station: ``station``, ``latitude_deg``, ``longitude_deg``, and the
        network's mean/P10/P50/P90 and ``added_p10``/``added_p50``. [1]
    """
    stations = [st for _, st in sites] + list(partners)
    n_sites = len(sites)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("a", "b", "start_s", "end_s", "pairs", "qber")}
    for i, w in enumerate(windows):
        n = len(w["start_s"])
        parts["a"].append(np.full(n, i))
        parts["b"].append(np.full(n, n_sites + w["partner"] if w["partner"] >= 0 else -1))
        for k in ("start_s", "end_s", "pairs", "qber"):
            parts[k].append(np.asarray(w[k], float))
    cat = {k: np.concatenate(v) if v else np.empty(0) for k, v in parts.items()}
    a, b = cat["a"].astype(int), cat["b"].astype(int)
    start, end, pairs, qber = cat["start_s"], cat["end_s"], cat["pairs"], cat["qber"]
    if not start.size or draws <= 0:
        return []
    cloud_monthly, _ = clouds.cloud_tables(stations, scenario.channel)
    model = weather_model(scenario.outputs, scenario.channel, draws)
    years = simulate_year(**year_inputs(model, shared.t0, shared.span_s, stations, cloud_monthly,
                                        scenario.channel.cloud_free_probability, DrawnContacts(a, b, start, end, pairs, qber)))
    delivered = years.delivered
    span = np.column_stack([start, end])
    chosen: list[int] = []
    rows, prev = [], None
    for _ in range(min(n_stations, n_sites)):
        best = None
        for c in range(n_sites):
            if c in chosen:
                continue
            sel = np.flatnonzero(np.isin(a, chosen + [c]))
            served = serve_alternatives(delivered[:, sel], overlap_groups(span[sel]), pairs[sel])
            q = quantile_summary(served @ pairs[sel])
            key = (q["p10"], q["p50"], -c)
            if best is None or key > best[0]:
                best = (key, c, q)
        if best is None:
            break
        _, c, q = best
        chosen.append(c)
        label, st = sites[c]
        rows.append({"station": label, "latitude_deg": st.latitude_deg, "longitude_deg": st.longitude_deg, **q,
                     "added_p10": q["p10"] - (prev["p10"] if prev else 0.0),
                     "added_p50": q["p50"] - (prev["p50"] if prev else 0.0)})
        prev = q
    return rows
