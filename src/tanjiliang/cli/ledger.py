"""``tanjiliang ledger`` — the Excel instrument ledger (docs/ledger.md).

``ledger template -o F.xlsx``, ``ledger export UNIT -o F.xlsx``, ``ledger import UNIT F.xlsx``
(all-or-nothing; exit 2 and nothing written on any problem), ``ledger trace UNIT STANDARD``
(reverse traceability) and ``ledger chain UNIT INSTRUMENT``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

from tanjiliang.cli.check import Lang
from tanjiliang.cli.lazy import command_imports
from tanjiliang.i18n import pairs, pick
from tanjiliang.model.errors import Issue, LoadError

app = typer.Typer(help="计量器具台账（Excel）— the Excel instrument ledger.", no_args_is_help=True)

#: The commands' words (Chinese; the English from the catalogue, context ``cli.ledger:<key>``).
WORDS = cast("dict[str, tuple[str, str]]", pairs("cli.ledger", {
    "bad_input": "输入有误，未写入任何文件：",
    "preview": "（预览，未写入）",
    "written": "已写入 {file}：{n} 台器具",
    "nothing": "没有要改的器具，{file} 未改写",
    "no_hits": "没有器具的确认记录使用了“{standard}”",
    "confirmed_with": "由“{standard}”确认的器具",
    "instrument": "器具", "date": "日期", "kind": "方式",
    "result": "结论", "certificate": "证书编号",
    "depth": "层次", "via": "途径",
    "outside": "（台账外）",
    "no_chain": "器具 {0} 的最近确认没有记录所用的计量标准",
}))


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"cli.ledger:{key}")


def _fail(err: LoadError, lang: str) -> typer.Exit:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print("[bold red]" + _w("bad_input", lang) + "[/]")
    for issue in err.issues:
        console.print(issue.message(lang), markup=False)
    return typer.Exit(2)


def _pack(name: str | None, unit_pack: str | None = None):  # type: ignore[no-untyped-def]
    from tanjiliang.rules.load import load_pack

    return load_pack(name or unit_pack)


def _xlsx(path: Path, lang: str, force: bool = True) -> None:
    if path.suffix.lower() != ".xlsx":
        raise _fail(LoadError([Issue(str(path), None, "", "台账文件须为 .xlsx", "the ledger must be .xlsx")]), lang)
    if not force and path.exists() and not path.is_dir():  # a filled ledger is not replaced unasked (as init)
        raise _fail(LoadError([Issue(str(path), None, "", "文件已存在；覆盖请加 --force",
                                     "the file exists; add --force to overwrite it")]), lang)


@app.command("template")
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="ledger file to write (.xlsx)")],
    pack: Annotated[str | None, typer.Option(help="rule pack (instrument types) 规则包")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en: language of list values")] = Lang.zh,
    force: Annotated[bool, typer.Option("--force", help="overwrite existing files")] = False,
) -> None:
    """Write an empty ledger with headers and drop-down lists; an existing file is kept unless
    --force. 生成空白台账模板（已有文件须加 --force 才覆盖）。"""
    from tanjiliang.ledger import write_ledger

    _xlsx(output, lang.value, force)
    try:
        loaded = _pack(pack)
    except LoadError as err:
        raise _fail(err, lang.value) from None
    write_ledger(output, None, loaded.pack, lang.value)
    typer.echo(str(output))


@app.command("export")
def export(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    output: Annotated[Path, typer.Option("--output", "-o", help="ledger file to write (.xlsx)")],
    pack: Annotated[str | None, typer.Option(help="rule pack 规则包")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD for the next-due column")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
    force: Annotated[bool, typer.Option("--force", help="overwrite existing files")] = False,
) -> None:
    """Write the unit's instruments and confirmation history to an Excel ledger; an existing
    file is kept unless --force. 导出台账（已有文件须加 --force 才覆盖）。"""
    with command_imports():  # the collector paused while they load (cli/lazy.py)
        from tanjiliang.ledger import derive, write_ledger
        from tanjiliang.model.load import load_unit

    _xlsx(output, lang.value, force)
    try:
        unit = load_unit(unit_file)
        loaded = _pack(pack, unit.pack)
    except LoadError as err:
        raise _fail(err, lang.value) from None
    from tanjiliang.cli.check import parse_as_of

    day = parse_as_of(as_of, lang.value) if as_of else None  # a bad date: exit 2, not a traceback
    write_ledger(output, unit, loaded.pack, lang.value, derive(unit, loaded, day, lang.value))
    typer.echo(str(output))


@app.command("import")
def import_(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file to update 单位文件")],
    ledger: Annotated[Path, typer.Argument(metavar="LEDGER", help="Excel ledger (.xlsx) 台账")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show the change set; write nothing")] = False,
    remove_missing: Annotated[bool, typer.Option(
        "--remove-missing", help="remove the unit's instruments absent from the ledger (else they are kept)")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="infer nothing (type from the name, place by part of its name, what it measures)")] = False,
    drop_comments: Annotated[bool, typer.Option("--drop-comments", help="allow losing the unit file's comments")] = False,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Merge a plant's ledger into the unit file: the change set first (added, changed field by
    field, unchanged, absent), then all or nothing; nothing is removed without --remove-missing.
    导入台账（先列出变更；未经 --remove-missing 不删除任何器具）。"""
    from tanjiliang.ledger import LedgerError
    from tanjiliang.ledger.changes import apply
    from tanjiliang.ledger.excel import read_changes
    from tanjiliang.model.load import has_comments, load_unit
    from tanjiliang.model.write import atomic_write, dump_json, dump_yaml

    lg = lang.value
    err_console = Console(stderr=True, highlight=False, soft_wrap=True)
    from tanjiliang.model.limits import read_user_text

    try:
        text = read_user_text(unit_file)  # missing, folder, unreadable, too large, not UTF-8
        unit = load_unit(unit_file, text)
        cs, read = read_changes(unit, ledger, strict=strict)
    except LedgerError as err:
        if err.read is not None:
            for line in err.read.report(lg):
                err_console.print(line, markup=False)
        raise _fail(err, lg) from None
    except LoadError as err:
        raise _fail(err, lg) from None
    for line in read.report(lg):
        err_console.print(line, markup=False)
    for line in cs.lines(lg, cs.absent if remove_missing else ()):
        typer.echo(line)
    if dry_run:
        typer.echo(_w("preview", lg))
        return
    if cs.empty and not (remove_missing and cs.absent):  # nothing to change: the file as it is
        typer.echo(_w("nothing", lg).format(file=unit_file))
        return
    if unit_file.suffix.lower() != ".json" and has_comments(text) and not drop_comments:
        raise _fail(LoadError([Issue(unit_file.name, None, "",
                                     "单位文件含注释，写回会丢失注释；确认请加 --drop-comments（或先 --dry-run）",
                                     "the unit file has comments, which writing it back would lose; pass --drop-comments to accept (or --dry-run)")]), lg)
    try:
        new = apply(unit, cs, remove=remove_missing)
    except LoadError as err:
        raise _fail(err, lg) from None
    out = dump_json(new) if unit_file.suffix.lower() == ".json" else dump_yaml(new)
    try:  # never write a unit file that would not load again (issue 18)
        load_unit(unit_file, out)
    except LoadError as err:
        raise _fail(err, lg) from None
    atomic_write(unit_file, out)
    n = len(new.instruments)
    typer.echo(_w("written", lg).format(file=unit_file, n=n))


