"""What the user wrote: the scenario schema (pydantic), its loading, and the error type."""
from __future__ import annotations

from .errors import InputError
from .loading import json_schema, load_scenario, parse_scenario
from .schema import Scenario

__all__ = ["InputError", "Scenario", "json_schema", "load_scenario", "parse_scenario"]
