"""The shape of the installed package: one top-level name, imports that flow one way, documented API.

These read the *installed* package (``skyswap.__file__`` and its sub-packages' ``__path__``), not
the source tree, so they check what a user gets.
"""
from __future__ import annotations

import ast
import importlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import skyswap

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("mission", "payload", "groundstations")


def _package_files() -> dict[str, Path]:
    """Module name -> file of every module of the installed skyswap package."""
    out = {"skyswap": Path(skyswap.__file__)}
    for layer in LAYERS:
        pkg = importlib.import_module(f"skyswap.{layer}")
        for base in pkg.__path__:
            for path in Path(base).rglob("*.py"):
                rel = path.relative_to(base).with_suffix("")
                parts = [p for p in rel.parts if p != "__init__"]
                out[".".join(["skyswap", layer, *parts])] = path
    return out


def _is_package(name: str, files: dict[str, Path]) -> bool:
    return files[name].name == "__init__.py"


def _imports(name: str, path: Path, files: dict[str, Path]) -> set[str]:
    """skyswap modules that ``name`` imports at run time (``if TYPE_CHECKING:`` blocks excluded),
    at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only |= {id(n) for n in ast.walk(node)}
    package = name if _is_package(name, files) else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" for a in node.names] + [module]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        for t in targets:
            if t in files and t != name:
                found.add(t)
                break
    return found


def _graph() -> dict[str, set[str]]:
    files = _package_files()
    return {name: _imports(name, path, files) for name, path in files.items()}


def test_the_package_is_found_where_it_was_installed():
    files = _package_files()
    assert len(files) > 40
    assert "skyswap.mission.planner" in files and "skyswap.payload.swap" in files


def test_no_import_circles():
    graph = _graph()
    # Tarjan's strongly connected components: a component of more than one module is a circle
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    circles = [c for c in comps if len(c) > 1]
    # a package's __init__ that re-exports its own modules is not a circle of the code
    circles = [c for c in circles if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)]
    assert circles == []


def test_physics_layers_do_not_import_mission():
    graph = _graph()
    bad = {m: sorted(t for t in targets if t.startswith("skyswap.mission"))
           for m, targets in graph.items() if m.startswith(("skyswap.payload", "skyswap.groundstations"))}
    assert {m: t for m, t in bad.items() if t} == {}


def test_rooms_do_not_import_later_rooms():
    """scenario -> orbits -> windows -> contacts -> weather -> stages -> outputs: no room imports a
    later one (the weather room's draws run over the contact plan's contacts). One exception: a
    room's ``settings`` module (what a scenario says about that stage, e.g. ``contacts/settings.py``)
    is declared by the scenario, which may import it; such a module imports nothing else from
    ``mission``."""
    order = ["scenario", "orbits", "windows", "contacts", "weather", "stages", "outputs"]
    graph = _graph()

    def room(m):
        parts = m.split(".")
        return parts[2] if len(parts) > 2 and parts[1] == "mission" and parts[2] in order else None

    settings = {m for m in graph if room(m) and m.endswith(".settings")}
    assert "skyswap.mission.contacts.settings" in settings
    for m in settings:
        assert [t for t in graph[m] if t.startswith("skyswap.mission")] == [], m
    bad = []
    for m, targets in graph.items():
        for t in targets:
            if room(m) and room(t) and order.index(room(t)) > order.index(room(m)):
                if not (room(m) == "scenario" and t in settings):
                    bad.append((m, t))
    assert bad == []


def test_no_two_modules_share_a_name():
    """One meaning per name: a module or package name (``clouds``, ``schedule``, ``operations``...)
    appears once in the whole tree."""
    names: dict[str, list[str]] = {}
    for module in _package_files():
        parts = module.split(".")
        if len(parts) > 2:
            names.setdefault(parts[-1], []).append(module)
    assert {n: m for n, m in names.items() if len(m) > 1} == {}


def test_the_architecture_page_names_every_module():
    """docs/architecture.md covers every module a newcomer may look for (by file name)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m, path in _package_files().items()
               if path.name != "__init__.py" and path.name not in text]
    assert missing == []


def _public_functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            yield node.name, node
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield node.name, node
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and not sub.name.startswith("_"):
                    yield f"{node.name}.{sub.name}", sub


def test_every_public_function_and_class_has_a_docstring():
    missing = []
    for name, path in sorted(_package_files().items()):
        for fn, node in _public_functions(path):
            if not ast.get_docstring(node):
                missing.append(f"{name}.{fn}")
    assert missing == []


@pytest.mark.slow
def test_the_wheel_installs_one_top_level_name(tmp_path):
    """Build the wheel, install it into a fresh virtual environment (no dependencies: nothing is
    imported beyond the package's own ``__init__``), and look for the generic names."""
    src = tmp_path / "src"  # a copy, so that no build/ folder of the checkout leaks into the wheel
    src.mkdir()
    for item in ("pyproject.toml", "README.md", "src", *LAYERS):
        copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copy2
        copy(ROOT / item, src / item, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                         if (ROOT / item).is_dir() else {}))
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheel_dir), str(src)], check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("skyswap-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, str(wheel)],
                   check=True, capture_output=True)
    # --target puts the console script in bin/: not an importable name
    tops = sorted(p.name for p in Path(site).iterdir() if not p.name.endswith((".dist-info", "__pycache__", "bin")))
    assert tops == ["skyswap"]
    probe = ("import importlib.util as u, json; "
             "print(json.dumps({m: u.find_spec(m) is not None for m in "
             "('mission', 'payload', 'groundstations', 'skyswap', 'skyswap.mission', 'skyswap.payload', "
             "'skyswap.groundstations')}))")
    out = subprocess.run([str(python), "-I", "-c", probe], check=True, capture_output=True, text=True,
                         cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}).stdout
    import json

    found = json.loads(out)
    assert found == {"mission": False, "payload": False, "groundstations": False, "skyswap": True,
                     "skyswap.mission": True, "skyswap.payload": True, "skyswap.groundstations": True}
    # the data files travel with the wheel
    assert (Path(site) / "skyswap" / "groundstations" / "data" / "stations.json").is_file()
    assert (Path(site) / "skyswap" / "mission" / "outputs" / "data" / "world_110m.json").is_file()
