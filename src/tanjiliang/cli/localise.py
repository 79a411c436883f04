"""``--help`` in one language (issue 13): Chinese by default, English with ``--lang en`` (or
``TANJILIANG_LANG`` / the locale, :func:`tanjiliang.i18n.cli_lang`).

The help texts of the commands are written as pairs in one string (``"English 中文"``,
``"中文 / English"``, ``"中文 — English"``), so the two languages stay side by side in the
code where other engineers keep adding them. Before a command line is parsed the whole command
tree is localised: each help text is split into its Chinese and its English part
(:func:`split`); the catalogue (context ``cli:<text>``) may give a better rendering, and an
English-only text takes its Chinese from :data:`ZH`. Typer's and click's own words (panel
titles, "Usage:", "[required]", errors) follow the same language.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any, cast

from typer import _click as click
from typer.core import TyperGroup

from tanjiliang.i18n import LANG_ENV, cli_lang, gettext, pairs

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’·"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CLUSTER = re.compile(
    # a Chinese run, with the few Latin words (CO2, CEMS, Excel, YAML) it embeds
    f"[{_CJK}](?:[^{_CJK}]{{0,24}}?[{_CJK}])*"
)
_LATIN_WORDS = re.compile(r"\b[A-Za-z]{2,}\b")

#: Chinese for help texts written in English only (the options most commands share).
ZH: dict[str, str] = {
    "Show this message and exit.": "显示本帮助并退出。",
    "zh | en": "输出语言：zh 中文，en 英文",
    "text | json": "输出格式：text 文本，json JSON",
    "output file": "输出文件",
    "unit file": "单位文件",
    "exit 1 if the file is not canonical; write nothing": "文件不规范时退出码为 1；不写入",
    "print instead of rewriting the file": "输出到屏幕，不改写文件",
    "allow losing the file's comments": "允许丢弃文件中的注释",
    "allow losing the unit file's comments": "允许丢弃单位文件中的注释",
    "overwrite existing files": "覆盖已有文件",
    "zh | en: language of list values": "下拉列表的语言：zh 中文，en 英文",
    "zh | en: language of the files written and of messages": "所生成文件与提示的语言：zh 中文，en 英文",
    "Show a pack's rules, each value with its source, clause and status (V/S/I).":
        "显示规则包的规则，每个数值附出处、条款和状态（V/S/I）。",
    "bundled pack name or path to a pack file": "内置规则包名称或规则包文件路径",
    "YYYY-MM-DD (default: 1 Jan of the reporting year)": "起始日期 YYYY-MM-DD（默认：报告年度 1 月 1 日）",
    "YYYY-MM-DD, exclusive": "截止日期 YYYY-MM-DD，不含当日",
    "YYYY-MM-DD, exclusive (default: 1 Jan of the next year)":
        "截止日期 YYYY-MM-DD，不含当日（默认：次年 1 月 1 日）",
    "expected interval in seconds (default: per instrument, median step)":
        "预期采样间隔（秒；默认按器具取中位间隔）",
    "DAS exports: point,time,co2,flow,temperature,pressure,moisture":
        "数据采集系统（DAS）导出文件：监测点、时间、CO2、流量、温度、压力、湿度各一列",
    "percent | mg/m3": "CO2 浓度单位：% 或 mg/m³",
    "dry | wet: CO2 concentration basis (default: the unit file's; else % dry, mg/m3 wet)":
        "CO2 浓度基准：dry 干基，wet 湿基（缺省：单位文件中 CO2 分析仪声明的基准；未声明时 % 为干基，mg/m3 为湿基）",
    "ledger file to write (.xlsx)": "要写入的台账文件（.xlsx）",
    "YYYY-MM-DD for the next-due column": "计算“下次到期”列所用的日期 YYYY-MM-DD",
    "show the change set; write nothing": "只显示变更清单，不写入",
    "remove the unit's instruments absent from the ledger (else they are kept)":
        "删除台账中没有的器具（默认保留）",
    "infer nothing (type from the name, place by part of its name, what it measures)":
        "不做推断（不按名称推断器具类型、安装地点和测量对象）",
    "also instruments confirmed through instruments it confirmed": "包括经其检定/校准的器具再传递检定/校准的器具",
    "Excel ledger replacing the file's instruments": "用 Excel 台账替换文件中的器具",
    "database URL (default DATABASE_URL)": "数据库地址（默认取环境变量 DATABASE_URL）",
}

#: Help texts whose pair the splitter cannot take apart: their Chinese (the English from the
#: catalogue, context ``cli:<text>``).
PAIRS = cast("dict[str, tuple[str, str]]", pairs("cli", {
    "gunicorn 进程数 / worker processes": "gunicorn 工作进程数",
    "budget in 元 for plan (b) 预算（元）": "方案 (b) 的预算（元）",
    "Write a review's report (现场审查情况汇总表, 不符合项报告, evidence list) 生成审查报告.":
        "生成审查报告（现场审查情况汇总表、不符合项报告、证据清单）。",
}))

#: Click's and Typer's own words in Chinese.
CLICK_ZH: dict[str, str] = {
    "Usage:": "用法：", "Usage: ": "用法：", "Options": "选项", "Commands": "命令",
    "Arguments": "参数", "Error": "错误", "Aborted!": "已中止。", "Aborted.": "已中止。",
    "[required]": "[必填]", "[default: {}]": "[默认：{}]", "[env var: {}]": "[环境变量：{}]",
    "(deprecated) ": "（已弃用）", "Missing command.": "缺少命令。",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Missing argument '{param_hint}'.": "缺少参数“{param_hint}”。",
    "Missing option '{param_hint}'.": "缺少选项“{param_hint}”。",
    "No such option: {name}": "没有此选项：{name}",
    "No such command {name!r}.": "没有此命令：{name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "Option '{name}' requires an argument.": "选项“{name}”需要一个值。",
    "default: {default}": "默认：{default}", "required": "必填",
    "Show this message and exit.": "显示本帮助并退出。",
    "Did you mean {}?": "是否要输入 {}？",
    # the usage line's placeholders
    "[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]...",
}
#: The value types Typer shows beside each option (``<str>``), in Chinese.
TYPE_ZH: dict[str, str] = {
    "str": "文本", "int": "整数", "float": "数值", "bool": "开关", "path": "路径", "Path": "路径",
    "file": "文件", "dir": "文件夹", "datetime": "日期时间", "UUID": "标识",
}
CLICK_ZH.update(TYPE_ZH)

#: Chinese names of the commands' arguments (by metavar, else by parameter name), shown in
#: the usage line and the arguments panel instead of the code's names (``{file}``, ``UNIT``).
ARG_ZH: dict[str, str] = {
    "file": "文件", "FILES": "文件", "instrument": "管理编号", "LEDGER": "台账", "name": "规则包",
    "new": "新规则包", "old": "原规则包", "out": "输出目录", "READINGS": "计量数据", "root": "目录",
    "standard": "计量标准", "summary": "汇总文件", "UNIT_OR_FOLDER": "单位文件或目录",
    "UNIT": "单位文件", "units": "单位文件或目录",
}

#: Typer's type label inside ``<…>`` (``<str>``, ``<list[Path]>``): the bare type words.
_TYPE_WORD = re.compile(r"\b(" + "|".join(TYPE_ZH) + r")\b")
_LIST_OF = re.compile(r"^<list\[(.*)\]>$")


def click_word(english: str, lang: str) -> str:
    """Click's or Typer's own ``english`` text in ``lang``: Chinese from :data:`CLICK_ZH`, a
    further language from its catalogue (context ``click:<english>``), else the English."""
    zh = CLICK_ZH.get(english)
    if zh is None or lang == "en":
        return english
    if lang == "zh":
        return zh
    out = gettext(zh, lang, f"click:{english}")
    return out if out != zh else english


def type_label(label: str, lang: str) -> str:
    """Typer's ``<type>`` label of an option in ``lang``: the type words translated
    (``<str>`` → ``<文本>``, ``<list[Path]>`` → ``<路径…>``); a choice (``<text|json>``) is what
    one types and stays as it is."""
    if lang == "en" or not label.startswith("<"):
        return label
    m = _LIST_OF.match(label)
    inner = m.group(1) if m else label[1:-1]
    if "|" in inner and not _TYPE_WORD.fullmatch(inner.split("|")[0]):
        return label
    out = _TYPE_WORD.sub(lambda w: click_word(w.group(1), lang), inner)
    return f"<{out}…>" if m else f"<{out}>"


def split(text: str) -> tuple[str, str]:
    """(中文, English) of a help text written as a pair in one string."""
    text = " ".join(text.split())
    if text in PAIRS:
        return PAIRS[text]
    if not _CJK_CHAR.search(text):
        return ZH.get(text, ""), text
    for sep in (" / ", " — ", " - "):
        if sep in text:
            parts = [p.strip() for p in text.split(sep)]
            zh = [p for p in parts if _CJK_CHAR.search(p)]
            en = [p for p in parts if not _CJK_CHAR.search(p)]
            if zh and en:
                return sep.join(zh), sep.join(en)
    clusters = [m for m in _CLUSTER.finditer(text)
                if len(_LATIN_WORDS.findall(m.group())) <= 3]
    zh = " ".join(m.group().strip() for m in clusters)
    en = text
    for m in reversed(clusters):
        en = en[:m.start()] + " " + en[m.end():]
    en = re.sub(r"\s+([.,:;)])(?=\s|$)", r"\1", re.sub(r"\(\s*\)", "", " ".join(en.split()))).strip(" :;,")
    return zh, en


def pick_help(text: str | None, lang: str) -> str | None:
    if not text:
        return text
    zh, en = split(text)
    key = " ".join(text.split())
    if lang == "zh":
        return zh or en
    out = gettext(zh or key, lang, f"cli:{key}") if lang != "en" else en
    return out or en


def _localise(cmd: click.Command, lang: str) -> None:
    """Set every help text of ``cmd`` and its subcommands to ``lang`` (the pair as written is
    kept on the object, so a later command line in another language starts from it)."""
    if not hasattr(cmd, "_tj_options_metavar"):
        cmd._tj_options_metavar = cmd.options_metavar  # type: ignore[attr-defined]
    if cmd._tj_options_metavar == "[OPTIONS]":  # type: ignore[attr-defined]
        cmd.options_metavar = click_word("[OPTIONS]", lang)
    if getattr(cmd, "_tj_subcommand_metavar", None) is None and hasattr(cmd, "subcommand_metavar"):
        cmd._tj_subcommand_metavar = cmd.subcommand_metavar  # type: ignore[attr-defined]
    if getattr(cmd, "_tj_subcommand_metavar", None) == "COMMAND [ARGS]...":
        cmd.subcommand_metavar = click_word("COMMAND [ARGS]...", lang)  # type: ignore[attr-defined]
    for p in cmd.params:
        if p.name == "lang" and p.param_type_name == "option" and p.envvar is None:
            p.envvar, p.show_envvar = LANG_ENV, True  # --lang's default (an explicit --lang wins)
        if p.param_type_name != "argument":
            continue
        if not hasattr(p, "_tj_metavar"):
            p._tj_metavar = p.metavar  # type: ignore[attr-defined]
        key = (p._tj_metavar or p.name or "").removesuffix("...")  # type: ignore[attr-defined]
        zh = ARG_ZH.get(key)
        p.metavar = p._tj_metavar if lang == "en" or zh is None else (  # type: ignore[attr-defined]
            zh if lang == "zh" else gettext(zh, lang, f"cli.arg:{key}"))
    for obj, attr in [(cmd, "help"), (cmd, "short_help"), *((p, "help") for p in cmd.params)]:
        original = f"_tj_{attr}"
        if not hasattr(obj, original):
            setattr(obj, original, getattr(obj, attr, None))
        if getattr(obj, original) is not None:
            setattr(obj, attr, pick_help(getattr(obj, original), lang))
    commands = getattr(cmd, "commands", {})
    # a lazy group (cli/lazy.py) localises the others as they load
    for sub in (commands.loaded() if hasattr(commands, "loaded") else commands.values()):
        _localise(sub, lang)


def _words(lang: str) -> None:
    """Typer's and click's own words in ``lang`` (Typer's help and error formatter gets them
    when it is imported, for a help page or an error: :func:`tanjiliang._imports.after_import`)."""
    import importlib

    from tanjiliang._imports import after_import

    def tr(message: str) -> str:
        return click_word(message, lang)

    # Typer carries its own copy of click (typer._click); both are localised.
    for name in ("typer._click.core", "typer._click.exceptions", "typer._click.formatting",
                 "typer._click.types", "typer._click.decorators", "typer.core",
                 "click.core", "click.exceptions", "click.formatting", "click.types",
                 "click.decorators"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = tr  # type: ignore[attr-defined]
    after_import("typer.rich_utils", _rich_words)


def _rich_words(rich_utils: Any) -> None:
    """The panel titles and messages of Typer's formatter in this command line's language."""

    def tr(message: str) -> str:
        return click_word(message, _LANG["lang"])

    for name, english in (("DEPRECATED_STRING", "(deprecated) "), ("DEFAULT_STRING", "[default: {}]"),
                          ("ENVVAR_STRING", "[env var: {}]"), ("REQUIRED_LONG_STRING", "[required]"),
                          ("ARGUMENTS_PANEL_TITLE", "Arguments"), ("OPTIONS_PANEL_TITLE", "Options"),
                          ("COMMANDS_PANEL_TITLE", "Commands"), ("ERRORS_PANEL_TITLE", "Error"),
                          ("ABORTED_TEXT", "Aborted."),
                          ("RICH_HELP", "Try [blue]'{command_path} {help_option}'[/] for help.")):
        setattr(rich_utils, name, tr(english))
    if "rich_format_error" not in _ORIGINAL:  # Typer's copy of click writes its errors as
        _ORIGINAL["rich_format_error"] = rich_utils.rich_format_error  # f-strings, not gettext

        def rich_format_error(exc: Any) -> None:
            if hasattr(exc, "format_message"):
                text = exc.format_message()
                text = usage_error_zh(text) if _LANG["lang"] == "zh" else usage_error_en(text)
                exc.format_message = lambda: text
            _ORIGINAL["rich_format_error"](exc)

        rich_utils.rich_format_error = rich_format_error


#: Typer's usage errors (English f-strings in its copy of click, pydantic's words for a value
#: of the wrong type) → Chinese: pattern, template.
USAGE_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), zh) for p, zh in [
    (r"^Missing argument '(?P<a>[^']*)'\.?$", "缺少参数“{a}”。"),
    (r"^Missing option '(?P<a>[^']*)'\.?$", "缺少选项“{a}”。"),
    (r"^Missing command\.?$", "缺少命令。"),
    (r"^Option '(?P<a>[^']*)' requires an argument\.?$", "选项“{a}”需要一个值。"),
    (r"^Got unexpected extra arguments? ?(?:\(s\))? ?\((?P<a>.*)\)$", "多余的参数（{a}）"),
    (r"^No such option: (?P<a>\S+)(?: \(Possible options: (?P<b>.*)\))?$", "没有此选项：{a}"),
    (r"^No such command '(?P<a>[^']*)'\.?$", "没有此命令：“{a}”。"),
    (r"^Invalid value for '(?P<a>[^']*)' \(env var: '(?P<e>[^']*)'\): (?P<b>.*)$",
     "“{a}”的值（取自环境变量 {e}）无效：{b}"),
    (r"^Invalid value for '(?P<a>[^']*)': (?P<b>.*)$", "“{a}”的值无效：{b}"),
]]
_VALUE_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), zh) for p, zh in [
    (r"^(?:Value error, )?'(?P<v>[^']*)' is not one of (?P<c>.*?)\.?$", "“{v}”不是可选值（{c}）"),
    (r"^Input should be a valid integer.*$", "应为整数"),
    (r"^Input should be a valid number.*$", "应为数字"),
    (r"^Input should be a valid boolean.*$", "应为 true 或 false"),
    (r"^'(?P<v>[^']*)' is not a valid (?:integer|float|number).*$", "“{v}”不是有效的数字"),
    (r"^(?:Path|File|Directory) '(?P<v>[^']*)' does not exist\.?$", "“{v}”不存在"),
]]


def usage_error_zh(message: str) -> str:
    """A usage error of Typer's in Chinese (the message as it is if no pattern knows it)."""
    for pattern, zh in USAGE_ZH:
        m = pattern.match(message.strip())
        if m is None:
            continue
        parts = {k: v or "" for k, v in m.groupdict().items()}
        if "b" in parts and zh.endswith("{b}"):  # the value's own problem
            parts["b"] = _value_zh(parts["b"])
        return zh.format(**parts)
    return message


