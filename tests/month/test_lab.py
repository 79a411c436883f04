"""Measured parameters of the monthly close (issue 14 §1): laboratory results per batch, the
month's weighted value in place of the library's, the flags, the evidence, the workbook.
Hand-computed.

The fixture's coal (bituminous_coal) uses the library's NCV 19.570 GJ/t, carbon content
0.02618 tC/GJ and oxidation rate 0.93 (factors/cn-fuels.yaml), so its annual rate is
19.570 × 0.02618 × 0.93 × 44/12 = 1.747088 tCO2 per tonne.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tanjiliang.model.errors import LoadError
from tanjiliang.month.close import ZONE, close_month, compute_month, verify_records
from tanjiliang.month.export import write_bundle, write_workbook
from tanjiliang.month.lab import read_lab

HEAD = "stream,parameter,value,unit,sampled,batch,quantity,laboratory,method,accreditation,certificate,report,report_file"
LAB = "河南省煤质检测中心"


def _lab(folder: Path, rows: list[str], name: str = "化验结果-2025.csv") -> Path:
    p = folder / name
    p.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return p


MARCH = [
    f"coal,ncv,22.00,GJ/t,2025-03-05,B1,300,{LAB},GB/T 213-2008,CMA;CNAS,CNAS L1234,R-0301,r0301.pdf",
    f"coal,ncv,23.00,GJ/t,2025-03-20,B2,100,{LAB},GB/T 213-2008,CMA;CNAS,CNAS L1234,R-0302,r0302.pdf",
    f"coal,元素碳含量,55,%,2025-03-05,B1,300,{LAB},GB/T 30733-2014,CMA;CNAS,CNAS L1234,R-0301,r0301.pdf",
    f"coal,carbon_content,57,%,2025-03-20,B2,100,{LAB},GB/T 30733-2014,CMA;CNAS,CNAS L1234,R-0302,r0302.pdf",
]


def test_the_month_uses_the_batch_weighted_lab_values(unit, readings, tmp_path) -> None:
    lab = read_lab(_lab(tmp_path, MARCH), unit)
    m = compute_month(unit, 2025, 3, [readings], lab=lab)
    coal = next(s for s in m["streams"] if s["id"] == "coal")
    ps = {p["name"]: p for p in coal["parameters"]}
    # NCV = (22.00 × 300 + 23.00 × 100) / 400 = 8 900 / 400 = 22.25 GJ/t
    assert ps["ncv"]["source"] == "lab" and ps["ncv"]["value"] == pytest.approx(22.25)
    assert ps["ncv"]["lab"]["weighting"] == "quantity" and ps["ncv"]["lab"]["results"] == 2
    # carbon = (55 × 300 + 57 × 100) / 400 = 55.5 % by mass
    assert ps["carbon_content"]["value"] == pytest.approx(55.5)
    # the oxidation rate still comes from the library (0.93), and says so
    assert ps["oxidation_rate"]["source"] == "library" and ps["oxidation_rate"]["citation"]
    # E = activity × 0.555 × 0.93 × 44/12 = activity × 1.892550 tCO2/t
    assert coal["emissions_tco2e"] == pytest.approx(coal["activity"] * 0.555 * 0.93 * 44 / 12)
    # every result is from a CMA/CNAS laboratory with certificate and method: the check passes
    c = next(c for c in m["checks"] if c["check"] == "lab_results")
    assert c["ok"] and c["results"] == 4
    # the other streams and months keep the annual rate
    april = compute_month(unit, 2025, 4, [readings], lab=lab)
    a_coal = next(s for s in april["streams"] if s["id"] == "coal")
    assert a_coal["emissions_tco2e"] == pytest.approx(a_coal["activity"] * 1.747088, rel=1e-6)
    assert {p["source"] for p in a_coal["parameters"]} == {"library"}
    assert april["lab"] is None and all(c["check"] != "lab_results" for c in april["checks"])


def test_ncv_alone_keeps_the_library_carbon_content_and_a_plain_mean(unit, readings, tmp_path) -> None:
    rows = [r.replace(",300,", ",,").replace(",100,", ",,") for r in MARCH[:2]]
    m = compute_month(unit, 2025, 3, [readings], lab=read_lab(_lab(tmp_path, rows), unit))
    coal = next(s for s in m["streams"] if s["id"] == "coal")
    ncv = next(p for p in coal["parameters"] if p["name"] == "ncv")
    # no quantities: (22.00 + 23.00) / 2 = 22.5 GJ/t
    assert ncv["value"] == pytest.approx(22.5) and ncv["lab"]["weighting"] == "mean"
    # E = activity × 22.5 × 0.02618 × 0.93 × 44/12 = activity × 2.008665 tCO2/t
    assert coal["emissions_tco2e"] == pytest.approx(coal["activity"] * 22.5 * 0.02618 * 0.93 * 44 / 12)


def test_a_result_without_accreditation_or_method_is_flagged(unit, readings, tmp_path) -> None:
    rows = [MARCH[0], "coal,ncv,23.00,GJ/t,2025-03-20,B2,100,某化验室,,,,R-0302,"]
    lab = read_lab(_lab(tmp_path, rows), unit)
    assert set(lab.results[1].flags) == {"accreditation", "certificate", "method"}
    m = compute_month(unit, 2025, 3, [readings], lab=lab)
    c = next(c for c in m["checks"] if c["check"] == "lab_results")
    assert not c["ok"] and c["flagged"] == [{"row": 3, "flags": ["accreditation", "certificate", "method"]}]
    # the value is still used (flagged, not dropped): (22 × 300 + 23 × 100) / 400 = 22.25
    coal = next(s for s in m["streams"] if s["id"] == "coal")
    assert next(p for p in coal["parameters"] if p["name"] == "ncv")["lab"]["flagged"] == [3]


def test_bad_rows_are_refused_naming_file_row_and_field(unit, tmp_path) -> None:
    rows = [
        MARCH[0],
        f"coalx,ncv,22,GJ/t,2025-03-05,B1,1,{LAB},GB/T 213,CMA,C1,R1,",       # row 3: stream
        f"coal,ncv,abc,GJ/t,2025-03-05,B1,1,{LAB},GB/T 213,CMA,C1,R1,",       # row 4: value
        f"coal,ncv,22,kg,2025-03-05,B1,1,{LAB},GB/T 213,CMA,C1,R1,",          # row 5: unit
        f"coal,元素碳含量,120,%,2025-03-05,B1,1,{LAB},GB/T 476,CMA,C1,R1,",    # row 6: over 100 %
        f"coal,ncv,22,GJ/t,2024-12-05,B1,1,{LAB},GB/T 213,CMA,C1,R1,",        # row 7: year
        f"power,ncv,22,GJ/t,2025-03-05,B1,1,{LAB},GB/T 213,CMA,C1,R1,",       # row 8: electricity
        f"coal,ncv,22,GJ/t,2025-03-05,B1,1,{LAB},GB/T 213,CMA,C1,,",          # row 9: report
        f"coal,ncv,22,GJ/t,2025-03-06,B3,,{LAB},GB/T 213,CMA,C1,R3,",         # row 10: quantity
    ]
    with pytest.raises(LoadError) as err:
        read_lab(_lab(tmp_path, rows), unit)
    where = {(i.file, i.line, i.path) for i in err.value.issues}
    f = "化验结果-2025.csv"
    assert {(f, 3, "stream"), (f, 4, "value"), (f, 5, "unit"), (f, 6, "value"), (f, 7, "month"),
            (f, 8, "stream"), (f, 9, "report"), (f, 10, "quantity")} <= where
    assert "化验结果-2025.csv:3 stream" in err.value.message("zh")
    assert "no stream" in err.value.message("en")


def test_missing_columns_and_an_xlsx(unit, tmp_path) -> None:
    p = tmp_path / "lab.csv"
    p.write_text("stream,value\ncoal,22\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_lab(p, unit)
    said = err.value.message("zh")  # each missing column by its Chinese header (session 6)
    assert all(f"缺少“{h}”列" in said for h in ("参数", "单位", "检测机构", "报告编号", "月份"))
    # Chinese headers in a workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["源流", "参数", "数值", "单位", "月份", "检测机构", "方法标准", "资质", "资质证书编号", "报告编号"])
    ws.append(["coal", "低位发热量", 21.5, "GJ/t", "2025-05", LAB, "GB/T 213-2008", "CMA", "161500110001", "R5"])
    x = tmp_path / "化验.xlsx"
    wb.save(x)
    lab = read_lab(x, unit)
    assert lab.results[0].month == "2025-05" and lab.results[0].value == 21.5 and not lab.results[0].flags


def test_filed_with_reports_as_evidence_hashed_and_exported(unit, readings, tmp_path) -> None:
    src = tmp_path / "lab"
    src.mkdir()
    for n in ("r0301.pdf", "r0302.pdf"):
        (src / n).write_bytes(b"%PDF-1.4 " + n.encode())
    lab = _lab(src, MARCH)
    rec_dir = tmp_path / "rec"
    rec = close_month(unit, 2025, 3, [readings], rec_dir, lab=lab,
                      filed_at=datetime(2025, 4, 20, 12, tzinfo=ZONE))
    kinds = {e["file"]: e.get("kind") for e in rec.data["evidence"]}
    assert kinds == {"化验结果-2025.csv": "lab_results", "r0301.pdf": "lab_report", "r0302.pdf": "lab_report"}
    sha = hashlib.sha256(b"%PDF-1.4 r0301.pdf").hexdigest()
    assert rec.data["lab"]["results"][0]["report_sha256"] == sha
    assert verify_records(rec_dir) == []
    # the workbook fills 低位发热量 and 元素碳含量 from the lab values (22.25 GJ/t, 55.5 %)
    out = tmp_path / "f.xlsx"
    write_workbook(unit, rec_dir, out)
    ws = load_workbook(out).active
    head = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[head.index("低位发热量 GJ/t")] == pytest.approx(22.25)
    assert row[head.index("元素碳含量 %")] == pytest.approx(55.5)
    # the bundle carries the reports, listed with their SHA-256
    bundle = tmp_path / "b.zip"
    write_bundle(rec_dir, bundle)
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        reports = [m for m in manifest if m.get("kind") == "lab_report"]
        assert len(reports) == 2 and sha in {m["sha256"] for m in reports}
    # a changed report is detected
    (rec_dir / "evidence" / sha).write_bytes(b"forged")
    assert any("r0301.pdf" in z for _, z, _ in verify_records(rec_dir))


def test_a_named_report_file_must_be_given(unit, readings, tmp_path) -> None:
    lab = _lab(tmp_path, MARCH[:1])
    with pytest.raises(LoadError) as err:
        close_month(unit, 2025, 3, [readings], tmp_path / "rec", lab=lab)
    assert [(i.line, i.path) for i in err.value.issues] == [(2, "report_file")]
    assert not (tmp_path / "rec").exists()  # nothing written


def test_the_command_line_files_with_lab_results_and_refuses_a_bad_file(unit, readings, tmp_path) -> None:
    from typer.testing import CliRunner

    from tanjiliang.cli.app import app

    fixture = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "plant.yaml"
    bad = _lab(tmp_path, [MARCH[0].replace("22.00", "abc")], name="bad.csv")
    args = ["month", "close", str(fixture), str(readings), "--month", "2025-03",
            "--records", str(tmp_path / "rec"), "--filed-at", "2025-04-20"]
    r = CliRunner().invoke(app, [*args, "--lab", str(bad)])
    assert r.exit_code == 2 and "bad.csv:2 value" in r.output and "不是数值" in r.output
    assert not (tmp_path / "rec").exists()
    r = CliRunner().invoke(app, [*args, "--lab", str(bad), "--lang", "en"])
    assert "is not a number" in r.output
    good = _lab(tmp_path, [MARCH[0].replace("r0301.pdf", "")], name="good.csv")
    r = CliRunner().invoke(app, [*args, "--lab", str(good)])
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "rec" / "2025-03.v1.json").read_text(encoding="utf-8"))
    assert data["lab"]["results"][0]["value"] == 22.0
    r = CliRunner().invoke(app, ["month", "close", str(fixture), str(readings), "--month", "2025-04",
                                 "--records", str(tmp_path / "rec"),
                                 "--lab", str(_lab(tmp_path, ["coal,ncv,21,GJ/t,2025-04-02,,,某化验室,,,,R9,"],
                                                   name="flag.csv"))])
    assert r.exit_code == 0 and "化验: 入炉烟煤 低位发热量 21 GJ/t" in r.output
    assert "flag.csv:2 检测机构无 CMA/CNAS 资质、未给出资质证书编号、未给出方法标准" in r.output


def test_a_parameter_declared_measured_needs_the_months_result(readings, tmp_path) -> None:
    """The unit file says the coal's NCV is measured (a bare value): a month without its
    laboratory result fails ``lab_coverage`` naming the stream and parameter (the annual
    22.60 GJ/t is used); a month with the result passes."""
    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import unit_to_data

    base = load_unit(Path(__file__).resolve().parents[1] / "data" / "fixtures" / "plant.yaml")
    data = unit_to_data(base)
    coal = next(s for s in data["source_streams"] if s["id"] == "coal")
    coal.setdefault("parameters", {})["ncv"] = "22.60 GJ/t"
    from tanjiliang.model.unit import UnitFile

    unit = UnitFile.model_validate(data)
    april = compute_month(unit, 2025, 4, [readings])
    c = next(c for c in april["checks"] if c["check"] == "lab_coverage")
    assert not c["ok"] and c["missing"] == [{"stream": "coal", "name": coal.get("name"),
                                             "parameter": "ncv"}]
    lab = read_lab(_lab(tmp_path, MARCH[:2]), unit)
    march = compute_month(unit, 2025, 3, [readings], lab=lab)
    c = next(c for c in march["checks"] if c["check"] == "lab_coverage")
    assert c["ok"] and c["missing"] == []
    # a unit whose coal uses the library's values has nothing to cover
    assert all(c["check"] != "lab_coverage" for c in compute_month(base, 2025, 4, [readings])["checks"])
