"""Limits on what a user's file may cost to read (issue 18: bad input never crashes).

The unit file, the rule pack and the review checklist are YAML or JSON a user hands in (also
through the web app). Before any parser builds a tree, :func:`check_yaml` walks the YAML event
stream (libyaml, linear in the text, no alias is expanded) and refuses:

- a *recursive alias* (``&a [*a]``: an alias to a node that is still open), which makes the fast
  parser (rapidyaml) recurse without end and crash the process;
- an *alias bomb* ("billion laughs"): more alias uses than ``max_aliases``, or aliases that
  would add more than ``max_alias_nodes`` nodes once expanded;
- nesting deeper than ``max_depth`` (mappings and lists inside each other);
- an alias to an anchor that is not defined.

:func:`read_user_text` refuses a file larger than ``max_file_bytes`` (before reading it), a
folder, an unreadable file and one that is not UTF-8, each with a message naming the file.

Every limit is a setting with a default (:class:`Limits`), overridable by the environment
variables named in :data:`ENVIRONMENT` (docs/security.md, "Limits on files").
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from tanjiliang.model.errors import Issue, LoadError, os_reason


@dataclass(frozen=True, slots=True)
class Limits:
    """What one user file may hold. Defaults fit the largest real unit file (100 000
    instruments is about 30 MB of YAML) with room to spare."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_aliases: int = 10_000
    max_alias_nodes: int = 100_000
    max_xlsx_bytes: int = 512 * 1024 * 1024  # a workbook once decompressed (zip bombs)
    max_xlsx_ratio: int = 100  # decompressed / compressed, checked above 16 MB decompressed


#: Environment variable → field of :class:`Limits`.
ENVIRONMENT = {
    "TANJILIANG_MAX_FILE_BYTES": "max_file_bytes",
    "TANJILIANG_YAML_MAX_DEPTH": "max_depth",
    "TANJILIANG_YAML_MAX_ALIASES": "max_aliases",
    "TANJILIANG_YAML_MAX_ALIAS_NODES": "max_alias_nodes",
    "TANJILIANG_MAX_XLSX_BYTES": "max_xlsx_bytes",
    "TANJILIANG_MAX_XLSX_RATIO": "max_xlsx_ratio",
}


def current_limits() -> Limits:
    """The limits in force: the defaults, each overridden by its environment variable when set
    to a positive integer (anything else in the variable is ignored)."""
    values: dict[str, int] = {}
    names = {f.name for f in fields(Limits)}
    for var, name in ENVIRONMENT.items():
        raw = os.environ.get(var, "").strip().replace("_", "")
        if name in names and raw.isdigit() and int(raw) > 0:
            values[name] = int(raw)
    return Limits(**values)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} B"


