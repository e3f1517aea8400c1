"""How numbers read in outputs: expectations with significant digits, counts as integers.

Most totals of a plan are *expected values* (BSM heralds, four-fold swaps, heralded pairs, key bits
are sums of rates times time), not counts: "35,309,646.4 BSM heralds" pretends to a precision and a
kind it does not have, and "0.0 heralded pairs" hides 7.7e-3. Text outputs (the command line, ``passes.ics``) show them with
:func:`significant` (plain ASCII); pages and the closing line typeset them with :func:`expected`
(``3.53 × 10⁷``) and show true counts with :func:`count`.
"""
from __future__ import annotations

import math


def significant(value, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits: 46.3, 0.25, 7.7e-3, 3.53e7; "n/a" for NaN/None.

    Plain notation from 0.01 to 1e5, scientific (no "+", no leading zeros in the exponent) outside.
    """
    if value is None:
        return "n/a"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0"
    if 1e-2 <= abs(x) < 1e5:
        decimals = digits - 1 - math.floor(math.log10(abs(x)))
        if decimals <= 0:
            return f"{round(x, decimals):.0f}"  # 2614 -> "2610"
        return f"{x:.{digits}g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def finite(v) -> bool:
    """True for a number that is not NaN or infinite (None and text are not numbers)."""
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def count(value) -> str:
    """A count of things that happened or were scheduled: an integer with separators."""
    return f"{int(round(float(value))):,}" if finite(value) else "—"


def expected(value, digits: int = 3) -> str:
    """An expected number (a mean over the weather or over photon statistics), never shown as an
    exact count: ``digits`` significant figures, ``a × 10ⁿ`` from 10⁵ up or below 10⁻³."""
    if not finite(value):
        return "—"
    v = float(value)
    if v == 0.0:
        return "0"
    mant_text, exp_text = f"{v:.{digits - 1}e}".split("e")  # rounds first: 9.996e4 -> 1.00e+05
    exp = int(exp_text)
    if exp >= 5 or exp < -3:
        return f"{mant_text} × 10{str(exp).translate(_SUPERSCRIPT)}"
    decimals = max(0, digits - 1 - exp)
    return f"{v:,.{decimals}f}"
