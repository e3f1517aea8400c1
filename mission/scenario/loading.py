"""Reading scenario files: the strict YAML loader, counts checked before any work, validation
errors turned into one line naming the field and the value, files a scenario names (TLE, OMM,
cloud CSV) read relative to it through the bounded reader, and the JSON Schema for editors. The
models themselves are in :mod:`.schema`."""
from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import reader, yamlsafe
from .errors import InputError
from .files import is_tle_path, read_cloud_csv, read_omm_fields, read_tle_file  # noqa: F401 (re-exported)
from .schema import MAX_PAIRS, MAX_SATELLITES, MAX_STATIONS, LocatedError, Orbit, Scenario

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


def _model_at(loc, root: type = Scenario) -> type | None:
    """The model class that owns the last key of ``loc`` (for 'did you mean')."""
    import typing

    model: Any = root
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


def _is_branch(part) -> bool:
    """A union branch's name that pydantic puts into an error location (``str``, ``list[...]``,
    ``function-after[...]``), not a key of the user's file."""
    return isinstance(part, str) and ("[" in part or part in ("str", "float", "int", "none", "function-after",
                                                               "function-before"))


def _best_error(errors: list) -> Any:
    """The error a user can act on: where the input fits one branch of a union (``orbit`` is a
    mapping or a list) pydantic reports every branch; the error that is not "wrong type for this
    branch" and got deepest into the input is the one about what the user wrote."""
    def rank(err):
        user_loc = [p for p in err["loc"] if not _is_branch(p)]
        return (err["type"].endswith("_type"), -len(user_loc))

    return min(errors, key=rank)


#: Messages of pydantic error types said in words a user can act on.
_WORDS = {
    "timezone_aware": "has no time zone: add Z for UTC (e.g. 2027-01-01T00:00:00Z)",
    "bool_type": "is not true or false",
}


def input_error_from_validation(exc: ValidationError, prefix: str = "", root: type = Scenario) -> InputError:
    """The most telling pydantic error (the one ``_best_error`` picks) as one :class:`InputError` line;
    ``root`` is the model validated (for 'did you mean' on unknown keys)."""
    err = _best_error(exc.errors(include_url=False))
    loc = tuple(p for p in err["loc"] if not _is_branch(p))
    field = prefix + _loc(loc)
    msg = _WORDS.get(err["type"]) or err["msg"].removeprefix("Value error, ")
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
        return InputError(field, value, "unknown key" + _close_keys(_model_at(loc, root), key))
    if err["type"] == "missing":
        return InputError(field, None, "required field is missing")
    if isinstance(value, dict) and err["type"] == "value_error":
        return InputError(field or "scenario", _summ(value), msg)
    return InputError(field or "scenario", value, msg)


def _summ(value):
    return {k: value[k] for k in list(value)[:3]}


def check_counts(data: dict) -> None:
    """Refuse too many stations, pairs or orbits from the raw document, before any validation
    (10,000 stations took 6 GiB and two minutes to be validated one by one)."""
    counted = (("stations", MAX_STATIONS, "stations"), ("pairs", MAX_PAIRS, "pairs"),
               ("orbit", MAX_SATELLITES, "orbits"))
    for key, limit, what in counted:
        value = data.get(key)
        if isinstance(value, list) and len(value) > limit:
            raise InputError(key, f"{len(value)} {what}", f"more than the {limit} skyswap plans in one scenario "
                                                         "(README, 'The contract')")
    if data.get("orbit") == []:
        raise InputError("orbit", [], "is an empty list: give one orbit (a mapping such as {sun_synchronous: "
                                      "{altitude_km: 500, ltan_h: 22.5}}) or a list of 1 to "
                                      f"{MAX_SATELLITES} of them")


def _scalar_leaves(data, path=()):
    """(path, value) of every true/false and number in a parsed document."""
    if isinstance(data, (bool, int, float)):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _scalar_leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _scalar_leaves(v, (*path, i))


