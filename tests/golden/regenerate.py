"""Regenerate the golden outputs on purpose, after a change that should move them:

    python tests/golden/regenerate.py

then review ``git diff tests/golden`` and say in the commit why each number moved.
"""
from __future__ import annotations

from pathlib import Path

import skyswap
from skyswap.mission.outputs import export

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent / "data" / "golden.yaml"
SOFTWARE = {"skyswap": "golden"}  # versions vary between machines; the test puts these back


def outputs() -> dict[str, str]:
    """The golden scenario's passes.csv, schedule.csv and summary.json text (software versions
    normalised)."""
    result = skyswap.plan(skyswap.load_scenario(SCENARIO))
    summary = dict(result.summary, software=SOFTWARE)
    return {"passes.csv": export.csv_text(result.passes), "schedule.csv": export.csv_text(result.schedule),
            "summary.json": export.json_text(summary)}


if __name__ == "__main__":
    for name, text in outputs().items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {HERE / name}")
