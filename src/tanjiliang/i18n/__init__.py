"""Message catalogues (issue 13): Chinese is the source language, every other language is a
gettext catalogue.

Texts are written in Chinese where they are used (templates, tables of words); the English
(and any further language) lives in ``locale/<lang>/LC_MESSAGES/tanjiliang.po`` beside this
module, compiled to ``.mo`` and committed so that a fresh machine works offline. The Django
app has its own catalogue (``tanjiliang/web/locale``, domain ``django``). Adding a language is
adding a catalogue: ``python -m tanjiliang.i18n.sweep --add-language fr`` and translating the
``.po`` file. Both catalogues are kept up to date mechanically by :mod:`tanjiliang.i18n.sweep`,
which also converts the older inline pairs (``{% t "中文" "English" %}``, ``("中文", "English")``).

A message may carry a context (``msgctxt``): the key of the table it comes from
(``report:col.name``, ``label:class.major``), so that one Chinese word can have two English
renderings.
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

SOURCE = "zh"
#: The environment variable that is every command's ``--lang`` default (and the language of
#: ``--help``): ``TANJILIANG_LANG=en``. An explicit ``--lang`` wins.
LANG_ENV = "TANJILIANG_LANG"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "tanjiliang"


def languages() -> tuple[str, ...]:
    """The languages there are catalogues for, Chinese first."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()) \
        if LOCALE_DIR.is_dir() else []
    return (SOURCE, *[x for x in found if x != SOURCE])


@cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (the identity for Chinese or an unknown language)."""
    if lang == SOURCE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(text: str, lang: str, context: str | None = None) -> str:
    """``text`` (Chinese) in ``lang``; with ``context`` the message of that context, falling
    back to the context-free one."""
    if lang == SOURCE or not text:
        return text
    cat = catalogue(lang)
    if context is not None:
        out = cat.pgettext(context, text)
        if out != text:
            return out
    return cat.gettext(text)


def cli_lang(argv: list[str] | None = None) -> str:
    """The command line's language: ``--lang xx`` on the command line, else
    ``TANJILIANG_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when it names
    a language there is a catalogue for; Chinese by default."""
    argv = sys.argv[1:] if argv is None else argv
    known = languages()
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in known:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in known:
            return arg[7:]
    env = os.environ.get(LANG_ENV)
    if env in known:
        return str(env)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code and code not in ("c", "posix"):
            return code if code in known else SOURCE
    return SOURCE


Pair = tuple[str, str]


def pairs(prefix: str, table: Mapping[Any, object], _path: tuple[str, ...] = ()
          ) -> dict[Any, object]:
    """A table of words written in Chinese (``{"key": "中文"}``, nested tables allowed) as the
    ``(中文, English)`` pairs older callers read, the English from the catalogue (context
    ``prefix:key.path``). Entries still written as pairs are kept as they are."""
    out: dict[Any, object] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out[key] = pairs(prefix, value, (*_path, str(key)))
        elif isinstance(value, str):
            ctx = f"{prefix}:{'.'.join((*_path, str(key)))}"
            out[key] = (value, gettext(value, "en", ctx))
        else:
            out[key] = value
    return out


def pick(pair: Pair, lang: str, context: str | None = None) -> str:
    """One side of a ``(中文, English)`` pair, or the catalogue's text in a further language."""
    zh, en = pair
    if lang == SOURCE:
        return zh
    if lang == "en":
        return en
    out = gettext(zh, lang, context)
    return out if out != zh else en


def time_zone() -> str:
    """The configured zone for times shown to people (``TANJILIANG_TIME_ZONE``, default
    Asia/Shanghai; the web app's ``TIME_ZONE`` reads the same variable)."""
    return os.environ.get("TANJILIANG_TIME_ZONE") or "Asia/Shanghai"


def local_time(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` in the configured zone (a naive value is taken as UTC, as stored)."""
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(time_zone())).strftime(fmt)
