"""Sphinx configuration of the skyswap documentation site.

Build (from the repository root, after ``pip install '.[docs]'``)::

    sphinx-build -W --keep-going docs docs/_build/html

Offline by design: no intersphinx inventories are downloaded, the gallery's plotly figures load
plotly.js from the build's own ``_static/`` (copied from the installed plotly package), and
nothing in the examples touches the network (the sweep's Dask cluster binds 127.0.0.1).
"""
from __future__ import annotations

import importlib
import os
import re
import shutil
import typing
import warnings
from pathlib import Path

import plotly
import plotly.io as pio
from docutils import nodes
from plotly.io._base_renderers import HtmlRenderer
from sphinx.util import logging as sphinx_logging
from sphinx.util.nodes import make_refnode

import skyswap

# The sweep example's local Dask cluster: its shutdown notes ("worker process still alive after 4 s,
# killing") are not part of the example's output. Set before anything imports dask.
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

project = "skyswap"
author = "the skyswap developers"
copyright = "the skyswap developers, BSD-3-Clause"
release = skyswap.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "examples", "**/README.md", "**/*.ipynb", "sg_execution_times.rst", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.json", "auto_examples/*.md5"]
templates_path = ["_templates"]

# ---------------------------------------------------------------------------------- references
# A reference to a skyswap object that does not exist is an error (the build runs with -W).
# Types from other libraries cannot be resolved offline (no intersphinx inventories), so those
# targets alone are let through.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|pandas|pd|scipy|astropy|skyfield|pydantic|plotly|go|dask|typer|yaml|pyarrow|datetime"
               r"|pathlib|collections|typing|annotated_types|concurrent|multiprocessing|os|io|enum|abc)(\..*)?"),
    (r"py:.*", r"(Path|PathLike|Sequence|Iterable|Iterator|Mapping|Callable|Any|Literal|Annotated|Self|TypeVar"
               r"|NDArray|ArrayLike|DataFrame|Series|Time|Timescale|EarthSatellite|BaseModel|ConfigDict|Field"
               r"|Figure|Client|Generator|TextIO|BinaryIO|Enum|IntEnum|ndarray|dtype|float64|floating|bool_)"),
    (r"py:.*", r"(int|float|str|bool|bytes|dict|list|tuple|set|frozenset|type|object|None|callable|optional"
               r"|array|array_like|array-like|sequence|iterable|mapping|function)"),
    (r"py:.*", r"[a-z_]+\.\.\..*|.*\[.*|.*\]"),  # subscripted types written into signatures
    (r"py:.*", r".*\s.*"),  # prose that autodoc parsed as a type (a string constant's value): never a name
]

# -------------------------------------------------------------------------------- API reference
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True}
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc Parameters section carries the types and units
autodoc_mock_imports = ["hapsira"]  # the optional poliastro extra
numpydoc_show_class_members = False  # autosummary lists members; numpydoc would list them again
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# The docstrings cite their sources in a numpydoc References section and point at them in plain
# text ("[1]", "# Eq. 7 of [2]" in the code) rather than with reST citation links, so docutils would
# call every citation unreferenced. A reference to a citation that does not exist is still an error.
suppress_warnings = ["ref.citation"]

# ---------------------------------------------------------------------------------------- MyST
myst_heading_anchors = 3  # README links such as #the-q4s-like-profile-what-is-public-and-what-is-assumed
myst_enable_extensions = ["colon_fence"]

# ------------------------------------------------------------------------------------- gallery
# plotly figures are shown inline as HTML; plotly.js itself is loaded once per gallery page from
# _static/ (see _copy_plotly_js and _plotly_on_gallery_pages), never from a CDN.


_RESIZE_ON_LOAD = ("window.addEventListener('load', function () {"
                   " Plotly.Plots.resize(document.getElementById('{plot_id}')); });")


class _OfflineHtmlRenderer(HtmlRenderer):
    """plotly figure -> an HTML <div> that expects plotly.js on the page (no CDN, no MathJax).

    The figure is drawn while the page is still being parsed, before the theme's columns have
    their final width; it is resized to its container once the page has loaded.
    """

    def __init__(self):
        super().__init__(connected=False, full_html=False, global_init=False)

    def to_mimebundle(self, fig_dict):
        html = pio.to_html(fig_dict, include_plotlyjs=False, include_mathjax=False, full_html=False,
                           default_width="100%", default_height=460, validate=False, config={"responsive": True},
                           post_script=_RESIZE_ON_LOAD)
        return {"text/html": html}


pio.renderers["skyswap_docs"] = _OfflineHtmlRenderer()
pio.renderers.default = "skyswap_docs"

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",  # plot_1_... to plot_5_...: the order of a first read
    "image_scrapers": (),  # figures are plotly HTML, captured through _repr_html_
    "capture_repr": ("_repr_html_", "__repr__"),
    "reset_modules": (),
    "abort_on_example_error": False,  # run every example, report all failures (and -W fails the build)
    "only_warn_on_example_error": False,
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_signature": False,
    "default_thumb_file": str(DOCS / "_static" / "thumb.png"),
    "thumbnail_size": (320, 200),
    "min_reported_time": 1,
    "write_computation_times": False,
}

# ----------------------------------------------------------------------------------------- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"skyswap {release}"
html_static_path = ["_static", str(DOCS / "_build" / "_plotly_static")]
html_css_files = ["skyswap.css"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc"],
}
html_context = {"default_mode": "light"}
# Single pages have no section to navigate: no empty left sidebar on them.
html_sidebars = {page: [] for page in ("index", "getting_started", "readme", "physics", "architecture", "nomenclature")}


def _copy_plotly_js(app) -> None:
    """Put the installed plotly's plotly.min.js where html_static_path finds it (not committed)."""
    target = DOCS / "_build" / "_plotly_static"
    target.mkdir(parents=True, exist_ok=True)
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not (target / "plotly.min.js").is_file() or (target / "plotly.min.js").stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target / "plotly.min.js")


_PLOTLY_DIV = re.compile(r"plotly-graph-div")


def _plotly_on_gallery_pages(app, pagename, templatename, context, doctree) -> None:
    """Load plotly.js (from _static/) only on the pages that hold a plotly figure."""
    if _PLOTLY_DIV.search(context.get("body", "") or ""):
        app.add_js_file("plotly.min.js", priority=200)


def _no_math_markup(app, pagename, templatename, context, doctree) -> None:
    """Math markup (``:math:``, ``.. math::``) would load MathJax from a CDN when the page is read:
    the site stays offline, so formulas are written in Unicode, as the docstrings do."""
    if doctree is not None and (doctree.next_node(nodes.math) or doctree.next_node(nodes.math_block)):
        sphinx_logging.getLogger(__name__).warning(
            "%s: math markup loads MathJax from a CDN; write the formula in Unicode text", pagename)


def _imported_as(dotted: str) -> str | None:
    """The documented name of ``skyswap.<dotted>`` when it is a re-export (``skyswap.mission.plan``
    is :func:`skyswap.mission.planner.plan`), or None."""
    module, _, attr = f"skyswap.{dotted}".rpartition(".")
    try:
        obj = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        return None
    name = getattr(obj, "__qualname__", None)
    return f"{obj.__module__}.{name}" if name and getattr(obj, "__module__", None) else None


def _resolve_within_skyswap(app, env, node, contnode):
    """Resolve a Python reference the way the docstrings write them.

    The docstrings name objects relative to the ``skyswap`` package (``:mod:`mission.planner```,
    ``:func:`payload.power.battery_step```), through a package's re-export (``mission.plan``) or
    relative to their own layer (``:func:`run_operations```), as the folders are laid out. A target
    not found as written is looked up as the one documented object whose full name ends with it,
    preferring the one nearest the referring module; an attribute that is documented only in its
    class's ``Attributes`` section links to the class. A target that names no documented object at
    all stays a broken reference (an error with -W).
    """
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    target = node["reftarget"].lstrip("~.")
    here = node.get("py:module") or ""
    candidates = [target]
    if node.get("reftype") in ("attr", "meth") and "." in target:
        candidates.append(target.rpartition(".")[0])
    for wanted in candidates:
        found = [name for name in domain.objects if name == f"skyswap.{wanted}" or name.endswith(f".{wanted}")]
        if not found and (canonical := _imported_as(wanted)) in domain.objects:
            found = [canonical]
        if found:
            best = max(sorted(found), key=lambda name: (len(os.path.commonprefix([name, here])), -len(name)))
            entry = domain.objects[best]
            return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, best)
    return None


def _skip_annotated_aliases(app, what, name, obj, skip, options):
    """Leave pydantic field types (``SafeName = Annotated[str, Field(...), AfterValidator(...)]``) out
    of the module pages: autodoc would print them as "alias of" their validator's internals, which
    are not valid reST. The fields that use them are documented with their models."""
    return True if typing.get_origin(obj) is typing.Annotated else None


# numpydoc's signature handler parses the raw docstring, before _fields_as_attributes has renamed
# the section, and warns about it; the rendered page has the section.
warnings.filterwarnings("ignore", message="Unknown section Fields", category=UserWarning)


def _fields_as_attributes(app, what, name, obj, options, lines) -> None:
    """The payload's dataclasses list their fields under ``Fields``, a section numpydoc does not
    know (it would drop it, and with it the units and sources of every payload parameter): render
    it as numpydoc's ``Attributes``. Runs before numpydoc's own handler."""
    if what != "class" or any(line.strip() == "Attributes" for line in lines):
        return
    for i in range(len(lines) - 1):
        if lines[i].strip() == "Fields" and set(lines[i + 1].strip()) == {"-"}:
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i], lines[i + 1] = f"{indent}Attributes", f"{indent}----------"


def setup(app):
    _copy_plotly_js(app)  # html_static_path is checked when the builder starts: copy before
    app.connect("html-page-context", _plotly_on_gallery_pages)
    app.connect("html-page-context", _no_math_markup)
    app.connect("missing-reference", _resolve_within_skyswap)
    app.connect("autodoc-skip-member", _skip_annotated_aliases)
    app.connect("autodoc-process-docstring", _fields_as_attributes, priority=100)
