"""``skyswap stations``: the shipped catalog, with the clear-sky probability ``plan`` would use.

Each station's cloud-free probability comes from the same resolver as a plan with the default
``channel`` settings (:func:`mission.weather.clear_sky.cloud_tables`: the shipped cited climatology,
else the global grid, else the scenario default), so the table says what a plan of that station
would assume and where the number comes from.
"""
from __future__ import annotations

from dataclasses import asdict


def catalog_rows() -> list[dict]:
    """One mapping per catalog station: its catalog fields, ``cloud_climatology`` (the shipped entry,
    or None) and ``clear_sky`` (what a plan with default settings uses: kind, basis, source, monthly
    values, and the confidence word where the resolver gives one)."""
    from ..groundstations.catalog import load_catalog
    from ..groundstations.channel_config import ChannelConfig
    from ..groundstations.clouds import load_climatology
    from .weather.clear_sky import cloud_tables

    cat = load_catalog()
    shipped = load_climatology()
    monthly, sources = cloud_tables(list(cat.values()), ChannelConfig())
    default = ChannelConfig().cloud_free_probability
    rows = []
    for s in cat.values():
        src = sources.get(s.name)
        clear: dict = asdict(src) if src is not None else {"kind": "default", "basis": "default",
                                                            "source": "channel.cloud_free_probability (assumption)"}
        clear["monthly"] = list(monthly.get(s.name, (default,) * 12))
        rows.append({**asdict(s), "cloud_climatology": asdict(shipped[s.name]) if s.name in shipped else None,
                     "clear_sky": clear})
    return rows


def _clear_text(clear: dict) -> str:
    values = clear.get("monthly") or []
    if not values:
        return "unknown"
    lo, hi = min(values), max(values)
    return f"{lo:.2f}" if abs(hi - lo) < 5e-3 else f"{lo:.2f}–{hi:.2f}"


def _clear_source(clear: dict, citation: bool = True) -> str:
    """Where the clear-sky value comes from, in a few words: the resolver's confidence word (user,
    cited, corrected grid, assumed) or its kind, the basis of a cited value, and (wide) the citation."""
    kind = {"climatology": "cited", "global": "grid", "default": "assumed", "csv": "user CSV",
            "scenario": "scenario"}.get(clear.get("kind", ""), clear.get("kind", ""))
    words = [clear.get("confidence") or kind]
    basis = clear.get("basis")
    if basis and basis not in ("default", "monthly") and clear.get("kind") == "climatology":
        words.append(basis)
    head = ", ".join(w for w in words if w)
    source = (clear.get("source") or "").strip()
    return f"{head}: {source}" if citation and source and clear.get("kind") == "climatology" else head


#: Terminal width from which the table also shows each station's own source (a citation). [column]
WIDE = 140


def print_catalog(rows: list[dict]) -> None:
    """The catalog as a table that fits the terminal (units in the headers, text never read as
    markup: '[deg]' stays). Narrower than :data:`WIDE` columns, the stations' citations are left
    to ``skyswap stations --json``."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from .stdio import console as table_console

    console = table_console()  # the terminal's width (80 columns when not a terminal)
    wide = console.width >= WIDE
    table = Table(title=Text(f"skyswap station catalog ({len(rows)} stations)"), box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1, 0, 0))
    headers = [("name", "left"), ("lat\n[deg]", "right"), ("lon\n[deg]", "right"), ("alt\n[m]", "right"),
               ("aperture\n[m]", "right"), ("clear\nsky [1]", "right"), ("clear-sky\nsource", "left")]
    if wide:
        headers.append(("station\nsource", "left"))
    digits = 4 if wide else 3  # 0.001° is ~100 m; --json has every digit
    body = []
    for r in rows:
        cells = [r["name"], f"{r['latitude_deg']:.{digits}f}", f"{r['longitude_deg']:.{digits}f}", f"{r['altitude_m']:.0f}",
                 f"{r['aperture_m']:.2f}", _clear_text(r["clear_sky"]), _clear_source(r["clear_sky"], citation=wide)]
        if wide:
            cells.append(r["source"])
        body.append(cells)
    for i, (title, justify) in enumerate(headers):
        fixed = i < 6  # name and numbers never wrap: exactly as wide as their widest line
        width = max(len(line) for text in [title, *(b[i] for b in body)] for line in text.split("\n")) if fixed else None
        table.add_column(Text(title), justify=justify, overflow="fold", no_wrap=fixed, width=width)  # type: ignore[arg-type]
    for cells in body:
        table.add_row(*(Text(str(c)) for c in cells))
    console.print(table)
    note = ("clear sky: the cloud-free probability (lowest–highest month) a plan with default channel settings uses "
            "for the station; grid: the global ITU-R P.840 grid (annual) at the station, corrected on the cited sites "
            "(docs/weather.md).")
    if not wide:
        note += " Each station's source and each cited clear sky's reference: skyswap stations --json (or a wider terminal)."
    console.print(Text(note))
