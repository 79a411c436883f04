"""``tanjiliang audit verify``: the hash-chained history and every signed review of a
database (issue 18 §2; docs/security.md "Verifying"). Exit 0 when everything verifies,
1 when something was removed, edited or forged (each problem is printed)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tanjiliang.cli.check import Lang, fail, make_console
from tanjiliang.i18n import gettext
from tanjiliang.model.errors import Issue, LoadError

app = typer.Typer(help="Audit 审计: verify the history chain and the signatures.",
                  no_args_is_help=True)


def open_database(database: str | None, demo: bool, lang: str = "zh") -> None:
    """Set Django up on the given database (read only: nothing is migrated or written);
    exit 2 naming the database when it cannot be read or holds no tanjiliang tables."""
    from tanjiliang.cli.serve import configure

    # Verifying needs public keys only; the server secret is not used.
    os.environ.setdefault("TANJILIANG_SECRET_KEY", "tanjiliang-cli-verify")
    configure(demo=demo, database=database)
    from django.db import DatabaseError, connection

    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError as exc:
        tables, reason = set(), str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    else:
        reason = ""
    if "core_historyentry" not in tables or "tjreview_reviewrecord" not in tables:
        where = database or ("--demo" if demo else os.environ.get("DATABASE_URL", "") or
                             (gettext("本地 SQLite 数据库", lang, "cli.audit")))
        raise fail(LoadError([Issue(  # the database's own reason is English: said in English only
            where, None, "", "数据库无法读取或尚未初始化（先运行 tanjiliang serve）",
            f"the database cannot be read or is not set up (run tanjiliang serve first) "
            f"{reason}")]), lang)


def print_problems(problems: list, lang: str) -> None:  # type: ignore[type-arg]
    console = make_console()
    for p in problems:
        console.print(f"[red]✗[/] {p.message(lang)}", highlight=False)


@app.command("verify")
def verify_cmd(
    database: Annotated[str | None, typer.Option(
        help="database URL (default DATABASE_URL or the local SQLite) 数据库")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="the demo database 演示数据库")] = False,
    expect: Annotated[str | None, typer.Option(
        help="a head printed earlier, COUNT:SHA256 (finds rows removed from the end) "
             "先前记录的链头")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Verify the history's hash chain and every signed review 校验变更记录链和签名."""
    import re

    if expect is not None and not re.fullmatch(r"(\d+:)?[0-9a-f]{64}", expect.strip().lower()):
        # a malformed head is bad input, not a chain with rows removed
        make_console().print(Issue("--expect", None, "", f"“{expect}”不是链头（应为 条数:SHA-256，如 8:3f2a…，64 位十六进制）",
                                   f'"{expect}" is not a chain head (COUNT:SHA256, e.g. 8:3f2a…, 64 hex digits)')
                             .message(lang.value))
        raise typer.Exit(2)
    if expect is not None:
        expect = expect.strip().lower()
    open_database(database, demo, lang.value)
    from tanjiliang.web.core.audit import verify
    from tanjiliang.web.review.integrity import verify_reviews

    rep = verify(expect)
    signed, problems = verify_reviews()
    problems = rep.problems + problems
    print_problems(problems, lang.value)
    console = make_console()
    console.print(f"{gettext('变更记录', lang, 'cli.audit')}: {rep.count} · "
                  f"{gettext('已签发记录', lang, 'cli.audit')}: {signed}")
    console.print(f"{gettext('链头', lang, 'cli.audit')}: {rep.count}:{rep.head}", highlight=False)
    if problems:
        console.print(f"[bold red]{gettext('校验未通过', lang, 'cli.audit')}: "
                      f"{len(problems)}[/]")
        raise typer.Exit(1)
    console.print(f"[green]{gettext('全部一致', lang, 'cli.audit')}[/]")
