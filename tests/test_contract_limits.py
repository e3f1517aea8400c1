"""Issue 24, the contract for every input (1): one bounded reader, YAML 1.2 without surprises,
bounds on every number and count checked before any work, files read as what they claim to be,
and messages a user can act on. (Signals, output paths and the Dask handshake:
tests/test_contract_faults.py.)"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from skyswap import mission
from skyswap.mission.cli import app
from skyswap.mission.scenario import reader, yamlsafe
from skyswap.mission.scenario.errors import InputError
from skyswap.mission.scenario.schema import MAX_PAIRS, MAX_STATIONS, Scenario
from tests.cli_checks import one_line

ROOT = Path(__file__).resolve().parents[1]
BASE = ("name: t\nspan: {start: 2027-01-01T00:00:00Z, days: 1}\n"
        "orbit: {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}\nstations: [Delingha, Nanshan]\n")
L1 = "1 41731U 16051A   16354.56904520  .00000746  00000-0  35285-4 0  9993"
L2 = "2 41731  97.3628 267.3441 0010767  44.0987 316.1115 15.24965622 18046"



def _validate(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["validate", str(path)])


#: Runs a command and reports its own peak memory: the wrapper's only child is the command.
_MEASURED = ("import resource, subprocess, sys\n"
             "code = subprocess.run(sys.argv[1:]).returncode\n"
             "print(f'peak-rss-kib {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', file=sys.stderr)\n"
             "sys.exit(code)\n")


def _cli(args, timeout=120.0):
    """A real process: (exit status, its stderr, wall seconds, its peak RSS in MiB)."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _MEASURED, sys.executable, "-m", "skyswap.mission.cli", *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the command too, not only the wrapper
        proc.communicate()
        pytest.fail(f"{args} still ran after {timeout} s")
    wall = time.perf_counter() - t
    lines = err.splitlines()
    rss_kib = float(lines[-1].split()[-1])
    return proc.returncode, "\n".join(lines[:-1]) + "\n", wall, rss_kib / 1024.0


# --------------------------------------------------------------------------- the bounded reader

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("which", ["scenario", "tle"])
def test_a_fifo_is_refused_by_type_not_waited_on(tmp_path, which):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo if which == "scenario" else tmp_path / "s.yaml"
    if which == "tle":
        target.write_text(BASE.replace("orbit: {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}", "orbit: {tle: pipe}"))
    code, err, wall, _ = _cli(["validate", str(target)], timeout=60)
    assert code == 2 and "is a named pipe (FIFO)" in err and err.count("\n") == 1, err
    assert wall < 30.0  # s: blocked forever before


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it():
    code, err, wall, rss = _cli(["validate", "/dev/zero"])
    assert code == 2 and "'/dev/zero': is a device, not a scenario" in err, err
    assert wall < 30.0 and rss < 2048.0  # s, MiB: 6 GiB were read before the size check


def test_a_directory_and_an_oversized_file_are_refused(tmp_path):
    one_line(CliRunner().invoke(app, ["validate", str(tmp_path)]), "is a directory, not a scenario")
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(reader.MAX_BYTES["scenario"] + 1)  # sparse: refused from its size, not read
    one_line(CliRunner().invoke(app, ["validate", str(big)]), "skyswap reads a scenario of at most 2.0 MB")


@pytest.mark.parametrize("text, where", [
    (BASE + "mode: dual\x01downlink\n", "U+0001) at line 5, column 11"),
    (BASE.replace("name: t", "name: t\x1b[31m"), "U+001B) at line 1, column 8"),
    (BASE + "# a comment with a NEL \x85\n", "U+0085) at line 5, column 24"),
    (BASE + "mode: 'a\u2028b'\n", "U+2028) at line 5, column 9"),
])
def test_control_characters_are_refused_with_line_and_column(tmp_path, text, where):
    """Before: 'internal error: ReaderError' (exit 1), or the character went into names."""
    one_line(_validate(tmp_path, text), where)


