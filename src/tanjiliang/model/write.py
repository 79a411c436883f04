"""Canonical writing of the unit file: the keys in the spec's order, short mappings in flow
style, values exactly as entered (quantities as their strings), nothing added or dropped.
A whole number is written as one (``5``, not ``5.0``), and a text that some YAML reader (1.1 or
1.2) would take for a number, a boolean or null (``1e3``, ``0o17``, ``-.5``, ``NaN``, ``y``) is
quoted, so that every reader sees the text the user wrote.

Every file the system writes goes through :func:`atomic_write` / :func:`atomic_writer` /
:func:`atomic_path` (issue 18: temp file in the same folder, fsync, rename)."""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import yaml

from tanjiliang.model.errors import Issue, LoadError, os_reason
from tanjiliang.model.unit import UnitFile

_FLOW_WIDTH = 96


#: libyaml's emitter where PyYAML has it (2.5× faster on a 2 000-instrument ledger, the same
#: text: tests/model/test_write_c.py); the pure-Python one otherwise.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    pass


def _scalar_len(v: Any) -> int:
    return len(str(v)) + 4


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    flat = all(not isinstance(v, dict | list) or (isinstance(v, list) and all(
        not isinstance(x, dict | list) for x in v) and len(v) <= 6) for v in data.values())
    width = sum(len(str(k)) + _scalar_len(v) for k, v in data.items())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(),
                                    flow_style=flat and width <= _FLOW_WIDTH and len(data) > 0)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, dict | list) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data,
                                     flow_style=flat and sum(map(_scalar_len, data)) <= _FLOW_WIDTH)


#: Plain scalars that a YAML 1.1 or 1.2 (core or JSON schema) reader resolves to a number, a
#: boolean or null, whether or not PyYAML's own (1.1) resolver does: PyYAML quotes ``0x1A``
#: and ``yes`` but writes ``1e3``, ``0o17``, ``-.5``, ``NaN`` and ``y`` plain, which a 1.2 reader
#: takes for numbers and a 1.1 reader for booleans. ``NaN``, ``inf`` and ``Infinity`` are
#: numbers to any reader that hands a plain scalar to ``float()``.
_NOT_TEXT = re.compile(r"""(?x)
    | ~ | null | Null | NULL                                            # null
    | y | Y | yes | Yes | YES | n | N | no | No | NO                     # bool (1.1)
    | true | True | TRUE | false | False | FALSE
    | on | On | ON | off | Off | OFF
    | [-+]? [0-9][0-9_]*                                                # int, 1.2 and 1.1 (octal 017)
    | [-+]? 0b[01_]+ | [-+]? 0o?[0-7_]+ | [-+]? 0x[0-9a-fA-F_]+         # binary, octal, hex
    | [-+]? [0-9][0-9_]* (?: :[0-5]?[0-9] )+ (?: \.[0-9_]* )?         # sexagesimal (1.1)
    | [-+]? (?: [0-9][0-9_]* )? \. [0-9._]* (?: [eE][-+]?[0-9]+ )?    # float with a point
    | [-+]? [0-9][0-9_]* [eE][-+]?[0-9]+                                # float without one (1.2)
    | [-+]? \.? (?: inf | Inf | INF | infinity | Infinity | INFINITY )  # infinities
    | [-+]? \.? (?: nan | NaN | NAN )                                  # not a number
""")


def reads_as_not_text(text: str) -> bool:
    """Whether a YAML 1.1 or 1.2 reader would resolve ``text``, written plain, to a number, a
    boolean or null (the writer quotes it)."""
    return _NOT_TEXT.fullmatch(text) is not None


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if reads_as_not_text(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


class _BlockDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Block style throughout (a top-level mapping that would come out in flow style)."""


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)
_BlockDumper.add_representer(str, _represent_str)


def whole_numbers(obj: Any) -> Any:
    """``obj`` with every float that is a whole number written as an int (``5.0`` → ``5``), the
    way a person writes it. The loader reads ``5`` back as the same float: every number of the
    unit file is a ``float`` field (``records_retention_years``, the shares of ``consumers`` and
    ``split``) or an ``int`` one (the year, a tier), and none is a union with text. A float
    whose text has an exponent (``1e+16``) is left as it is."""
    if isinstance(obj, float):
        return int(obj) if math.isfinite(obj) and repr(obj).endswith(".0") else obj
    if isinstance(obj, dict):
        return {k: whole_numbers(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [whole_numbers(v) for v in obj]
    return obj


def unit_to_data(unit: UnitFile) -> dict[str, Any]:
    """What the user set, in the model's field order (defaults the user did not write stay out)."""
    data: dict[str, Any] = unit.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data.setdefault("format", "tanjiliang/unit@1")
    return {"format": data.pop("format"), **data}


def dump_yaml(unit: UnitFile) -> str:
    data = whole_numbers(unit_to_data(unit))
    parts = []
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    for key, value in data.items():  # a blank line between top-level sections
        if key in scalars:
            if key == next(iter(scalars)):
                parts.append(_block(scalars))
            continue
        parts.append(_block({key: value}))
    return "\n".join(parts)


def _block(data: dict[str, Any]) -> str:
    """A top-level mapping in block style (its values choose their own style)."""
    node_text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                               width=100, default_flow_style=None)
    if node_text.startswith("{"):
        node_text = yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False,
                              width=100, default_flow_style=False)
    return node_text


