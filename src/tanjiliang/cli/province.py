"""``tanjiliang province generate|reassess|publish``: a generated province, its batch
reassessment parallel over units, and publishing the summary rows to the web app's database
(issue 6 §6, docs/review.md "Province")."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from tanjiliang.cli.check import Lang, date_option, fail, make_console
from tanjiliang.i18n import gettext
from tanjiliang.model.errors import Issue, LoadError

app = typer.Typer(help="Province 全省: generate a province, reassess every unit, publish the "
                       "overview rows.", no_args_is_help=True)


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


@app.command("generate")
def generate(
    out: Annotated[Path, typer.Argument(help="folder to write the province into 输出目录")],
    units: Annotated[int, typer.Option(help="number of units 单位数")] = 2000,
    instruments: Annotated[int, typer.Option(help="instruments per unit 每单位器具数")] = 500,
    seed: Annotated[int, typer.Option(help="random seed (same seed, same province) 随机种子")] = 2025,
    years: Annotated[str, typer.Option(help="reporting years, e.g. 2023-2025 报告年度")] = "2023-2025",
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Generate a synthetic province (deterministic) 生成模拟全省数据."""
    import time

    from tanjiliang.province.generate import write_province

    t0 = time.perf_counter()
    try:
        ys = tuple(_years(years) or [2025])
    except ValueError:
        ys = ()
    problems = []
    if not ys or any(not 1990 <= y <= 2100 for y in ys):  # the unit file's reporting years
        problems.append(Issue("--years", None, "", f"“{years}”不是报告年度（如 2023-2025 或 2024,2025）",
                              f'"{years}" are not reporting years (e.g. 2023-2025 or 2024,2025)'))
    if units < 1:
        problems.append(Issue("--units", None, "", f"“{units}”应为至少 1 个单位", f'"{units}": at least one unit'))
    if instruments < 0:
        problems.append(Issue("--instruments", None, "", f"“{instruments}”不能为负", f'"{instruments}" cannot be negative'))
    if problems:
        raise fail(LoadError(problems), lang.value)
    write_province(out, seed=seed, units=units, instruments=instruments, years=ys)
    s = time.perf_counter() - t0
    make_console().print(
        f"{gettext('已生成', lang, 'cli.province')} {units} × {len(ys)} "
        f"{gettext('个单位文件（每个', lang, 'cli.province')}{instruments}"
        f"{gettext('台器具）', lang, 'cli.province')} → {out}  ({s:.1f} s)")


