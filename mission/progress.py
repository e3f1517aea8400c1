"""A progress bar for long runs (rich), shown only on a terminal."""
from __future__ import annotations


class RichProgress:
    """Callable ``progress(stage, done, total)``: one bar on stderr, advancing through the stages.

    With ``unit`` (e.g. ``"points"``) ``done`` and ``total`` count those units: the bar also shows
    how many are done, the throughput (units per minute) and the time left.
    """

    def __init__(self, unit: str | None = None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Throughput(ProgressColumn):
            """Units finished per minute, over the last half minute of the run."""

            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{60.0 * speed:,.1f} {unit}/min" if speed else f"- {unit}/min")

        columns = [TextColumn("{task.description:<22}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%")]
        if unit:
            columns += [MofNCompleteColumn(), Throughput(), TimeElapsedColumn(), TextColumn("left"),
                        TimeRemainingColumn()]
        else:
            columns.append(TimeElapsedColumn())
        self._progress = Progress(*columns, console=Console(stderr=True), transient=True)
        self._progress.start()
        self._task = self._progress.add_task("planning", total=1)

    def __call__(self, stage: str, done: float, total: float) -> None:
        # drawn at once, not at the next of rich's 10 Hz refreshes: work that finishes in a burst
        # (a sweep's small points) still shows each step (calls come at most a few times a second)
        self._progress.update(self._task, description=stage, completed=done, total=total, refresh=True)

    def close(self) -> None:
        """Stop drawing the bar."""
        self._progress.stop()
