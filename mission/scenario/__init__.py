"""What the user wrote: the scenario schema (pydantic), its loading, and the error type.

The names below are imported on first use, so that :mod:`.errors` and :mod:`.reader` are light.
"""
from __future__ import annotations

__all__ = ["InputError", "Scenario", "json_schema", "load_scenario", "parse_scenario"]

_HOME = {"InputError": "errors", "json_schema": "loading", "load_scenario": "loading", "parse_scenario": "loading",
         "Scenario": "schema"}


def __getattr__(name: str):
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(name)
