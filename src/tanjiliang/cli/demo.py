"""``tanjiliang demo`` (what ``make demo`` runs): check the example units briefly, then
start the web application in demo mode (blocking; ``--no-serve`` stops after preparing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

import typer

from tanjiliang.cli.check import Lang
from tanjiliang.cli.serve import example_files, refuse_taken_port, serve
from tanjiliang.i18n import pairs, pick

#: The command's words (Chinese; the English from the catalogue, context ``cli.demo:<key>``).
WORDS = cast("dict[str, tuple[str, str]]", pairs("cli.demo", {
    "checking": "检查示例单位",
    "as_of": "评价日期",
    "conforming": "符合",
    "nonconforming": "不符合",
    "nonconformities": "项不符合",
}))


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang, f"cli.demo:{key}")


def demo(
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只检查和准备，不启动 / prepare only")] = False,
) -> None:
    """检查示例单位并启动演示网页 / Check the examples and start the demo web app."""
    from rich.console import Console

    from tanjiliang.check import check
    from tanjiliang.model.errors import LoadError
    from tanjiliang.model.load import load_unit

    console = Console()
    if not no_serve:  # say so at once, before preparing anything (issue 12 §6)
        refuse_taken_port("127.0.0.1", port, lang)
    files = example_files()
    units = []
    for path in files:
        try:
            units.append((path, load_unit(path)))
        except LoadError as exc:
            console.print(f"  [red]✗[/] {exc.message(lang)}")
    # The examples describe a reporting year; assess them as of its last day, as their
    # READMEs do (a real server assesses as of today).
    as_of = date(max(u.unit.year for _, u in units), 12, 31) if units else None
    console.print("[bold]" + _w("checking", lang)
                  + ((f"（{_w('as_of', lang)} {as_of}）" if lang == "zh"
                      else f" ({_w('as_of', lang)} {as_of})") if as_of else "") + "[/]")
    for path, unit in units:
        try:
            a = check(unit, None, as_of)
        except LoadError as exc:
            console.print(f"  [red]✗[/] {path}: {exc.message(lang)}")
            continue
        verdict = _w(a.conclusion, lang)
        colour = "green" if a.conclusion == "conforming" else "yellow"
        console.print(f"  {path.parent.name:<10} {a.unit_name}  {a.total_tco2e:,.0f} tCO₂e  "
                      f"[{colour}]{verdict}[/] ({len(a.nonconformities())} "
                      f"{_w('nonconformities', lang)})")
    serve(demo=True, database=None, host="127.0.0.1", port=port, workers=0, threads=4,
          create_admin=None, issue_token=None, access_log=False, lang=lang, no_serve=no_serve,
          as_of=as_of.isoformat() if as_of else None)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
