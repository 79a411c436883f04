"""``tanjiliang packs list|show|diff``: the bundled rule packs, their citations, and what
changes unit by unit between two packs (docs/packs.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.markup import escape
from rich.table import Table

from tanjiliang.assess.labels import label
from tanjiliang.cli.check import Format, Lang, _arg_issue, fail, make_console, parse_as_of
from tanjiliang.cli.files import unit_files
from tanjiliang.i18n import gettext, pairs, pick
from tanjiliang.model.errors import LoadError
from tanjiliang.rules.load import bundled_pack_names, load_pack
from tanjiliang.rules.schema import Citation, Pack

app = typer.Typer(help="Rule packs 规则包: list the bundled ones, show one with its citations, diff two.",
                  no_args_is_help=True)


#: The columns of ``packs list``.
LIST_HEADS = cast("dict[str, tuple[str, str]]", pairs("cli.packs.head", {
    "name": "名称", "version": "版本", "status": "状态",
    "title": "标题", "sha256": "SHA-256"}))


@app.command("list")
def list_packs(lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh) -> None:
    """List the bundled packs 列出内置规则包."""
    console = make_console()
    table = Table(title=gettext("内置规则包", lang, "cli.packs"), title_justify="left")
    for key, col in LIST_HEADS.items():
        table.add_column(pick(col, lang, f"cli.packs.head:{key}"))
    for name in bundled_pack_names():
        lp = load_pack(name)
        table.add_row(lp.name, lp.version, label("pack_status", lp.pack.status, lang.value),
                      lp.pack.title(lang.value), lp.sha256[:12])
    console.print(table)


def _num(x: float) -> str:
    return f"{x:g}"


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items) or "—"


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="bundled pack name or path to a pack file")],
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Show a pack's rules, each value with its source, clause and status (V/S/I)."""
    try:
        lp = load_pack(name)
    except LoadError as err:
        raise fail(err, lang.value) from None
    console = make_console()
    for part in _show_lines(lp, lang.value):
        console.print(part)


