"""Closing a month (issue 14 §1-2).

A month of a unit-year is computed from its readings (a readings store or files) with the
data adapter (:func:`tanjiliang.data.report.run`, the one the door uses for readings): per
stream the metered activity, the missing share substituted conservatively
(``rules.yaml: substitution_factor``, status I), the emissions at the stream's annual rate
(tCO2e per unit of activity from the assessment); per instrument whether it was in
confirmation on the first and the last day of the month; the out-of-tolerance, reconciliation
and data findings touching the month; the checks (completeness, instruments in confirmation,
out of tolerance, reconciliation).

Filing freezes the record: its canonical JSON and the evidence files' SHA-256 are hashed
into ``sha256``; the evidence files are kept by hash beside the records. A record filed after
the deadline (``deadline_days_after_month_end`` after the month ends, S) is late. A second
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
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import UnitFile
from tanjiliang.model.write import atomic_write, json_text

FORMAT = "tanjiliang/month@1"
ZONE = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (Path(__file__).parent / "rules.yaml").read_text(encoding="utf-8"))
    return data


def rule(name: str) -> Any:
    return rules()[name]["value"]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """[first day, first day of the next month)."""
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt


def deadline(year: int, month: int) -> date:
    """The last day to file the month: the month's end + ``deadline_days_after_month_end``."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last + timedelta(days=int(rule("deadline_days_after_month_end")))


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


def compute_month(unit: UnitFile, year: int, month: int, readings: Any,
                  pack: Any = None, as_of: date | None = None) -> dict[str, Any]:
    """The month's figures (not yet filed): see the module docstring."""
    from tanjiliang.data.report import run

    start, end = month_bounds(year, month)
    last_day = end - timedelta(days=1)
    day = as_of or last_day
    rep = run(unit, readings, pack, start, end, day)
    a = rep.assessment
    factor = float(rule("substitution_factor"))
    missing = {r["stream"]: r for r in rep.streams.to_dicts()}
    metered = {r["stream"]: r for r in rep.stream_monthly.to_dicts()}
    from tanjiliang.data.activity import declared_activity

    rates = {}  # tCO2e per unit of the declared annual activity
    for s in a.streams:
        amount, _ = declared_activity(unit, s.id)
        rates[s.id] = (s.emissions_tco2e / amount) if amount else None
    streams = []
    for s in a.streams:
        m = metered.get(s.id)
        if m is None and s.id not in missing:
            continue  # a stream without metered data in this file set
        act = float(m["activity"]) if m else 0.0
        miss = float((missing.get(s.id) or {}).get("missing_activity") or 0.0)
        used = act + factor * miss
        rate = rates.get(s.id)
        streams.append({
            "id": s.id, "name": s.name, "unit": (m or {}).get("unit"),
            "instruments": (m or {}).get("instruments"), "metered": act,
            "missing": miss, "substituted": factor * miss, "activity": used,
            "substitution": None if miss == 0 else {
                "rule": "substitution_factor", "factor": factor,
                "source": rules()["substitution_factor"]["source"], "status": "I"},
            "emissions_tco2e": None if rate is None else used * rate,
        })
    by_id = {i.id: i for i in a.instruments}
    from tanjiliang.check import check

    at_start = {i.id: i.calibration_status
                for i in check(rep.unit, pack, as_of=start).instruments}
    instruments = [{"id": i.id, "name": i.name, "status": i.status,
                    "at_start": at_start.get(i.id), "at_end": i.calibration_status,
                    "next_due": i.next_due.isoformat() if i.next_due else None}
                   for i in by_id.values()]
    coverage = rep.quality.summary["coverage_percent"].to_list()
    completeness = round(sum(coverage) / len(coverage), 1) if coverage else None
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
    cmin = float(rule("completeness_min_percent"))
    checks = [
        {"check": "completeness", "ok": completeness is not None and completeness >= cmin,
         "value": completeness, "limit": cmin},
        {"check": "in_confirmation", "ok": not lapsed, "instruments": lapsed},
        {"check": "out_of_tolerance", "ok": not oot, "findings": len(oot)},
        {"check": "reconciliation", "ok": not recon, "findings": len(recon)},
    ]
    total = sum(s["emissions_tco2e"] or 0.0 for s in streams)
    return {"format": FORMAT, "unit": {"name": unit.unit.name,
                                       "credit_code": unit.unit.credit_code, "year": year},
            "month": f"{year:04d}-{month:02d}", "as_of": day.isoformat(),
            "pack": {"name": a.pack_name, "version": a.pack_version},
            "streams": streams, "emissions_tco2e": total, "instruments": instruments,
            "completeness_percent": completeness, "findings": findings, "checks": checks}


