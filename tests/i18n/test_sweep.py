"""The catalogue sweep of issue 13 converts pairs mechanically (run on a copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanjiliang.cli.localise import split
from tanjiliang.i18n import sweep


def test_template_pairs_become_translate_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    web = tmp_path / "web"
    (web / "templates").mkdir(parents=True)
    page = web / "templates" / "p.html"
    page.write_text('{% extends "base.html" %}\n<h1>{% t "计量器具" "Instruments" %}</h1>'
                    '<p>{% t \'配备率 %\' "Rate %" %}</p>', encoding="utf-8")
    monkeypatch.setattr(sweep, "WEB", web)
    monkeypatch.setattr(sweep, "WEB_LOCALE", web / "locale")
    n, cat = sweep.convert_templates()
    text = page.read_text(encoding="utf-8")
    assert n == 2 and "{% t " not in text
    assert text.startswith('{% extends "base.html" %}\n{% load i18n %}')
    assert '{% translate "计量器具" %}' in text
    assert cat.get("计量器具").string == "Instruments"
    assert cat.get("配备率 %%").string == "Rate %%"  # Django looks literals up with % doubled


def test_help_pairs_split() -> None:
    assert split("unit file (YAML or JSON) 单位文件") == ("单位文件", "unit file (YAML or JSON)")
    assert split("启动网页应用 / Run the web application.") == ("启动网页应用", "Run the web application.")
    assert split("overwrite existing files") == ("覆盖已有文件", "overwrite existing files")


def test_python_shapes_move_to_the_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babel.messages.catalog import Catalog

    (tmp_path / "words.py").write_text(
        'A = pairs("a", {"x": ("甲", "Alpha"), 2: {"zh": "乙", "en": "Beta"}})\n'
        'ROWS = (("丙", "Gamma", len), ("丁", "Delta", str))\n'
        'def f(r):\n'
        '    _msg(r, "已保存 {n}", "saved {n}", n=1)\n'
        '    _msg(r, "甲", "A")\n', encoding="utf-8")
    monkeypatch.setattr(sweep, "PKG", tmp_path)
    monkeypatch.setattr(sweep, "TABLES", {"words.py": [("A", "a"), ("ROWS", "rows")]})
    core, web = Catalog(locale="en"), Catalog(locale="en")
    web.add("甲", "First")
    assert sweep.convert_tables(core) == 4
    assert sweep.convert_calls(web, {"words.py": (("_msg",), None)}) == 2
    text = (tmp_path / "words.py").read_text(encoding="utf-8")
    assert 'A = pairs("a", {"x": "甲", 2: "乙"})' in text
    assert 'ROWS = (("丙", len), ("丁", str))' in text
    assert '_msg(r, "已保存 {n}", n=1)' in text
    assert '_msg(r, "甲", context="A")' in text  # 甲 is "First" elsewhere: the English is the context
    assert core.get("乙", context="a:2").string == "Beta"
    assert core.get("丙", context="rows:丙").string == "Gamma"
    assert web.get("已保存 {n}").string == "saved {n}"
    assert web.get("甲", context="A").string == "A"


def test_view_conditionals_become_gettext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babel.messages.catalog import Catalog

    view = tmp_path / "v.py"
    view.write_text('from django.http import (\n    HttpResponse,\n)\nfrom django.views import View\n\n'
                    'def v(request, lang):\n'
                    '    a = "已保存" if lang == "zh" else "saved"\n'
                    '    b = "甲" if lang_of(request) == "zh" else "A"\n', encoding="utf-8")
    monkeypatch.setattr(sweep, "PKG", tmp_path)
    cat = Catalog(locale="en")
    cat.add("甲", "First")
    assert sweep.convert_conditionals(cat, ("v.py",)) == 2
    text = view.read_text(encoding="utf-8")
    assert 'a = gettext("已保存")' in text and 'b = pgettext("A", "甲")' in text
    assert "    HttpResponse,\n)\nfrom django.utils.translation import gettext, pgettext\n" \
           "from django.views import View\n" in text
    assert cat.get("已保存").string == "saved" and cat.get("甲", context="A").string == "A"
