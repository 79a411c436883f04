"""A corpus of plant-style instrument ledgers (台账) with known answers (issue 12, item 7).

Each case builds one workbook in a shape plants actually keep — title rows above the header,
merged cells, several sheets, blank and footer rows, mixed date formats, full-width
characters, units in headers, no management numbers, no type column, status words, 有效期至 —
and states what importing it into :data:`UNIT` must give. ``tests/ledger/test_plant_corpus.py``
imports every one in one go.

Run ``python tests/ledger/plant_corpus.py OUTDIR`` to write the workbooks for a person to open.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

UNIT = """format: tanjiliang/unit@1
unit: {name: 示例热电有限公司, year: 2025, sector: power}
pack: henan-2025-draft
subunits:
  - {id: G1, name: 1号机组}
  - {id: AUX, name: 辅助生产系统}
equipment:
  - {id: B1, name: 1号锅炉, subunit: G1}
  - {id: B2, name: 2号燃气锅炉, subunit: G1}
source_streams:
  - {id: coal, name: 入炉烟煤, kind: combustion, material: bituminous_coal, activity: "120000 t", consumers: [B1]}
  - {id: gas, name: 锅炉用天然气, kind: combustion, material: natural_gas, activity: "350 万Nm3", consumers: [B2]}
  - {id: power, name: 外购电力, kind: electricity, material: grid_electricity, activity: "8200 MWh", consumers: [AUX]}
