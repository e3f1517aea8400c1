"""Print the ITU-R P.840 grid's bias on the cited sites, as the Markdown table of docs/weather.md §2.

    python tools/cloud_bias_table.py

The numbers come from ``groundstations.cloud_bias.grid_correction()`` (the cited usable-night
fractions of ``groundstations/data/cloud_climatology.json`` against the shipped grid);
``tests/test_cloud_bias.py`` recomputes them and checks the table in the docs, so the two cannot
drift apart.
"""
from __future__ import annotations

from skyswap.groundstations.cloud_bias import GridCorrection, grid_correction

HEADER = ("| site | cited | grid | grid − cited | corrected | leave-one-out error |\n"
          "|---|---|---|---|---|---|")


def table_lines(c: GridCorrection) -> list[str]:
    """The table's rows, two decimals (three for the errors), in the data file's order."""
    return [f"| {r.site} | {r.cited:.3f} | {r.grid:.3f} | {r.difference:+.3f} | {r.corrected:.3f} | {r.loo:+.3f} |"
            for r in c.rows]


def summary_line(c: GridCorrection) -> str:
    """The one line of numbers the docs state about the fit."""
    return (f"k = {c.scale:.3f} on {c.n_sites} sites; raw grid − cited: mean {c.raw_mean:+.3f}, RMS {c.raw_rms:.3f}; "
            f"corrected, leave-one-out: RMS {c.loo_rms:.3f}, median |error| {c.loo_median_abs:.3f}, "
            f"largest {c.loo_max_abs:.3f}; checked range of grid values {c.grid_min:.3f}–{c.grid_max:.3f}")


def main() -> int:
    c = grid_correction()
    print(HEADER)
    print("\n".join(table_lines(c)))
    print()
    print(summary_line(c))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
