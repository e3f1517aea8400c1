"""``skyswap sweep``: parameter and constellation sweeps on Dask.

A sweep file names a base scenario and axes; the points are the Cartesian product of the axes.
Each point is one plan's stages up to the pass table (:func:`mission.planner.pass_table`: what the
sweep keeps; the schedule, summary and report are not made, and the weather draws only when the
sweep file asks for them with ``draws:``); a Walker constellation point is one plan of all its
satellites. Points run as Dask tasks, small points batched into one task (:func:`batches`) — on an
existing cluster given by ``--scheduler``, or on a local cluster started for the run — and their
rows form one Parquet dataset. The numbers do not depend on where a point ran.

.. code-block:: yaml

    name: altitude-ltan
    base: q4s_year.yaml                  # relative to this file
    days: 30                             # optional: shorten every point
    draws: 1000                          # optional: each point's year over simulated weather (P10/P50/P90)
    axes:                                # dotted paths into the base scenario
      orbit.sun_synchronous.altitude_km: [450, 500, 550]
      orbit.sun_synchronous.ltan_h: [21.0, 22.5]
    walker:                              # optional: each point is a Walker-delta constellation
      altitude_km: 500
      inclination_deg: 97.4
      planes: [1, 2]                     # an axis
      satellites_per_plane: [1, 2]       # an axis
      phasing: 1
"""
from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .cluster import dask_client
from .outputs import export, outset
from .scenario import reader, yamlsafe
from .scenario.errors import InputError
from .scenario.loading import input_error_from_validation, load_scenario, validate_scenario_data
from .scenario.schema import MAX_SPAN_DAYS, LocatedError, SafeName, Scenario

#: Most points one sweep runs (the product of its axes). Each is validated before anything runs
#: (~0.4 ms a point) and planned as one task; a one-satellite year point is ~0.9 s of CPU.
MAX_SWEEP_POINTS = 5_000
#: Most axes, and most values on one axis.
MAX_AXES, MAX_AXIS_VALUES = 20, 1_000


class Walker(BaseModel):
    """A Walker-delta constellation i:T/P/F (Walker 1984, J. Br. Interplanet. Soc. 37, 559)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    altitude_km: Annotated[float, Field(gt=150, le=5000)] = Field(description="[km]")
    inclination_deg: Annotated[float, Field(ge=0, le=180)] = Field(description="[deg]")
    planes: list[Annotated[int, Field(ge=1, le=100)]] = Field(min_length=1, max_length=MAX_AXIS_VALUES,
                                                              description="Axis: number of planes P.")
    satellites_per_plane: list[Annotated[int, Field(ge=1, le=100)]] = Field(
        min_length=1, max_length=MAX_AXIS_VALUES, description="Axis: satellites per plane.")
    phasing: Annotated[int, Field(ge=0, lt=100)] = Field(1, description="Walker phasing factor F.")
    raan0_deg: Annotated[float, Field(ge=0, lt=360)] = Field(0.0, description="RAAN of the first plane. [deg]")


class SweepSpec(BaseModel):
    """A sweep file: a base scenario and the axes whose product gives the points."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    name: SafeName
    base: Annotated[str, Field(min_length=1, max_length=4096)] = Field(
        description="Base scenario file, relative to the sweep file.")
    days: Annotated[float, Field(gt=0, le=MAX_SPAN_DAYS)] | None = None
    draws: Annotated[int, Field(ge=0, le=100_000)] = Field(
        0, description="Simulated weather years per point (0: none; the points table then has no P10/P50/P90).")
    axes: Annotated[dict[str, Annotated[list[Any], Field(min_length=1, max_length=MAX_AXIS_VALUES)]],
                    Field(max_length=MAX_AXES)] = Field(default_factory=dict)
    walker: Walker | None = None
    base_dir: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _axes_are_dotted_paths(self):
        for key in self.axes:  # an empty step would set a key named '' somewhere in the scenario
            if any(not step.strip() for step in key.split(".")):
                raise LocatedError("an axis is a dotted path of the base scenario's keys (e.g. "
                                   "orbit.sun_synchronous.altitude_km), with no empty step", key, field="axes")
        return self

    @model_validator(mode="after")
    def _walker_owns_the_orbit(self):
        clash = [k for k in self.axes if k == "orbit" or k.startswith("orbit.")]
        if self.walker is not None and clash:
            raise LocatedError("would be ignored: a walker sweep sets each satellite's orbit (remove the axis, or "
                               "the walker section)", clash[0], field="axes")
        return self


