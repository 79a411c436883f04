"""Syntax errors of YAML and JSON files said in the user's language (issue 13: a Chinese user
never meets an English word they did not write).

PyYAML, libyaml and Python's ``json`` report problems in English (``did not find expected ','
or '}'``, ``Expecting property name enclosed in double quotes``). The Chinese message says what
is wrong and the usual cause; the English message keeps the parser's own words. A problem not in
the table is said without its English in Chinese (the line and column still point at it).
"""

from __future__ import annotations

import re

# (pattern of the parser's problem, Chinese) — PyYAML's pure-Python and libyaml's wordings.
YAML_PROBLEMS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in [
    (r"expected ',' or '\}'|did not find expected ',' or '\}'", "花括号 {…} 内缺少逗号“,”或右花括号“}”"),
    (r"expected ',' or '\]'|did not find expected ',' or '\]'", "方括号 […] 内缺少逗号“,”或右方括号“]”"),
    (r"tab character", "缩进中有制表符；缩进请用空格"),
    (r"found character that cannot start any token",
     "此处的字符不能作为内容的开头（以 @ 或 ` 开头的文字请加引号）"),
    (r"mapping values are not allowed", "此处不能出现“键: 值”（缩进不对？含冒号和空格的文字请加引号）"),
    (r"could not find expected ':'", "找不到应有的冒号“:”（键后缺少冒号，或引号未闭合？）"),
    (r"did not find expected key|expected <block end>", "缩进不对：此行与上文的键没有对齐"),
    (r"did not find expected '-' indicator", "缩进不对：此处应为以“- ”开头的列表项"),
    (r"sequence entries are not allowed", "此处不能出现列表项“- ”（缩进不对？）"),
    (r"did not find expected node content|expected the node content", "此处缺少内容（括号或引号未闭合？）"),
    (r"found unexpected end of stream|unexpected end of", "文件意外结束（引号或括号未闭合？）"),
    (r"found unknown escape character", "双引号内有无法识别的反斜杠转义（路径请用单引号或正斜杠 /）"),
    (r"comment or (a )?line break", "此行末尾有多余的内容（应为注释或换行）"),
    (r"found undefined alias", "引用了未定义的锚点（*名称）"),
    (r"found duplicate anchor", "锚点（&名称）重复"),
    (r"undefined tag handle|could not determine a constructor", "无法识别的标签（!…）"),
    (r"alphabetic or numeric character", "锚点或别名（& 或 *）后应为字母或数字"),
    (r"found unexpected ':'", "此处出现了多余的冒号“:”（含冒号的文字请加引号）"),
    (r"document start|incompatible YAML document|found unexpected document", "一个文件只能有一个文档（多余的 --- 或内容？）"),
    (r"control characters? (are|is) not allowed|special characters are not allowed", "文件含不允许的控制字符"),
]]

# Python's json module: the message before the position.
JSON_PROBLEMS: dict[str, str] = {
    "Expecting value": "此处应为一个值（多余的逗号，或缺少值？）",
    "Expecting property name enclosed in double quotes": "此处应为双引号括起的键名（末尾多了逗号，或用了单引号？）",
    "Expecting ':' delimiter": "键名后缺少冒号“:”",
    "Expecting ',' delimiter": "缺少逗号“,”",
    "Extra data": "数据结束后还有多余的内容",
    "Unterminated string starting at": "字符串缺少结尾的双引号",
    "Invalid control character at": "字符串中有控制字符（换行或制表符请写作 \\n、\\t）",
    "Invalid \\escape": "无效的反斜杠转义",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


def yaml_problem_zh(problem: str | None) -> str:
    """The Chinese for a YAML parser's problem text (empty if there is none in the table)."""
    text = problem or ""
    for pattern, zh in YAML_PROBLEMS:
        if pattern.search(text):
            return zh
    return ""


def json_problem_zh(msg: str) -> str:
    """The Chinese for a ``json`` error message (empty if there is none in the table)."""
    for key, zh in JSON_PROBLEMS.items():
        if msg.startswith(key):
            return zh
    return ""


def yaml_syntax(problem: str | None, col: int, char: str = "") -> tuple[str, str]:
    """The (zh, en) message of a YAML syntax error at column ``col`` (``char``: the character
    there, when known: a tab is said as such)."""
    if char == "\t":
        return (f"YAML 语法错误：缩进中有制表符；缩进请用空格（第{col}列）",
                f"YAML syntax error: a tab in the indentation; indent with spaces (column {col})")
    zh = yaml_problem_zh(problem)
    return (f"YAML 语法错误：{zh}（第{col}列）" if zh else f"YAML 语法错误（第{col}列）",
            f"YAML syntax error: {problem} (column {col})")


def json_syntax(msg: str, col: int) -> tuple[str, str]:
    """The (zh, en) message of a JSON syntax error at column ``col``."""
    zh = json_problem_zh(msg)
    return (f"JSON 语法错误：{zh}（第{col}列）" if zh else f"JSON 语法错误（第{col}列）",
            f"JSON syntax error: {msg} (column {col})")
