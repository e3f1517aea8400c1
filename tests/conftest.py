"""Test-suite wide fixtures.

No test may touch the network: every socket connection to a non-local address raises.
"""
from __future__ import annotations

import socket

import pytest


class NetworkAccessError(RuntimeError):
    """Raised when code under test tries to open a network connection."""


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else address
    return host in ("127.0.0.1", "::1", "localhost") or str(host).startswith("127.")


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkAccessError(f"test tried to connect to {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_local(address):
        raise NetworkAccessError(f"test tried to connect to {address!r}")
    return _real_connect_ex(self, address)


def _guarded_create_connection(address, *args, **kwargs):
    if not _is_local(address):
        raise NetworkAccessError(f"test tried to connect to {address!r}")
    return _real_create_connection(address, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """Make any non-loopback socket connection an error for the whole suite.

    Loopback stays allowed: the local Dask cluster of the sweep tests talks over 127.0.0.1.
    """
    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", _guarded_connect)
    mp.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    mp.setattr(socket, "create_connection", _guarded_create_connection)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def result():
    """The report tests' synthetic ``MissionResult`` (tests/result_fixture.py), once per module (a
    module may define its own ``result``, which then wins)."""
    from tests import result_fixture as fx

    return fx.make_result()


@pytest.fixture(scope="module")
def page(result):
    """The HTML report of the module's ``result``."""
    from skyswap.mission.outputs import report

    return report.render_html(result)
