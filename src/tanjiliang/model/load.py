"""Loading the unit file (YAML or JSON) with errors that name file, line and key path.

The file is parsed once into a node tree (libyaml where available), turned into plain data
with every plain scalar kept as the text the user wrote (so ``0.50`` stays ``"0.50"`` and
``2019-0032`` is not read as a number), validated by the pydantic models, and checked for
references and duplicate ids. Every problem is collected; a file with any problem raises
:class:`LoadError` listing all of them.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from tanjiliang.model.errors import Issue, LoadError, format_path
from tanjiliang.model.limits import (
    check_size,
    check_yaml,
    current_limits,
    may_have_aliases,
    quiet_stderr,
    read_user_text,
)
from tanjiliang.model.syntax import json_syntax, yaml_problem_zh, yaml_syntax
from tanjiliang.model.unit import (
    BOUNDARY,
    EMISSION_POINT_QUANTITIES,
    LAB,
    STREAM_QUANTITIES,
    EmissionPoint,
    Equipment,
    Instrument,
    SourceStream,
    SubUnit,
    UnitFile,
)

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# ------------------------------------------------------------------------- source trees


class SourceMap:
    """Where each key path of a loaded file stands (file name and node tree).

    The node tree is composed lazily from the text: only a file with a problem pays for it."""

    def __init__(self, file: str, root: yaml.Node | None = None, text: str | None = None) -> None:
        self.file = file
        self._root = root
        self._text = text
        self.resolution: Any = None  # names read as codes (tanjiliang.model.names.Resolution)
        self.unchecked_depth: str | None = None  # the text, while its nesting is not checked

    @property
    def root(self) -> yaml.Node | None:
        if self._root is None and self._text is not None:
            try:
                check_yaml(self.file, self._text)  # never compose what the limits refuse
                self._root = yaml.compose(self._text, Loader=_Loader)
            except (yaml.YAMLError, LoadError, RecursionError):
                self._root = None
            self._text = None
        return self._root

    def line(self, path: Iterable[str | int]) -> int | None:
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == part:
                        line = k.start_mark.line + 1
                        node = v
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
                    line = node.start_mark.line + 1
                else:
                    return line
            else:
                return line
        return line

    def issue(self, path: tuple[str | int, ...], zh: str, en: str) -> Issue:
        return Issue(self.file, self.line(path), format_path(path), zh, en)


#: A problem of the node tree: the node, where it is (key path), and what is wrong (zh, en).
_NodeProblem = tuple[yaml.Node, tuple[str | int, ...], str, str]


def _plain(node: yaml.Node, problems: list[_NodeProblem], path: tuple[str | int, ...] = ()) -> Any:
    """Node tree → data; plain scalars that YAML would turn into numbers or dates stay text.
    A problem names its key path (unit-file.md: file, line and key path)."""
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):  # "? [a, b]": a list or mapping as a key
                problems.append((k, path, "键应为文字，不能是列表或映射", "a key must be text, not a list or mapping"))
                continue
            key = k.value
            if key in out:
                problems.append((k, (*path, key), f"键“{key}”重复", f'duplicate key "{key}"'))
            out[key] = _plain(v, problems, (*path, key))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, problems, (*path, i)) for i, v in enumerate(node.value)]
    tag = node.tag
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return node.value.lower() in ("true", "yes", "on")
    return node.value


class _Fallback(Exception):
    """The fast parser cannot give a faithful answer; use the reference path."""


_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
         "yes": True, "Yes": True, "YES": True, "no": False, "No": False, "NO": False,
         "on": True, "On": True, "ON": True, "off": False, "Off": False, "OFF": False}
_NULL = {"", "~", "null", "Null", "NULL"}
#: Characters YAML 1.1 does not allow in a stream (PyYAML's Reader.NON_PRINTABLE).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


#: Plain scalars that rapidyaml's JSON emitter would not pass through verbatim (it writes
#: ``.5`` as ``0.5``, ``5.`` as ``5.0``, ``inf`` as ``.inf``; ``+1`` is no JSON) or that this
#: loader reads as null or a boolean only when unquoted (JSON cannot tell quoted from plain).
#: Each pattern starts with a literal, so the scan is fast; where a match starts a plain scalar
#: is checked on the characters before it (:func:`_starts_value`). A scalar starting with
#: ``+`` is risky only as one word (``+1``, ``+.5``): the emitter quotes ``+0.12 %`` (an
#: as-found error of a confirmation record, issue 16) like any other text; should it ever write
#: one unquoted, that is no JSON and the node walk decides.
_RISKY_TOKENS = (
    re.compile(r"\.(?<!\w\.)\d"),  # .5, -.5 (not 0.5: a word character before the dot)
    re.compile(r"\.(?![\d\w])"),  # 5. (the digits before it: SIGNED_DIGITS)
    re.compile(r"\+[^\s,\[\]{}#]*(?=[ \t]*(?:[\r\n,\]}#]|$))"),  # +1, +.5 (one word ending the scalar)
)
_SPECIALS = ("inf", "Inf", "INF", "nan", "NaN", "NAN")
_WORDS = ("~", "null", "Null", "NULL", "True", "TRUE", "False", "FALSE", "yes", "Yes", "YES", "no", "No",
          "NO", "on", "On", "ON", "off", "Off", "OFF")


def _whole_words(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern for whole words (no word character before or after): one alternative per
    first letter, each word then looking behind it over its own fixed width, so that the engine
    still jumps between candidate first letters (a look-behind in front would try every
    position: 5× slower on a 13 MB ledger; a group in front, 4×), tries only the words of the
    letter it stands on (a third faster than one alternative per word), and the words inside
    others (``calibration``, ``henan``; 50 000 in that ledger) never reach Python (issue 16)."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w)
    return re.compile("|".join(
        re.escape(first) + "(?:" + "|".join(f"{re.escape(w[1:])}(?<!\\w{'.' * len(w)})" for w in ws) + ")(?!\\w)"
        for first, ws in by_first.items()))


#: inf, nan (a sign and a dot may stand before them: SIGNED_DOT) and the null and boolean words.
_RISKY_WORDS = _whole_words((*_SPECIALS, *_WORDS))
SIGN, SIGNED_DIGITS, SIGNED_DOT = "sign", "signed digits", "signed dot"


def _lead_start(text: str, at: int, lead: str) -> int | None:
    """Where the token at ``at`` starts when ``lead`` may stand before it: a sign (``-.5``),
    a sign and digits (``-12.``, at least one digit), or a sign and a dot (``-.inf``)."""
    i = at
    if lead == SIGNED_DIGITS:
        while i > 0 and text[i - 1].isascii() and text[i - 1].isdigit():
            i -= 1
        if i == at:
            return None
    elif lead == SIGNED_DOT and i > 0 and text[i - 1] == ".":
        i -= 1
    if i > 0 and text[i - 1] in "+-":
        i -= 1
    return i


def _starts_value(text: str, at: int, lead: str | None) -> bool:
    """Whether the token at ``at`` is the start of a plain scalar, allowing ``lead`` right
    before it: it follows ``: ``, ``- ``, ``[``, ``{`` or ``,`` (spaces allowed), or starts a
    line."""
    i = at if lead is None else _lead_start(text, at, lead)
    if i is None:
        return False
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == 0 or text[j - 1] == "\n":
        return True
    before = text[j - 1]
    if before in "[{,":
        return True
    return before in ":-" and j < i  # "a: x", "- x" need a space; "a:x" is one scalar


_LEADS: tuple[str | None, ...] = (SIGN, SIGNED_DIGITS, None)


def _json_safe(text: str) -> bool:
    """Whether rapidyaml's JSON output of ``text`` holds every scalar as this loader reads it:
    no tags, one document, and no plain scalar of the kinds above."""
    if "!" in text or text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return False
    for pattern, lead in zip(_RISKY_TOKENS, _LEADS, strict=True):
        for m in pattern.finditer(text):
            at = m.start()
            if lead != SIGNED_DIGITS and at and (text[at - 1].isalnum() or text[at - 1] == "_"):
                continue  # inside a word: no scalar starts here
            if _starts_value(text, at, lead):
                return False
    for m in _RISKY_WORDS.finditer(text):  # whole words only (the pattern looks behind)
        if _starts_value(text, m.start(), SIGNED_DOT if m.group() in _SPECIALS else None):
            return False
    return True


_CONTAINERS = (dict, list)  # a tuple: isinstance with ``dict | list`` takes twice as long


def _depth_ok(data: Any, limit: int) -> bool:
    """Whether no more than ``limit`` mappings and lists are nested in one another (the root is
    the first), as :func:`~tanjiliang.model.limits.check_yaml` counts them."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        children = node.values() if isinstance(node, dict) else node
        for c in children:
            if isinstance(c, _CONTAINERS):  # every value of a large ledger passes here (issue 16)
                stack.append((c, depth + 1))
    return True


def _emit_json(tree: Any, ryml: Any, size_hint: int) -> bytearray:
    """rapidyaml's JSON text of ``tree`` in one pass into a buffer of about the right size
    (``emit_json`` measures the output first, emits it, then decodes it to ``str``: 2.5× the
    time on a 13 MB ledger, issue 16); a buffer found too small is made as large as the
    emitter says and the emission done again."""
    buf = bytearray(max(size_hint, 64))
    with quiet_stderr():  # "max depth exceeded", in English, from rapidyaml
        try:
            out = ryml.emit_json_in_place(tree, buf)
        except IndexError:
            buf = bytearray(ryml.compute_json_length(tree))
            out = ryml.emit_json_in_place(tree, buf)
    n = len(out)
    out.release()
    del buf[n:]  # no copy
    return buf


def _json_from_tree(tree: Any, ryml: Any, size_hint: int = 0, check_depth: bool = True) -> Any:
    """Plain data through rapidyaml's JSON emitter and the standard library's C JSON parser:
    ~10× faster than visiting every node from Python (a 10 000-instrument ledger with its
    confirmation records, issue 16). Numbers keep their text (``parse_int=str``); only ``true``,
    ``false`` and ``null`` (written plain) become Python values, as in :func:`_fast_yaml`. The
    caller has made sure (:func:`_json_safe`) that the emitter writes every scalar as it is.
    ``check_depth=False`` leaves the nesting to the caller (:func:`_deferred_depth`)."""
    data = json.loads(_emit_json(tree, ryml, size_hint), object_pairs_hook=_yaml_pairs,
                      parse_int=str, parse_float=str, parse_constant=_reject_constant)
    if not isinstance(data, dict | list) or (check_depth and not _depth_ok(data, current_limits().max_depth)):
        raise _Fallback
    return data


def _yaml_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A mapping of the JSON path: no duplicate keys, and no empty key (``- :`` has a null
    key, which JSON writes as ""; the node walk decides)."""
    out = dict(pairs)
    if len(out) != len(pairs) or "" in out:
        raise _Fallback
    return out


def _reject_constant(name: str) -> Any:
    raise _Fallback


def _fast_yaml(raw: bytes, json_path: bool = True, text: str | None = None,
               check_depth: bool = True) -> Any:
    """Plain data from rapidyaml (C++), same rules as :func:`_plain`: plain scalars stay text
    except null and booleans. Raises _Fallback for anything the reference path should judge
    (syntax errors, duplicate keys, several documents, tags). ``json_path=False`` visits every
    node from Python (the tests compare the two). ``text``: ``raw`` decoded, if the caller has it;
    ``check_depth=False``: the JSON path leaves the nesting limit to the caller."""
    try:
        import ryml
    except ImportError:
        raise _Fallback from None
    try:
        with quiet_stderr():  # rapidyaml prints its parse errors in English there
            tree = ryml.parse_in_arena(raw)
            tree.resolve()  # anchors, aliases and merge keys
    except Exception:  # any parse problem is reported by the reference path
        raise _Fallback from None
    if json_path and _json_safe(raw.decode("utf-8", "replace") if text is None else text):
        try:
            return _json_from_tree(tree, ryml, 2 * len(raw), check_depth)
        except Exception:  # the emitter's own errors (deep nesting…) too
            pass  # the node walk below decides (and names what is wrong)
    is_map, is_seq, first, nxt = tree.is_map, tree.is_seq, tree.first_child, tree.next_sibling
    key, val, quoted, has_tag = tree.key, tree.val, tree.is_val_quoted, tree.has_val_tag
    none = ryml.NONE

    max_depth = current_limits().max_depth

    def node(i: int, depth: int = 1) -> Any:
        if depth > max_depth and (is_map(i) or is_seq(i)):  # the reference path names the line
            raise _Fallback  # (model/limits.py: the root is the first of max_depth levels)
        if is_map(i):
            out: dict[str, Any] = {}
            c = first(i)
            while c != none:
                kb = key(c)
                if kb is None:
                    raise _Fallback
                k = bytes(kb).decode()
                if k in out:
                    raise _Fallback
                out[k] = node(c, depth + 1)
                c = nxt(c)
            return out
        if is_seq(i):
            items = []
            c = first(i)
            while c != none:
                items.append(node(c, depth + 1))
                c = nxt(c)
            return items
        if has_tag(i):
            raise _Fallback
        vb = val(i)
        if vb is None:  # a key left blank ("region:")
            return None
        v = bytes(vb).decode()
        if not quoted(i):
            if v in _NULL:
                return None
            if v in _BOOL:
                return _BOOL[v]
        return v

    root = tree.root_id()
    if not (is_map(root) or is_seq(root)):
        raise _Fallback
    try:
        return node(root)
    except UnicodeDecodeError:  # "\uD800": a lone surrogate; the reference path reports it
        raise _Fallback from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Fallback
    return out


#: No container of a valid unit file is nested deeper than this (the models have no recursive
#: or free-form field: ``source_streams[i].parameters.ncv.value`` holds the deepest, 6 levels
#: counting the root as model/limits.py does).
UNIT_FILE_DEPTH = 8


def read_tree(path: Path, text: str | None = None, *, unit_file: bool = False) -> tuple[Any, SourceMap]:
    """Parse a YAML or JSON file into plain data and its source map; LoadError on syntax.

    Fast path: ``json`` or rapidyaml; the reference path (PyYAML/libyaml node tree, which also
    gives every line number) judges any file the fast path declines. ``unit_file``: the data
    goes to :func:`validate_data`, which checks the YAML nesting limit only if the file does
    not validate (valid data is never deeper than :data:`UNIT_FILE_DEPTH`; issue 16)."""
    name = str(path)
    if text is None:
        text = read_user_text(path)  # size, folder, permission, encoding (model/limits.py)
    else:
        check_size(name, text)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates), SourceMap(name, text=text)
        except RecursionError:
            check_yaml(name, text)  # names the line where the nesting goes too deep
            raise LoadError([Issue(name, None, "", "嵌套过深", "nested too deeply")]) from None
        except json.JSONDecodeError as exc:
            raise LoadError([Issue(name, exc.lineno, "", *json_syntax(exc.msg, exc.colno))]) from None
        except _Fallback:
            pass
    else:
        try:
            if _NON_PRINTABLE.search(text):
                raise _Fallback
            if may_have_aliases(text):
                check_yaml(name, text)  # recursive aliases crash rapidyaml: refused before
            defer = unit_file and current_limits().max_depth >= UNIT_FILE_DEPTH
            data = _fast_yaml(text.encode("utf-8"), text=text, check_depth=not defer)
            src = SourceMap(name, text=text)
            src.unchecked_depth = text if defer else None
            return data, src
        except _Fallback:
            pass
    return _reference_tree(name, text)


def _reference_tree(name: str, text: str) -> tuple[Any, SourceMap]:
    check_yaml(name, text)  # aliases and depth within the limits (model/limits.py)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else 0
        lines = text.splitlines() if mark else []
        here = lines[mark.line][col - 1:col] if mark and mark.line < len(lines) else ""
        raise LoadError([Issue(name, line, "", *yaml_syntax(exc.problem, col, here))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control, …)
        before = text[: exc.position]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise LoadError([Issue(name, line, "", f"文件含不允许的字符 U+{exc.character:04X}（第{col}列）",
                               f"the file contains a character YAML does not allow, U+{exc.character:04X} (column {col})")]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Issue(name, None, "", f"YAML 错误：{yaml_problem_zh(str(exc)) or '无法解析'}",
                               f"YAML error: {exc}")]) from None
    src = SourceMap(name, root)
    if root is None:
        raise LoadError([Issue(name, 1, "", "文件为空", "the file is empty")])
    problems: list[_NodeProblem] = []
    data = _plain(root, problems)
    if problems:
        raise LoadError([Issue(name, n.start_mark.line + 1, format_path(p), zh, en) for n, p, zh, en in problems])
    return data, src


def comment_starts(text: str) -> list[int] | None:
    """Where the comments of a YAML text are (each ``#`` outside every token, the first of a
    comment and any after it on its line), in order; None when the text does not scan. A ``#`` inside a token (a quoted or block scalar, ``a#b``) is no comment: the
    scanner's token positions tell what is inside a scalar."""
    try:
        spans = [(tok.start_mark.index, tok.end_mark.index)
                 for tok in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))]
    except yaml.YAMLError:
        return None
    spans.sort()
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    reach: list[int] = []  # the furthest end of the spans starting at or before each one
    for b in ends:
        reach.append(max(b, reach[-1]) if reach else b)
    out: list[int] = []
    at = text.find("#")
    while at != -1:
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or reach[i] <= at:  # outside every token: a comment (to the end of its line)
            out.append(at)
        at = text.find("#", at + 1)
    return out


