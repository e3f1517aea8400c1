"""The commands of the command line (``skyswap plan``, ``passes``, ...): options, and what each
prints and writes. The entry point, its signal handling and exit statuses are :mod:`.cli`; how a
run ends as one line and a status, :mod:`.guard`; the output paths, :mod:`.outpaths`.

Every module beyond the command-line toolkit is imported inside the command that needs it, so
that ``validate``, ``stations``, ``schema`` and ``passes`` do not load plotly, scipy or Dask.
"""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .guard import OneLineGroup, guarded
from .outpaths import check_out_dir, check_out_file, out_folder, write_file, write_into, wrote

app = typer.Typer(
    cls=OneLineGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags without a '<bool>' type, units such as [deg] kept
    help="skyswap: plan a satellite entanglement-distribution mission year.",
)


def version_text() -> str:
    """``skyswap <version>`` (the installed distribution's)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"skyswap {version('skyswap')}"
    except PackageNotFoundError:  # pragma: no cover - only when not installed
        return "skyswap (not installed)"


def _version(value: bool) -> None:
    if value:
        print(version_text())
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")):
    """skyswap: plan a satellite entanglement-distribution mission year."""


def _load(path: Path, days: Optional[float] = None):
    from .scenario.loading import load_scenario

    scenario = load_scenario(path)
    return scenario.with_days(days) if days is not None else scenario


def _progress(quiet: bool, unit: str | None = None):
    """A rich progress callback on a terminal (counting ``unit``s, with their throughput, when
    given); None when quiet or not a tty."""
    if quiet or not sys.stderr.isatty():
        return None
    from .progress import RichProgress

    return RichProgress(unit)


@contextlib.contextmanager
def _progress_bar(quiet: bool, unit: str | None = None):
    progress = _progress(quiet, unit)
    try:
        yield progress
    finally:
        if progress is not None:
            progress.close()


# -------------------------------------------------------------------------------------- commands

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
    from .scenario.loading import json_schema

    print(json.dumps(json_schema(), indent=2, sort_keys=True))


@app.command()
@guarded
def stations(as_json: bool = typer.Option(False, "--json", help="JSON instead of a table.")):
    """List the shipped ground-station catalog, with the clear-sky probability plan would use."""
    from .stations import catalog_rows, print_catalog

    rows = catalog_rows()
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    print_catalog(rows)


@app.command("passes")
@guarded
def passes_cmd(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the windows to this CSV file (default: stdout)."),
    samples: Optional[Path] = typer.Option(None, "--samples", help="Write per-sample pointing to this CSV."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar, no closing line."),
):
    """Windows, geometry and link per station and pair."""
    from . import planner
    from .outputs import export
    from .parallel import default_threads

    for path, opt in ((out, "--out"), (samples, "--samples")):
        if path is not None:
            check_out_file(path, opt)
    sc = _load(scenario, days)
    with _progress_bar(quiet) as progress:
        result = planner.plan_passes(sc, progress=progress, workers=default_threads(1))  # a process per core
    table = export.csv_text(result.rows)
    written = []
    if out is None:
        sys.stdout.write(table)
    else:
        write_file(out, "--out", table)
        written.append(out)
    if samples is not None:
        write_file(samples, "--samples", export.csv_text(result.samples()))
        written.append(samples)
    if out is not None and not quiet:  # (with the table on stdout, a closing line would join the CSV)
        print(f"{sc.name}: {len(result):,} candidate windows -> {', '.join(str(p) for p in written)}")


@app.command()
@guarded
def plan(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    out: Optional[str] = typer.Option(None, "--out", help="Output directory (default out/<scenario name>/)."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Local processes (time chunks)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar, no closing line."),
    draws: Optional[int] = typer.Option(None, "--draws", min=0, max=100000,
                                        help="Simulated years of weather and link uncertainty (default: outputs.draws)."),
):
    """Plan the mission: passes, link, payload and SWaP; write tables, report and calendar."""
    from . import planner

    sc = _load(scenario, days)
    if draws is not None:
        sc = sc.model_copy(update={"outputs": sc.outputs.model_copy(update={"draws": draws})})
    out_dir = out_folder(out, sc.name)
    check_out_dir(out_dir)
    with _progress_bar(quiet) as progress:
        result = planner.plan(sc, workers=workers, progress=progress)
    written = write_into(result.write, out_dir)
    if not quiet:
        from .outputs.headline import closing_line

        print(f"{closing_line(result.summary)} -> {out_dir}/ ({', '.join(p.name for p in written)})")


@app.command()
@guarded
def compare(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    out: Optional[str] = typer.Option(None, "--out", help="Output directory (default out/<scenario name>-compare/)."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar, verdict, table or closing line."),
    site: Optional[list[str]] = typer.Option(
        None, "--site", help="A candidate site NAME=LAT,LON[,ALT_M] (degrees, metres; repeatable)."),
    draws: Optional[int] = typer.Option(None, "--draws", min=1, max=100000,
                                        help="Simulated years of weather and link uncertainty (default: outputs.draws)."),
    equal_aperture: bool = typer.Option(False, "--equal-aperture",
                                        help="Give every station the same aperture (the median of the scenario's): "
                                             "rank sites, not telescopes."),
):
    """Rank the scenario's stations (and pairs for dual downlink) on the same orbit and payload, and
    say which to choose and how sure."""
    from . import compare as comparison

    sc = comparison.with_sites(_load(scenario, days), list(site or []))
    out_dir = out_folder(out, f"{sc.name}-compare")
    check_out_dir(out_dir)
    with _progress_bar(quiet) as progress:
        result = comparison.compare_sites(sc, draws, progress=progress, equal_aperture=equal_aperture)
    written = write_into(lambda d: comparison.write(result, sc, d), out_dir)
    if not quiet:
        comparison.print_table(result)
        print(f"{sc.name}: {len(result.ranking):,} stations and pairs ranked -> {wrote(written)}")


@app.command()
@guarded
def sweep(
    sweep_file: Path = typer.Argument(..., metavar="SWEEP", help="Sweep YAML file."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786)."),
    out: Optional[str] = typer.Option(None, "--out", help="Output directory (default out/<sweep name>/)."),
    workers: int = typer.Option(2, "--workers", min=1, max=256, help="Workers of the local cluster (no --scheduler)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar, table or closing line."),
):
    """Parameter / constellation sweeps on Dask; results are one Parquet dataset, a table of points and a page."""
    from . import cluster
    from . import sweep as sweeping

    if scheduler is not None:
        cluster.parse_scheduler(scheduler)  # a malformed address is refused before any work
    spec = sweeping.load_sweep(sweep_file)
    out_dir = out_folder(out, spec.name)
    check_out_dir(out_dir)
    with _progress_bar(quiet, "points") as progress:
        result = sweeping.run_sweep(spec, scheduler=scheduler, local_workers=workers, progress=progress)
    written = write_into(lambda d: sweeping.write(result, d, spec.name), out_dir)
    if not quiet:
        sweeping.print_table(result)
        print(f"{spec.name}: {len(result.points)} points, {int(result.points['candidate_windows'].sum()):,} candidate windows "
              f"-> {wrote(written)}")


@app.command("map")
@guarded
def map_cmd(
    scenario: Path = typer.Argument(..., help="Scenario YAML file (its orbit, payload and candidate: station template)."),
    resolution: float = typer.Option(2.0, "--resolution", help="Cell size in degrees (0.25 to 10)."),
    region: Optional[str] = typer.Option(None, "--region", help="LAT0,LAT1,LON0,LON1 in degrees (default: the globe)."),
    partner: Optional[str] = typer.Option(
        None, "--partner", help="Dual downlink with this station (catalog or scenario name), or 'best' (the best "
                                "catalog station within reach); default: the candidate section's, else single downlink."),
    days: Optional[float] = typer.Option(None, "--days", help="Shorten the span to N days."),
    out: Optional[str] = typer.Option(None, "--out", help="Output directory (default out/<scenario name>-map/)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or closing line."),
    workers: int = typer.Option(2, "--workers", min=1, max=256, help="Workers of the local Dask cluster (no --scheduler)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786)."),
    draws: Optional[int] = typer.Option(None, "--draws", min=0, max=100000,
                                        help="Simulated years of weather per cell (default: the scenario's outputs.draws)."),
):
    """Global site suitability: the candidate station on every land cell of a grid, on Dask."""
    from .cluster import parse_scheduler
    from .sitemap import mapfiles as map_outputs
    from .sitemap.assemble import build_result
    from .sitemap.dispatch import MapJob, resolve_partner, run_dask
    from .sitemap.grid import check_resolution, parse_region

    if scheduler is not None:
        parse_scheduler(scheduler)  # a malformed address is refused before any work
    sc = _load(scenario, days)
    if draws is not None:
        sc = sc.model_copy(update={"outputs": sc.outputs.model_copy(update={"draws": draws})})
    check_resolution(resolution)
    box = parse_region(region)
    partner = partner if partner is not None else (sc.candidate.partner if sc.candidate is not None else None)
    resolve_partner(sc, partner)
    out_dir = out_folder(out, f"{sc.name}-map")
    check_out_dir(out_dir)
    job = MapJob(sc.model_dump(mode="json"), float(resolution), box, partner, int(sc.outputs.draws))
    with _progress_bar(quiet) as progress:
        run = run_dask(job, scheduler=scheduler, workers=workers, progress=progress)
    result = build_result(run)
    written = write_into(lambda d: map_outputs.write(result, d), out_dir)
    if not quiet:
        print(f"{map_outputs.closing_line(result)} -> {wrote(written)}")


@app.command()
@guarded
def calibrate(
    measured: Path = typer.Argument(..., metavar="MEASURED.csv",
                                    help="Measured loss: loss_db, range_km and elevation_deg (or time_utc), optional "
                                         "sigma_db, station, and station_b with elevation_b_deg, range_b_km for "
                                         "two-downlink sums."),
    station: Optional[str] = typer.Option(None, "--station",
                                          help="Station of rows without a station column (catalog name, or one of "
                                               "--scenario's stations)."),
    scenario: Optional[Path] = typer.Option(None, "--scenario", help="Scenario for the payload, channel and orbit."),
    no_airmass: bool = typer.Option(False, "--no-airmass", help="Fit the constant only."),
    chain: bool = typer.Option(False, "--chain", help="Fit the chain constant shared by every link (joint fit; "
                                                       "implied by rows of several stations or two downlinks)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the scenario YAML fragment here."),
):
    """Fit the chain constant shared by several stations, or a station's own loss and air-mass term,
    to measured pass data (least squares)."""
    from . import calibrate as calibration

    if out is not None:
        check_out_file(out, "--out")
    sc = _load(scenario) if scenario is not None else None
    fit, table, fragment = calibration.calibrate(measured, station, sc, fit_airmass=not no_airmass, chain=chain)
    print(fit)
    print(table, end="")
    if out is None:
        sys.stdout.write(fragment)
    else:
        write_file(out, "--out", fragment)
        print(f"scenario fragment -> {out}")