instruments: []
"""


@dataclass
class Case:
    name: str
    shape: str  # what makes it hard
    build: Callable[[Path], None]
    #: id → expected fields (a subset) after the import
    expect: dict[str, dict[str, Any]]
    pending: set[str] = field(default_factory=set)  # ids imported without ``measures``
    min_inferred: int = 0  # at least this many inferences reported


# The plant's instruments, as a person describes them: id, name, model, accuracy as written,
# range, serial, place as written, what it measures as written (or None), interval, date,
# valid until, certificate body, status word.
ROWS: list[dict[str, Any]] = [
    {"id": "JL-001", "name": "入厂煤汽车衡", "model": "SCS-100", "acc": "III级", "range": "0-100t",
     "serial": "HC2019-0032", "place": "厂界", "measures": "入炉烟煤", "interval": "1年",
     "date": date(2025, 3, 2), "until": date(2026, 3, 1), "body": "河南省计量测试科学研究院", "status": "合格"},
    {"id": "JL-002", "name": "1号炉给煤皮带秤", "model": "ICS-20", "acc": "0.5级", "range": "0-1000t/h",
     "serial": "PD-7781", "place": "1号锅炉", "measures": "入炉烟煤", "interval": "6个月",
     "date": date(2025, 6, 10), "until": date(2025, 12, 9), "body": "郑州市计量所", "status": "准用"},
    {"id": "JL-003", "name": "2号炉天然气流量计", "model": "LUGB-100", "acc": "1.0级", "range": "50-800m³/h",
     "serial": "TQ-5512", "place": "2号燃气锅炉", "measures": None, "interval": "12个月",
     "date": date(2024, 9, 12), "until": date(2025, 9, 11), "body": "河南省计量测试科学研究院", "status": "合格"},
    {"id": "JL-004", "name": "关口电能表", "model": "DTZ341", "acc": "0.5S级", "range": "3×57.7/100V",
     "serial": "DB-90001", "place": "厂界", "measures": None, "interval": "24个月",
     "date": date(2024, 5, 20), "until": None, "body": "国网河南电力计量中心", "status": "合格"},
    {"id": "JL-005", "name": "辅助系统电能表", "model": "DTSD341", "acc": "1级", "range": "3×220/380V",
     "serial": "DB-90017", "place": "辅助生产系统", "measures": None, "interval": "1年",
     "date": date(2025, 1, 8), "until": None, "body": "国网河南电力计量中心", "status": "备用"},
    {"id": "JL-006", "name": "1号炉燃油流量计", "model": "LC-25", "acc": "±1%", "range": "0-5m³/h",
     "serial": "YL-3301", "place": "1号锅炉", "measures": "点火用油", "interval": "1年",
     "date": date(2023, 4, 1), "until": None, "body": "郑州市计量所", "status": "停用"},
    {"id": "JL-007", "name": "备用地磅", "model": "SCS-30", "acc": "III级", "range": "0-30t",
     "serial": "HC2011-0007", "place": "厂界", "measures": "入炉烟煤", "interval": "1年",
     "date": date(2022, 7, 1), "until": None, "body": "郑州市计量所", "status": "封存"},
]

EXPECT_BASE: dict[str, dict[str, Any]] = {
    "JL-001": {"type": "truck_scale", "at": "boundary", "accuracy": "III", "measures": "coal", "status": "in_use",
               "next_due": date(2026, 3, 1)},
    "JL-002": {"type": "belt_scale", "at": "B1", "accuracy": "0.5", "measures": "coal", "status": "in_use",
               "result": "limited", "next_due": date(2025, 12, 9)},
    "JL-003": {"type": "gas_flow_meter", "at": "B2", "accuracy": "1.0", "measures": "gas", "status": "in_use",
               "next_due": date(2025, 9, 11)},
    "JL-004": {"type": "electricity_meter", "at": "boundary", "accuracy": "0.5S", "measures": "power"},
    "JL-005": {"type": "electricity_meter", "at": "AUX", "accuracy": "1", "measures": "power", "status": "standby"},
    "JL-006": {"type": "oil_flow_meter", "at": "B1", "accuracy": "±1 %", "status": "out_of_service"},
    "JL-007": {"type": "truck_scale", "at": "boundary", "status": "out_of_service"},
}
PENDING_BASE = {"JL-006"}  # 点火用油: the unit has no oil stream — which stream is not said


def _expect(**over: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {k: dict(v) for k, v in EXPECT_BASE.items()}
    for k, v in over.items():
        out[k.replace("_", "-")].update(v)  # keyword JL_003 stands for the id JL-003
    return out


STD_HEADERS = ["序号", "器具名称", "型号规格", "准确度等级", "测量范围", "出厂编号", "管理编号", "安装地点",
               "测量对象", "检定周期", "检定日期", "有效期至", "检定单位", "状态"]


def _std_row(k: int, r: dict[str, Any], date_as: Callable[[date], Any] = lambda d: d) -> list[Any]:
    return [k, r["name"], r["model"], r["acc"], r["range"], r["serial"], r["id"], r["place"], r["measures"],
            r["interval"], date_as(r["date"]), date_as(r["until"]) if r["until"] else None, r["body"], r["status"]]


def _sheet(wb: Workbook, title: str, first: bool) -> Worksheet:
    if first:
        ws = wb.active
        assert ws is not None
        ws.title = title
        return ws
    return wb.create_sheet(title)


def clean(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "计量器具台账", True)
    ws.append(STD_HEADERS)
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r))
    wb.save(path)


def title_rows(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "Sheet1", True)
    ws.append(["示例热电有限公司"])
    ws.append(["能源及碳排放计量器具一览表"])
    ws.append(["编制部门：设备部", None, None, None, None, None, None, None, None, None, "2025年12月"])
    ws.append([])
    ws.append(STD_HEADERS)
    ws.merge_cells("A1:N1")
    ws.merge_cells("A2:N2")
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r))
    wb.save(path)


def merged_cells(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(["计量器具台账（2025年）"])
    ws.merge_cells("A1:N1")
    ws.append(STD_HEADERS)
    rows = sorted(ROWS, key=lambda r: r["place"])
    for k, r in enumerate(rows, 1):
        ws.append(_std_row(k, r))
    # the same place written once for consecutive rows (merged vertically), as people do
    first = 3
    for i in range(len(rows) + 1):
        if i == len(rows) or rows[i]["place"] != rows[first - 3]["place"]:
            last = i + 2  # sheet row of rows[i - 1]
            if last > first:
                for rr in range(first + 1, last + 1):
                    ws.cell(rr, 8).value = None
                ws.merge_cells(start_row=first, start_column=8, end_row=last, end_column=8)
            first = last + 1
    wb.save(path)


def sheets_by_level(path: Path) -> None:
    wb = Workbook()
    levels = {"一级": ["JL-001", "JL-004", "JL-007"], "二级": ["JL-005"], "三级": ["JL-002", "JL-003", "JL-006"]}
    first = True
    for lv, ids in levels.items():
        ws = _sheet(wb, f"{lv}计量器具", first)
        first = False
        ws.append([f"{lv}能源计量器具配备一览表"])
        ws.append(STD_HEADERS)
        for k, ident in enumerate(ids, 1):
            ws.append(_std_row(k, next(r for r in ROWS if r["id"] == ident)))
    notes = wb.create_sheet("填表说明")
    notes.append(["说明：本表依据 JJF 1356-2012 附录B 编制。"])
    wb.save(path)


def blank_and_footer(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(STD_HEADERS)
    for k, r in enumerate(ROWS, 1):
        row = _std_row(k, r)
        row[8] = row[8] or "—"  # nothing stated, written as people do
        row[11] = row[11] or "/"
        ws.append(row)
        if k % 2 == 0:
            ws.append([])
    ws.append([])
    ws.append(["合计：7 台"])
    ws.append(["填表人：张三", None, None, None, None, None, "审核：李四"])
    wb.save(path)


def mixed_dates(path: Path) -> None:
    forms: list[Callable[[date], Any]] = [
        lambda d: datetime(d.year, d.month, d.day),
        lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
        lambda d: f"{d.year}/{d.month}/{d.day}",
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: (d - date(1899, 12, 30)).days,  # an Excel serial typed as a number
        lambda d: d.isoformat(),
        lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    ]
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(STD_HEADERS)
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r, forms[(k - 1) % len(forms)]))
    wb.save(path)


def full_width(path: Path) -> None:
    fw = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(["序　号", "器具名称　", "型号规格", "精度等级", "测量范围", "出厂编号", "管理编号　",
               "安装使用地点", "用途", "检定周期", "检定日期", "有效期至", "检定机构", "使用状态"])
    for k, r in enumerate(ROWS, 1):
        row = _std_row(k, r)
        row[3] = str(row[3]).translate(fw)  # "０.５Ｓ级", "±１%"
        row[7] = str(row[7]).translate(fw)
        ws.append(row)
    wb.save(path)


def units_in_headers(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(["序号", "器具名称", "型号", "准确度等级", "测量范围(上限)", "出厂编号", "器具编号", "安装位置",
               "测量对象", "检定周期（月）", "上次检定日期", "下次检定日期", "检定单位", "状态"])
    months = {"1年": 12, "6个月": 6, "12个月": 12, "24个月": 24}
    for k, r in enumerate(ROWS, 1):
        row = _std_row(k, r)
        row[9] = months[r["interval"]]
        ws.append(row)
    wb.save(path)


def no_management_numbers(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "计量器具", True)
    ws.append(["序号", "名称", "规格型号", "等级", "量程", "出厂编号", "安装地点", "用途", "周期", "检定日期",
               "有效期", "检定单位", "状态"])
    for k, r in enumerate(ROWS, 1):
        row = _std_row(k, r)
        del row[6]
        ws.append(row)
    wb.save(path)


def with_valid_until_and_records(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(STD_HEADERS)
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r))
    cs = wb.create_sheet("检定记录")
    cs.append(["管理编号", "检定日期", "检定/校准", "检定结论", "证书编号", "检定单位", "有效期至"])
    cs.append(["JL-003", date(2024, 9, 12), "检定", "合格", "豫计2024-0912", "河南省计量测试科学研究院", date(2025, 9, 11)])
    cs.append(["JL-003", date(2023, 9, 10), "检定", "合格", "豫计2023-0910", "河南省计量测试科学研究院", date(2024, 9, 9)])
    wb.save(path)


def status_words(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append([*STD_HEADERS[:-1], "状态标识"])
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r))
    wb.save(path)


def no_type_roman(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(STD_HEADERS)
    for k, r in enumerate(ROWS, 1):
        row = _std_row(k, r)
        row[3] = str(row[3]).replace("III", "Ⅲ")
        ws.append(row)
    wb.save(path)


def header_low_down(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "2025", True)
    for line in (["文件编号：SB-JL-01"], ["版本：A/0"], [], ["示例热电有限公司"], [], ["计量器具管理台账"], [],
                 [None, None, "更新日期", "2025-12-01"]):
        ws.append(line)
    ws.append(STD_HEADERS)
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r))
    wb.save(path)


def with_type_column(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append([*STD_HEADERS[:2], "器具类别", *STD_HEADERS[2:]])
    types = {"JL-001": "汽车衡", "JL-002": "皮带秤", "JL-003": "气体流量计", "JL-004": "电能表", "JL-005": "电能表",
             "JL-006": "油流量计", "JL-007": "地秤"}
    for k, r in enumerate(ROWS, 1):
        row = _std_row(k, r)
        ws.append([*row[:2], types[r["id"]], *row[2:]])
    wb.save(path)


def hidden_and_extra_sheets(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "封面", True)
    ws.append(["计量器具台账"])
    ws.append(["单位：示例热电有限公司"])
    data = wb.create_sheet("台账")
    data.append([*STD_HEADERS, "备注"])
    for k, r in enumerate(ROWS, 1):
        data.append([*_std_row(k, r), "外委检定" if k % 3 == 0 else None])
    old = wb.create_sheet("2019版（作废）")
    old.sheet_state = "hidden"
    old.append(STD_HEADERS)
    old.append([1, "旧电表", "", "2级", "", "", "OLD-1", "火星", "", "", "", "", "", "报废"])
    wb.save(path)


def numbered_bianhao(path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb, "台账", True)
    ws.append(["编号", *STD_HEADERS[1:]])  # rows numbered under 编号, the id under 管理编号
    for k, r in enumerate(ROWS, 1):
        ws.append(_std_row(k, r))
    wb.save(path)


ID_FROM_NO = {f"{k}": r["id"] for k, r in enumerate(ROWS, 1)}

CASES: list[Case] = [
    Case("01-clean", "header in row 1, every column named as JJF 1356 Annex B", clean, _expect(), PENDING_BASE, 3),
    Case("02-title-rows", "three title rows (two merged) and an empty row above the header", title_rows, _expect(),
         PENDING_BASE),
    Case("03-merged-cells", "the place merged vertically over consecutive rows", merged_cells, _expect(), PENDING_BASE),
    Case("04-sheets-by-level", "one sheet per level (Annex B.4-B.6) with titles, and a notes sheet", sheets_by_level,
         _expect(), PENDING_BASE),
    Case("05-blank-and-footer", "blank rows, a total and a signature row, “/” and “—” for nothing", blank_and_footer,
         _expect(), PENDING_BASE),
    Case("06-mixed-dates", "date cells, 2025.03.02, 2025/3/2, 2025年3月2日, Excel serials, 20250302", mixed_dates,
         _expect(), PENDING_BASE),
    Case("07-full-width", "full-width letters and digits in headers and values (０.５Ｓ级, 厂　界)", full_width,
         _expect(JL_001={}), PENDING_BASE),
    Case("08-units-in-headers", "检定周期（月） with bare numbers; 下次检定日期; 器具编号", units_in_headers,
         _expect(), PENDING_BASE),
    Case("09-no-management-numbers", "no 管理编号: 序号 becomes the id; 等级, 用途, 有效期", no_management_numbers,
         {k: EXPECT_BASE[ident] for k, ident in ID_FROM_NO.items()},
         {"6"}),
    Case("10-valid-until-and-records", "有效期至 on the row and a confirmation sheet of the same record",
         with_valid_until_and_records, _expect(JL_003={"records": 2}), PENDING_BASE),
    Case("11-status-words", "状态标识 合格/准用/停用/备用/封存", status_words, _expect(), PENDING_BASE),
    Case("12-roman-classes", "Ⅲ级 written with the Roman numeral character", no_type_roman, _expect(), PENDING_BASE),
    Case("13-header-low-down", "header in row 9 below file number, version and dates", header_low_down, _expect(),
         PENDING_BASE),
    Case("14-type-column", "a 器具类别 column in words (汽车衡, 地秤 …)", with_type_column,
         _expect(JL_007={"type": "platform_scale"}), PENDING_BASE),
    Case("15-cover-and-hidden-sheets", "a cover sheet, a hidden obsolete sheet, a notes column",
         hidden_and_extra_sheets, _expect(), PENDING_BASE),
    Case("16-bianhao-and-guanli-bianhao", "rows numbered under 编号 beside the 管理编号 column", numbered_bianhao,
         _expect(), PENDING_BASE),
]


def main(out: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "unit.yaml").write_text(UNIT, encoding="utf-8")
    for c in CASES:
        c.build(folder / f"{c.name}.xlsx")
        print(f"{c.name}.xlsx  {c.shape}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ledger-corpus")