def has_comments(text: str) -> bool:
    """Whether a YAML text has a comment (a ``#`` outside every token; any ``#`` in a text that
    does not scan)."""
    starts = comment_starts(text)
    return "#" in text if starts is None else bool(starts)


# ------------------------------------------------------------------------- validation

_GENERIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的键（拼写错误？）",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_type": "不是有效日期（应为 YYYY-MM-DD）",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "string_unicode": "含无效字符（孤立的 Unicode 代理码位，如 \\uD800）",
    "recursion_loop": "嵌套过深或循环引用",
    "string_pattern_mismatch": "编号不能含空格或 . , ; : 等字符",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
}
_SHAPE_TYPES = {"model_type", "dict_type", "list_type", "string_type", "model_attributes_type",
                "is_instance_of", "float_type", "int_type", "date_type"}


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Drop pydantic's union-member tags from a loc, keeping only real keys and indexes."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and not (isinstance(part, str) and ("[" in part or part[:1].isupper())):
            out.append(part)  # a missing or unknown key
            node = None
    return tuple(out)


#: The English of the generic problems (pydantic's own wording — "Input should be …", "Field
#: required" — is not shown to a user).
_GENERIC_EN = {
    "missing": "required, missing",
    "extra_forbidden": "unknown key (a typo?)",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "date_from_datetime_parsing": "not a valid date (YYYY-MM-DD)",
    "date_parsing": "not a valid date (YYYY-MM-DD)",
    "date_type": "not a valid date (YYYY-MM-DD)",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "string_too_long": "too long",
    "string_unicode": "contains an invalid character (a lone Unicode surrogate such as \\uD800)",
    "recursion_loop": "nested too deeply or circular",
    "string_pattern_mismatch": "an id cannot contain spaces or . , ; : and the like",
    "list_type": "must be a list",
    "dict_type": "must be a mapping (key: value)",
    "model_type": "must be a mapping (key: value)",
    "model_attributes_type": "must be a mapping (key: value)",
    "greater_than_equal": "too small",
    "less_than_equal": "too large",
    "greater_than": "too small",
    "less_than": "too large",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "finite_number": "must be a finite number",
}
_BOUNDS = {"greater_than_equal": ("ge", "不小于", "at least"), "greater_than": ("gt", "大于", "more than"),
           "less_than_equal": ("le", "不大于", "at most"), "less_than": ("lt", "小于", "less than")}