def _validated_at(obj, path):
    """The validated value at a path of the raw document (``_MISSING`` where it cannot be followed)."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(obj, (list, tuple)) or part >= len(obj):
                return _MISSING
            obj = obj[part]
        elif isinstance(obj, dict):
            if part not in obj:
                return _MISSING
            obj = obj[part]
        elif isinstance(part, str) and hasattr(obj, part):
            obj = getattr(obj, part)
        else:
            return _MISSING
    return obj


_MISSING = object()


def check_no_bool_numbers(data, validated, prefix: str = "") -> None:
    """Refuse a true/false the schema took as a number (pydantic reads ``days: true`` as 1) and a
    number it took as true/false (``csv: 1``): every boolean of the raw document must still be a
    boolean in the validated model, and every number a number."""
    for path, value in _scalar_leaves(data):
        got = _validated_at(validated, path)
        if got is _MISSING:
            continue
        if isinstance(value, bool) and isinstance(got, (int, float)) and not isinstance(got, bool):
            raise InputError(prefix + _loc(path), value, "is true/false, not a number: write the number")
        if not isinstance(value, bool) and isinstance(got, bool):
            raise InputError(prefix + _loc(path), value, "is a number, not true/false: write true or false")


def validate_scenario_data(data: Any, source: str = "scenario", prefix: str = "") -> Scenario:
    """Validate a parsed scenario document: counts first, then the schema, then no boolean read
    as a number. Errors name ``prefix`` + the field."""
    if data is None:
        raise InputError(source, "", "the scenario file is empty")
    if not isinstance(data, dict):
        raise InputError(source, type(data).__name__, "a scenario is a mapping of keys (name, span, orbit, ...)")
    try:
        check_counts(data)
    except InputError as exc:
        raise InputError(prefix + exc.field, exc.value, exc.reason) from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        err = input_error_from_validation(exc)
        raise InputError(prefix + err.field, err.value, err.reason) from None
    check_no_bool_numbers(data, scenario, prefix)
    return scenario


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Validate a parsed YAML document (:func:`validate_scenario_data`)."""
    return validate_scenario_data(data, source)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    InputError
        One line naming the field and value of the first problem.
    """
    path = Path(path)
    data = yamlsafe.load_file(path, "scenario")  # bounded reader, YAML 1.2, no duplicate keys
    scenario = parse_scenario(data, source=reader.short_path(path))
    return _with_files_resolved(scenario, path.parent)


def _with_files_resolved(scenario: Scenario, base: Path) -> Scenario:
    """TLE, OMM and cloud-statistics paths are relative to the scenario file; each file is read
    (bounded, by type) and checked now, so that a bad file is refused before any work."""
    def resolved(orbit: Orbit, where: str) -> Orbit:
        updates = {}
        if orbit.tle is not None and is_tle_path(orbit.tle):
            updates["tle"] = read_tle_file(orbit.tle, base, f"{where}.tle")
        if orbit.omm is not None:
            path = reader.resolve(orbit.omm, base)
            read_omm_fields(str(path), f"{where}.omm", shown=orbit.omm)
            updates["omm"] = str(path)
        return orbit.model_copy(update=updates) if updates else orbit

    if isinstance(scenario.orbit, list):
        orbit: Orbit | list[Orbit] = [resolved(o, f"orbit[{i}]") for i, o in enumerate(scenario.orbit)]
    else:
        orbit = resolved(scenario.orbit, "orbit")
    if orbit != scenario.orbit:
        scenario = scenario.model_copy(update={"orbit": orbit})
    csv_path = scenario.channel.cloud_csv
    if csv_path is not None:
        path = reader.resolve(csv_path, base)
        read_cloud_csv(path, shown=csv_path)
        scenario = scenario.model_copy(update={"channel": replace(scenario.channel, cloud_csv=str(path))})
    return scenario


def json_schema() -> dict:
    """JSON Schema of scenario files (for editors)."""
    return Scenario.model_json_schema()