def _show_lines(lp: Any, lang: str) -> list[Any]:
    """The pack in words (issue 13 §4): every rule section with its values in ``lang``, each
    with the cited document's title, the clause and the status word (V 已核实, S 转引, I 推断)."""
    from tanjiliang.reports import pack_text as pt
    from tanjiliang.rules import bundled_library

    p: Pack = lp.pack
    w = (lambda key, **kw: pt.word(key, lang, **kw))  # noqa: E731
    zh = lang == "zh"
    materials = bundled_library().materials
    media = {m.id: m.name(lang) for m in p.media.rows}
    out: list[Any] = [f"[bold]{escape(p.title(lang))}[/]",
                      escape(f"{p.name} {p.version}" + (f"（{label('pack_status', p.status, lang)}）" if zh
                             else f" ({label('pack_status', p.status, lang)})") + f"  SHA-256 {lp.sha256}")]
    if p.description:
        out.append(escape(p.description(lang)))
    out.append(escape(w("legend")))

    def basis(c: Citation) -> str:
        return escape(pt.citation(c, p, lang))

    def status(c: Citation) -> str:
        return pt.status_word(c.status, lang)

    def section(key: str, clause: str | None, rows: list[tuple[str, str, Citation]]) -> Table:
        title = w(key) + (f" — {pt.text(clause, lang)}" if clause else "")
        table = Table(title=escape(title), title_justify="left")
        for col in ("col.rule", "col.value", "col.basis", "col.status"):
            table.add_column(w(col), no_wrap=col == "col.status", overflow="fold")
        for rule, value, cite in rows:
            table.add_row(escape(rule), escape(value), basis(cite), status(cite))
        return table

    def tco2e(x: float) -> str:
        return f"{_num(x)} tCO₂e"

    s = p.scope
    cats, low = [], None
    for c in s.categories:
        rng = (f"≤ {tco2e(c.max_tco2e)}" if low is None else f"{_num(low)} – {tco2e(c.max_tco2e)}") \
            if c.max_tco2e is not None else f"> {tco2e(low or 0)}"
        cats.append((w("category", name=c.name), rng, c))
        low = c.max_tco2e
    out.append(section("sec.scope", s.clause, [
        (w("key_threshold"), f"≥ {tco2e(s.key_emission_threshold_tco2e.value)}", s.key_emission_threshold_tco2e),
        *cats,
        (w("totals"), label("totals", s.totals.value, lang), s.totals),
        *[(w(key), label(key, opt.value, lang), opt) for key, opt in
          (("key_unit_basis", s.key_unit_basis), ("exports", s.exports), ("indirect", s.indirect))
          if opt is not None],
        (w("gwp"), p.gwp.value, p.gwp),
    ]))
    c = p.classification
    out.append(section("sec.classes", c.clause, [
        (w("mode"), label("classification_mode", c.mode.value, lang), c.mode),
        *[(w(f"threshold.{part}", cls=label("class", cls, lang)),
           f"{_num(th.fraction.value * 100)} %" if part == "fraction" else tco2e(getattr(th, part).value),
           getattr(th, part))
          for cls, th in (("de_minimis", c.de_minimis), ("minor", c.minor))
          for part in ("floor_tco2e", "fraction", "cap_tco2e")],
    ]))
    out.append(escape(w("threshold.note")))
    out.append(section("sec.major", p.major.clause, [
        (w("subunit_threshold"), f"≥ {tco2e(p.major.subunit_threshold_tco2e.value)}", p.major.subunit_threshold_tco2e),
        (w("equipment_threshold"), f"≥ {tco2e(p.major.equipment_threshold_tco2e.value)}", p.major.equipment_threshold_tco2e),
    ]))
    pts = p.points
    out.append(section("sec.points", pts.clause, [
        *[(w("levels_of", cls=label("class", k, lang)),
           _join([label("level", x, lang) for x in v.value], lang) if v.value else w("none_required"), v)
          for k, v in pts.levels_by_class.items()],
        (w("emission_point_quantities"),
         _join([label("quantity", q, lang) for q in pts.emission_point_quantities.value], lang),
         pts.emission_point_quantities),
        (w("emission_point_level"), label("level", pts.emission_point_level.value, lang), pts.emission_point_level),
        *[(w("forced"), _forced(r, lang), r) for r in pts.forced_parameters],
        (w("fold"), w("yes") if pts.fold_equivalent_places.value else w("no"), pts.fold_equivalent_places),
        *[(w("stock_take_level"), label("level", st.value, lang) if st.value is not None else w("stock_take_none"), st)
          for st in (pts.stock_take_level,) if st is not None],
    ]))
    levels = [k for k in ("1", "2", "3", "null") if any(k in m.rates for m in p.media.rows)]
    rt = Table(title=escape(w("sec.rates") + f" — {pt.text(p.media.clause, lang)}"), title_justify="left")
    rt.add_column(w("col.medium"))
    for k in levels:
        rt.add_column(label("level", "None" if k == "null" else k, lang), justify="right")
    rt.add_column(w("col.basis"), overflow="fold")
    rt.add_column(w("col.status"), no_wrap=True)
    for m in p.media.rows:
        rt.add_row(escape(m.name(lang)), *[_num(m.rates[k]) if k in m.rates else "—" for k in levels],
                   basis(m), status(m))
    out.append(rt)
    rd = p.media.rounding_decimals
    out.append(escape(f"{w('rounding')}{'：' if zh else ': '}{rd.value}（{pt.citation(rd, p, lang)}，{status(rd)}）" if zh
                      else f"{w('rounding')}: {rd.value} ({pt.citation(rd, p, lang)}; {status(rd)})"))
    tt = Table(title=escape(w("sec.types")), title_justify="left")
    for col in ("col.type", "col.letter", "col.interval", "col.basis", "col.status"):
        tt.add_column(w(col), no_wrap=col in ("col.letter", "col.status"), overflow="fold")
    for it in p.instrument_types:
        tt.add_row(escape(it.name(lang)), it.letter, escape(_intervals(it, lang)), basis(it), status(it))
    out.append(tt)
    at = Table(title=escape(w("sec.accuracy") + f" — {pt.text(p.accuracy.clause, lang)}"), title_justify="left")
    for col in ("col.applies", "col.condition", "col.mpe", "col.basis", "col.status"):
        at.add_column(w(col), no_wrap=col == "col.status", overflow="fold")
    for r in p.accuracy.rows:
        types = [t.name(lang) for t in p.instrument_types if t.accuracy_group in r.groups]
        cond = [*(media.get(x, x) for x in r.media or []),
                *(materials[x].name(lang) if x in materials else x for x in r.materials or []),
                *(label("level", x, lang) for x in r.levels or []),
                *(label("quantity", x, lang) for x in r.quantities or [])]
        # one type per line in Chinese: a cell of names without spaces would be folded anywhere,
        # cutting a word such as CEMS in two (rich wraps only at white space)
        applies = ("\n".join(types) if zh else _join(types, lang)) if types else _join(r.groups, lang)
        at.add_row(escape(applies), escape(_join(cond, lang)),
                   w("no_class") if r.max_mpe_percent is None else f"±{_num(r.max_mpe_percent)} %",
                   basis(r), status(r))
    if p.accuracy.weighing_basis is not None:
        wb = p.accuracy.weighing_basis
        at.add_row(escape(w("weighing_basis")), "—", escape(label("weighing_basis", wb.value, lang)), basis(wb), status(wb))
    out.append(at)
    tr = p.tiers
    out.append(section("sec.tiers", tr.clause, [
        (w("activity_thresholds"), " / ".join(_num(x) for x in tr.activity_thresholds_percent.value),
         tr.activity_thresholds_percent),
        (w("cems_thresholds"), " / ".join(_num(x) for x in tr.cems_thresholds_percent.value), tr.cems_thresholds_percent),
        *[(w("tier_for", who=_tier_who(r, media, lang)),
           w("tier", n=r.tier) if r.tier is not None else w("no_tier"), r) for r in tr.required],
    ]))
    mg = p.management
    keywords = [k for k in mg.responsible_role_keywords.value if pt.has_cjk(k) == zh]
    years = mg.min_retention_years.value
    out.append(section("sec.management", mg.clause, [
        (w("procedures"), _join([k.name(lang) for k in mg.required_procedures.value], lang), mg.required_procedures),
        (w("role_keywords"), _join(keywords, lang), mg.responsible_role_keywords),
        (w("retention"), w("years_at_least", n=_num(years)) if years else w("not_checked"), mg.min_retention_years),
        (w("due_soon"), w("days", n=p.confirmation.due_soon_days.value), p.confirmation.due_soon_days),
    ]))
    mo = p.monthly
    if mo is not None:
        out.append(section("sec.monthly", mo.clause, [
            (w("deadline"), w("days", n=mo.deadline_days_after_month_end.value), mo.deadline_days_after_month_end),
            (w("substitution"), f"× {_num(mo.substitution_factor.value)}", mo.substitution_factor),
            (w("completeness"), f"≥ {_num(mo.completeness_min_percent.value)} %", mo.completeness_min_percent),
            (w("lab_accreditations"), _join(mo.lab_accreditations.value, lang), mo.lab_accreditations),
            *([(w("daily_monthly"), f"≤ {_num(mo.daily_monthly_max_deviation_percent.value)} %",
                mo.daily_monthly_max_deviation_percent)] if mo.daily_monthly_max_deviation_percent else []),
        ]))
    ft = Table(title=escape(w("sec.findings")), title_justify="left")
    for col in ("col.code", "col.severity", "col.clause", "col.meaning"):
        ft.add_column(w(col), no_wrap=col == "col.code", overflow="fold")
    for code, f in p.findings.items():
        ft.add_row(code, label("severity", f.severity, lang), escape(pt.text(f.clause, lang)), escape(f.title(lang)))
    out.append(ft)
    st = Table(title=escape(w("sec.sources")), title_justify="left")
    for col in ("col.document", "col.edition", "col.note"):
        st.add_column(w(col), overflow="fold")
    for src in p.sources:
        st.add_row(escape(pt.source_title(src, lang)), escape(pt.text(src.edition, lang) or "—"),
                   escape(pt.text(src.note, lang) or "—"))
    out.append(st)
    return out


