"""A progress bar for long runs (rich), shown only on a terminal."""
from __future__ import annotations


class RichProgress:
    """Callable ``progress(stage, done, total)`` backed by a rich progress bar on stderr."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._progress.start()
        self._tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: float, total: float) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def close(self) -> None:
        self._progress.stop()
