"""``tanjiliang packs list|show|diff``: the bundled rule packs, their citations, and what
changes unit by unit between two packs (docs/packs.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from tanjiliang.assess.labels import label
from tanjiliang.cli.check import Format, Lang, _arg_issue, fail, make_console, parse_as_of
from tanjiliang.cli.files import unit_files
from tanjiliang.model.errors import LoadError
from tanjiliang.rules.load import bundled_pack_names, load_pack
from tanjiliang.rules.schema import Citation, Pack

app = typer.Typer(help="Rule packs 规则包: list the bundled ones, show one with its citations, diff two.",
                  no_args_is_help=True)


@app.command("list")
def list_packs(lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh) -> None:
    """List the bundled packs 列出内置规则包."""
    console = make_console()
    zh = lang is Lang.zh
    table = Table(title="内置规则包" if zh else "Bundled rule packs", title_justify="left")
    for col in (("名称", "name"), ("版本", "version"), ("状态", "status"), ("标题", "title"), ("SHA-256", "SHA-256")):
        table.add_column(col[0] if zh else col[1])
    for name in bundled_pack_names():
        lp = load_pack(name)
        table.add_row(lp.name, lp.version, label("pack_status", lp.pack.status, lang.value),
                      lp.pack.title(lang.value), lp.sha256[:12])
    console.print(table)


def _cite(c: Citation, pack: Pack) -> str:
    src = next((s.title for s in pack.sources if s.id == c.source), c.source)
    return escape(f"{src} {c.clause or ''} [{c.status}]" + (f" — {c.note}" if c.note else ""))


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
    p, zh = lp.pack, lang is Lang.zh
    t = (lambda z, e: z if zh else e)  # noqa: E731
    console = make_console()
    console.print(f"[bold]{p.title(lang.value)}[/]")
    console.print(f"{p.name} {p.version} ({p.status})  sha256 {lp.sha256}")
    if p.description:
        console.print(p.description(lang.value))

    def section(title: str, rows: list[tuple[str, str, Citation]]) -> None:
        table = Table(title=title, title_justify="left", show_lines=False)
        table.add_column(t("规则", "rule"))
        table.add_column(t("取值", "value"))
        table.add_column(t("依据（来源 条款 \\[状态]）", "basis (source clause \\[status])"))
        for rule, value, cite in rows:
            table.add_row(rule, value, _cite(cite, p))
        console.print(table)

    s = p.scope
    section(t("适用范围 ", "Scope ") + s.clause, [
        (t("重点排放单位门槛", "key emission unit threshold"), f"≥ {s.key_emission_threshold_tco2e.value:g} tCO2e", s.key_emission_threshold_tco2e),
        *[(t("类别 ", "category ") + c.name, "> previous, ≤ " + (f"{c.max_tco2e:g} t" if c.max_tco2e else "∞"), c) for c in s.categories],
        (t("总量口径", "totals"), s.totals.value, s.totals),
        # the optional scope options, when the pack sets them (issue 17)
        *[(name, opt.value, opt) for name, opt in (
            (t("重点排放单位判定口径", "key-unit basis"), s.key_unit_basis),
            (t("输出（外送）", "flows out"), s.exports),
            (t("间接排放", "indirect emissions"), s.indirect)) if opt is not None],
        ("GWP", p.gwp.value, p.gwp),
    ])
    c = p.classification
    section(t("源流分类 ", "Stream classes ") + c.clause, [
        (t("方式", "mode"), c.mode.value, c.mode),
        *[(f"{cls} {part}", f"{getattr(th, part).value:g}", getattr(th, part))
          for cls, th in (("de_minimis", c.de_minimis), ("minor", c.minor))
          for part in ("floor_tco2e", "fraction", "cap_tco2e")],
    ])
    section(t("主要次级单位与设施 ", "Major places ") + p.major.clause, [
        (t("次级单位门槛", "sub-unit threshold"), f"{p.major.subunit_threshold_tco2e.value:g} tCO2e", p.major.subunit_threshold_tco2e),
        (t("设施门槛", "equipment threshold"), f"{p.major.equipment_threshold_tco2e.value:g} tCO2e", p.major.equipment_threshold_tco2e),
    ])
    pt = p.points
    section(t("计量点 ", "Metering points ") + pt.clause, [
        *[(t("配备级别 ", "levels ") + k, ", ".join(map(str, v.value)) or "-", v) for k, v in pt.levels_by_class.items()],
        (t("排放口测量量", "emission-point quantities"), ", ".join(pt.emission_point_quantities.value), pt.emission_point_quantities),
        *[(t("强制实测参数", "forced parameters"), f"{','.join(r.sectors)} {','.join(r.classes)} {','.join(r.families + r.materials)}: {','.join(r.parameters)}", r)
          for r in pt.forced_parameters],
    ])
    section(t("配备率要求（%） ", "Required equipping rates (%) ") + p.media.clause, [
        (f"{m.id} {m.name(lang.value)}", "  ".join(f"L{k}={v:g}" for k, v in m.rates.items()), m) for m in p.media.rows
    ])
    section(t("器具类型（字母、默认周期） ", "Instrument types (letter, default interval) "), [
        (f"{it.id} {it.name(lang.value)}", f"{it.letter} · " + ", ".join(
            (f"{'/'.join(r.accuracy)}: " if r.accuracy else "") + f"{r.months} {t('个月', 'months')}" for r in it.intervals), it)
        for it in p.instrument_types
    ])
    section(t("最大允许误差要求（%） ", "Maximum MPE (%) ") + p.accuracy.clause, [
        (",".join(r.groups) + "".join(f" {k}={','.join(map(str, v))}" for k, v in (("media", r.media), ("materials", r.materials), ("levels", r.levels)) if v),
         "-" if r.max_mpe_percent is None else f"±{r.max_mpe_percent:g}", r) for r in p.accuracy.rows
    ] + ([(t("衡器最大允许误差依据", "weighing MPE basis"), p.accuracy.weighing_basis.value, p.accuracy.weighing_basis)]
         if p.accuracy.weighing_basis is not None else []))
    tr = p.tiers
    section(t("层级 ", "Tiers ") + tr.clause, [
        (t("活动数据不确定度阈值", "activity thresholds"), " / ".join(f"{x:g}" for x in tr.activity_thresholds_percent.value), tr.activity_thresholds_percent),
        (t("CEMS 不确定度阈值", "CEMS thresholds"), " / ".join(f"{x:g}" for x in tr.cems_thresholds_percent.value), tr.cems_thresholds_percent),
        *[(",".join(r.classes) + (" " + ",".join(r.categories) if r.categories else "") + (" " + ",".join(r.media) if r.media else ""),
           str(r.tier) if r.tier is not None else "-", r) for r in tr.required],
    ])
    m = p.management
    section(t("管理要求 ", "Management ") + m.clause, [
        (t("必备制度", "required procedures"), ", ".join(k.name(lang.value) for k in m.required_procedures.value), m.required_procedures),
        (t("负责人岗位关键词", "responsible-role keywords"), ", ".join(m.responsible_role_keywords.value), m.responsible_role_keywords),
        (t("记录保存年限", "records retention"), f"≥ {m.min_retention_years.value:g}", m.min_retention_years),
        (t("到期提醒窗口（天）", "due-soon window (days)"), str(p.confirmation.due_soon_days.value), p.confirmation.due_soon_days),
    ])
    ft = Table(title=t("审查发现代码", "Finding codes"), title_justify="left")
    for col in (t("代码", "code"), t("性质", "severity"), t("条款", "clause"), t("含义", "meaning")):
        ft.add_column(col)
    for code, r in p.findings.items():
        ft.add_row(code, r.severity, r.clause, r.title(lang.value))
    console.print(ft)
    st = Table(title=t("引用文件", "Sources"), title_justify="left")
    st.add_column("id")
    st.add_column(t("文件", "document"))
    st.add_column(t("版本", "edition"))
    for src in p.sources:
        st.add_row(src.id, src.title, src.edition or "")
    console.print(st)


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


_KINDS = {"conclusion": ("结论", "conclusion"), "key_unit": ("重点排放单位", "key emission unit"),
          "category": ("类别", "category"), "class": ("源流分类", "stream class"),
          "tier": ("层级（要求/达到）", "tier (required/achieved)"), "point": ("应配计量点", "required point"),
          "rate": ("配备率", "equipping rate"), "finding": ("发现", "finding")}


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
        return "应配" if lang == "zh" else "required"
    return str(v)


def _print_diff(data: dict[str, Any], lang: str) -> None:
    zh = lang == "zh"
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
        console.print(f"[bold]{escape(head)}[/]  {'结论' if zh else 'conclusion'}: {verdict}")
        if not u["changes"]:
            console.print("  " + ("无变化" if zh else "no change"))
        for ch in u["changes"]:
            if ch["kind"] == "conclusion":
                continue
            kind = _KINDS[ch["kind"]][0 if zh else 1]
            console.print(f"  {kind} {escape(ch['subject'])}: {escape(_word(ch['old'], lang))} → {escape(_word(ch['new'], lang))}")
    console.print(("单位 {0} 个，有变化 {1} 个，结论改变 {2} 个" if zh else "{0} units, {1} changed, {2} with another conclusion")
                  .format(len(data["units"]), data["changed"], data["conclusion_changed"]))


def _write_diff_xlsx(data: dict[str, Any], path: Path, lang: str) -> None:
    from openpyxl import Workbook

    from tanjiliang.model.xlsx import save_workbook

    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "单位" if zh else "Units"
    ws.append(["文件", "单位", "年度", "原结论", "新结论", "变化数", "错误"] if zh else
              ["file", "unit", "year", "old conclusion", "new conclusion", "changes", "error"])
    for u in data["units"]:
        ws.append([u["file"], u["unit"], u["year"], _word(u["conclusion"]["old"], lang),
                   _word(u["conclusion"]["new"], lang), len(u["changes"]), u["error"]])
    ch = wb.create_sheet("变化" if zh else "Changes")
    ch.append(["文件", "单位", "类别", "对象", "原", "新"] if zh else ["file", "unit", "kind", "subject", "old", "new"])
    for u in data["units"]:
        for c in u["changes"]:
            ch.append([u["file"], u["unit"], _KINDS[c["kind"]][0 if zh else 1], c["subject"],
                       _word(c["old"], lang), _word(c["new"], lang)])
    meta = wb.create_sheet("规则包" if zh else "Packs")
    for k in ("old", "new"):
        meta.append([k, data[k]["name"], data[k]["version"], data[k]["sha256"]])
    save_workbook(wb, path)
