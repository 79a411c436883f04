"""Nothing removed without asking (issue 12, item 2): a merge never removes an instrument
unless it is named in the explicit choice, whatever the file holds; matched instruments keep
what the file does not state; the change set says what will happen before it happens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.ledger.changes import apply, compute
from tanjiliang.model.errors import LoadError
from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import UnitFile

BASE: dict[str, Any] = {
    "format": "tanjiliang/unit@1",
    "unit": {"name": "合并测试", "year": 2025},
    "subunits": [{"id": "G1", "name": "1号机组"}],
    "equipment": [{"id": "B1", "name": "1号锅炉", "subunit": "G1"}],
    "source_streams": [{"id": "coal", "name": "入炉煤", "kind": "combustion", "material": "bituminous_coal",
                        "activity": "1000 t", "consumers": ["B1"]}],
}
PLACES = ["boundary", "G1", "B1"]

ids = st.sampled_from([f"I{k}" for k in range(12)])
serials = st.one_of(st.none(), st.sampled_from([f"S{k}" for k in range(8)]))
names = st.sampled_from(["皮带秤", "汽车衡", "电能表", "流量计"])


@st.composite
def old_instruments(draw: Any) -> list[dict[str, Any]]:
    out = []
    used_serials: set[str] = set()
    for ident in draw(st.lists(ids, unique=True, max_size=8)):
        serial = draw(serials)
        rec: dict[str, Any] = {"id": ident, "name": draw(names), "type": "belt_scale",
                               "measures": "coal", "at": draw(st.sampled_from(PLACES))}
        if serial is not None and serial not in used_serials:
            used_serials.add(serial)
            rec["serial"] = serial
        if draw(st.booleans()):
            rec["accuracy"] = "0.5"
        out.append(rec)
    return out


@st.composite
def incoming(draw: Any) -> list[dict[str, Any]]:
    out = []
    for ident in draw(st.lists(st.sampled_from([f"I{k}" for k in range(6, 18)]), unique=True, max_size=8)):
        rec: dict[str, Any] = {"id": ident, "name": draw(names), "type": "belt_scale",
                               "at": draw(st.sampled_from(PLACES))}
        s = draw(serials)
        if s is not None:
            rec["serial"] = s
        if draw(st.booleans()):
            rec["measures"] = "coal"
        if draw(st.booleans()):
            rec["accuracy"] = draw(st.sampled_from(["0.2", "1.0"]))
        out.append(rec)
    return out


@settings(max_examples=150, deadline=None)
@given(old=old_instruments(), new=incoming(), choice=st.one_of(st.booleans(), st.sets(ids)))
def test_a_merge_never_removes_an_instrument_without_the_explicit_choice(
        old: list[dict[str, Any]], new: list[dict[str, Any]], choice: bool | set[str]) -> None:
    unit = UnitFile.model_validate({**BASE, "instruments": old})
    # the file's own duplicates would be refused by the reader; the merge sees distinct rows
    cs = compute(unit, new)
    try:
        merged = apply(unit, cs, remove=choice)
    except LoadError as exc:  # two rows claiming one instrument: refused, nothing applied
        assert "twice" in exc.message("en")
        return
    after = {i.id for i in merged.instruments}
    chosen = set(cs.absent) if choice is True else (set() if choice is False else set(choice))
    for ins in unit.instruments:
        if ins.id not in after:
            # removed: only if absent from the file AND explicitly chosen
            assert ins.id in cs.absent and ins.id in chosen, (ins.id, cs.absent, choice)
    if choice is False:
        assert {i.id for i in unit.instruments} <= after
    # matched instruments keep what the file does not state
    by_id = {i.id: i for i in merged.instruments}
    for ins in unit.instruments:
        if ins.id in by_id and ins.measures is not None:
            assert by_id[ins.id].measures is not None
    # every change set entry is accounted for
    assert len(cs.changed) + len(cs.unchanged) + len(cs.absent) == len(unit.instruments)


UNIT_18 = """format: tanjiliang/unit@1
unit: {name: 十八台器具, year: 2025}
subunits:
  - {id: G1, name: 1号机组}
source_streams:
  - {id: power, name: 外购电力, kind: electricity, material: grid_electricity, activity: "100 MWh", consumers: [G1]}
instruments:
""" + "".join(f"  - {{id: E-{k:02d}, name: {k}号电能表, type: electricity_meter, measures: power, at: G1, "
              f"serial: SN{k:02d}}}\n" for k in range(1, 19))


def _three_meters(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["电能表台账"])
    ws.append(["序号", "器具名称", "出厂编号", "管理编号", "安装地点", "准确度等级", "状态"])
    ws.append([1, "1号电能表", "SN01", "E-01", "1号机组", "0.5S级", "合格"])
    ws.append([2, "2号电能表", "SN02", "E-02X", "1号机组", "1级", "合格"])  # id changed, matched by serial
    ws.append([3, "新电能表", "SN99", "E-99", "1号机组", "1级", "合格"])
    wb.save(path)
    return path


def test_a_three_meter_ledger_does_not_delete_the_other_fifteen(tmp_path: Path) -> None:
    """Issue 12: importing a three-meter ledger in the web app silently deleted every other
    instrument. Now the change set says so and nothing goes without --remove-missing."""
    unit_path = tmp_path / "u.yaml"
    unit_path.write_text(UNIT_18, encoding="utf-8")
    book = _three_meters(tmp_path / "三台.xlsx")
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(book), "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "新增 1 台，修改 2 台，未变 0 台，文件中没有 16 台" in r.output
    assert "E-02（按出厂编号）" in r.output and "准确度等级: — → 1" in r.output  # field by its column name
    assert unit_path.read_text(encoding="utf-8") == UNIT_18  # a preview writes nothing
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(book)])
    assert r.exit_code == 0, r.output
    got = [i.id for i in load_unit(unit_path).instruments]
    assert len(got) == 19 and "E-99" in got and "E-02X" not in got  # the matched one keeps its id
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(book), "--remove-missing",
                                 "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "removed as you chose" in r.output
    assert sorted(i.id for i in load_unit(unit_path).instruments) == ["E-01", "E-02", "E-99"]
