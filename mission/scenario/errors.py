"""The one error type a user sees: bad input, named by field and value.

Every check of user input raises :class:`InputError`; the command line turns it into one line on
stderr and exit status 2. Anything else that escapes is an internal fault (exit status 1).
"""
from __future__ import annotations


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

    def line(self) -> str:
        """The single line shown to the user."""
        shown = repr(self.value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        text = f"{self.field} = {shown}: {self.reason}" if self.field else f"{shown}: {self.reason}"
        # user text (a key, a file name) may hold control characters: keep it one line
        return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
