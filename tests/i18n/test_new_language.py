"""Issue 13: adding a language is adding a catalogue. ``sweep --add-language fr`` into a copy of
the locale folders, one word translated in the ``.po`` file, the sweep compiles it, and the
word appears where the code asks for French; an untranslated message falls back to English."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

import tanjiliang.i18n as i18n
from tanjiliang.cli.localise import click_word, pick_help
from tanjiliang.i18n import sweep
from tanjiliang.plan.words import component_label, w
from tanjiliang.review.model import label


def _translate(po: Path, lang: str, words: dict[tuple[str, str | None], str]) -> None:
    with po.open("rb") as f:
        cat = read_po(f, locale=lang)
    for (msgid, ctx), text in words.items():
        message = cat.get(msgid, context=ctx)
        assert message is not None, (msgid, ctx)
        message.string = text
    with po.open("wb") as f:
        write_po(f, cat, width=100, sort_output=True)


@pytest.fixture
def french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    core, web = tmp_path / "core", tmp_path / "web"
    shutil.copytree(sweep.CORE_LOCALE / "en", core / "en")
    shutil.copytree(sweep.WEB_LOCALE / "en", web / "en")
    monkeypatch.setattr(sweep, "CORE_LOCALE", core)
    monkeypatch.setattr(sweep, "WEB_LOCALE", web)
    monkeypatch.setattr(i18n, "LOCALE_DIR", core)
    i18n.catalogue.cache_clear()
    assert sweep.main(["--add-language", "fr"]) == 0
    yield core
    i18n.catalogue.cache_clear()


def test_a_new_language_is_a_catalogue(french: Path) -> None:
    po = french / "fr" / "LC_MESSAGES" / "tanjiliang.po"
    assert po.exists() and (french.parent / "web" / "fr" / "LC_MESSAGES" / "django.po").exists()
    assert i18n.languages() == ("zh", "en", "fr")
    assert i18n.cli_lang(["check", "--lang", "fr"]) == "fr"
    _translate(po, "fr", {("碳价", "plan:price"): "prix du carbone",
                          ("已签发", "review:signed"): "signée",
                          ("低位发热量", "plan.part:ncv"): "PCI",
                          ("用法：", "click:Usage: "): "Utilisation : ",
                          ("单位文件", "cli:unit file"): "fichier de l'unité"})
    assert sweep.main(["--compile"]) == 0  # the .mo files
    i18n.catalogue.cache_clear()
    assert w("price", "fr") == "prix du carbone"
    assert w("price", "zh") == "碳价" and w("price", "en") == "carbon price"
    assert w("pack", "fr") == "pack"  # not yet translated: the English
    assert label("signed", "fr") == "signée"
    assert component_label("ncv.reproducibility", "fr") == "PCI · reproducibility"
    assert click_word("Usage: ", "fr") == "Utilisation : "
    assert pick_help("unit file", "fr") == "fichier de l'unité"


def test_a_new_language_on_the_web(french: Path) -> None:
    """The web app offers a language as soon as its Django catalogue is compiled: ``?lang=fr``
    activates it, Django's gettext reads it, an untranslated text falls back to English."""
    from django.http import HttpResponse
    from django.test import RequestFactory, override_settings
    from django.utils import translation
    from django.utils.translation import trans_real

    from tanjiliang.web.core.i18n import LanguageMiddleware, languages

    web = french.parent / "web"
    _translate(web / "fr" / "LC_MESSAGES" / "django.po", "fr", {("请选择文件", None): "choisissez un fichier"})
    assert sweep.main(["--compile"]) == 0
    seen: dict[str, str] = {}

    def view(request: object) -> HttpResponse:
        seen["lang"] = request.lang  # type: ignore[attr-defined]
        seen["word"] = translation.gettext("请选择文件")
        seen["other"] = translation.gettext("已导入")
        return HttpResponse("")

    with override_settings(LOCALE_PATHS=[web]):
        trans_real._translations = {}
        try:
            assert languages() == ("zh", "en", "fr")
            response = LanguageMiddleware(view)(RequestFactory().get("/?lang=fr"))
        finally:
            translation.deactivate()
            trans_real._translations = {}
    assert seen == {"lang": "fr", "word": "choisissez un fichier", "other": "imported"}
    assert response.headers["Content-Language"] == "fr"
