"""The catalogue sweep (issue 13): converts the inline language pairs into gettext messages and
rebuilds the catalogues, mechanically, so that it can be run again whenever pairs were added.

``python -m tanjiliang.i18n.sweep`` (``--check`` only reports what it would change):

* Django templates under ``tanjiliang/web``: ``{% t "中文" "English" %}`` becomes
  ``{% translate "中文" %}`` (with ``context "…"`` when the same Chinese has two English
  renderings) and the pair goes into ``web/locale/<lang>/LC_MESSAGES/django.po``;
  ``{% load i18n %}`` is added where needed.
* Tables of words in Python listed in ``TABLES`` (``"key": ("中文", "English")`` entries,
  nested tables too): the entry becomes ``"key": "中文"`` and the English goes into
  ``tanjiliang/i18n/locale/en/LC_MESSAGES/tanjiliang.po`` with the context
  ``<prefix>:<key path>``; the table is read through :func:`tanjiliang.i18n.pairs`.
* Every ``.po`` file is written sorted and compiled to ``.mo`` (Babel), so a fresh machine needs
  no gettext tools.

Chinese is the source language (msgid); a catalogue per further language holds the
translations. ``--add-language xx`` creates empty catalogues for a new language.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PKG = Path(__file__).resolve().parents[1]  # src/tanjiliang
WEB = PKG / "web"
WEB_LOCALE = WEB / "locale"
CORE_LOCALE = PKG / "i18n" / "locale"

_STR = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
TAG = re.compile(r"\{%\s*t\s+" + _STR + r"\s+" + _STR + r"\s*%\}")
TRANSLATE_CTX = re.compile(r"\{%\s*translate\s+" + _STR + r"\s+context\s+" + _STR + r"\s*%\}")
TRANSLATE_PLAIN = re.compile(r"\{%\s*translate\s+" + _STR + r"\s*%\}")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
LOAD_I18N = re.compile(r"\{%\s*load\s[^%]*\bi18n\b[^%]*%\}")
EXTENDS = re.compile(r"\{%\s*extends\s[^%]*%\}\s*\n?")

#: Python tables of words whose ``"key": ("中文", "English")`` entries move to the catalogue:
#: file (relative to the package) → (table name, context prefix).
TABLES: dict[str, list[tuple[str, str]]] = {
    "reports/i18n.py": [("TEXT", "report")],
    "assess/labels.py": [("LABELS", "label")],
    "web/core/templatetags/tj.py": [("WORDS", "word"), ("FIGURES", "figure")],
    "ledger/catalogue.py": [("LEVELS", "ledger.level"), ("DERIVED", "ledger.column")],
    "review/model.py": [("LABELS", "review")],
    "plan/words.py": [("WORDS", "plan"), ("PARTS", "plan.part"), ("TITLES", "plan.source"),
                      ("CLAUSES", "plan.clause")],
    "kpi/indicators.py": [("NAMES", "kpi"), ("REASONS", "kpi.reason")],
    "cli/localise.py": [("PAIRS", "cli")],
    "reports/pack_text.py": [("TEXTS", "packtext")],
    "model/names.py": [("ENUM_LABELS", "enum"), ("PLACES", "place")],
    "month/close.py": [("CHECK_WORDS", "month.check"), ("STATUS_WORDS", "month.status")],
    "month/export.py": [("POWER_ITEMS", "month.export"), ("LAB_ITEMS", "month.lab"),
                        ("WORDS", "month.export.word")],
    "web/month/reminders.py": [("DUE_WORDS", "reminder.due"), ("TEXT", "reminder")],
    "web/core/forms.py": [("SECTION_LABELS", "section"), ("EXTRA_WORDS", "form.value")],
    "web/core/security.py": [("_KIND_WORDS", "upload")],
    "cli/kpi.py": [("WORDS", "cli.kpi")],
    "web/month/views.py": [("WORDS", "month.web")],
    "cli/review.py": [("WORDS", "cli.review")],
    "ledger/changes.py": [("TEXT", "ledger.change")],
    "ledger/words.py": [("WORDS", "ledger.report")],
    "cli/ledger.py": [("WORDS", "cli.ledger")],
    "cli/demo.py": [("WORDS", "cli.demo")],
    "cli/packs.py": [("_KINDS", "cli.packs.kind"), ("LIST_HEADS", "cli.packs.head")],
    "cli/month.py": [("STATUS_HEADS", "cli.month.head")],
    "cli/check.py": [("AFTER_KINDS", "cli.check.after")],
    "month/batch.py": [("STATUS_WORDS", "month.batch.status")],
    "month/lab.py": [("WORDS", "month.lab.param"), ("FLAG_WORDS", "month.lab.flag"),
                     ("WEIGHTING", "month.lab.weighting")],
}

#: Tables written ``"English": "中文"`` because the English is the program's own text (help
#: texts written in English only, click's and Typer's words): their source stays as it is; each
#: entry goes to the catalogue as ``中文`` → ``English`` with the context ``<prefix>:<English>``,
#: so that a further language's catalogue lists it to be translated.
REVERSED: dict[str, list[tuple[str, str]]] = {
    "cli/localise.py": [("ZH", "cli"), ("CLICK_ZH", "click")],
}

#: Python files of the web app whose messages are written ``fn(…, "中文", "English", …)``: the
#: English argument goes to the web catalogue (``django.po``), the call keeps its Chinese and
#: ``fn`` translates it with Django's ``gettext`` (file → names of the functions).
CALLS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "web/review/views.py": (("_msg", "_do"), None),
}

#: Django views whose words are written ``"中文" if lang == "zh" else "English"``: the
#: conditional becomes ``gettext("中文")`` (Django's, the request's language being active) with
#: the English in the web catalogue (``pgettext("English", "中文")`` when the catalogue already
#: translates that Chinese otherwise).
WEB_CONDITIONALS = ("web/core/views/units.py", "web/core/views/wizard.py",
                    "web/core/views/other.py", "web/core/views/ledger.py")
# f-string pairs there become ``gettext("中文 {0}").format(x)`` (a str.format template).

#: The same for messages of the core (``tanjiliang.po``), each file's with one context:
#: file → (names of the functions or exception classes, context).
CORE_CALLS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "review/workflow.py": (("ReviewError", "Forbidden", "Frozen", "StateError", "Incomplete"),
                           "review.error"),
    "web/review/store.py": (("StateError",), "review.error"),
    "cli/data.py": (("t",), "cli.data"),
    "cli/check.py": (("t",), "cli.check"),
}

#: Files of :data:`CORE_CALLS` whose function takes a ``context=`` keyword: a Chinese text the
#: file's context already translates otherwise gets the context ``<context>:<English>``.
CONTEXT_KEYWORD = ("cli/data.py", "cli/check.py")

#: Core modules (the command line) whose words are written ``"中文" if zh else "English"``
#: (``zh`` assigned in the enclosing function as ``lang == "zh"``, ``lang is Lang.zh`` or
#: ``lang.value == "zh"``; or the comparison written in the test itself): the conditional
#: becomes ``gettext("中文", lang, "<context>")`` (:func:`tanjiliang.i18n.gettext`, so a further
#: language's catalogue is read), the English goes to ``tanjiliang.po`` with that context
#: (``<context>:<English>`` when the file's context already translates the Chinese otherwise).
#: file → context.
CORE_CONDITIONALS: dict[str, str] = {
    "cli/serve.py": "cli.serve",
    "cli/remind.py": "cli.remind",
    "cli/init.py": "cli.init",
    "cli/month.py": "cli.month",
    "cli/data.py": "cli.data",
    "cli/check.py": "cli.check",
    "cli/packs.py": "cli.packs",
    "cli/province.py": "cli.province",
    "cli/audit.py": "cli.audit",
    "cli/safety.py": "cli.safety",
    "plan/budget.py": "plan.budget",
    "units/registry.py": "units",
    "cli/plan.py": "cli.plan",
    "web/core/forms.py": "web.form",
    "web/core/security.py": "web.security",
    "web/review/summaries.py": "web.summaries",
    "web/core/integrations.py": "web.integrations",
    "web/review/audit_views.py": "web.audit",
}


def _unquote(s: str) -> str:
    return str(ast.literal_eval(s))


def _quote(s: str, q: str = '"') -> str:
    return q + s.replace("\\", "\\\\").replace(q, "\\" + q) + q


# ---------------------------------------------------------------------------- catalogues
def _load(path: Path, locale: str, domain: str) -> Catalog:
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=locale, domain=domain)
    cat = Catalog(locale=locale, domain=domain, project="tanjiliang", charset="utf-8")
    return cat


def _save(cat: Catalog, po: Path, fallback: Catalog | None = None) -> None:
    """Write ``cat`` (sorted) and compile it. With ``fallback`` (the English catalogue), a
    message the ``.po`` leaves untranslated is compiled with its English, so that a partly
    translated language shows English rather than Chinese there (Django and gettext fall back
    to the msgid, which is Chinese)."""
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as f:
        write_po(f, cat, width=100, sort_output=True, omit_header=False, no_location=True)
    compiled = cat
    if fallback is not None:
        compiled = Catalog(locale=cat.locale, domain=cat.domain, charset="utf-8")
        for m in cat:
            if not m.id:
                continue
            english = fallback.get(m.id, context=m.context)
            text = m.string or (english.string if english is not None else "")
            if text and not m.fuzzy:
                compiled.add(m.id, text, context=m.context)
    with po.with_suffix(".mo").open("wb") as f:
        write_mo(f, compiled, use_fuzzy=False)


def _langs(root: Path) -> list[str]:
    langs = sorted(p.name for p in root.iterdir() if (p / "LC_MESSAGES").is_dir()) \
        if root.is_dir() else []
    return langs or ["en"]


# ---------------------------------------------------------------------------- templates
def _django_pairs(templates: list[Path]) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = defaultdict(set)
    for path in templates:
        for m in TAG.finditer(path.read_text(encoding="utf-8")):
            pairs[_unquote(m.group(1))].add(_unquote(m.group(2)))
    return pairs


def convert_templates(check: bool = False) -> tuple[int, Catalog]:
    """Convert every ``{% t %}`` pair of the web templates; returns (tags converted, the
    English catalogue updated)."""
    templates = sorted(p for p in WEB.rglob("*.html") if "locale" not in p.parts)
    po = WEB_LOCALE / "en" / "LC_MESSAGES" / "django.po"
    cat = _load(po, "en", "django")
    known: dict[str, str] = {str(m.id): str(m.string) for m in cat if m.id and not m.context}
    pairs = _django_pairs(templates)
    n = 0
    for path in templates:
        text = path.read_text(encoding="utf-8")

        def repl(m: re.Match[str]) -> str:
            zh, en = _unquote(m.group(1)), _unquote(m.group(2))
            others = pairs[zh] | ({known[zh]} if zh in known else set())
            if len(others) > 1 and known.get(zh) != en:
                cat.add(zh, en, context=en)
                return f"{{% translate {_quote(zh)} context {_quote(en)} %}}"
            cat.add(zh, en)
            known[zh] = en
            return f"{{% translate {_quote(zh)} %}}"

        new, count = TAG.subn(repl, text)
        # {% translate "中文" context "English" %} written directly: the context is the English
        for m in TRANSLATE_CTX.finditer(new):
            zh, en = _unquote(m.group(1)), _unquote(m.group(2))
            if cat.get(zh, context=en) is None:
                cat.add(zh, en, context=en)
        # Django looks a template literal up with its "%" doubled (django.template.base.Variable)
        for m in (*TRANSLATE_PLAIN.finditer(new), *TRANSLATE_CTX.finditer(new)):
            zh = _unquote(m.group(1))
            ctx = _unquote(m.group(2)) if m.re is TRANSLATE_CTX else None
            if "%" in zh and cat.get(zh.replace("%", "%%"), context=ctx) is None:
                src = cat.get(zh, context=ctx)
                if src is not None and src.string:
                    cat.add(zh.replace("%", "%%"), str(src.string).replace("%", "%%"), context=ctx)
        for m in TRANSLATE_PLAIN.finditer(new):
            zh = _unquote(m.group(1))
            if cat.get(zh) is None and _CJK_RE.search(zh):
                print(f"untranslated in {path.relative_to(PKG)}: {zh}", file=sys.stderr)
        if count and not LOAD_I18N.search(new):
            ext = EXTENDS.search(new)
            at = ext.end() if ext and ext.start() == new.find("{%") else 0
            new = new[:at] + "{% load i18n %}\n" + new[at:]
        if count:
            n += count
            if not check:
                path.write_text(new, encoding="utf-8")
    return n, cat


# ---------------------------------------------------------------------------- python tables
def _table_node(tree: ast.Module, name: str) -> ast.Dict | ast.Tuple | ast.List | None:
    for node in tree.body:
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            while isinstance(value, ast.Call):  # cast("…", pairs("prefix", {…}))
                value = next((a for a in value.args
                              if isinstance(a, (ast.Dict, ast.Call, ast.Tuple, ast.List))), None)
            return value if isinstance(value, (ast.Dict, ast.Tuple, ast.List)) else None
    return None


def _strings(nodes: Sequence[ast.expr | None]) -> list[str] | None:
    if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in nodes):
        return [str(e.value) for e in nodes]  # type: ignore[union-attr]
    return None


def _as_pair(v: ast.expr) -> tuple[str, str] | None:
    """``("中文", "English")`` or ``{"zh": "中文", "en": "English"}``: the pair, else None."""
    if isinstance(v, ast.Tuple) and len(v.elts) == 2:
        texts = _strings(list(v.elts))
        if texts:
            return texts[0], texts[1]
    if isinstance(v, ast.Dict) and len(v.keys) == 2 and _strings(v.keys) == ["zh", "en"]:
        texts = _strings(list(v.values))
        if texts:
            return texts[0], texts[1]
    return None


def _pair_entries(d: ast.Dict, path: tuple[str, ...]
                  ) -> list[tuple[tuple[str, ...], ast.expr, tuple[str, str]]]:
    """The pairs of a table (keys are strings or numbers; nested tables too)."""
    out: list[tuple[tuple[str, ...], ast.expr, tuple[str, str]]] = []
    for k, v in zip(d.keys, d.values, strict=True):
        if not (isinstance(k, ast.Constant) and isinstance(k.value, (str, int))):
            continue
        pair = _as_pair(v)
        if pair is not None:
            out.append(((*path, str(k.value)), v, pair))
        elif isinstance(v, ast.Dict):
            out += _pair_entries(v, (*path, str(k.value)))
    return out


def _tuple_entries(node: ast.Tuple | ast.List
                   ) -> list[tuple[tuple[str, ...], ast.expr, tuple[str, str]]]:
    """Rows ``("中文", "English", …)`` of a tuple or list of rows: the English is dropped and
    the context is the Chinese (``<prefix>:中文``)."""
    out: list[tuple[tuple[str, ...], ast.expr, tuple[str, str]]] = []
    for row in node.elts:
        if isinstance(row, ast.Tuple) and len(row.elts) > 2:
            texts = _strings(row.elts[:2])
            if texts and _CJK_RE.search(texts[0]) and not _CJK_RE.search(texts[1]):
                out.append(((texts[0],), row.elts[1], (texts[0], texts[1])))
    return out


def _line_starts(source: bytes) -> list[int]:
    """Byte offset of each line (``ast`` positions are a line and a UTF-8 byte column)."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _apply(path: Path, source: bytes, edits: list[tuple[int, int, bytes]], check: bool) -> int:
    """Replace each byte range ``(a, b)`` of ``source`` by its text and write the file."""
    for a, b, text in sorted(edits, reverse=True):
        source = source[:a] + text + source[b:]
    if edits and not check:
        path.write_bytes(source)
    return len(edits)