@dataclass(frozen=True)
class Point:
    """One sweep point: its axis values and the scenario mapping it plans (one: a Walker
    constellation is one scenario, its satellites planned together)."""

    index: int
    values: dict
    scenarios: tuple[dict, ...]
    cost: float  #: what planning it costs: its span times its satellites, over its scenarios [d]

    @property
    def name(self) -> str:
        """How a line names the point: ``sweep point (axis=value, ...)``."""
        return point_name(self.values)


def point_name(values: dict) -> str:
    """``sweep point (axis=value, ...)``: the name a line gives a point, by its axis values, whether
    it is refused while it is validated or while it is planned."""
    return f"sweep point ({', '.join(f'{k}={v!r}' for k, v in values.items())})"


#: The totals of a point: sums of its pass table's columns (what its scheduled contacts delivered;
#: ``duration_s``: its candidate windows' time). [s], [1]
POINT_TOTALS = ("duration_s", "bsm_heralds", "swaps_fourfold", "heralded_pairs", "expected_heralded_pairs",
                "secret_key_bits")


@dataclass(frozen=True)
class SweepResult:
    """A sweep's results: one row per point, and every point's pass rows.

    ``points`` has the point's index, its axis values (columns named as the axes, ``axes``),
    ``satellites``, ``candidate_windows`` (its pass-table rows: candidate windows, summed over the
    satellites) and the sums :data:`POINT_TOTALS`. ``pass_file`` is ``sweep.parquet`` itself, every
    point's pass rows (a ``point`` column first) in point order, written as the points came back
    (:class:`mission.outputs.export.JoinedParquet`) into a temporary file that stays in memory up to
    :data:`SPOOL_BYTES`: a thousand year points are ~2 million rows, ~340 MB of Parquet, which as
    one table took gigabytes; :attr:`passes` reads them into one table when asked.
    """

    points: pd.DataFrame  # one row per point: axis values + totals
    pass_file: Any  # sweep.parquet: one row per (point, satellite, pass), a binary file
    axes: tuple[str, ...] = ()

    @property
    def passes(self) -> pd.DataFrame:
        """One row per (point, satellite, pass), as written to ``sweep.parquet`` (rounded, times as
        UTC timestamps)."""
        self.pass_file.seek(0)
        return pd.read_parquet(self.pass_file)


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file; every mistake is one InputError naming the field."""

    path = Path(path)
    data = yamlsafe.load_file(path, "sweep")  # bounded reader, YAML 1.2, no duplicate keys
    shown = reader.short_path(path)
    if not isinstance(data, dict):
        raise InputError("sweep", shown, "a sweep file is a mapping (name, base, axes, walker)")
    if "base" not in data and {"span", "orbit", "stations"} & set(data):
        raise InputError("sweep", shown, "this is a scenario, not a sweep file: a sweep names its scenario with "
                                         "'base:' and varies it along 'axes:' (see scenarios/sweep_constellation.yaml); "
                                         "plan a scenario with skyswap plan")
    if "base_dir" in data:
        raise InputError("sweep.base_dir", data["base_dir"], "unknown key")
    try:
        spec = SweepSpec.model_validate({**data, "base_dir": str(path.parent)})
    except ValidationError as exc:
        raise input_error_from_validation(exc, prefix="sweep.", root=SweepSpec) from None
    points(spec)  # every point must validate before anything runs
    return spec


def point_count(spec: SweepSpec) -> int:
    """How many points the sweep's axes give (their product), computed before any is built."""
    lengths = [len(v) for v in spec.axes.values()]
    if spec.walker is not None:
        lengths += [len(spec.walker.planes), len(spec.walker.satellites_per_plane)]
    return math.prod(lengths)


