"""A large ledger as the system writes it (issue 16: a 10 000-instrument unit file loads and
checks in under 1 s; benchmarks/unitfile.py): the fast paths give exactly what the reference
paths give, and problems still name file, line and field."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from tanjiliang.model.errors import LoadError
from tanjiliang.model.load import _Fallback, _fast_yaml, _json_safe, load_unit, name_mappings
from tanjiliang.model.unit import UnitFile
from tanjiliang.model.write import dump_json, dump_yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from unitfile import realistic_unit  # noqa: E402


@pytest.fixture(scope="module")
def ledger() -> UnitFile:
    return UnitFile.model_validate(realistic_unit(60))


def _walk(raw: bytes):
    try:
        return _fast_yaml(raw, json_path=False)
    except _Fallback:
        return _Fallback


def test_signed_errors_keep_the_json_path(ledger: UnitFile) -> None:
    """As-found errors written ``+0.12 %`` (plain, unquoted) are text to the emitter too: the
    JSON path is taken and reads what the node walk reads."""
    text = dump_yaml(ledger)
    assert "as_found: +" in text
    assert _json_safe(text)
    assert _fast_yaml(text.encode()) == _walk(text.encode())


@pytest.mark.parametrize("value", ["+1", "+.5", "+1e3", "+inf", "[+1, x]", "+1 # note"])
def test_a_signed_number_still_takes_the_walk(value: str) -> None:
    text = f"a: {value}\n"
    assert not _json_safe(text)
    assert _fast_yaml(text.encode()) == _walk(text.encode())


def test_yaml_and_json_give_the_same_unit_and_no_name_mappings(ledger: UnitFile, tmp_path: Path) -> None:
    """Codes stay codes: an instrument at an emission point (``at: S01``) or with confirmation
    records is no "name read as a code" (a temporary vocabulary's reused id() made it one)."""
    y, j = tmp_path / "u.yaml", tmp_path / "u.json"
    y.write_text(dump_yaml(ledger), encoding="utf-8")
    j.write_text(dump_json(ledger), encoding="utf-8")
    uy, uj = load_unit(y), load_unit(j)
    assert uy.model_dump() == uj.model_dump() == ledger.model_dump()
    assert any(i.at.startswith("S") for i in uy.instruments)
    assert name_mappings(uy) == name_mappings(uj) == []


def test_numbers_where_text_is_expected_become_their_text(tmp_path: Path) -> None:
    """JSON numbers in text fields: str of an int, repr of a float; a boolean is an error."""
    data = json.loads(dump_json(UnitFile.model_validate(realistic_unit(6))))
    ins = data["instruments"][0]
    ins["serial"], ins["model"], ins["notes"] = 20190032, 1.5, 1e16
    p = tmp_path / "u.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    got = load_unit(p).instruments[0]
    assert (got.serial, got.model, got.notes) == ("20190032", "1.5", "1e+16")
    ins["serial"] = True
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_unit(p)
    assert "instruments[0].serial" in err.value.message("en")


def test_a_bad_record_deep_in_a_large_file_names_its_line(ledger: UnitFile, tmp_path: Path) -> None:
    text = dump_yaml(ledger)
    lines = text.splitlines()
    at = max(i for i, line in enumerate(lines) if line.strip().startswith("result: pass"))
    lines[at] = lines[at].replace("result: pass", "result: passed")
    p = tmp_path / "u.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_unit(p)
    (issue,) = err.value.issues
    assert issue.line == at + 1
    assert issue.path.startswith("instruments[") and issue.path.endswith("].result")


def test_the_emitter_buffer_grows_when_too_small() -> None:
    """The JSON path emits into a buffer sized from the file; too small, it is made as large as
    rapidyaml says, and the text is the same as ``emit_json``'s."""
    import ryml

    from tanjiliang.model.load import _emit_json

    tree = ryml.parse_in_arena(b"a: [1, x, {b: c}]\nd: \xe5\xa4\xa9\n")
    want = ryml.emit_json(tree).encode()
    assert bytes(_emit_json(tree, ryml, 1)) == bytes(_emit_json(tree, ryml, 10_000)) == want


SPEC = ROOT / "tests" / "data" / "spec-example.yaml"


@pytest.mark.parametrize("levels", [63, 64, 65, 66])
@pytest.mark.parametrize("empty", [True, False])
@pytest.mark.parametrize("where", ["extra", "unit.name"])
def test_nesting_is_judged_when_the_unit_does_not_validate(tmp_path: Path, levels: int, empty: bool,
                                                           where: str) -> None:
    """The loader checks a YAML unit file's nesting only when the data does not validate (valid
    data is never that deep): a file nesting more than 64 mappings and lists (the root is the
    first, as model/limits.py counts) is refused as such, whatever else is wrong with it, and
    one within the limit reports its own problem."""
    inner = levels - (1 if where == "extra" else 2)
    nested = "[" * inner + ("" if empty else "1") + "]" * inner
    text = SPEC.read_text(encoding="utf-8")
    if where == "extra":
        text += f"\nextra: {nested}\n"
    else:
        text = text.replace("name: ", f"name: {nested}\n  x: ", 1)
    f = tmp_path / "u.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_unit(f)
    said = err.value.message("en")
    assert ("nested too deeply" in said) == (levels > 64), said
    if levels <= 64:
        assert err.value.issues[0].line is not None


def test_a_small_nesting_limit_refuses_a_valid_ledger(tmp_path: Path, ledger: UnitFile,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the depth of a valid unit file the limit is checked before validation."""
    f = tmp_path / "u.yaml"
    f.write_text(dump_yaml(ledger), encoding="utf-8")
    monkeypatch.setenv("TANJILIANG_YAML_MAX_DEPTH", "3")
    with pytest.raises(LoadError, match="nested too deeply"):
        load_unit(f)
    monkeypatch.setenv("TANJILIANG_YAML_MAX_DEPTH", "8")
    assert load_unit(f).model_dump() == ledger.model_dump()


def test_the_door_leaves_the_collector_as_it_found_it(ledger: UnitFile, tmp_path: Path) -> None:
    """``check(path)`` pauses the cyclic garbage collector while it loads and assesses (the
    unit is freed when it returns) and restores it, also on bad input; the answer is the one
    ``check(unit)`` gives."""
    import gc

    import tanjiliang

    f = tmp_path / "u.yaml"
    f.write_text(dump_yaml(ledger), encoding="utf-8")
    assert gc.isenabled()
    by_path = tanjiliang.check(f, as_of=date(2025, 12, 31))
    assert gc.isenabled()
    assert by_path.to_json("en") == tanjiliang.check(load_unit(f), as_of=date(2025, 12, 31)).to_json("en")
    f.write_text("unit: [\n", encoding="utf-8")
    with pytest.raises(LoadError):
        tanjiliang.check(f)
    assert gc.isenabled()
    gc.disable()
    try:
        f.write_text(dump_yaml(ledger), encoding="utf-8")
        tanjiliang.check(f, as_of=date(2025, 12, 31))
        assert not gc.isenabled()
    finally:
        gc.enable()
