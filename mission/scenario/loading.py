"""Reading scenario files: the strict YAML loader, validation errors turned into one line naming
the field and the value, files a scenario names (TLE, OMM, cloud CSV) resolved relative to it, and
the JSON Schema for editors. The models themselves are in :mod:`.schema`."""
from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ...groundstations.clouds import CloudDataError, load_cloud_csv
from . import yamlsafe
from .errors import InputError
from .schema import LocatedError, Orbit, Scenario

#: Scenario keys that were renamed: a file that still writes the old key is told the new one.
RENAMED_KEYS = {"payload.swap_budget.policy": "operating_rule",
                "payload.swap_budget.data.bytes_per_swap_record": "bytes_per_herald_record"}


def _loc(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _close_keys(model: type[BaseModel] | None, key: str) -> str:
    if model is None:
        return ""
    fields = getattr(model, "model_fields", None)
    if fields is None and hasattr(model, "__dataclass_fields__"):
        fields = model.__dataclass_fields__
    match = difflib.get_close_matches(key, list(fields or ()), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _model_at(loc) -> type | None:
    """The model class that owns the last key of ``loc`` (for 'did you mean')."""
    import typing

    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        fields = getattr(model, "model_fields", None) or getattr(model, "__dataclass_fields__", None)
        if not fields or part not in fields:
            return None
        ann = fields[part].annotation if hasattr(fields[part], "annotation") else fields[part].type
        if isinstance(ann, str):
            ann = typing.get_type_hints(model).get(part)
        candidates = [a for a in (typing.get_args(ann) or (ann,)) if isinstance(a, type)]
        model = next((c for c in candidates if hasattr(c, "model_fields") or hasattr(c, "__dataclass_fields__")), None)
    return model


def input_error_from_validation(exc: ValidationError, prefix: str = "") -> InputError:
    """The first pydantic error as one :class:`InputError` line."""
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if p not in ("function-after", "function-before"))
    # pydantic puts union branch names into the location (e.g. 'str', 'dict[str,any]'); drop them
    loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in ("str", "float", "int", "none"))))
    field = prefix + _loc(loc)
    msg = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    located = (err.get("ctx") or {}).get("error")
    if isinstance(located, LocatedError):
        if located.field is not None:
            field = prefix + located.field
        elif located.index is not None:
            field = f"{field}[{located.index}]"
        return InputError(field, located.value, str(located))
    if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        key = str(loc[-1]) if loc else "?"
        if field in RENAMED_KEYS:
            return InputError(field, value, f"renamed: write {RENAMED_KEYS[field]}")
        return InputError(field, value, "unknown key" + _close_keys(_model_at(loc), key))
    if err["type"] == "missing":
        return InputError(field, None, "required field is missing")
    if isinstance(value, dict) and err["type"] == "value_error":
        return InputError(field or "scenario", _summ(value), msg)
    return InputError(field or "scenario", value, msg)


def _summ(value):
    return {k: value[k] for k in list(value)[:3]}


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Validate a parsed YAML document."""
    if data is None:
        raise InputError(source, "", "the scenario file is empty")
    if not isinstance(data, dict):
        raise InputError(source, type(data).__name__, "a scenario is a mapping of keys (name, span, orbit, ...)")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(exc) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    InputError
        One line naming the field and value of the first problem.
    """
    path = Path(path)
    data = yamlsafe.load_file(path, "scenario")  # bounded aliases, no duplicate keys
    scenario = parse_scenario(data, source=str(path))
    return _with_files_resolved(scenario, path.parent)


def is_tle_path(value: str) -> bool:
    """How ``orbit.tle`` tells a path from an element set: a value with a line break is the element
    set itself (``tle: |`` and its lines); a value on one line is the path of a TLE file (relative
    to the scenario file). A TLE needs two lines, so no one-line value can be one."""
    return "\n" not in value and "\r" not in value


def read_tle_file(value: str, base: Path, field: str = "orbit.tle") -> str:
    """The text of the TLE file a one-line ``orbit.tle`` names (see :func:`is_tle_path`)."""
    path = (base / Path(value.strip()).expanduser())
    looks_inline = value.lstrip().startswith(("1 ", "2 ")) and len(value.strip()) >= 60
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if looks_inline:
            raise InputError(field, value, "is one TLE line, read as a file path (not found): an inline TLE needs "
                                           "its 2 or 3 lines, e.g. after 'tle: |'") from None
        raise InputError(field, value, f"file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(field, value, f"is a directory, not a TLE file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(field, value, f"cannot be read: {exc}") from None


def _with_files_resolved(scenario: Scenario, base: Path) -> Scenario:
    """TLE, OMM and cloud-statistics paths are relative to the scenario file."""
    def resolved(orbit: Orbit, where: str) -> Orbit:
        updates = {}
        if orbit.tle is not None and is_tle_path(orbit.tle):
            updates["tle"] = read_tle_file(orbit.tle, base, f"{where}.tle")
        if orbit.omm is not None and not Path(orbit.omm).is_absolute():
            updates["omm"] = str(base / orbit.omm)
        return orbit.model_copy(update=updates) if updates else orbit

    if isinstance(scenario.orbit, list):
        orbit: Orbit | list[Orbit] = [resolved(o, f"orbit[{i}]") for i, o in enumerate(scenario.orbit)]
    else:
        orbit = resolved(scenario.orbit, "orbit")
    if orbit != scenario.orbit:
        scenario = scenario.model_copy(update={"orbit": orbit})
    csv_path = scenario.channel.cloud_csv
    if csv_path is not None and not Path(csv_path).is_absolute():

        scenario = scenario.model_copy(update={"channel": replace(scenario.channel, cloud_csv=str(base / csv_path))})
    if scenario.channel.cloud_csv is not None:

        try:
            load_cloud_csv(scenario.channel.cloud_csv)
        except CloudDataError as exc:
            raise InputError("channel.cloud_csv", csv_path, str(exc)) from None
    return scenario


def json_schema() -> dict:
    """JSON Schema of scenario files (for editors)."""
    return Scenario.model_json_schema()
