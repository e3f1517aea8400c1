"""YAML for scenario and sweep files: safe, bounded and strict.

- *Safe*: PyYAML's ``SafeLoader`` (plain data, no Python objects).
- *Bounded*: anchors and aliases are allowed, but the document they expand to may hold at most
  :data:`MAX_NODES` nodes. An "alias bomb" (ten nested levels of ten aliases each: 529 bytes)
  expands to 10^10 nodes and took minutes and gigabytes before it failed; the expanded size is now
  counted on the composed node graph with memoisation, so the count costs time proportional to the
  file, not to its expansion, and the file is refused at once. Recursive aliases, nesting deeper
  than Python's recursion allows, and files over :data:`MAX_BYTES` are refused as well.
- *Strict*: a key written twice in one mapping is refused, naming the key and both lines (PyYAML
  keeps the last one silently). A merge key (``<<: *base``) is not a duplicate: keys written
  explicitly override merged ones, as YAML 1.1 defines.

There is no include mechanism in scenario files: a fragment such as ``scenarios/q4s_profile.yaml``
is copied into a scenario, or read with :func:`load` like any other file.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError

#: Largest expanded document: nodes after every alias is replaced by what it names.
MAX_NODES = 1_000_000
#: Largest file read. [byte]
MAX_BYTES = 10_000_000

_MERGE = "tag:yaml.org,2002:merge"


class _TooLarge(Exception):
    pass


class _Recursive(Exception):
    pass


def expanded_nodes(root: yaml.Node, limit: int = MAX_NODES) -> int:
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
        raise _TooLarge(size[id(root)])
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
            first: dict[tuple[str, str], int] = {}
            for key_node, _value in node.value:
                if key_node.tag == _MERGE:
                    continue
                if isinstance(key_node, yaml.ScalarNode):
                    k = (key_node.tag, key_node.value)
                    if k in first:
                        where = f"{path}.{key_node.value}" if path else str(key_node.value)
                        return where, first[k] + 1, key_node.start_mark.line + 1
                    first[k] = key_node.start_mark.line
            for key_node, value_node in reversed(node.value):
                child_path = f"{path}.{_key_text(key_node)}" if path else _key_text(key_node)
                stack.append((value_node, child_path))
    return None


def load(text: str, what: str, source: str):
    """Parse one YAML document with the rules above.

    Parameters
    ----------
    text : str
        The file's content.
    what : str
        What the file is (``scenario``, ``sweep``): the field of the error line.
    source : str
        The file's path (the value of the error line).

    Raises
    ------
    InputError
        Not YAML, too large, an alias bomb, a recursive alias, or a key given twice.
    """
    if len(text) > MAX_BYTES:
        raise InputError(what, source, f"is {len(text) / 1e6:.1f} MB; skyswap reads YAML files of at most "
                                       f"{MAX_BYTES / 1e6:.0f} MB")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        expanded_nodes(node)
        dup = duplicate_key(node)
        if dup is not None:
            raise InputError(what, source, f"key {dup[0]!r} is given twice (lines {dup[1]} and {dup[2]}); "
                                           "YAML would keep only the last")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise InputError(what, source, f"is not valid YAML ({where}: {getattr(exc, 'problem', None) or exc})") from None
    except _TooLarge as exc:
        raise InputError(what, source, f"expands through its aliases to {exc.args[0]:.3g} YAML nodes, more than the "
                                       f"{MAX_NODES:,} skyswap reads") from None
    except _Recursive:
        raise InputError(what, source, "has an alias that contains itself (a recursive YAML structure)") from None
    except RecursionError:
        raise InputError(what, source, "is nested too deeply") from None
    finally:
        loader.dispose()


def load_file(path, what: str):
    """Read and parse a YAML file (:func:`load`); an unreadable file is one InputError naming
    ``what`` (``scenario``, ``sweep``) and the path."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(what, str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(what, str(path), f"is a directory, not a {what} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(what, str(path), f"cannot be read: {exc}") from None
    return load(text, what, str(path))
