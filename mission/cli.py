"""The command line (a contract: see DESIGN.md "The command line").

Exit status: 0 success; 2 bad input (one line naming the field and the value); 1 an internal fault.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
import warnings
from functools import wraps
from pathlib import Path
from typing import Optional

import typer

from .errors import InputError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="skyswap: plan a satellite entanglement-distribution mission year.",
)


def _say(kind: str, text: str) -> None:
    print(f"skyswap: {kind}: {text}", file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    _say("warning", str(message).splitlines()[0] if str(message) else category.__name__)


def guarded(func):
    """Turn InputError into one line + exit 2, anything unexpected into one line + exit 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        warnings.showwarning = _show_warning
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except InputError as exc:
            _say("error", exc.line())
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            _say("error", "interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # an internal fault: one line, the traceback only on request
            if os.environ.get("SKYSWAP_DEBUG"):
                traceback.print_exc()
            _say("internal error", f"{type(exc).__name__}: {exc} (set SKYSWAP_DEBUG=1 for the traceback)")
            raise typer.Exit(1) from None

    return wrapper


def _load(path: Path, days: Optional[float] = None):
    from .scenario import load_scenario

    scenario = load_scenario(path)
    return scenario.with_days(days) if days is not None else scenario


def _check_out_file(path: Path, option: str) -> None:
    """An output file's directory must exist and be writable, and the path must not be a directory."""
    if path.is_dir():
        raise InputError(option, str(path), "is a directory, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(option, str(path), "its directory does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(option, str(path), "its directory is not writable")


@app.command()
@guarded
def validate(scenario: Path = typer.Argument(..., help="Scenario YAML file.")):
    """Check a scenario (schema, stations, orbit against the span) and print what is wrong."""
    from .orbit import build_orbit

    sc = _load(scenario)
    _, info = build_orbit(sc.orbit, sc.span)
    print(f"ok: {sc.name}: {len(sc.stations)} stations, mode {sc.mode}, {len(sc.station_pairs)} pairs, "
          f"{sc.span.duration_s / 86400:g} days from {sc.span.start_utc:%Y-%m-%dT%H:%M:%SZ}, "
          f"orbit {info.source} (a = {info.semi_major_axis_km:.1f} km, i = {info.inclination_deg:.2f}°)")


@app.command()
@guarded
def schema():
    """Print the JSON Schema of scenario files."""
    from .scenario import json_schema

    print(json.dumps(json_schema(), indent=2, sort_keys=True))


@app.command()
@guarded
def stations(as_json: bool = typer.Option(False, "--json", help="JSON instead of a table.")):
    """List the shipped ground-station catalog."""
    from dataclasses import asdict

    from ..groundstations.catalog import load_catalog
    from ..groundstations.clouds import load_climatology

    cat = load_catalog()
    clouds = load_climatology()
    if as_json:
        print(json.dumps([{**asdict(s), "cloud_climatology": asdict(clouds[s.name]) if s.name in clouds else None}
                          for s in cat.values()], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"skyswap station catalog ({len(cat)} stations)")
    for col in ("name", "lat [deg]", "lon [deg]", "alt [m]", "aperture [m]", "clear [1]", "source"):
        table.add_column(col)
    for s in cat.values():
        c = clouds.get(s.name)
        if c is None or c.monthly is None:
            clear = "unknown"
        else:
            lo, hi = min(c.monthly), max(c.monthly)
            clear = (f"{lo:.2f}" if lo == hi else f"{lo:.2f}–{hi:.2f}") + f" ({c.basis})"
        table.add_row(s.name, f"{s.latitude_deg:.4f}", f"{s.longitude_deg:.4f}", f"{s.altitude_m:.0f}",
                      f"{s.aperture_m:.2f}", clear, s.source)
    Console(width=200).print(table)


@app.command("passes")
@guarded
def passes_cmd(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the windows to this CSV file."),
    samples: Optional[Path] = typer.Option(None, "--samples", help="Write per-sample pointing to this CSV."),
):
    """Windows, geometry and link per station and pair."""
    from . import export, planner

    for path, opt in ((out, "--out"), (samples, "--samples")):
        if path is not None:
            _check_out_file(path, opt)
    sc = _load(scenario, days)
    result = planner.plan_passes(sc)
    table = export.csv_text(result.windows)
    if out is None:
        sys.stdout.write(table)
    else:
        from . import atomic

        atomic.write_text(out, table)
    if samples is not None:
        from . import atomic

        atomic.write_text(samples, export.csv_text(result.samples))


def _check_out_dir(path: Path, option: str = "--out") -> None:
    """An output directory may exist (and is then reused) but must not be a file or unwritable."""
    if path.exists() and not path.is_dir():
        raise InputError(option, str(path), "is a file, not a directory")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(option, str(path), f"cannot be created: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(option, str(path), f"is not writable ({existing})")


def _progress(quiet: bool):
    """A rich progress callback on a terminal; None when quiet or not a tty."""
    if quiet or not sys.stderr.isatty():
        return None
    from .progress import RichProgress

    return RichProgress()


@app.command()
@guarded
def plan(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output directory (default out/<scenario name>/)."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Local processes (time chunks)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
):
    """Plan the mission: passes, link, payload and SWaP; write tables, report and calendar."""
    from . import planner

    sc = _load(scenario, days)
    out_dir = out if out is not None else Path("out") / sc.name
    _check_out_dir(out_dir)
    progress = _progress(quiet)
    try:
        result = planner.plan(sc, workers=workers, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    written = result.write(out_dir)
    if not quiet:
        t = result.summary["totals"]
        print(f"{sc.name}: {t['passes']} passes, {t['swaps']:.4g} swaps, {t['heralded_pairs']:.4g} heralded pairs, "
              f"{t['secret_key_bits']:.4g} key bits -> {out_dir}/ ({', '.join(p.name for p in written)})")


@app.command()
@guarded
def compare(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output directory (default out/<scenario name>-compare/)."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or table."),
):
    """Rank the scenario's stations (and pairs for dual downlink) on the same orbit and payload."""
    from . import compare as comparison

    sc = _load(scenario, days)
    out_dir = out if out is not None else Path("out") / f"{sc.name}-compare"
    _check_out_dir(out_dir)
    ranking = comparison.rank_sites(sc)
    comparison.write(ranking, sc, out_dir)
    if not quiet:
        comparison.print_table(ranking)


@app.command()
@guarded
def sweep(
    sweep_file: Path = typer.Argument(..., metavar="SWEEP", help="Sweep YAML file."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output directory (default out/<sweep name>/)."),
    workers: int = typer.Option(2, "--workers", min=1, max=256, help="Workers of the local cluster (no --scheduler)."),
    quiet: bool = typer.Option(False, "--quiet"),
):
    """Parameter / constellation sweeps on Dask; results are one Parquet dataset."""
    from . import sweep as sweeping

    spec = sweeping.load_sweep(sweep_file)
    out_dir = out if out is not None else Path("out") / spec.name
    _check_out_dir(out_dir)
    result = sweeping.run_sweep(spec, scheduler=scheduler, local_workers=workers)
    sweeping.write(result, out_dir)
    if not quiet:
        print(f"{spec.name}: {len(result.points)} points, {len(result.passes)} pass rows -> {out_dir}/")



def _read_measurements(path: Path) -> dict[str, list]:
    """Rows of a measured-loss CSV: ``loss_db``, ``range_km`` and ``elevation_deg`` or ``time_utc``,
    optionally ``sigma_db``; one InputError naming the column and value on a bad cell."""
    import csv

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("MEASURED", str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("MEASURED", str(path), f"cannot be read: {exc}") from None
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


def _geometry_from_times(times: list[str], station, scenario_path: Optional[Path]):
    """Elevation and range of the scenario's satellite at the rows' UTC times."""
    from datetime import datetime, timezone

    import numpy as np
    from skyfield.api import EarthSatellite, wgs84

    from . import skydata
    from .orbit import build_orbit

    if scenario_path is None:
        raise InputError("--scenario", None, "rows given by time_utc need a scenario for the orbit")
    sc = _load(scenario_path)
    satrec, _ = build_orbit(sc.orbit, sc.span)
    stamps = []
    for i, cell in enumerate(times, start=2):
        try:
            stamp = datetime.fromisoformat(cell.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(f"line {i}: time_utc", cell, "is not an ISO 8601 time") from None
        stamps.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc))
    ts = skydata.timescale()
    sat = EarthSatellite.from_satrec(satrec, ts)
    site = wgs84.latlon(station.latitude_deg, station.longitude_deg, elevation_m=station.altitude_m)
    alt, _, dist = (sat - site).at(ts.from_datetimes(stamps)).altaz()
    elevation, range_km = np.atleast_1d(alt.degrees), np.atleast_1d(dist.km)
    if np.any(elevation <= 0.0):
        i = int(np.flatnonzero(elevation <= 0.0)[0])
        raise InputError(f"line {i + 2}: time_utc", times[i], "the satellite is below the horizon then")
    return elevation, range_km


@app.command()
@guarded
def calibrate(
    measured: Path = typer.Argument(..., metavar="MEASURED.csv",
                                    help="Measured loss: loss_db, range_km and elevation_deg (or time_utc), optional sigma_db."),
    station: str = typer.Option(..., "--station", help="Station (catalog name, or one of --scenario's stations)."),
    scenario: Optional[Path] = typer.Option(None, "--scenario", help="Scenario for the payload, channel and orbit."),
    no_airmass: bool = typer.Option(False, "--no-airmass", help="Fit the constant only."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the station-override YAML fragment here."),
):
    """Fit a station's constant loss and air-mass term to measured pass data (least squares)."""
    import numpy as np

    from ..groundstations import atmosphere
    from ..groundstations.calibration import fit_station_loss, override_fragment
    from ..groundstations.catalog import UnknownStationError, get_station
    from ..groundstations.channel_config import ChannelConfig
    from ..payload.config import PayloadConfig
    from . import channel

    if out is not None:
        _check_out_file(out, "--out")
    sc = _load(scenario) if scenario is not None else None
    known = {s.name.casefold(): s for s in sc.stations} if sc is not None else {}
    st = known.get(station.strip().casefold())
    if st is None:
        try:
            st = get_station(station)
        except UnknownStationError as exc:
            raise InputError("--station", station, str(exc).split(": ", 1)[-1]) from None
    from dataclasses import replace

    st = replace(st, calibrated_loss_db=0.0, calibrated_airmass_loss_db=0.0)  # fit against the bare physics
    rows = _read_measurements(measured)
    if "elevation_deg" in rows:
        elevation, range_km = np.asarray(rows["elevation_deg"]), np.asarray(rows["range_km"])
    else:
        elevation, range_km = _geometry_from_times(rows["time_utc"], st, scenario)
    loss = np.asarray(rows["loss_db"])
    n_par = 1 if no_airmass else 2
    if loss.size < n_par:
        raise InputError(f"{measured.name}: rows", loss.size, f"fewer than the {n_par} fitted parameters")
    payload = sc.payload if sc is not None else PayloadConfig()
    cfg = sc.channel if sc is not None else ChannelConfig()
    model = channel.link_budget(elevation, range_km, st, payload.transmitter, payload.source.wavelength_nm, cfg).loss_db
    airmass = atmosphere.airmass_kastenyoung1989(elevation)
    sigma = np.asarray(rows["sigma_db"]) if "sigma_db" in rows else None
    try:
        fit = fit_station_loss(loss, model, airmass, sigma, fit_airmass=not no_airmass)
    except ValueError as exc:
        raise InputError(f"{measured.name}: rows", loss.size, str(exc)) from None
    print(f"{st.name}: {loss.size} rows, constant {fit.constant_loss_db:.2f} ± {fit.constant_sigma_db:.2f} dB, "
          f"air-mass term {fit.airmass_loss_db:.2f} ± {fit.airmass_sigma_db:.2f} dB per air mass "
          f"(correlation {fit.correlation:.2f}), rms residual {fit.rms_db:.2f} dB")
    print("elevation_deg,range_km,loss_db,model_db,residual_db")
    for e, r, m, mo, res in zip(elevation, range_km, loss, model, fit.residuals_db):
        print(f"{e:.2f},{r:.1f},{m:.2f},{mo:.2f},{res:.2f}")
    fragment = override_fragment(st.name, fit, f"skyswap calibrate {measured.name} ({loss.size} rows)")
    if out is None:
        sys.stdout.write(fragment)
    else:
        from . import atomic

        atomic.write_text(out, fragment)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
