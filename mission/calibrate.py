"""`skyswap calibrate`: fit the chain constant shared by several stations' links, or one station's
own constant loss and air-mass term, to measured pass data.

The fits themselves are :func:`groundstations.calibration.fit_chain_loss` and
:func:`~groundstations.calibration.fit_station_loss` (scipy least squares); this module reads the
measured rows, computes the model loss of the same geometry with the scenario's link budget, and
formats the result and the scenario fragment.

Rows name their station (column ``station``, else ``--station``); a row with ``station_b`` (and
``elevation_b_deg``, ``range_b_km``, or a ``time_utc``) is a two-downlink measurement whose loss is
the sum of both links, as a dual-downlink experiment reports it. Rows of more than one station, a
two-downlink row or ``--chain`` ask for the *joint* fit: one constant per link shared by all (the
scenario's ``channel.chain_loss_db``), fitted against the bare physics. Otherwise the fit is the
station's own loss beyond the scenario's chain (its ``calibrated_loss_db``).
"""
from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from skyfield.api import EarthSatellite, wgs84

from ..groundstations import atmosphere
from ..groundstations.calibration import chain_fragment, fit_chain_loss, fit_station_loss, override_fragment
from ..groundstations.catalog import Station, UnknownStationError, get_station
from ..groundstations.channel_config import ChannelConfig
from ..payload.config import PayloadConfig
from . import channel
from .orbits import skydata
from .orbits.sources import build_orbit
from .scenario import reader
from .scenario.errors import InputError
from .scenario.schema import Scenario

#: Bounds of the numeric columns of a measured-loss CSV.
_BOUNDS = {"loss_db": (-10.0, 200.0), "range_km": (100.0, 50000.0), "elevation_deg": (0.0, 90.0),
           "range_b_km": (100.0, 50000.0), "elevation_b_deg": (0.0, 90.0), "sigma_db": (1e-6, 50.0)}
#: Rows of one measured-loss file (a year of 1 s samples of one pass set is far below this).
MAX_ROWS = 1_000_000


def read_measurements(path: Path) -> dict[str, list]:
    """Rows of a measured-loss CSV: ``loss_db``; ``range_km`` and ``elevation_deg``, or ``time_utc``;
    optionally ``sigma_db``, ``station``, and for two-downlink rows ``station_b`` with
    ``elevation_b_deg`` and ``range_b_km`` (or the row's ``time_utc``). One InputError naming the
    column and value on a bad cell."""

    text = reader.read_text(path, "MEASURED", "measured CSV")  # bounded, by type; a byte-order mark dropped
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    if ";" in first and "," not in first:
        raise InputError(f"{path.name}: line 1", first[:40], "columns are separated by ';' (a spreadsheet's export in "
                                                             "some locales): save it as comma-separated CSV (UTF-8)")
    rows = list(csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))
    if len(rows) > MAX_ROWS:
        raise InputError(f"{path.name}: rows", len(rows), f"more than {MAX_ROWS:,}")
    header = set(rows[0]) if rows else set()
    if "loss_db" not in header:
        raise InputError(f"{path.name}: column", "loss_db", "missing (columns: loss_db, range_km, elevation_deg or time_utc)")
    if "elevation_deg" not in header and "time_utc" not in header:
        raise InputError(f"{path.name}: column", "elevation_deg", "missing (give elevation_deg and range_km, or time_utc)")
    if "elevation_deg" in header and "range_km" not in header:
        raise InputError(f"{path.name}: column", "range_km", "missing (needed with elevation_deg)")
    if "station_b" in header and "elevation_deg" in header and not {"elevation_b_deg", "range_b_km"} <= header:
        raise InputError(f"{path.name}: column", "elevation_b_deg",
                         "missing (station_b rows need elevation_b_deg and range_b_km)")
    keys = ("loss_db", "range_km", "elevation_deg", "range_b_km", "elevation_b_deg", "sigma_db")
    out: dict[str, list] = {k: [] for k in (*keys, "time_utc", "station", "station_b")}
    numeric = [k for k in keys if k in header]
    for i, row in enumerate(rows, start=2):
        two = "station_b" in header and bool((row.get("station_b") or "").strip())
        for key in numeric:
            cell = (row.get(key) or "").strip()
            if key.endswith("_b_km") or key.endswith("_b_deg"):
                if not two:
                    out[key].append(np.nan)
                    continue
            try:
                value = float(cell)
            except ValueError:
                raise InputError(f"{path.name}: line {i}: {key}", cell, "is not a number") from None
            lo, hi = _BOUNDS[key]
            if not lo <= value <= hi:
                raise InputError(f"{path.name}: line {i}: {key}", value, f"must lie within [{lo:g}, {hi:g}]")
            out[key].append(value)
        if "time_utc" in header and "elevation_deg" not in header:
            out["time_utc"].append((row.get("time_utc") or "").strip())
        if "station" in header:
            out["station"].append((row.get("station") or "").strip())
        if "station_b" in header:
            out["station_b"].append((row.get("station_b") or "").strip())
    return {k: v for k, v in out.items() if v}