def _with(tree: dict, dotted: str, value) -> dict:
    """``tree`` with ``value`` at the dotted path (missing or non-mapping steps become mappings):
    new mappings along the path, everything else shared with ``tree`` (which is not changed)."""
    head, _, rest = dotted.partition(".")
    if not rest:
        return {**tree, head: value}
    below = tree.get(head)
    return {**tree, head: _with(below if isinstance(below, dict) else {}, rest, value)}


#: The last sweep whose points were built, and its points: ``skyswap sweep`` validates the points
#: when it reads the sweep file and runs the same object's points (a thousand points take ~1 s to
#: build and validate).
_LAST_POINTS: tuple[SweepSpec, list[Point]] | None = None


def points(spec: SweepSpec) -> list[Point]:
    """Expand the axes (and Walker axes) into validated points (built once for the last ``spec``
    object asked for: the same object gives the same list)."""
    global _LAST_POINTS
    if _LAST_POINTS is not None and _LAST_POINTS[0] is spec:
        return _LAST_POINTS[1]
    out = _build_points(spec)
    _LAST_POINTS = (spec, out)
    return out


def _build_points(spec: SweepSpec) -> list[Point]:
    count = point_count(spec)
    if count > MAX_SWEEP_POINTS:
        sizes = " x ".join(str(len(v)) for v in spec.axes.values()) or "1"
        if spec.walker is not None:
            sizes += f" x {len(spec.walker.planes)} x {len(spec.walker.satellites_per_plane)} (walker)"
        raise InputError("sweep.axes", f"{count:,} points", f"{sizes} values give more points than the "
                                                              f"{MAX_SWEEP_POINTS:,} one sweep runs: split the sweep")
    try:
        base = load_scenario(reader.resolve(spec.base, Path(spec.base_dir)))
        if spec.days is not None:
            base = base.with_days(spec.days)
    except InputError as exc:
        where = "sweep.days" if exc.field == "--days" else f"sweep.base ({reader.short_path(spec.base, 40)}) {exc.field}"
        raise InputError(where, exc.value, exc.reason) from None
    base_data = base.model_dump(mode="json")
    axes = dict(spec.axes)
    if spec.walker is not None:
        axes["walker.planes"] = spec.walker.planes
        axes["walker.satellites_per_plane"] = spec.walker.satellites_per_plane
    names = list(axes)
    out = []
    for i, combo in enumerate(itertools.product(*(axes[n] for n in names)) if names else [()]):
        values = dict(zip(names, combo))
        data = base_data  # shared by the points where no axis changes it (nothing changes a point's mapping)
        for key, value in values.items():
            if not key.startswith("walker."):
                data = _with(data, key, value)
        if spec.walker is not None:
            w = spec.walker
            walker = {"altitude_km": w.altitude_km, "inclination_deg": w.inclination_deg,
                      "planes": values["walker.planes"], "satellites_per_plane": values["walker.satellites_per_plane"],
                      "phasing": w.phasing, "raan0_deg": w.raan0_deg}
            # the constellation is one scenario: its satellites share the stations (planned together)
            scenarios = ({**data, "orbit": {"walker": walker, "name": "walker"}},)
        else:
            scenarios = (data,)
        checked = [validate_scenario_data(sc, "sweep point", prefix=f"{point_name(values)}: ") for sc in scenarios]
        out.append(Point(i, values, scenarios, sum(satellite_days(sc) for sc in checked)))
    return out


#: Satellite-days of planning that make a task worth sending on its own: smaller points are batched
#: until a task holds about this much (a one-satellite year point is ~1.1 s of CPU; Dask's round
#: trip per task is a few milliseconds, a 7-day point's plan ~40 ms). [d]
BATCH_SATELLITE_DAYS = 60.0
#: Tasks per worker at least, when points are batched: the last tasks finish close together. [1]
TASKS_PER_WORKER = 4
#: The weather quantiles a sweep with draws adds to each point (of its heralded pairs over the year).
POINT_QUANTILES = ("p10", "p50", "p90")


def satellite_days(scenario: Scenario) -> float:
    """What planning a scenario costs, in satellite-days: its span times its satellites. [d]"""
    return scenario.span.duration_s / 86400.0 * len(scenario.satellites)


