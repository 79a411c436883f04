"""Accuracy classes as plants write them (finding 5 of the s9 probe): one reader
(``model.unit.read_accuracy``) for the unit file and the ledger. A class written with trailing
zeros is that class (``"0.50"``, ``"0.10"``, as ``"1.0"`` was already); ``S``/``s`` with or without
a space is the S class of an electricity meter; a weighing class is ASCII Roman or the Unicode
number forms Ⅰ–Ⅳ. The unit file keeps what was written; the ledger keeps the number as written.
The spec's examples (unit-file.md: "0.5", "0.2S", "III", "±0.1 %"; "0.7S" refused) stay so."""

from __future__ import annotations

import pytest
import yaml
from spec_cli import check, tonnes, unit

from tanjiliang.ledger.values import ValueProblem
from tanjiliang.ledger.values import accuracy as ledger_accuracy
from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import accuracy_problem, mpe_percent

#: written → MPE % of reading (None: a weighing class, compared through e and the usual load)
SPELLINGS = {
    "0.5": 0.5, "0.2S": 0.2, "III": None, "±0.1 %": 0.1,          # the spec's examples
    "0.10": 0.1, "0.50": 0.5, "1.0": 1.0, "2.0": 2.0, "0.50级": 0.5,
    "0.5s": 0.5, "0.2 S": 0.2, "0.5S级": 0.5, "Ⅲ": None, "Ⅲ级": None, "Ⅳ": None, "II": None,
    "±0.10%": 0.1, "1%": 1.0,
}
REFUSED = ["0.7S", "0.7", "0.15S", "IIIII", "V", "1.5S", "0.5 级S", "abc", ""]


@pytest.mark.parametrize(("written", "mpe"), SPELLINGS.items())
def test_unit_file_and_ledger_accept_the_same_spellings(written, mpe):
    assert accuracy_problem(written) is None
    assert mpe_percent(written) == mpe
    ledger_accuracy(written)  # no ValueProblem


@pytest.mark.parametrize("written", REFUSED)
def test_what_is_no_class_is_refused_by_both(written):
    assert accuracy_problem(written) is not None
    with pytest.raises(ValueProblem):
        ledger_accuracy(written)


def test_the_ledger_keeps_the_number_as_written():
    assert ledger_accuracy("0.50") == "0.50"
    assert ledger_accuracy("0.50级") == "0.50"
    assert ledger_accuracy("0.10") == "0.10"
    assert ledger_accuracy("0.2 S") == "0.2S"
    assert ledger_accuracy("0.5s级") == "0.5S"
    assert ledger_accuracy("Ⅲ级") == "III"
    assert ledger_accuracy("±0.10%") == "±0.10 %"


EL = {"id": "el", "name": "外购电", "kind": "electricity", "activity": "100000 MWh",
      "parameters": {"emission_factor": "0.5703 t/MWh"}}


def meter(iid, accuracy, **extra):
    return {"id": iid, "name": iid, "type": "electricity_meter", "measures": "el", "at": "boundary",
            "accuracy": accuracy, "last_confirmed": "2025-06-01", **extra}


def test_unit_file_keeps_what_was_written_and_assesses_the_class(tmp_path):
    written = {"M1": "0.50级", "M2": "0.5 s", "M3": "0.2s", "M4": "1.0", "M5": "2.0级"}
    data = unit([tonnes("a", "30000"), EL], [meter(k, v) for k, v in written.items()])
    rc, doc, out = check(tmp_path, data)
    assert rc in (0, 1), out
    assert doc is not None
    by_id = {i["id"]: i for i in doc["instruments"]}
    # an S class is the 72-month interval of JJG 596 (default-pack.md); a plain class 96
    assert {k: by_id[k]["interval_months"] for k in written} == {"M1": 96, "M2": 72, "M3": 72, "M4": 96, "M5": 96}
    assert {k: by_id[k]["mpe_percent"] for k in written} == {"M1": 0.5, "M2": 0.5, "M3": 0.2, "M4": 1.0, "M5": 2.0}
    assert by_id["M2"]["accuracy_ok"] is True and by_id["M5"]["accuracy_ok"] is False
    loaded = load_unit(tmp_path / "plant.yaml")
    assert {i.id: i.accuracy for i in loaded.instruments} == written  # as written, not normalised


def test_unicode_roman_weighing_class_is_the_ascii_one(tmp_path):
    def scale(iid, acc):
        return {"id": iid, "name": iid, "type": "rail_scale", "measures": "a", "at": "boundary",
                "accuracy": acc, "verification_interval": "20 kg", "usual_load": "60 t",
                "last_confirmed": "2025-06-01"}

    rc, doc, out = check(tmp_path, unit([tonnes("a", "30000")], [scale("R1", "III"), scale("R2", "Ⅲ"),
                                                                    scale("R3", "Ⅲ级")]))
    assert rc in (0, 1), out
    assert doc is not None
    mpes = [i["mpe_percent"] for i in doc["instruments"]]
    assert mpes[0] is not None and mpes == [mpes[0]] * 3


def test_refused_accuracy_names_file_line_and_key_path(tmp_path):
    data = unit([tonnes("a", "30000"), EL], [meter("M1", "0.50"), meter("M2", "0.7S")])
    rc, _, out = check(tmp_path, data, "--lang", "en")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "0.7S" in s)
    assert rc == 2
    assert f"plant.yaml:{line} instruments[1].accuracy" in out and '"0.7S" is not an accuracy class' in out
    assert "instruments[0]" not in out