@pytest.mark.parametrize("value", ['"X\\ry"', '"X\\x1by"', '"X\\0y"', '"X\\u202Ey"'])
def test_control_characters_written_as_escapes_are_refused(tmp_path, value):
    text = BASE.replace("stations: [Delingha, Nanshan]", f"stations: [Delingha, {{name: {value}, latitude_deg: 40, "
                                                           "longitude_deg: 10, altitude_m: 100, aperture_m: 1}]")
    one_line(_validate(tmp_path, text), "holds a control character")


def test_a_byte_order_mark_is_dropped_and_bad_utf8_named(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert mission.load_scenario(path).name == "t"
    path.write_bytes(BASE.encode() + b"mode: \xff\n")
    one_line(CliRunner().invoke(app, ["validate", str(path)]), "is not UTF-8 text (line 5")


# ------------------------------------------------------------------------ YAML: bounded, 1.2

def test_a_long_flat_list_is_refused_early_and_cheaply(tmp_path):
    """A 1.8 MB list of 900,000 numbers: refused at the 100,001st value (85 s and 3.3 GiB for 9 MB before)."""
    path = tmp_path / "many.yaml"
    path.write_text("name: t\nstations: [" + ",".join(["0"] * 900_000) + "]\n")
    code, err, wall, rss = _cli(["validate", str(path)])
    assert code == 2 and "holds more than 100,000 YAML values (refused at line 2" in err, err
    assert wall < 30.0 and rss < 2048.0


def test_nesting_is_refused_at_its_depth():
    deep = "a: " + "[" * 100 + "]" * 100 + "\n"
    with pytest.raises(InputError, match="nested too deeply: lists and mappings more than 64 deep"):
        yamlsafe.load(deep, "scenario", "t.yaml")
    assert yamlsafe.load("a: " + "[" * 60 + "]" * 60 + "\n", "scenario", "t.yaml") is not None


@pytest.mark.parametrize("line, fragment", [
    ("name: no", "name = 'no': is false in YAML 1.1 but text in YAML 1.2: write false for the boolean, or quote it"),
    ("mode: on", "mode = 'on': is true in YAML 1.1"),
    ("span: {start: 2027-01-01T00:00:00Z, days: 1:30}", "span.days = '1:30': is 90 in YAML 1.1 (base 60) but text in YAML 1.2: write 90"),
    ("sample_step_s: 010", "sample_step_s = '010': is 8 in YAML 1.1 (octal) but 10 in YAML 1.2: write 10"),
    ("sample_step_s: 0o10", "is text in YAML 1.1 but 8 in YAML 1.2 (octal)"),
    ("sample_step_s: 0b11", "is 3 in YAML 1.1 (binary)"),
    ("min_window_duration_s: 1_000", "is 1000 in YAML 1.1 but text in YAML 1.2"),
])
def test_yaml_11_surprises_are_refused_with_both_readings(tmp_path, line, fragment):
    key = line.split(":")[0]
    text = "\n".join(ln for ln in BASE.splitlines() if not ln.startswith(key + ":")) + "\n" + line + "\n"
    err = one_line(_validate(tmp_path, text), fragment)
    assert "(line " in err and "column " in err


def test_yaml_12_values_read_as_the_12_core_schema():
    data = yamlsafe.load("a: [1, -2, 0x1F, 2.5, 1e3, .5, .inf, ~, null, true, False, '0o7', !!str no, 2027-01-01]\n",
                         "scenario", "t.yaml")
    assert data["a"][:6] == [1, -2, 31, 2.5, 1000.0, 0.5]
    assert data["a"][6] == float("inf") and data["a"][7:11] == [None, None, True, False]
    assert data["a"][11:] == ["0o7", "no", "2027-01-01"]  # quoted, !!str, a date stays text for the schema


@pytest.mark.parametrize("tag", ["!!set {Delingha, Nanshan}", "!!omap [{a: 1}]", "!!binary aGVsbG8=", "!mytag x",
                                 "!!timestamp 2027-01-01"])
def test_unordered_and_other_typed_yaml_is_refused(tmp_path, tag):
    """``stations: !!set {…}`` was accepted with the order of PYTHONHASHSEED: outputs differed between runs."""
    text = BASE.replace("stations: [Delingha, Nanshan]", f"stations: {tag}")
    one_line(_validate(tmp_path, text), "YAML tag at line 4")


def test_outputs_do_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different hash seeds read a scenario to the same validated content."""
    path = tmp_path / "s.yaml"
    path.write_text(BASE)
    code = ("import sys; from skyswap.mission.scenario.loading import load_scenario; "
            f"print(load_scenario({str(path)!r}).hash())")
    hashes = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(hashes) == 1


@pytest.mark.parametrize("line, fragment", [
    ("span: {start: 2016-12-31T23:59:60Z, days: 1}", "second 60 is a leap second"),
    ("span: {start: '2016-12-31T23:59:60Z', days: 1}", "second 60 is a leap second"),
    ("span: {start: 2027-13-01, days: 1}", "span.start = '2027-13-01': is a date without a time"),
    ("span: {start: 2027-13-01T00:00:00Z, days: 1}", "month value is outside expected range of 1-12"),
    ("span: {start: 2027-01-01T00:00:00, days: 1}", "has no time zone: add Z for UTC"),
])
def test_times_a_datetime_cannot_hold_areone_line(tmp_path, line, fragment):
    """Before: 'internal error: ValueError: second must be in 0..59' / 'month must be in 1..12' (exit 1)."""
    text = BASE.replace("span: {start: 2027-01-01T00:00:00Z, days: 1}", line)
    one_line(_validate(tmp_path, text), fragment)


def test_a_short_span_shows_its_time_in_iso_8601(tmp_path):
    text = BASE.replace("days: 1}", "end: 2027-01-01T00:00:05Z}")
    err = one_line(_validate(tmp_path, text), "span.end = '2027-01-01T00:00:05Z': the span is 5 s")
    assert "datetime.datetime" not in err


@pytest.mark.parametrize("line, fragment", [
    ("span: {start: 2027-01-01T00:00:00Z, days: true}", "span.days = True: is true/false, not a number"),
    ("outputs: {csv: 1}", "outputs.csv = 1: is a number, not true/false"),
])
def test_booleans_and_numbers_do_not_stand_in_for_each_other(tmp_path, line, fragment):
    key = line.split(":")[0]
    text = "\n".join(ln for ln in BASE.splitlines() if not ln.startswith(key + ":")) + "\n" + line + "\n"
    one_line(_validate(tmp_path, text), fragment)


# ----------------------------------------------------------------------------------- bounds

def _numbers_and_lists(schema: dict):
    """(path, node) of every number and list of the JSON Schema (refs and unions followed)."""
    defs = schema.get("$defs", {})
    out = []

    def walk(node, path, seen):
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            if name not in seen:
                walk(defs[name], path, seen | {name})
            return
        for sub in node.get("anyOf", []):
            walk(sub, path, seen)
        if node.get("type") in ("number", "integer", "array"):
            out.append((path, node))
        for sub in node.get("prefixItems", []):
            walk(sub, path + "[]", seen)
        if "items" in node:
            walk(node["items"], path + "[]", seen)
        for key, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{key}" if path else key, seen)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], path + ".*", seen)

    walk(schema, "", frozenset())
    return out


def test_every_number_has_a_lower_and_an_upper_bound_and_every_list_a_length():
    """Numbers without an upper bound (1e308 Hz) overflowed into an IndexError (exit 1)."""
    missing = []
    for path, node in _numbers_and_lists(Scenario.model_json_schema()):
        if node["type"] == "array":
            if "maxItems" not in node and "prefixItems" not in node:
                missing.append(f"{path}: no maxItems")
            continue
        if not ({"minimum", "exclusiveMinimum"} & set(node)):
            missing.append(f"{path}: no lower bound")
        if not ({"maximum", "exclusiveMaximum"} & set(node)):
            missing.append(f"{path}: no upper bound")
    assert missing == []


@pytest.mark.parametrize("section, fragment", [
    ("payload: {source: {repetition_rate_hz: 1e308}}", "payload.source.repetition_rate_hz = 1e+308: Input should be less than"),
    ("payload: {bsm: {dark_count_rate_hz: 1.0e308}}", "payload.bsm.dark_count_rate_hz = 1e+308"),
    ("payload: {source: {pair_rate_hz: 1e300}}", "payload.source.pair_rate_hz"),
    ("channel: {day_sky_radiance: 0}", "channel.day_sky_radiance = 0: Input should be greater than 0"),
])
def test_numbers_beyond_physics_are_refused(tmp_path, section, fragment):
    one_line(_validate(tmp_path, BASE + section + "\n"), fragment)


def test_ten_thousand_stations_are_counted_before_any_is_validated(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(BASE.replace("stations: [Delingha, Nanshan]", "stations: [" + ", ".join(["Graz"] * 10_000) + "]"))
    code, err, wall, rss = _cli(["validate", str(path)])
    assert code == 2 and f"stations = '10000 stations': more than the {MAX_STATIONS}" in err, err
    assert wall < 30.0 and rss < 2048.0  # s, MiB: 6 GiB and 128 s before


def test_all_pairs_of_many_stations_is_refused_naming_the_count(tmp_path):
    rows = "".join(f"  - {{name: S{i}, latitude_deg: {i % 80}, longitude_deg: {i % 170}, altitude_m: 10, aperture_m: 1}}\n"
                   for i in range(30))
    text = BASE.replace("stations: [Delingha, Nanshan]\n", "stations:\n" + rows) + "mode: dual-downlink\n"
    one_line(_validate(tmp_path, text), f"pairs = '30 stations': without 'pairs', mode dual-downlink pairs every two of "
                                         f"the 30 stations: 435 pairs, more than the {MAX_PAIRS}")


@pytest.mark.parametrize("orbit, fragment", [
    ("orbit: []", "orbit = []: is an empty list: give one orbit"),
    ("orbit:\n" + "  - {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}\n" * 101, "orbit = '101 orbits': more than the 100"),
    ("orbit: [{sun_synchronous: {altitude_km: 50, ltan_h: 22.5}}]", "orbit[0].sun_synchronous.altitude_km = 50"),
])
def test_orbit_lists_are_counted_and_errors_name_the_branch_given(tmp_path, orbit, fragment):
    """Before: 'orbit = []: Input should be a valid dictionary or instance of Orbit'."""
    text = BASE.replace("orbit: {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}\n", orbit.rstrip("\n") + "\n")
    err = one_line(_validate(tmp_path, text), fragment)
    assert "valid dictionary" not in err


# ------------------------------------------------------------------- samples a run computes

LEO_FINE = BASE + "mode: single-downlink\nelevation_mask_deg: 15\nsample_step_s: 3.0e-5\n"
GEO_FINE = ("name: geo\nspan: {start: 2027-01-01T00:00:00Z, days: 2}\n"
            "orbit: {elements: {altitude_km: 35786, inclination_deg: 0.0}}\n"
            "stations: [Tenerife, Greenbelt, Delingha, Mt Stromlo, Hartebeesthoek]\n"
            "mode: single-downlink\nelevation_mask_deg: 15\nsample_step_s: 0.05\n")


@pytest.mark.parametrize("text, fragment", [
    (LEO_FINE, "sample_step_s = 3e-05: the windows found hold 2.29e+07 samples"),
    (GEO_FINE, "sample_step_s = 0.05: the longest window holds 8.93e+05 samples"),
])
def test_windows_holding_too_many_samples_are_refused_before_any_is_computed(tmp_path, text, fragment):
    """The sample-grid limit (span / step x stations) let through runs whose windows hold far more
    samples than it assumes (found by tools/combo_extremes.py): one LEO day over two stations at
    3e-5 s (2.3e7 samples) still ran after 2 min; a geostationary satellite's night windows at
    0.005 s took a plan to 6 GB. They are refused once the windows are known, before any sample is
    computed, cheaply, naming the step at which they would fit."""
    path = tmp_path / "fine.yaml"
    path.write_text(text, encoding="utf-8")
    status, err, wall, rss_mib = _cli(["plan", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert status == 2 and err.count("\n") == 1 and err.startswith("skyswap: error: "), (status, err)
    assert fragment in err and "use sample_step_s >= " in err, err
    assert wall < 30.0 and rss_mib < 400.0, (wall, rss_mib)  # the window search only
    assert not (tmp_path / "out").exists()


def test_a_sweep_point_refused_while_it_is_planned_is_one_line_naming_the_point(tmp_path):
    """A point that passes validation but whose windows hold too many samples is refused in its
    Dask worker: one line, naming the point by its axis values as its validation would (before the
    seventh round the line did not say which point; then it gave its index). And an InputError survives pickling as itself (before, unpickling it raised
    TypeError: its three parts were not its arguments), whichever process pool carries it back."""
    (tmp_path / "b.yaml").write_text(LEO_FINE.replace("sample_step_s: 3.0e-5\n", ""), encoding="utf-8")
    (tmp_path / "w.yaml").write_text("name: s\nbase: b.yaml\naxes: {sample_step_s: [1.0, 3.0e-5]}\n", encoding="utf-8")
    status, err, _, _ = _cli(["sweep", str(tmp_path / "w.yaml"), "--workers", "2", "--quiet",
                              "--out", str(tmp_path / "o")])
    assert status == 2 and err.count("\n") == 1, (status, err)
    assert err.startswith("skyswap: error: sweep point (sample_step_s=3e-05): sample_step_s = 3e-05: the windows found hold"), err
    assert not (tmp_path / "o").exists()
    import pickle

    again = pickle.loads(pickle.dumps(InputError("orbit.tle", "x", "why")))
    assert (type(again), again.field, again.value, again.reason) == (InputError, "orbit.tle", "x", "why")


@pytest.mark.parametrize("extra, field", [
    ("stations: [Delingha, delingha]\n", "stations[1]"),  # a LocatedError in the error's context
    ("stations: [Delingha, Nanshan]\npayload: {contacts: {weights: {Nowhere: 2}}}\n", "payload.contacts.weights"),
])
def test_a_validation_error_survives_pickling_with_the_error_that_names_its_field(extra, field):
    """A scenario validated in a worker process (a sweep point on Dask) that fails there must come
    back as its error: the ValidationError keeps skyswap's own located error in its context, which
    did not unpickle before the ninth round (TypeError: its parts were not its arguments)."""
    import pickle

    import yaml
    from pydantic import ValidationError

    from skyswap.mission.scenario.loading import input_error_from_validation

    data = yaml.safe_load(BASE.replace("stations: [Delingha, Nanshan]\n", "") + extra)
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate(data)
    here = input_error_from_validation(caught.value)
    there = input_error_from_validation(pickle.loads(pickle.dumps(caught.value)))
    assert here.field == field and there.line() == here.line(), (here.line(), there.line())
    from skyswap.mission.contacts.settings import WeightKeyError

    again = pickle.loads(pickle.dumps(WeightKeyError("Nowhere", "names no station")))
    assert (type(again), again.key, str(again)) == (WeightKeyError, "Nowhere", "names no station")


def test_the_sample_limits_name_the_step_at_which_the_windows_fit():
    from skyswap.mission.persample import check_sample_count
    from skyswap.mission.scenario.schema import MAX_RUN_SAMPLES, MAX_WINDOW_SAMPLES

    per_window = int(MAX_WINDOW_SAMPLES)
    check_sample_count(np.full(int(MAX_RUN_SAMPLES) // per_window, per_window), 1.0)  # both at their limit
    for counts, what in ((np.array([per_window + 1, 10]), "the longest window holds"),
                         (np.full(int(MAX_RUN_SAMPLES) // per_window + 1, per_window), "the windows found hold")):
        with pytest.raises(InputError, match=what) as caught:
            check_sample_count(counts, 0.5)
        assert caught.value.field == "sample_step_s"
        fits = float(caught.value.line().split("use sample_step_s >= ")[1].split(" s")[0])
        held = counts.max() if "longest" in what else counts.sum()
        limit = MAX_WINDOW_SAMPLES if "longest" in what else MAX_RUN_SAMPLES
        assert held * 0.5 / fits == pytest.approx(limit, rel=0.03)  # samples scale as 1 / step


def test_a_map_whose_tracks_would_not_fit_is_refused_before_it_propagates(tmp_path):
    """A map propagates each satellite at every grid time some site may use (~110 B a time): a year
    at candidate.step_s = 1 s is 3.2e7 times (~3.5 GB); refused at once, naming the step that fits."""
    path = tmp_path / "map.yaml"
    path.write_text(BASE.replace("days: 1", "days: 365") + "candidate: {step_s: 1}\n", encoding="utf-8")
    status, err, wall, rss_mib = _cli(["map", str(path), "--resolution", "10", "--workers", "1", "--quiet",
                                       "--out", str(tmp_path / "out")])
    assert status == 2 and err.count("\n") == 1, (status, err)
    assert "candidate.step_s = 1.0: 365 d / 1 s x 1 satellite(s) = 3.2e+07 track times" in err, err
    assert "use candidate.step_s >= 1.6 s" in err and wall < 30.0 and rss_mib < 400.0, (err, wall, rss_mib)


# ----------------------------------------------------------- files named in a scenario

SECRET = "root:x:0:0:the-secret-first-line-of-some-other-file"


@pytest.mark.parametrize("field", ["tle", "omm", "cloud_csv"])
def test_a_file_that_is_not_what_its_field_says_is_refused_without_quoting_it(tmp_path, field):
    """Before: the error echoed up to 77 characters of the file (a system file's first line)."""
    (tmp_path / "other").write_text(SECRET + "\n" + SECRET + "x\n")
    if field == "cloud_csv":
        text = BASE + "channel: {cloud_csv: other}\n"
    else:
        text = BASE.replace("orbit: {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}", f"orbit: {{{field}: other}}")
    err = one_line(_validate(tmp_path, text), "= 'other'")
    assert "secret" not in err and "root" not in err


def test_a_tle_file_with_a_letter_in_its_mean_motion_names_the_column(tmp_path):
    """Before: 'the orbit has decayed' (the letter read as a zero by SGP4)."""
    bad = L2[:55] + "A" + L2[56:]  # a '0' replaced: the checksum still holds
    (tmp_path / "m.tle").write_text(f"MICIUS\n{L1}\n{bad}\n")
    text = BASE.replace("orbit: {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}", "orbit: {tle: m.tle}").replace(
        "2027-01-01T00:00:00Z", "2016-12-20T00:00:00Z")
    err = one_line(_validate(tmp_path, text), "orbit.tle = 'm.tle': line 3 of the file: TLE line 2, columns 53-63 "
                                               "(mean motion [rev/day]) is not a number")
    assert "decayed" not in err and "15.2" not in err
    inline = text.replace("orbit: {tle: m.tle}", f"orbit:\n  tle: |\n    {L1}\n    {bad}")
    one_line(_validate(tmp_path, inline), "orbit.tle = '15.A4965622': TLE line 2, columns 53-63")


def test_files_may_leave_the_scenario_folder(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "m.tle").write_text(f"{L1}\n{L2}\n")
    (tmp_path / "sc").mkdir()
    text = BASE.replace("orbit: {sun_synchronous: {altitude_km: 500, ltan_h: 22.5}}", "orbit: {tle: ../shared/m.tle}").replace(
        "2027-01-01T00:00:00Z", "2016-12-20T00:00:00Z")
    (tmp_path / "sc" / "s.yaml").write_text(text)
    assert mission.load_scenario(tmp_path / "sc" / "s.yaml").orbit.tle.split() == f"{L1}\n{L2}".split()


def test_a_spreadsheet_cloud_csv_is_read_or_named(tmp_path):
    rows = "".join(f"Delingha,{m},0.7\n" for m in range(1, 13))
    (tmp_path / "c.csv").write_bytes(b"\xef\xbb\xbf" + ("station,month,cloud_free_probability\n" + rows).encode())
    sc = mission.load_scenario(_write(tmp_path, BASE + "channel: {cloud_csv: c.csv}\n"))
    assert sc.channel.cloud_csv.endswith("c.csv")
    (tmp_path / "c.csv").write_text("station;month;cloud_free_probability\n" + rows.replace(",", ";"))
    one_line(_validate(tmp_path, BASE + "channel: {cloud_csv: c.csv}\n"), "columns are separated by ';'")


def _write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


# ------------------------------------------------------------------------------ messages

def test_a_pair_typo_suggests_the_station(tmp_path):
    one_line(_validate(tmp_path, BASE + "mode: dual-downlink\npairs: [[Delingha, Nanshn]]\n"),
              "'Nanshn' is not among the scenario's stations (Delingha, Nanshan); did you mean 'Nanshan'?")


def test_calibrate_messages(tmp_path):
    rows = "loss_db,range_km,elevation_deg\n40,800,30\n42,1200,20\n"
    (tmp_path / "m.csv").write_text(rows)
    one_line(CliRunner().invoke(app, ["calibrate", str(tmp_path / "m.csv"), "--station", "Nowhere"]),
              "--station = 'Nowhere': unknown station: not in the catalog")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + rows.encode())
    r = CliRunner().invoke(app, ["calibrate", str(tmp_path / "bom.csv"), "--station", "Graz"])
    assert r.exit_code == 0, r.stderr  # 'column loss_db: missing' before
    (tmp_path / "semi.csv").write_text(rows.replace(",", ";"))
    one_line(CliRunner().invoke(app, ["calibrate", str(tmp_path / "semi.csv"), "--station", "Graz"]),
              "columns are separated by ';'")
    (tmp_path / "flat.csv").write_text(rows + "45,2500,0\n")
    one_line(CliRunner().invoke(app, ["calibrate", str(tmp_path / "flat.csv"), "--station", "Graz"]),
              "flat.csv: row 3: elevation_deg = 0.0: the link model has no finite loss there")


SWEEP_BASE = BASE


@pytest.mark.parametrize("sweep, fragment", [
    ("name: s\nbase: b.yaml\naxs: {elevation_mask_deg: [10]}\n", "sweep.axs = {'elevation_mask_deg': [10]}: unknown key (did you mean 'axes'?)"),
    ("name: s\nbase: b.yaml\naxes: {orbit.sun_synchronous.altitude_km: [500]}\n"
     "walker: {altitude_km: 500, inclination_deg: 97, planes: [1], satellites_per_plane: [1]}\n",
     "sweep.axes = 'orbit.sun_synchronous.altitude_km': would be ignored"),
    ("name: s\nbase: bad.yaml\naxes: {elevation_mask_deg: [10]}\n", "sweep.base (bad.yaml) span.days = 0"),
    ("name: .\nbase: b.yaml\naxes: {elevation_mask_deg: [10]}\n", "sweep.name = '.': must be a plain folder name"),
    (BASE, "this is a scenario, not a sweep file"),
    ("name: s\nbase: b.yaml\naxes: {elevation_mask_deg: [-5]}\n", "sweep point (elevation_mask_deg=-5): elevation_mask_deg = -5"),
])
def test_sweep_messages(tmp_path, sweep, fragment):
    """Before: typos suggested scenario keys, 'sweep. =', base errors without the base file, a
    sweep named '.' wrote into out/ itself, a scenario said 'sweep.base = None'."""
    (tmp_path / "b.yaml").write_text(BASE)
    (tmp_path / "bad.yaml").write_text(BASE.replace("days: 1", "days: 0"))
    (tmp_path / "w.yaml").write_text(sweep)
    one_line(CliRunner().invoke(app, ["sweep", str(tmp_path / "w.yaml"), "--out", str(tmp_path / "o")]), fragment)
    assert not (tmp_path / "o").exists()


def test_a_sweep_of_too_many_points_is_refused_before_it_is_built(tmp_path):
    """6 axes x 30 values (7e8 points) were built and validated point by point: 60 s, 2.5 GiB."""
    (tmp_path / "b.yaml").write_text(BASE)
    keys = ["payload.source.mean_pairs_per_pulse", "payload.source.intrinsic_visibility", "payload.source.spectral_purity",
            "payload.bsm.detector_efficiency", "payload.bsm.optics_efficiency", "elevation_mask_deg"]
    axes = "".join(f"  {k}: [{', '.join(str(0.1 + i * 0.02) for i in range(30))}]\n" for k in keys)
    (tmp_path / "w.yaml").write_text(f"name: big\nbase: b.yaml\naxes:\n{axes}")
    code, err, wall, rss = _cli(["sweep", str(tmp_path / "w.yaml"), "--out", str(tmp_path / "o")])
    assert code == 2 and "sweep.axes = '729,000,000 points': 30 x 30 x 30 x 30 x 30 x 30 values" in err, err
    assert wall < 30.0 and rss < 2048.0


# --------------------------------------------------------------------------- issue 23 item 6

def test_version_and_flags():
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"skyswap {__import__('skyswap').__version__}"
    for command in ("plan", "passes", "compare", "sweep"):
        help_text = CliRunner().invoke(app, [command, "--help"]).stdout
        assert "--quiet" in help_text and "<bool>" not in help_text, help_text


def test_stations_prints_units_fits_the_terminal_and_says_the_clear_sky_plan_uses():
    env = {**os.environ, "COLUMNS": "80"}
    proc = subprocess.run([sys.executable, "-m", "skyswap.mission.cli", "stations"], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=True)
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "[deg]" in proc.stdout and "[m]" in proc.stdout and "[1]" in proc.stdout  # rich ate them as markup
    assert "unknown" not in proc.stdout  # 'clear: unknown' for 20 of 22 stations before
    import json

    from skyswap.groundstations.catalog import load_catalog
    from skyswap.groundstations.channel_config import ChannelConfig
    from skyswap.mission.weather.clear_sky import cloud_tables

    rows = json.loads(subprocess.run([sys.executable, "-m", "skyswap.mission.cli", "stations", "--json"],
                                     capture_output=True, text=True, cwd=ROOT, timeout=120, check=True).stdout)
    monthly, sources = cloud_tables(list(load_catalog().values()), ChannelConfig())
    for row in rows:  # what a plan with the default channel would use, and where it comes from
        assert row["clear_sky"]["monthly"] == list(monthly[row["name"]])
        assert row["clear_sky"]["kind"] == sources[row["name"]].kind


@pytest.mark.slow
def test_numbers_at_their_bounds_plan_or_refuse_never_fault():
    """A sample of tools/bounds_extremes.py (the whole walk found two faults, both fixed: a plan
    whose windows all go unscheduled, and a zero sky radiance)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import bounds_extremes
    finally:
        sys.path.pop(0)
    import random
    import warnings

    warnings.simplefilter("ignore")
    todo = bounds_extremes.cases()
    assert len(todo) > 150  # every numeric field, both bounds
    picked = random.Random(24).sample(todo, 12) + [c for c in todo if c[0] == "channel.day_sky_radiance"]
    faults = [(field, value, status) for field, value, data in picked
              if (status := bounds_extremes.run_case(data)).startswith("FAULT")]
    assert faults == []


def test_passes_says_where_it_wrote_and_keeps_stdout_a_csv(tmp_path):
    r = CliRunner().invoke(app, ["passes", str(ROOT / "tests" / "data" / "tiny.yaml"), "--days", "1",
                                 "--out", str(tmp_path / "w.csv"), "--samples", str(tmp_path / "s.csv")])
    assert r.exit_code == 0 and r.stdout == f"tiny: 1 candidate windows -> {tmp_path / 'w.csv'}, {tmp_path / 's.csv'}\n"
    r = CliRunner().invoke(app, ["passes", str(ROOT / "tests" / "data" / "tiny.yaml"), "--days", "1",
                                 "--samples", str(tmp_path / "s2.csv")])
    assert r.exit_code == 0 and r.stdout.startswith("pass_id,") and "->" not in r.stdout  # the table only
