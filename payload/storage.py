"""Onboard data: bytes recorded per detection event and per BSM herald, the store, and the downlink.

While the payload operates it records time tags of detection events and one record per
BSM herald; the data wait in the onboard store until a ground contact downlinks them.
Data not yet downlinked are carried to the next contact; a full store stops recording
(the payload is paused until the store has drained to ``storage_resume_fraction``).

The store is a reservoir like the battery: with piecewise-constant recording and downlink
rates it is integrated exactly per piece by :func:`store_step`.

References
----------
.. [1] Peragin, E. et al., "X Band Downlink for CubeSat", Proc. AIAA/USU Conference on
   Small Satellites, SSC12-VI-7 (2012): a CubeSat X-band transmitter with user data rates
   up to 50 Mbit/s to 3-5 m ground antennas.
"""
from __future__ import annotations

import dataclasses
from typing import Annotated

import numpy as np
from annotated_types import Ge, Interval, Le

__all__ = ["DataBudget", "recorded_data_rate_bytes_s", "store_step"]


@dataclasses.dataclass(frozen=True)
class DataBudget:
    """Data volume per event, onboard storage and downlink.

    Fields
    ------
    bytes_per_event
        Bytes per recorded detection event (one 64-bit word holding timestamp and
        channel, the usual time-tagger record); assumption 8. [B]
    bytes_per_herald_record
        Bytes per BSM-herald record (time, Bell-state outcome, the partner photons' clicks and
        analyser settings); assumption 32. [B] (Was ``bytes_per_swap_record``.)
    storage_bytes
        Onboard store for payload data; assumption 32 GiB-class, 32e9 B. [B]
    downlink_rate_bps
        Classical downlink rate during a ground contact (X band, [1] quotes up to
        50 Mbit/s); assumption 50e6. [bit/s]
    storage_resume_fraction
        After a full store paused the payload, recording resumes once the store has drained
        to this fraction of its size; assumption 0.5. [-]
    """

    bytes_per_event: Annotated[float, Ge(0), Le(1e4)] = 8.0
    bytes_per_herald_record: Annotated[float, Ge(0), Le(1e6)] = 32.0
    storage_bytes: Annotated[float, Ge(0), Le(1e15)] = 32e9  # up to 1 PB
    downlink_rate_bps: Annotated[float, Ge(0), Le(1e12)] = 50e6  # up to 1 Tbit/s
    storage_resume_fraction: Annotated[float, Interval(ge=0, lt=1)] = 0.5

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}


def recorded_data_rate_bytes_s(event_rate_hz, bsm_herald_rate_hz, data: DataBudget) -> np.ndarray:
    """Rate at which an operating payload fills the store.

    Parameters
    ----------
    event_rate_hz : array_like
        Recorded detection events per second (all channels, time tags kept). [Hz]
    bsm_herald_rate_hz : array_like
        BSM heralds per second (one record each). [Hz]
    data : DataBudget
        Bytes per event and per herald record.

    Returns
    -------
    ndarray
        Recorded data rate. [B/s]
    """
    return (np.asarray(event_rate_hz, dtype=float) * data.bytes_per_event
            + np.asarray(bsm_herald_rate_hz, dtype=float) * data.bytes_per_herald_record)


def store_step(store_bytes, record_rate_bytes_s, downlink_rate_bytes_s, duration_s, capacity_bytes):
    """Integrate the data store over a piece of constant rates, in closed form.

    One rule, two ways in: with Python floats for the first four arguments (what the
    scheduler's event loop passes, once per event) the rule runs directly on the floats and
    returns floats; with anything else (arrays, numpy scalars, ints) the same rule is applied
    element by element with numpy broadcasting and returns arrays. There is no second copy.

    Parameters
    ----------
    store_bytes : float or array_like
        Data held at the start. [B]
    record_rate_bytes_s : float or array_like
        Recording rate offered by the payload. [B/s]
    downlink_rate_bytes_s : float or array_like
        Downlink capacity rate. [B/s]
    duration_s : float or array_like
        Piece length. [s]
    capacity_bytes : float or array_like
        Store size. [B]

    Returns
    -------
    store_end_bytes, recorded_bytes, downlinked_bytes, dropped_bytes : float or ndarray
        Data held at the end, data written, data sent down, and data offered for recording
        that did not fit (the scheduler pauses the payload before this is ever > 0). [B]

    Notes
    -----
    Conservation: ``store_end = store + recorded - downlinked`` and
    ``recorded + dropped = record_rate * duration``.
    """
    if not (type(store_bytes) is float and type(record_rate_bytes_s) is float
            and type(downlink_rate_bytes_s) is float and type(duration_s) is float):
        args = [np.asarray(x, dtype=float) for x in
                (store_bytes, record_rate_bytes_s, downlink_rate_bytes_s, duration_s, capacity_bytes)]
        return tuple(np.asarray(x, dtype=float) for x in _store_step_elementwise(*args))
    # floats: conditional expressions rather than min()/max(), which cost ~0.1 us a call here
    offered_bytes = record_rate_bytes_s * duration_s
    link_bytes = downlink_rate_bytes_s * duration_s
    # the downlink draws on what is held and on what arrives during the piece
    available_bytes = store_bytes + offered_bytes
    if available_bytes < link_bytes:  # the store empties: everything held and offered goes down
        downlinked_bytes, unclipped_bytes = available_bytes, 0.0
    else:  # the net rate first: two large, nearly equal flows cancel before they meet the store
        downlinked_bytes = link_bytes
        unclipped_bytes = store_bytes + (record_rate_bytes_s - downlink_rate_bytes_s) * duration_s
    end_bytes = unclipped_bytes if unclipped_bytes < capacity_bytes else capacity_bytes
    dropped_bytes = unclipped_bytes - end_bytes
    return end_bytes, offered_bytes - dropped_bytes, downlinked_bytes, dropped_bytes


#: :func:`store_step` applied element by element with numpy broadcasting (its array path).
_store_step_elementwise = np.frompyfunc(store_step, 5, 4)