def _allowed(err: Any) -> tuple[str, str]:
    """The allowed values of a ``literal_error`` by their names where the model has them, in
    each language (the file accepts a name for the code); codes only where there is no name."""
    from tanjiliang.model.names import _ENUM_FIELDS, ENUM_LABELS

    codes = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
    loc = err.get("loc") or ()
    key = next((part for part in reversed(loc) if isinstance(part, str) and part in _ENUM_FIELDS), None)
    labels = ENUM_LABELS.get(_ENUM_FIELDS[key], {}) if key else {}
    return ("、".join(labels[c][0] if c in labels else c for c in codes),
            ", ".join(labels[c][1] if c in labels else c for c in codes))


def _translate(err: Any) -> tuple[str, str]:
    typ = err["type"]
    ctx = err.get("ctx") or {}
    if typ == "tanjiliang":
        return str(ctx["zh"]), err["msg"]
    inp = err.get("input")
    shown = f"“{inp}”" if isinstance(inp, str | int | float) and not isinstance(inp, bool) else ""
    shown_en = f'"{inp}"' if shown else ""
    if typ == "literal_error":
        zh_list, en_list = _allowed(err)
        return f"{shown}不是允许的取值，应为 {zh_list} 之一", f"{shown_en} is not one of: {en_list}".strip()
    if typ == "value_error" and "zh" in ctx:
        return str(ctx["zh"]), err["msg"]
    zh = _GENERIC_ZH.get(typ) or "取值无效"  # never the parser's English in Chinese
    en = _GENERIC_EN.get(typ) or err["msg"]
    if typ == "list_type" and inp is None:  # "instruments:" with nothing under it
        zh, en = "应为列表；此键下没有内容（没有条目请写 []，或删去此键）", \
            "must be a list; nothing is written under this key (write [] for none, or remove the key)"
    if typ == "string_type" and isinstance(inp, bool):  # model: NO, region: yes — YAML's booleans
        zh += "（yes、no、on、off、true、false 不加引号会被读作真假值，请加引号）"
        en += " (yes, no, on, off, true and false unquoted are read as booleans: quote them)"
    if typ in _BOUNDS and _BOUNDS[typ][0] in ctx:
        key, zh_word, en_word = _BOUNDS[typ]
        bound = ctx[key]
        bound = f"{bound:g}" if isinstance(bound, float) else bound
        zh, en = f"{zh}（应{zh_word} {bound}）", f"{en} ({en_word} {bound})"
    if typ == "extra_forbidden":  # 名称: for name: — say which key is meant
        from tanjiliang.model.keys import key_for_label

        meant = key_for_label(UnitFile, tuple(err.get("loc") or ()))
        if meant is not None:
            zh, en = f"未知的键；“{err['loc'][-1]}”请写作 {meant}", f'unknown key; write "{err["loc"][-1]}" as {meant}'
    if shown and typ not in ("missing", "extra_forbidden"):
        zh = f"{shown}{zh}"
        en = f"{shown_en}: {en}"
    return zh, en


