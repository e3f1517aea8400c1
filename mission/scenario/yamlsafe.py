"""YAML for scenario and sweep files: safe, bounded, strict and the same on every YAML reader.

- *Safe*: plain data only — mappings, lists, strings, numbers, true/false, null. No Python
  objects, and no other YAML type: an explicit tag (``!!set``, ``!!omap``, ``!!binary``,
  ``!!timestamp``, a local ``!tag``) is refused with its line and column; ``!!str`` is allowed
  (it makes a value text). A set has no order, so the outputs would depend on the hash seed.
- *Bounded*: the file is read by :func:`reader.read_text` (regular files only, at most
  :data:`reader.MAX_BYTES` ``["scenario"]``, no control characters). The document is composed
  from the parser's events here, counting as it goes: more than :data:`MAX_NODES` values or
  nesting deeper than :data:`MAX_DEPTH` is refused at that point, before the rest is parsed (a
  9 MB list of 4 M numbers took 85 s and 3.3 GiB to refuse). Anchors and aliases are allowed, but
  the document they expand to may hold at most :data:`MAX_EXPANDED_NODES` nodes: the expanded
  size is counted on the node graph with memoisation, so an "alias bomb" (529 bytes that expand to
  10^10 nodes) is refused at once. Recursive aliases are refused too.
- *Strict*: a key written twice in one mapping is refused, naming the key and both lines (YAML
  readers keep the last one silently). A merge key (``<<: *base``) is not a duplicate: keys
  written explicitly override merged ones.
- *YAML 1.2, and no YAML 1.1 surprises*: plain values are read with the YAML 1.2 core schema
  (``true``/``false``, ``null``/``~``, decimal and ``0x`` integers, floats with ``.inf``/``.nan``,
  everything else text; dates stay text and the schema parses them). Plain values that a YAML 1.1
  reader (PyYAML, Ruby, many editors' linters) would read otherwise are refused with their line and
  column, saying both readings: ``no``/``yes``/``on``/``off`` (booleans in 1.1),
  ``1:30`` (90 in 1.1, base 60), ``012`` (octal 10 in 1.1), ``0o12``, ``0b101``, ``1_000`` and
  ``=``. Quote them for text, or write the number or ``true``/``false``.
- *Plain text*: a value holding a control character — written as an escape in a double-quoted
  string, such as ``"\\r"`` or ``"\\x1b"`` — is refused with its line and column (tab and line
  feed are allowed: a TLE block keeps its line breaks).

There is no include mechanism in scenario files: a fragment such as ``scenarios/q4s_profile.yaml``
is copied into a scenario, or read with :func:`load` like any other file.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from . import reader
from .errors import InputError

#: Most values (scalars, lists, mappings) a file may write out, aliases counted once.
MAX_NODES = 100_000
#: Deepest nesting of lists and mappings.
MAX_DEPTH = 64
#: Largest expanded document: nodes after every alias is replaced by what it names.
MAX_EXPANDED_NODES = 1_000_000
#: Largest file read. [byte]
MAX_BYTES = reader.MAX_BYTES["scenario"]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MERGE = _TAG + "merge"
_ALLOWED_COLLECTION_TAGS = {_TAG + "seq", _TAG + "map"}

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_LEADING_ZERO_RE = re.compile(r"[-+]?0[0-9]+")  # an integer: octal in YAML 1.1, decimal in 1.2
_INF_RE = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN_RE = re.compile(r"\.(nan|NaN|NAN)")

# Plain values a YAML 1.1 reader takes for something else than YAML 1.2 does: (pattern, what
# YAML 1.1 reads, what YAML 1.2 reads), the readings as functions of the text.
# (PyYAML, like YAML 1.2, reads y and n as text, so they stay text.)
_YAML11_BOOLS = {w: w.lower() in ("yes", "on") for w in
                 ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF")}


def _base60(text: str) -> str:
    sign = -1 if text.startswith("-") else 1
    total = 0.0
    for part in text.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + float(part or 0)
    return f"{sign * total:g}"


def _int_or_text(text: str, base: int, strip: int = 0) -> str:
    digits = text.replace("_", "")
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("+-")[strip:]
    try:
        return sign + str(int(digits, base))
    except ValueError:
        return "not a number"


_YAML11 = [
    (re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?"),
     lambda t: f"{_base60(t)} in YAML 1.1 (base 60)", lambda t: "text in YAML 1.2", _base60),
    (re.compile(r"[-+]?0[0-9_]+"),
     lambda t: f"{_int_or_text(t, 8)} in YAML 1.1 (octal)" if _int_or_text(t, 8)[-1:].isdigit() else "text in YAML 1.1",
     lambda t: f"{_int_or_text(t, 10)} in YAML 1.2",
     lambda t: _int_or_text(t, 10)),
    (re.compile(r"[-+]?0o[0-7_]+"),
     lambda t: "text in YAML 1.1", lambda t: f"{_int_or_text(t, 8, 2)} in YAML 1.2 (octal)",
     lambda t: _int_or_text(t, 8, 2)),
    (re.compile(r"[-+]?0b[01_]+"),
     lambda t: f"{_int_or_text(t, 2, 2)} in YAML 1.1 (binary)", lambda t: "text in YAML 1.2",
     lambda t: _int_or_text(t, 2, 2)),
    (re.compile(r"[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?"),
     lambda t: f"{t.replace('_', '')} in YAML 1.1", lambda t: "text in YAML 1.2", lambda t: t.replace("_", "")),
    (re.compile(r"="), lambda t: "a special value in YAML 1.1", lambda t: "text in YAML 1.2", None),
]


class _TooLarge(Exception):
    pass


class _Recursive(Exception):
    pass


class _Refused(Exception):
    """A value refused while composing: (YAML path, value shown, reason)."""


# ------------------------------------------------------------------------------ plain values

def resolve_plain(text: str) -> tuple[str, object]:
    """(tag, value) of a plain (unquoted) scalar under the YAML 1.2 core schema.

    Raises
    ------
    ValueError
        A value YAML 1.1 reads otherwise (the message says both readings and what to write).
    """
    if text in _NULLS:
        return _NULL, None
    if text in _BOOLS:
        return _BOOL, _BOOLS[text]
    if _INT_RE.fullmatch(text):
        return _INT, int(text)
    if _HEX_RE.fullmatch(text):
        return _INT, int(text, 16)
    if _LEADING_ZERO_RE.fullmatch(text) and _int_or_text(text, 8) == _int_or_text(text, 10):
        return _INT, int(text)  # 00 .. 07: the same number in both
    if _FLOAT_RE.fullmatch(text) and not _LEADING_ZERO_RE.fullmatch(text):
        return _FLOAT, float(text)
    if _INF_RE.fullmatch(text):
        return _FLOAT, -math.inf if text.startswith("-") else math.inf
    if _NAN_RE.fullmatch(text):
        return _FLOAT, math.nan
    if text in _YAML11_BOOLS:
        word = "true" if _YAML11_BOOLS[text] else "false"
        raise ValueError(f"is {word} in YAML 1.1 but text in YAML 1.2: write {word} for the boolean, or quote it "
                         f"('{text}') for the text")
    for pattern, old, new, number in _YAML11:
        if pattern.fullmatch(text):
            write = f"write {number(text)} for the number, or " if number is not None else ""
            raise ValueError(f"is {old(text)} but {new(text)}: {write}quote it ('{text}') for the text")
    return _STR, text


# ---------------------------------------------------------------------------- composition

def _path(stack) -> str:
    out = ""
    for frame in stack:
        node, key = frame[0], frame[1]
        if isinstance(node, yaml.SequenceNode):
            out += f"[{len(node.value)}]"
        elif key is not None:
            out += ("." if out else "") + str(key)
    return out


def _where(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def compose(loader) -> yaml.Node | None:
    """Compose the single document of ``loader``'s event stream, with the limits above.

    Raises ``_Refused`` (path, value, reason) for a refused value, ``_TooLarge``/``_Recursive``.
    """
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        loader.get_event()
        return None
    loader.get_event()  # DocumentStart
    anchors: dict[str, yaml.Node] = {}
    # frames: [collection node, pending key text (mapping) or None, pending key node (mapping)]
    stack: list[list] = []
    root = None
    count = 0
    while root is None:
        event = loader.get_event()
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            node = stack.pop()[0]
            node.end_mark = event.end_mark
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _Refused(_path(stack), f"*{event.anchor}",
                               f"names an anchor not defined before it ({_where(event.start_mark)})")
            node = anchors[event.anchor]
            if any(frame[0] is node for frame in stack):
                raise _Recursive
        else:
            count += 1
            if count > MAX_NODES:
                raise _TooLarge(f"holds more than {MAX_NODES:,} YAML values (refused at {_where(event.start_mark)}); "
                                "a scenario has a few hundred")
            tag = getattr(event, "tag", None)
            if isinstance(event, yaml.ScalarEvent):
                node = _scalar(event, stack)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if tag not in (None, "!") and tag not in _ALLOWED_COLLECTION_TAGS:
                    raise _Refused(_path(stack), _tag_name(tag), f"YAML tag at {_where(event.start_mark)}: skyswap reads "
                                   "plain values, lists and mappings only (a !!set has no order)")
                if len(stack) >= MAX_DEPTH:
                    raise _TooLarge(f"is nested too deeply: lists and mappings more than {MAX_DEPTH} deep (at "
                                    f"{_where(event.start_mark)})")
                cls = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
                node = cls(_TAG + ("seq" if cls is yaml.SequenceNode else "map"), [], event.start_mark, None,
                           flow_style=event.flow_style)
            else:  # pragma: no cover - a parser event the document grammar does not allow here
                raise _Refused(_path(stack), type(event).__name__, "unexpected YAML event")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                anchors[anchor] = node
            if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
                stack.append([node, None, None])
                continue
        if not stack:
            root = node
            break
        frame = stack[-1]
        parent = frame[0]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif frame[2] is None:  # a key
            if not isinstance(node, yaml.ScalarNode):
                raise _Refused(_path(stack), "?", f"a mapping key must be a plain value, not a list or mapping "
                                                  f"({_where(node.start_mark)})")
            frame[1], frame[2] = node.value, node
        else:
            parent.value.append((frame[2], node))
            frame[1], frame[2] = None, None
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        mark = loader.peek_event().start_mark
        raise _Refused("", "---", f"a second YAML document begins at {_where(mark)}: a file holds one")
    return root


def _scalar(event, stack) -> yaml.ScalarNode:
    value, tag = event.value, event.tag
    is_key = bool(stack) and isinstance(stack[-1][0], yaml.MappingNode) and stack[-1][2] is None
    what = "key" if is_key else "value"
    bad = reader.VALUE_CONTROL.search(value)
    if bad is not None:
        raise _Refused(_path(stack), value, f"the {what} holds a control character (U+{ord(bad.group()):04X}) at "
                                            f"{_where(event.start_mark)}: names and values are plain text")
    if tag not in (None, "!", _STR):
        raise _Refused(_path(stack), _tag_name(tag), f"YAML tag at {_where(event.start_mark)}: skyswap reads plain "
                                                     f"values, lists and mappings only (write the {what} without a tag)")
    if tag is None and event.implicit[0]:
        if is_key and value == "<<":
            return yaml.ScalarNode(_MERGE, value, event.start_mark, event.end_mark, style=event.style)
        try:
            tag, _ = resolve_plain(value)
        except ValueError as exc:
            raise _Refused(_path(stack), value, f"{exc} ({_where(event.start_mark)})") from None
    else:
        tag = _STR
    return yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)


# ---------------------------------------------------------------------------- construction

def _construct(node: yaml.Node, memo: dict):
    key = id(node)
    if key in memo:
        return memo[key]
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        return resolve_plain(node.value)[1]
    if isinstance(node, yaml.SequenceNode):
        out: list = []
        memo[key] = out
        out.extend(_construct(child, memo) for child in node.value)
        return out
    mapping: dict = {}
    memo[key] = mapping
    explicit = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in reversed(sources):  # the first mapping listed wins, as YAML 1.1 defines
                if not isinstance(source, yaml.MappingNode):
                    raise _Refused("<<", "?", f"a merge key takes a mapping or a list of mappings ({_where(source.start_mark)})")
                mapping.update(_construct(source, memo))
            continue
        explicit.append((_construct(key_node, memo), _construct(value_node, memo)))
    mapping.update(explicit)  # merged keys first, then the mapping's own, which override them
    return mapping


# ------------------------------------------------------------------------------- the checks

def expanded_nodes(root: yaml.Node, limit: int = MAX_EXPANDED_NODES) -> int:
    """Nodes of the document ``root`` once every alias is expanded.

    Each distinct node is visited once (memoised), so a document of ``n`` nodes costs O(n)
    however far its aliases expand. Raises ``_TooLarge`` beyond ``limit``, ``_Recursive`` for a
    node that contains itself.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            total = 1 + sum(size[id(c)] for c in children)
            on_path.discard(key)
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise _Recursive
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise _Recursive
            if id(child) not in size:
                stack.append((child, False))
    if size[id(root)] > limit:
        raise _TooLarge(f"expands through its aliases to {size[id(root)]:.3g} YAML nodes, more than the "
                        f"{limit:,} skyswap reads")
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _key_text(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "?"


def duplicate_key(root: yaml.Node) -> tuple[str, int, int] | None:
    """The first key written twice in one mapping: (dotted path, first line, second line), 1-based."""
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, f"{path}[{i}]") for i, child in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key_node, _value in node.value:
                if key_node.tag == _MERGE:
                    continue
                if isinstance(key_node, yaml.ScalarNode):
                    k = _construct(key_node, {})  # 1 and 1.0 or 'a' and "a" are one key
                    k = (type(k).__name__ if isinstance(k, bool) else "", k)
                    if k in first:
                        where = f"{path}.{key_node.value}" if path else str(key_node.value)
                        return where, first[k] + 1, key_node.start_mark.line + 1
                    first[k] = key_node.start_mark.line
            for key_node, value_node in reversed(node.value):
                child_path = f"{path}.{_key_text(key_node)}" if path else _key_text(key_node)
                stack.append((value_node, child_path))
    return None


