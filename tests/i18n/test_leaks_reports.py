"""Issue 13 "nothing leaks", reports and command line: every report (HTML, the PDF's text
through pdftotext, the XLSX cells) and the text output of every command, for every example,
in Chinese without Latin words the user did not write and in English without Chinese the user
did not write (allowlists in leaks.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from leaks import UserWords, html_text, leaks, report
from typer.testing import CliRunner

from tanjiliang.assess.engine import assess
from tanjiliang.cli.app import app
from tanjiliang.model.load import load_unit
from tanjiliang.reports import write_report
from tanjiliang.rules.load import load_pack

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*/unit.yaml"))
AS_OF = "2025-12-31"
LANGS = ("zh", "en")


def _ids(p: Path) -> str:
    return p.parent.name


@pytest.fixture(scope="module", params=EXAMPLES, ids=_ids)
def example(request, tmp_path_factory):
    from datetime import date

    path: Path = request.param
    unit = load_unit(path)
    loaded = load_pack(unit.pack)
    a = assess(unit, loaded, date.fromisoformat(AS_OF))
    out = tmp_path_factory.mktemp(path.parent.name)
    return path, unit, loaded, a, out


@pytest.mark.parametrize("lang", LANGS)
def test_reports_do_not_leak(example, lang):
    path, unit, loaded, a, out = example
    words = UserWords.of_unit(path)
    found: list[str] = []
    html = write_report(a, unit, out / f"r.{lang}.html", lang, loaded.pack)
    found += report("html", leaks(html_text(html.read_text(encoding="utf-8")), lang, words))
    wb = openpyxl.load_workbook(write_report(a, unit, out / f"r.{lang}.xlsx", lang, loaded.pack))
    for ws in wb.worksheets:
        cells = [ws.title] + [str(c.value) for row in ws.iter_rows() for c in row
                              if c.value is not None and not isinstance(c.value, (int, float))]
        found += report(f"xlsx[{ws.title}]", leaks("\n".join(cells), lang, words))
    if lang != "zh" and path.parent.name != "cement":
        # the PDF is the HTML page printed: in English one example is enough (time)
        assert not found, "\n".join(sorted(set(found)))
        return
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: install poppler-utils (make system)"
    pdf = write_report(a, unit, out / f"r.{lang}.pdf", lang, loaded.pack)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    text = re.sub(r"(?<=[A-Za-z0-9])-\s+(?=[a-z])", "-", text)  # a word wrapped at its hyphen
    found += report("pdf", leaks(text, lang, words))
    assert not found, "\n".join(sorted(set(found)))
    # no mostly blank page (issue 13 §7): every page carries at least 1 % ink at 30 dpi
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-r", "30", "-png", str(pdf),
                    str(out / f"ink-{lang}")], check=True)
    from PIL import Image

    inks = []
    for png in sorted(out.glob(f"ink-{lang}-*.png")):
        im = Image.open(png).convert("L")
        inks.append(sum(im.histogram()[:200]) / (im.size[0] * im.size[1]))
    assert all(x >= 0.01 for x in inks), [f"{x:.1%}" for x in inks]
    assert not found, "\n".join(sorted(set(found)))


def _commands(path: Path, out: Path, lang: str) -> list[list[str]]:
    f = str(path)
    return [
        ["check", f, "--as-of", AS_OF, "--lang", lang],
        ["diagram", f, "-o", str(out / f"d.{lang}.svg"), "--lang", lang],
        ["packs", "list", "--lang", lang],
        ["packs", "show", load_unit(path).pack, "--lang", lang],
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_command_output_does_not_leak(example, lang):
    path, _unit, _loaded, _a, out = example
    from tanjiliang.rules.load import bundled_pack_names

    # what one types on this command line: paths and the packs' names (``--pack <name>``)
    words = UserWords.of_unit(path).add([str(out), str(path), str(out / f"d.{lang}.svg"),
                                         *bundled_pack_names()])
    found: list[str] = []
    for args in _commands(path, out, lang):
        r = CliRunner().invoke(app, args)
        assert r.exit_code in (0, 1), (args, r.output)
        found += report(" ".join(args[:2]), leaks(r.output, lang, words))
    svg = out / f"d.{lang}.svg"
    if svg.exists():
        found += report("diagram.svg", leaks(html_text(svg.read_text(encoding="utf-8")), lang, words))
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.parametrize("lang", LANGS)
def test_every_bundled_pack_is_shown_in_words(lang):
    """``packs show`` of every bundled pack (not only those the examples use): titles, clauses,
    notes and status words in one language (issue 13 §4)."""
    from tanjiliang.rules.load import bundled_pack_names

    words = UserWords().add(bundled_pack_names())
    found: list[str] = []
    for name in bundled_pack_names():
        r = CliRunner().invoke(app, ["packs", "show", name, "--lang", lang])
        assert r.exit_code == 0, r.output
        found += report(f"packs show {name}", leaks(r.output, lang, words))
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.parametrize("lang", LANGS)
def test_init_and_its_check_do_not_leak(lang, tmp_path):
    """``init --lang`` says what it wrote in one language, and the starter it writes is checked
    in that language without a word of the other. The starter's names are the program's words,
    not the user's: in English none of them may be Chinese (the file's own text is checked in
    tests/ledger/test_init.py)."""
    from tanjiliang.ledger.starters import SECTORS

    found: list[str] = []
    for sector in SECTORS:
        out = tmp_path / sector / "plant.yaml"
        out.parent.mkdir()
        words = UserWords().add([str(out.parent), str(out), "tanjiliang check"])
        r = CliRunner().invoke(app, ["init", "--sector", sector, "-o", str(out), "--lang", lang])
        assert r.exit_code == 0, r.output
        found += report(f"init {sector}", leaks(r.output, lang, words))
        # Chinese: the file's ids and codes are what a Chinese page may show in Latin letters
        words = UserWords.of_unit(out) if lang == "zh" else UserWords()
        words.add([str(out.parent), str(out)])
        r = CliRunner().invoke(app, ["check", str(out), "--as-of", AS_OF, "--lang", lang])
        assert r.exit_code in (0, 1), r.output
        found += report(f"check {sector}", leaks(r.output, lang, words))
    assert not found, "\n".join(sorted(set(found)))