def validation_issues(exc: ValidationError, data: Any, src: SourceMap) -> list[Issue]:
    by_path: dict[tuple[str | int, ...], list[Any]] = {}
    for err in exc.errors(include_url=False):
        at = (err.get("ctx") or {}).get("at") if err["type"] == "tanjiliang" else None
        path = _clean_loc(err["loc"], data) + ((at,) if at else ())  # problem(..., at="activity")
        by_path.setdefault(path, []).append(err)
    issues = []
    for path, errs in by_path.items():
        custom = [e for e in errs if e["type"] in ("tanjiliang", "value_error")]
        chosen = custom or [e for e in errs if e["type"] not in _SHAPE_TYPES] or errs
        seen = set()
        for e in chosen[:1] if len(errs) > 1 else chosen:
            zh, en = _translate(e)
            if (zh, en) not in seen:
                seen.add((zh, en))
                issues.append(src.issue(path, zh, en))
    return issues


#: Characters an id cannot contain besides the id pattern's (spaces, ``. , ; :``): ids name
#: items in web addresses (``/api/units/1/instruments/<id>``), where ``/`` cannot be escaped and
#: ``\ < > " ? # %`` and control characters are mangled by clients or markup (probe s10 #11).
UNADDRESSABLE = frozenset('/\\<>"?#%')


