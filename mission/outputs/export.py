"""Exports: CSV, Parquet, JSON and iCalendar bytes from result tables (formatting only)."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .tables import require_unique_columns, rounded, rounded_values

if TYPE_CHECKING:  # pandas is imported where a frame is read: `skyswap passes` writes its CSV without it
    import pandas as pd

#: Line breaks and control characters, which no name written to a text export may carry: C0 and
#: C1 controls (tab excepted), DEL, the Unicode line and paragraph separators, bidirectional
#: overrides and isolates. Scenario files cannot bring them (the reader refuses them); names built
#: through the Python API might.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}


def escape_controls(text: str) -> str:
    """``text`` on one line with every control character visible: ``\\n``, ``\\r``, ``\\x1b``, ``\\u2028``."""
    return CONTROL_CHARACTERS.sub(lambda m: _ESCAPES.get(m.group(), repr(m.group())[1:-1]), str(text))


def frame_columns(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """A frame's columns as numpy arrays: numbers and booleans as they are, floats of a pandas
    extension type (``Float64``) as floats with NaN for a missing value (rounded like any float, as
    :func:`tables.rounded` treats them), anything else as an object array with None where pandas
    sees a missing value."""
    require_unique_columns(df, "csv_text")

    def column(c) -> np.ndarray:
        col = df[c]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind in "fiub":
            return col.to_numpy()
        if col.dtype.kind == "f":
            return col.to_numpy(dtype=float, na_value=np.nan)
        return col.to_numpy(dtype=object, na_value=None)

    return {str(c): column(c) for c in df.columns}


def _cells(column: str, values: np.ndarray) -> list:
    """A column's CSV cells: floats rounded (:func:`tables.rounded_values`) and written as the
    shortest text that reads back to the same number (Python's ``repr``, as pandas writes float64),
    missing values empty, booleans ``True``/``False``, text with control characters escaped."""
    values = np.asarray(values)
    kind = values.dtype.kind
    if kind == "f":
        v = rounded_values(column, values)
        cells = list(map(repr, v.tolist())) if v.dtype == np.float64 else list(v.astype(str))
        for i in np.flatnonzero(np.isnan(v)).tolist():
            cells[i] = ""
        return cells
    if kind in "iu":
        return list(map(str, values.tolist()))
    if kind == "b":
        return ["True" if x else "False" for x in values.tolist()]
    if kind in "OUS":
        cells = ["" if x is None or (isinstance(x, float) and x != x) else x for x in values.tolist()]
        text = [x for x in cells if isinstance(x, str)]
        if CONTROL_CHARACTERS.search("".join(text)):
            cells = [escape_controls(x) if isinstance(x, str) else x for x in cells]
        return cells
    raise TypeError(f"csv_text: column {column!r} has type {values.dtype}, which no CSV export writes")


def csv_text(table: pd.DataFrame | Mapping[str, np.ndarray]) -> str:
    """CSV of a frame or of ordered columns (name → 1-D array of equal lengths): floats rounded to
    fixed decimals, ``\n`` line ends, empty cells for missing values, no line break or control
    character inside a cell (:func:`escape_controls`), quotes where the ``csv`` module's minimal
    quoting needs them: the bytes pandas' ``to_csv(index=False)`` writes of the rounded frame (a
    test holds them equal), without pandas."""
    cols = dict(table) if isinstance(table, Mapping) else frame_columns(table)
    if not cols:  # a frame without columns: an empty header and an empty line per row
        return "\n" * (1 + (0 if isinstance(table, Mapping) else len(table)))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(cols))
    writer.writerows(zip(*(_cells(name, v) for name, v in cols.items())))
    return buf.getvalue()


def utc_timestamps(df: pd.DataFrame) -> pd.DataFrame:
    """The ``*_utc`` columns (ISO 8601 text with ``Z``) as UTC timestamps (millisecond resolution,
    as written in the CSV), for typed exports; other columns untouched."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if col.endswith("_utc") and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            text = out[col].astype(object).where(out[col].notna() & (out[col].astype(str) != ""), None)
            out[col] = pd.to_datetime(text, utc=True, format="ISO8601").astype("datetime64[ms, UTC]")
    return out


#: How skyswap writes Parquet: zstd, with column statistics, no dictionary pages (zstd finds the
#: repeats: files as small or smaller, written ~2x faster; measured on a sweep's pass rows).
_PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": True, "use_dictionary": False}