def geometry_from_times(times: list[str], station, sc: Scenario | None):
    """Elevation and range of the scenario's (first) satellite at the rows' UTC times. [deg], [km]"""
    if sc is None:
        raise InputError("--scenario", None, "rows given by time_utc need a scenario for the orbit")
    _, where, orbit = sc.satellites[0]
    satrec, _ = build_orbit(orbit, sc.span, where)
    stamps = []
    for i, cell in enumerate(times, start=2):
        try:
            stamp = datetime.fromisoformat(cell.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(f"line {i}: time_utc", cell, "is not an ISO 8601 time") from None
        stamps.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC))
    ts = skydata.timescale()
    sat = EarthSatellite.from_satrec(satrec, ts)
    site = wgs84.latlon(station.latitude_deg, station.longitude_deg, elevation_m=station.altitude_m)
    alt, _, dist = (sat - site).at(ts.from_datetimes(stamps)).altaz()
    elevation, range_km = np.atleast_1d(alt.degrees), np.atleast_1d(dist.km)
    if np.any(elevation <= 0.0):
        i = int(np.flatnonzero(elevation <= 0.0)[0])
        raise InputError(f"line {i + 2}: time_utc", times[i], "the satellite is below the horizon then")
    return elevation, range_km


def _station(name: str, sc: Scenario | None, field: str) -> Station:
    """A scenario station by name, else the catalog's; its own calibrated terms set to zero."""
    known = {s.name.casefold(): s for s in sc.stations} if sc is not None else {}
    st = known.get(name.strip().casefold())
    if st is None:
        try:
            st = get_station(name)
        except UnknownStationError as exc:
            where = "among --scenario's stations nor in the catalog" if sc is not None else "in the catalog"
            rest = str(exc).replace(f"unknown station {name!r}", "", 1).strip("; ()")
            raise InputError(field, name, f"unknown station: not {where} ({rest})") from None
    return replace(st, calibrated_loss_db=0.0, calibrated_airmass_loss_db=0.0)


def _geometry(rows: dict, names: list[str], stations: dict[str, Station], sc: Scenario | None, leg: str):
    """Elevation and range of one leg (``""`` or ``"_b"``) of every row, per row's station. [deg], [km]"""
    n = len(rows["loss_db"])
    if f"elevation{leg}_deg" in rows:
        return np.asarray(rows[f"elevation{leg}_deg"], float), np.asarray(rows[f"range{leg}_km"], float)
    elevation, range_km = np.full(n, np.nan), np.full(n, np.nan)
    for name in sorted(set(names) - {""}):
        sel = [i for i in range(n) if names[i] == name]
        e, r = geometry_from_times([rows["time_utc"][i] for i in sel], stations[name], sc)
        elevation[sel], range_km[sel] = e, r
    return elevation, range_km


