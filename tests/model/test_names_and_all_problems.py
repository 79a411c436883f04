"""Chinese names where codes are expected (issue 12 (3)) and every problem of a unit file at
once (issue 12 (4))."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanjiliang.model.errors import LoadError
from tanjiliang.model.load import load_unit, name_mappings
from tanjiliang.model.names import NameProblem, parse_date, quantity_text, resolve

NAMES = """format: tanjiliang/unit@1
unit: {name: 名称测试, year: 2025, sector: 热电}
pack: henan-2025-draft
subunits:
  - {id: G1, name: 1号机组}
equipment:
  - {id: B1, name: 1号燃气锅炉, subunit: 1号机组}
  - {id: B2, name: 2号燃气锅炉, subunit: G1}
source_streams:
  - {id: gas, name: 锅炉天然气, kind: 燃烧, material: 天然气, activity: "350 万立方米", consumers: [1号燃气锅炉, 2号燃气锅炉]}
  - {id: power, name: 外购电力, kind: 购入电力, material: grid_electricity, activity: "120 万千瓦时", consumers: [1号机组]}
instruments:
  - {id: F1, name: 入厂天然气流量计, type: 气体流量计, measures: 锅炉天然气, at: 厂界, status: 合格,
     last_confirmed: 2025年3月2日, interval: 1 年}
  - {id: E1, name: 关口电能表, type: 电能表, measures: power, at: boundary, last_confirmed: 2025.03.02}
"""


def test_names_are_stored_as_codes_and_every_mapping_reported(tmp_path: Path) -> None:
    p = tmp_path / "u.yaml"
    p.write_text(NAMES, encoding="utf-8")
    unit = load_unit(p)
    assert unit.unit.sector == "power"
    assert unit.equipment[0].subunit == "G1"
    gas = unit.source_streams[0]
    assert (gas.kind, gas.material, gas.activity, gas.consumers) == ("combustion", "natural_gas", "350 万Nm3", ["B1", "B2"])
    assert unit.source_streams[1].activity == "120 万kWh"
    f1 = unit.instruments[0]
    assert (f1.type, f1.measures, f1.at, f1.status, str(f1.last_confirmed)) == \
        ("gas_flow_meter", "gas", "boundary", "in_use", "2025-03-02")
    assert str(unit.instruments[1].last_confirmed) == "2025-03-02"
    lines = name_mappings(unit)
    assert "source_streams[0].material: “天然气” → natural_gas（名称）" in lines
    assert any(line.startswith("instruments[0].at: “厂界” → boundary") for line in lines)
    assert len(lines) >= 12
    # a file of codes has nothing to report
    from tanjiliang.model.write import dump_yaml

    (tmp_path / "codes.yaml").write_text(dump_yaml(unit), encoding="utf-8")
    assert name_mappings(load_unit(tmp_path / "codes.yaml")) == []


def test_an_ambiguous_name_is_an_error_listing_the_candidates(tmp_path: Path) -> None:
    p = tmp_path / "u.yaml"
    p.write_text(NAMES.replace("at: 厂界", "at: 燃气锅炉"), encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_unit(p)
    text = exc.value.message("zh")
    assert "instruments[0].at" in text and "1号燃气锅炉（B1）" in text and "2号燃气锅炉（B2）" in text
    with pytest.raises(NameProblem) as np:
        resolve("material", "煤气")
    assert np.value.ambiguous and "Coke oven gas" in np.value.en and "焦炉煤气" in np.value.zh
    assert "coke_oven_gas" not in np.value.en + np.value.zh  # names, not the library's codes


def test_values_as_people_write_them() -> None:
    assert quantity_text("3.5 万Nm³")[0] == "3.5 万Nm3"
    assert quantity_text("100 吨")[0] == "100 t"
    assert str(parse_date(45717)) == "2025-03-01"
    assert str(parse_date("2025/3/2")) == "2025-03-02"
    with pytest.raises(ValueError):
        parse_date("2025-13-40")


SIX = """format: tanjiliang/unit@1
unit: {name: 六处错误, year: 1800, sector: power}
subunits:
  - {id: G1, name: 1号机组}
equipment:
  - {id: B1, name: 1号锅炉, subunit: G9}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100 kg/h", consumers: [B1]}
  - {id: gas, name: 气, kind: combustion, material: natural_gas, activity: "10 万Nm3", consumers: [B7]}
instruments:
  - {id: W1, name: 秤, type: belt_scale, measures: coal, at: B1, accuracy: "0.7"}
  - {id: W2, name: 秤, type: belt_scale, measures: oil, at: B1}
"""


def test_a_file_with_six_mistakes_reports_six_at_once(tmp_path: Path) -> None:
    """Issue 12: a hand-written file needed five runs to fix six mistakes."""
    p = tmp_path / "six.yaml"
    p.write_text(SIX, encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_unit(p)
    paths = {i.path for i in exc.value.issues}
    assert {"unit.year", "equipment[0].subunit", "source_streams[0].activity", "source_streams[1].consumers",
            "instruments[0].accuracy", "instruments[1].measures"} <= paths, paths


def test_values_of_the_wrong_shape_are_validation_errors_not_crashes(tmp_path: Path) -> None:
    """A mapping or list where a name or code is expected is reported by the validation."""
    from tanjiliang.model.load import SourceMap, validate_data
    from tanjiliang.model.names import resolve_unit_data

    weird: dict[str, object] = {
        "unit": {"name": "x", "year": 2025, "sector": {}},
        "equipment": [{"id": "B1", "name": "b", "subunit": []}],
        "source_streams": [{"id": "s", "name": "s", "kind": [], "material": {}, "activity": {},
                            "consumers": [{}], "parameters": {"ncv": []}}],
        "instruments": [{"id": "I", "name": "i", "type": {}, "measures": [{}], "at": {},
                         "status": [], "confirmation": {}, "last_confirmed": {}, "confirmations": [{"date": []}]}],
        "management": {"procedures": [{"issued": {}}]},
    }
    resolve_unit_data(weird)  # no exception
    with pytest.raises(LoadError) as exc:
        validate_data(weird, SourceMap("<t>"))
    assert any(i.path == "instruments[0].at" for i in exc.value.issues)