def dump_json(unit: UnitFile) -> str:
    return json.dumps(whole_numbers(unit_to_data(unit)), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------- comments

def without_comments(text: str) -> tuple[str, int]:
    """``text`` without its comments, and how many lines had one. A line that held only a
    comment goes with its line break; a trailing comment goes with the spaces before it.
    Blank lines that removing a comment line brings together count as one, and blank lines it
    leaves at the start or the end of the file go too: ``a\\n\\n# c\\n\\nb`` and
    ``# c\\n\\na`` become ``a\\n\\nb`` and ``a``. A text that does not scan is returned as it is."""
    from tanjiliang.model.load import comment_starts

    starts = comment_starts(text)
    if not starts:
        return text, 0
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    cut_at: dict[int, int] = {}  # line index → where its comment starts within it
    for at in starts:
        i = bisect.bisect_right(offsets, at) - 1
        cut_at.setdefault(i, at - offsets[i])
    kept: list[str] = []
    cuts: set[int] = set()  # positions in ``kept`` where comment lines were removed before
    for i, line in enumerate(lines):
        if i not in cut_at:
            kept.append(line)
            continue
        body = line[:cut_at[i]].rstrip(" \t")
        if body.strip():
            kept.append(body + line[len(line.rstrip("\r\n")):])
        else:
            cuts.add(len(kept))

    def blank(j: int) -> bool:
        return 0 <= j < len(kept) and not kept[j].strip()

    drop: set[int] = set()
    for c in sorted(cuts):
        if c == 0 or (blank(c - 1) and (c - 1) not in drop):
            j = c
            while blank(j) and (c == 0 or j == c):  # at the start: every blank line after
                drop.add(j)
                j += 1
        if c == len(kept):
            j = c - 1
            while blank(j):
                drop.add(j)
                j -= 1
    return "".join(line for j, line in enumerate(kept) if j not in drop), len(cut_at)


# ------------------------------------------------------------------------- atomic writing

def _target_mode(path: Path) -> int:
    """The mode the written file gets: the old file's, or what ``open`` would give (umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform or file system without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class OutputError(LoadError):
    """A file cannot be written where the user asked (a folder that does not exist, a folder in
    the file's place, no permission): bad input, exit 2, nothing written."""


def output_issue(path: str | Path) -> Issue | None:
    """Why ``path`` cannot be written, or None (checked before any work is done)."""
    target = Path(path)
    name = str(path)
    if target.is_dir():
        return Issue(name, None, "", "这是文件夹，不能写成文件；请给出文件名", "this is a folder; give a file name")
    folder = target.parent
    if not folder.exists():
        return Issue(name, None, "", f"文件夹“{folder}”不存在", f'the folder "{folder}" does not exist')
    if not folder.is_dir():
        return Issue(name, None, "", f"“{folder}”不是文件夹", f'"{folder}" is not a folder')
    if not os.access(folder, os.W_OK | os.X_OK):
        return Issue(name, None, "", f"没有写入文件夹“{folder}”的权限", f'no permission to write in "{folder}"')
    return None


def check_output(path: str | Path) -> None:
    """Raise :class:`OutputError` when ``path`` cannot be written."""
    issue = output_issue(path)
    if issue is not None:
        raise OutputError([issue])


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path in ``path``'s folder for a writer that wants a file name (openpyxl,
    polars, WeasyPrint…); on a clean exit it is fsynced and renamed over ``path``.

    Issue 18 (atomic writes): a reader, or a process killed at any moment, sees the old file or
    the new one, never a truncated one. The file keeps the old file's permissions. On an
    exception the temporary file is removed and ``path`` is untouched. A symbolic link is
    followed: the file it points to is replaced (in that file's folder) and the link stays a
    link, as an editor saving through it would do."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent
    check_output(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        zh, en = os_reason(exc)
        raise OutputError([Issue(str(path), None, "", f"无法写入：{zh}", f"cannot write: {en}")]) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, _target_mode(target))
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


@contextmanager
def atomic_writer(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """An open file (text ``"w"`` or binary ``"wb"``) whose content replaces ``path``
    atomically when the block ends without an exception (see :func:`atomic_path`)."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer writes whole files: mode 'w' or 'wb', not {mode!r}")
    with atomic_path(path) as tmp:
        if mode == "wb":
            with open(tmp, "wb") as fb:
                yield fb
                fb.flush()
        else:
            with open(tmp, "w", encoding=encoding, newline="") as ft:
                yield ft
                ft.flush()


def atomic_write(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, fsync, rename)."""
    with atomic_writer(path, "wb") as f:
        f.write(data.encode(encoding) if isinstance(data, str) else data)
    return Path(path)


# ------------------------------------------------------------------------- JSON output

def json_safe(obj: Any) -> Any:
    """``obj`` with every float that is not finite (NaN, ±Infinity) replaced by ``null``: JSON
    has no such numbers and strict parsers refuse them (issue 18)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    return obj


def json_text(obj: Any, indent: int | None = 2) -> str:
    """The one way a command prints JSON: UTF-8 text, valid JSON (never NaN or Infinity),
    dates and other objects as their text, a final newline."""
    try:  # the common case has no NaN: no copy of a large assessment first (issue 16)
        text = json.dumps(obj, ensure_ascii=False, indent=indent, default=str, allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: null in its place
        text = json.dumps(json_safe(obj), ensure_ascii=False, indent=indent, default=str,
                          allow_nan=False)
    return text + "\n"