def _forced(r: Any, lang: str) -> str:
    """``发电 主要源流 煤：低位发热量、单位热值含碳量`` (who must measure which parameters)."""
    from tanjiliang.rules import bundled_library

    materials = bundled_library().materials
    who = [_join([label("sector", x, lang) for x in r.sectors], lang),
           _join([label("class", x, lang) for x in r.classes], lang),
           _join([label("family", x, lang) for x in r.families]
                 + [materials[x].name(lang) if x in materials else x for x in r.materials], lang)]
    what = _join([label("quantity", x, lang) for x in r.parameters], lang)
    return " ".join(x for x in who if x != "—") + ("：" if lang == "zh" else ": ") + what


def _intervals(it: Any, lang: str) -> str:
    from tanjiliang.reports import pack_text as pt

    parts = []
    for r in it.intervals:
        months = pt.word("months", lang, n=r.months)
        if r.accuracy:
            parts.append(pt.word("classes_of", lang, acc="/".join(r.accuracy), months=months))
        elif len(it.intervals) > 1:
            parts.append(pt.word("otherwise", lang, months=months))
        else:
            parts.append(months)
    return ("；" if lang == "zh" else "; ").join(parts)


def _tier_who(r: Any, media: dict[str, str], lang: str) -> str:
    from tanjiliang.reports import pack_text as pt

    parts = [_join([label("class", x, lang) for x in r.classes], lang)]
    if r.categories:
        parts.append(pt.word("categories", lang, names=_join(r.categories, lang)))
    if r.media:
        parts.append(_join([media.get(x, x) for x in r.media], lang))
    return ("，" if lang == "zh" else ", ").join(parts)


