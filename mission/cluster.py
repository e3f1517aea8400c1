"""Dask clusters for sweeps and maps: a local cluster of processes on 127.0.0.1, or an existing
scheduler reached after a bounded handshake (``--scheduler``). One place for both commands
(``skyswap sweep``, ``skyswap map``): how a cluster starts, how a scheduler is checked, and the one
line a user sees when neither works.
"""
from __future__ import annotations

import contextlib
import logging
import os
import socket
import struct
import time
from collections.abc import Iterator

from . import signals
from .scenario import reader
from .scenario.errors import InputError

#: Longest a scheduler may take to answer skyswap's connection before it is refused. [s]
HANDSHAKE_TIMEOUT_S = 10.0
#: Dask's port when an address gives none.
DASK_PORT = 8786


def check_loopback(timeout_s: float = 2.0) -> None:
    """The local Dask cluster talks over 127.0.0.1: check that a connection there is answered.

    Raises
    ------
    InputError
        At once (not after Dask's connect timeouts, about a minute) when the loopback network is
        down or refuses, naming ``--scheduler`` as the way out.
    """
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


#: Dask settings of a local cluster beyond its defaults. The workers' statistical profiler (a stack
#: sample of the running task every 10 ms, for a dashboard skyswap does not serve), the GIL monitor
#: and the system monitor's 0.5 s polling are sampling nobody reads in a skyswap run. The scheduler
#: keeps the task queue (worker-saturation 1.0): a worker that finishes takes the next task at once,
#: instead of idling while its peer holds a queued one that work stealing moves only after ~1-3 s
#: (a sweep's last points). The memory monitors (each nanny's, which run in skyswap's own process,
#: and each worker's) read /proc every second instead of every 100 ms, and the event loops' tick,
#: which only feeds "event loop unresponsive" log lines, runs every second instead of every 20 ms:
#: over a 40-point sweep on two workers skyswap's own process then took 2.1 s of CPU instead of
#: 3.5 s — time a two-worker run on two CPUs takes from its workers. (A point's ~0.6 GB is far from
#: the nanny's limit, which it checks once a second.)
LOCAL_CLUSTER_SETTINGS = {"distributed.worker.profile.enabled": False,
                          "distributed.admin.system-monitor.gil.enabled": False,
                          "distributed.admin.system-monitor.interval": "5s",
                          "distributed.worker.memory.monitor-interval": "1s",
                          "distributed.admin.tick.interval": "1s",
                          "distributed.scheduler.worker-saturation": 1.0}


def local_cluster(workers: int):
    """A local Dask cluster of ``workers`` processes on 127.0.0.1, one thread each, its dashboard on
    a free loopback port,
    workers logging nothing below critical (a heartbeat racing the scheduler's shutdown is no user's
    business), and without the ``MALLOC_TRIM_THRESHOLD_=65536`` Dask gives its workers: with it
    every array above 128 KiB is fresh zeroed pages from the kernel and a year point ran 1.5x slower
    (:mod:`mission.memory`)."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.comm.timeouts.connect": "10s",
                          "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                          **LOCAL_CLUSTER_SETTINGS}):
        # the dashboard on a free loopback port: None still takes :8787, and a second cluster on the
        # machine then prints "Port 8787 is already in use", which would break the one-line contract
        # the workers, spawned from the cluster's threads, never see the terminal's Ctrl-C (their
        # traceback would break the one-line contract): the command line answers it and closes them.
        # multiprocessing's resource tracker, started with the first spawned process, unblocks
        # SIGINT in the thread that starts it: it is started before the mask is set.
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
        with signals.terminal_signals_blocked():
            return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                dashboard_address="127.0.0.1:0", host="127.0.0.1", silence_logs=logging.CRITICAL)


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator:
    """A Dask ``Client``: to a local cluster of ``workers`` processes (:func:`local_cluster`, after
    :func:`check_loopback`) when ``scheduler`` is None, else to the scheduler at that address
    (after :func:`check_scheduler`). The local cluster is closed on the way out, whatever happened.

    Raises
    ------
    InputError
        Naming ``--scheduler``: the loopback network is down, or no Dask scheduler answers there.
    """
    # Dask's own log lines — a worker's "task cancelled" warning or its lost heartbeat when a Ctrl-C
    # closes the cluster — would break the one-line contract; a task's failure reaches the client as
    # its exception all the same. Set before Dask is imported, and inherited by the local workers.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    from dask.distributed import Client

    cluster = None
    try:
        if scheduler is None:
            check_loopback()
            cluster = local_cluster(workers)
            client = Client(cluster, timeout="10s")
        else:
            check_scheduler(scheduler)
            try:
                client = Client(scheduler, timeout=f"{HANDSHAKE_TIMEOUT_S:g}s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError("--scheduler", scheduler, f"no Dask scheduler answers there ({type(exc).__name__})") from None
        with client:
            yield client
    finally:
        if cluster is not None:
            cluster.close()
