"""The scheduled contacts as an iCalendar file for station crews (RFC 5545).

Deterministic: ``DTSTAMP`` is the scenario's span start rather than the wall clock, and event
UIDs are built from the pass id and the scenario hash, so the same scenario gives the same bytes.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .numbers import significant

if TYPE_CHECKING:
    import pandas as pd

PRODID = "-//skyswap//mission planner//EN"


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, ``;`` and ``,`` escaped, every line break
    (``\\r\\n``, ``\\n``, a lone ``\\r``, U+2028/2029, NEL) written ``\\n``, and other control characters,
    which a TEXT value may not hold, replaced by U+FFFD."""
    text = (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n"))
    return _CONTROL.sub(lambda m: "\\n" if m.group() in _BREAKS else "\ufffd", text)


#: Line breaks a TEXT value escapes as ``\\n``.
_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
#: Characters a TEXT value may not hold as they are (horizontal tab is allowed).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), continuation lines start with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)


def _ics_time(iso_z: str) -> str:
    """'2027-01-03T21:04:05.123Z' → '20270103T210405Z' (seconds truncated, as iCalendar has no fractions)."""
    return iso_z[:19].replace("-", "").replace(":", "") + "Z"


def _fmt(v, spec: str) -> str:
    import pandas as pd

    try:
        return "n/a" if pd.isna(v) else format(v, spec)
    except (TypeError, ValueError):
        return str(v)


def _pointing(row, tag: str) -> str:
    """'az 123° el 20° -> az 180° el 64° (max) -> az 240° el 21°' for station ``tag`` (a or b)."""
    parts = []
    for where in ("start", "max", "end"):
        az, el = getattr(row, f"azimuth_{where}_{tag}_deg", None), getattr(row, f"elevation_{where}_{tag}_deg", None)
        parts.append(f"az {_fmt(az, '.0f')}° el {_fmt(el, '.0f')}°" + (" (highest)" if where == "max" else ""))
    return " → ".join(parts)


def calendar_text(schedule: pd.DataFrame, mode: str, scenario_name: str, scenario_hash: str, dtstamp_utc: str) -> str:
    """One VEVENT per scheduled contact (``schedule.csv``'s rows), with each station's pointing."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape('skyswap ' + scenario_name)}"]
    stamp = _ics_time(dtstamp_utc)
    for row in schedule.itertuples(index=False):
        where = row.station_a if not row.station_b else f"{row.station_a} + {row.station_b}"
        summary = f"skyswap {mode} contact {where} ({row.satellite})"
        desc = [
            f"contact {row.contact_id} of window {row.pass_id}, satellite {row.satellite}",
            f"delivering from {row.delivering_from_utc} (before: slew and acquisition)",
            f"duration {_fmt(row.duration_s, '.0f')} s",
            f"{row.station_a}: {_pointing(row, 'a')}",
        ]
        if row.station_b:
            desc.append(f"{row.station_b}: {_pointing(row, 'b')}")
        desc += [
            # expectations, not counts: significant digits (7.7e-3, not 0.0), see mission/outputs/numbers.py
            (f"expected BSM heralds {significant(row.bsm_heralds)}, four-fold swaps {significant(row.swaps_fourfold)}, "
             f"heralded pairs {significant(row.heralded_pairs)} ({significant(row.expected_heralded_pairs)} after "
             "clouds)"),
            f"fidelity {_fmt(row.fidelity, '.3f')}, cloud-free probability {_fmt(row.cloud_free_probability, '.2f')}",
            f"limited by {row.limited_by}",
        ]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(row.contact_id)}-{_escape(row.pass_id).replace(' ', '_')}-{scenario_hash[:16]}@skyswap",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(row.start_utc)}",
            f"DTEND:{_ics_time(row.end_utc)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(where)}",
            f"DESCRIPTION:{_escape(chr(10).join(desc))}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