def _arrow_table(df: pd.DataFrame):
    """The Arrow table a Parquet export holds: rounded, ``*_utc`` as timestamps, no pandas metadata."""
    import pyarrow as pa

    table = pa.Table.from_pandas(utc_timestamps(rounded(df)), preserve_index=False)
    return table.replace_schema_metadata(None)  # the pandas metadata block carries no data we need


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet (pyarrow), written without timestamps or library versions that vary between runs.

    Time columns (``*_utc``) are Parquet timestamps in UTC (``timestamp[ms, tz=UTC]``), not text.
    """
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(_arrow_table(df), buf, **_PARQUET_OPTIONS)
    return buf.getvalue()


def arrow_bytes(df: pd.DataFrame) -> bytes:
    """The Arrow table a Parquet export of ``df`` holds (rounded, ``*_utc`` as timestamps), as
    Arrow's IPC stream with lz4 buffers: what one process sends another that writes the Parquet
    (a sweep point's pass rows, ~2,000 rows by 74 columns: written in 1.8 ms and read in 1.1 ms,
    against 5.5 and 3.9 ms as Parquet, at 1.4x Parquet's size; measured on this project's sweep
    rows). :func:`arrow_table` reads it."""
    import pyarrow as pa

    table = _arrow_table(df)
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    return sink.getvalue()


def arrow_table(data: bytes):
    """The Arrow table of :func:`arrow_bytes`."""
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


#: Rows of a row group of a joined Parquet file (:class:`JoinedParquet`): parts are gathered up to
#: this many rows, so that a thousand small parts do not become a thousand row groups (each column
#: of each group is encoded, compressed and described on its own: ~18 ms a part).
JOINED_ROW_GROUP_ROWS = 65536


class JoinedParquet:
    """One Parquet file written part by part into ``sink`` (a binary file), as the parts come: their
    rows in the order given, in row groups of whole parts holding at least ``rows_per_group`` rows
    each (the last group fewer), so that no more than about a group's rows wait in memory. Every
    part takes the schema of the first part with rows (a part without rows may have typed its
    columns differently); with no rows at all, the file is the first part's (empty) table. The file
    depends on the parts only, not on when they came or how they were computed.

    Parts are Arrow tables as a Parquet export holds them (:func:`arrow_table` of
    :func:`arrow_bytes`). Use as a context manager, or call :meth:`close` once after the last part.
    """

    def __init__(self, sink, rows_per_group: int = JOINED_ROW_GROUP_ROWS):
        self._sink = sink
        self._rows_per_group = int(rows_per_group)
        self._writer: Any = None  # a pyarrow ParquetWriter, from the first part with rows
        self._first_empty: Any = None  # the first part, without its rows: the file when no part has any
        self._group: list = []
        self._held = 0
        self.rows = 0  #: rows added so far

    def add(self, table) -> None:
        """Append one part's rows (an Arrow table)."""
        import pyarrow.parquet as pq

        if self._first_empty is None:
            self._first_empty = table.slice(0, 0)
        if table.num_rows == 0:
            return
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._sink, table.schema, **_PARQUET_OPTIONS)
        self._group.append(table.cast(self._writer.schema))
        self._held += table.num_rows
        self.rows += table.num_rows
        if self._held >= self._rows_per_group:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._group:
            self._writer.write_table(pa.concat_tables(self._group), row_group_size=self._held)
            self._group, self._held = [], 0

    def close(self) -> None:
        """Write what is held and the file's footer (with no part at all: an empty table's file)."""
        import pandas as pd
        import pyarrow.parquet as pq

        if self._writer is None:
            empty = self._first_empty if self._first_empty is not None else _arrow_table(pd.DataFrame())
            pq.write_table(empty, self._sink, **_PARQUET_OPTIONS)
            return
        self._flush()
        self._writer.close()

    def __enter__(self) -> JoinedParquet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return None if not np.isfinite(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


#: Significant digits of the floats in JSON outputs: sums agree to far better than this whatever
#: the order of summation or the CPU's vector width, so the file's bytes do not depend on them.
JSON_SIGNIFICANT_DIGITS = 10


def json_text(obj) -> str:
    """Deterministic JSON: sorted keys, floats to :data:`JSON_SIGNIFICANT_DIGITS`, NaN as null."""
    return json.dumps(_clean(obj), indent=2, sort_keys=True, default=_json_default, allow_nan=False) + "\n"


def _clean(o):
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    if isinstance(o, (float, np.floating)):
        return None if not np.isfinite(o) else float(f"{float(o):.{JSON_SIGNIFICANT_DIGITS}g}")
    return o
