"""The PDF (WeasyPrint, same page as the HTML) and the XLSX workbook. The PDF is rasterised
with pdftoppm: every page drawn, Chinese set in an embedded CJK font whose glyphs are not the
.notdef box ("tofu")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from PIL import Image, ImageChops
from typer.testing import CliRunner

from tanjiliang.assess.engine import assess
from tanjiliang.cli.app import app
from tanjiliang.model.load import load_unit
from tanjiliang.reports import write_report
from tanjiliang.reports.html import _css
from tanjiliang.rules.load import load_pack
from unit_builders import AS_OF

ROOT = Path(__file__).parents[2]
SPEC = ROOT / "tests" / "data" / "spec-example.yaml"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: install poppler-utils (make system)"
    return path


@pytest.fixture(scope="module")
def spec():
    unit = load_unit(SPEC)
    loaded = load_pack(unit.pack)
    return unit, loaded, assess(unit, loaded, AS_OF)


@pytest.fixture(scope="module")
def pdf_zh(spec, tmp_path_factory):
    unit, loaded, a = spec
    return write_report(a, unit, tmp_path_factory.mktemp("pdf") / "report.pdf", "zh", loaded.pack)


def _pages(pdf: Path, out: Path, dpi: int = 40) -> list[Image.Image]:
    subprocess.run([_need("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(out / "p")], check=True)
    return [Image.open(p).convert("L") for p in sorted(out.glob("p-*.png"))]


def _ink(im: Image.Image) -> float:
    """Fraction of pixels that are not near-white."""
    hist = im.histogram()
    return sum(hist[:200]) / (im.size[0] * im.size[1])


def test_pdf_pages_drawn(pdf_zh, tmp_path):
    pages = _pages(pdf_zh, tmp_path)
    # cover, summary, diagram, emissions, then the sections flow on (no mostly blank pages)
    assert len(pages) >= 6
    for k, im in enumerate(pages, 1):
        assert _ink(im) > 0.003, f"page {k} is blank"
    # the diagram has a page of its own, at least A4 landscape
    assert any(im.size[0] > im.size[1] for im in pages)


def test_pdf_chinese_in_embedded_cjk_font(pdf_zh):
    fonts = subprocess.run([_need("pdffonts"), str(pdf_zh)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    assert all(" yes " in line for line in fonts), "every font embedded"
    assert any("CJK" in line and "SC" in line for line in fonts), fonts
    text = subprocess.run([_need("pdftotext"), str(pdf_zh), "-"], capture_output=True, text=True,
                          check=True).stdout
    for word in ("碳计量器具配备和管理评价报告", "概要与结论", "计量器具配备率", "河南豫能示例热电有限公司"):
        assert word in text


def test_cjk_glyphs_are_not_tofu(tmp_path):
    # The report's font stack draws "碳计量器具" with real glyphs: if the CJK font were missing,
    # each character would be the .notdef box, exactly like characters no font has (U+E000…).
    from weasyprint import HTML

    def draw(text: str, name: str) -> Image.Image:
        page = (f"<html><head><style>{_css()}@page {{ size: 80mm 20mm; margin: 2mm; }}</style>"
                f"</head><body><h1>{text}</h1></body></html>")
        pdf = tmp_path / f"{name}.pdf"
        HTML(string=page).write_pdf(pdf)
        out = tmp_path / name
        out.mkdir()
        return _pages(pdf, out, dpi=100)[0]

    glyphs = draw("碳计量器具", "cjk")
    tofu = draw("\ue000\ue001\ue002\ue003\ue004", "tofu")
    assert _ink(glyphs) > 0.01
    diff = ImageChops.difference(glyphs, tofu)
    assert sum(diff.histogram()[64:]) > 0.01 * diff.size[0] * diff.size[1]


def test_pdf_english(spec, tmp_path):
    unit, loaded, a = spec
    pdf = write_report(a, unit, tmp_path / "report.pdf", "en", loaded.pack)
    text = subprocess.run([_need("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for word in ("Carbon metering assessment report", "Summary and conclusion", "Equipping rates",
                 "Findings"):
        assert word in text
    assert "概要与结论" not in text and "计量器具配备率" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx(spec, tmp_path, lang):
    unit, loaded, a = spec
    path = write_report(a, unit, tmp_path / "report.xlsx", lang, loaded.pack)
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    if lang == "zh":
        assert names[:5] == ["概要", "源流", "参数", "配备率", "计量点"]
        assert "一级计量器具一览表" in names and "二级计量器具一览表" in names
        assert names[-2:] == ["不符合项与观察项", "次级单位与设施"]
    else:
        assert names[:5] == ["Summary", "Streams", "Parameters", "Equipping rates", "Points"]
        assert "Level 1 instruments" in names
    # the ledger by level (JJF 1356 Annex B.4–B.6): one row per instrument of that level
    by_level = {1: "一级计量器具一览表", 2: "二级计量器具一览表"} if lang == "zh" else {1: "Level 1 instruments", 2: "Level 2 instruments"}
    for level, sheet in by_level.items():
        ws = wb[sheet]
        ids = [ws.cell(row=r, column=8).value for r in range(3, ws.max_row + 1)
               if ws.cell(row=r, column=8).value]
        assert ids == sorted(i.id for i in a.instruments if i.level == level)
    # streams: numbers are numbers, unrounded
    ws = wb[names[1]]
    coal = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] and "(coal)" in r[1])
    assert coal[7] == pytest.approx(a.stream("coal").emissions_tco2e)
    assert coal[8] == pytest.approx(a.stream("coal").share)
    # findings: every one, with its clause
    ws = wb[names[-2]]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[2]]
    from tanjiliang.reports.i18n import finding_subject  # subjects in words (issue 13)

    assert sorted((r[2], r[5]) for r in rows) == sorted(
        (f.code, finding_subject(f.subject, loaded.pack, lang)) for f in a.findings)
    # equipping rates as GB 17167's table: medium × level
    ws = wb[names[3]]
    assert ws.cell(row=2, column=1).value == ("介质" if lang == "zh" else "Medium")


def test_check_output_writes_each_format(tmp_path):
    for suffix in ("html", "pdf", "xlsx"):
        out = tmp_path / f"report.{suffix}"
        r = CliRunner().invoke(app, ["check", str(SPEC), "--as-of", "2025-12-31", "--output", str(out)])
        assert r.exit_code == 1, r.output  # the spec example has non-conformities
        assert out.stat().st_size > 1000
    r = CliRunner().invoke(app, ["check", str(SPEC), "--output", str(tmp_path / "report.doc")])
    assert r.exit_code == 2


def test_listing_columns_and_wrapping():
    from tanjiliang.reports.context import Table
    from tanjiliang.reports.listing import listing, width, wrap

    assert width("煤coal·") == 2 + 4 + 2  # Han and ambiguous "·" two columns, Latin one
    assert wrap("入炉烟煤入炉烟煤", 6) == ["入炉烟", "煤入炉", "烟煤"]
    assert wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    tb = Table("t", "t", ["编号", "名称", "数值"], numeric={2})
    tb.add(["A1", "一号锅炉入炉煤皮带秤", "1,234"], cls="bad")
    tb.add(["B22", "短", "5"])
    head, rows = listing(tb, total=24)
    lines = head + [line for _, ls in rows for line in ls]
    assert all(width(line) <= 24 for line in lines)
    assert rows[0][0] == "bad" and rows[1][0] == "z"
    # the numeric column is right-aligned: its last digit ends the line in every row
    assert [ls[0].endswith(v) for (_, ls), v in zip(rows, ["1,234", "5"], strict=True)] == [True, True]
    assert "".join("".join(ls) for _, ls in rows).count("一号锅炉入炉煤皮带秤"[:3]) == 1


def test_large_plant_pdf(tmp_path):
    """A generated plant of ~500 instruments (some with very long names) and ~400 points: long
    tables are printed as listings and nothing is left out; issue 13 §7 "tables of hundreds of
    instruments stay readable": the listings repeat their column titles on every page, never
    split a row across two pages, and wrap long names inside the page's text block."""
    import re

    import yaml

    from tanjiliang.diagram.synthetic import synthetic_data
    from tanjiliang.reports.context import build_context
    from tanjiliang.reports.listing import MIN_ROWS, listing

    data = synthetic_data(n_subunits=60, equipment_per_subunit=5)
    assert len(data["instruments"]) >= 480
    for k, ins in enumerate(data["instruments"]):
        if k % 20 == 0:
            ins["name"] = (f"{ins['name']}（一号生产线原煤入炉计量用电子皮带秤，带实物标定装置，"
                           f"二次仪表安装在中控室，出厂编号 {ins['id']}）")
    unit = load_unit("plant.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    loaded = load_pack(None)
    a = assess(unit, loaded, AS_OF)
    pdf = write_report(a, unit, tmp_path / "plant.pdf", "zh", loaded.pack)
    text = subprocess.run([_need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [[" ".join(line.split()) for line in p.splitlines() if line.strip()]
             for p in text.split("\f")]

    # points are named by their symbol on the diagram (W1, E3 …; issue 13)
    from tanjiliang.diagram.symbols import point_symbols

    missing = [s.label for s in point_symbols(a, loaded.pack).values() if s.label not in text]
    assert missing == []
    assert all(i.id in text for i in a.instruments)
    assert all(_ink(im) > 0.002 for im in _pages(pdf, tmp_path, dpi=15))

    ctx = build_context(a, unit, loaded.pack, "zh")
    tables = [tb for tb in [ctx.streams, ctx.rates, *ctx.points_tables, ctx.accuracy,
                            ctx.confirmation, ctx.findings, ctx.parameters, ctx.places]
              if len(tb.rows) > MIN_ROWS]
    assert ctx.confirmation in tables and ctx.accuracy in tables
    wrapped = 0
    for tb in tables:
        head, rows = listing(tb)
        title = " ".join(head[0].split())
        # the pages the table runs over: those holding the first line of one of its rows
        firsts = {" ".join(lines[0].split()) for _, lines in rows}
        on = [i for i, p in enumerate(pages) if firsts & set(p)]
        assert len(on) >= (3 if tb is ctx.confirmation else 1), (tb.key, on)
        missing = [i + 1 for i in on if title not in pages[i]]
        assert not missing, f"{tb.key}: no column titles on pages {missing}"
        # every row that takes several lines is wholly on one page
        for _, lines in rows:
            if len(lines) < 2:
                continue
            wrapped += 1
            first, last = " ".join(lines[0].split()), " ".join(lines[-1].split())
            assert any(first in p and last in p for p in pages), (tb.key, first, last)
    assert wrapped >= 2 * 25  # the long names wrap, in the accuracy and confirmation tables
    # nothing runs past the right margin
    bbox = subprocess.run([_need("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for k, page in enumerate(bbox.split("<page ")[1:], 1):
        width = float(re.search(r'width="([\d.]+)"', page)[1])
        right = max((float(x) for x in re.findall(r'xMax="([\d.]+)"', page)), default=0.0)
        margin = 12 if width > 596 else 14  # mm: the diagram's own page, the A4 pages
        assert right <= width - margin / 25.4 * 72 + 2, (k, right, width)