def unaddressable(ident: str) -> str:
    """The characters of ``ident`` an id cannot contain (``UNADDRESSABLE``, control
    characters as U+XXXX), in order, separated by spaces; empty when there are none."""
    bad = dict.fromkeys(c for c in ident if c in UNADDRESSABLE or ord(c) < 32 or 127 <= ord(c) < 160)
    return " ".join(c if c in UNADDRESSABLE else f"U+{ord(c):04X}" for c in bad)


def reference_issues(unit: UnitFile, src: SourceMap, unchecked: dict[str, str] | None = None) -> list[Issue]:
    """Every id unique in the file; every reference resolved (unit-file.md). ``unchecked``:
    ids of the file's items that have problems of their own (id → section); a reference to one
    of them is not reported as undefined — its own problem is."""
    issues: list[Issue] = []
    owners: dict[str, tuple[str, int]] = {}
    for section in ("subunits", "equipment", "emission_points", "source_streams", "instruments"):
        for i, obj in enumerate(getattr(unit, section)):
            if bad := unaddressable(obj.id):
                issues.append(src.issue((section, i, "id"),
                                        f"编号“{obj.id}”不能含 {bad}（网址中无法引用；可改用 - 或 _）",
                                        f'id "{obj.id}" cannot contain {bad} (it could not be used in a web '
                                        "address; use - or _ instead)"))
            if obj.id in (BOUNDARY, LAB):
                issues.append(src.issue((section, i, "id"), f"“{obj.id}”是保留字，不能作编号",
                                        f'"{obj.id}" is reserved and cannot be an id'))
            elif obj.id in owners:
                s, j = owners[obj.id]
                issues.append(src.issue(
                    (section, i, "id"),
                    f"编号“{obj.id}”重复（已用于 {format_path((s, j))}，第{src.line((s, j, 'id'))}行）",
                    f'duplicate id "{obj.id}" (already used by {format_path((s, j))}, line {src.line((s, j, "id"))})'))
            else:
                owners[obj.id] = (section, i)

    def kind(ref: str) -> str | None:
        return owners.get(ref, ("", 0))[0] or (unchecked or {}).get(ref)

    def need(path: tuple[str | int, ...], ref: str, allowed: tuple[str, ...], zh: str, en: str) -> None:
        if kind(ref) not in allowed:
            issues.append(src.issue(path, f"“{ref}”不是{zh}", f'"{ref}" is not {en}'))

    for i, e in enumerate(unit.equipment):
        if e.subunit is not None:
            need(("equipment", i, "subunit"), e.subunit, ("subunits",), "已定义的次级单位",
                 "a sub-unit defined in this file")
    for i, p in enumerate(unit.emission_points):
        if p.equipment is not None:
            need(("emission_points", i, "equipment"), p.equipment, ("equipment",),
                 "已定义的设施", "equipment defined in this file")
        if p.subunit is not None:
            need(("emission_points", i, "subunit"), p.subunit, ("subunits",),
                 "已定义的次级单位", "a sub-unit defined in this file")
    for i, st in enumerate(unit.source_streams):
        for c in st.consumer_shares():
            need(("source_streams", i, "consumers", c) if isinstance(st.consumers, dict)
                 else ("source_streams", i, "consumers"), c, ("subunits", "equipment"),
                 "已定义的次级单位或设施", "a sub-unit or equipment defined in this file")
        for j, ep in enumerate(st.emission_points or []):
            need(("source_streams", i, "emission_points", j), ep, ("emission_points",),
                 "已定义的排放口", "an emission point defined in this file")
    for i, ins in enumerate(unit.instruments):
        for j, (target, qty) in enumerate(ins.targets()):
            path = ("instruments", i, "measures", j) if isinstance(ins.measures, list) else ("instruments", i, "measures")
            shown = ins.measures_list()[j]
            k = kind(target)
            if k == "source_streams":
                if qty != "activity" and qty not in STREAM_QUANTITIES:
                    issues.append(src.issue(path, f"“{qty}”不是源流参数（{', '.join(STREAM_QUANTITIES)}）",
                                            f'"{qty}" is not a stream parameter ({", ".join(STREAM_QUANTITIES)})'))
            elif k == "emission_points":
                if qty not in EMISSION_POINT_QUANTITIES:
                    allowed = ", ".join(f"{target}.{q}" for q in EMISSION_POINT_QUANTITIES)
                    issues.append(src.issue(path, f"排放口须指明测量量：{allowed}",
                                            f"name the emission-point quantity: {allowed}"))
            else:
                issues.append(src.issue(path, f"“{shown}”不是源流、源流参数或排放口测量量",
                                        f'"{shown}" is not a stream, stream parameter or emission-point quantity'))
        if ins.basis is not None and not any(q == "co2" and kind(t) == "emission_points" for t, q in ins.targets()):
            # dry or wet is the basis of a CEMS CO2 concentration (shared/domain.md §6)
            issues.append(src.issue(("instruments", i, "basis"),
                                    "干湿基准（basis）只适用于测量排放口 CO2 浓度的分析仪（measures: 排放口.co2）",
                                    "a measurement basis (basis) applies only to an analyser of an emission "
                                    "point's CO2 concentration (measures: <point>.co2)"))
        if ins.at not in (BOUNDARY, LAB) and kind(ins.at) not in ("subunits", "equipment", "emission_points"):
            issues.append(src.issue(("instruments", i, "at"),
                                    f"“{ins.at}”不是安装地点（boundary、lab、次级单位、设施或排放口）",
                                    f'"{ins.at}" is not a place (boundary, lab, a sub-unit, equipment or emission point)'))
    return issues