def file_month(unit: UnitFile, year: int, month: int, readings: Any, *,
               previous: dict[str, Any] | None, evidence: list[dict[str, Any]],
               reason: str | None, filed_at: datetime, pack: Any = None) -> dict[str, Any]:
    """The frozen record of a filing (what every door stores): the month's figures, version,
    filing time in Asia/Shanghai, deadline and lateness, the reason and the previous
    version's hash for a correction, the evidence files (name, SHA-256, bytes), and
    ``sha256`` over all of it. A correction without a reason is refused (LoadError)."""
    label = f"{year:04d}-{month:02d}"
    if previous is not None and not (reason and reason.strip()):
        raise LoadError([Issue("reason", None, "", f"{label} 已提交；更正须说明原因",
                               f"{label} is filed; a correction needs a reason")])
    when = filed_at.astimezone(ZONE)
    data = compute_month(unit, year, month, readings, pack)
    due = deadline(year, month)
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
                filed_at: datetime | None = None, pack: Any = None) -> MonthRecord:
    """Compute and file the month into ``folder``: version 1, or a correction (a reason is
    required) that keeps every earlier version. Evidence files are copied by hash."""
    label = f"{year:04d}-{month:02d}"
    previous = latest(folder).get(label)
    kept = []
    for p in evidence or []:
        if not p.is_file():
            raise LoadError([Issue(str(p), None, "", "证据文件不存在", "no such evidence file")])
        kept.append({"file": p.name, "sha256": _sha256_file(p), "bytes": p.stat().st_size})
    data = file_month(unit, year, month, readings,
                      previous=previous.data if previous is not None else None, evidence=kept,
                      reason=reason, filed_at=filed_at or datetime.now(ZONE), pack=pack)
    folder.mkdir(parents=True, exist_ok=True)
    if evidence:
        store = folder / "evidence"
        store.mkdir(exist_ok=True)
        for p, ev in zip(evidence, kept, strict=True):
            target = store / ev["sha256"]
            if not target.exists():
                shutil.copyfile(p, target)
    path = folder / f"{label}.v{data['version']}.json"
    atomic_write(path, json_text(data))
    return MonthRecord(path, data)


CHECK_WORDS = {"completeness": ("数据完整率", "data completeness"),
               "in_confirmation": ("器具在确认有效期内", "instruments in confirmation"),
               "out_of_tolerance": ("无超差影响", "no out-of-tolerance period"),
               "reconciliation": ("主表与分表平衡", "main and sub-meters reconciled")}

STATUS_WORDS = {"not_started": ("未开始", "not started"), "to_file": ("待提交", "to file"),
                "filed": ("已提交", "filed"), "overdue": ("逾期", "overdue"),
                "corrected": ("已更正", "corrected")}


def card_state(year: int, month: int, version: int | None, today: date) -> str:
    """A month card's state: 未开始 (the month has not ended), 待提交 (ended, not filed, deadline
    not passed), 逾期 (not filed by the deadline), 已提交, 已更正 (a correction filed). Every
    door (CLI, web, reminders) uses this one rule."""
    if version is not None:
        return "corrected" if version > 1 else "filed"
    _, end = month_bounds(year, month)
    if today < end:
        return "not_started"
    return "to_file" if today <= deadline(year, month) else "overdue"


def month_status(year: int, folder: Path, today: date) -> list[dict[str, Any]]:
    """Twelve cards (:func:`card_state`); a filed record says whether it was late."""
    filed = latest(folder)
    cards = []
    for m in range(1, 13):
        label = f"{year:04d}-{m:02d}"
        rec = filed.get(label)
        state = card_state(year, m, rec.version if rec else None, today)
        cards.append({"month": label, "status": state, "deadline": deadline(year, m).isoformat(),
                      "version": rec.version if rec else None,
                      "late": bool(rec.data.get("late")) if rec else None,
                      "emissions_tco2e": rec.data.get("emissions_tco2e") if rec else None})
    return cards


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
        for before, after in itertools.pairwise(versions):
            if after.data.get("previous_sha256") != before.data.get("sha256"):
                problems.append((after.path.name, "更正版本与前一版本的哈希不衔接",
                                 "the correction does not chain to the previous version"))
    return problems


def year_total(folder: Path) -> float:
    """The year's total: the sum of the latest version of every filed month."""
    return float(sum(r.data.get("emissions_tco2e") or 0.0 for r in latest(folder).values()))
