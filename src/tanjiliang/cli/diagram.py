"""``tanjiliang diagram UNIT -o flow.svg|.png|.pdf``: the GHG flow diagram (Annex A).

Exit codes as ``check``: 0 written, 2 bad input (nothing written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tanjiliang.cli.check import Lang, _arg_issue, fail, parse_as_of, run_check
from tanjiliang.model.errors import LoadError


def diagram(
    file: Annotated[Path, typer.Argument(help="unit file (YAML or JSON) 单位文件")],
    output: Annotated[Path, typer.Option("--output", "-o", help="flow.svg | flow.png | flow.pdf 输出文件")],
    pack: Annotated[str | None, typer.Option(help="rule pack name or path 规则包名称或路径")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="assess as of YYYY-MM-DD (default today) 评价日期")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Draw the GHG flow diagram: boundary, sub-units, equipment, streams and metering points
    coloured by status. 绘制温室气体流向图（计量点按符合/不符合/未配备着色）。"""
    from tanjiliang.diagram import FORMATS, write_diagram

    day = parse_as_of(as_of, lang.value)
    if output.suffix.lower().lstrip(".") not in FORMATS:
        raise fail(LoadError([_arg_issue(str(output), "流向图只能是 .svg、.png 或 .pdf",
                                         "a diagram must be .svg, .png or .pdf")]), lang.value)
    try:
        result, unit, loaded = run_check(file, pack, day, lang.value)
    except LoadError as err:
        raise fail(err, lang.value) from None
    write_diagram(result, unit, output, loaded.pack, lang.value)
    typer.echo(str(output))


def register(app: typer.Typer) -> None:
    app.command("diagram")(diagram)