def read_user_text(path: Path, lim: Limits | None = None) -> str:
    """The text of a user's file (UTF-8, an optional BOM dropped); LoadError naming the file
    when it is missing, a folder, unreadable, too large or not UTF-8."""
    lim = lim or current_limits()
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(name)
        if size > lim.max_file_bytes:
            raise LoadError([Issue(name, None, "",
                                   f"文件过大（{_size(size)}，上限 {_size(lim.max_file_bytes)}）",
                                   f"the file is too large ({_size(size)}, limit {_size(lim.max_file_bytes)})")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError([Issue(name, None, "", "文件不存在", "no such file")]) from None
    except IsADirectoryError:
        raise LoadError([Issue(name, None, "", "这是文件夹，不是文件", "this is a folder, not a file")]) from None
    except PermissionError:
        raise LoadError([Issue(name, None, "", "没有读取此文件的权限", "permission denied: cannot read the file")]) from None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise LoadError([Issue(name, None, "", f"无法读取文件：{zh}", f"cannot read the file: {en}")]) from None
    return decode_user_bytes(name, raw)


def decode_user_bytes(name: str, raw: bytes) -> str:
    """A user's file as text: UTF-8 with an optional BOM; else LoadError naming the line and
    byte, and saying so when the file reads as GBK/GB18030 (what Chinese Windows editors save)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        zh, en = f"文件不是 UTF-8 编码（字节 {exc.start}）", f"the file is not UTF-8 (byte {exc.start})"
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            zh += "：看来是 GBK/GB18030 编码，请用编辑器另存为 UTF-8"
            en += ": it looks like GBK/GB18030; save it as UTF-8 in your editor"
        raise LoadError([Issue(name, line, "", zh, en)]) from None


def check_size(name: str, text: str, lim: Limits | None = None) -> None:
    """A text handed in directly (web upload, ``fmt``) obeys the same size limit."""
    lim = lim or current_limits()
    if len(text) > lim.max_file_bytes:  # characters: at least as many bytes
        raise LoadError([Issue(name, None, "",
                               f"文件过大（{_size(len(text))}，上限 {_size(lim.max_file_bytes)}）",
                               f"the file is too large ({_size(len(text))}, limit {_size(lim.max_file_bytes)})")])


#: Where an alias token may start: after a line start, a space or a flow indicator. The
#: pattern starts with the literal ``*`` (the preceding character in a look-behind), so the
#: scan jumps from star to star: a 13 MB ledger whose capacities read ``360 m**2`` took 0.45 s
#: with the alternation first (issue 16).
_MAYBE_ALIAS = re.compile(r"\*(?<![^\s\[\{,]\*)[^\s\[\]\{\},]")


def may_have_aliases(text: str) -> bool:
    """Cheap test: whether the text can hold an alias (if not, it cannot recurse or explode)."""
    return "*" in text and _MAYBE_ALIAS.search(text) is not None  # the scan only if it may


_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def check_yaml(name: str, text: str, lim: Limits | None = None) -> None:
    """Refuse recursive aliases, alias bombs and deep nesting before any tree is built.

    Walks the event stream once, keeping for each open collection its anchor and its size
    once expanded; an alias adds the size of the node it names. A syntax error is left to the
    parser proper, which reports it with its line."""
    lim = lim or current_limits()
    stack: list[str | None] = []  # the anchor of each open collection
    size: list[int] = []  # its size so far, aliases expanded
    sizes: dict[str, int] = {}
    open_anchors: dict[str, int] = {}
    aliases = expanded = 0

    def refuse(event: yaml.Event, zh: str, en: str) -> LoadError:
        return LoadError([Issue(name, event.start_mark.line + 1 if event.start_mark else None, "", zh, en)])

    def add(n: int) -> None:
        if size:
            size[-1] += n

    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, _OPEN):
                if len(stack) >= lim.max_depth:
                    raise refuse(ev, f"嵌套过深（超过 {lim.max_depth} 层）",
                                 f"nested too deeply (more than {lim.max_depth} levels)")
                stack.append(ev.anchor)
                size.append(1)
                if ev.anchor:
                    open_anchors[ev.anchor] = open_anchors.get(ev.anchor, 0) + 1
            elif isinstance(ev, _CLOSE):
                anchor, n = stack.pop(), size.pop()
                if anchor:
                    sizes[anchor] = n
                    open_anchors[anchor] -= 1
                add(n)
            elif isinstance(ev, yaml.ScalarEvent):
                if ev.anchor:
                    sizes[ev.anchor] = 1
                add(1)
            elif isinstance(ev, yaml.AliasEvent):
                aliases += 1
                alias = ev.anchor or ""
                if open_anchors.get(alias):
                    raise refuse(ev, f"别名“*{alias}”指向包含它自身的节点（递归别名），拒绝读取",
                                 f'alias "*{alias}" refers to a node that contains it (a recursive alias); refused')
                if alias not in sizes:
                    raise refuse(ev, f"别名“*{alias}”没有对应的锚点“&{alias}”",
                                 f'alias "*{alias}" has no anchor "&{alias}"')
                if aliases > lim.max_aliases:
                    raise refuse(ev, f"别名过多（超过 {lim.max_aliases} 处），拒绝读取",
                                 f"too many aliases (more than {lim.max_aliases}); refused")
                expanded += sizes[alias]
                if expanded > lim.max_alias_nodes:
                    raise refuse(ev, f"别名展开后增加的节点过多（超过 {lim.max_alias_nodes}），疑似“别名炸弹”，拒绝读取",
                                 f"aliases expand to more than {lim.max_alias_nodes} extra nodes (an alias bomb?); refused")
                add(sizes[alias])
            elif isinstance(ev, yaml.DocumentStartEvent):
                sizes.clear()
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own limit (1000 flow levels)
            mark = exc.problem_mark
            raise LoadError([Issue(name, mark.line + 1 if mark else None, "",
                                   f"嵌套过深（超过 {lim.max_depth} 层）",
                                   f"nested too deeply (more than {lim.max_depth} levels)")]) from None
        return  # the parser proper reports syntax errors with their line
    except yaml.YAMLError:
        return
    except RecursionError:  # not expected (the walk is flat), but never a traceback
        raise LoadError([Issue(name, None, "", f"嵌套过深（超过 {lim.max_depth} 层）",
                               f"nested too deeply (more than {lim.max_depth} levels)")]) from None


def check_workbook(path: Path, lim: Limits | None = None) -> None:
    """Refuse a workbook (.xlsx is a zip) that would decompress to more than
    ``max_xlsx_bytes``, or to more than 16 MB at more than ``max_xlsx_ratio`` times its packed
    size (real workbooks pack 5–20×; a 216 KB "zip bomb" ledger held a web worker for 8
    minutes) — before any Excel reader opens it. A file that is not a zip is left to the
    reader to report."""
    import zipfile

    lim = lim or current_limits()
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(max(0, i.file_size) for i in z.infolist())
            packed = sum(max(0, i.compress_size) for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    except (NotImplementedError, RuntimeError):  # a zip feature no reader here can open
        raise LoadError([Issue(str(path), None, "",
                               "无法读取工作簿（文件已损坏或使用了不支持的压缩格式）",
                               "cannot read the workbook (damaged, or an unsupported zip format)")]) from None
    bomb = total > 16 * 1024 * 1024 and total > lim.max_xlsx_ratio * max(packed, 1)
    if total > lim.max_xlsx_bytes or bomb:
        raise LoadError([Issue(str(path), None, "",
                               f"工作簿解压后过大（{_size(total)}，上限 {_size(lim.max_xlsx_bytes)}），疑似“压缩炸弹”，拒绝读取",
                               f"the workbook decompresses to {_size(total)} (limit {_size(lim.max_xlsx_bytes)}), a zip bomb?; refused")])


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence file descriptor 2 for a C library that prints its own parse errors there
    (rapidyaml prints "ERROR: [parse] …" in English before raising); the user reads the
    loader's message, in their language, instead. Python's ``sys.stderr`` is flushed first."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)
