"""Filed monthly quantities are the readings' exact decimal sums (s10 #16): 28 daily readings of
54.8 t are 1534.4 t in the record and the filing workbook, not 1534.3999999999992."""

from __future__ import annotations

from datetime import date, timedelta

from openpyxl import load_workbook

from tanjiliang.model.load import load_unit
from tanjiliang.month.close import close_month, filed_quantity
from tanjiliang.month.export import write_workbook

UNIT = """format: tanjiliang/unit@1
unit: {name: 小数测试, sector: other, year: 2025}
subunits:
- {id: G1, name: 1号车间}
equipment:
- {id: B1, name: 1号锅炉, subunit: G1, kind: boiler}
source_streams:
- {id: coal, name: 烟煤, kind: combustion, material: bituminous_coal, activity: 20000 t, consumers: [B1]}
- {id: power, name: 外购电力, kind: electricity, material: grid_electricity, activity: 5000 MWh, consumers: [G1]}
instruments:
- {id: W-01, name: 进厂汽车衡, type: truck_scale, measures: coal, at: boundary, accuracy: '0.1',
   interval: 12 months, last_confirmed: '2024-08-31'}
- {id: E-01, name: 总电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
   interval: 60 months, last_confirmed: '2024-01-31'}
"""


def test_filed_quantities_are_exact_decimal_sums(tmp_path) -> None:
    (tmp_path / "u.yaml").write_text(UNIT, encoding="utf-8")
    unit = load_unit(tmp_path / "u.yaml")
    lines = ["instrument,time,value,unit,kind"]
    for k in range(28):
        day = (date(2025, 2, 1) + timedelta(days=k)).isoformat()
        lines += [f"W-01,{day}T00:00:00,54.8,t,amount", f"E-01,{day}T00:00:00,13.7,MWh,amount"]
    csv = tmp_path / "readings.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sum([54.8] * 28) != 1534.4  # the float sum carries residue
    rec = close_month(unit, 2025, 2, [csv], tmp_path / "rec")
    metered = {s["id"]: s["metered"] for s in rec.data["streams"]}
    assert metered == {"coal": 1534.4, "power": 383.6}
    out = tmp_path / "存证.xlsx"
    write_workbook(unit, tmp_path / "rec", out)
    row = [c.value for c in load_workbook(out).worksheets[0][2]]
    assert row[:3] == ["2025-02", 1534.4, 383.6]


def test_filed_quantity_keeps_twelve_significant_digits() -> None:
    assert filed_quantity(1534.3999999999992) == 1534.4
    assert filed_quantity(383.5999999999998) == 383.6
    assert filed_quantity(0.1 + 0.2) == 0.3
    assert filed_quantity(123456.789012) == 123456.789012  # a real value's digits are kept
    assert filed_quantity(0.0) == 0.0
