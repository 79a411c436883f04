"""The HTML report: snapshot of the page (stable order, so snapshots don't churn), one
language per page, self-contained. Update the snapshots after an intended change with
``TANJILIANG_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/reports``."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from tanjiliang.assess.engine import assess
from tanjiliang.model.load import load_unit
from tanjiliang.reports import ReportFormatError, write_report
from tanjiliang.reports.context import build_context
from tanjiliang.reports.html import render_html
from tanjiliang.reports.i18n import TEXT
from tanjiliang.rules.load import load_pack
from unit_builders import AS_OF

ROOT = Path(__file__).parents[2]
SPEC = ROOT / "tests" / "data" / "spec-example.yaml"
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("TANJILIANG_UPDATE_SNAPSHOTS") == "1"
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def spec():
    unit = load_unit(SPEC)
    loaded = load_pack(unit.pack)
    return unit, loaded, assess(unit, loaded, AS_OF)


def normalise(page: str) -> str:
    """The page without what the snapshot does not judge: the style sheet, the diagram's
    drawing (tested in tests/diagram), the pack's content hash and the program version."""
    page = re.sub(r"<style>.*?</style>", "<style>…</style>", page, flags=re.S)
    page = re.sub(r'(<div class="diagram">).*?(</svg>)', r"\1<svg>diagram</svg>", page, flags=re.S)
    page = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", page)
    page = re.sub(r"tanjiliang \d+\.\d+\.\d+\S*", "tanjiliang <version>", page)
    return page


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}: run with TANJILIANG_UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "\n".join(list(difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                                   "snapshot", "now", lineterm=""))[:60])
        pytest.fail(f"{path.name} differs (TANJILIANG_UPDATE_SNAPSHOTS=1 to accept):\n{diff}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot_spec_example(spec, lang):
    unit, loaded, a = spec
    page = render_html(build_context(a, unit, loaded.pack, lang))
    check_snapshot(f"spec-example.{lang}.html", normalise(page))


def test_rendering_twice_gives_the_same_page(spec):
    unit, loaded, a = spec
    one = render_html(build_context(a, unit, loaded.pack, "zh"))
    two = render_html(build_context(assess(unit, loaded, AS_OF), unit, loaded.pack, "zh"))
    assert one == two  # the diagram included


def _user_strings(unit) -> list[str]:
    """Every text the user typed (names, activity strings, …): shown as entered in any language."""
    out: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)

    walk(unit.model_dump(mode="json"))
    return sorted({s for s in out if CJK.search(s)}, key=len, reverse=True)


def _page_text(page: str) -> str:
    return re.sub(r"<[^>]+>", "\n", page)


def test_english_page_has_no_chinese_but_what_the_user_typed(spec):
    unit, loaded, a = spec
    text = _page_text(render_html(build_context(a, unit, loaded.pack, "en")))
    for s in _user_strings(unit):
        text = text.replace(s, "")
    # quantities the user wrote with 万 (10⁴) keep their unit symbol, e.g. GJ/万Nm3
    text = re.sub(r"万Nm[3³]", "", text)
    leftover = sorted({line.strip() for line in text.splitlines() if CJK.search(line)})
    assert leftover == []


def test_chinese_page_has_no_english_fixed_words(spec):
    unit, loaded, a = spec
    text = _page_text(render_html(build_context(a, unit, loaded.pack, "zh")))
    english = {en for zh, en in TEXT.values() if zh != en and len(en) >= 8 and " " in en}
    assert sorted(w for w in english if w in text) == []


def test_self_contained(spec):
    unit, loaded, a = spec
    page = render_html(build_context(a, unit, loaded.pack, "zh"))
    assert "<script" not in page and "<link" not in page
    assert not re.search(r'(src|href)="(?!#)', page)  # only in-page anchors
    assert "<style>" in page and "<svg" in page
    assert "@import" not in page and "url(" not in page


def test_sections_and_numbers(spec):
    unit, loaded, a = spec
    ctx = build_context(a, unit, loaded.pack, "zh")
    page = render_html(ctx)
    for sec in ("summary", "diagram", "emissions", "rates", "points", "accuracy",
                "confirmation", "findings", "data"):
        assert f'<section id="{sec}"' in page
    assert a.pack_name in page and a.pack_version in page and a.as_of.isoformat() in page
    # every finding, with its clause, and every instrument appear
    for f in a.findings:
        assert f.code in page and f.clause in page
    for i in a.instruments:
        assert i.id in page
    # streams ordered by emissions, largest first, then the total
    rows = ctx.streams.rows
    values = [s.emissions_tco2e for s in sorted(a.streams, key=lambda s: (-s.emissions_tco2e, s.id))]
    assert [r[1] for r in rows[:-1]] == [f"{s.name} ({s.id})" for s in
                                         sorted(a.streams, key=lambda s: (-s.emissions_tco2e, s.id))]
    assert values == sorted(values, reverse=True)
    # the GB 17167-style rate table carries each row's equipped/required
    for r in a.rates:
        assert f"{r.equipped}/{r.required}" in page


def test_unknown_format(spec, tmp_path):
    unit, loaded, a = spec
    with pytest.raises(ReportFormatError) as err:
        write_report(a, unit, tmp_path / "report.docx", "zh", loaded.pack)
    assert "docx" in err.value.message("zh")
    assert not (tmp_path / "report.docx").exists()


def test_pack_resolved_from_the_assessment(spec, tmp_path):
    # without the pack, write_report loads it by name and accepts it by its hash
    unit, loaded, a = spec
    out = write_report(a, unit, tmp_path / "r.html", "zh")
    assert loaded.pack.title.zh in out.read_text(encoding="utf-8")
