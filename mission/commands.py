"""The commands of the command line (``skyswap plan``, ``passes``, ...): options, and what each
prints and writes. The entry point, its signal handling and exit statuses are :mod:`.cli`.

Exit status: 0 success; 2 bad input (one line naming the field and the value, usage errors such as
``--days abc`` and unusable output paths included); 1 an internal fault; 130 interrupted (Ctrl-C),
143 terminated (SIGTERM); 141 when the reader of standard output went away (``skyswap schema |
head -c 100``: quiet, the status of any Unix tool stopped by SIGPIPE).

Every module beyond the command-line toolkit is imported inside the command that needs it, so
that ``validate``, ``stations``, ``schema`` and ``passes`` do not load plotly, scipy or Dask.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import traceback
import warnings
from functools import wraps
from pathlib import Path
from typing import NoReturn, Optional

import typer
import typer.core

from . import signals
from .scenario.errors import InputError
from .scenario.reader import os_reason, short_path
from .stdio import StdoutError
from .stdio import reason as stdout_reason

# click's exception classes, wherever this typer takes click from (its own copy since typer 0.2x)
_click = sys.modules[typer.BadParameter.__module__]
_NoArgsIsHelp = getattr(_click, "NoArgsIsHelpError", ())

#: Exit status when standard output's reader has gone (128 + SIGPIPE, as for any Unix tool).
EXIT_BROKEN_PIPE = 141


#: How many lines :func:`say` has written (an interruption typer turns into a silent status 130
#: before a command's guard runs is then said by the group).
_said = 0


def say(kind: str, text: str) -> None:
    """One line on stderr: ``skyswap: <kind>: <text>`` (line breaks in the text become spaces)."""
    global _said
    _said += 1
    text = " ".join(str(text).splitlines())
    if sys.stderr is not None:  # (print's file=None would be stdout, into a table)
        print(f"skyswap: {kind}: {text}", file=sys.stderr)


def _raw_value(args: list[str], opts: list[str]):
    """What the user typed for an option (``--days abc`` or ``--days=abc``), or None."""
    for i, arg in enumerate(args):
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return None


def _usage_line(exc, args: list[str]) -> str:
    """A click usage error as the project's one line: ``--days = 'abc': <reason> (skyswap plan --help)``."""
    where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
    param = getattr(exc, "param", None)
    if isinstance(exc, _click.BadParameter) and not isinstance(exc, _click.MissingParameter) and param is not None:
        opts = list(getattr(param, "opts", []) or [])
        name = opts[0] if opts else (param.human_readable_name or "argument")
        raw = _raw_value(args, opts) if opts else None
        reason = exc.message[:1].lower() + exc.message[1:] if exc.message else "invalid value"
        return (f"{name} = {raw!r}: {reason}" if raw is not None else f"{name}: {reason}") + where
    return exc.format_message().rstrip(".") + where


def stdout_line(exc: OSError) -> str:
    """The error line's text when standard output cannot be written (exit status 2)."""
    return f"standard output cannot be written ({stdout_reason(exc)})"


def quiet_stdout() -> None:
    """The reader of stdout has gone: point stdout at /dev/null so nothing more (not even the
    interpreter's final flush) complains."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


class _OneLineGroup(typer.core.TyperGroup):
    """Usage errors (a bad option value, a missing argument, an unknown option) as one line and
    exit status 2, like every other bad input; a closed stdout pipe is quiet."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        said = _said
        try:
            try:
                rv = super().main(args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                  **extra)
                code = rv if isinstance(rv, int) else 0
            except _NoArgsIsHelp as exc:
                print(exc.ctx.get_help())
                code = 0
            sys.stdout.flush()  # help and --version: a full or closed stdout shows here
        except StdoutError as exc:
            say("error", stdout_line(exc))
            quiet_stdout()  # what stayed in the buffer goes nowhere at exit, quietly
            code = 2
        except _click.UsageError as exc:
            say("error", _usage_line(exc, argv))
            code = 2
        except _click.ClickException as exc:
            say("error", exc.format_message())
            code = exc.exit_code
        except typer.Abort:
            say("error", "interrupted")
            code = 130
        except BrokenPipeError:
            quiet_stdout()
            code = EXIT_BROKEN_PIPE
        if code == 130 and _said == said:  # typer's own: a Ctrl-C while it parsed the options (its lazy imports)
            say("error", "interrupted")
        if not standalone_mode:
            return code
        sys.exit(code)