@app.command("trace")
def trace(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    standard: Annotated[str, typer.Argument(help="reference standard: ledger id, serial or certificate no. 计量标准")],
    transitive: Annotated[bool, typer.Option(help="also instruments confirmed through instruments it confirmed")] = False,
    ledger: Annotated[Path | None, typer.Option(help="Excel ledger replacing the file's instruments")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Which instruments did a reference standard confirm (reverse traceability). 反向溯源查询。"""
    from tanjiliang.ledger import apply_ledger, confirmed_by
    from tanjiliang.model.load import load_unit

    lg = lang.value
    try:
        unit = load_unit(unit_file)
        if ledger is not None:
            unit = apply_ledger(unit, ledger)
    except LoadError as err:
        raise _fail(err, lg) from None
    hits = confirmed_by(unit, standard, transitive)
    if not hits:
        typer.echo(_w("no_hits", lg).format(standard=standard))
        return
    table = Table(title=_w("confirmed_with", lg).format(standard=standard), title_justify="left")
    for h in ("instrument", "date", "kind", "result", "certificate", "depth", "via"):
        table.add_column(_w(h, lg))
    from tanjiliang.ledger.words import value_label

    for hit in hits:  # kind and result by their names in the user's language (检定, 合格)
        r = hit.record
        table.add_row(hit.instrument, r.date.isoformat(), value_label("kind", str(r.kind), lg),
                      value_label("result", str(r.result), lg), r.certificate or "",
                      str(hit.depth), " → ".join(hit.via))
    Console(highlight=False, width=160 if not sys.stdout.isatty() else None).print(table)


@app.command("chain")
def chain(
    unit_file: Annotated[Path, typer.Argument(metavar="UNIT", help="unit file 单位文件")],
    instrument: Annotated[str, typer.Argument(help="management no. 管理编号")],
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """The standards behind an instrument's latest confirmation, upwards. 溯源链。"""
    from tanjiliang.ledger import traceability_chain
    from tanjiliang.model.load import load_unit

    try:
        unit = load_unit(unit_file)
    except LoadError as err:
        raise _fail(err, lang.value) from None
    if instrument not in {i.id for i in unit.instruments}:  # said, not an empty answer
        raise _fail(LoadError([Issue(str(unit_file), None, "", f"没有管理编号为“{instrument}”的器具",
                                     f'no instrument with the management no. "{instrument}"')]), lang.value)
    links = traceability_chain(unit, instrument)
    if not links:
        typer.echo(_w("no_chain", lang.value).format(instrument))
    for ins, std, ident in links:
        outside = _w("outside", lang.value)
        typer.echo(f"{ins} ← {std}" + (f" = {ident}" if ident else outside))
