"""Closing a month (issue 14 §1-2).

A month of a unit-year is computed from its readings (a readings store or files) with the
data adapter (:func:`tanjiliang.data.report.run`, the one the door uses for readings): per
stream the metered activity, the missing share substituted conservatively
(the pack's ``monthly.substitution_factor``, status I), the emissions at the stream's annual rate
(tCO2e per unit of activity from the assessment); per instrument whether it was in
confirmation on the first and the last day of the month; the out-of-tolerance, reconciliation
and data findings touching the month; the checks (completeness, instruments in confirmation,
out of tolerance, reconciliation).

Filing freezes the record: its canonical JSON and the evidence files' SHA-256 are hashed
into ``sha256``; the evidence files are kept by hash beside the records. A record filed after
the deadline (the pack's ``monthly.deadline_days_after_month_end`` after the month ends, S)
is late. The month's laboratory results (:mod:`tanjiliang.month.lab`) replace the default NCV
and carbon content of their stream; the results file and the report files are evidence. A second
filing of the same month is a correction: a new version with a reason, the earlier one stays.
:func:`verify_records` recomputes every hash and names what changed.
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from tanjiliang.i18n import pairs, pick
from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import UnitFile
from tanjiliang.model.write import atomic_write, json_text
from tanjiliang.month.lab import LabResults, read_lab
from tanjiliang.rules.exact import exact, exact_sum, rounded_ratio
from tanjiliang.rules.load import DEFAULT_PACK, LoadedPack, load_pack
from tanjiliang.rules.schema import MonthlyRules

FORMAT = "tanjiliang/month@1"
ZONE = ZoneInfo("Asia/Shanghai")


def monthly_rules(pack: Any = None) -> tuple[MonthlyRules, LoadedPack]:
    """The monthly close's rules (``monthly`` of the pack: a loaded pack, a bundled name or a
    path; None: the default pack) and the pack they come from: a pack without them uses the
    default pack's."""
    loaded = pack if isinstance(pack, LoadedPack) else load_pack(pack)
    if loaded.pack.monthly is None:
        loaded = load_pack(DEFAULT_PACK)
    assert loaded.pack.monthly is not None, "the default pack holds the monthly rules"
    return loaded.pack.monthly, loaded


def _pack_of(unit: UnitFile, pack: Any = None) -> Any:
    """``pack``, else the pack the unit file names, a relative path read beside the unit file
    as ``check`` reads it (tanjiliang.check._unit_pack)."""
    if pack is not None or not unit.pack:
        return pack
    from tanjiliang.check import _unit_pack

    return _unit_pack(unit)


def unit_pack(unit: UnitFile) -> Any:
    """The pack a unit file names, loaded (relative paths beside the file), for the doors."""
    return _pack_of(unit)


def _cited(name: str, pack: Any = None) -> tuple[Any, LoadedPack]:
    """One monthly rule and the pack it comes from (an optional rule the pack lacks: the
    default pack's)."""
    rules, loaded = monthly_rules(pack)
    c = getattr(rules, name)
    if c is None:
        rules, loaded = monthly_rules(DEFAULT_PACK)
        c = getattr(rules, name)
    return c, loaded


def rule(name: str, pack: Any = None) -> Any:
    """The value of one monthly rule of ``pack`` (``rule("substitution_factor")`` → 1.1)."""
    return _cited(name, pack)[0].value


def cited_rule(name: str, pack: Any = None) -> dict[str, Any]:
    """A monthly rule with its citation (the source's title, clause, status) and pack."""
    c, loaded = _cited(name, pack)
    src = next((x for x in loaded.pack.sources if x.id == c.source), None)
    return {"value": c.value, "source": src.title if src else c.source, "clause": c.clause,
            "status": c.status, "pack": loaded.name}


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """[first day, first day of the next month)."""
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt


def deadline(year: int, month: int, pack: Any = None) -> date:
    """The last day to file the month: the month's end + the pack's
    ``monthly.deadline_days_after_month_end``."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last + timedelta(days=int(rule("deadline_days_after_month_end", pack)))


def parse_month(text: str) -> tuple[int, int]:
    try:
        d = datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise LoadError([Issue("--month", None, "", f"“{text}”不是 YYYY-MM 月份",
                               f'"{text}" is not a month YYYY-MM')]) from None
    return d.year, d.month


@dataclass
class MonthRecord:
    """A filed month as stored (``data`` is the JSON object, ``path`` its file)."""

    path: Path
    data: dict[str, Any]

    @property
    def version(self) -> int:
        return int(self.data["version"])

    @property
    def month(self) -> str:
        return str(self.data["month"])


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON without its own ``sha256``."""
    body = {k: v for k, v in data.items() if k != "sha256"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def records(folder: Path) -> list[MonthRecord]:
    """Every filed record in ``folder`` (all versions), by month then version."""
    out = []
    for p in sorted(folder.glob("*.v*.json")) if folder.exists() else []:
        try:
            out.append(MonthRecord(p, json.loads(p.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            out.append(MonthRecord(p, {"month": p.name.split(".")[0], "version": 0,
                                       "broken": True}))
    return sorted(out, key=lambda r: (r.month, r.version))


def latest(folder: Path) -> dict[str, MonthRecord]:
    out: dict[str, MonthRecord] = {}
    for r in records(folder):
        if not r.data.get("broken"):
            out[r.month] = r
    return out


def _measured_rate(unit: UnitFile, s: Any, measured: dict[str, dict[str, Any]], amount: float,
                   lab: LabResults, lib: Any, gwp: dict[str, float]) -> tuple[float, list[Any]]:
    """tCO2e per unit of the declared annual activity with the month's laboratory values in
    place of the file's or the library's (a measured carbon content replaces an emission
    factor: E = activity × ncv × carbon_content × oxidation_rate × 44/12, or activity ×
    carbon_content × oxidation_rate × 44/12 for an elemental carbon content by mass), and the
    parameters used. The ratio to the stream's own calculation scales the assessment's
    counted emissions, so that what the pack counts (biogenic, reported apart) still holds."""
    from tanjiliang.emissions.calc import CalcProblem, stream_emissions
    from tanjiliang.model.unit import Param, Parameters

    src = next(x for x in unit.source_streams if x.id == s.id)
    params = src.parameters or Parameters()
    update: dict[str, Any] = {name: Param.model_construct(value=f"{v['value']!r} {v['unit']}",
                                                          source="measured")
                              for name, v in measured.items()}
    if "carbon_content" in measured:
        update["emission_factor"] = None
    copy = src.model_copy(update={"parameters": params.model_copy(update=update)})
    try:
        base = stream_emissions(src, unit.unit.year, lib, gwp)
        e = stream_emissions(copy, unit.unit.year, lib, gwp)
    except CalcProblem as exc:
        row = min(r for v in measured.values() for r in v["rows"])
        raise LoadError([Issue(lab.file, row, "value", f"化验结果不能用于源流 {s.id}：{exc.zh}",
                               f"the laboratory results cannot be used for stream {s.id}: {exc.en}")]) from None
    if base.counted_tco2e:
        rate = s.emissions_tco2e * e.counted_tco2e / base.counted_tco2e / amount
    else:
        rate = e.counted_tco2e / amount
    return rate, e.parameters


def _parameters(used: list[Any], measured: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The stream's parameters as used this month: source ``lab`` (this month's laboratory
    results, with how they were averaged) or what the annual calculation used (``measured``
    in the file, ``default``, ``supplier``, ``library`` with its citation)."""
    def lab_of(v: dict[str, Any]) -> dict[str, Any]:
        return {k: v[k] for k in ("results", "weighting", "rows", "flagged")}

    out = []
    for p in used:
        if p.name == "activity":
            continue
        lab = measured.get(p.name)
        out.append({"name": p.name, "value": lab["value"] if lab else p.value,
                    "unit": lab["unit"] if lab else p.unit, "source": "lab" if lab else p.source,
                    "citation": None if lab else p.citation, "in_formula": True,
                    "lab": None if lab is None else lab_of(lab)})
    names = {p["name"] for p in out}
    for name, v in measured.items():  # measured, not in the formula (an NCV beside a carbon
        if name not in names:         # content by mass: E = activity × C × OF × 44/12)
            out.append({"name": name, "value": v["value"], "unit": v["unit"], "source": "lab",
                        "citation": None, "in_formula": False, "lab": lab_of(v)})
    return out


def lab_coverage(streams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parameters the unit file says are measured (NCV, carbon content: ``source: measured``)
    need the month's laboratory result (issue 14 §1: measured parameters are filed monthly);
    a stream with activity this month whose measured parameter has no result this month falls
    back on the annual value and the check fails, naming stream and parameter. No check when
    no stream declares such a parameter."""
    from tanjiliang.month.lab import PARAMETERS

    due = [(s, p) for s in streams for p in s["parameters"]
           if p["name"] in PARAMETERS and p["source"] in ("measured", "lab")]
    if not due:
        return []
    missing = [{"stream": s["id"], "name": s["name"], "parameter": p["name"]} for s, p in due
               if p["source"] == "measured" and (s["metered"] or s["missing"])]
    return [{"check": "lab_coverage", "ok": not missing, "missing": missing}]


def compute_month(unit: UnitFile, year: int, month: int, readings: Any,
                  pack: Any = None, as_of: date | None = None,
                  lab: LabResults | None = None,
                  entered: dict[str, float] | None = None) -> dict[str, Any]:
    """The month's figures (not yet filed): see the module docstring. ``lab``: the unit-year's
    laboratory results (tanjiliang.month.lab); the month's values replace the defaults.
    ``entered``: activity entered by hand per stream (in the unit of its readings, else of its
    declared activity: :func:`entered_activity`), filed instead of the readings' figure and
    compared with the sum of its days (the pack's ``daily_monthly_max_deviation_percent``)."""
    entered = entered or {}
    from tanjiliang.data.activity import declared_activity
    from tanjiliang.data.report import run
    from tanjiliang.rules.factors import bundled_library

    start, end = month_bounds(year, month)
    label = f"{year:04d}-{month:02d}"
    last_day = end - timedelta(days=1)
    day = as_of or last_day
    rep = run(unit, readings, pack, start, end, day)
    a = rep.assessment
    rule_pack = pack or unit.pack
    factor = float(rule("substitution_factor", rule_pack))
    missing = {r["stream"]: r for r in rep.streams.to_dicts()}
    metered = {r["stream"]: r for r in rep.stream_monthly.to_dicts()}
    values = lab.month_values(label) if lab is not None else {}
    lib = bundled_library()
    loaded = rule_pack if isinstance(rule_pack, LoadedPack) else load_pack(rule_pack)
    gwp = lib.gwp(unit.gwp or loaded.pack.gwp.value) if values else {}

    rates: dict[str, float | None] = {}  # tCO2e per unit of the declared annual activity
    used_params: dict[str, list[Any]] = {}
    for s in a.streams:
        amount, _ = declared_activity(unit, s.id)
        rates[s.id] = (s.emissions_tco2e / amount) if amount else None
        used_params[s.id] = list(s.parameters)
        if amount and s.id in values:
            assert lab is not None
            rates[s.id], used_params[s.id] = _measured_rate(unit, s, values[s.id], amount, lab,
                                                            lib, gwp)
    streams: list[dict[str, Any]] = []
    without_data = []
    for s in a.streams:
        m = metered.get(s.id)
        if m is None and not (missing.get(s.id) or {}).get("missing_activity") and s.id not in entered:
            # a stream without metered data in this file set: not a month of 0 t (the annual
            # summary lists every declared stream, so membership there said nothing)
            without_data.append({"id": s.id, "name": s.name})
            continue
        act = filed_quantity(float(m["activity"])) if m else 0.0
        miss = filed_quantity(float((missing.get(s.id) or {}).get("missing_activity") or 0.0))
        hand = entered.get(s.id)
        if hand is not None:  # entered with evidence: the month's figure, nothing substituted
            used, miss = hand, 0.0
        else:
            used = filed_quantity(float(exact(act) + exact(factor) * exact(miss)))
        rate = rates.get(s.id)
        streams.append({
            "id": s.id, "name": s.name,
            "unit": (m or {}).get("unit") or (declared_activity(unit, s.id)[1] if hand is not None else None),
            "instruments": (m or {}).get("instruments"), "metered": act,
            "missing": miss, "substituted": filed_quantity(float(exact(factor) * exact(miss))), "activity": used,
            **({} if hand is None else {"entered": hand, "readings": m is not None,
                                        "deviation_percent": (_float(deviation_percent(hand, act))
                                                              if m is not None else None)}),
            "substitution": None if miss == 0 else {
                "rule": "substitution_factor", "factor": factor,
                "source": cited_rule("substitution_factor", rule_pack)["source"],
                "status": cited_rule("substitution_factor", rule_pack)["status"]},
            "emissions_tco2e": None if rate is None else used * rate,
            "parameters": _parameters(used_params[s.id], values.get(s.id, {})),
        })
    from tanjiliang.check import check

    # status on the month's last day, whatever the as-of date (a filing after the month sees
    # later confirmations only for the out-of-tolerance periods they reveal)
    at_last = a if day == last_day else check(rep.unit, pack, as_of=last_day)
    by_id = {i.id: i for i in at_last.instruments}
    at_start = {i.id: i.calibration_status
                for i in check(rep.unit, pack, as_of=start).instruments}
    instruments = [{"id": i.id, "name": i.name, "status": i.status,
                    "at_start": at_start.get(i.id), "at_end": i.calibration_status,
                    "next_due": i.next_due.isoformat() if i.next_due else None}
                   for i in by_id.values()]
    completeness = mean_percent(rep.quality.summary["coverage_percent"].to_list())
    lapsed = [i["id"] for i in instruments if i["status"] != "out_of_service"
              and not ({i["at_start"], i["at_end"]} <= {"valid", "due_soon"})]
    def touches(f: Any) -> bool:
        """An out-of-tolerance finding counts for the month when its affected period
        [period_from, period_to] overlaps the month (no start known: from the first reading)."""
        if f.code != "CAL-OOT":
            return True
        lo, hi = f.data.get("period_from"), f.data.get("period_to")
        return (lo is None or date.fromisoformat(lo) < end) and (
            hi is None or date.fromisoformat(hi) >= start)

    findings = [{"code": f.code, "severity": f.severity, "subject": f.subject,
                 "zh": f.message("zh"), "en": f.message("en"), "data": f.data}
                for f in rep.findings if touches(f)]
    oot = [f for f in findings if f["code"] == "CAL-OOT"]
    recon = [f for f in findings if f["code"] == "DATA-RECON"]
    cmin = float(rule("completeness_min_percent", rule_pack))
    month_lab = lab.of_month(label) if lab is not None else []
    # the readings' completeness; a month whose every stream is entered by hand (none left
    # without data) has no readings to be complete: the check is not made (ok None), it does
    # not pass; streams left out for want of any data are named
    all_entered = bool(streams) and not without_data and all(x.get("entered") is not None
                                                             for x in streams)
    checks = [
        {"check": "completeness", "value": completeness, "limit": cmin,
         "ok": (None if all_entered else False) if completeness is None
         else exact(completeness) >= exact(cmin),
         **({"not_made": "all_entered"} if completeness is None and all_entered else {}),
         **({"without_data": without_data} if without_data else {})},
        {"check": "in_confirmation", "ok": not lapsed, "instruments": lapsed},
        {"check": "out_of_tolerance", "ok": not oot, "findings": len(oot)},
        {"check": "reconciliation", "ok": not recon, "findings": len(recon)},
    ]
    if month_lab:  # every result from an accredited laboratory, with certificate and method
        flagged = [{"row": r.row, "flags": list(r.flags)} for r in month_lab if r.flags]
        checks.append({"check": "lab_results", "ok": not flagged, "results": len(month_lab),
                       "flagged": flagged,
                       "accreditations": list(rule("lab_accreditations", rule_pack))})
    checks += lab_coverage(streams)
    consistency = consistency_check(streams, rule("daily_monthly_max_deviation_percent", rule_pack))
    if consistency is not None:
        checks.append(consistency)
    total = sum(s["emissions_tco2e"] or 0.0 for s in streams)
    return {"format": FORMAT, "unit": {"name": unit.unit.name,
                                       "credit_code": unit.unit.credit_code, "year": year},
            "month": f"{year:04d}-{month:02d}", "as_of": day.isoformat(),
            "pack": {"name": a.pack_name, "version": a.pack_version},
            "streams": streams, "emissions_tco2e": total, "instruments": instruments,
            "completeness_percent": completeness, "findings": findings, "checks": checks,
            "rules": {n: cited_rule(n, rule_pack) for n in (
                "deadline_days_after_month_end", "substitution_factor",
                "completeness_min_percent", "lab_accreditations",
                "daily_monthly_max_deviation_percent")},
            "lab": None if not month_lab else {
                "file": lab.file if lab is not None else None,
                "results": [r.as_dict() for r in month_lab]}}


#: Significant digits a filed quantity keeps (docs/month.md "Filed quantities").
FILED_DIGITS = 12


def filed_quantity(x: float) -> float:
    """A month's quantity as filed: the readings' sum is a sum of binary floats (28 readings of
    54.8 t add up to 1534.3999999999992); rounded to :data:`FILED_DIGITS` significant digits it
    is the exact decimal sum of the readings (1534.4) — far beyond any meter's resolution, far
    above the float sum's error (a few units in the 15th digit even for a month of minute
    readings)."""
    if x == 0 or x != x or x in (float("inf"), float("-inf")):
        return x
    return float(Decimal(f"{x:.{FILED_DIGITS}g}"))


def deviation_percent(entered: float, days: float) -> Decimal | None:
    """How far the sum of a stream's days' readings lies from the month's figure entered by
    hand: |entered − days| ÷ entered × 100, worked out exactly on the quantities' decimal
    strings (the shortest that read back as the numbers: what was typed, when no unit was
    converted) and rounded half up to two decimals, the precision the record keeps and the
    pack's limit is compared at (a float ``round`` made 200 000 t against 189 990 t, exactly
    5.005 %, 5.00 %: within 5 %). None when 0 was entered against days that are not 0 (no
    ratio: not consistent); 0.00 for 0 against 0."""
    e, d = exact(entered), exact(days)
    if not e:
        return Decimal("0.00") if not d else None
    return rounded_ratio(abs(e - d) * 100, e, 2)


def mean_percent(values: list[Any]) -> float | None:
    """The mean of percentages (their exact decimals: rules.exact.exact), rounded half up to
    one decimal, as a float (None for no values): a float ``round`` of the float mean made
    85.1 and 94.8 89.9, below a 90 % limit, where the mean is 89.95 → 90.0."""
    if not values:
        return None
    return float(rounded_ratio(exact_sum(exact(float(v)) for v in values), len(values), 1))


def _float(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def consistency_check(streams: list[dict[str, Any]], limit: Any) -> dict[str, Any] | None:
    """The daily-vs-monthly check of a month's streams (issue 14 §4; ``limit``: the pack's
    ``daily_monthly_max_deviation_percent``), None when nothing was entered by hand. Each
    stream entered by hand that has readings is compared with the sum of its days: within the
    limit when its ``deviation_percent`` is at most the limit, both as decimals. A stream entered
    by hand without any readings has nothing to compare with: it is named in ``not_compared``,
    and when no stream was compared the check is not made (``ok`` None: neither consistent nor
    not, and not counted by the indicator)."""
    entered = [x for x in streams if x.get("entered") is not None]
    if not entered:
        return None
    dmax = exact(limit)
    compared = [{"id": x["id"], "entered": x["entered"], "days": x["metered"],
                 "deviation_percent": x["deviation_percent"],
                 "ok": x["deviation_percent"] is not None and exact(x["deviation_percent"]) <= dmax}
                for x in entered if x["readings"]]
    uncompared = [{"id": x["id"], "name": x["name"], "entered": x["entered"], "reason": "no_readings"}
                  for x in entered if not x["readings"]]
    return {"check": "daily_monthly_consistency", "limit": float(limit),
            "ok": all(x["ok"] for x in compared) if compared else None, "streams": compared,
            **({"not_compared": uncompared} if uncompared else {})}


def record_notes(data: dict[str, Any], lang: str) -> list[str]:
    """What a filed record says it did not check or file, for the doors (the month card, ``month
    close``): streams entered by hand without readings (not compared with any days), streams
    left out of the month for want of any data, the completeness not checked because every
    stream was entered by hand."""
    sep = "、" if lang == "zh" else ", "
    out = []
    for c in data.get("checks") or []:
        if c.get("not_compared"):
            out.append(_note("not_compared", lang, sep.join(x["name"] or x["id"] for x in c["not_compared"])))
        if c.get("without_data"):
            out.append(_note("without_data", lang, sep.join(x["name"] or x["id"] for x in c["without_data"])))
        if c.get("not_made") == "all_entered":
            out.append(_note("all_entered", lang, ""))
    return out


def _note(key: str, lang: str, streams: str) -> str:
    return pick(NOTE_WORDS[key], lang, f"month.note:{key}").format(streams=streams)


def lab_reports(lab: LabResults | None, label: str, available: dict[str, str]) -> dict[str, str]:
    """report_file → SHA-256 of the report files the month's results name, from ``available``
    (file name → SHA-256: the files beside the lab file, or the files uploaded with the
    filing); a result naming a report file that is not there is refused (file, row, field)."""
    if lab is None:
        return {}
    out, problems = {}, []
    for r in lab.of_month(label):
        if r.report_file is None:
            continue
        key = Path(r.report_file).name
        if key in available:
            out[r.report_file] = available[key]
        else:
            problems.append(Issue(lab.file, r.row, "report_file",
                                  f"报告文件“{r.report_file}”未提供", f'the report file "{r.report_file}" is not given'))
    if problems:
        raise LoadError(problems)
    return out


def file_month(unit: UnitFile, year: int, month: int, readings: Any, *,
               previous: dict[str, Any] | None, evidence: list[dict[str, Any]],
               reason: str | None, filed_at: datetime, pack: Any = None,
               lab: LabResults | None = None, reports: dict[str, str] | None = None,
               entered: dict[str, float] | None = None) -> dict[str, Any]:
    """The frozen record of a filing (what every door stores): the month's figures (with its
    laboratory results, each naming its report file's SHA-256 from ``reports``), version,
    filing time in Asia/Shanghai, deadline and lateness, the reason and the previous
    version's hash for a correction, the evidence files (name, SHA-256, bytes), and
    ``sha256`` over all of it. A correction without a reason is refused (LoadError)."""
    label = f"{year:04d}-{month:02d}"
    pack = _pack_of(unit, pack)
    if previous is not None and not (reason and reason.strip()):
        raise LoadError([Issue("reason", None, "", f"{label} 已提交；更正须说明原因",
                               f"{label} is filed; a correction needs a reason")])
    when = filed_at.astimezone(ZONE)
    if year != unit.unit.year:  # a unit-year's months (the folder close leaves such a unit out)
        raise LoadError([Issue("--month", None, "", f"{label} 不在本单位的报告年度 {unit.unit.year} 内",
                               f"{label} is not in the unit's reporting year {unit.unit.year}")])
    _, end = month_bounds(year, month)
    if when.date() < end:  # the card 未开始: a month is filed once it has ended
        raise LoadError([Issue("--month", None, "", f"{label} 尚未结束（提交日期 {when.date()}），不能提交",
                               f"{label} has not ended (filing date {when.date()}): it cannot be filed")])
    # as of the filing day: a confirmation failed after the month but before the filing
    # reveals an out-of-tolerance period touching the month, known when it is filed
    if entered and not evidence:  # a figure typed in stands on its evidence
        raise LoadError([Issue("--activity", None, "", "手工填报的活动数据须附证据文件（--evidence）",
                               "activity entered by hand needs its evidence file (--evidence)")])
    data = compute_month(unit, year, month, readings, pack, as_of=when.date(), lab=lab,
                         entered=entered)
    if data["completeness_percent"] is None and not any(
            s["metered"] or s["missing"] or s.get("entered") is not None for s in data["streams"]):
        # no reading of the month at all: nothing to file (the folder close files no such unit)
        raise LoadError([Issue("--month", None, "", f"{label} 没有读数，未提交",
                               f"{label} has no readings: nothing filed")])
    if data["lab"] is not None:
        for r in data["lab"]["results"]:
            r["report_sha256"] = (reports or {}).get(r["report_file"]) if r["report_file"] else None
    due = deadline(year, month, pack or unit.pack)
    data.update({
        "version": 1 if previous is None else int(previous["version"]) + 1,
        "filed_at": when.isoformat(timespec="seconds"), "deadline": due.isoformat(),
        "late": when.date() > due, "reason": reason.strip() if previous is not None and reason else None,
        "previous_sha256": previous.get("sha256") if previous is not None else None,
        "evidence": evidence,
    })
    data["sha256"] = content_hash(data)
    return data


def close_month(unit: UnitFile, year: int, month: int, readings: Any, folder: Path, *,
                evidence: list[Path] | None = None, reason: str | None = None,
                filed_at: datetime | None = None, pack: Any = None,
                lab: Path | None = None, entered: dict[str, str] | None = None) -> MonthRecord:
    """Compute and file the month into ``folder``: version 1, or a correction (a reason is
    required) that keeps every earlier version. ``lab``: the unit-year's laboratory results
    file (tanjiliang.month.lab); it and the report files its month's results name (beside
    it) are evidence too. Evidence files are copied by hash."""
    label = f"{year:04d}-{month:02d}"
    pack = _pack_of(unit, pack)
    previous = latest(folder).get(label)
    files: list[tuple[Path, str | None]] = [(p, None) for p in evidence or []]
    results = None
    if lab is not None:
        accepted = rule("lab_accreditations", pack or unit.pack)
        results = read_lab(lab, unit, accreditations=accepted)
        names = {r.report_file for r in results.of_month(label) if r.report_file}
        beside = {Path(n).name: lab.parent / n for n in names if (lab.parent / n).is_file()}
        lab_reports(results, label, dict.fromkeys(beside, ""))  # every named report exists
        files += [(lab, "lab_results")] + [(p, "lab_report") for p in beside.values()]
    kept = []
    for p, kind in files:
        if not p.is_file():
            raise LoadError([Issue(str(p), None, "", "证据文件不存在", "no such evidence file")])
        kept.append({"file": p.name, "sha256": _sha256_file(p), "bytes": p.stat().st_size}
                    | ({"kind": kind} if kind else {}))
    reports = lab_reports(results, label, {ev["file"]: ev["sha256"] for ev in kept
                                           if ev.get("kind") == "lab_report"})
    data = file_month(unit, year, month, readings,
                      previous=previous.data if previous is not None else None, evidence=kept,
                      reason=reason, filed_at=filed_at or datetime.now(ZONE), pack=pack,
                      lab=results, reports=reports,
                      entered=entered_activity(unit, entered) if entered else None)
    folder.mkdir(parents=True, exist_ok=True)
    if kept:
        store = folder / "evidence"
        store.mkdir(exist_ok=True)
        for (p, _), ev in zip(files, kept, strict=True):
            target = store / ev["sha256"]
            if not target.exists():
                shutil.copyfile(p, target)
    path = folder / f"{label}.v{data['version']}.json"
    atomic_write(path, json_text(data))
    return MonthRecord(path, data)


def entered_activity(unit: UnitFile, texts: dict[str, str]) -> dict[str, float]:
    """Activity entered by hand (``{stream id or name: "12 345 t"}``) as numbers in the unit
    the month's figures use for the stream: its instruments' unit where readings give one
    (tanjiliang.data.profile), else the unit of its declared activity. A stream the unit does
    not have, a text that is not a quantity, or one of another dimension is bad input naming
    the option and the value."""
    from tanjiliang.data.activity import declared_activity
    from tanjiliang.data.profile import profiles
    from tanjiliang.units import parse_quantity

    by_name = {s.id: s.id for s in unit.source_streams} | {
        (s.name or s.id): s.id for s in unit.source_streams}
    units: dict[str, str | None] = {}
    for p in profiles(unit).values():
        if p.quantity == "activity" and p.unit and p.stream not in units:
            units[p.stream] = p.unit
    out: dict[str, float] = {}
    for key, text in texts.items():
        sid = by_name.get(key.strip())
        if sid is None:
            raise LoadError([Issue("--activity", None, key, f"“{key}”不是本单位的源流",
                                   f'"{key}" is not a source stream of the unit')])
        target = units.get(sid) or declared_activity(unit, sid)[1]
        try:
            q = parse_quantity(text)
            value = float(q.to(target).magnitude) if target else float(q.magnitude)
        except Exception:  # not a quantity (QuantityError), or of another dimension (pint)
            raise LoadError([Issue("--activity", None, f"{key}={text}",
                                   f"“{text}”不是{sid}的活动数据（应为可换算为 {target} 的数量）",
                                   f'"{text}" is not an activity of {sid} (a quantity in {target} or convertible)')]) from None
        if value < 0:
            raise LoadError([Issue("--activity", None, f"{key}={text}", "活动数据不能为负",
                                   "activity cannot be negative")])
        out[sid] = value
    return out


#: The checks' and the cards' words (Chinese; the English from the catalogue, context
#: ``month.check:<key>``, ``month.status:<key>``).
CHECK_WORDS = cast("dict[str, tuple[str, str]]", pairs("month.check", {
    "completeness": "数据完整率",
    "in_confirmation": "器具在确认有效期内",
    "out_of_tolerance": "无超差影响",
    "reconciliation": "主表与分表平衡",
    "lab_results": "化验结果资质与方法齐全",
    "lab_coverage": "实测参数有当月化验结果",
    "daily_monthly_consistency": "日数据与月数据一致"}))

#: What a record did not check or file (:func:`record_notes`; context ``month.note:<key>``).
NOTE_WORDS = cast("dict[str, tuple[str, str]]", pairs("month.note", {
    "not_compared": "{streams}：本月无读数，按手工填报的数据提交，未与日数据比对",
    "without_data": "{streams}：本月既无读数也未手工填报，未计入本月",
    "all_entered": "各源流均为手工填报，未检查读数完整率"}))

STATUS_WORDS = cast("dict[str, tuple[str, str]]", pairs("month.status", {
    "not_started": "未开始", "to_file": "待提交",
    "filed": "已提交", "overdue": "逾期",
    "corrected": "已更正"}))


def card_state(year: int, month: int, version: int | None, today: date, pack: Any = None) -> str:
    """A month card's state: 未开始 (the month has not ended), 待提交 (ended, not filed, deadline
    not passed), 逾期 (not filed by the deadline), 已提交, 已更正 (a correction filed). Every
    door (CLI, web, reminders) uses this one rule."""
    if version is not None:
        return "corrected" if version > 1 else "filed"
    _, end = month_bounds(year, month)
    if today < end:
        return "not_started"
    return "to_file" if today <= deadline(year, month, pack) else "overdue"


def first_versions(folder: Path) -> dict[str, MonthRecord]:
    """The first readable version of every filed month: whether a month was filed late is its
    first version's lateness, whatever a later correction's (the cards, the filing workbook
    and the timeliness indicator read it so)."""
    return {r.month: r for r in reversed(records(folder)) if not r.data.get("broken")}


def month_status(year: int, folder: Path, today: date, pack: Any = None) -> list[dict[str, Any]]:
    """Twelve cards (:func:`card_state`, deadlines of ``pack``); a filed month says whether
    it was filed late: its first version's lateness (a correction filed after the deadline
    does not make a month filed in time late — the timeliness indicator counts version 1 the
    same way; each record keeps its own ``late``)."""
    filed = latest(folder)
    first = first_versions(folder)
    cards = []
    for m in range(1, 13):
        label = f"{year:04d}-{m:02d}"
        rec = filed.get(label)
        state = card_state(year, m, rec.version if rec else None, today, pack)
        cards.append({"month": label, "status": state, "deadline": deadline(year, m, pack).isoformat(),
                      "version": rec.version if rec else None,
                      "late": bool(first[label].data.get("late")) if rec else None,
                      "emissions_tco2e": rec.data.get("emissions_tco2e") if rec else None})
    return cards


def _missing_versions(month: str, first: int, last: int) -> tuple[str, str]:
    """(zh, en) saying that versions ``first``…``last`` of ``month`` are gone."""
    if first == last:
        return f"{month} 缺少第 {first} 版", f"{month}: version {first} is missing"
    return (f"{month} 缺少第 {first} 至 {last} 版",
            f"{month}: versions {first} to {last} are missing")


def verify_records(folder: Path) -> list[tuple[str, str, str]]:
    """(file, zh, en) for every record whose content or evidence no longer matches its hash,
    and every correction whose predecessor's hash is not the one it names."""
    problems = []
    by_month: dict[str, list[MonthRecord]] = {}
    for r in records(folder):
        if r.data.get("broken"):
            problems.append((r.path.name, "记录无法读取", "the record cannot be read"))
            continue
        by_month.setdefault(r.month, []).append(r)
        if content_hash(r.data) != r.data.get("sha256"):
            problems.append((r.path.name, "记录内容与其哈希不符（已被修改）",
                             "the record does not match its hash (it was changed)"))
        for ev in r.data.get("evidence", []):
            p = folder / "evidence" / ev["sha256"]
            if not p.exists():
                problems.append((r.path.name, f"证据文件 {ev['file']} 缺失",
                                 f"evidence file {ev['file']} is missing"))
            elif _sha256_file(p) != ev["sha256"]:
                problems.append((r.path.name, f"证据文件 {ev['file']} 已被修改",
                                 f"evidence file {ev['file']} was changed"))
    for versions in by_month.values():
        first = versions[0]
        if first.version != 1 or first.data.get("previous_sha256") is not None:
            # a removed version 1 (or earlier versions) left a correction chained to nothing
            problems.append((first.path.name, *_missing_versions(first.month, 1, first.version - 1))
                            if first.version > 1 else
                            (first.path.name, "第 1 版不应指向前一版本",
                             "version 1 must not name a previous version"))
        for before, after in itertools.pairwise(versions):
            if after.version != before.version + 1:
                problems.append((after.path.name, *_missing_versions(
                    after.month, before.version + 1, after.version - 1)))
            elif after.data.get("previous_sha256") != before.data.get("sha256"):
                problems.append((after.path.name, "更正版本与前一版本的哈希不衔接",
                                 "the correction does not chain to the previous version"))
    return problems


def _filed(year: int, folder: Path, day: date) -> list[MonthRecord]:
    """The unit-year's readable records filed by ``day``, by month then version (records
    filed after ``day`` do not exist for it)."""
    def filed_by(r: MonthRecord) -> bool:
        at = r.data.get("filed_at")
        return bool(at) and datetime.fromisoformat(str(at)).date() <= day

    return [r for r in records(folder) if not r.data.get("broken") and filed_by(r)
            and r.month.startswith(f"{year:04d}-")]


def parse_entered(items: list[str], field: str) -> dict[str, str]:
    """``STREAM=QUANTITY`` items (a half- or full-width ``=``; blank items skipped) as
    ``{stream: quantity text}``, for :func:`entered_activity`; a malformed item is bad input
    naming ``field`` (the option or form field) and the item."""
    out: dict[str, str] = {}
    for item in items:
        text = item.strip()
        if not text:
            continue
        key, eq, qty = text.replace("＝", "=").partition("=")
        if not eq or not key.strip() or not qty.strip():
            raise LoadError([Issue(field, None, text, f"“{text}”应写作 源流=数量（如 coal=12345 t）",
                                   f'"{text}" should read STREAM=QUANTITY (e.g. coal=12345 t)')])
        out[key.strip()] = qty.strip()
    return out


def filing_indicators(year: int, folder: Path, day: date, pack: Any = None
                      ) -> tuple[float | None, float | None]:
    """(completeness, timeliness) of a unit-year's filed months as of ``day`` (percent, one
    decimal half up; None when there is nothing to count), for ``tanjiliang kpi --records``:
    completeness is the mean of the filed months' data completeness (latest versions);
    timeliness the months first filed by their deadline ÷ the months whose deadline has passed
    by ``day`` (the web app's rule: version 1 counts). Records filed after ``day`` do not exist
    for it."""
    last: dict[str, MonthRecord] = {}
    first: dict[str, MonthRecord] = {}
    for r in _filed(year, folder, day):  # by month then version
        last[r.month] = r
        first.setdefault(r.month, r)
    from tanjiliang.kpi.indicators import percent

    completeness = mean_percent([r.data["completeness_percent"] for r in last.values()
                                 if r.data.get("completeness_percent") is not None])
    due = [f"{year:04d}-{m:02d}" for m in range(1, 13) if deadline(year, m, pack) < day]
    on_time = sum(1 for label in due if label in first and first[label].version == 1
                  and not first[label].data.get("late"))
    return completeness, percent(on_time, len(due))


def filing_consistent(data: dict[str, Any]) -> bool | None:
    """Whether a filed record's activity entered by hand agreed with the sum of its days
    (its ``daily_monthly_consistency`` check): True or False when the check was made, None
    when no entered figure was compared with readings (the web app keeps it per filing,
    ``MonthFiling.consistent``)."""
    for c in data.get("checks") or []:
        if c.get("check") == "daily_monthly_consistency" and c.get("ok") is not None:
            return bool(c["ok"])
    return None


def consistency_indicator(year: int, folder: Path, day: date) -> float | None:
    """Daily-vs-monthly consistency of a unit-year's filed months as of ``day`` (issue 14 §4):
    the months (latest versions filed by ``day``) whose activity entered by hand is within
    the pack's ``daily_monthly_max_deviation_percent`` of the sum of its days' readings ÷ the
    months with such a comparison (percent, one decimal half up; None when no month has one)."""
    from tanjiliang.kpi.indicators import percent

    last = {r.month: r for r in _filed(year, folder, day)}  # the latest version of each month
    judged = [ok for r in last.values() if (ok := filing_consistent(r.data)) is not None]
    return percent(sum(judged), len(judged))


def year_total(folder: Path) -> float:
    """The year's total: the sum of the latest version of every filed month."""
    return float(sum(r.data.get("emissions_tco2e") or 0.0 for r in latest(folder).values()))
