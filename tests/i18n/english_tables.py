"""The English of every table of words converted from inline zh/en pairs to the catalogue
(issue 13, deliverable 1), read through the tables' own accessors.

``python tests/i18n/english_tables.py > tests/i18n/fixtures/english_before.json`` was run on the
code *before* the conversion (a table converted later: ``--tables NAME …`` captures it alone) (the pairs written inline); ``test_english_unchanged.py`` compares
what the same accessors give now, the English coming from the catalogue, with that fixture.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

PKG = Path(__file__).resolve().parents[2] / "src" / "tanjiliang"
_CJK = re.compile(r"[\u4e00-\u9fff]")

#: Python files whose messages are written as ``call(…, "中文", "English", …)`` pairs.
MESSAGE_FILES = ("web/review/views.py", "web/month/views.py", "web/month/reminders.py",
                 "kpi/indicators.py", "month/export.py", "cli/kpi.py", "review/workflow.py",
                 "web/review/store.py")


def _pair(value: Any) -> list[str]:
    zh, en = value
    return [str(zh), str(en)]


def tables() -> dict[str, dict[str, list[str]]]:
    """table → key → [zh, en], read through each table's accessors."""
    import importlib

    from tanjiliang.cli.localise import PAIRS, split

    indicators = importlib.import_module("tanjiliang.kpi.indicators")
    from tanjiliang.ledger import catalogue as cat
    from tanjiliang.model import names
    from tanjiliang.month import close, export
    from tanjiliang.plan import words as plan
    from tanjiliang.review import model as review
    from tanjiliang.web.month import reminders

    out: dict[str, dict[str, list[str]]] = {}
    out["names.ENUM_LABELS"] = {f"{kind}.{code}": _pair(p) for kind, table in
                                names.ENUM_LABELS.items() for code, p in table.items()}
    out["names.place_entries"] = {e.code: [e.zh, e.en] for e in names.place_entries(None)}
    out["ledger.columns"] = {f"{sheet}.{c.field}": [c.zh, c.en] for sheet, cols in
                             (("instruments", cat.READ_COLUMNS),
                              ("confirmations", cat.CONFIRMATION_COLUMNS)) for c in cols}
    for name in ("STATUS", "KIND", "RESULT", "LEVELS"):
        out[f"ledger.{name}"] = {str(k): _pair(p) for k, p in getattr(cat, name).items()}
    out["review.LABELS"] = {k: [review.label(k, "zh"), review.label(k, "en")]
                            for k in review.LABELS}
    out["plan.WORDS"] = {k: [plan.w(k, "zh"), plan.w(k, "en")] for k in plan.WORDS}
    out["plan.PARTS"] = {k: _pair(p) for k, p in plan.PARTS.items()}
    out["plan.component_label"] = {
        k: [plan.component_label(k, "zh"), plan.component_label(k, "en")]
        for k in ("oot.W-01", "ncv.reproducibility", "activity", "emission_factor.library",
                  "carbon_content.sampling.unknown")}
    out["kpi.NAMES"] = {k: _pair(p) for k, p in indicators.NAMES.items()}
    out["month.CHECK_WORDS"] = {k: _pair(p) for k, p in close.CHECK_WORDS.items()}
    out["month.STATUS_WORDS"] = {k: _pair(p) for k, p in close.STATUS_WORDS.items()}
    out["month.POWER_ITEMS"] = {str(i): [item[0], _power_en(item)]
                                for i, item in enumerate(export.POWER_ITEMS)}
    out["month.LAB_ITEMS"] = {k: _pair(p) for k, p in export.LAB_ITEMS.items()}
    out["month.export.WORDS"] = {k: _pair(p) for k, p in export.WORDS.items()}
    out["reminders.DUE_WORDS"] = {k: _pair(p) for k, p in reminders.DUE_WORDS.items()}
    out["localise.PAIRS"] = {k: list(split(k)) for k in PAIRS}
    out["ledger.ChangeSet.lines"] = _change_lines()
    from tanjiliang.assess.labels import LABELS
    from tanjiliang.reports import i18n as report_words
    from tanjiliang.reports.pack_text import TEXTS

    out["assess.LABELS"] = {f"{g}.{k}": _pair(p) for g, t in LABELS.items() for k, p in t.items()}
    out["reports.TEXT"] = {k: _pair(p) for k, p in report_words.TEXT.items()}
    out["reports.SOURCES"] = {k: _pair(p) for k, p in report_words.SOURCES.items()}
    out["pack_text.TEXTS"] = {k: _pair(p) for k, p in TEXTS.items()}
    from tanjiliang.web.core import forms, security  # Django is set up (conftest, __main__)

    out["forms.SECTION_LABELS"] = {k: _pair(p) for k, p in forms.SECTION_LABELS.items()}
    out["forms.EXTRA_WORDS"] = {k: _pair(p) for k, p in forms.EXTRA_WORDS.items()}
    out["security.KIND_WORDS"] = {k: _pair(p) for k, p in security._KIND_WORDS.items()}
    from tanjiliang.cli import packs
    from tanjiliang.month import batch

    out["packs.KINDS"] = {k: _pair(p) for k, p in packs._KINDS.items()}
    out["packs.LIST_HEADS"] = {k: _pair(p) for k, p in packs.LIST_HEADS.items()}
    from tanjiliang.cli import month as cli_month

    out["cli.month.STATUS_HEADS"] = {k: _pair(p) for k, p in cli_month.STATUS_HEADS.items()}
    from tanjiliang.cli import check

    out["check.AFTER_KINDS"] = {k: _pair(p) for k, p in check.AFTER_KINDS.items()}
    out["month.batch.STATUS_WORDS"] = {k: _pair(p) for k, p in batch.STATUS_WORDS.items()}
    from tanjiliang.month import lab

    out["month.lab.flag_text"] = {k: [lab.flag_text(k, "zh"), lab.flag_text(k, "en")]
                                  for k in lab.FLAG_WORDS}
    out["month.lab.lab_word"] = {k: [lab.lab_word(k, "zh"), lab.lab_word(k, "en")]
                                 for k in (*lab.WORDS, "other")}
    params = [{"name": name, "source": "lab", "value": 21.5, "unit": "GJ/t",
               "lab": {"results": 3, "weighting": how}}
              for name, how in (("ncv", "quantity"), ("carbon_content", "mean"),
                                ("ncv", "single"))]
    data = {"streams": [{"name": "原煤", "parameters": params}]}
    out["month.lab.lab_lines"] = {
        str(i): [a, b] for i, (a, b) in enumerate(zip(lab.lab_lines(data, "zh"),
                                                      lab.lab_lines(data, "en"), strict=True))}
    return out


