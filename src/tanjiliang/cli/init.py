"""``tanjiliang init --sector S -o FILE`` — a starting unit file for one's own plant and the
matching Excel ledger beside it (issue 12, item 3; tanjiliang.ledger.starters)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tanjiliang.cli.check import Lang
from tanjiliang.i18n import gettext
from tanjiliang.ledger.starters import SECTORS


class SectorChoice(StrEnum):
    power = "power"
    cement = "cement"
    steel = "steel"
    chemical = "chemical"
    glass = "glass"
    lime = "lime"
    aluminium = "aluminium"
    heat = "heat"


assert tuple(s.value for s in SectorChoice) == SECTORS


def ledger_path(output: Path, lang: str = "zh") -> Path:
    """The ledger written beside the unit file: ``plant.yaml`` → ``plant-台账.xlsx``
    (``plant-ledger.xlsx`` with ``--lang en``: no file name in a language the user did not choose)."""
    return output.with_name(f"{output.stem}-{gettext('台账', lang, 'cli.init')}.xlsx")


def init_command(
    sector: Annotated[SectorChoice, typer.Option("--sector", help="kind of plant 行业")],
    output: Annotated[Path, typer.Option("--output", "-o", help="unit file to write (.yaml or .json) 单位文件")],
    year: Annotated[int, typer.Option(help="reporting year 报告年度")] = 2025,
    force: Annotated[bool, typer.Option("--force", help="overwrite existing files")] = False,
    lang: Annotated[Lang, typer.Option(help="zh | en: language of the files written and of messages")] = Lang.zh,
) -> None:
    """Write a commented starting unit file for a kind of plant and its Excel ledger beside it.
    生成某类企业的单位文件模板（含注释）及配套台账。"""
    from tanjiliang.ledger import write_ledger
    from tanjiliang.ledger.starters import starter_text, with_comments
    from tanjiliang.model.errors import LoadError
    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import atomic_write, dump_json, dump_yaml, unit_to_data
    from tanjiliang.rules.load import load_pack

    zh = lang.value == "zh"
    book = ledger_path(output, lang.value)
    as_json = output.suffix.lower() == ".json"
    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        typer.echo(gettext("单位文件须为 .yaml、.yml 或 .json", lang.value, "cli.init"), err=True)
        raise typer.Exit(2)
    existing = [p for p in (output, book) if p.exists()]
    if existing and not force:
        names = "、".join(p.name for p in existing) if zh else ", ".join(p.name for p in existing)
        typer.echo(gettext("{0} 已存在；覆盖请加 --force", lang.value, "cli.init").format(names),
                   err=True)
        raise typer.Exit(2)
    try:
        template = starter_text(sector.value, year, lang.value)
        unit = load_unit(output.with_suffix(".yaml"), template)
        # The file: the same unit in the canonical form fmt writes (fmt --check passes it), the
        # template's comments in it (YAML); in JSON, which has no comments, the data alone.
        # Read back as the file before it is written: the same data, or a bug said plainly.
        text = dump_json(unit) if as_json else with_comments(dump_yaml(unit), template)
        written = load_unit(output, text)
        if unit_to_data(written) != unit_to_data(unit):
            raise RuntimeError(f"init: the starter for {sector.value} reads back other data")
        unit = written
        pack = load_pack(unit.pack).pack
    except LoadError as err:  # a starter that does not load is a bug: say so plainly
        typer.echo(err.message(lang.value), err=True)
        raise typer.Exit(1) from None
    atomic_write(output, text)
    write_ledger(book, unit, pack, lang.value)
    if zh:
        typer.echo(f"已生成 {output}（单位文件）和 {book}（台账）")
        typer.echo(f"下一步：按本单位情况修改后运行 tanjiliang check {output}")
    else:
        typer.echo(f"written {output} (unit file) and {book} (ledger)")
        typer.echo(f"next: edit them for your plant, then run tanjiliang check {output}")
    if as_json:
        yaml_name = output.with_suffix(".yaml").name
        typer.echo(gettext("JSON 文件不能含注释：各项填写说明只在 YAML 模板中（tanjiliang init --sector {0} -o {1}）",
                           lang.value, "cli.init").format(sector.value, yaml_name))


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
