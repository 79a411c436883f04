"""The whole data check of a unit: readings quality, stream activity, reconciliation, CEMS,
out-of-tolerance impact — the functions behind ``tanjiliang data check`` (docs/data.md).

Findings produced here (the assessment's own findings stay in the assessment):

* ``CAL-OOT`` (non-conformity): a failed confirmation and the tonnes at stake (:mod:`.oot`);
* ``DATA-RECON`` (observation): a month in which a main meter and its sub-meters differ by
  more than their MPEs allow;
* ``DATA-MISSING`` (observation): readings missing from an instrument a stream's activity
  comes from, with the activity and tonnes that hang on them;
* ``DATA-QUALITY`` (observation): an instrument with flagged readings (duplicates, negative or
  out-of-range values, resets, stuck values, spikes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from tanjiliang.assess.findings import make_finding
from tanjiliang.assess.result import Assessment, Finding
from tanjiliang.data import cems as cems_mod
from tanjiliang.data.activity import reconcile, silent, stream_activity
from tanjiliang.data.attribution import activity_shares
from tanjiliang.data.oot import affected_periods, oot_findings
from tanjiliang.data.quality import QualityResult, analyse, reporting_period
from tanjiliang.data.readings import (
    READ_ERRORS,
    Readings,
    ReadingsIssue,
    read_error,
    same_time_targets_summed,
    scan_many,
)
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules.load import LoadedPack, load_pack
from tanjiliang.rules.schema import Pack

FORMAT = "tanjiliang/data-check@1"


@dataclass
class DataReport:
    unit: UnitFile
    assessment: Assessment
    quality: QualityResult
    layouts: dict[str, str]
    reconciliation: pl.DataFrame
    stream_monthly: pl.DataFrame
    streams: pl.DataFrame
    cems: cems_mod.CemsResult | None
    cems_comparison: pl.DataFrame | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_nonconformity(self) -> bool:
        return any(f.severity == "nonconformity" for f in self.findings)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        def rows(df: pl.DataFrame | None) -> list[dict[str, Any]]:
            if df is None:
                return []
            return [{k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in r.items()}
                    for r in df.to_dicts()]

        q = self.quality
        return {
            "format": FORMAT,
            "unit": {"name": self.unit.unit.name, "year": self.unit.unit.year},
            "pack": {"name": self.assessment.pack_name, "version": self.assessment.pack_version},
            "period": {"from": q.start.isoformat(), "to": q.end.isoformat()},
            "files": [{"file": f, "layout": lay} for f, lay in self.layouts.items()],
            "rows": q.rows,
            "issues": [{"file": i.file, "row": i.row, "column": i.column, "value": i.value,
                        "message": i.message(lang)} for i in q.issues],
            "instruments": rows(q.summary),
            "gaps": rows(q.gaps),
            "flagged_rows": q.flagged.height,
            "streams": rows(self.streams),
            "stream_monthly": rows(self.stream_monthly),
            "reconciliation": rows(self.reconciliation),
            "cems": None if self.cems is None else {
                "points": rows(self.cems.points), "rules": self.cems.rules,
                "comparison": rows(self.cems_comparison)},
            "findings": [{"code": f.code, "severity": f.severity, "clause": f.clause,
                          "subject": f.subject, "message": f.message(lang), "data": f.data}
                         for f in self.findings],
            "assessment_findings": [{"code": f.code, "severity": f.severity, "subject": f.subject,
                                     "message": f.message(lang)}
                                    for f in self.assessment.findings if f.code.startswith("CAL-")],
        }


def _recon_findings(rec: pl.DataFrame, pack: Pack) -> list[Finding]:
    out = []
    for r in rec.filter(pl.col("status") == "unreconciled").to_dicts():
        m = r["month"].strftime("%Y-%m")
        out.append(make_finding(
            pack, "DATA-RECON", r["main"],
            f"{m} 源流 {r['stream']}：主表 {r['main']} 计量 {r['main_amount']:,.3f}，分表 {r['subs']} 合计 "
            f"{r['sub_amount']:,.3f}，差 {r['difference']:,.3f}（{r['difference_percent']:.2f} %），"
            f"超出最大允许误差所允许的 {r['allowed']:,.3f}",
            f"{m} stream {r['stream']}: main meter {r['main']} {r['main_amount']:,.3f}, sub-meters "
            f"{r['subs']} sum {r['sub_amount']:,.3f}, difference {r['difference']:,.3f} "
            f"({r['difference_percent']:.2f} %) beyond the {r['allowed']:,.3f} the MPEs allow",
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()}))
    return out


def _missing_findings(streams: pl.DataFrame, q: QualityResult, pack: Pack) -> list[Finding]:
    out = []
    for r in streams.filter(pl.col("missing_readings") > 0).to_dicts():
        t = r["tco2e_at_stake"]
        out.append(make_finding(
            pack, "DATA-MISSING", r["stream"],
            f"源流 {r['stream']} 的计量器具 {r['instruments']} 缺少 {r['missing_readings']} 条读数"
            f"（覆盖率 {r['coverage_percent']:.2f} %），约 {r['missing_activity']:,.3f} {r['unit']} 活动数据"
            + (f"、{t:,.1f} tCO₂e 排放无计量数据支撑" if t is not None else ""),
            f"stream {r['stream']}: instruments {r['instruments']} miss {r['missing_readings']} readings "
            f"(coverage {r['coverage_percent']:.2f} %), about {r['missing_activity']:,.3f} {r['unit']} of "
            "activity" + (f" and {t:,.1f} tCO₂e without metered data" if t is not None else ""),
            {k: v for k, v in r.items()}))
    flagged = q.summary.filter((pl.col("duplicates") + pl.col("negative") + pl.col("out_of_range")
                                + pl.col("resets") + pl.col("stuck") + pl.col("spikes")
                                + pl.col("bad_time") + pl.col("bad_value")) > 0)
    for r in flagged.to_dicts():
        parts = [(k, r[k]) for k in ("duplicates", "negative", "out_of_range", "resets",
                                     "rollovers", "stuck", "spikes", "bad_time", "bad_value") if r[k]]
        zh_names = {"duplicates": "重复", "negative": "负值", "out_of_range": "超量程", "resets": "累计值复位",
                    "rollovers": "累计值溢出归零", "stuck": "数值冻结", "spikes": "突变",
                    "bad_time": "时间无效", "bad_value": "数值无效"}
        out.append(make_finding(
            pack, "DATA-QUALITY", r["instrument"],
            f"器具 {r['instrument']} 的读数有问题：" + "，".join(f"{zh_names[k]} {v} 条" for k, v in parts),
            f"instrument {r['instrument']} readings flagged: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in parts),
            {k: v for k, v in parts}))
    return out


def _silent_findings(unit: UnitFile, assessment: Assessment, q: QualityResult, with_data: set[str],
                     pack: Pack) -> list[Finding]:
    """``DATA-MISSING`` for an in-use instrument on an activity point with no reading in the
    period while the files hold readings (:func:`tanjiliang.data.activity.silent`): a meter that
    sent nothing is not left out of the report unsaid."""
    from tanjiliang.assess.labels import point_name

    if q.rows == 0:  # no readings at all: said once, as "no data"
        return []
    points = {p.id: p for p in assessment.points}
    names = {s.id: s.name for s in assessment.streams}
    s, e = f"{q.start:%Y-%m-%d}", f"{q.end:%Y-%m-%d}"
    out = []
    for ident, ids in silent(unit, assessment, with_data):
        zh = "、".join(point_name(points[i], names, "zh") for i in ids)
        en = "; ".join(point_name(points[i], names, "en") for i in ids)
        out.append(make_finding(
            pack, "DATA-MISSING", ident,
            f"器具 {ident} 在 {s} 至 {e} 期间没有读数：{zh}无计量数据支撑",
            f"instrument {ident} has no readings from {s} to {e}: {en} without metered data",
            {"instrument": ident, "points": list(ids), "readings": 0}))
    return out


def set_aside(issues: list[ReadingsIssue]) -> list[tuple[ReadingsIssue, int | None]]:
    """The issues that set readings aside (an id not in the ledger, an unusable kind or unit, a
    wide column that is no ledger id: ``ReadingsIssue.set_aside``), with the number of
    readings (None: a wide column)."""
    return [(i, i.set_aside) for i in issues if i.set_aside != 0]


def first_rows(readings: Readings, issues: list[ReadingsIssue]) -> list[ReadingsIssue]:
    """``issues`` with the readings set aside by id, kind or unit (which the checks count over
    all files, without a row) pointed at the first such row: its file and row, "this is the
    first" (probe s9 #15; unit-file.md: errors name the file and line), the column by the
    file's own header (类型 rather than kind, #14). An empty id is shown as “”. One pass over the readings, only when there are such issues."""
    todo = [(k, i) for k, (i, _) in enumerate(set_aside(issues))
            if i.row is None and i.column in ("instrument", "kind", "unit")]
    if not todo:
        return issues
    conds = []
    at = pl.col("fid").cast(pl.Int64) * (1 << 40) + pl.col("row")  # (file, row) in one number
    for k, i in todo:
        col = pl.col(i.column)  # type: ignore[arg-type]
        cond = col.is_null() | (col.str.strip_chars() == "") if i.value is None else col == i.value
        if i.instrument is not None:  # the instrument the kind or unit was refused for
            cond = cond & (pl.col("instrument").str.strip_chars() == i.instrument)
        conds.append(pl.when(cond).then(at).min().alias(str(k)))
    try:
        got = readings.frame.select(conds).collect().row(0, named=True)
    except READ_ERRORS:
        return issues
    where = {id(i): got[str(k)] for k, i in todo}
    out = []
    for i in issues:
        first = where.get(id(i))
        if first is None:
            out.append(i)
            continue
        fid, row = divmod(first, 1 << 40)
        file = readings.files[fid]
        column = readings.column_headers.get(file, {}).get(str(i.column), i.column)  # 类型, not kind
        out.append(ReadingsIssue(file, row, column,
                                 "" if i.value is None else i.value,
                                 f"{i.zh}（此为第一条）", f"{i.en} (this is the first)", i.set_aside,
                                 i.instrument))
    return out


