"""Derive ``groundstations/data/itu_p840_cloud_free.npz`` from the ITU-R P.840-8 maps in ``itur``.

The ``itur`` wheel (163 MB, MIT licence) carries the digital maps of Recommendation ITU-R P.840-8
as numpy files; this script reads the ones it needs straight from the wheel (nothing is
installed) and writes the one grid skyswap ships (~60 kB):

    pip download --no-deps -d /tmp/itur itur==0.4.0
    python tools/make_p840_cloud_grid.py /tmp/itur/itur-0.4.0-py2.py3-none-any.whl

For every node of the 1.125° grid it takes the 18 annual exceedance maps L_red(p),
p = 0.1 … 99 % (``itur/data/840/v7_lred_<p>.npz``; P.840-8 uses the P.840-7 files), finds the
percentage of the year during which L_red exceeds the blocking threshold
(``groundstations.cloud_grid.exceedance_percent``, the inverse of the Recommendation's
interpolation in ln p) and stores 1 − p/100 as integers of 1e-4. The grid keeps the source's
nodes: latitudes −90 … 90 (increasing; the source runs from +90 down), longitudes 0 … 360.
It prints the values at the catalog stations that have a cited clear-night fraction.
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
    with np.load(io.BytesIO(z.read(f"itur/data/840/{name}.npz"))) as f:
        return f["arr_0"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", type=Path, help="itur-0.4.0-py2.py3-none-any.whl")
    ap.add_argument("--out", type=Path, default=ROOT / "groundstations" / "data" / "itu_p840_cloud_free.npz")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from groundstations.cloud_grid import (
        BLOCKING_LIQUID_WATER_KG_M2,
        GRID_SCALE,
        P840_LEVELS_PERCENT,
        bilinear,
        exceedance_percent,
    )

    print(f"wheel {args.wheel.name}: sha256 {hashlib.sha256(args.wheel.read_bytes()).hexdigest()}")
    with zipfile.ZipFile(args.wheel) as z:
        lat2, lon2 = _load(z, "v7_lat"), _load(z, "v7_lon")
        lred = np.stack([_load(z, "v7_lred_" + f"{p:g}".replace(".", "")) for p in P840_LEVELS_PERCENT])
    lat, lon = lat2[:, 0], lon2[0]
    assert np.all(np.diff(lat) < 0) and np.all(np.diff(lon) > 0), "unexpected grid order in the source"
    lat, lred = lat[::-1], lred[:, ::-1, :]  # latitudes increasing
    blocked = exceedance_percent(lred, BLOCKING_LIQUID_WATER_KG_M2)
    cloud_free = 1.0 - blocked / 100.0
    stored = np.rint(cloud_free / GRID_SCALE).astype(np.uint16)
    np.savez_compressed(args.out, latitude_deg=lat.astype(np.float32), longitude_deg=lon.astype(np.float32),
                        cloud_free_e4=stored)
    print(f"threshold {BLOCKING_LIQUID_WATER_KG_M2:.4g} kg/m2; grid {stored.shape}; wrote {args.out} "
          f"({args.out.stat().st_size} bytes)")
    values = stored * GRID_SCALE
    for name, la, lo in [("Tenerife", 28.3010, -16.5118), ("Xinglong", 40.3959, 117.5775)]:
        print(f"  {name:9s} lat {la:8.4f} lon {lo:9.4f}: cloud-free {float(bilinear(lat, lon, values, la, lo)):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
