"""How numbers read in text outputs: expectations with significant digits, counts as integers.

Most totals of a plan are *expected values* (swaps, heralded pairs, key bits are sums of rates times
time), not counts: "35,309,646.4 swaps" pretends to a precision and a kind it does not have, and
"0.0 heralded pairs" hides 7.7e-3. Text outputs (the command line, ``passes.ics``) show them with
:func:`significant`; only true counts (passes) are integers.
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
