"""The review report: 现场审查情况汇总表, 不符合项报告 and the evidence list, PDF and XLSX,
one language each."""

from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook
from review_fixtures import completed_review

from tanjiliang.review import render, report


@pytest.fixture
def signed(checklist, reviewer, enterprise):
    return completed_review(checklist, reviewer, enterprise)


def test_report_context_rows_results_and_seal(checklist, signed):
    si, rv = signed
    c = report.build(rv, checklist.checklist, "zh", self_inspection=si)
    rows = [r for g in c.groups for r in g.rows]
    assert len(rows) == len(checklist.checklist.items())
    row = next(r for r in rows if r.clause == "6.2.2")
    assert (row.result, row.self_result) == ("不符合", "不符合")  # both from the assessment
    assert c.conclusion == "不符合" and c.signed
    assert dict(c.seal)["内容校验值（SHA-256）"] == rv.signature.sha256
    (nc,) = c.ncs
    assert nc.id == "NC-01" and nc.status == "已关闭" and "W-02" in nc.facts
    assert [e.filename for e in c.evidence] == ["管理制度汇编.pdf", "W-02检定证书.pdf"]


def test_report_pdf_has_both_tables_and_evidence_in_chinese(checklist, signed):
    si, rv = signed
    pdf = render.render_pdf(report.build(rv, checklist.checklist, "zh", self_inspection=si))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    flat = "".join(text.split())
    for needle in ("现场审查情况汇总表", "不符合项报告", "证据清单", "NC-01", "W-02检定证书.pdf",
                   rv.signature.sha256, "整改验证情况"):
        assert needle in flat, needle
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Noto-Sans-CJK-SC" in fonts
    assert "Non-conformity" not in text  # one language per report


def test_report_pdf_in_english_has_no_chinese_labels(checklist, signed):
    _, rv = signed
    pdf = render.render_pdf(report.build(rv, checklist.checklist, "en"))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "On-site review summary" in text and "Non-conformity report" in text
    assert "现场审查情况汇总表" not in text and "审查结论" not in text


def test_report_xlsx_sheets_and_layout(checklist, signed):
    si, rv = signed
    data = render.render_xlsx(report.build(rv, checklist.checklist, "zh", self_inspection=si))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["现场审查情况汇总表", "不符合项报告", "证据清单"]
    ws = wb["现场审查情况汇总表"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "不符合" in values and rv.signature.sha256 in values
    nc = wb["不符合项报告"]
    cells = {c.value for row in nc.iter_rows() for c in row if c.value}
    assert {"NC-01", "原因分析", "纠正措施", "整改验证情况", "核查证书有效，整改有效"} <= cells
    ev = wb["证据清单"]
    assert ev.cell(row=4, column=2).value == "管理制度汇编.pdf"
    assert ev.cell(row=5, column=3).value == "NC-01"


def test_unsigned_report_says_draft(checklist, reviewer, enterprise):
    _, rv = completed_review(checklist, reviewer, enterprise, sign=False)
    c = report.build(rv, checklist.checklist, "zh")
    assert not c.signed and "未签发" in render.render_html(c)