#: pydantic's words in Typer's value errors → plain English.
_VALUE_EN: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), en) for p, en in [
    (r"^Value error, (?P<v>.*)$", "{v}"),
    (r"^Input should be a valid integer.*$", "must be a whole number"),
    (r"^Input should be a valid number.*$", "must be a number"),
    (r"^Input should be a valid boolean.*$", "must be true or false"),
]]


def usage_error_en(message: str) -> str:
    """A usage error of Typer's without pydantic's wording ("Input should be …")."""
    m = re.match(r"^(Invalid value for '[^']*'(?: \(env var: '[^']*'\))?: )(.*)$", message.strip(), re.S)
    if m is None:
        return message
    for pattern, en in _VALUE_EN:
        v = pattern.match(m.group(2))
        if v is not None:
            return m.group(1) + en.format(**v.groupdict())
    return message


def _value_zh(text: str) -> str:
    for pattern, zh in _VALUE_ZH:
        m = pattern.match(text.strip())
        if m is not None:
            parts = m.groupdict()
            if "c" in parts:
                parts["c"] = "、".join(re.findall(r"'([^']*)'", parts["c"])) or parts["c"]
            return zh.format(**parts)
    return "取值无效"


_LANG = {"lang": "zh"}
_ORIGINAL: dict[str, Any] = {}


