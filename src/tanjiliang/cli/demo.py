"""``tanjiliang demo`` (what ``make demo`` runs): check the example units briefly, then
start the web application in demo mode (blocking; ``--no-serve`` stops after preparing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from tanjiliang.cli.serve import example_files, refuse_taken_port, serve


def demo(
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    lang: Annotated[str, typer.Option("--lang", help="zh | en")] = "zh",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只检查和准备，不启动 / prepare only")] = False,
) -> None:
    """检查示例单位并启动演示网页 / Check the examples and start the demo web app."""
    from rich.console import Console

    from tanjiliang.check import check
    from tanjiliang.model.errors import LoadError
    from tanjiliang.model.load import load_unit

    console = Console()
    zh = lang == "zh"
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
    console.print("[bold]" + ("检查示例单位" if zh else "Checking the example units")
                  + (f"（{'评价日期' if zh else 'as of'} {as_of}）" if as_of else "") + "[/]")
    for path, unit in units:
        try:
            a = check(unit, None, as_of)
        except LoadError as exc:
            console.print(f"  [red]✗[/] {path}: {exc.message(lang)}")
            continue
        verdict = {"conforming": ("符合", "conforming"),
                   "nonconforming": ("不符合", "non-conforming")}[a.conclusion][0 if zh else 1]
        colour = "green" if a.conclusion == "conforming" else "yellow"
        console.print(f"  {path.parent.name:<10} {a.unit_name}  {a.total_tco2e:,.0f} tCO2e  "
                      f"[{colour}]{verdict}[/] ({len(a.nonconformities())} "
                      f"{'项不符合' if zh else 'non-conformities'})")
    serve(demo=True, database=None, host="127.0.0.1", port=port, workers=0, threads=4,
          create_admin=None, issue_token=None, access_log=False, lang=lang, no_serve=no_serve,
          as_of=as_of.isoformat() if as_of else None)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
