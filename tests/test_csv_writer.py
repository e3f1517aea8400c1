"""The CSV writer (:func:`mission.outputs.export.csv_text`) against pandas' ``to_csv`` as the
reference: skyswap writes its CSV files with the ``csv`` module from numpy columns (so that
``skyswap passes`` needs no pandas), and their bytes must be those pandas writes of the same rounded
frame, for any floats (shortest round-trip text, NaN empty), integers, booleans and text (quotes,
separators, line breaks and control characters escaped, missing values empty)."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.mission.outputs import export, tables


def pandas_reference(df: pd.DataFrame) -> str:
    """What skyswap wrote before its own writer: the rounded frame, text cells with control
    characters escaped, through pandas' ``to_csv``."""
    out = tables.rounded(df)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: export.escape_controls(v) if isinstance(v, str) else v)
    return out.to_csv(index=False, lineterminator="\n")


text = st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
                 st.sampled_from(["a,b", 'say "x"', "line\nbreak", "cr\rlf", "tab\there", "", " lead", "\x1b[0m"]))
floats = st.floats(allow_nan=True, allow_infinity=True, width=64)


@st.composite
def frames(draw):
    n = draw(st.integers(0, 12))
    cols = {}
    # a fixed-decimals column, a 6-significant-digits column, an integer, a boolean, text and mixed objects
    cols["duration_s"] = draw(st.lists(floats, min_size=n, max_size=n))
    cols["x_value"] = draw(st.lists(floats, min_size=n, max_size=n))
    cols["loss_total_db"] = draw(st.lists(floats, min_size=n, max_size=n))
    cols["count"] = draw(st.lists(st.integers(-2**63, 2**63 - 1), min_size=n, max_size=n))
    cols["flag"] = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    cols["name"] = draw(st.lists(text, min_size=n, max_size=n))
    cols["mixed"] = np.array(draw(st.lists(st.one_of(text, floats), min_size=n, max_size=n)), dtype=object)
    df = pd.DataFrame({k: (np.array(v, dtype=float) if k in ("duration_s", "x_value", "loss_total_db")
                           else np.array(v, dtype=np.int64) if k == "count" else v) for k, v in cols.items()})
    keep = draw(st.lists(st.sampled_from(list(cols)), unique=True))
    return df[keep] if keep else df


@settings(max_examples=300, deadline=None)
@given(frames())
def test_csv_text_is_pandas_to_csv_of_the_rounded_frame(df):
    assert export.csv_text(df) == pandas_reference(df)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(width=64), min_size=1, max_size=50))
def test_columns_and_their_frame_give_the_same_bytes_and_read_back(values):
    cols = {"pass_id": np.array([f"A/{i:04d}" for i in range(len(values))], dtype=object),
            "value": np.array(values, dtype=float)}
    text = export.csv_text(cols)
    assert text == export.csv_text(pd.DataFrame(cols)) == pandas_reference(pd.DataFrame(cols))
    back = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    expected = tables.rounded_values("value", np.array(values, dtype=float))
    np.testing.assert_array_equal(back["value"].to_numpy(dtype=float), expected)  # the text reads back exactly


def test_a_frame_without_columns_and_a_pandas_extension_column():
    assert export.csv_text(pd.DataFrame(index=range(3))) == pd.DataFrame(index=range(3)).to_csv(index=False)
    df = pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64"), "s": pd.array(["a", None, "b,c"], dtype="str"),
                       "x_value": pd.array([1.23456789, None, 2.0], dtype="Float64")})
    assert export.csv_text(df) == pandas_reference(df)
    assert export.csv_text(df).splitlines()[1:] == ["1,a,1.23457", ",,", '3,"b,c",2.0']  # Float64 rounded too


def test_a_type_no_export_writes_is_refused_by_name():
    with pytest.raises(TypeError, match="'when'"):
        export.csv_text({"when": np.array(["2027-01-01"], dtype="datetime64[s]")})


def test_numbers_too_small_to_scale_are_kept_not_lost():
    """Six significant digits scale a value by 10**(5 - its exponent), which overflows below
    ~1e-300: such a value (a rate in a hopeless link) was written as an empty cell."""
    v = np.array([1e-310, -5e-324, 1.234567891e-299, 0.0, np.nan, np.inf])
    out = tables.rounded_values("x_value", v)
    np.testing.assert_array_equal(out[[0, 1, 3, 5]], v[[0, 1, 3, 5]])
    assert out[2] == 1.23457e-299 and np.isnan(out[4])
    assert tables.rounded_values("duration_s", np.array([1.7e308]))[0] == 1.7e308  # fixed decimals: no overflow
    # (a row of one empty cell is written '""', as the csv module and pandas write it)
    assert export.csv_text({"x_value": v}).splitlines()[1:] == ["1e-310", "-5e-324", "1.23457e-299", "0.0", '""', "inf"]