@app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(help="the pack in use: name or file 原规则包")],
    new: Annotated[str, typer.Argument(help="the new pack: name or file 新规则包")],
    units: Annotated[list[Path], typer.Argument(help="unit files or folders of them 单位文件或目录")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: each unit's year end) 评价日期")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write an .xlsx workbook 输出 Excel")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """What changes, unit by unit, between two packs: conclusion, classes, required points,
    rates, findings 比较两个规则包对各单位评价结果的影响. Exit 0; 2 if a pack or a unit cannot be read."""
    from datetime import date

    from tanjiliang.assess.diff import UnitDiff, diff_assessments, to_json
    from tanjiliang.check import check
    from tanjiliang.province.batch import read_unit

    day = parse_as_of(as_of, lang.value) if as_of else None
    try:
        lp_old, lp_new = load_pack(old), load_pack(new)
    except LoadError as err:
        raise fail(err, lang.value) from None
    if output is not None and output.suffix.lower() != ".xlsx":
        raise fail(LoadError([_arg_issue(str(output), "输出文件只能是 .xlsx", "the output must be .xlsx")]), lang.value)
    files = unit_files(units)
    if not files:
        raise fail(LoadError([_arg_issue(" ".join(map(str, units)), "没有找到单位文件", "no unit files found")]), lang.value)
    results: list[UnitDiff] = []
    for f in files:
        try:
            unit = read_unit(f)
            when = day or date(unit.unit.year, 12, 31)
            results.append(diff_assessments(str(f), check(unit, lp_old, when), check(unit, lp_new, when)))
        except (LoadError, OSError, UnicodeDecodeError) as err:
            if isinstance(err, OSError):  # the system's words are English: said in the user's language
                from tanjiliang.cli.safety import os_issue

                err = LoadError([os_issue(err)])
            msg = err.message(lang.value) if isinstance(err, LoadError) else str(err)
            results.append(UnitDiff(str(f), f.name, None, None, None, error=msg))
    data = to_json(lp_old, lp_new, results)
    if output is not None:
        _write_diff_xlsx(data, output, lang.value)
    if fmt is Format.json:
        from tanjiliang.model.write import json_text

        sys.stdout.write(json_text(data))
    else:
        _print_diff(data, lang.value)
    raise typer.Exit(2 if any(u.error for u in results) else 0)


_KINDS = cast("dict[str, tuple[str, str]]", pairs("cli.packs.kind", {
    "conclusion": "结论", "key_unit": "重点排放单位",
    "category": "类别", "class": "源流分类",
    "tier": "层级（要求/达到）", "point": "应配计量点",
    "rate": "配备率", "finding": "发现"}))


def _word(v: Any, lang: str) -> str:
    from tanjiliang.assess.labels import label

    if v is None:
        return "—"
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if isinstance(v, str) and v in ("conforming", "nonconforming"):
        return label("conclusion", v, lang)
    if isinstance(v, str) and v in ("nonconformity", "observation"):
        return label("severity", v, lang)
    if isinstance(v, str) and v in ("major", "minor", "de_minimis"):
        return label("class", v, lang)
    if v == "required":
        return gettext("应配", lang, "cli.packs")
    return str(v)


def _print_diff(data: dict[str, Any], lang: str) -> None:
    console = make_console()
    o, n = data["old"], data["new"]
    console.print(f"[bold]{o['name']} {o['version']} → {n['name']} {n['version']}[/]")
    for u in data["units"]:
        head = f"{u['unit']} {u['year'] or ''} ({u['file']})"
        if u["error"]:
            console.print(f"[red]✗[/] {escape(head)}: {escape(u['error'])}", markup=True)
            continue
        c = u["conclusion"]
        verdict = f"{_word(c['old'], lang)} → {_word(c['new'], lang)}" if c["old"] != c["new"] else _word(c["old"], lang)
        console.print(f"[bold]{escape(head)}[/]  {gettext('结论', lang, 'cli.packs')}: {verdict}")
        if not u["changes"]:
            console.print("  " + (gettext("无变化", lang, "cli.packs")))
        for ch in u["changes"]:
            if ch["kind"] == "conclusion":
                continue
            kind = pick(_KINDS[ch["kind"]], lang, f"cli.packs.kind:{ch['kind']}")
            console.print(f"  {kind} {escape(ch['subject'])}: {escape(_word(ch['old'], lang))} → {escape(_word(ch['new'], lang))}")
    console.print((gettext("单位 {0} 个，有变化 {1} 个，结论改变 {2} 个", lang, "cli.packs"))
                  .format(len(data["units"]), data["changed"], data["conclusion_changed"]))


def _write_diff_xlsx(data: dict[str, Any], path: Path, lang: str) -> None:
    from openpyxl import Workbook

    from tanjiliang.model.xlsx import save_workbook

    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = gettext("单位", lang, "cli.packs")
    ws.append(["文件", "单位", "年度", "原结论", "新结论", "变化数", "错误"] if zh else
              ["file", "unit", "year", "old conclusion", "new conclusion", "changes", "error"])
    for u in data["units"]:
        ws.append([u["file"], u["unit"], u["year"], _word(u["conclusion"]["old"], lang),
                   _word(u["conclusion"]["new"], lang), len(u["changes"]), u["error"]])
    ch = wb.create_sheet(gettext("变化", lang, "cli.packs"))
    ch.append(["文件", "单位", "类别", "对象", "原", "新"] if zh else ["file", "unit", "kind", "subject", "old", "new"])
    for u in data["units"]:
        for c in u["changes"]:
            ch.append([u["file"], u["unit"], pick(_KINDS[c["kind"]], lang, f"cli.packs.kind:{c['kind']}"), c["subject"],
                       _word(c["old"], lang), _word(c["new"], lang)])
    meta = wb.create_sheet(gettext("规则包", lang, "cli.packs"))
    for k in ("old", "new"):
        meta.append([k, data[k]["name"], data[k]["version"], data[k]["sha256"]])
    save_workbook(wb, path)