app = typer.Typer(
    cls=_OneLineGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
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


def _show_warning(message, category, filename, lineno, file=None, line=None):
    say("warning", str(message).splitlines()[0] if str(message) else category.__name__)


def _silence_libraries() -> None:
    """After an interruption, no library logs its own shutdown (Dask's cancelled tasks, asyncio's
    'exception never retrieved'): the run's last word is skyswap's one line."""
    import logging

    logging.disable(logging.CRITICAL)


def _stopped_by(signum: int) -> NoReturn:
    """End the run as the signal ``signum`` stops it (:mod:`.signals`): one line and 130 for
    SIGINT, the signal's status and nothing said for the others."""
    _silence_libraries()
    if signum == signal.SIGINT:
        say("error", "interrupted")
        raise typer.Exit(signals.exit_status(signum)) from None
    raise SystemExit(signals.exit_status(signum)) from None


def guarded(func):
    """Turn InputError into one line + exit 2, anything unexpected into one line + exit 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        warnings.showwarning = _show_warning
        try:
            out = func(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return out
        except typer.Exit:
            raise
        except BrokenPipeError:  # the reader of stdout went away (| head): quiet
            quiet_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except StdoutError as exc:  # > /dev/full, or stdout closed: an output that cannot be written
            say("error", stdout_line(exc))
            quiet_stdout()  # what stayed in the buffer goes nowhere at exit, quietly
            raise typer.Exit(2) from None
        except InputError as exc:
            say("error", exc.line())
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            _stopped_by(signal.SIGINT)
        except SystemExit:  # SIGTERM or SIGHUP (mission.signals): the status is the signal's
            _silence_libraries()
            raise
        except MemoryError:
            say("error", "out of memory: the run needs more memory than this machine gives it; shorten the span "
                         "(--days), or use fewer stations, pairs or satellites")
            raise typer.Exit(1) from None
        except Exception as exc:  # an internal fault: one line, the traceback only on request
            stopped_by = signals.stopping()
            if stopped_by is not None:  # a library wrapped the signal's exception in its own
                _stopped_by(stopped_by)
            if os.environ.get("SKYSWAP_DEBUG"):
                traceback.print_exc()
            say("internal error", f"{type(exc).__name__}: {exc} (set SKYSWAP_DEBUG=1 for the traceback)")
            raise typer.Exit(1) from None

    return wrapper


def _load(path: Path, days: Optional[float] = None):
    from .scenario.loading import load_scenario

    scenario = load_scenario(path)
    return scenario.with_days(days) if days is not None else scenario


# ---------------------------------------------------------------------------------- output paths

@contextlib.contextmanager
def output_path(option: str, path):
    """Any OS error on an output path (a symlink loop, a folder that may not be entered, a name too
    long, a full disk, a read-only file system) as one line naming the option and the path."""
    try:
        yield
    except InputError:
        raise
    except OSError as exc:
        raise InputError(option, short_path(path), f"cannot be written ({os_reason(exc)})") from None


def _check_out_file(path: Path, option: str) -> None:
    """An output file's folder must exist and take a new file, and the path must not be a folder:
    refused before any work, by creating and removing the temporary the write will use. A symbolic
    link is checked where it points; a character device or a named pipe (``/dev/null``, a FIFO) is
    written as a stream, a block device or a socket refused (outputs/atomic.py)."""
    from .outputs import atomic

    with output_path(option, path):
        if path.is_dir():
            raise InputError(option, short_path(path), "is a directory, not a file")
        real, stream = atomic.target(path)
        if stream:
            if not os.access(real, os.W_OK):
                raise InputError(option, short_path(path), "cannot be written (permission denied)")
            return
        parent = real.parent if str(real.parent) else Path(".")
        if not parent.is_dir():
            raise InputError(option, short_path(path), "its directory does not exist")
        if not os.access(parent, os.W_OK):
            raise InputError(option, short_path(path), "its directory is not writable")
        atomic.probe(real)


def _write_file(path: Path, option: str, text: str) -> None:
    from .outputs import atomic

    with output_path(option, path):
        atomic.write_text(path, text)


def _check_out_dir(path: Path, option: str = "--out") -> Path:
    """An output folder may exist (its previous set is then replaced, the user's other files kept),
    but must not be a file, the current folder, a mount point or unwritable: refused before any
    work, by staging a trial folder where the run will stage its set (see outputs/outset.py)."""
    from .outputs import outset

    with output_path(option, path):
        return outset.probe(path, option)


def _write(writer, out_dir: Path, option: str = "--out"):
    """Run ``writer(out_dir)``; a file-system failure becomes one line naming the folder."""
    with output_path(option, out_dir):
        return writer(out_dir)


def _out_dir(out: str | None, name: str) -> Path:
    """``--out`` as given, else ``out/<name>/`` (a scenario or sweep name is a safe folder name)."""
    if out is None:
        return Path("out") / name
    if out.strip() == "":
        raise InputError("--out", out, "is empty: give an output folder of its own (e.g. out/NAME)")
    return Path(out)


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


def _wrote(paths) -> str:
    """'out/x/ (a.csv, b.json)' for a set, or the file's path."""
    paths = list(paths)
    if len(paths) == 1:
        return str(paths[0])
    folder = paths[0].parent if paths else Path(".")
    return f"{folder}/ ({', '.join(p.name for p in paths)})"


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
            _check_out_file(path, opt)
    sc = _load(scenario, days)
    with _progress_bar(quiet) as progress:
        result = planner.plan_passes(sc, progress=progress, workers=default_threads(1))  # a process per core
    table = export.csv_text(result.rows)
    written = []
    if out is None:
        sys.stdout.write(table)
    else:
        _write_file(out, "--out", table)
        written.append(out)
    if samples is not None:
        _write_file(samples, "--samples", export.csv_text(result.samples()))
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
    out_dir = _out_dir(out, sc.name)
    _check_out_dir(out_dir)
    with _progress_bar(quiet) as progress:
        result = planner.plan(sc, workers=workers, progress=progress)
    written = _write(result.write, out_dir)
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
    out_dir = _out_dir(out, f"{sc.name}-compare")
    _check_out_dir(out_dir)
    with _progress_bar(quiet) as progress:
        result = comparison.compare_sites(sc, draws, progress=progress, equal_aperture=equal_aperture)
    written = _write(lambda d: comparison.write(result, sc, d), out_dir)
    if not quiet:
        comparison.print_table(result)
        print(f"{sc.name}: {len(result.ranking):,} stations and pairs ranked -> {_wrote(written)}")


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
    out_dir = _out_dir(out, spec.name)
    _check_out_dir(out_dir)
    with _progress_bar(quiet, "points") as progress:
        result = sweeping.run_sweep(spec, scheduler=scheduler, local_workers=workers, progress=progress)
    written = _write(lambda d: sweeping.write(result, d, spec.name), out_dir)
    if not quiet:
        sweeping.print_table(result)
        print(f"{spec.name}: {len(result.points)} points, {int(result.points['candidate_windows'].sum()):,} candidate windows "
              f"-> {_wrote(written)}")



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
    out_dir = _out_dir(out, f"{sc.name}-map")
    _check_out_dir(out_dir)
    job = MapJob(sc.model_dump(mode="json"), float(resolution), box, partner, int(sc.outputs.draws))
    with _progress_bar(quiet) as progress:
        run = run_dask(job, scheduler=scheduler, workers=workers, progress=progress)
    result = build_result(run)
    written = _write(lambda d: map_outputs.write(result, d), out_dir)
    if not quiet:
        print(f"{map_outputs.closing_line(result)} -> {_wrote(written)}")


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
        _check_out_file(out, "--out")
    sc = _load(scenario) if scenario is not None else None
    fit, table, fragment = calibration.calibrate(measured, station, sc, fit_airmass=not no_airmass, chain=chain)
    print(fit)
    print(table, end="")
    if out is None:
        sys.stdout.write(fragment)
    else:
        _write_file(out, "--out", fragment)
        print(f"scenario fragment -> {out}")
