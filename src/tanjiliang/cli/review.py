"""``tanjiliang review checklist|prefill|report|verify|refresh-summaries``: the review
checklist, the automatic items of a unit, a stored review's report and hash, and the
overview rows of the stored units (docs/review.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.markup import escape
from rich.table import Table

from tanjiliang.cli.check import Lang, fail, make_console, parse_as_of, run_check
from tanjiliang.i18n import pairs, pick
from tanjiliang.model.errors import Issue, LoadError

app = typer.Typer(help="Review 审查: checklist, automatic items, signed reports.",
                  no_args_is_help=True)

#: The commands' words (Chinese; the English from the catalogue, context ``cli.review:<key>``).
WORDS = cast("dict[str, tuple[str, str]]", pairs("cli.review", {
    "clause": "条款", "requirement": "审查内容",
    "method": "方式", "applies": "适用条件", "basis": "依据",
    "status": "状态", "result": "结果", "remarks": "说明",
    "auto_title": "自动判定（来自评价）",
    "signed_records": "已签发记录",
    "verified": "一致", "mismatch": "不一致",
    "key_note": "签名与内容一致；请核对密钥指纹是否为签名人登记的密钥（--key）",
    "refreshed": "已更新",
}))


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"cli.review:{key}")


@app.command("checklist")
def checklist(
    pack: Annotated[str | None, typer.Option(help="pack name or checklist file 规则包")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Show the review checklist of a pack 显示审查检查表."""
    from tanjiliang.reports.i18n import clause_ref
    from tanjiliang.review.checklist import load_checklist
    from tanjiliang.review.model import label

    try:
        lc = load_checklist(pack)
    except LoadError as err:
        raise fail(err, lang.value) from None
    c = lc.checklist
    table = Table(title=f"{c.title(lang.value)} {c.version}", title_justify="left")
    for col in ("clause", "requirement", "method", "applies", "basis", "status"):
        table.add_column(_w(col, lang.value))
    for sec in c.sections:
        for sub in sec.subsections:
            table.add_row(f"[bold]{sub.id}[/]", f"[bold]{escape(sec.title(lang.value))} · "
                          f"{escape(sub.title(lang.value))}[/]", "", "", "", "")
            for i in sub.items:
                how = label(i.judged, lang.value)
                if i.auto:
                    how += " " + ",".join(i.auto.findings)
                table.add_row(i.clause, escape(i.text(lang.value)), escape(how),
                              ",".join(i.applies) or "—",
                              escape(clause_ref(i.basis, lang.value)), i.status)
    make_console().print(table)


