"""Golden outputs: the pinned scenario ``tests/data/golden.yaml`` gives exactly the committed
``tests/golden/passes.csv``, ``schedule.csv`` and ``summary.json``, byte for byte (software versions aside).

A change that is meant to move a number regenerates them on purpose
(``python tests/golden/regenerate.py``) and says why in its commit.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("golden_regenerate", GOLDEN / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_outputs_equal_the_committed_golden_files():
    produced = _regenerate_module().outputs()
    for name, text in produced.items():
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from tests/golden/{name} (regenerate on purpose, see its docstring)"