_SECTION_MODELS: dict[str, type[BaseModel]] = {"subunits": SubUnit, "equipment": Equipment, "emission_points": EmissionPoint,
                   "source_streams": SourceStream, "instruments": Instrument}


class _Partial:
    """A source for a unit holding only the items that validated: ``(section, j)`` → the
    item's index in the file."""

    def __init__(self, src: Any, index: dict[str, list[int]]) -> None:
        self.src, self.index = src, index

    def _map(self, path: Any) -> tuple[str | int, ...]:
        p = tuple(path)
        if len(p) >= 2 and p[0] in self.index and isinstance(p[1], int) and p[1] < len(self.index[p[0]]):
            return (p[0], self.index[p[0]][p[1]], *p[2:])
        return p

    def line(self, path: Any) -> int | None:
        line: int | None = self.src.line(self._map(path))
        return line

    def issue(self, path: tuple[str | int, ...], zh: str, en: str) -> Issue:
        issue: Issue = self.src.issue(self._map(path), zh, en)
        return issue


def _partial_unit(data: dict[str, Any]) -> tuple[UnitFile, dict[str, list[int]]]:
    """The items of each section that validate on their own (for the reference checks of a
    file that has other problems), and where each stood in the file."""
    index: dict[str, list[int]] = {}
    parts: dict[str, list[Any]] = {}
    for section, model in _SECTION_MODELS.items():
        raw = data.get(section)
        index[section], parts[section] = [], []
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            try:
                parts[section].append(model.model_validate(item))
                index[section].append(i)
            except ValidationError:
                continue
    partial: UnitFile = UnitFile.model_construct(None, **parts)  # type: ignore[arg-type]
    return partial, index


