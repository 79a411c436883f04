"""Readings of an instrument that measures several streams' activity, attributed to each
stream (issue 17; docs/data.md "Several targets").

A truck scale weighing two coals, a belt scale feeding two kilns: the instrument's ledger row
says ``measures: [kiln_coal, dryer_coal]``, and each reading belongs to one of them. How a
reading is attributed, in this order:

1. **The readings say it, row by row**: a ``target`` column (``measures``, 测量对象, 计量对象,
   源流, 物料) holding the stream id as written in ``measures`` or the stream's name. Each
   target's share of the instrument's amount in a month is what its rows carried that month:
   the sum of the values (``amount`` readings, each weighing) or of the register's increments
   ending at its rows (``total`` readings), in the instrument's unit.
2. **The ledger says it**: the instrument's ``split`` (``{kiln_coal: 0.93, dryer_coal: 0.07}``),
   the same shares every month, for rows that name no target.
3. **Neither**: an error naming the instrument, its targets and the files — the readings are
   not attributed by guess (issue 18: never silently change what the user entered). A row
   naming a target the instrument does not measure is an error naming file and row.

An instrument with one activity target needs nothing: its readings are that stream's.
The result is a table of shares, ``(instrument, stream, month, share)`` (month null: the same
every month), applied by :mod:`tanjiliang.data.activity` to the instrument's monthly amounts
(quality checks, units and totaliser handling stay per instrument).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import polars as pl

from tanjiliang.data.profile import conversion, profiles
from tanjiliang.data.readings import Readings, ReadingsError, ReadingsIssue
from tanjiliang.model.unit import Instrument, UnitFile

SHARES_SCHEMA: dict[str, pl.DataType] = {"instrument": pl.String(), "stream": pl.String(),
                                         "month": pl.Date(), "share": pl.Float64()}


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _lookup(rows: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """Each distinct ``target`` text of ``rows`` → its stream (null when it names none):
    compared loosely once per distinct text, never per row."""
    texts = [t for t in rows["target"].unique().to_list() if t]
    return pl.DataFrame({"target": texts, "stream": [names.get(_key(t)) for t in texts]},
                        schema={"target": pl.String, "stream": pl.String})


def several_targets(unit: UnitFile) -> dict[str, Instrument]:
    """Instruments that measure the activity of two or more streams."""
    return {i.id: i for i in unit.instruments if len(i.activity_targets()) >= 2}


def _names(unit: UnitFile, ins: Instrument) -> dict[str, str]:
    """What a ``target`` cell may say for ``ins`` (its ids and the streams' names, compared
    loosely) → stream id."""
    streams = {s.id: s for s in unit.source_streams}
    out: dict[str, str] = {}
    for sid in ins.activity_targets():
        out[_key(sid)] = sid
        if sid in streams:
            out.setdefault(_key(streams[sid].name), sid)
    return out


def activity_shares(unit: UnitFile, readings: Readings, with_data: set[str],
                    start: date | datetime | None = None, end: date | datetime | None = None,
                    notes: list[ReadingsIssue] | None = None) -> pl.DataFrame:
    """Shares of each several-target instrument's amount per stream (and month), for the
    instruments in ``with_data`` (those with readings in the period); see the module
    docstring. Raises :class:`ReadingsError` where a reading cannot be attributed. ``notes``
    receives what the user should know but does not stop the check (readings stored before
    the store kept targets, divided by the split)."""
    every = several_targets(unit)
    multi = {k: v for k, v in every.items() if k in with_data}
    issues = _single_target_issues(unit, readings, with_data - set(multi), start, end)
    # a target written where the unit goes (W1（甲煤）): its readings were not analysed (the
    # unit cannot be converted); said as what it is, with the header to write
    for (file, iid, text), header in readings.unit_headers.items():
        if iid in every and _key(text) in _names(unit, every[iid]):
            u = profiles(unit)[iid].unit or "t"
            issues.append(ReadingsIssue(
                file, 1, header, text,
                f"括号中是单位的位置；“{text}”是器具 {iid} 的测量对象，请把表头写作“{iid}:{text}”（单位可写在其后，如“{iid}:{text} [{u}]”）",
                f'the brackets hold the unit; "{text}" is what instrument {iid} measures: head the column '
                f'"{iid}:{text}" (the unit may follow, as in "{iid}:{text} [{u}]")'))
    if not multi:
        if issues:
            raise ReadingsError(issues)
        return pl.DataFrame(schema=SHARES_SCHEMA)
    rows: list[pl.DataFrame] = []
    named = _named_rows(readings, set(multi), start, end)
    legacy = _untargeted_sources(readings, set(multi))
    for iid, ins in sorted(multi.items()):
        for source in legacy.get(iid, []):
            (issues if ins.split is None else notes if notes is not None else []).append(ReadingsIssue(
                source, None, "target", None,
                f"器具 {iid} 的这些读数由旧版本写入读数库，未保存测量对象（target）"
                + ("，按台账 split 分配" if ins.split is not None else "")
                + "；如原文件注明了测量对象，请重新导入该文件",
                f"instrument {iid}: these readings were stored by an earlier version that did not keep "
                f"their targets" + (", so the ledger's split divides them" if ins.split is not None else "")
                + "; if the file named targets, import it again"))
    profs = profiles(unit)
    files = ", ".join(readings.files)
    for iid, ins in sorted(multi.items()):
        mine = named.filter(pl.col("instrument") == iid) if named is not None else None
        has_target = pl.col("target").is_not_null() & (pl.col("target") != "")
        n_named = mine.filter(has_target).height if mine is not None else 0
        if mine is None or n_named == 0:
            if ins.split is not None:
                rows.append(_fixed(ins))
                continue
            issues.append(ReadingsIssue(files, None, "target", None,
                                        f"器具 {iid} 测量多个源流（{', '.join(ins.activity_targets())}）：读数须有 target 列逐行注明测量对象"
                                        f"（宽表：每个对象一列，表头如“{iid}:{ins.activity_targets()[0]}”），"
                                        f"或在台账中为该器具给出 split（各对象份额），否则无法归属",
                                        f"instrument {iid} measures several streams ({', '.join(ins.activity_targets())}): "
                                        f"its readings need a target column naming one per row (wide layout: a column per "
                                        f"target, headed like '{iid}:{ins.activity_targets()[0]}'), or the instrument a split "
                                        f"(each target's share); they cannot be attributed otherwise"))
            continue
        keyed = mine.join(_lookup(mine, _names(unit, ins)), on="target", how="left")
        bad = keyed.filter(has_target & pl.col("stream").is_null()).head(5)
        for r in bad.iter_rows(named=True):
            issues.append(_not_measured(readings, r, iid, ins.activity_targets()))
        unnamed = mine.height - n_named
        if unnamed and ins.split is None and not bad.height:
            first = keyed.filter(~has_target).row(0, named=True)
            issues.append(ReadingsIssue(readings.files[first["fid"]], first["row"], "target", None,
                                        f"器具 {iid} 测量多个源流，有 {unnamed} 条读数未注明测量对象（target），台账中也没有 split",
                                        f"instrument {iid} measures several streams; {unnamed} readings name no target and the ledger gives no split"))
        if bad.height or (unnamed and ins.split is None):
            continue
        rows.append(_shares_from_rows(keyed, ins, profs[iid].unit, profs[iid].kind))
    if issues:
        raise ReadingsError(issues)
    return pl.concat(rows, how="vertical") if rows else pl.DataFrame(schema=SHARES_SCHEMA)


def _not_measured(readings: Readings, r: dict[str, Any], iid: str, measures: list[str]) -> ReadingsIssue:
    """A row (``fid``, ``row``, ``target``) naming what instrument ``iid`` does not measure: the
    file and row, or for a wide file the column whose header named it (issue 17)."""
    file, target = readings.files[int(r["fid"])], str(r["target"])
    header = readings.target_headers.get((file, iid, target))
    row, column = (1, header) if header is not None else (r["row"], "target")
    return ReadingsIssue(file, row, column, target,
                         f"器具 {iid} 不测量“{target}”（其测量对象：{', '.join(measures)}）",
                         f'instrument {iid} does not measure "{target}" (it measures {", ".join(measures)})')


def _single_target_issues(unit: UnitFile, readings: Readings, ids: set[str],
                          start: date | datetime | None, end: date | datetime | None) -> list[ReadingsIssue]:
    """A target named for an instrument that measures one thing must be that thing (its id as
    written in ``measures``, or the stream's or emission point's name): anything else is what
    the user meant and the ledger does not say — refused, not ignored (issue 17, issue 18).
    Compared once per distinct (instrument, target), never per row."""
    ledger = {i.id: i for i in unit.instruments}
    named = _named_rows(readings, {i for i in ids if i in ledger}, start, end, lazy=True)
    if named is None:
        return []
    named = named.filter(pl.col("target").is_not_null() & (pl.col("target") != ""))
    pairs = named.select("instrument", "target").unique().collect()
    names = {s.id: s.name for s in unit.source_streams} | {e.id: e.name for e in unit.emission_points}
    bad: list[tuple[str, str]] = []
    for iid, target in pairs.iter_rows():
        ins = ledger[iid]
        ok = {_key(m) for m in ins.measures_list()}
        for t, _ in ins.targets():
            ok |= {_key(t)} | ({_key(names[t])} if names.get(t) else set())
        if _key(target) not in ok:
            bad.append((iid, target))
    if not bad:
        return []
    wrong = pl.LazyFrame(bad, schema={"instrument": pl.String, "target": pl.String}, orient="row")
    first = (named.join(wrong, on=["instrument", "target"], how="semi")
             .group_by("instrument", "target").agg(pl.col("fid").first(), pl.col("row").first())
             .sort("fid", "row").collect())
    return [_not_measured(readings, r, r["instrument"], ledger[r["instrument"]].measures_list())
            for r in first.head(20).iter_rows(named=True)]


def _untargeted_sources(readings: Readings, ids: set[str]) -> dict[str, list[str]]:
    """Instrument → the stored sources (store schema version 1) holding its readings: stored
    before the store kept targets, whatever their file said is unknown here."""
    if not readings.untargeted:
        return {}
    fids = [k for k, f in enumerate(readings.files) if f in set(readings.untargeted)]
    found = (readings.frame.filter(pl.col("fid").is_in(fids) & pl.col("instrument").is_in(sorted(ids)))
             .select("instrument", "fid").unique().sort("instrument", "fid").collect())
    out: dict[str, list[str]] = {}
    for iid, fid in found.iter_rows():
        out.setdefault(iid, []).append(readings.files[fid])
    return out


def _named_rows(readings: Readings, ids: set[str], start: date | datetime | None,
                end: date | datetime | None, lazy: bool = False) -> Any:
    """The rows of ``readings.targets`` of instruments ``ids`` in the period (collected unless
    ``lazy``); None when no file names targets."""
    if readings.targets is None:
        return None
    lf = (readings.targets.with_columns(pl.col("instrument").str.strip_chars())
          .filter(pl.col("instrument").is_in(sorted(ids))))
    if start is not None:
        lf = lf.filter(pl.col("time") >= pl.lit(start).cast(pl.Datetime("us")))
    if end is not None:
        lf = lf.filter(pl.col("time") < pl.lit(end).cast(pl.Datetime("us")))
    return lf if lazy else lf.collect()


def _split_frame(ins: Instrument) -> pl.DataFrame:
    assert ins.split is not None
    return pl.DataFrame({"stream": list(ins.split), "part": list(ins.split.values())},
                        schema={"stream": pl.String, "part": pl.Float64})


def _fixed(ins: Instrument) -> pl.DataFrame:
    """The ledger's split, the same every month (month null)."""
    return (_split_frame(ins).with_columns(pl.lit(ins.id).alias("instrument"), pl.lit(None, pl.Date).alias("month"),
                                           pl.col("part").alias("share"))
            .select(list(SHARES_SCHEMA)).cast(SHARES_SCHEMA))  # type: ignore[arg-type]


