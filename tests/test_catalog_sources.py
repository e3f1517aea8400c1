"""Every shipped station says where its numbers come from, precisely enough to be checked again.

Independent of the values themselves: these tests read only the ``source`` strings of
``groundstations/data/stations.json``.
"""
import re

import pytest

from skyswap.groundstations.catalog import _raw

STATIONS = _raw()
ILRS = re.compile(r"ILRS (?:site log|station page)")
PAD = re.compile(r"\b\d{4}\b")


@pytest.mark.parametrize("entry", STATIONS, ids=lambda e: e["name"])
def test_source_names_a_site_log_paper_or_observatory(entry):
    src = entry["source"].strip()
    assert src and src != "scenario", entry["name"]
    assert ILRS.search(src) or "doi:" in src or "Observatorio" in src, (entry["name"], src)


@pytest.mark.parametrize("entry", [e for e in STATIONS if ILRS.search(e["source"])], ids=lambda e: e["name"])
def test_ilrs_sources_give_a_four_digit_pad_id(entry):
    head = entry["source"].split(";")[0]
    assert PAD.search(head), (entry["name"], head)


def test_ilrs_pad_ids_are_unique():
    pads = [PAD.search(e["source"].split(";")[0]).group() for e in STATIONS if ILRS.search(e["source"])]
    assert len(pads) == len(set(pads)), sorted(pads)


@pytest.mark.parametrize("entry", STATIONS, ids=lambda e: e["name"])
def test_source_says_whether_it_was_verified_and_what_the_height_is(entry):
    """A source either states the height reference of altitude_m or says it was not verified."""
    src = entry["source"]
    assert ("ellipsoidal" in src or "sea level" in src or "height reference unknown" in src
            or "not verified" in src), (entry["name"], src)
