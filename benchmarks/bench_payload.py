"""Speed and memory of the payload swap model over a mission year (not a timed test).

Synthesises outer-photon transmittance arrays of realistic size and runs
``payload.swap.swap_performance`` plus per-pass totals:

1. year of dual-downlink passes: 190 station pairs x 100 common-view night passes x
   600 samples of 1 s (11.4 M samples), one call per pass (as the planner does);
2. the same samples in a single concatenated call (chunked internally);
3. a 31.5 M-sample array (one year of 1 s samples), evaluated in 1 M-sample blocks with
   running totals (the per-sample outputs of a whole year would alone need ~3 GB).

Prints wall time and peak RSS (``resource.getrusage``).  Usage:
``python benchmarks/bench_payload.py [--pairs 190 --passes 100 --samples 600]
[--double-clicks discard]``.
"""
from __future__ import annotations

import argparse
import pathlib
import resource
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from skyswap.payload.swap import PayloadQuantum, swap_performance  # noqa: E402
from tests.reference.pass_totals import pass_totals  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident set size of this process. [MB] (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_pass(rng, samples):
    """Loss of each link over a pass: 30-45 dB at culmination, +15 dB at the edges."""
    t = np.linspace(-1.0, 1.0, samples)
    base_a, base_b = rng.uniform(30.0, 45.0, 2)
    loss_a = base_a + 15.0 * t ** 2 + rng.normal(0.0, 0.5, samples)
    loss_b = base_b + 15.0 * t[::-1] ** 2 + rng.normal(0.0, 0.5, samples)
    return 10 ** (-loss_a / 10.0), 10 ** (-loss_b / 10.0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=190)
    ap.add_argument("--passes", type=int, default=100)
    ap.add_argument("--samples", type=int, default=600)
    ap.add_argument("--year-samples", type=int, default=31_536_000)
    ap.add_argument("--double-clicks", choices=("squash", "discard"), default="squash",
                    help="station rule of the payload (default: the payload default, squash)")
    args = ap.parse_args(argv)
    payload = PayloadQuantum(double_clicks=args.double_clicks)
    rng = np.random.default_rng(2027)
    noise = 1e-7  # background click probability per window and detector
    dark = 1e-7

    n_pass = args.pairs * args.passes
    passes = [synthetic_pass(rng, args.samples) for _ in range(n_pass)]
    print(f"payload model benchmark ({args.double_clicks}); peak RSS after synthesis {peak_rss_mb():.0f} MB")

    t0 = time.perf_counter()
    total_pairs = 0.0
    total_key = 0.0
    for eta_a, eta_b in passes:
        perf = swap_performance("dual-downlink", eta_a, eta_b, noise, noise, payload=payload,
                                dark_a=dark, dark_b=dark)
        tot = pass_totals(perf, 1.0)
        total_pairs += tot["heralded_pairs"]
        total_key += tot["secret_key_bits"]
    dt = time.perf_counter() - t0
    n = n_pass * args.samples
    print(f"[1] {n_pass} passes x {args.samples} samples = {n / 1e6:.1f} M samples, per-pass calls: "
          f"{dt:.1f} s ({dt / n * 1e6:.2f} us/sample), heralded pairs {total_pairs:.3g}, "
          f"key {total_key:.3g} bit, peak RSS {peak_rss_mb():.0f} MB")

    eta_a = np.concatenate([p[0] for p in passes])
    eta_b = np.concatenate([p[1] for p in passes])
    del passes
    t0 = time.perf_counter()
    perf = swap_performance("dual-downlink", eta_a, eta_b, noise, noise, payload=payload,
                            dark_a=dark, dark_b=dark)
    dt = time.perf_counter() - t0
    print(f"[2] one call over {eta_a.size / 1e6:.1f} M samples: {dt:.1f} s "
          f"({dt / eta_a.size * 1e6:.2f} us/sample), mean F {np.nanmean(perf.fidelity):.4f}, "
          f"peak RSS {peak_rss_mb():.0f} MB")
    del perf, eta_a, eta_b

    block = 1_000_000
    t0 = time.perf_counter()
    pairs = 0.0
    done = 0
    while done < args.year_samples:
        m = min(block, args.year_samples - done)
        loss = rng.uniform(30.0, 60.0, (2, m))
        perf = swap_performance("dual-downlink", 10 ** (-loss[0] / 10), 10 ** (-loss[1] / 10),
                                noise, noise, payload=payload, dark_a=dark, dark_b=dark)
        pairs += float(np.sum(perf.heralded_pair_rate_hz))
        done += m
    dt = time.perf_counter() - t0
    print(f"[3] {args.year_samples / 1e6:.1f} M samples in 1 M blocks: {dt:.1f} s "
          f"({dt / args.year_samples * 1e6:.2f} us/sample), heralded pairs {pairs:.3g}, "
          f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
