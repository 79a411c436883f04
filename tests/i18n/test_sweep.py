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


def test_core_conditionals_become_gettext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Command-line conditionals and f-string pairs become ``gettext(…, lang, context)`` and
    ``str.format`` templates; the picker ``t("中文", "English")`` loses its English."""
    from babel.messages.catalog import Catalog

    (tmp_path / "cmd.py").write_text(
        'import typer\n\n\n'
        'def f(lang, n):\n'
        '    zh = lang == "zh"\n'
        '    a = "单位" if zh else "Units"\n'
        '    b = f"已发送 {n:,} 封" if zh else f"sent {n:,}"\n'
        '    c = f"x {\'单位\' if zh else \'unit\'}"\n'
        '    return a, b, c\n\n\n'
        'def g(lang, x):\n'
        '    def t(a, context="cli.t"):\n'
        '        return a\n'
        '    return t("甲", "A"), t(f"乙 {x}", f"B {x}")\n', encoding="utf-8")
    monkeypatch.setattr(sweep, "PKG", tmp_path)
    monkeypatch.setattr(sweep, "CONTEXT_KEYWORD", ("cmd.py",))
    cat = Catalog(locale="en")
    assert sweep.convert_core_conditionals(cat, {"cmd.py": "cli.x"}) == 3
    calls = {"cmd.py": (("t",), "cli.t")}
    assert sweep.convert_template_calls(cat, calls) == 1
    assert sweep.convert_calls(cat, calls) == 1
    text = (tmp_path / "cmd.py").read_text(encoding="utf-8")
    assert 'a = gettext("单位", lang, "cli.x")' in text
    assert 'b = gettext("已发送 {0:,} 封", lang, "cli.x").format(n)' in text
    assert "c = f\"x {gettext('单位', lang, 'cli.x:unit')}\"" in text  # Units elsewhere
    assert 't("甲"), t("乙 {0}").format(x)' in text
    assert "from tanjiliang.i18n import gettext\n" in text
    assert cat.get("单位", context="cli.x").string == "Units"
    assert cat.get("单位", context="cli.x:unit").string == "unit"
    assert cat.get("已发送 {0:,} 封", context="cli.x").string == "sent {0:,}"
    assert cat.get("乙 {0}", context="cli.t").string == "B {0}"
    compile(text, "cmd.py", "exec")
