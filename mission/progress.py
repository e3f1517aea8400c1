"""A progress bar for long runs (rich), shown only on a terminal."""
from __future__ import annotations


class RichProgress:
    """Callable ``progress(stage, done, total)``: one bar on stderr, advancing through the stages."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description:<22}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._progress.start()
        self._task = self._progress.add_task("planning", total=1)

    def __call__(self, stage: str, done: float, total: float) -> None:
        self._progress.update(self._task, description=stage, completed=done, total=total)

    def close(self) -> None:
        """Stop drawing the bar."""
        self._progress.stop()