def _patch_click(lang: str) -> None:
    """Typer's copy of click writes "Usage: " and the help option's text without gettext:
    both are given in ``lang`` here."""
    from typer._click import core, formatting

    _LANG["lang"] = lang
    if "resolve_command" not in _ORIGINAL:  # Typer appends "Did you mean …?" in English
        from typer.core import TyperGroup

        _ORIGINAL["resolve_command"] = TyperGroup.resolve_command

        def resolve_command(self: Any, ctx: Any, args: list[str]) -> Any:
            try:
                return _ORIGINAL["resolve_command"](self, ctx, args)
            except Exception as exc:
                message = getattr(exc, "message", None)
                if _LANG["lang"] != "en" and isinstance(message, str) and ". Did you mean " in message:
                    head, _, rest = message.partition(". Did you mean ")
                    exc.message = head + click_word("Did you mean {}?", _LANG["lang"]).format(rest.rstrip("?"))  # type: ignore[attr-defined]
                raise

        TyperGroup.resolve_command = resolve_command  # type: ignore[method-assign]
    if "display_type" not in _ORIGINAL:  # "<str>", "<list[Path]>" beside each option
        from typer.core import _TyperParameter

        _ORIGINAL["display_type"] = _TyperParameter.display_type

        def display_type(self: Any, ctx: Any) -> str:
            return type_label(_ORIGINAL["display_type"](self, ctx), _LANG["lang"])

        _TyperParameter.display_type = display_type  # type: ignore[method-assign]
    if "write_usage" not in _ORIGINAL:
        _ORIGINAL["write_usage"] = formatting.HelpFormatter.write_usage
        _ORIGINAL["get_help_option"] = core.Command.get_help_option

        def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            if prefix is None and _LANG["lang"] != "en":
                prefix = click_word("Usage: ", _LANG["lang"])
            _ORIGINAL["write_usage"](self, prog, args, prefix)

        def get_help_option(self: Any, ctx: Any) -> Any:
            opt = _ORIGINAL["get_help_option"](self, ctx)
            if opt is not None:
                opt.help = click_word("Show this message and exit.", _LANG["lang"])
            return opt

        formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
        core.Command.get_help_option = get_help_option  # type: ignore[method-assign]


class LocalisedGroup(TyperGroup):
    """The root command: localises the command tree for the language of this command line."""

    _done: str | None = None

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        argv = list(args) if args is not None else sys.argv[1:]
        lang = cli_lang(argv)
        if self._done != lang:
            _localise(self, lang)
            _patch_click(lang)
            _words(lang)
            self._done = lang
        if "--help" in argv:  # `tanjiliang review --help --lang en`: --lang chose the help's
            args = without_lang(argv)  # language; a group has no --lang option to refuse it
        return super().main(args, *a, **kw)


def without_lang(argv: list[str]) -> list[str]:
    """``argv`` without ``--lang xx`` / ``--lang=xx``."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--lang":
            skip = i + 1 < len(argv)
        elif not arg.startswith("--lang="):
            out.append(arg)
    return out