def _set_aside_findings(issues: list[ReadingsIssue], pack: Pack) -> list[Finding]:
    """``DATA-QUALITY`` for readings the checks could not analyse (probe s9 #9): readings set
    aside are something to report, not "nothing to report"; the issue names file, column and
    value, and the finding repeats it."""
    out = []
    for i, n in set_aside(issues):
        # the id not in the ledger, else the file(s) (an unusable kind or unit names its
        # instrument in the message)
        subject = i.value if i.en.startswith("not an instrument of the ledger") and i.value else ", ".join(
            Path(f).name for f in i.file.split(", "))
        out.append(make_finding(
            pack, "DATA-QUALITY", subject,
            f"读数未分析：{i.message('zh')}", f"readings not analysed: {i.message('en')}",
            {"file": i.file, "row": i.row, "column": i.column, "value": i.value, "readings": n}))
    return out


def _cems_findings(gaps: list[tuple[str, str, list[str]]], s: datetime, e: datetime,
                   pack: Pack) -> list[Finding]:
    """``DATA-MISSING`` for an emission point of a measurement stream with no valid hour in
    the period: its emissions cannot come from the CEMS readings (the declared value stands)."""
    out = []
    for sid, point, missing in gaps:
        zh, en = cems_mod.no_valid_hour_text(point, s, e, missing)
        out.append(make_finding(
            pack, "DATA-MISSING", sid,
            f"{zh}，源流 {sid} 的排放量无法由 CEMS 读数计算，仍用申报值",
            f"{en}: stream {sid}'s emissions cannot be computed from the CEMS readings; the declared "
            "value stands",
            {"stream": sid, "emission_point": point, "missing_quantities": missing}))
    return out


