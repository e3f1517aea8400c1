"""The one explicit loader of time-scale and ephemeris data.

Everything comes from installed packages, never from the network:

* the time scale is Skyfield's built-in one (leap seconds and ΔT shipped with Skyfield);
* the JPL DE421 ephemeris is the copy shipped by ``skyfield-data`` (its coverage, and the spans a
  scenario may ask for: :data:`mission.scenario.schema.EPHEMERIS_SPAN_UTC`).

``skyfield-data`` warns at import time that its bundled ``finals2000A.all`` (IERS polar motion /
UT1) has "expired". skyswap does not use that file — the built-in time scale carries its own ΔT —
so the warning says nothing about our results and is silenced here, narrowly, by message.
"""
from __future__ import annotations

import functools
import warnings

EPHEMERIS_FILE = "de421.bsp"


def _data_path() -> str:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"The file .* has expired", category=RuntimeWarning)
        from skyfield_data import get_skyfield_data_path

        return get_skyfield_data_path()


@functools.lru_cache(maxsize=1)
def _loader():
    from skyfield.api import Loader

    # verbose=False: never print download progress; expire=False: never decide a file is stale.
    return Loader(_data_path(), verbose=False, expire=False)


@functools.lru_cache(maxsize=1)
def timescale():
    """Skyfield's built-in time scale (no file, no download)."""
    return _loader().timescale(builtin=True)


@functools.lru_cache(maxsize=1)
def ephemeris():
    """The JPL DE421 ephemeris from ``skyfield-data`` (coverage: :data:`mission.scenario.schema.EPHEMERIS_SPAN_UTC`)."""
    import os

    path = os.path.join(_data_path(), EPHEMERIS_FILE)
    if not os.path.exists(path):  # pragma: no cover - a broken installation
        raise RuntimeError(f"skyfield-data has no {EPHEMERIS_FILE} at {path}; reinstall skyfield-data")
    import atexit

    kernel = _loader()(EPHEMERIS_FILE)
    atexit.register(kernel.close)  # the file stays open for the process's life; close it cleanly
    return kernel