@app.command("prefill")
def prefill(
    file: Annotated[Path, typer.Argument(help="unit file 单位文件")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
    pack: Annotated[str | None, typer.Option(help="rule pack 规则包")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """The checklist items judged automatically from the unit's assessment 自动判定条目."""
    from tanjiliang.review.auto import prefill as run_prefill
    from tanjiliang.review.checklist import checklist_for_pack
    from tanjiliang.review.model import label

    try:
        a, _unit, loaded = run_check(file, pack, parse_as_of(as_of, lang.value), lang.value)
        lc = checklist_for_pack(loaded)  # a user's pack without a checklist gets a derived one
    except LoadError as err:
        raise fail(err, lang.value) from None
    zh = lang is Lang.zh
    table = Table(title=_w("auto_title", lang.value),
                  title_justify="left")
    for col in ("clause", "result", "remarks"):
        table.add_column(_w(col, lang.value))
    for r in run_prefill(lc.checklist, a):
        reason = r.auto_reason_zh if zh else r.auto_reason_en
        table.add_row(r.item, label(r.result, lang.value), escape(reason or ""))
    make_console().print(table)


def _read_review(path: Path, lang: str):  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from tanjiliang.model.limits import read_user_text
    from tanjiliang.review.model import Review

    try:  # missing, folder, unreadable, too large, not UTF-8: LoadError naming the file
        return Review.model_validate(json.loads(read_user_text(path)))
    except LoadError as err:
        raise fail(err, lang) from None
    except RecursionError:  # JSON nested deeper than Python's parser goes (issue 18)
        raise fail(LoadError([Issue(str(path), None, "", "不是审查记录：嵌套过深",
                                    "not a review record: nested too deeply")]), lang) from None
    except json.JSONDecodeError as exc:  # the parser's English only in English (model/syntax.py)
        from tanjiliang.model.syntax import json_syntax

        zh, en = json_syntax(exc.msg, exc.colno)
        raise fail(LoadError([Issue(str(path), exc.lineno, "", f"不是审查记录：{zh}",
                                    f"not a review record: {en}")]), lang) from None
    except ValidationError as exc:  # the fields, not pydantic's words
        from tanjiliang.model.errors import format_path

        fields = sorted({format_path(tuple(e["loc"])) or "—" for e in exc.errors()})
        raise fail(LoadError([Issue(str(path), None, "",
                                    f"不是本系统导出的审查记录（{len(fields)} 个字段缺失或取值无效）",
                                    f"not a review record as this system stores it: {', '.join(fields[:5])}"
                                    + (", …" if len(fields) > 5 else "") + " missing or invalid")]),
                   lang) from None
    except ValueError as exc:
        raise fail(LoadError([Issue(str(path), None, "", "不是审查记录", f"not a review record: {exc}")]),
                   lang) from None


@app.command("verify")
def verify_cmd(
    file: Annotated[Path | None, typer.Argument(help="review JSON (as stored) 审查记录")] = None,
    key: Annotated[str | None, typer.Option(
        help="the signer's key id (fingerprint) to trust 签名人登记的密钥指纹")] = None,
    database: Annotated[str | None, typer.Option(
        help="verify every signed review stored in this database 数据库")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="the demo database 演示数据库")] = False,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Verify a signed review's Ed25519 signature and hash, or every signed review of a
    database with its versions and history 校验签名 (exit 1 when it does not verify)."""
    from tanjiliang.review.seal import check

    console = make_console()
    if file is None:
        if not (database or demo or os.environ.get("DATABASE_URL")):
            raise fail(LoadError([Issue("verify", None, "", "请给出审查记录文件或 --database",
                                        "give a review file or --database")]), lang.value)
        from tanjiliang.cli.audit import open_database, print_problems

        open_database(database, demo, lang.value)
        from tanjiliang.web.review.integrity import verify_reviews

        signed, problems = verify_reviews()
        print_problems(problems, lang.value)
        console.print(f"{_w('signed_records', lang.value)}: {signed}")
        raise typer.Exit(1 if problems else 0)
    review = _read_review(file, lang.value)
    v = check(review, (lambda _by, kid, _at: kid == key) if key else None)
    console.print(_w("verified" if v.ok else "mismatch", lang.value),
                  v.message(lang.value), highlight=False)
    if v.ok and not key:
        console.print(_w("key_note", lang.value), highlight=False)
    raise typer.Exit(0 if v.ok else 1)


@app.command("report")
def report_cmd(
    file: Annotated[Path, typer.Argument(help="review JSON (as stored) 审查记录")],
    output: Annotated[Path, typer.Option("--output", "-o", help=".pdf | .xlsx | .html")],
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Write a review's report (现场审查情况汇总表, 不符合项报告, evidence list) 生成审查报告."""
    from tanjiliang.review import render, report
    from tanjiliang.review.checklist import load_checklist

    review = _read_review(file, lang.value)
    try:
        lc = load_checklist(review.checklist_pack)
    except LoadError as err:
        raise fail(err, lang.value) from None
    ctx = report.build(review, lc.checklist, lang.value)
    from tanjiliang.model.write import atomic_write

    suffix = output.suffix.lower()
    if suffix == ".pdf":
        atomic_write(output, render.render_pdf(ctx))
    elif suffix == ".xlsx":
        atomic_write(output, render.render_xlsx(ctx))
    elif suffix == ".html":
        atomic_write(output, render.render_html(ctx))
    else:
        raise fail(LoadError([Issue(str(output), None, "", "报告格式应为 .pdf、.xlsx 或 .html",
                                    "the report must be .pdf, .xlsx or .html")]), lang.value)
    make_console().print(str(output))


@app.command("refresh-summaries")
def refresh_summaries(
    database: Annotated[str | None, typer.Option(help="database URL (default DATABASE_URL)")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Recompute the overview rows of every stored unit 重新计算总览数据."""
    import os

    from tanjiliang.cli.serve import configure

    os.environ.setdefault("TANJILIANG_SECRET_KEY", "tanjiliang-cli-refresh")
    configure(demo=False, database=database)
    from tanjiliang.web.core.models import Unit
    from tanjiliang.web.review.summaries import refresh_unit

    n = sum(1 for u in Unit.objects.all().iterator() if refresh_unit(u) is not None)
    make_console().print(f"{_w('refreshed', lang.value)} {n}")
