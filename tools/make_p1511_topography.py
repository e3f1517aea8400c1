"""Derive ``groundstations/data/itu_p1511_topography.npz`` from the ITU-R P.1511-2 map in ``itur``.

The ``itur`` wheel (163 MB, MIT licence) carries the digital map of Recommendation ITU-R P.1511-2
(topographic height above mean sea level on a 1/12° grid) as numpy files; this script reads it
straight from the wheel (nothing is installed) and writes the one grid skyswap ships:

    pip download --no-deps -d /tmp/itur itur==0.4.0
    python tools/make_p1511_topography.py /tmp/itur/itur-0.4.0-py2.py3-none-any.whl

The source's nodes sit at the centres of 1/12° cells, (2j + 1)/24 degrees (``itur/data/1511/
v2_lat.npz``, ``v2_lon.npz``; two padding rows and columns beyond the poles and the antimeridian,
dropped here), and the sea is stored as exactly 0 m. Each 0.25° cell of the output holds 3 × 3 of
them; the script stores per cell the fraction of its nodes that are not sea (height ≠ 0: land,
ice sheets and inland water above or below sea level) and the mean height of those nodes
(``groundstations.topography.aggregate_cells``). Latitudes increase; longitudes run −180 … 180.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _load(z: zipfile.ZipFile, name: str) -> np.ndarray:
    with np.load(io.BytesIO(z.read(f"itur/data/1511/{name}.npz"))) as f:
        return f["arr_0"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", type=Path, help="itur-0.4.0-py2.py3-none-any.whl")
    ap.add_argument("--out", type=Path, default=ROOT / "groundstations" / "data" / "itu_p1511_topography.npz")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from groundstations.topography import CELL_DEG, LAND_SCALE, aggregate_cells

    print(f"wheel {args.wheel.name}: sha256 {hashlib.sha256(args.wheel.read_bytes()).hexdigest()}")
    with zipfile.ZipFile(args.wheel) as z:
        lat2, lon2, height = _load(z, "v2_lat"), _load(z, "v2_lon"), _load(z, "v2_topo")
    lat, lon = lat2[:, 0], lon2[0]
    assert np.all(np.diff(lat) < 0) and np.all(np.diff(lon) > 0), "unexpected grid order in the source"
    rows = np.flatnonzero(np.abs(lat) < 90.0)
    cols = np.flatnonzero(np.abs(lon) < 180.0)
    assert rows.size == 180 * 12 and cols.size == 360 * 12, (rows.size, cols.size)
    node_lat, node_lon = lat[rows][::-1], lon[cols]  # latitudes increasing
    h = height[rows][:, cols][::-1]
    assert np.allclose(node_lat * 24.0, np.rint(node_lat * 24.0)) and np.allclose(node_lon * 24.0, np.rint(node_lon * 24.0))
    land_fraction, altitude_m = aggregate_cells(h, int(round(CELL_DEG * 12)))
    n_lat, n_lon = land_fraction.shape
    cell_lat = -90.0 + (np.arange(n_lat) + 0.5) * CELL_DEG
    cell_lon = -180.0 + (np.arange(n_lon) + 0.5) * CELL_DEG
    np.savez_compressed(args.out, latitude_deg=cell_lat.astype(np.float32), longitude_deg=cell_lon.astype(np.float32),
                        land_fraction_e2=np.rint(land_fraction / LAND_SCALE).astype(np.uint8),
                        altitude_m=np.rint(altitude_m).astype(np.int16))
    print(f"grid {land_fraction.shape}; land (any node) {np.mean(land_fraction > 0):.3f} of cells; wrote {args.out} "
          f"({args.out.stat().st_size} bytes, sha256 {hashlib.sha256(args.out.read_bytes()).hexdigest()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