@app.command("reassess")
def reassess(
    root: Annotated[Path, typer.Argument(help="province folder 全省数据目录")],
    years: Annotated[str | None, typer.Option(help="years to reassess (default all) 年度")] = None,
    workers: Annotated[int, typer.Option(help="processes (default: all cores) 进程数")] = 0,
    out: Annotated[Path | None, typer.Option(help="summary Parquet file 汇总文件")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Dask scheduler (tcp://host:8786, or local:N for N local workers) 计算集群地址")] = None,
    pack: Annotated[str | None, typer.Option(help="rule pack name or file for every unit 规则包")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Reassess every unit, parallel over units 并行重新评价全部单位."""
    from tanjiliang.cli.check import fail
    from tanjiliang.model.errors import LoadError
    from tanjiliang.province.batch import reassess_province
    from tanjiliang.province.cluster import ClusterError

    zh = lang is Lang.zh
    try:
        df, s = reassess_province(root, years=_years(years), workers=workers or None, out=out,
                                  cluster=cluster, pack=pack)
    except ClusterError as exc:
        make_console().print(exc.message("zh" if zh else "en"))
        raise typer.Exit(2) from None
    except LoadError as err:  # the pack given with --pack cannot be loaded
        raise fail(err, lang.value) from None
    errors = df.filter(df["error"].is_not_null())
    bad = df.filter(df["conclusion"] == "nonconforming").height
    console = make_console()
    console.print(
        f"{gettext('已评价', lang, 'cli.province')} {df.height} "
        f"{gettext('个单位', lang, 'cli.province')} {s:.1f} s ("
        f"{((gettext('集群 ', lang, 'cli.province')) + cluster) if cluster else str(workers or os.cpu_count()) + (gettext(' 进程', lang, 'cli.province'))}); {gettext('不符合', lang, 'cli.province')} {bad}; "
        f"{gettext('无法读取', lang, 'cli.province')} {errors.height}")
    for row in errors.head(20).iter_rows(named=True):
        console.print(f"  {row['credit_code']}: {row['error']}")
    if errors.height:
        raise typer.Exit(2)


@app.command("publish")
def publish(
    summary: Annotated[Path, typer.Argument(help="summary.parquet from reassess 汇总文件")],
    database: Annotated[str | None, typer.Option(help="database URL (default DATABASE_URL) 数据库")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Store the summary rows for the regulator's overview 写入监管总览数据."""
    import polars as pl

    from tanjiliang.cli.serve import configure

    try:  # before the database is touched. A folder, another file, a damaged one: said, never polars' own error
        frame = pl.read_parquet(summary) if summary.is_file() else None
    except Exception:  # polars and pyarrow raise several kinds for a file that is not Parquet
        frame = None
    if frame is None:
        raise fail(LoadError([Issue(str(summary), None, "", "不是 province reassess 写出的汇总文件（.parquet）",
                                    "not the summary file province reassess writes (.parquet)")]), lang.value)
    # a command-line write to the database: no sessions or cookies are signed
    os.environ.setdefault("TANJILIANG_SECRET_KEY", "tanjiliang-cli-publish")
    configure(demo=False, database=database)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from tanjiliang.web.review.summaries import publish_frame

    n = publish_frame(frame)
    make_console().print(f"{gettext('已写入', lang, 'cli.province')} {n} {gettext('行汇总数据', lang, 'cli.province')}")


@app.command("readings")
def readings(
    root: Annotated[Path, typer.Argument(help="folder of unit files 单位文件目录")],
    store: Annotated[str, typer.Option(help="readings store: a folder or s3://bucket/prefix 读数库")],
    from_: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD, exclusive")] = None,
    workers: Annotated[int, typer.Option(help="processes (default: all cores) 进程数")] = 0,
    cluster: Annotated[str | None, typer.Option(
        help="Dask scheduler (tcp://host:8786, or local:N) 计算集群地址")] = None,
    out: Annotated[Path | None, typer.Option(help="rows as Parquet 结果文件")] = None,
    lang: Annotated[Lang, typer.Option(help="zh | en")] = Lang.zh,
) -> None:
    """Check every unit's readings from the store, parallel over units 检查全部单位的计量数据."""

    from tanjiliang.cli.files import unit_files
    from tanjiliang.province.cluster import ClusterError
    from tanjiliang.province.readings import check_units

    zh = lang is Lang.zh
    console = make_console()
    try:
        start = date_option(from_) if from_ else None
        end = date_option(to) if to else None
    except ValueError:
        console.print(gettext("--from/--to: 不是 YYYY-MM-DD 日期", lang, "cli.province"))
        raise typer.Exit(2) from None
    if not root.is_dir():
        console.print(f"{root}: {gettext('不是目录', lang, 'cli.province')}")
        raise typer.Exit(2)
    paths = unit_files([root])
    try:
        df = check_units(paths, store, start=start, end=end, workers=workers or None,
                         cluster=cluster)
    except ClusterError as exc:
        console.print(exc.message("zh" if zh else "en"))
        raise typer.Exit(2) from None
    if out is not None:
        from tanjiliang.model.write import atomic_path

        with atomic_path(out) as tmp:
            df.write_parquet(tmp)
    ok = df.filter(df["error"].is_null())
    console.print(gettext("已检查 {0} 个单位：读数 {1:,} 条，有数据问题的单位 {2} 个，无法读取 {3} 个", lang, "cli.province").format(df.height, ok['readings'].sum(), ok.filter(ok['findings'] > 0).height, df.height - ok.height))
    for row in ok.filter(ok["findings"] > 0).head(20).iter_rows(named=True):
        console.print(f"  {row['name']}: {row['codes']} "
                      f"({gettext('覆盖率最低', lang, 'cli.province')} {row['coverage_min'] or 0:.1f} %)")
