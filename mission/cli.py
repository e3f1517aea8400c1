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

from .scenario.errors import InputError

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
    from .scenario.schema import load_scenario

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
    from .orbits.sources import build_orbit

    sc = _load(scenario)
    infos = [build_orbit(orbit, sc.span, where)[1] for _, where, orbit in sc.satellites]
    info = infos[0]
    sats = f"{len(infos)} satellites, first " if len(infos) > 1 else ""
    print(f"ok: {sc.name}: {len(sc.stations)} stations, mode {sc.mode}, {len(sc.station_pairs)} pairs, "
          f"{sc.span.duration_s / 86400:g} days from {sc.span.start_utc:%Y-%m-%dT%H:%M:%SZ}, "
          f"{sats}orbit {info.source} (a = {info.semi_major_axis_km:.1f} km, i = {info.inclination_deg:.2f}°)")


@app.command()
@guarded
def schema():
    """Print the JSON Schema of scenario files."""
    from .scenario.schema import json_schema

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
    from . import planner
    from .outputs import export

    for path, opt in ((out, "--out"), (samples, "--samples")):
        if path is not None:
            _check_out_file(path, opt)
    sc = _load(scenario, days)
    result = planner.plan_passes(sc)
    table = export.csv_text(result.windows)
    if out is None:
        sys.stdout.write(table)
    else:
        from .outputs import atomic

        atomic.write_text(out, table)
    if samples is not None:
        from .outputs import atomic

        atomic.write_text(samples, export.csv_text(result.samples()))


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
    draws: Optional[int] = typer.Option(None, "--draws", min=0, max=100000,
                                        help="Simulated years of weather (default: the scenario's outputs.draws)."),
):
    """Plan the mission: passes, link, payload and SWaP; write tables, report and calendar."""
    from . import planner

    sc = _load(scenario, days)
    if draws is not None:
        sc = sc.model_copy(update={"outputs": sc.outputs.model_copy(update={"draws": draws})})
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
        from .outputs.headline import closing_line

        print(f"{closing_line(result.summary)} -> {out_dir}/ ({', '.join(p.name for p in written)})")


@app.command()
@guarded
def compare(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output directory (default out/<scenario name>-compare/)."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or table."),
    site: Optional[list[str]] = typer.Option(
        None, "--site", help="A candidate site NAME=LAT,LON[,ALT_M] (degrees, metres; repeatable)."),
    draws: Optional[int] = typer.Option(None, "--draws", min=1, max=100000,
                                        help="Simulated years of weather (default: the scenario's outputs.draws)."),
):
    """Rank the scenario's stations (and pairs for dual downlink) on the same orbit and payload."""
    from . import compare as comparison

    sc = comparison.with_sites(_load(scenario, days), list(site or []))
    out_dir = out if out is not None else Path("out") / f"{sc.name}-compare"
    _check_out_dir(out_dir)
    result = comparison.compare_sites(sc, draws)
    comparison.write(result, sc, out_dir)
    if not quiet:
        comparison.print_table(result)


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
    from . import calibrate as calibration

    if out is not None:
        _check_out_file(out, "--out")
    sc = _load(scenario) if scenario is not None else None
    fit, table, fragment = calibration.calibrate(measured, station, sc, fit_airmass=not no_airmass)
    print(fit)
    print(table, end="")
    if out is None:
        sys.stdout.write(fragment)
    else:
        from .outputs import atomic

        atomic.write_text(out, fragment)


def main() -> None:
    """The ``skyswap`` console script."""
    app()


if __name__ == "__main__":
    main()