def batches(costs: list[float], workers: int) -> list[list[int]]:
    """Consecutive tasks grouped into batches of about :data:`BATCH_SATELLITE_DAYS` (a task above
    it is a batch of its own), but into no fewer than :data:`TASKS_PER_WORKER` batches per worker
    where there are as many tasks. ``costs`` in satellite-days. [d]"""
    n = len(costs)
    if n == 0:
        return []
    total = float(sum(costs))
    target = min(BATCH_SATELLITE_DAYS, total / max(1, TASKS_PER_WORKER * max(int(workers), 1)))
    out: list[list[int]] = [[]]
    held = 0.0
    for i, c in enumerate(costs):
        if out[-1] and held + c > target * 1.0000001:
            out.append([])
            held = 0.0
        out[-1].append(i)
        held += c
    return out


def run_point(scenario_data: dict, draws: int = 0) -> tuple[pd.DataFrame, dict | None]:
    """Plan one scenario mapping: its pass table (the part of the plan a sweep keeps) and, with
    ``draws``, the quantiles of its year over that many simulated weather years (the scenario's
    seed; None without)."""
    from .outputs.summary import distribution_section
    from .planner import pass_table, run_stages

    scenario = Scenario.model_validate(scenario_data)
    scenario = scenario.model_copy(update={"outputs": scenario.outputs.model_copy(update={"draws": int(draws)})})
    stages = run_stages(scenario, threads=1)  # one thread per Dask worker
    dist = (distribution_section(stages.weather) or {}).get("heralded_pairs") if draws else None
    return pass_table(scenario, stages), None if dist is None else {q: dist[q] for q in POINT_QUANTILES}


@dataclass(frozen=True)
class PointRows:
    """What a worker sends back for one point: its pass rows (a ``point`` column first) as Arrow
    bytes (:func:`mission.outputs.export.arrow_bytes`), their count and column sums
    (:data:`POINT_TOTALS`, summed over the unrounded rows) and, with draws, its year's quantiles."""

    arrow: bytes
    rows: int
    totals: dict
    quantiles: dict | None


def point_rows(point: int, passes: pd.DataFrame, quantiles: dict | None) -> PointRows:
    """A point's :class:`PointRows` from its pass table."""
    table = passes.copy()
    table.insert(0, "point", point)
    totals = {col: float(table[col].sum()) if len(table) else 0.0 for col in POINT_TOTALS}
    return PointRows(export.arrow_bytes(table), int(len(table)), totals, quantiles)


def run_batch(tasks: list[tuple[int, str, dict]], draws: int = 0) -> list[tuple[int, PointRows]]:
    """The unit of work a Dask worker runs: several (point index, point name, scenario mapping)
    tasks, one after another, in a process that keeps its freed memory for the next point
    (:func:`mission.memory.keep_heap`, which also undoes Dask's small ``MALLOC_TRIM_THRESHOLD_``)
    and the span's coarse search grid (:func:`mission.windows.passes.keep_span_grids`).
    Each point comes back as :class:`PointRows` (compact bytes, not a table); a point refused while
    it is planned (more samples than a run computes) is an InputError naming the point as its
    validation would (:func:`point_name`)."""
    from .memory import keep_heap
    from .windows.passes import keep_span_grids

    keep_heap()
    keep_span_grids()
    out = []
    for i, name, data in tasks:
        try:
            out.append((i, point_rows(i, *run_point(data, draws))))
        except InputError as exc:  # refused once planning (the samples its windows hold): name the point
            raise InputError(f"{name}: {exc.field}", exc.value, exc.reason) from None
    return out


#: Bytes of ``sweep.parquet`` a sweep holds in memory before its temporary file spills to disk
#: (the system's temporary folder, ``TMPDIR``): a 40-point year sweep stays in memory, a 1,000-point
#: one (~340 MB) does not. [B]
SPOOL_BYTES = 64 * 2**20


