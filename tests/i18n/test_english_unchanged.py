"""Issue 13, deliverable 1: the tables of words and the messages once written as inline zh/en
pairs now hold Chinese only, the English coming from the catalogue; the English is exactly what
the pairs gave (``fixtures/english_before.json``, captured from the code before the conversion
by ``english_tables.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import english_tables
import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from tanjiliang.i18n import LOCALE_DIR, gettext, sweep

HERE = Path(__file__).parent
BEFORE = json.loads((HERE / "fixtures" / "english_before.json").read_text(encoding="utf-8"))
CORE_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "tanjiliang.po"
WEB_PO = english_tables.PKG / "web" / "locale" / "en" / "LC_MESSAGES" / "django.po"

#: Files whose inline message pairs were converted: file → the catalogue ("web": Django's;
#: else ours, only the messages whose context starts with that prefix).
CONVERTED: dict[str, str] = {
    "web/review/views.py": "web",
    "kpi/indicators.py": "kpi",
    "month/export.py": "month.export",
    "web/month/reminders.py": "reminder",
    "cli/kpi.py": "cli.kpi",
    "review/workflow.py": "review.error",
    "web/review/store.py": "review.error",
    "web/month/views.py": "month.web",
    "cli/review.py": "cli.review",
    "cli/ledger.py": "cli.ledger",
    "cli/demo.py": "cli.demo",
    "web/core/views/units.py": "web",
    "web/core/views/wizard.py": "web",
    "web/core/views/other.py": "web",
}

#: Files whose conditionals ``"中文" if zh else "English"`` (and ``t("中文", "English")``
#: pickers) were converted (captured by ``english_tables.conditionals``): file → the context the
#: sweep gave them (``sweep.CORE_CONDITIONALS``, the ``t`` calls' ``CORE_CALLS``), or "web".
CONDITIONALS: dict[str, str] = {
    "cli/serve.py": "cli.serve",
    "cli/init.py": "cli.init",
    "web/core/views/ledger.py": "web",
    "cli/data.py": "cli.data",
    "cli/check.py": "cli.check",
    "cli/month.py": "cli.month",
    "cli/packs.py": "cli.packs",
    "cli/province.py": "cli.province",
    "cli/audit.py": "cli.audit",
    "cli/safety.py": "cli.safety",
    "cli/remind.py": "cli.remind",
    "plan/budget.py": "plan.budget",
    "units/registry.py": "units",
    "cli/plan.py": "cli.plan",
    "web/core/forms.py": "web.form",
    "web/core/security.py": "web.security",
    "web/review/summaries.py": "web.summaries",
    "web/core/integrations.py": "web.integrations",
    "web/review/audit_views.py": "web.audit",
    "web/core/views/units.py": "web",
    "web/core/views/wizard.py": "web",
}


@pytest.mark.parametrize("table", sorted(BEFORE["tables"]))
def test_table_english_unchanged(table: str) -> None:
    """Every entry captured before the conversion says the same (entries added since are new
    words, not changes)."""
    now, before = english_tables.tables()[table], BEFORE["tables"][table]
    if isinstance(before, dict) and isinstance(now, dict):
        now = {k: now.get(k) for k in before}
    assert now == before


def _shape(text: str) -> str:
    """A message with each placeholder (``{name}``, ``%(name)s``, ``{}``) written ``{}``."""
    text = text.replace("{{", "{").replace("}}", "}")
    return re.sub(r"%\([^)]*\)[sd]|\{[^{}]*\}", "{}", text)


def _catalogue(po: Path) -> dict[str, list[tuple[str, str | None]]]:
    with po.open("rb") as f:
        cat = read_po(f)
    out: dict[str, list[tuple[str, str | None]]] = {}
    for m in cat:
        if m.id and isinstance(m.id, str):
            out.setdefault(_shape(m.id), []).append((m.id, m.context))
    return out


@pytest.mark.parametrize("rel", sorted(CONVERTED))
def test_message_english_unchanged(rel: str) -> None:
    web = CONVERTED[rel] == "web"
    known = _catalogue(WEB_PO if web else CORE_PO)
    source = (english_tables.PKG / rel).read_text(encoding="utf-8")
    for zh, en in BEFORE["messages"][rel].values():
        found = known.get(_shape(zh), [])
        if web:  # the message's own: context-free, or the English as context (see the sweep)
            quoted = sweep._quote(en)
            own = en if f"pgettext({quoted}" in source or f"context={quoted}" in source else None
            found = [(msgid, ctx) for msgid, ctx in found if ctx == own]
        else:
            found = [(msgid, ctx) for msgid, ctx in found
                     if (ctx or "").startswith(CONVERTED[rel])]
        assert found, f"{rel}: {zh!r} is not in the catalogue"
        for msgid, ctx in found:
            if web:
                with translation.override("en"):
                    out = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
            else:
                out = gettext(msgid, "en", ctx)
            assert _shape(out) == _shape(en), (rel, zh, ctx)


@pytest.mark.parametrize("rel", sorted(CONDITIONALS))
def test_conditional_english_unchanged(rel: str) -> None:
    """Each converted conditional gives, in English, what its pair gave: under the file's
    context, or ``<context>:<English>`` where the file translates that Chinese otherwise (the
    web: context-free, or the English as context)."""
    context = CONDITIONALS[rel]
    known = _catalogue(WEB_PO if context == "web" else CORE_PO)
    for zh, en in BEFORE["messages"][rel].values():
        mine = [(m, c) for m, c in known.get(_shape(zh), [])
                if m == zh or "{}" in _shape(zh)]  # f-strings: the template
        if context == "web":
            with translation.override("en"):
                outs = [translation.pgettext(c, m) if c else translation.gettext(m)
                        for m, c in mine if c in (None, en)]
        else:
            own = [(m, c) for m, c in mine if c == context or _shape(c or "") == _shape(
                f"{context}:{en}")]
            outs = [gettext(m, "en", c) for m, c in own]
        assert _shape(en) in [_shape(o) for o in outs], (rel, zh, en, outs)
