"""``tanjiliang serve``: the web application (issue 5 §1).

``--demo`` migrates an SQLite database in the user data directory, loads the example units
with demo accounts, prints the URL and the logins, and serves on 127.0.0.1 (DEBUG on).
Otherwise the settings come from the environment (see ``tanjiliang/web/settings.py``):
``--database URL`` or ``DATABASE_URL`` (PostgreSQL: ``postgresql://user@host/db``), and
``TANJILIANG_SECRET_KEY`` is required. Both run under gunicorn, static files by whitenoise.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from tanjiliang.cli.check import Lang
from tanjiliang.i18n import gettext

DEMO_DB = "demo.sqlite3"


def project_root() -> Path:
    """The checkout the package runs from (for examples/), else the working directory."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "examples").is_dir() and (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def example_files(root: Path | None = None) -> list[Path]:
    """examples/*/unit.yaml; the spec's example while there are none."""
    root = root or project_root()
    files = sorted(root.glob("examples/*/unit.yaml"))
    if not files:
        files = [root / "tests" / "data" / "spec-example.yaml"]
    return [f for f in files if f.exists()]


def demo_database() -> Path:
    """Where the demo database lives (``TANJILIANG_DATA_DIR``, else the user's data folder)."""
    from platformdirs import user_data_dir

    return Path(os.environ.get("TANJILIANG_DATA_DIR") or user_data_dir("tanjiliang", appauthor=False)) / DEMO_DB


def configure(*, demo: bool, database: str | None) -> None:
    """Set the environment the Django settings read, then set Django up."""
    if demo:
        os.environ["TANJILIANG_DEMO"] = "1"
    if database:
        os.environ["DATABASE_URL"] = database
    elif demo and not os.environ.get("DATABASE_URL"):
        db = demo_database()
        db.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings")
    import django

    django.setup()


def prepare(*, demo: bool, quiet: bool = False) -> list[Any]:
    """Migrate; in demo mode load the examples and accounts (idempotent)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # Cached results are keyed by unit revision and date, not by the rules: a server started
    # with another version of the packs or factor library must not show the old ones.
    from tanjiliang.web.core.models import AssessmentCache

    AssessmentCache.objects.all().delete()
    if not demo:
        return []
    from tanjiliang.web.core.demo import seed
    from tanjiliang.web.review.demo import seed_self_inspections

    logins = seed(example_files())
    seed_self_inspections()
    from tanjiliang.web.month.demo import seed_months  # filed months (issue 14 §6)

    seed_months()
    return logins


def print_logins(url: str, logins: list[Any], lang: str, serving: bool = True) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    zh = lang == "zh"
    if serving:
        head = gettext("碳计量演示已启动", lang, "cli.serve")
    else:
        head = gettext("演示数据已准备好（未启动服务）", lang, "cli.serve")
    console.print(f"\n[bold green]{head}:[/] [bold]{url}[/]\n")
    table = Table(title=gettext("演示账户", lang, "cli.serve"))
    table.add_column(gettext("用户名", lang, "cli.serve"))
    table.add_column(gettext("密码", lang, "cli.serve"))
    table.add_column(gettext("角色", lang, "cli.serve"))
    for login in logins:
        table.add_row(login.username, login.password, login.zh if zh else login.en)
    console.print(table)
    if serving:
        console.print((gettext("按 Ctrl+C 停止。", lang, "cli.serve")) + "\n")


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (issue 12 §6). The probe binds as
    gunicorn does (SO_REUSEADDR), so a port in TIME_WAIT counts as free."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port_near(host: str, port: int) -> int | None:
    return next((p for p in range(port + 1, min(port + 50, 65536)) if not port_taken(host, p)),
                None)


def refuse_taken_port(host: str, port: int, lang: str) -> None:
    """Say that the port is taken, suggest ``--port`` with a free one, exit 1."""
    if not port_taken(host, port):
        return
    other = free_port_near(host, port)
    if lang == "zh":
        msg = f"端口 {port} 已被占用（可能已有一个服务或演示在运行），未启动。"
        hint = f"请换一个端口，例如：--port {other}" if other else "请用 --port 指定其他端口"
    else:
        msg = f"port {port} is already in use (another server or demo may be running); not started."
        hint = f"choose another port, e.g. --port {other}" if other else "choose another port with --port"
    typer.echo(f"{msg}\n{hint}", err=True)
    raise typer.Exit(1)


def announce_when_answering(url: str, announce: Any, timeout: float = 120.0) -> threading.Thread:
    """Call ``announce()`` once ``url`` answers an HTTP request (issue 12 §6: the server is
    announced only when it serves), polling from a thread beside gunicorn's master."""
    import time
    import urllib.error
    import urllib.request

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "login/", timeout=2):
                    pass
            except urllib.error.HTTPError:
                pass  # an HTTP answer of any status: the server is up
            except (OSError, ValueError):
                time.sleep(0.2)
                continue
            announce()
            sys.stdout.flush()
            return

    thread = threading.Thread(target=watch, name="tanjiliang-announce", daemon=True)
    thread.start()
    return thread


def run_gunicorn(host: str, port: int, workers: int, threads: int, *,
                 access_log: bool = False) -> None:
    """Serve the WSGI application under gunicorn (blocking)."""
    from gunicorn.app.base import BaseApplication

    from tanjiliang.web.wsgi import application

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("timeout", 120)
            self.cfg.set("backlog", 2048)
            self.cfg.set("accesslog", "-" if access_log else None)
            self.cfg.set("preload_app", True)

        def load(self) -> Any:
            return application

    App().run()