class _Rows:
    """The points' rows as they come back, in any order: each point's count, totals and quantiles
    kept, its pass rows written into ``sweep.parquet`` (a temporary file) as soon as every point
    before it has been, and then dropped (:class:`mission.outputs.export.JoinedParquet`)."""

    def __init__(self, n: int):
        import tempfile

        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        self.parts: list[PointRows | None] = [None] * n
        self._joined = export.JoinedParquet(self.file)
        self._waiting: dict[int, bytes] = {}
        self._next = 0

    def take(self, i: int, part: PointRows) -> None:
        """Point ``i``'s rows (its Arrow bytes written in turn, then dropped)."""
        self.parts[i] = replace(part, arrow=b"")
        self._waiting[i] = part.arrow
        with _temporary_folder_errors():
            while self._next in self._waiting:
                self._joined.add(export.arrow_table(self._waiting.pop(self._next)))
                self._next += 1

    def finish(self) -> tuple[list[PointRows], Any]:
        """Every point's :class:`PointRows` (without their rows) and ``sweep.parquet``, whole."""
        assert self._next == len(self.parts) and not self._waiting, "a point's rows are missing"
        with _temporary_folder_errors():
            self._joined.close()
        return [p for p in self.parts if p is not None], self.file


@contextlib.contextmanager
def _temporary_folder_errors() -> Iterator[None]:
    """sweep.parquet spills to the temporary folder: an OSError there (full, unwritable) is one
    line naming ``TMPDIR``."""
    try:
        yield
    except OSError as exc:
        import tempfile

        raise InputError("TMPDIR", tempfile.gettempdir(), "the sweep's pass rows cannot be written there "
                                                          f"({reader.os_reason(exc)}): free space or set TMPDIR "
                                                          "to another folder") from None


def _assemble(pts: list[Point], rows: _Rows, draws: bool) -> SweepResult:
    got, pass_file = rows.finish()
    summaries = []
    for pt, part in zip(pts, got):
        n_sat = (pt.values["walker.planes"] * pt.values["walker.satellites_per_plane"]
                 if "walker.planes" in pt.values else 1)
        summary = {"point": pt.index, **{k: v for k, v in pt.values.items()}, "satellites": n_sat,
                   "candidate_windows": part.rows, **part.totals}
        if draws:  # a point is one scenario: its year's quantiles over the weather
            d = part.quantiles or {}
            for q in POINT_QUANTILES:
                summary[f"heralded_pairs_{q}"] = float(d.get(q, np.nan))
        summaries.append(summary)
    return SweepResult(pd.DataFrame(summaries), pass_file, tuple(pts[0].values) if pts else ())


def _tasks(pts: list[Point]) -> list[tuple[int, str, dict]]:
    """One task per point: a point is one scenario (a Walker constellation's satellites are planned
    together)."""
    assert all(len(pt.scenarios) == 1 for pt in pts), "one scenario a point"
    return [(i, pt.name, pt.scenarios[0]) for i, pt in enumerate(pts)]


def run_sweep(spec: SweepSpec, scheduler: str | None = None, local_workers: int = 2, progress=None) -> SweepResult:
    """Run every point on Dask: on the scheduler at ``scheduler``, or on a local cluster of
    ``local_workers`` processes (:func:`mission.cluster.dask_client`).

    ``progress``, if given, is called as ``progress("sweep points", done, total)`` as points finish
    (a batch of small points finishes its points together). Each task's rows are taken from its
    worker as it finishes, so neither the workers nor this process hold them all.
    """
    from dask.distributed import as_completed

    pts = points(spec)
    tasks = _tasks(pts)
    rows = _Rows(len(pts))
    with dask_client(scheduler, local_workers) as client:
        workers = local_workers if scheduler is None else max(1, sum(client.nthreads().values()))
        groups = batches([pt.cost for pt in pts], workers)
        keys = [f"skyswap-points-{g[0]}-{g[-1]}" for g in groups]
        done = as_completed(client.map(run_batch, [[tasks[k] for k in g] for g in groups], draws=spec.draws, key=keys),
                            with_results=True)  # holds each future only until it is handed over
        size = {k: len(g) for k, g in zip(keys, groups)}
        done_points, total = 0, len(tasks)
        if progress is not None:
            progress("sweep points", 0, total)
        for fut, batch in done:
            for i, part in batch:
                rows.take(i, part)
            done_points += size[fut.key]
            del fut, batch  # the task's result is released on its worker
            if progress is not None:
                progress("sweep points", done_points, total)
    return _assemble(pts, rows, bool(spec.draws))


