"""``skyswap sweep``: parameter and constellation sweeps on Dask.

A sweep file names a base scenario and axes; the points are the Cartesian product of the axes.
Each point is one :func:`mission.planner.plan` (a Walker constellation point is one plan per
satellite, summed). Points run as Dask tasks — on an existing cluster given by ``--scheduler``, or
on a local cluster started for the run — and their rows form one Parquet dataset.

.. code-block:: yaml

    name: altitude-ltan
    base: q4s_year.yaml                  # relative to this file
    days: 30                             # optional: shorten every point
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

import copy
import itertools
import math
import os
import socket
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .outputs import export, outset
from .planner import plan
from .scenario import reader, yamlsafe
from .scenario.errors import InputError
from .scenario.loading import input_error_from_validation, load_scenario, validate_scenario_data
from .scenario.schema import MAX_SPAN_DAYS, SafeName, Scenario

#: Most points one sweep runs (the product of its axes). Each is validated before anything runs
#: (~1–2 ms a point) and planned as one task; a one-satellite year point is ~1.4 s of CPU.
MAX_SWEEP_POINTS = 5_000
#: Most axes, and most values on one axis.
MAX_AXES, MAX_AXIS_VALUES = 20, 1_000
#: Longest a scheduler may take to answer skyswap's connection before it is refused. [s]
HANDSHAKE_TIMEOUT_S = 10.0
#: Dask's port when an address gives none.
DASK_PORT = 8786


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
    axes: Annotated[dict[str, Annotated[list[Any], Field(min_length=1, max_length=MAX_AXIS_VALUES)]],
                    Field(max_length=MAX_AXES)] = Field(default_factory=dict)
    walker: Walker | None = None
    base_dir: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _walker_owns_the_orbit(self):
        from .scenario.schema import LocatedError

        clash = [k for k in self.axes if k == "orbit" or k.startswith("orbit.")]
        if self.walker is not None and clash:
            raise LocatedError("would be ignored: a walker sweep sets each satellite's orbit (remove the axis, or "
                               "the walker section)", clash[0], field="axes")
        return self


@dataclass(frozen=True)
class Point:
    """One sweep point: its axis values and the scenario mapping(s) it plans (several for Walker)."""

    index: int
    values: dict
    scenarios: tuple[dict, ...]


@dataclass(frozen=True)
class SweepResult:
    """A sweep's results: one row per point, and every point's pass rows."""

    points: pd.DataFrame  # one row per point: axis values + totals
    passes: pd.DataFrame  # one row per (point, satellite, pass)


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


def _set(tree: dict, dotted: str, value) -> None:
    node = tree
    keys = dotted.split(".")
    for k in keys[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    node[keys[-1]] = value


def points(spec: SweepSpec) -> list[Point]:
    """Expand the axes (and Walker axes) into validated points."""

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
        data = copy.deepcopy(base_data)
        for key, value in values.items():
            if not key.startswith("walker."):
                _set(data, key, value)
        if spec.walker is not None:
            w = spec.walker
            walker = {"altitude_km": w.altitude_km, "inclination_deg": w.inclination_deg,
                      "planes": values["walker.planes"], "satellites_per_plane": values["walker.satellites_per_plane"],
                      "phasing": w.phasing, "raan0_deg": w.raan0_deg}
            # the constellation is one scenario: its satellites share the stations (planned together)
            scenarios = ({**data, "orbit": {"walker": walker, "name": "walker"}},)
        else:
            scenarios = (data,)
        for sc in scenarios:
            _validate_point(sc, values)
        out.append(Point(i, values, scenarios))
    return out


def _validate_point(data: dict, values: dict) -> None:
    shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
    validate_scenario_data(data, "sweep point", prefix=f"sweep point ({shown}): ")


def run_point(scenario_data: dict) -> pd.DataFrame:
    """Plan one scenario mapping (the unit of work a Dask worker runs): its pass table, the part of
    the plan a sweep keeps (the weather draws, which it does not keep, are not made)."""
    scenario = Scenario.model_validate(scenario_data)
    scenario = scenario.model_copy(update={"outputs": scenario.outputs.model_copy(update={"draws": 0})})
    return plan(scenario, threads=1, with_levers=False).passes  # one thread per Dask worker; no levers


def _assemble(pts: list[Point], frames: list[list[pd.DataFrame]]) -> SweepResult:
    rows, summaries = [], []
    for pt, per_sat in zip(pts, frames):
        prow = pd.concat(per_sat, ignore_index=True)
        prow.insert(0, "point", pt.index)
        rows.append(prow)
        n_sat = (pt.values["walker.planes"] * pt.values["walker.satellites_per_plane"]
                 if "walker.planes" in pt.values else 1)
        summary = {"point": pt.index, **{k: v for k, v in pt.values.items()}, "satellites": n_sat,
                   "passes": int(len(prow))}
        for col in ("duration_s", "swaps", "heralded_pairs", "expected_heralded_pairs", "secret_key_bits"):
            summary[col] = float(prow[col].sum()) if len(prow) else 0.0
        summaries.append(summary)
    return SweepResult(pd.DataFrame(summaries), pd.concat(rows, ignore_index=True))


def check_loopback(timeout_s: float = 2.0) -> None:
    """The local Dask cluster talks over 127.0.0.1: check that a connection there is answered.

    Raises
    ------
    InputError
        At once (not after Dask's connect timeouts, about a minute) when the loopback network is
        down or refuses, naming ``--scheduler`` as the way out.
    """
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            server.settimeout(timeout_s)
            with socket.create_connection(server.getsockname(), timeout=timeout_s):
                conn, _ = server.accept()
                conn.close()
    except OSError as exc:
        raise InputError("--scheduler", None, "no scheduler given and the local Dask cluster cannot start: the loopback "
                                              f"network (127.0.0.1) does not answer ({exc.strerror or type(exc).__name__}); "
                                              "bring it up or give --scheduler tcp://host:8786") from None


def parse_scheduler(address: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a Dask scheduler address: ``tcp://host:port``, ``tls://host:port``,
    ``host:port`` (tcp) or ``[::1]:port``; the port defaults to 8786.

    Raises
    ------
    InputError
        A malformed address, or a transport skyswap does not speak (``inproc://``, ``ucx://``).
    """
    text = address.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in ("tcp", "tls"):
        raise InputError("--scheduler", address, "give a Dask scheduler as tcp://host:port (or tls://host:port)")
    rest = rest.rstrip("/")
    if rest.startswith("["):
        host, close, tail = rest[1:].partition("]")
        port_text = tail[1:] if tail.startswith(":") else ("" if not tail else "x")
        if not close:
            raise InputError("--scheduler", address, "an IPv6 address needs its closing ']' (tcp://[::1]:8786)")
    elif rest.count(":") == 1:
        host, _, port_text = rest.partition(":")
    elif ":" in rest:
        raise InputError("--scheduler", address, "write an IPv6 address in brackets: tcp://[::1]:8786")
    else:
        host, port_text = rest, ""
    if not host or any(c in host for c in "/?#@ "):
        raise InputError("--scheduler", address, "has no host name: give tcp://host:port")
    if port_text == "":
        return scheme, host, DASK_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InputError("--scheduler", address, f"port {port_text!r} is not a number from 1 to 65535")
    return scheme, host, int(port_text)


def check_scheduler(address: str, timeout_s: float = HANDSHAKE_TIMEOUT_S) -> None:
    """A bounded handshake with the Dask scheduler at ``address``, before Dask's own client talks to it.

    A Dask scheduler speaks first: on a new connection it sends its handshake (a msgpack mapping
    with ``compression``, ``python`` and ``pickle-protocol``), prefixed by its length as 8 bytes.
    This reads that frame with a deadline of ``timeout_s`` in all and at most 64 kB of it, so that
    a peer that accepts and stays silent, or answers with something else (an HTTP server, whose
    first bytes read as a length of 10^18 bytes made Dask's client allocate until MemoryError),
    is one line and exit status 2 within seconds. ``tls://`` addresses are only connected to (the
    TLS handshake is Dask's).

    Raises
    ------
    InputError
        Naming ``--scheduler`` and the address: no answer, refused, or not a Dask scheduler.
    """
    scheme, host, port = parse_scheduler(address)
    deadline = time.monotonic() + timeout_s

    def left() -> float:
        return max(deadline - time.monotonic(), 0.01)

    try:
        sock = socket.create_connection((host, port), timeout=min(left(), 5.0))
    except TimeoutError:
        raise InputError("--scheduler", address, f"no answer within {min(timeout_s, 5.0):g} s (is the host "
                                                 "reachable and the port open?)") from None
    except OSError as exc:
        raise InputError("--scheduler", address, f"cannot connect ({reader.os_reason(exc)}): is a Dask "
                                                 "scheduler running there?") from None
    with sock:
        if scheme == "tls":
            return
        try:
            header = _read_exactly(sock, 8, left)
            (size,) = struct.unpack("<Q", header)
            if not 0 < size <= 65_536:
                raise InputError("--scheduler", address, "answered, but not as a Dask scheduler does (its first "
                                                         "bytes are not a Dask message): check the host and port")
            frame = _read_exactly(sock, size, left)
        except TimeoutError:
            raise InputError("--scheduler", address, f"accepted the connection but said nothing within "
                                                     f"{timeout_s:g} s: not a Dask scheduler, or one too busy to "
                                                     "answer") from None
        except ConnectionError:
            raise InputError("--scheduler", address, "closed the connection without a Dask handshake: not a Dask "
                                                     "scheduler") from None
        if b"pickle-protocol" not in frame or b"compression" not in frame:
            raise InputError("--scheduler", address, "answered, but not with a Dask scheduler's handshake: check "
                                                     "the host and port")


def _read_exactly(sock: socket.socket, n: int, left) -> bytes:
    data = b""
    while len(data) < n:
        sock.settimeout(left())
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def run_sweep(spec: SweepSpec, scheduler: str | None = None, local_workers: int = 2, progress=None) -> SweepResult:
    """Run every point on Dask; with ``scheduler=None`` a local cluster of processes is started.

    ``progress``, if given, is called as ``progress("sweep points", done, total)`` as tasks finish.
    """
    # Dask's own log lines — a worker's "task cancelled" warning or its lost heartbeat when a Ctrl-C
    # closes the cluster — would break the one-line contract; a task's failure reaches the client as
    # its exception all the same. Set here and inherited by the local cluster's workers.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    pts = points(spec)
    tasks = [(i, j, sc) for i, pt in enumerate(pts) for j, sc in enumerate(pt.scenarios)]
    cluster = None
    try:
        if scheduler is None:
            check_loopback()
            with dask.config.set({"distributed.comm.timeouts.connect": "10s"}):
                cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
            client = Client(cluster, timeout="10s")
        else:
            check_scheduler(scheduler)
            try:
                client = Client(scheduler, timeout=f"{HANDSHAKE_TIMEOUT_S:g}s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError("--scheduler", scheduler, f"no Dask scheduler answers there ({type(exc).__name__})") from None
        with client:
            keys = [f"skyswap-point-{i}-{j}" for i, j, _ in tasks]
            futures = client.map(run_point, [t[2] for t in tasks], key=keys)
            if progress is not None:
                progress("sweep points", 0, len(futures))
                for done, _ in enumerate(as_completed(futures), start=1):
                    progress("sweep points", done, len(futures))
            results = client.gather(futures)
    finally:
        if cluster is not None:
            cluster.close()
    frames: list[list[pd.DataFrame]] = [[None] * len(pt.scenarios) for pt in pts]
    for (i, j, _), df in zip(tasks, results):
        frames[i][j] = df
    return _assemble(pts, frames)


def run_serial(spec: SweepSpec) -> SweepResult:
    """The same points, one by one in this process (the reference the Dask run must equal)."""
    pts = points(spec)
    return _assemble(pts, [[run_point(sc) for sc in pt.scenarios] for pt in pts])


def write(result: SweepResult, out_dir: Path) -> list[Path]:
    """``sweep.parquet`` (one row per point and pass), ``points.parquet`` and ``points.csv``, as one set
    replacing the previous one."""

    points_table = result.points.astype({c: str for c in result.points.columns if result.points[c].dtype == object})
    files: dict[str, str | bytes] = {"sweep.parquet": export.parquet_bytes(result.passes),
                                      "points.parquet": export.parquet_bytes(points_table),
                                      "points.csv": export.csv_text(points_table)}
    return outset.write_set(out_dir, files, "sweep")
