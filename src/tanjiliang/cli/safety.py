"""The last line of defence of the ``tanjiliang`` command (issue 18: nothing crashes).

Every command answers bad input itself (exit 2, the file, line and field named). This wrapper
turns what slips through — a user's file problem (:class:`LoadError`, a readings error) or the
operating system refusing a path (a folder given as a file, an output folder that does not
exist, no permission) — into the same answer: a message naming the file in the user's
language and exit 2, never a traceback. Any other exception is a bug and is raised as is."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence

from rich.console import Console

from tanjiliang.i18n import LANG_ENV, gettext
from tanjiliang.model.errors import Issue, LoadError, os_reason

EXIT_BAD_INPUT = 2

def lang_of(argv: Sequence[str]) -> str:
    """The ``--lang`` given on the command line, else ``TANJILIANG_LANG`` (every ``--lang``'s
    default, cli/localise.py); zh by default."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "zh"
    return "en" if os.environ.get(LANG_ENV) == "en" else "zh"


def os_issue(exc: OSError) -> Issue:
    """An operating-system refusal as an issue naming the file."""
    name = str(exc.filename) if exc.filename is not None else ""
    if isinstance(exc, FileNotFoundError):
        zh, en = "文件或文件夹不存在", "no such file or folder"
    elif isinstance(exc, IsADirectoryError):
        zh, en = "这是文件夹，不是文件", "this is a folder, not a file"
    elif isinstance(exc, NotADirectoryError):
        zh, en = "路径中有一段不是文件夹", "a part of the path is not a folder"
    elif isinstance(exc, PermissionError):
        zh, en = "没有权限", "permission denied"
    else:
        zh, en = os_reason(exc)
    if not name:  # some libraries put the path in the text only
        text = str(exc)
        zh, en = (zh if re.search(r"[A-Za-z]{3}", text) else f"{zh}：{text}"), f"{en}: {text}"
    return Issue(name or "tanjiliang", None, "", zh, en)


#: The options that name a file a command writes.
OUTPUT_OPTIONS = ("-o", "--output", "--bundle", "--flagged")


def overwrites_input(argv: Sequence[str]) -> Issue | None:
    """An output path that is one of the command's input files (the same file, symbolic links
    resolved): `check plant.yaml --ledger L.xlsx -o L.xlsx` would replace the ledger with the
    report. Looked at for every command before it runs, so a command added later is guarded too;
    the command refuses nothing else here (a new output file is never an input)."""
    outputs: list[str] = []
    others: list[str] = []
    it = iter(range(len(argv)))
    for i in it:
        a = argv[i]
        opt, eq, val = a.partition("=")
        if a in OUTPUT_OPTIONS and i + 1 < len(argv):
            outputs.append(argv[i + 1])
            next(it, None)
        elif eq and opt in OUTPUT_OPTIONS:
            outputs.append(val)
        else:
            others.append(val if eq and opt.startswith("--") else a)
    for out in outputs:
        for other in others:
            try:
                same = os.path.isfile(out) and os.path.samefile(out, other)
            except (OSError, ValueError):
                continue
            if same:
                return Issue(out, None, "", f"输出文件也是本命令的输入文件（{other}），写入会覆盖它；请另给一个输出文件名",
                             f"the output file is also an input of this command ({other}); writing it would "
                             "overwrite it: give another output file name")
    return None


def report(issues: list[str], lang: str) -> None:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print("[bold red]" + (gettext("输入有误，未写入任何文件：", lang, "cli.safety")) + "[/]")
    for m in issues:
        console.print(m, markup=False)


def run(app: Callable[[], object], argv: Sequence[str] | None = None) -> None:
    """Run the Typer app; bad input that escaped a command exits 2 with its message."""
    lang = lang_of(sys.argv if argv is None else argv)
    clash = overwrites_input(sys.argv[1:] if argv is None else argv)
    if clash is not None:
        report([clash.message(lang)], lang)
        sys.exit(EXIT_BAD_INPUT)
    try:
        app()
    except LoadError as err:
        report([i.message(lang) for i in err.issues], lang)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as exc:
        report([os_issue(exc).message(lang)], lang)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:
        from tanjiliang.data.readings import ReadingsError

        if isinstance(exc, ReadingsError):
            report([i.message(lang) for i in exc.issues], lang)
            sys.exit(EXIT_BAD_INPUT)
        if _database_error(exc):  # a --database that cannot be opened or reached is bad input
            report([database_issue(exc, sys.argv if argv is None else argv).message(lang)], lang)
            sys.exit(EXIT_BAD_INPUT)
        raise


def _database_error(exc: BaseException) -> bool:
    """A database driver's refusal (Django's OperationalError and kin), known without importing
    Django for commands that never use it."""
    return type(exc).__module__.startswith("django.db") and type(exc).__name__ in (
        "OperationalError", "InterfaceError", "DatabaseError")


def database_issue(exc: BaseException, argv: Sequence[str]) -> Issue:
    """The database named on the command line (or the default one) could not be used: said in
    the user's language, the driver's own English reason only in English."""
    name = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--database"), "")
    name = name or next((a.split("=", 1)[1] for a in argv if a.startswith("--database=")), "")
    if not name:
        name = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "tanjiliang"
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return Issue(name, None, "", "数据库无法打开或连接（请检查 --database 或 DATABASE_URL）",
                 f"the database cannot be opened or reached (check --database or DATABASE_URL): {reason}")