def _unchecked_ids(data: dict[str, Any], index: dict[str, list[int]]) -> dict[str, str]:
    """Ids of the items left out of the partial unit (they have problems of their own): id →
    section, so that a valid item referring to one is not also told the id is undefined."""
    out: dict[str, str] = {}
    for section, kept in index.items():
        raw = data.get(section)
        ok = set(kept)
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            if i not in ok and isinstance(item, dict) and isinstance(item.get("id"), str):
                out.setdefault(item["id"], section)
    return out


def _deferred_depth(data: Any, src: Any) -> None:
    """The YAML nesting limit of a file read with ``read_tree(unit_file=True)`` that did not
    validate: a file nested too deeply is refused as such, by the reference path."""
    text = getattr(src, "unchecked_depth", None)
    if text is not None:
        src.unchecked_depth = None
        if not _depth_ok(data, current_limits().max_depth):
            _reference_tree(src.file, text)  # check_yaml names the line (model/limits.py)


def validate_data(data: Any, src: SourceMap) -> UnitFile:
    """Validate a unit file's data; every problem at once (issue 12 (4)): names written where
    codes are expected resolved first (``tanjiliang.model.names``, each mapping kept on
    ``src.mappings``), then the model's checks and the references of every item that is valid
    on its own, so that a file with six mistakes reports six."""
    if not isinstance(data, dict):
        _deferred_depth(data, src)
        raise LoadError([src.issue((), "文件顶层应为映射（键: 值）", "the top level must be a mapping")])
    issues: list[Issue] = []
    fmt = data.get("format")
    if fmt is not None and fmt != "tanjiliang/unit@1":
        issues.append(src.issue(("format",), f"不支持的格式“{fmt}”，应为 tanjiliang/unit@1",
                                f'unsupported format "{fmt}", expected tanjiliang/unit@1'))
    from tanjiliang.model.names import resolve_unit_data

    resolution = resolve_unit_data(data)
    if isinstance(src, SourceMap):
        src.resolution = resolution
    issues += [src.issue(path, zh, en) for path, zh, en in resolution.problems]
    from tanjiliang.model.booleans import EN, ZH, bool_numbers

    booleans = [src.issue(path, ZH, EN) for path in bool_numbers(data)]  # yes/no where a number goes
    issues += booleans
    try:
        unit = UnitFile.model_validate(data)
    except ValidationError as exc:
        _deferred_depth(data, src)
        told = {i.path for i in issues if i.path == "format"} | {i.path for i in booleans}  # said once
        issues += [i for i in validation_issues(exc, data, src) if i.path not in told]
        partial, index = _partial_unit(data)
        seen = {(i.path, i.zh) for i in issues}
        issues += [i for i in reference_issues(partial, _Partial(src, index),  # type: ignore[arg-type]
                                               _unchecked_ids(data, index))
                   if (i.path, i.zh) not in seen]
        raise LoadError(issues) from None
    issues += reference_issues(unit, src)
    if issues:
        raise LoadError(issues)
    unit._source = src
    return unit


def name_mappings(unit: UnitFile, lang: str = "zh") -> list[str]:
    """The names the loader read as codes in ``unit``'s file (``material: 天然气`` →
    ``natural_gas``…), one line each; empty when the file wrote codes."""
    src = unit._source
    res = getattr(src, "resolution", None)
    lines: list[str] = res.lines(lang) if res is not None else []
    return lines


def load_unit(path: str | Path, text: str | None = None) -> UnitFile:
    """Load and validate a unit file; raise :class:`LoadError` naming every problem."""
    p = Path(path)
    enabled = gc.isenabled()
    gc.disable()  # building many small acyclic objects: collection passes only cost time
    try:
        data, src = read_tree(p, text, unit_file=True)
        return validate_data(data, src)
    finally:
        if enabled:
            gc.enable()