def convert_tables(cat: Catalog, check: bool = False) -> int:
    """Move ``"key": ("中文", "English")`` entries of the listed tables to the catalogue (the
    entry keeps its Chinese; the English goes in with the context ``<prefix>:<key path>``).
    Entries may also be written ``{"zh": "中文", "en": "English"}``, keys may be numbers, and a
    table may be a tuple of rows ``("中文", "English", …)`` (the English is dropped from the
    row; context ``<prefix>:<中文>``)."""
    n = 0
    for rel, tables in TABLES.items():
        path = PKG / rel
        if not path.exists():
            continue
        source = path.read_bytes()
        tree = ast.parse(source)
        edits: list[tuple[int, int, bytes]] = []
        starts = _line_starts(source)

        def at(line: int | None, col: int | None, starts: list[int] = starts) -> int:
            return starts[(line or 1) - 1] + (col or 0)

        for name, prefix in tables:
            node = _table_node(tree, name)
            if node is None:
                continue
            if isinstance(node, ast.Dict):
                for keys, value, (zh, en) in _pair_entries(node, ()):
                    cat.add(zh, en, context=f"{prefix}:{'.'.join(keys)}")
                    edits.append((at(value.lineno, value.col_offset),
                                  at(value.end_lineno, value.end_col_offset),
                                  _quote(zh).encode("utf-8")))
                continue
            for keys, english, (zh, en) in _tuple_entries(node):
                cat.add(zh, en, context=f"{prefix}:{'.'.join(keys)}")
                row = next(r for r in node.elts if isinstance(r, ast.Tuple) and english in r.elts)
                first = row.elts[0]
                edits.append((at(first.end_lineno, first.end_col_offset),
                              at(english.end_lineno, english.end_col_offset), b""))
        n += _apply(path, source, edits, check)
    return n


