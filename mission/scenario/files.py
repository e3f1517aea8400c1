"""Files a scenario names, read as what they claim to be: a TLE file (``orbit.tle``), an OMM file
(``orbit.omm``), a cloud-statistics CSV (``channel.cloud_csv``).

Each is read through :func:`.reader.read_text` (regular files only, bounded, plain text) and
checked at load, before any work: a file that is not what its field says is refused with one line
naming the field and the path as the user wrote it, and at most the line number and the column
range where the file stops being a TLE — never the file's content (a scenario may name any path,
and an error must not print some other file). Paths are relative to the scenario's folder and may
leave it (:func:`.reader.resolve`).

References
----------
.. [1] D. A. Vallado, P. Crawford, R. Hujsak, T. S. Kelso, "Revisiting Spacetrack Report #3",
   AIAA 2006-6753 (2006), the TLE format. https://doi.org/10.2514/6.2006-6753
"""
from __future__ import annotations

import re
from pathlib import Path

from ...groundstations.clouds import CloudDataError, parse_cloud_csv
from . import reader
from .errors import InputError


def tle_checksum(line: str) -> int:
    """Modulo-10 checksum of the first 68 columns of a TLE line (digits count, '-' counts 1) [1]."""
    total = 0
    for ch in line[:68]:
        if ch.isdigit():
            total += int(ch)
        elif ch == "-":
            total += 1
    return total % 10


#: The numeric fields of each TLE line: (first column, last column, name, form), 1-based columns as
#: in the format's definition [1]. Forms: "float" a decimal number, "implied" a mantissa with an
#: implied decimal point and an exponent (``-11606-4``), "digits" digits only (an implied decimal
#: point before them), "int" an integer.
TLE_FIELDS = {
    "1": ((19, 20, "epoch year", "int"), (21, 32, "epoch day", "float"),
          (34, 43, "first derivative of the mean motion", "float"), (45, 52, "second derivative of the mean motion",
                                                                       "implied"),
          (54, 61, "B* drag term", "implied"), (65, 68, "element set number", "int?")),
    "2": ((9, 16, "inclination [deg]", "float"), (18, 25, "right ascension of the ascending node [deg]", "float"),
          (27, 33, "eccentricity", "digits"), (35, 42, "argument of perigee [deg]", "float"),
          (44, 51, "mean anomaly [deg]", "float"), (53, 63, "mean motion [rev/day]", "float"),
          (64, 68, "revolution number", "int?")),
}
_TLE_FORMS = {
    "float": re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)\s*"),
    "implied": re.compile(r"\s*[-+ ]?\d{1,5}[-+]\d\s*"),
    "digits": re.compile(r"\d+"),
    "int": re.compile(r"\s*\d+\s*"),
    "int?": re.compile(r"\s*\d*\s*"),
}


def parse_tle(text: str, field: str = "orbit.tle", shown: str | None = None) -> tuple[str | None, str, str]:
    """Split a two- or three-line element set and check its form.

    Checks the line count, the line numbers and their order, the 69-column length, that every
    numeric field holds a number (:data:`TLE_FIELDS`), the matching catalog numbers and both
    checksums.

    Parameters
    ----------
    text : str
        The element set.
    field : str
        The scenario field it comes from, for error lines.
    shown : str, optional
        When the element set comes from a file: the path as the user wrote it. Error lines then
        show it and the line number in the file, never the file's content (a path that names some
        other file must not print that file).

    Returns
    -------
    (name, line1, line2)
        ``name`` is None for a two-line set.

    Raises
    ------
    InputError
        Naming ``field`` and the offending line (inline) or the file's line number (a file).
    """
    numbered = [(i + 1, ln.strip()) for i, ln in enumerate(str(text).splitlines()) if ln.strip()]
    lines = [ln for _, ln in numbered]

    def refuse(index: int | None, reason: str, piece: str | None = None):
        if shown is None:
            value = piece if piece is not None else (lines[index] if index is not None else text)
            raise InputError(field, value, reason)
        where = f"line {numbered[index][0]} of the file: " if index is not None else ""
        raise InputError(field, shown, where + reason + " (this file is read as a TLE)")

    if len(lines) == 1 and shown is None and "\n" not in str(text) and "\r" not in str(text):
        raise InputError(field, text, "a one-line value is the path of a TLE file; load the scenario with "
                                      "load_scenario (which reads it), or give the 2 or 3 lines")
    if len(lines) not in (2, 3):
        refuse(None, f"a TLE has 2 or 3 lines, found {len(lines)}")
    name = lines[0].strip() if len(lines) == 3 else None
    if name is not None and name.startswith("0 "):
        name = name[2:].strip()
    i1, i2 = len(lines) - 2, len(lines) - 1
    l1, l2 = lines[i1], lines[i2]
    if l1.startswith("2 ") and l2.startswith("1 "):
        refuse(i1, "TLE lines are swapped: line 1 must come first")
    for number, index, line in (("1", i1, l1), ("2", i2, l2)):
        if not line.startswith(number + " "):
            refuse(index, f"TLE line {number} must start with '{number} '")
        if len(line) != 69:
            refuse(index, f"TLE line {number} has {len(line)} columns, not 69")
        for lo, hi, what, form in TLE_FIELDS[number]:
            piece = line[lo - 1:hi]
            if not _TLE_FORMS[form].fullmatch(piece):
                refuse(index, f"TLE line {number}, columns {lo}-{hi} ({what}) is not a number", piece)
        if not line[68].isdigit():
            refuse(index, f"TLE line {number} ends without a checksum digit")
        expected = tle_checksum(line)
        if int(line[68]) != expected:
            refuse(index, f"TLE line {number} checksum is {line[68]}, computed {expected}")
    if l1[2:7] != l2[2:7]:
        refuse(i2, f"TLE lines carry different catalog numbers ({l1[2:7]!r} and {l2[2:7]!r})", l2[2:7])
    return name, l1, l2