def calibrate(measured: Path, station: str | None, sc: Scenario | None, fit_airmass: bool = True,
              chain: bool = False):
    """Fit the chain constant (joint) or ``station``'s own terms to the rows of ``measured``.

    Returns the one-line result, the residual table (CSV text) and the YAML fragment: a
    ``channel:`` fragment for the joint chain fit, a station override otherwise. The model is the
    scenario's link budget (or the defaults) with every station's own calibrated terms set to zero;
    for the joint fit the chain terms are zero too (the fit is against the bare physics), for a
    station's own fit the scenario's chain stays in (the station's loss beyond it is fitted).
    """
    rows = read_measurements(measured)
    n = len(rows["loss_db"])
    default = station.strip() if station else ""
    names = [s or default for s in rows.get("station", [default] * n)]
    names_b = rows.get("station_b", [""] * n)
    if any(not s for s in names):
        i = names.index("")
        raise InputError(f"{measured.name}: line {i + 2}: station", "", "missing (give --station or a station column)")
    stations = {name: _station(name, sc, "--station" if name == default else f"{measured.name}: station")
                for name in sorted(set(names) | set(names_b) - {""})}
    two = np.array([bool(s) for s in names_b])
    joint = chain or bool(two.any()) or len(set(names) | set(names_b) - {""}) > 1
    n_par = 2 if fit_airmass else 1
    if n < n_par:
        raise InputError(f"{measured.name}: rows", n, f"fewer than the {n_par} fitted parameters")
    payload = sc.payload if sc is not None else PayloadConfig()
    cfg = sc.channel if sc is not None else ChannelConfig()
    if joint:
        cfg = replace(cfg, chain_loss_db=0.0, chain_airmass_loss_db=0.0)  # fit against the bare physics
    wavelength = payload.source.wavelength_nm

    def leg_model(leg_names, elevation, range_km):
        loss, excess = np.zeros(n), np.zeros(n)
        for name in sorted(set(leg_names) - {""}):
            sel = np.array([s == name for s in leg_names])
            loss[sel] = channel.link_budget(elevation[sel], range_km[sel], stations[name], payload.transmitter,
                                            wavelength, cfg).loss_db
            excess[sel] = atmosphere.airmass_kastenyoung1989(elevation[sel]) - 1.0
        return loss, excess

    def finite(loss_db, elevation_deg, column, used):
        bad = np.flatnonzero(used & ~np.isfinite(loss_db))
        if bad.size:  # a row at the horizon: the model has no light there
            i = int(bad[0])
            raise InputError(f"{measured.name}: row {i + 1}: {column}", float(elevation_deg[i]),
                             "the link model has no finite loss there (no light reaches a station at the horizon): "
                             "drop the row or give elevations above 0")

    elevation, range_km = _geometry(rows, names, stations, sc, "")
    model, excess = leg_model(names, elevation, range_km)
    finite(model, elevation, "elevation_deg", np.ones(n, bool))
    if two.any():
        elevation_b, range_b = _geometry(rows, names_b, stations, sc, "_b")
        model_b, excess_b = leg_model(names_b, elevation_b, range_b)
        finite(model_b, elevation_b, "elevation_b_deg", two)
        model, excess = model + np.where(two, model_b, 0.0), excess + np.where(two, excess_b, 0.0)
    loss = np.asarray(rows["loss_db"])
    sigma = np.asarray(rows["sigma_db"]) if "sigma_db" in rows else None
    links = 1.0 + two
    try:
        if joint:
            fit = fit_chain_loss(loss, model, links, excess, sigma, fit_airmass=fit_airmass)
        else:
            fit = fit_station_loss(loss, model, excess + 1.0, sigma, fit_airmass=fit_airmass)
    except ValueError as exc:
        raise InputError(f"{measured.name}: rows", n, str(exc)) from None
    who = f"chain of {', '.join(stations)}" if joint else next(iter(stations))
    line = (f"{who}: {n} rows, constant {fit.constant_loss_db:.2f} ± {fit.constant_sigma_db:.2f} dB"
            f"{' per link' if joint else ''}, air-mass term {fit.airmass_loss_db:.2f} ± {fit.airmass_sigma_db:.2f} "
            f"dB per air mass (correlation {fit.correlation:.2f}), rms residual {fit.rms_db:.2f} dB")
    table = "station,links,elevation_deg,range_km,loss_db,model_db,residual_db\n" + "".join(
        f"{s}{'+' + sb if sb else ''},{k:.0f},{e:.2f},{r:.1f},{m:.2f},{mo:.2f},{res:.2f}\n"
        for s, sb, k, e, r, m, mo, res in zip(names, names_b, links, elevation, range_km, loss, model, fit.residuals_db))
    source = f"skyswap calibrate {measured.name} ({n} rows)"
    fragment = chain_fragment(fit, source) if joint else override_fragment(who, fit, source)
    return line, table, fragment