#: Libraries whose worker threads do not survive a fork: a gunicorn worker forked from a
#: process that has run them hangs the first time it runs them again (polars' thread pool
#: waits for threads that were not copied). The demo's preparation checks the examples with
#: their readings (polars, numba) before serving.
FORK_UNSAFE = ("polars", "numba")


def serve_fresh(host: str, port: int, workers: int, threads: int, *, access_log: bool = False) -> None:
    """:func:`run_gunicorn` in a new Python process when this one has started a fork-unsafe
    thread pool (:data:`FORK_UNSAFE`), so that the workers gunicorn forks start clean; the
    settings travel in the environment (:func:`configure`). Blocks; Ctrl+C or a termination
    signal stops the server too."""
    if not any(m in sys.modules for m in FORK_UNSAFE):
        run_gunicorn(host, port, workers, threads, access_log=access_log)
        return
    import signal
    import subprocess

    code = ("import sys; from tanjiliang.cli.serve import _serve_child; "
            "_serve_child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == '1')")
    child = subprocess.Popen([sys.executable, "-c", code, host, str(port), str(workers), str(threads),
                              "1" if access_log else "0"])

    def stop(signum: int, _frame: Any) -> None:
        child.send_signal(signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        child.wait()
    except KeyboardInterrupt:  # gunicorn got the terminal's SIGINT too: let it finish
        child.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    if child.returncode not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise typer.Exit(child.returncode)


def _serve_child(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    """The fresh process of :func:`serve_fresh`: Django set up from the environment, then
    gunicorn."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings")
    import django

    django.setup()
    run_gunicorn(host, port, workers, threads, access_log=access_log)


def serve(
    demo: Annotated[bool, typer.Option("--demo", help="演示模式 / demo data, DEBUG, loopback only")] = False,
    database: Annotated[str | None, typer.Option("--database", help="数据库 URL / database URL (else DATABASE_URL)")] = None,
    host: Annotated[str, typer.Option(help="监听地址 / bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn 进程数 / worker processes")] = 0,
    threads: Annotated[int, typer.Option(help="每进程线程数 / threads per worker")] = 4,
    create_admin: Annotated[str | None, typer.Option("--create-admin", help="创建管理员后退出 / create an administrator and exit")] = None,
    issue_token: Annotated[str | None, typer.Option("--issue-token", help="为用户签发 API 令牌后退出 / print a new API token for a user and exit")] = None,
    access_log: Annotated[bool, typer.Option("--access-log")] = False,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只迁移/加载，不启动 / prepare only")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="评价日期 YYYY-MM-DD（默认今天）/ assess as of this date (default today)")] = None,
    warm: Annotated[bool, typer.Option("--warm", help="启动前计算各单位监管指标（配合 --no-serve 可每日定时运行）/ compute every unit's indicators before serving (with --no-serve: daily from cron)")] = False,
) -> None:
    """启动网页应用 / Run the web application."""
    if demo:
        host = "127.0.0.1"  # the demo's accounts are public: never listen beyond loopback
    if not demo and not os.environ.get("TANJILIANG_SECRET_KEY"):
        typer.echo(gettext("未设置 TANJILIANG_SECRET_KEY（生产环境必需；试用请运行 tanjiliang serve --demo）", lang, "cli.serve"), err=True)
        raise typer.Exit(2)
    if as_of:
        from datetime import date

        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(f"--as-of {as_of}: YYYY-MM-DD") from None
        os.environ["TANJILIANG_AS_OF"] = as_of
    if not (no_serve or create_admin or issue_token):
        refuse_taken_port(host, port, lang)
    configure(demo=demo, database=database)
    logins = prepare(demo=demo)
    if create_admin:
        import getpass

        from django.contrib.auth.models import User

        from tanjiliang.web.core.models import ROLE_ADMIN, Profile

        password = os.environ.get("TANJILIANG_ADMIN_PASSWORD") or getpass.getpass()
        user = User.objects.create_superuser(create_admin, password=password)
        Profile.objects.create(user=user, role=ROLE_ADMIN)
        typer.echo(f"created administrator {create_admin}")
        return
    if issue_token:
        from django.contrib.auth.models import User

        from tanjiliang.web.core.api import issue_token as issue

        typer.echo(issue(User.objects.get(username=issue_token), "cli"))
        return
    if warm:
        from tanjiliang.web.month.views import warm_indicators

        n_units = warm_indicators()
        typer.echo(gettext("已计算 {0} 个单位的监管指标", lang, "cli.serve").format(n_units), err=True)
    url = f"http://{host}:{port}/"

    def announce() -> None:
        if demo:
            print_logins(url, logins, lang, serving=not no_serve)
            if as_of:
                typer.echo((gettext("评价日期：", lang, "cli.serve")) + as_of)
        else:
            typer.echo((gettext("服务已启动：", lang, "cli.serve")) + url)

    if no_serve:
        announce()
        return
    n = workers or (min(4, (os.cpu_count() or 1) + 1) if not demo else 2)
    sys.stdout.flush()
    announce_when_answering(url, announce)
    serve_fresh(host, port, n, threads, access_log=access_log)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