def read_omm_fields(path: str, field: str, shown: str | None = None) -> dict:
    """The fields of the first CCSDS OMM record (CCSDS 502.0-B-3) of an XML or CSV file, read through
    the bounded reader and the ``sgp4.omm`` parser; an error names ``field`` and the path as
    written, never the file's content."""
    import io

    from sgp4 import omm

    value = path if shown is None else shown
    text = reader.read_text(path, field, "OMM file", shown=value)
    try:
        stream = io.StringIO(text)
        records = omm.parse_xml(stream) if path.lower().endswith(".xml") else omm.parse_csv(stream)
        fields = dict(next(iter(records)))
        for key in ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
                    "MEAN_ANOMALY"):
            if key not in fields:
                raise KeyError(key)
    except StopIteration:
        raise InputError(field, value, "OMM file holds no record") from None
    except KeyError as exc:
        raise InputError(field, value, f"is not a CCSDS OMM: field {str(exc.args[0])[:40]!r} is missing") from None
    except Exception as exc:  # the XML or CSV parser, a field that is not a number
        raise InputError(field, value, f"is not a CCSDS OMM in {'XML' if path.lower().endswith('.xml') else 'CSV'} "
                                       f"({type(exc).__name__})") from None
    return fields


def is_tle_path(value: str) -> bool:
    """How ``orbit.tle`` tells a path from an element set: a value with a line break is the element
    set itself (``tle: |`` and its lines); a value on one line is the path of a TLE file (relative
    to the scenario file). A TLE needs two lines, so no one-line value can be one."""
    return "\n" not in value and "\r" not in value


def read_tle_file(value: str, base: Path, field: str = "orbit.tle") -> str:
    """The text of the TLE file a one-line ``orbit.tle`` names (see :func:`is_tle_path`), checked to
    be a TLE; an error names the field and the path as written, never the file's content."""
    path = reader.resolve(value, base)
    looks_inline = value.lstrip().startswith(("1 ", "2 ")) and len(value.strip()) >= 60
    if looks_inline and not path.exists():
        raise InputError(field, value, "is one TLE line, read as a file path (not found): an inline TLE needs "
                                       "its 2 or 3 lines, e.g. after 'tle: |'")
    text = reader.read_text(path, field, "TLE file", shown=value)
    parse_tle(text, field, shown=value)  # a file that is not a TLE is refused here, by line number only
    return text


def read_cloud_csv(path: str | Path, field: str = "channel.cloud_csv", shown: object = None):
    """The monthly cloud-free table of a user CSV (:func:`groundstations.clouds.parse_cloud_csv`),
    read through the bounded reader; errors name ``field`` and the path as written."""
    value = reader.short_path(path) if shown is None else shown
    text = reader.read_text(path, field, "cloud CSV", shown=value)
    try:
        return parse_cloud_csv(text)
    except CloudDataError as exc:
        raise InputError(field, value, str(exc)) from None


