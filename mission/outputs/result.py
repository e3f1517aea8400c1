"""The planner's result and how it is written: tables, summary, report and calendar."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..scenario.schema import Outputs
from . import calendar, export, outset

if TYPE_CHECKING:
    import pandas as pd


def _empty_frame() -> pd.DataFrame:
    """An empty frame (pandas imported when a result without nights is made, not with this module)."""
    import pandas as pd

    return pd.DataFrame()


@dataclass(frozen=True)
class MissionResult:
    """What :func:`mission.plan` returns.

    Attributes
    ----------
    passes : DataFrame
        One row per candidate window (``passes.csv``; its columns: the README's "What `skyswap plan` writes").
    schedule : DataFrame
        One row per scheduled contact (``schedule.csv``); the summary's totals are its sums.
    summary : dict
        The content of ``summary.json``.
    samples : callable ``samples(pass_ids=None) -> DataFrame``
        Per-sample BSM heralds and heralded pairs of the given passes, all when None (``pass_id``,
        ``time_s`` after the span start, ...): the per-pass totals are their sums. Computed again
        when called, for those passes only: the plan keeps no per-sample table.
    nights : DataFrame
        Each station's nights (``station``, ``start_utc``, ``end_utc``) for the report's timeline.
    """

    scenario_name: str
    scenario_hash: str
    scenario_yaml: str
    mode: str
    passes: pd.DataFrame
    schedule: pd.DataFrame
    summary: dict
    samples: Callable[..., pd.DataFrame]
    stations: pd.DataFrame
    ground_track: pd.DataFrame
    pass_detail: dict = field(default_factory=dict)
    outputs: Outputs | None = None
    nights: pd.DataFrame = field(default_factory=_empty_frame)

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write every output file into ``out_dir`` as one set: the previous run's set is replaced
        in one atomic step (see :mod:`.outset`). Returns the paths written."""
        o = self.outputs
        # render everything first, so that a failure leaves the previous outputs untouched
        files: dict[str, str | bytes] = {}
        if o is None or o.csv:
            files["passes.csv"] = export.csv_text(self.passes)
        if o is None or o.parquet:
            files["passes.parquet"] = export.parquet_bytes(self.passes)
        if o is None or o.csv:
            files["schedule.csv"] = export.csv_text(self.schedule)
        if o is None or o.parquet:
            files["schedule.parquet"] = export.parquet_bytes(self.schedule)
        if o is None or o.summary:
            files["summary.json"] = export.json_text(self.summary)
        if o is None or o.html:
            from . import report  # plotly: imported only when a report is written

            files["report.html"] = report.render_html(self)
        if o is None or o.ics:
            files["passes.ics"] = calendar.calendar_text(self.schedule, self.mode, self.scenario_name,
                                                         self.scenario_hash, self.summary["span"]["start_utc"])
        return outset.write_set(out_dir, files, "plan")
