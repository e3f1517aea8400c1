"""`skyswap calibrate`: fit a station's constant loss and air-mass term to measured pass data.

The fit itself is :func:`groundstations.calibration.fit_station_loss` (scipy least squares); this
module reads the measured rows, computes the bare model loss of the same geometry with the
scenario's link budget, and formats the result and the station-override fragment.
"""
from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from skyfield.api import EarthSatellite, wgs84

from ..groundstations import atmosphere
from ..groundstations.calibration import fit_station_loss, override_fragment
from ..groundstations.catalog import UnknownStationError, get_station
from ..groundstations.channel_config import ChannelConfig
from ..payload.config import PayloadConfig
from . import channel
from .orbits import skydata
from .orbits.sources import build_orbit
from .scenario import reader
from .scenario.errors import InputError
from .scenario.schema import Scenario


def read_measurements(path: Path) -> dict[str, list]:
    """Rows of a measured-loss CSV: ``loss_db``, ``range_km`` and ``elevation_deg`` or ``time_utc``,
    optionally ``sigma_db``; one InputError naming the column and value on a bad cell."""

    text = reader.read_text(path, "MEASURED", "measured CSV")  # bounded, by type; a byte-order mark dropped
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    if ";" in first and "," not in first:
        raise InputError(f"{path.name}: line 1", first[:40], "columns are separated by ';' (a spreadsheet's export in "
                                                             "some locales): save it as comma-separated CSV (UTF-8)")
    rows = list(csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))
    header = set(rows[0]) if rows else set()
    if "loss_db" not in header:
        raise InputError(f"{path.name}: column", "loss_db", "missing (columns: loss_db, range_km, elevation_deg or time_utc)")
    if "elevation_deg" not in header and "time_utc" not in header:
        raise InputError(f"{path.name}: column", "elevation_deg", "missing (give elevation_deg and range_km, or time_utc)")
    if "elevation_deg" in header and "range_km" not in header:
        raise InputError(f"{path.name}: column", "range_km", "missing (needed with elevation_deg)")
    out: dict[str, list] = {k: [] for k in ("loss_db", "range_km", "elevation_deg", "sigma_db", "time_utc")}
    numeric = [k for k in ("loss_db", "range_km", "elevation_deg", "sigma_db") if k in header]
    bounds = {"loss_db": (-10.0, 200.0), "range_km": (100.0, 50000.0), "elevation_deg": (0.0, 90.0), "sigma_db": (1e-6, 50.0)}
    for i, row in enumerate(rows, start=2):
        for key in numeric:
            cell = (row.get(key) or "").strip()
            try:
                value = float(cell)
            except ValueError:
                raise InputError(f"{path.name}: line {i}: {key}", cell, "is not a number") from None
            lo, hi = bounds[key]
            if not lo <= value <= hi:
                raise InputError(f"{path.name}: line {i}: {key}", value, f"must lie within [{lo:g}, {hi:g}]")
            out[key].append(value)
        if "time_utc" in header and "elevation_deg" not in header:
            out["time_utc"].append((row.get("time_utc") or "").strip())
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


def calibrate(measured: Path, station: str, sc: Scenario | None, fit_airmass: bool = True):
    """Fit ``station``'s constant loss (and air-mass term) to the rows of ``measured``.

    Returns the one-line result, the residual table (CSV text) and the station-override YAML
    fragment. The model is the scenario's link budget (or the defaults) with the station's
    calibration constants set to zero, so the fit is against the bare physics.
    """
    known = {s.name.casefold(): s for s in sc.stations} if sc is not None else {}
    st = known.get(station.strip().casefold())
    if st is None:
        try:
            st = get_station(station)
        except UnknownStationError as exc:
            where = "among --scenario's stations nor in the catalog" if sc is not None else "in the catalog"
            rest = str(exc).replace(f"unknown station {station!r}", "", 1).strip("; ()")
            raise InputError("--station", station, f"unknown station: not {where} ({rest})") from None
    st = replace(st, calibrated_loss_db=0.0, calibrated_airmass_loss_db=0.0)  # fit against the bare physics
    rows = read_measurements(measured)
    if "elevation_deg" in rows:
        elevation, range_km = np.asarray(rows["elevation_deg"]), np.asarray(rows["range_km"])
    else:
        elevation, range_km = geometry_from_times(rows["time_utc"], st, sc)
    loss = np.asarray(rows["loss_db"])
    n_par = 2 if fit_airmass else 1
    if loss.size < n_par:
        raise InputError(f"{measured.name}: rows", loss.size, f"fewer than the {n_par} fitted parameters")
    payload = sc.payload if sc is not None else PayloadConfig()
    cfg = sc.channel if sc is not None else ChannelConfig()
    model = channel.link_budget(elevation, range_km, st, payload.transmitter, payload.source.wavelength_nm, cfg).loss_db
    if not np.all(np.isfinite(model)):
        i = int(np.flatnonzero(~np.isfinite(model))[0])
        raise InputError(f"{measured.name}: row {i + 1}: elevation_deg", float(elevation[i]),
                         "the link model has no finite loss there (no light reaches a station at the horizon): "
                         "drop the row or give elevations above 0")
    airmass = atmosphere.airmass_kastenyoung1989(elevation)
    sigma = np.asarray(rows["sigma_db"]) if "sigma_db" in rows else None
    try:
        fit = fit_station_loss(loss, model, airmass, sigma, fit_airmass=fit_airmass)
    except ValueError as exc:
        raise InputError(f"{measured.name}: rows", loss.size, str(exc)) from None
    line = (f"{st.name}: {loss.size} rows, constant {fit.constant_loss_db:.2f} ± {fit.constant_sigma_db:.2f} dB, "
            f"air-mass term {fit.airmass_loss_db:.2f} ± {fit.airmass_sigma_db:.2f} dB per air mass "
            f"(correlation {fit.correlation:.2f}), rms residual {fit.rms_db:.2f} dB")
    table = "elevation_deg,range_km,loss_db,model_db,residual_db\n" + "".join(
        f"{e:.2f},{r:.1f},{m:.2f},{mo:.2f},{res:.2f}\n"
        for e, r, m, mo, res in zip(elevation, range_km, loss, model, fit.residuals_db))
    return line, table, override_fragment(st.name, fit, f"skyswap calibrate {measured.name} ({loss.size} rows)")
