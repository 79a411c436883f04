"""An MPE of the full scale (满量程, ``±1 %FS``) as plant ledgers write it for flow meters and
feeders. It is not an MPE of reading: at a reading r below the upper range value U the error
allowed is FS % × U ÷ r of the reading. So it can show an instrument misses a requirement
(FS % alone already exceeds it, ACC-MPE) but never that it meets one (ACC-UNKNOWN, accuracy_ok
null). Before, ``±1%FS`` was accepted by the ledger as ``±1 %`` of reading and passed a 1.0 %
requirement it cannot show it meets."""

from __future__ import annotations

import pytest
from spec_cli import check, codes, tonnes, unit

from tanjiliang.ledger.values import accuracy
from tanjiliang.model.unit import accuracy_problem, full_scale_percent, mpe_percent


def scale(iid, at, **extra):
    return {"id": iid, "name": iid, "type": "rail_scale", "measures": "a", "at": at,
            "last_confirmed": "2025-06-01", **extra}


@pytest.mark.parametrize(("accuracy_text", "ok", "code"), [
    ("±0.1 %FS", None, "ACC-UNKNOWN"),     # equal to the requirement at the top of the range only
    ("±0.05 %FS", None, "ACC-UNKNOWN"),    # less, still of the full scale: not shown
    ("±0.14 %FS", None, "ACC-UNKNOWN"),    # rounds (pack: 1 decimal) to 0.1: not beyond
    ("±0.15 %FS", False, "ACC-MPE"),       # rounds to 0.2 > 0.1 even at the upper range value
    ("±1%F.S.", False, "ACC-MPE"),
    ("±0.1 %", True, None),                # of reading: meets it (unchanged)
])
def test_full_scale_mpe_against_a_requirement(tmp_path, accuracy_text, ok, code):
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")], [scale("I", "boundary", accuracy=accuracy_text)]))
    assert doc is not None
    assert doc["instruments"][0]["accuracy_ok"] is ok
    assert [c for c, _ in codes(doc) if c.startswith("ACC")] == ([code] if code else [])


def test_full_scale_is_kept_as_written_by_the_ledger():
    assert accuracy("±1%FS") == "±1 %FS"
    assert accuracy("1%fs") == "±1 %FS"
    assert accuracy("±0.5%F.S.") == "±0.5 %FS"
    assert accuracy("满量程±1%") == "±1 %FS"
    assert accuracy("±1%") == "±1 %"   # of reading, as before


def test_model_reads_full_scale_apart_from_reading():
    assert accuracy_problem("±1 %FS") is None
    assert mpe_percent("±1 %FS") is None and full_scale_percent("±1 %FS") == 1.0
    assert mpe_percent("±1 %") == 1.0 and full_scale_percent("±1 %") is None
    assert full_scale_percent("0.5") is None and full_scale_percent(None) is None
    assert accuracy_problem("±1 %XS") is not None