def run_serial(spec: SweepSpec) -> SweepResult:
    """The same points, one by one in this process (the reference the Dask run must equal)."""
    pts = points(spec)
    rows = _Rows(len(pts))
    for task in _tasks(pts):
        for i, part in run_batch([task], spec.draws):
            rows.take(i, part)
    return _assemble(pts, rows, bool(spec.draws))


def write(result: SweepResult, out_dir: Path, name: str = "sweep") -> list[Path]:
    """``sweep.parquet`` (one row per point and pass), ``points.parquet``, ``points.csv`` and
    ``sweep.html`` (the points' table and figure), as one set replacing the previous one."""
    from .outputs import sweep_page

    points_table = result.points.astype({c: str for c in result.points.columns if result.points[c].dtype == object})
    files: dict[str, Any] = {"sweep.parquet": result.pass_file,
                                      "points.parquet": export.parquet_bytes(points_table),
                                      "points.csv": export.csv_text(points_table),
                                      "sweep.html": sweep_page.render_sweep_html(result.points, result.axes,
                                                                                 f"skyswap sweep: {name}")}
    return outset.write_set(out_dir, files, "sweep")


def best_point(result: SweepResult) -> dict | None:
    """The point with the most expected heralded pairs (ties: the first), as a row dict; None
    when no point delivers any."""
    pts = result.points
    if not len(pts) or not (pts["expected_heralded_pairs"] > 0).any():
        return None
    return pts.to_dict(orient="records")[int(pts["expected_heralded_pairs"].to_numpy().argmax())]  # dtypes kept


def point_label(row: dict, axes) -> str:
    """A point's axis values as ``axis=value, ...`` (the axis' last dotted part). [text]"""
    return ", ".join(f"{a.rsplit('.', 1)[-1]}={row[a]}" for a in axes) or "the base scenario"


def print_table(result: SweepResult, width: int | None = None) -> None:
    """The points as a table on the terminal, what its columns mean, and the best point. The table
    fits the terminal's width (``width`` to fix it): where the axes' names would not fit they are
    numbered (``axis 1``, ...) and named below the table."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from .outputs.numbers import significant as num
    from .stdio import console as table_console

    console = table_console(width)
    names = [a.rsplit(".", 1)[-1] for a in result.axes]
    tail = ["sats", "windows", "hours", "pairs", "expected", "key"]
    rows = [[str(r["point"]), *(str(r[a]) for a in result.axes), str(r["satellites"]), f"{r['candidate_windows']:,}",
             num(r["duration_s"] / 3600.0), num(r["heralded_pairs"]), num(r["expected_heralded_pairs"]),
             num(r["secret_key_bits"])] for r in result.points.to_dict(orient="records")]

    def needed(heads):
        return sum(max([len(h)] + [len(r[k]) for r in rows]) for k, h in enumerate(heads)) + 2 * len(heads)

    heads = ["point", *names, *tail]
    numbered = needed(heads) > console.width
    if numbered:
        heads = ["point", *(f"axis {k + 1}" for k in range(len(names))), *tail]
    table = Table(title="sweep points: totals of each point's plan", box=box.SIMPLE_HEAD, show_edge=False,
                  padding=(0, 0, 0, 1), title_justify="left")
    for h in heads:
        table.add_column(escape(h), justify="right", no_wrap=True)
    for r in rows:
        table.add_row(*(escape(c) for c in r))
    console.print(table)
    if numbered:
        print("; ".join(f"axis {k + 1}: {a}" for k, a in enumerate(result.axes)))
    print("windows: candidate windows; hours: their time; pairs: heralded pairs with clear skies; expected: "
          "heralded pairs after clouds (means, not counts); key: secret key [bit]")
    best = best_point(result)
    print("No point delivers a heralded pair." if best is None else  # one line, whatever the width
          f"Most expected heralded pairs: point {best['point']} ({point_label(best, result.axes)}), "
          f"{num(best['expected_heralded_pairs'])}.")
