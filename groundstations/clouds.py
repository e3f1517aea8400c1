"""Cloud-free probability per station and month.

skyswap ships no cloud climatology: no per-station monthly numbers with a citable source were
collected, so every catalog station's value is "unknown" and the scenario supplies one — a single
value for all stations and months (``channel.cloud_free_probability``), per-station monthly values
(``channel.cloud_free_monthly``), or a CSV of the user's own statistics (``channel.cloud_csv``,
e.g. derived from ERA5 total cloud cover). A planned pass counts its expected value:
heralded pairs × the probability that the sky is clear (both skies, assumed independent, for a
station pair).
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


class CloudDataError(ValueError):
    """A cloud statistics file that cannot be used (the message names the file, line and value)."""


def load_cloud_csv(path: str | Path) -> dict[str, tuple[float, ...]]:
    """Monthly cloud-free probabilities from a CSV with columns ``station, month, cloud_free_probability``.

    Months are 1..12; every station listed must give all twelve; values lie in [0, 1].
    """
    path = Path(path)
    table: dict[str, dict[int, float]] = {}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            need = {"station", "month", "cloud_free_probability"}
            if reader.fieldnames is None or not need <= set(reader.fieldnames):
                raise CloudDataError(f"{path}: columns must be {sorted(need)}, found {reader.fieldnames}")
            for line, row in enumerate(reader, start=2):
                try:
                    month = int(row["month"])
                    p = float(row["cloud_free_probability"])
                except ValueError:
                    raise CloudDataError(f"{path}:{line}: month {row['month']!r} / probability {row['cloud_free_probability']!r} are not numbers") from None
                if not 1 <= month <= 12:
                    raise CloudDataError(f"{path}:{line}: month {month} is not in 1..12")
                if not (0.0 <= p <= 1.0):
                    raise CloudDataError(f"{path}:{line}: cloud_free_probability {p} is not in [0, 1]")
                table.setdefault(row["station"].strip(), {})[month] = p
    except FileNotFoundError:
        raise CloudDataError(f"{path}: file not found") from None
    out = {}
    for station, months in table.items():
        missing = sorted(set(range(1, 13)) - set(months))
        if missing:
            raise CloudDataError(f"{path}: station {station!r} lacks months {missing}")
        out[station] = tuple(months[m] for m in range(1, 13))
    return out


def cloud_free_probability(station: str, month: np.ndarray, monthly: dict[str, tuple[float, ...]], default: float) -> np.ndarray:
    """Probability of a clear sky at ``station`` in each ``month`` (1..12). [1]"""
    month = np.asarray(month, dtype=int)
    values = monthly.get(station)
    if values is None:
        return np.full(month.shape, float(default))
    return np.asarray(values, float)[month - 1]
