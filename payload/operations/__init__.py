"""Operations: when the size/weight/power-limited payload runs over the span.

The SWaP duty scheduler (power, thermal duty cycle, data storage), not the contact plan
(``mission.contacts``): :func:`run_operations` walks the span event by event
(:mod:`.eventloop`, :mod:`.events`, :mod:`.transitions`) and returns an :class:`OperationsRun`
(:mod:`.results`).
"""
from .results import LIMITS, OperationsRun, OperationsTotals, Timeline, WindowOperations, operated_mask
from .run import run_operations

__all__ = ["LIMITS", "OperationsRun", "OperationsTotals", "Timeline", "WindowOperations", "operated_mask",
           "run_operations"]
