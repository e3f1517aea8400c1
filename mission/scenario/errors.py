"""The one error type a user sees: bad input, named by field and value.

Every check of user input raises :class:`InputError`; the command line turns it into one line on
stderr and exit status 2. Anything else that escapes is an internal fault (exit status 1).
"""
from __future__ import annotations

import math


class InputError(ValueError):
    """Bad user input.

    Parameters
    ----------
    field : str
        Dotted path of the offending field, e.g. ``orbit.tle`` or ``stations[2].latitude_deg``.
    value : object
        The offending value (shown with ``repr``, shortened).
    reason : str
        What is wrong, in a few words.
    """

    def __init__(self, field: str, value: object, reason: str):
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(self.line())

    def __reduce__(self):
        # rebuilt from its three parts: an error raised in a worker process (a sweep point, a map
        # chunk on Dask) reaches the command line as itself, not as a failure to unpickle it
        return (type(self), (self.field, self.value, self.reason))

    def line(self) -> str:
        """The single line shown to the user."""
        shown = _shown(self.value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        text = f"{self.field} = {shown}: {self.reason}" if self.field else f"{shown}: {self.reason}"
        # user text (a key, a file name) may hold control characters: keep it one line
        return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def option_number(option: str, text: str, label: str, raw: str) -> float:
    """One number of a command-line option's comma-separated value (``--site``, ``--region``):
    ``raw`` as a finite float, or one InputError naming ``option``, its whole ``text`` and ``label``."""
    try:
        v = float(raw)
    except ValueError:
        raise InputError(option, text, f"{label} {raw.strip()!r} is not a number") from None
    if not math.isfinite(v):
        raise InputError(option, text, f"{label} must be a finite number")
    return v


def _shown(value: object) -> str:
    """A value as the user wrote it: text and numbers as ``repr``, times in ISO 8601 (not
    ``datetime.datetime(2027, 1, 1, ...)``), paths as text."""
    import datetime as dt
    import os

    if isinstance(value, dt.datetime):
        text = value.isoformat()
        return repr(text[:-6] + "Z" if text.endswith("+00:00") else text)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return repr(str(value))
    if isinstance(value, os.PathLike):
        return repr(os.fspath(value))
    return repr(value)