def _loader(text: str):
    """The fastest safe event source: libyaml's parser when PyYAML was built with it."""
    cls = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return cls(text)


def load(text: str, what: str, source: str):
    """Parse one YAML document with the rules above.

    Parameters
    ----------
    text : str
        The file's content.
    what : str
        What the file is (``scenario``, ``sweep``): the field of a file-level error line.
    source : str
        The file's path (the value of a file-level error line).

    Raises
    ------
    InputError
        Not YAML, too large or deep, an alias bomb, a recursive alias, a key given twice, a tag, a
        YAML 1.1 surprise or a control character (a value's error names its YAML path).
    """
    if len(text) > MAX_BYTES:
        raise InputError(what, source, f"is {len(text) / 1e6:.1f} MB; skyswap reads YAML files of at most "
                                       f"{MAX_BYTES / 1e6:.0f} MB")
    bad = reader.first_control(text)
    if bad is not None:
        raise InputError(what, source, reader.control_reason(*bad))
    loader = None
    try:
        loader = _loader(text)
        node = compose(loader)
        if node is None:
            return None
        expanded_nodes(node)
        dup = duplicate_key(node)
        if dup is not None:
            raise InputError(what, source, f"key {dup[0]!r} is given twice (lines {dup[1]} and {dup[2]}); "
                                           "YAML would keep only the last")
        return _construct(node, {})
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or type(exc).__name__
        if "nesting depth" in str(problem):  # libyaml's own limit, met while it reads ahead
            raise InputError(what, source, f"is nested too deeply: lists and mappings more than {MAX_DEPTH} deep "
                                           f"(at {where})") from None
        raise InputError(what, source, f"is not valid YAML ({where}: {problem})") from None
    except _Refused as exc:
        path, value, reason = exc.args
        raise InputError(path or what, value, reason) from None
    except _TooLarge as exc:
        raise InputError(what, source, exc.args[0]) from None
    except _Recursive:
        raise InputError(what, source, "has an alias that contains itself (a recursive YAML structure)") from None
    except RecursionError:
        raise InputError(what, source, f"is nested too deeply: lists and mappings more than {MAX_DEPTH} deep") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_file(path, what: str):
    """Read (:func:`reader.read_text`) and parse (:func:`load`) a YAML file; ``what`` (``scenario``,
    ``sweep``) names the file in error lines."""
    path = Path(path)
    text = reader.read_text(path, what, what)
    return load(text, what, reader.short_path(path))
