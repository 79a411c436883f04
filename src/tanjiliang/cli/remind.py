"""``tanjiliang remind``: e-mail each enterprise user the reminders of their units —
confirmations falling due and monthly filing deadlines (issue 14 §5; the rules are in
``tanjiliang.web.month.reminders``). Messages go through Django's e-mail backend
(``TANJILIANG_EMAIL_BACKEND``; the console backend, printing them, unless configured)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tanjiliang.cli.check import Lang, date_option
from tanjiliang.i18n import gettext


def remind(
    database: Annotated[str | None, typer.Option(help="database URL (default DATABASE_URL) 数据库")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="the demo database 演示数据库")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="the day, YYYY-MM-DD, default today 提醒日期 YYYY-MM-DD，默认今天")] = None,
    url: Annotated[str, typer.Option(help="site address for links 网站地址")] = "",
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """E-mail reminders of confirmations and monthly filings 发送到期与存证提醒邮件."""
    import sys

    from rich.console import Console

    from tanjiliang.cli.serve import configure, demo_database

    err = Console(stderr=True)
    if demo and not database and not os.environ.get("DATABASE_URL") and not demo_database().exists():
        # no demo database yet: say how to make one, not that a database URL nobody gave is wrong
        err.print(gettext("演示数据库尚未建立：请先运行 tanjiliang demo --no-serve", lang, "cli.remind"),
                  markup=False)
        raise typer.Exit(2)
    try:
        day = date_option(as_of) if as_of else None
    except ValueError:
        err.print(gettext("--as-of: “{0}”不是 YYYY-MM-DD 日期", lang, "cli.remind").format(as_of))
        raise typer.Exit(2) from None
    # a command-line run against the database: no sessions or cookies are signed
    os.environ.setdefault("TANJILIANG_SECRET_KEY", "tanjiliang-cli-remind")
    configure(demo=demo, database=database)
    from tanjiliang.web.month.reminders import send_reminders

    sent = send_reminders(day, lang.value, url.rstrip("/"))
    sys.stdout.flush()
    for s in sent:
        err.print(f"  {s.username} <{s.email}>: {s.confirmations} "
                  + (gettext("台器具确认到期，{0} 个月度存证", lang, "cli.remind").format(s.filings)))
    err.print(gettext("已发送 {0} 封提醒邮件", lang, "cli.remind").format(len(sent)))


def register(app: typer.Typer) -> None:
    app.command("remind")(remind)
