"""``tanjiliang init --sector S -o FILE``: a valid, commented unit file for each kind of plant
and the matching ledger beside it; each loads, assesses and imports (issue 12, item 3). With
``--lang en`` the file is English throughout (comments, names, intervals), the same ids and
codes; the Chinese file is the one it always was (issue 13)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tanjiliang.assess.engine import assess
from tanjiliang.cli.app import app
from tanjiliang.i18n import catalogue
from tanjiliang.ledger.excel import read_changes
from tanjiliang.ledger.starters import CONTEXT, SECTORS, starter_messages, starter_text
from tanjiliang.model.load import load_unit

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")

#: SHA-256 of the Chinese file ``init --sector S`` wrote before the English starters (commit
#: 5dc21d4): the Chinese file stays byte for byte what it was.
ZH_SHA256 = {
    "power": "5fc65efb27a42bc62d4c96191ef584335a7956de06337dec07ed159c212d5089",
    "cement": "ac049f3c935fedc255e5998565bed9b50ce0111b4628f1a941831dc8dc990299",
    "steel": "9f9d6f2e390b95b772c6739be2ef63ad641e20cae393d2da67deb3ea44ce2156",
    "chemical": "2e817c30c63fcb966646a4ea1e3166c9fc381c0962da45cae747646b85c30c1f",
    "glass": "11b67567036334ccd1830525ef8c3f4399eed54187b3c056c353d455b9b5ece2",
    "lime": "a18dec96b043c628d02037bbf5d48b2ceb2ed15e03820fa62c4f326db0ea81eb",
    "aluminium": "35ffb762ccb62fd7e250654560cef1240957af42df2ab04af1bf2334692147a5",
    "heat": "c2ca8e4f6c539d1917be022fe81ed6feeb36632f3e13255ea95e0e487832c5a2",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sector", SECTORS)
def test_init_writes_a_unit_file_and_ledger_that_load_and_check(tmp_path: Path, sector: str,
                                                                lang: str) -> None:
    out = tmp_path / "plant.yaml"
    r = CliRunner().invoke(app, ["init", "--sector", sector, "-o", str(out), "--lang", lang])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    if lang == "zh":
        assert text.startswith("# ") and "# 次级单位" in text and "# 计量器具台账" in text  # commented in Chinese
        assert hashlib.sha256(out.read_bytes()).hexdigest() == ZH_SHA256[sector]  # as it always was
    else:
        assert text.startswith("# ") and "# Sub-units" in text and "# Instrument ledger" in text
        assert not CJK.findall(text), sorted(set(CJK.findall(text)))  # no Chinese at all
    unit = load_unit(out)
    assert unit.instruments and unit.source_streams and unit.management is not None
    result = assess(unit, as_of=date(2025, 12, 31))
    assert result.instruments
    book = tmp_path / ("plant-台账.xlsx" if lang == "zh" else "plant-ledger.xlsx")
    assert book.exists()
    cs, _ = read_changes(unit, book)  # the ledger template is the unit's own ledger
    assert cs.empty and not cs.absent and len(cs.unchanged) == len(unit.instruments)
    cells = {str(c.value) for ws in openpyxl.load_workbook(book).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None}
    assert {i.name for i in unit.instruments} <= cells  # the ledger carries the file's names
    r = CliRunner().invoke(app, ["check", str(out), "--as-of", "2025-12-31", "--lang", lang])
    assert r.exit_code in (0, 1), r.output


@pytest.mark.parametrize("sector", SECTORS)
def test_english_starter_is_the_chinese_one_in_other_words(sector: str, tmp_path: Path) -> None:
    """The same ids, codes and amounts in both languages: the two assess alike, finding for
    finding and tonne for tonne (an English role still names the responsible person)."""
    zh, en = (tmp_path / "zh.yaml", tmp_path / "en.yaml")
    zh.write_text(starter_text(sector), encoding="utf-8")
    en.write_text(starter_text(sector, lang="en"), encoding="utf-8")
    a, b = load_unit(zh), load_unit(en)
    for part in ("subunits", "equipment", "source_streams", "instruments"):
        assert [x.id for x in getattr(a, part)] == [x.id for x in getattr(b, part)]
        assert all(x.name != y.name for x, y in zip(getattr(a, part), getattr(b, part), strict=True))
    assert [i.interval for i in a.instruments] != [i.interval for i in b.instruments]  # 1 年 → 12 months
    ra, rb = (assess(u, as_of=date(2025, 12, 31)) for u in (a, b))
    assert sorted((f.code, f.subject) for f in ra.findings) == sorted((f.code, f.subject) for f in rb.findings)
    assert ra.conclusion == rb.conclusion
    assert rb.total_tco2e == pytest.approx(ra.total_tco2e, rel=1e-12)  # 8000 万Nm3 = 80000000 Nm3
    assert [(i.id, i.calibration_status, i.interval_months, i.accuracy_ok) for i in ra.instruments] \
        == [(i.id, i.calibration_status, i.interval_months, i.accuracy_ok) for i in rb.instruments]


def test_every_starter_word_has_its_english() -> None:
    """Each Chinese text of the starters has an English entry of its own in the catalogue
    (context ``starter``): a word added to a starter without one fails here by name."""
    english = catalogue("en")
    missing = [m for m in sorted(starter_messages()) if english.pgettext(CONTEXT, m) == m]
    assert not missing, missing


def test_init_does_not_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "plant.yaml"
    out.write_text("mine", encoding="utf-8")
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out)])
    assert r.exit_code == 2 and out.read_text(encoding="utf-8") == "mine"
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out), "--force"])
    assert r.exit_code == 0, r.output
    assert load_unit(out).equipment[1].name == "2号燃气锅炉"


def test_init_in_english_names_its_ledger_in_english(tmp_path: Path) -> None:
    # an English user meets no Chinese file name they did not write (issue 13)
    out = tmp_path / "plant.yaml"
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "plant-ledger.xlsx").exists() and not (tmp_path / "plant-台账.xlsx").exists()
    assert "台账" not in r.output, r.output


@pytest.mark.parametrize("sector", ["power", "cement"])
def test_init_writes_json_that_checks_like_the_yaml(tmp_path: Path, sector: str) -> None:
    """``-o plant.json`` (s9 probe finding 10: it was refused, "单位文件须为 .yaml"): the same
    unit as JSON, no comments, and ``check`` gives it the assessment it gives the YAML file."""
    import json

    (tmp_path / "j").mkdir()
    (tmp_path / "y").mkdir()
    as_json, as_yaml = tmp_path / "j" / "plant.json", tmp_path / "y" / "plant.yaml"
    said = []
    for out in (as_json, as_yaml):
        r = CliRunner().invoke(app, ["init", "--sector", sector, "-o", str(out)])
        assert r.exit_code == 0, r.output
        said.append("JSON 文件不能含注释" in r.output)
    assert said == [True, False]  # the JSON one says where the guidance is
    data = json.loads(as_json.read_text(encoding="utf-8"))  # plain JSON: no comments
    assert data["format"] == "tanjiliang/unit@1" and data["unit"]["sector"]
    assert (tmp_path / "j" / "plant-台账.xlsx").exists()
    assert load_unit(as_json).model_dump() == load_unit(as_yaml).model_dump()
    reports = []
    for out in (as_json, as_yaml):
        r = CliRunner().invoke(app, ["check", str(out), "--as-of", "2025-12-31", "--format", "json"])
        assert r.exit_code in (0, 1), r.output
        reports.append(json.loads(r.stdout))
    assert reports[0] == reports[1]


def test_init_json_says_where_the_guidance_is(tmp_path: Path) -> None:
    out = tmp_path / "plant.json"
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "JSON has no comments" in r.output and "-o plant.yaml" in r.output
    assert not CJK.search(r.output), r.output


def test_init_refuses_another_suffix_saying_which_work(tmp_path: Path) -> None:
    out = tmp_path / "plant.toml"
    r = CliRunner().invoke(app, ["init", "--sector", "heat", "-o", str(out), "--lang", "en"])
    assert r.exit_code == 2 and "must be .yaml, .yml or .json" in r.output
    assert not list(tmp_path.iterdir())