def _cems_filled_findings(unit: UnitFile, result: cems_mod.CemsResult | None, pack: Pack
                          ) -> list[Finding]:
    """``DATA-MISSING`` for an emission point of a measurement stream some of whose hours were
    filled (neighbour, substitute): the share and tonnes of its total that were not measured,
    as the readings' missing data are (probe s9 #6: a year of 3 measured hours was conforming
    with nothing said)."""
    if result is None:
        return []
    stream_of = {p: st.id for st in unit.source_streams if st.method == "measurement"
                 for p in st.emission_points or []}
    out = []
    for r in cems_mod.filled(result):
        sid = stream_of.get(str(r["point"]))
        if sid is None:
            continue
        zh, en = cems_mod.filled_text(r, result.start, result.end)
        out.append(make_finding(pack, "DATA-MISSING", sid, f"源流 {sid}：{zh}", f"stream {sid}: {en}",
                                {"stream": sid, "emission_point": r["point"], "hours": r["hours"],
                                 "filled_hours": r["filled_hours"], "neighbour": r["neighbour"],
                                 "substitute": r["substitute"], "filled_t": r["filled_t"],
                                 "share_percent": r["share_percent"]}))
    return out


class ReadingsSource(Protocol):
    """Where readings come from besides files: the readings store bound to a unit
    (:meth:`tanjiliang.data.store.ReadingsStore.source`)."""

    def readings(self, instrument_ids: set[str], start: datetime, end: datetime) -> Readings: ...


