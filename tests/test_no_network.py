import socket

import pytest

from tests.conftest import NetworkAccessError


def test_outbound_connection_is_refused():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkAccessError):
            s.connect(("93.184.216.34", 80))
    finally:
        s.close()


def test_create_connection_is_refused():
    with pytest.raises(NetworkAccessError):
        socket.create_connection(("example.org", 443), timeout=0.1)