def _shares_from_rows(keyed: pl.DataFrame, ins: Instrument, target_unit: str | None,
                      default_kind: str) -> pl.DataFrame:
    """Monthly shares from rows that name their stream: each row's amount (an ``amount``
    reading's value; a ``total`` register's increment since the previous row — of the same
    stream when rows of different streams share a time, a register per stream), in the
    instrument's unit, summed per (stream, month) and divided by the month's sum. Rows that
    name no target are divided by the instrument's ``split``."""
    units = [u for u in keyed["unit"].unique().to_list() if u]
    factors = {u: (conversion(u, target_unit)[0] if target_unit else 1.0) for u in units}
    v = pl.col("value") * pl.col("unit").replace_strict(factors, default=1.0, return_dtype=pl.Float64)
    kind = pl.col("kind").fill_null(default_kind).str.to_lowercase()
    # one register whose rows say which stream it weighed since the previous row, or (rows of
    # different streams at the same time: a column per stream) one register per stream
    named = keyed.filter(pl.col("stream").is_not_null() & pl.col("time").is_not_null())
    per_stream = bool(named.height) and int(
        named.group_by("time").agg(pl.col("stream").n_unique())["stream"].max() or 0) > 1  # type: ignore[arg-type]
    step = v.diff().over("stream") if per_stream else v.diff()
    amounts = (keyed.sort("time")
               .with_columns(pl.when(kind == "total").then(step.clip(lower_bound=0.0).fill_null(0.0))
                             .otherwise(v.abs()).alias("amount"),
                             pl.col("time").dt.truncate("1mo").dt.date().alias("month"))
               .select("stream", "month", "amount"))
    parts = [amounts.filter(pl.col("stream").is_not_null())]
    if ins.split is not None:
        unnamed = amounts.filter(pl.col("stream").is_null()).drop("stream")
        parts.append(unnamed.join(_split_frame(ins), how="cross")
                     .select("stream", "month", (pl.col("amount") * pl.col("part")).alias("amount")))
    per = pl.concat(parts, how="vertical").group_by("stream", "month").agg(pl.col("amount").sum())
    return (per.with_columns((pl.col("amount") / pl.col("amount").sum().over("month")).fill_nan(0.0).alias("share"),
                             pl.lit(ins.id).alias("instrument"))
            .select(list(SHARES_SCHEMA)).cast(SHARES_SCHEMA))  # type: ignore[arg-type]


__all__ = ["SHARES_SCHEMA", "activity_shares", "several_targets"]
