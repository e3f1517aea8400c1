"""OMM orbits, user cloud statistics, and a quiet normal run."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skyswap import mission
from skyswap.groundstations.clouds import CloudDataError, load_cloud_csv
from skyswap.mission.orbits import frames, skydata

ROOT = Path(__file__).resolve().parents[1]
L1 = "1 41731U 16051A   16354.56904520  .00000746  00000-0  35285-4 0  9993"
L2 = "2 41731  97.3628 267.3441 0010767  44.0987 316.1115 15.24965622 18046"
OMM_CSV = (
    "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,"
    "MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,"
    "MEAN_MOTION_DOT,MEAN_MOTION_DDOT\n"
    "MICIUS,2016-051A,2016-12-19T13:39:25.505280,15.24965622,.0010767,97.3628,267.3441,44.0987,316.1115,"
    "0,U,41731,999,1804,.35285e-4,.746e-5,0\n"
)


def _scenario_text(orbit: str) -> str:
    return f"""name: omm
span: {{start: 2016-12-20T00:00:00Z, days: 1}}
orbit:
{orbit}
stations: [Delingha, Nanshan]
mode: dual-downlink
"""


def test_omm_file_flies_like_the_same_tle(tmp_path):
    (tmp_path / "micius.csv").write_text(OMM_CSV)
    (tmp_path / "omm.yaml").write_text(_scenario_text("  omm: micius.csv"))
    (tmp_path / "tle.yaml").write_text(_scenario_text(f"  tle: |\n    {L1}\n    {L2}"))
    from skyswap.mission.orbits.sources import build_orbit

    sats = []
    for name in ("omm.yaml", "tle.yaml"):
        sc = mission.load_scenario(tmp_path / name)
        sat, info = build_orbit(sc.orbit, sc.span)  # one orbit: the scenario's section itself
        sats.append(sat)
        assert info.inclination_deg == pytest.approx(97.3628, abs=1e-9)
    t0 = skydata.timescale().utc(2016, 12, 20)
    s = np.linspace(0, 86400, 25)
    r_omm, r_tle = (frames.propagate_itrs(sat, t0, s).position_km for sat in sats)
    assert np.max(np.linalg.norm(r_omm - r_tle, axis=0)) < 0.01  # km: the same elements


def test_cloud_csv_feeds_expected_pairs(tmp_path):
    rows = ["station,month,cloud_free_probability"]
    rows += [f"Delingha,{m},0.8" for m in range(1, 13)] + [f"Nanshan,{m},0.5" for m in range(1, 13)]
    (tmp_path / "clouds.csv").write_text("\n".join(rows) + "\n")
    assert load_cloud_csv(tmp_path / "clouds.csv")["Delingha"] == (0.8,) * 12
    sc = mission.load_scenario(ROOT / "tests" / "data" / "e2e.yaml")
    sc = sc.model_copy(update={"channel": sc.channel.__class__(cloud_csv=str(tmp_path / "clouds.csv"), cloud_free_probability=0.3,
                                                                    use_global_cloud_grid=False,
                                                                    cloud_correlation_length_km=0.0)})  # independent
    p = mission.plan(sc).passes
    expect = {("Delingha", "Nanshan"): 0.4, ("Delingha", "Lijiang"): 0.24, ("Nanshan", "Lijiang"): 0.15}
    for (a, b), prob in expect.items():
        rows_ab = p[(p["station_a"] == a) & (p["station_b"] == b)]
        assert len(rows_ab) and np.allclose(rows_ab["cloud_free_probability"], prob)
        assert np.allclose(rows_ab["expected_heralded_pairs"], rows_ab["heralded_pairs"] * prob)


@pytest.mark.parametrize("body, fragment", [
    ("station,month\nX,1\n", "columns"),
    ("station,month,cloud_free_probability\nX,13,0.5\n", "month 13"),
    ("station,month,cloud_free_probability\nX,1,1.5\n", "not in [0, 1]"),
    ("station,month,cloud_free_probability\nX,1,0.5\n", "lacks months"),
])
def test_bad_cloud_csv(tmp_path, body, fragment):
    (tmp_path / "c.csv").write_text(body)
    with pytest.raises(CloudDataError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        load_cloud_csv(tmp_path / "c.csv")


def test_a_normal_run_prints_no_warning(tmp_path):
    """skyfield-data's 'file has expired' warning (and any other) never reaches a user."""
    proc = subprocess.run([sys.executable, "-W", "always", "-m", "skyswap.mission.cli", "plan",
                           str(ROOT / "tests" / "data" / "e2e.yaml"), "--out", str(tmp_path), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0
    assert proc.stderr == ""