def _change_lines() -> dict[str, list[str]]:
    """The lines of a change set with every kind of line, in both languages."""
    from tanjiliang.ledger.changes import Changed, ChangeSet, FieldChange

    cs = ChangeSet(added=[{"id": "F-9", "name": "流量计"}],
                   changed=[Changed(k, k, [FieldChange("serial", "1", "2")], {})
                            for k in ("id", "serial", "name_place")],
                   unchanged=["F-1"], absent=["F-7", "F-8"])
    zh, en = cs.lines("zh", removed=["F-8"]), cs.lines("en", removed=["F-8"])
    return {str(i): [a, b] for i, (a, b) in enumerate(zip(zh, en, strict=True))}


def _power_en(item: tuple[Any, ...]) -> str:
    if len(item) == 3:  # (zh, en, which): the pair as it was written before the conversion
        return str(item[1])
    from tanjiliang.i18n import gettext

    return gettext(str(item[0]), "en", "month.export:" + str(item[0]))


def _text(node: ast.expr) -> str | None:
    """A string literal, or an f-string with each placeholder written ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        out = ""
        for v in node.values:
            if isinstance(v, ast.Constant):
                out += str(v.value).replace("{", "{{").replace("}", "}}")
            else:
                out += "{}"
        return out
    return None


def _pairs_in(node: ast.AST) -> list[tuple[str, str]]:
    """Pairs written inline: consecutive arguments ``fn(…, "中文", "English")``, conditionals
    ``"中文" if zh else "English"`` and tuples ``("中文", "English")``."""
    if isinstance(node, ast.Call):
        texts = [_text(a) for a in node.args]
    elif isinstance(node, ast.IfExp):
        texts = [_text(node.body), _text(node.orelse)]
    elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
        texts = [_text(e) for e in node.elts]
    else:
        return []
    return [(a, b) for a, b in itertools.pairwise(texts)
            if a and b is not None and _CJK.search(a) and not _CJK.search(b)]


#: Files whose ``"中文" if zh else "English"`` conditionals and ``t("中文", "English")`` pickers
#: the sweep converts (``sweep.CORE_CONDITIONALS``, ``WEB_CONDITIONALS``): captured, before each
#: file's conversion, by ``python tests/i18n/english_tables.py --conditionals FILE …`` into the
#: fixture (merged, the other entries kept), keyed ``中文|English`` (one Chinese word may have two
#: English renderings in one file).
CONDITIONAL_FILES = ("cli/serve.py", "cli/remind.py", "cli/init.py", "cli/month.py",
                     "cli/data.py", "cli/check.py", "cli/packs.py", "web/core/views/ledger.py",
                     "cli/province.py", "cli/audit.py", "cli/safety.py", "plan/budget.py",
                     "units/registry.py", "cli/plan.py", "web/core/forms.py",
                     "web/core/security.py", "web/review/summaries.py",
                     "web/core/integrations.py", "web/review/audit_views.py",
                     "web/core/views/units.py", "web/core/views/wizard.py")


def conditionals(rel: str) -> dict[str, list[str]]:
    """``中文|English`` → [zh, en] of every conditional and ``t(…)`` pair written in ``rel``."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse((PKG / rel).read_text(encoding="utf-8"))):
        if isinstance(node, ast.IfExp):
            nodes = [node.body, node.orelse]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "t" and len(node.args) == 2):
            nodes = list(node.args)
        else:
            continue
        if all(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in nodes):
            a, b = (str(n.value) for n in nodes)  # type: ignore[attr-defined]
        elif any(isinstance(n, ast.JoinedStr) for n in nodes):  # f-strings: placeholders {}
            a, b = (_text(n) for n in nodes)  # type: ignore[assignment]
            if a is None or b is None:
                continue
        else:
            continue
        if _CJK.search(a) and not _CJK.search(b):
            found[f"{a}|{b}"] = [a, b]
    return found


