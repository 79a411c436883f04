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
}


def _unquote(s: str) -> str:
    return str(ast.literal_eval(s))


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------- catalogues
def _load(path: Path, locale: str, domain: str) -> Catalog:
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=locale, domain=domain)
    cat = Catalog(locale=locale, domain=domain, project="tanjiliang", charset="utf-8")
    return cat


def _save(cat: Catalog, po: Path) -> None:
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as f:
        write_po(f, cat, width=100, sort_output=True, omit_header=False, no_location=True)
    with po.with_suffix(".mo").open("wb") as f:
        write_mo(f, cat, use_fuzzy=False)


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
def _table_node(tree: ast.Module, name: str) -> ast.Dict | None:
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
                value = next((a for a in value.args if isinstance(a, (ast.Dict, ast.Call))), None)
            return value if isinstance(value, ast.Dict) else None
    return None


def _pair_entries(d: ast.Dict, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], ast.Tuple]]:
    out: list[tuple[tuple[str, ...], ast.Tuple]] = []
    for k, v in zip(d.keys, d.values, strict=True):
        if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
            continue
        if isinstance(v, ast.Dict):
            out += _pair_entries(v, (*path, k.value))
        elif (isinstance(v, ast.Tuple) and len(v.elts) == 2
              and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in v.elts)):
            out.append(((*path, k.value), v))
    return out


def convert_tables(cat: Catalog, check: bool = False) -> int:
    """Move ``"key": ("中文", "English")`` entries of the listed tables to the catalogue (the
    entry keeps its Chinese; the English goes in with the context ``<prefix>:<key path>``)."""
    n = 0
    for rel, tables in TABLES.items():
        path = PKG / rel
        if not path.exists():
            continue
        source = path.read_bytes()
        tree = ast.parse(source)
        edits: list[tuple[int, int, bytes]] = []
        starts = [0]
        for line in source.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        for name, prefix in tables:
            node = _table_node(tree, name)
            if node is None:
                continue
            for keys, tup in _pair_entries(node, ()):
                zh, en = (str(e.value) for e in tup.elts)  # type: ignore[attr-defined]
                cat.add(zh, en, context=f"{prefix}:{'.'.join(keys)}")
                a = starts[tup.lineno - 1] + tup.col_offset
                b = starts[(tup.end_lineno or tup.lineno) - 1] + (tup.end_col_offset or 0)
                edits.append((a, b, _quote(zh).encode("utf-8")))
        for a, b, text in sorted(edits, reverse=True):
            source = source[:a] + text + source[b:]
        n += len(edits)
        if edits and not check:
            path.write_bytes(source)
    return n


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


def sweep(check: bool = False) -> dict[str, int]:
    n_tags, web_cat = convert_templates(check)
    n_py = convert_django_python(web_cat, check)
    core_po = CORE_LOCALE / "en" / "LC_MESSAGES" / "tanjiliang.po"
    core_cat = _load(core_po, "en", "tanjiliang")
    n_rows = convert_tables(core_cat, check)
    if not check:
        _save(web_cat, WEB_LOCALE / "en" / "LC_MESSAGES" / "django.po")
        _save(core_cat, core_po)
        for root, domain in ((WEB_LOCALE, "django"), (CORE_LOCALE, "tanjiliang")):
            for lang in _langs(root):
                po = root / lang / "LC_MESSAGES" / f"{domain}.po"
                if po.exists():
                    _save(_load(po, lang, domain), po)
    return {"template pairs": n_tags, "web labels": n_py, "table pairs": n_rows}


def add_language(lang: str) -> None:
    """Empty catalogues of ``lang`` holding every message (translate the ``.po`` files)."""
    for root, domain in ((WEB_LOCALE, "django"), (CORE_LOCALE, "tanjiliang")):
        src = _load(root / "en" / "LC_MESSAGES" / f"{domain}.po", "en", domain)
        new = Catalog(locale=lang, domain=domain, project="tanjiliang", charset="utf-8")
        for m in src:
            if m.id:
                new.add(m.id, "", context=m.context)
        _save(new, root / lang / "LC_MESSAGES" / f"{domain}.po")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="report, change nothing")
    ap.add_argument("--add-language", metavar="LANG")
    args = ap.parse_args(argv)
    if args.add_language:
        add_language(args.add_language)
        return 0
    counts = sweep(args.check)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 1 if args.check and any(counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