def run(unit: UnitFile, paths: list[str | Path] | ReadingsSource, pack: LoadedPack | None = None,
        start: date | None = None, end: date | None = None, as_of: date | None = None,
        interval_s: float | None = None) -> DataReport:
    """Read ``paths`` (files, or a readings store), check them against ``unit`` and assess
    (raises ReadingsError/LoadError)."""
    from tanjiliang.assess.engine import assess

    s, e = reporting_period(unit, start, end)
    asked_end = e  # the period asked for, before the as-of date cuts it
    cutoff: datetime | None = None
    e_cems = e  # the measured total stays the period's: hours after the as-of date have no
    # readings (they do not exist yet) and are filled as any gap
    if as_of is not None:  # readings and records dated after the as-of date do not count (issue 11)
        from tanjiliang.assess.timeline import as_of_view

        unit, _ = as_of_view(unit, as_of)
        cutoff = datetime(as_of.year, as_of.month, as_of.day) + timedelta(days=1)
        e = max(s, min(e, cutoff))
    ids = {i.id for i in unit.instruments}
    # one day either side so that totalisers have their opening and closing register, and
    # back to the start of any out-of-tolerance period (its readings are traced)
    lo, hi = s - timedelta(days=1), e + timedelta(days=1)
    for ins in unit.instruments:
        for last_pass, failed in affected_periods(ins):
            if last_pass is not None:
                lo = min(lo, datetime(last_pass.year, last_pass.month, last_pass.day))
            hi = max(hi, datetime(failed.date.year, failed.date.month, failed.date.day) + timedelta(days=1))
    if cutoff is not None:  # up to the end of the as-of day, its closing register included
        hi = min(hi, cutoff + timedelta(microseconds=1))
    readings = (scan_many(paths, ids, lo, hi) if isinstance(paths, list)
                else paths.readings(ids, lo, hi))
    if readings.targets is not None:  # one reading per instrument and time for the checks
        from tanjiliang.data.profile import profiles

        readings = same_time_targets_summed(readings, {k: p.unit for k, p in profiles(unit).items()})
    cems_result = None
    cems_gaps: list[tuple[str, str, list[str]]] = []
    cems_points = {i.id for i in unit.instruments
                   if i.measured_stream() in {p.id for p in unit.emission_points}}
    if cems_points and any(st.method == "measurement" for st in unit.source_streams):
        samples, dt = cems_mod.samples_from_readings(readings.frame, unit)
        if cutoff is not None:  # (the as-of day's closing register at midnight is not a sample)
            samples = samples.filter(pl.col("time") < cutoff)
        cr = cems_mod.compute(samples, s, e_cems, dt)
        if cr.points.height:
            cems_result = cr
            cems_gaps = cems_mod.unmeasured(unit, cr, samples)
            unit = cems_mod.with_measured_emissions(unit, cr)
    assessment = assess(unit, pack, as_of)
    try:
        q = analyse(readings, unit, s, e, interval_s)
    except READ_ERRORS as exc:  # a CSV is parsed in full only here: a ragged line far down
        raise read_error(list(readings.files), exc) from None
    q.issues = first_rows(readings, q.issues)
    if asked_end <= s:  # reversed or equal dates: an empty period is a "no data" result (issue 18)
        q.issues.append(ReadingsIssue("--from/--to", None, None, None,
                                      f"期间为空（{s:%Y-%m-%d} 不早于 {asked_end:%Y-%m-%d}）：无数据",
                                      f"the period is empty ({s:%Y-%m-%d} is not before {asked_end:%Y-%m-%d}): no data"))
    elif e <= s:  # the as-of date is before the period: its readings do not exist yet
        q.issues.append(ReadingsIssue("--as-of", None, None, None,
                                      f"评估日期 {as_of} 早于期间起始日 {s:%Y-%m-%d}：期间内的读数尚不存在，无数据",
                                      f"the as-of date {as_of} is before the period's start {s:%Y-%m-%d}: "
                                      "its readings do not exist yet; no data"))
    elif q.rows == 0:
        q.issues.append(ReadingsIssue(", ".join(readings.files), None, None, None,
                                      f"{s:%Y-%m-%d} 至 {e:%Y-%m-%d} 期间没有读数：无数据",
                                      f"no readings from {s:%Y-%m-%d} to {e:%Y-%m-%d}: no data"))
    with_data = set(q.monthly["instrument"].unique().to_list())  # instruments with readings in the period
    shares = activity_shares(unit, readings, with_data, s, e, notes=q.issues)
    rec = reconcile(unit, assessment, q, shares)
    monthly, streams = stream_activity(unit, assessment, q, shares)
    comparison = (cems_mod.compare_with_calculation(unit, assessment, cems_result)
                  if cems_result is not None else None)
    p = (pack or load_pack(unit.pack)).pack
    findings = (oot_findings(unit, assessment, q, p, shares) + _recon_findings(rec, p)
                + _missing_findings(streams, q, p) + _silent_findings(unit, assessment, q, with_data, p)
                + _set_aside_findings(q.issues, p)
                + _cems_findings(cems_gaps, s, e, p) + _cems_filled_findings(unit, cems_result, p))
    return DataReport(unit, assessment, q, readings.layouts, rec, monthly, streams, cems_result,
                      comparison, findings)