def messages() -> dict[str, dict[str, list[str]]]:
    """file → Chinese → [zh, en] of every pair written inline in :data:`MESSAGE_FILES`."""
    out: dict[str, dict[str, list[str]]] = {}
    for rel in MESSAGE_FILES:
        found: dict[str, list[str]] = {}
        for node in ast.walk(ast.parse((PKG / rel).read_text(encoding="utf-8"))):
            for a, b in _pairs_in(node):
                found[a] = [a, b]
        out[rel] = found
    return out


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings_test")
    import django

    django.setup()
    if sys.argv[1:2] == ["--tables"]:  # capture these tables alone, the others kept
        fixture = Path(__file__).parent / "fixtures" / "english_before.json"
        data = json.loads(fixture.read_text(encoding="utf-8"))
        now = tables()
        for name in sys.argv[2:]:
            data["tables"][name] = now[name]
        fixture.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                           encoding="utf-8")
        sys.exit(0)
    if sys.argv[1:2] == ["--conditionals"]:
        fixture = Path(__file__).parent / "fixtures" / "english_before.json"
        data = json.loads(fixture.read_text(encoding="utf-8"))
        for rel in sys.argv[2:]:  # added to what was captured before (files converted twice)
            data["messages"][rel] = {**data["messages"].get(rel, {}), **conditionals(rel)}
        fixture.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                           encoding="utf-8")
        sys.exit(0)
    json.dump({"tables": tables(), "messages": messages()}, sys.stdout, ensure_ascii=False,
              indent=1, sort_keys=True)
    sys.stdout.write("\n")
