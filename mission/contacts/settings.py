"""What a scenario says about the contact plan: its ``payload.contacts`` mapping.

The settings sit with the plan they configure; the scenario (``mission.scenario.schema``) declares
them under ``payload`` and checks them against its own stations and pairs at load, with
:func:`canonical_weights`, so that a weight naming no station or pair of the scenario is one error
line before any orbit is computed. This module imports nothing else from ``mission`` (the scenario
imports it), and holds the one list of policies and the one retarget default.
"""
from __future__ import annotations

import dataclasses
import difflib
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Literal

from annotated_types import Ge, Gt, Le

from ...groundstations.catalog import RETARGET_S

__all__ = ["POLICIES", "RETARGET_S", "ContactPolicy", "ContactSettings", "WeightKeyError", "canonical_weights",
           "weight_indices"]

ContactPolicy = Literal["max-pairs", "fair", "priority", "first-come"]
#: The contact-plan policies, in the order of the docs; :mod:`.policies` says how each is planned.
POLICIES: tuple[str, ...] = typing.get_args(ContactPolicy)


@dataclasses.dataclass(frozen=True)
class ContactSettings:
    """Which candidate window the payload serves when: the scenario's ``payload.contacts``.

    Fields
    ------
    policy
        ``max-pairs`` (most expected, cloud-weighted heralded pairs), ``fair`` (raise the
        worst-served pair's share of what it wanted), ``priority`` (weighted pairs, ``weights``)
        or ``first-come`` (the naive baseline); see :mod:`mission.contacts.policies`.
    downlink_telescopes
        Downlink telescopes on the satellite; one target each at a time. Default: what the mode
        needs at once (two for dual downlink, one otherwise). [1]
    retarget_s
        Slew and acquisition of a downlink telescope to a new target (assumption, see
        :data:`groundstations.catalog.RETARGET_S`); each station has its own (``retarget_s`` in the
        station). [s]
    weights
        Priority weights by station pair ``"A+B"`` or station ``"A"`` (default 1), for the
        ``priority`` policy; each key names a station or pair of the scenario. [1]
    milp_time_limit_s
        Time given to the integer programme of one group of overlapping windows. [s]
    """

    policy: ContactPolicy = "max-pairs"
    downlink_telescopes: Annotated[int, Ge(1), Le(16)] | None = None
    retarget_s: Annotated[float, Ge(0.0), Le(3600.0)] = RETARGET_S
    weights: dict[str, Annotated[float, Ge(0.0), Le(1e6)]] = dataclasses.field(default_factory=dict)
    milp_time_limit_s: Annotated[float, Gt(0.0), Le(600.0)] = 20.0

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    def telescopes(self, needed: int) -> int:
        """The satellite's downlink telescopes: the scenario's, or ``needed`` (what the mode needs
        at once). [1]"""
        return needed if self.downlink_telescopes is None else int(self.downlink_telescopes)


class WeightKeyError(ValueError):
    """A priority-weight key that names no station or pair of the scenario (``key``: the key)."""

    def __init__(self, key: str, reason: str):
        super().__init__(reason)
        self.key = key

    def __reduce__(self):
        # rebuilt from its parts, so that a ValidationError holding it pickles (see LocatedError)
        return (type(self), (self.key, str(self)))


def _did_you_mean(word: str, choices: Sequence[str], cutoff: float = 0.6) -> str:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {found[0]!r}?)" if found else ""


def canonical_weights(weights: dict[str, float], station_of: Callable[[str], str | None], stations: Sequence[str],
                      pairs: Sequence[tuple[str, str]] | None) -> dict[str, float]:
    """The weights with their keys in the scenario's own station names (``"A"`` or ``"A+B"``).

    ``station_of`` maps a name as written (any case, an alias) to the scenario's station name, or
    None; ``stations`` are the scenario's station names; ``pairs`` its station pairs, or None when
    the mode uses single stations. Raises :class:`WeightKeyError` for a key naming no station of
    the scenario, a pair that is not one of its pairs (or any pair in a single-station mode), or a
    key that repeats another.
    """
    out: dict[str, float] = {}
    pair_names = {frozenset(p): f"{p[0]}+{p[1]}" for p in pairs or ()}
    for key, value in weights.items():
        ends = [x.strip() for x in key.split("+")]
        if len(ends) > 2 or not all(ends):
            raise WeightKeyError(key, "a weight key is a station 'A' or a station pair 'A+B'")
        names = []
        for end in ends:
            name = station_of(end)
            if name is None:
                raise WeightKeyError(key, f"no station of the scenario is named {end!r}" + _did_you_mean(end, stations))
            names.append(name)
        if len(names) == 2:
            if pairs is None:
                raise WeightKeyError(key, "names a station pair, but the mode serves single stations: weigh stations")
            if frozenset(names) not in pair_names:
                written = "+".join(names)
                near = [p for ends_, p in pair_names.items() if ends_ & set(names)]  # pairs sharing a station
                raise WeightKeyError(key, f"{written} is not one of the scenario's pairs"
                                     + _did_you_mean(written, near or list(pair_names.values()), 0.0 if near else 0.6))
            name = pair_names[frozenset(names)]
        else:
            name = names[0]
        if name in out:
            raise WeightKeyError(key, f"weighs {name!r} a second time")
        out[name] = float(value)
    return out


def weight_indices(weights: dict[str, float], stations: Sequence[str]) -> tuple[dict, dict]:
    """Canonical weights (:func:`canonical_weights`) as ``({(a, b): w}, {a: w})`` over station
    indices: the pair weights and the station weights of :func:`.problem.window_weights`."""
    index = {name: i for i, name in enumerate(stations)}
    pair_w, station_w = {}, {}
    for key, value in weights.items():
        ends = key.split("+")
        if not all(e in index for e in ends):
            raise ValueError(f"payload.contacts.weights: {key!r} names no station of the plan's {len(index)}")
        if len(ends) == 2:
            pair_w[(index[ends[0]], index[ends[1]])] = value
        else:
            station_w[index[key]] = value
    return pair_w, station_w