def harvest_reversed(cat: Catalog) -> int:
    """Put the entries of the :data:`REVERSED` tables in the catalogue."""
    n = 0
    for rel, tables in REVERSED.items():
        path = PKG / rel
        if not path.exists():
            continue
        tree = ast.parse(path.read_bytes())
        for name, prefix in tables:
            node = _table_node(tree, name)
            if not isinstance(node, ast.Dict):
                continue
            for k, v in zip(node.keys, node.values, strict=True):
                texts = _strings([k, v])
                if texts and _CJK_RE.search(texts[1]):
                    en, zh = texts
                    if cat.get(zh, context=f"{prefix}:{en}") is None:
                        n += 1
                    cat.add(zh, en, context=f"{prefix}:{en}")
    return n


def _call_pairs(tree: ast.AST, names: tuple[str, ...]
                ) -> list[tuple[ast.Constant, ast.Constant, bool]]:
    """``fn(…, "中文", "English", …)`` calls of ``names``: the two string arguments, and
    whether the English is the last positional argument."""
    out: list[tuple[ast.Constant, ast.Constant, bool]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else None
        if name not in names:
            continue
        for a, b in zip(node.args, node.args[1:], strict=False):
            texts = _strings([a, b])
            if texts and _CJK_RE.search(texts[0]) and not _CJK_RE.search(texts[1]):
                out.append((a, b, b is node.args[-1]))  # type: ignore[arg-type]
    return out


def convert_calls(cat: Catalog, calls: dict[str, tuple[tuple[str, ...], str | None]],
                  check: bool = False) -> int:
    """Drop the English argument of the message calls listed in ``calls`` (:data:`CALLS`: the
    web catalogue; :data:`CORE_CALLS`: the core one, with each file's context); the English goes
    to ``cat``. In the web's files a Chinese text the catalogue already translates otherwise
    keeps its English as the message's context (``fn(…, "中文", context="English")``), as the
    templates' ``{% translate "中文" context "English" %}``; elsewhere it is reported."""
    n = 0
    for rel, (names, context) in calls.items():
        path = PKG / rel
        if not path.exists():
            continue
        source = path.read_bytes()
        starts = _line_starts(source)
        edits: list[tuple[int, int, bytes]] = []
        for zh_node, en_node, last in _call_pairs(ast.parse(source), names):
            zh, en = str(zh_node.value), str(en_node.value)
            a = starts[(zh_node.end_lineno or 1) - 1] + (zh_node.end_col_offset or 0)
            b = starts[(en_node.end_lineno or 1) - 1] + (en_node.end_col_offset or 0)
            known = cat.get(zh, context=context)
            if known is None or not known.string or known.string == en:
                cat.add(zh, en, context=context)
                edits.append((a, b, b""))
            elif last and context is None:
                cat.add(zh, en, context=en)
                edits.append((a, b, f", context={_quote(en)}".encode()))
            elif last and rel in CONTEXT_KEYWORD:
                cat.add(zh, en, context=f"{context}:{en}")
                edits.append((a, b, f", context={_quote(f'{context}:{en}')}".encode()))
            else:
                print(f"{rel}: {zh!r} is already {known.string!r}, not {en!r}", file=sys.stderr)
        n += _apply(path, source, edits, check)
    return n


def _is_lang_zh(test: ast.expr) -> bool:
    """``lang == "zh"`` or ``lang_of(request) == "zh"``."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq) and _strings(list(test.comparators)) == ["zh"]):
        return False
    left = test.left
    return (isinstance(left, ast.Name) and left.id == "lang") or (
        isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "lang_of")


def _in_fstring(tree: ast.AST, node: ast.AST) -> bool:
    """Whether ``node`` stands inside an f-string (its quotes could not be reused there)."""
    return any(isinstance(f, ast.JoinedStr) and any(n is node for n in ast.walk(f))
               for f in ast.walk(tree))


def convert_conditionals(cat: Catalog, files: tuple[str, ...], check: bool = False) -> int:
    """``"中文" if lang == "zh" else "English"`` in the Django views ``files`` becomes
    ``gettext("中文")``; the English goes to the web catalogue."""
    n = 0
    for rel in files:
        path = PKG / rel
        if not path.exists():
            continue
        source = path.read_bytes()
        starts = _line_starts(source)
        edits: list[tuple[int, int, bytes]] = []
        used: set[str] = set()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.IfExp) and _is_lang_zh(node.test)):
                continue
            texts = _strings([node.body, node.orelse])
            args: list[str] = []
            if texts is None:  # f-strings: str.format templates (not inside another f-string)
                a = _template(node.body, source.decode("utf-8"), args)
                b = _template(node.orelse, source.decode("utf-8"), args)
                texts = [a, b] if a is not None and b is not None and args \
                    and not _in_fstring(tree, node) else None
            if not (texts and _CJK_RE.search(texts[0]) and not _CJK_RE.search(texts[1])):
                continue
            zh, en = texts
            known = cat.get(zh)
            if known is None or not known.string or known.string == en:
                cat.add(zh, en)
                call, fn = f"gettext({_quote(zh)})", "gettext"
            else:
                cat.add(zh, en, context=en)
                call, fn = f"pgettext({_quote(en)}, {_quote(zh)})", "pgettext"
            if args:
                call += f".format({', '.join(args)})"
            used.add(fn)
            edits.append((starts[node.lineno - 1] + node.col_offset,
                          starts[(node.end_lineno or 1) - 1] + (node.end_col_offset or 0),
                          call.encode()))
        for a, b, t in sorted(edits, reverse=True):
            source = source[:a] + t + source[b:]
        if edits:
            source = _import_django(source.decode("utf-8"), used).encode("utf-8")
        if edits and not check:
            path.write_bytes(source)
        n += len(edits)
    return n


def _lang_of_test(test: ast.expr, source: str) -> str | None:
    """The language expression a ``zh`` test compares: ``X`` of ``X == "zh"``,
    ``X is Lang.zh``; else None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    right = test.comparators[0]
    if (isinstance(test.ops[0], ast.Eq) and _strings([right]) == ["zh"]) or (
            isinstance(test.ops[0], ast.Is) and isinstance(right, ast.Attribute)
            and right.attr == "zh"):
        return ast.get_source_segment(source, test.left)
    return None


def _template(node: ast.expr, source: str, args: list[str]) -> str | None:
    """A string or f-string as a ``str.format`` template, each placeholder numbered by its
    expression's place in ``args`` (extended); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if not isinstance(node, ast.JoinedStr):
        return None
    out = ""
    for v in node.values:
        if isinstance(v, ast.Constant):
            out += str(v.value).replace("{", "{{").replace("}", "}}")
            continue
        if not isinstance(v, ast.FormattedValue):
            return None
        expr = ast.get_source_segment(source, v.value)
        if expr is None:
            return None
        if expr not in args:
            args.append(expr)
        conv = f"!{chr(v.conversion)}" if v.conversion != -1 else ""
        spec = _template(v.format_spec, source, []) if v.format_spec is not None else ""
        if spec is None or "{" in spec:
            return None
        out += "{" + str(args.index(expr)) + conv + (f":{spec}" if spec else "") + "}"
    return out


Conditional = tuple[ast.IfExp, str, str, str, str, list[str]]


def _core_conditionals(tree: ast.AST, source: str) -> list[Conditional]:
    """``"中文" if zh else "English"`` (or ``if lang == "zh"``; f-strings too, as ``str.format``
    templates with their expressions as arguments) with the expression naming the language
    there (from the enclosing function's ``zh = …``) and the quote to write strings with
    (``'`` inside an f-string written with ``"``): (node, lang, quote, zh, en, arguments)."""
    out: list[Conditional] = []
    source_lines = source.splitlines()

    def visit(node: ast.AST, zh: str | None, quote: str = '"') -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "zh" for t in sub.targets):
                    zh = _lang_of_test(sub.value, source) or zh
                    break
        if isinstance(node, ast.IfExp):
            args: list[str] = []
            texts = _strings([node.body, node.orelse])
            if texts is None and quote == '"':
                a, b = _template(node.body, source, args), _template(node.orelse, source, args)
                texts = [a, b] if a is not None and b is not None and args else None
            if texts and _CJK_RE.search(texts[0]) and not _CJK_RE.search(texts[1]):
                lang = _lang_of_test(node.test, source)
                if lang is None and isinstance(node.test, ast.Name) and node.test.id == "zh":
                    lang = zh
                if lang is not None:
                    out.append((node, lang, quote, texts[0], texts[1], args))
        if isinstance(node, ast.JoinedStr):  # Python 3.11: no quote of the f-string inside it
            opening = source_lines[node.lineno - 1].encode()[node.col_offset:].decode()
            quote = "'" if opening.lstrip("rRfFbB")[:1] == '"' else '"'
        for child in ast.iter_child_nodes(node):
            visit(child, zh, quote)

    visit(tree, None)
    return out


def convert_core_conditionals(cat: Catalog, files: dict[str, str], check: bool = False) -> int:
    """:data:`CORE_CONDITIONALS`: each conditional becomes ``gettext("中文", lang, context)``
    (``gettext("中文 {0}", lang, context).format(x)`` for f-strings) with the English in ``cat``
    (the import of :func:`tanjiliang.i18n.gettext` is added)."""
    n = 0
    for rel, context in files.items():
        path = PKG / rel
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        source = text.encode("utf-8")
        starts = _line_starts(source)
        edits: list[tuple[int, int, bytes]] = []
        for node, lang, q, zh, en, args in _core_conditionals(ast.parse(source), text):
            known = cat.get(zh, context=context)
            ctx = context if known is None or not known.string or known.string == en \
                else f"{context}:{en}"
            cat.add(zh, en, context=ctx)
            call = f"gettext({_quote(zh, q)}, {lang}, {_quote(ctx, q)})"
            if args:
                call += f".format({', '.join(args)})"
            edits.append((starts[node.lineno - 1] + node.col_offset,
                          starts[(node.end_lineno or 1) - 1] + (node.end_col_offset or 0),
                          call.encode()))
        for a, b, t in sorted(edits, reverse=True):
            source = source[:a] + t + source[b:]
        if edits:
            source = _import_core(source.decode("utf-8")).encode("utf-8")
        if edits and not check:
            path.write_bytes(source)
        n += len(edits)
    return n


def convert_template_calls(cat: Catalog, files: dict[str, tuple[tuple[str, ...], str | None]],
                           check: bool = False) -> int:
    """In the files of :data:`CONTEXT_KEYWORD`, ``t(f"中文 {x}", f"English {x}")`` becomes
    ``t("中文 {0}").format(x)`` (the English template in ``cat`` under the file's context, or
    ``<context>:<English>`` on a clash, passed as ``context=``)."""
    n = 0
    for rel, (names, context) in files.items():
        path = PKG / rel
        if rel not in CONTEXT_KEYWORD or not path.exists() or context is None:
            continue
        text = path.read_text(encoding="utf-8")
        source = text.encode("utf-8")
        starts = _line_starts(source)
        edits: list[tuple[int, int, bytes]] = []
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in names and len(node.args) == 2 and not node.keywords
                    and any(isinstance(a, ast.JoinedStr) for a in node.args)):
                continue
            args: list[str] = []
            zh, en = (_template(a, text, args) for a in node.args)
            if zh is None or en is None or not _CJK_RE.search(zh) or _CJK_RE.search(en):
                continue
            known = cat.get(zh, context=context)
            ctx = context if known is None or not known.string or known.string == en \
                else f"{context}:{en}"
            cat.add(zh, en, context=ctx)
            call = f"{node.func.id}({_quote(zh)}" + (
                f", context={_quote(ctx)})" if ctx != context else ")")
            call += f".format({', '.join(args)})"
            edits.append((starts[node.lineno - 1] + node.col_offset,
                          starts[(node.end_lineno or 1) - 1] + (node.end_col_offset or 0),
                          call.encode()))
        n += _apply(path, source, edits, check)
    return n


def _import_core(text: str) -> str:
    """``text`` importing :func:`tanjiliang.i18n.gettext` (at module level)."""
    have = re.search(r"^from tanjiliang\.i18n import (.+)$", text, re.M)
    if have:
        names = {x.strip() for x in have.group(1).split(",")} | {"gettext"}
        line = f"from tanjiliang.i18n import {', '.join(sorted(names))}"
        return text[:have.start()] + line + text[have.end():]
    tree = ast.parse(text)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    ours = [n for n in imports if isinstance(n, ast.ImportFrom)
            and (n.module or "").startswith("tanjiliang")]
    after = [n for n in ours if (n.module or "") > "tanjiliang.i18n"]
    lines = text.splitlines(keepends=True)
    if after:
        at = after[0].lineno - 1
    elif ours:
        at = ours[-1].end_lineno or 0
    else:
        at = (imports[-1].end_lineno or 0) if imports else 0
        lines.insert(at, "\n")
        at += 1
    lines.insert(at, "from tanjiliang.i18n import gettext\n")
    return "".join(lines)


def _import_django(text: str, names: set[str]) -> str:
    """``text`` importing ``names`` from ``django.utils.translation`` too."""
    have = re.search(r"^from django\.utils\.translation import (.+)$", text, re.M)
    if have:
        names = names | {x.strip() for x in have.group(1).split(",")}
    line = f"from django.utils.translation import {', '.join(sorted(names))}"
    if have:
        return text[:have.start()] + line + text[have.end():]
    imports = [n for n in ast.parse(text).body if isinstance(n, ast.ImportFrom)
               and (n.module or "").startswith("django")]
    lines = text.splitlines(keepends=True)
    after = [n for n in imports if (n.module or "") > "django.utils.translation"]
    at = after[0].lineno - 1 if after else (imports[-1].end_lineno or 0) if imports else 0
    return "".join([*lines[:at], line + "\n", *lines[at:]])


# ---------------------------------------------------------------------------- django python
#: Python files of the web app whose ``"中文 / English"`` labels (model and app names, the
#: admin's titles) become ``_("中文")`` (gettext_lazy) with the English in the catalogue.
DJANGO_PY = ("web/core/models.py", "web/core/apps.py", "web/review/apps.py", "web/urls.py",
             "web/core/admin.py", "web/review/models.py")
_SLASHED = re.compile(r'"([^"]*[\u4e00-\u9fff][^"]*?) / ([A-Za-z][^"]*)"')
_LAZY = "from django.utils.translation import gettext_lazy as _\n"


def convert_django_python(cat: Catalog, check: bool = False) -> int:
    n = 0
    for rel in DJANGO_PY:
        path = PKG / rel
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")

        def repl(m: re.Match[str]) -> str:
            cat.add(m.group(1), m.group(2))
            return f"_({_quote(m.group(1))})"

        new, count = _SLASHED.subn(repl, text)
        if count and _LAZY not in new:
            lines = new.splitlines(keepends=True)
            at = max((i for i, line in enumerate(lines) if line.startswith(("from ", "import "))),
                     default=0)
            lines.insert(at + 1, _LAZY)
            new = "".join(lines)
        n += count
        if count and not check:
            path.write_text(new, encoding="utf-8")
    return n


def sweep(check: bool = False, only: tuple[str, ...] = ()) -> dict[str, int]:
    """Convert and compile everything; with ``only`` (files relative to the package) convert
    the pairs of those Python files alone (templates untouched), e.g. one table per commit."""
    global TABLES, CALLS, CORE_CALLS, CORE_CONDITIONALS
    tables, calls, core_calls, core_ifs = TABLES, CALLS, CORE_CALLS, CORE_CONDITIONALS
    if only:
        TABLES = {k: v for k, v in tables.items() if k in only}
        CALLS = {k: v for k, v in calls.items() if k in only}
        CORE_CALLS = {k: v for k, v in core_calls.items() if k in only}
        CORE_CONDITIONALS = {k: v for k, v in core_ifs.items() if k in only}
    try:
        n_tags, web_cat = convert_templates(check=True) if only else convert_templates(check)
        if only:
            web_cat = _load(WEB_LOCALE / "en" / "LC_MESSAGES" / "django.po", "en", "django")
            n_tags = n_py = 0
        else:
            n_py = convert_django_python(web_cat, check)
        n_calls = convert_calls(web_cat, CALLS, check)
        core_po = CORE_LOCALE / "en" / "LC_MESSAGES" / "tanjiliang.po"
        core_cat = _load(core_po, "en", "tanjiliang")
        n_rows = convert_tables(core_cat, check)
        n_calls += convert_calls(core_cat, CORE_CALLS, check)
        n_calls += convert_template_calls(core_cat, CORE_CALLS, check)
        n_calls += convert_core_conditionals(core_cat, CORE_CONDITIONALS, check)
        n_calls += convert_conditionals(
            web_cat, tuple(f for f in WEB_CONDITIONALS if not only or f in only), check)
        if not only or any(rel in only for rel in REVERSED):
            harvest_reversed(core_cat)
    finally:
        TABLES, CALLS, CORE_CALLS, CORE_CONDITIONALS = tables, calls, core_calls, core_ifs
    if not check:
        compile_catalogues(web_cat, core_cat)
    return {"template pairs": n_tags, "web labels": n_py, "messages": n_calls,
            "table pairs": n_rows}


def compile_catalogues(web_cat: Catalog | None = None, core_cat: Catalog | None = None) -> None:
    """Write every catalogue sorted and compile it (``.mo``); a further language's catalogue
    gains the messages of the English one it lacks (to be translated)."""
    for root, domain, english in ((WEB_LOCALE, "django", web_cat),
                                  (CORE_LOCALE, "tanjiliang", core_cat)):
        en_po = root / "en" / "LC_MESSAGES" / f"{domain}.po"
        english = english if english is not None else _load(en_po, "en", domain)
        _save(english, en_po)
        for lang in _langs(root):
            po = root / lang / "LC_MESSAGES" / f"{domain}.po"
            if po.exists() and lang != "en" and not lang.startswith("zh"):
                _save(_merged(_load(po, lang, domain), english), po, fallback=english)


def _merged(cat: Catalog, english: Catalog) -> Catalog:
    """``cat`` (a further language) with every message of the English catalogue it lacks, to
    be translated (an untranslated message falls back to the English)."""
    for m in english:
        if m.id and cat.get(m.id, context=m.context) is None:
            cat.add(m.id, "", context=m.context)
    return cat


def add_language(lang: str) -> None:
    """Empty catalogues of ``lang`` holding every message (translate the ``.po`` files)."""
    for root, domain in ((WEB_LOCALE, "django"), (CORE_LOCALE, "tanjiliang")):
        src = _load(root / "en" / "LC_MESSAGES" / f"{domain}.po", "en", domain)
        new = Catalog(locale=lang, domain=domain, project="tanjiliang", charset="utf-8")
        for m in src:
            if m.id:
                new.add(m.id, "", context=m.context)
        _save(new, root / lang / "LC_MESSAGES" / f"{domain}.po", fallback=src)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="report, change nothing")
    ap.add_argument("--add-language", metavar="LANG")
    ap.add_argument("--only", nargs="+", default=(), metavar="FILE",
                    help="convert the pairs of these Python files only (relative to the package)")
    ap.add_argument("--compile", action="store_true",
                    help="only write and compile the catalogues (after translating a .po file)")
    args = ap.parse_args(argv)
    if args.compile:
        compile_catalogues()
        return 0
    if args.add_language:
        add_language(args.add_language)
        return 0
    counts = sweep(args.check, tuple(args.only))
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 1 if args.check and any(counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
