"""Indicators of one unit for a period, read from its assessment (the one door) and its
confirmation records (issue 14 §4).

* 配备率 (equipping rate): equipped ÷ required metering points over all media and levels of
  the assessment (GB 17167-2006 4.3; the assessment's rate table).
* 受检率 (inspection rate): confirmations made on time ÷ confirmations due in the period
  (JJF 1356-2012 6.2; :func:`inspection_counts`). A due date is the certificate's own next due
  date, else the confirmation date plus the interval.
* 检定合格率 (pass rate): confirmations in the period with the result 合格 ÷ confirmations in
  the period (JJF 1356-2012 6.3); 准用 (limited) is not 合格.
* in confirmation: instruments in use or on standby whose confirmation is valid or due soon at
  the as-of date ÷ those instruments.
* completeness: the readings' mean coverage over the instruments with readings (only when
  readings were checked).
* timeliness: months filed by their deadline ÷ months whose deadline has passed (only where
  months are filed: :mod:`tanjiliang.month`).
* daily-vs-monthly consistency: filed months whose activity entered by hand lies within the
  pack's limit (5 %) of the sum of its days' readings ÷ filed months with such a comparison
  (:func:`tanjiliang.month.close.consistency_indicator`).

Records dated after the as-of date do not exist for it (issue 11). Weights of the composite
index and the thresholds that make an indicator a reason to visit are data
(``kpi/weights.yaml``, status I).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import yaml

from tanjiliang.assess.result import Assessment
from tanjiliang.i18n import pairs
from tanjiliang.metrology.confirmation import add_months
from tanjiliang.model.unit import Instrument, UnitFile, interval_months
from tanjiliang.rules.exact import exact, rounded_ratio

#: The indicators' names (Chinese; the English from the catalogue, context ``kpi:<key>``).
NAMES = cast("dict[str, tuple[str, str]]", pairs("kpi", {
    "equipping_rate": "配备率",
    "inspection_rate": "受检率",
    "pass_rate": "检定合格率",
    "completeness": "数据完整率",
    "in_confirmation": "在有效期内器具比例",
    "timeliness": "月度存证及时率",
    "consistency": "日数据与月数据一致率",
}))

#: The reasons to visit, as ``str.format`` templates (context ``kpi.reason:<key>``); a reason
#: is kept in both languages on the result, as the doors pick it by the page's language.
REASONS = cast("dict[str, tuple[str, str]]", pairs("kpi.reason", {
    "below": "{name} {value:.1f}%，低于 {limit}%",
    "nonconforming": "评价结论不符合（{n} 项不符合）",
}))


def _reason(key: str, name: tuple[str, str] = ("", ""), **fields: Any) -> tuple[str, str]:
    zh, en = REASONS[key]
    return zh.format(name=name[0], **fields), en.format(name=name[1], **fields)


@lru_cache(maxsize=1)
def weights() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (Path(__file__).parent / "weights.yaml").read_text(encoding="utf-8"))
    return data


def percent(num: int, den: int) -> float | None:
    """num ÷ den in percent, rounded half up to one decimal (None when nothing is due)."""
    if den == 0:
        return None
    return float(rounded_ratio(num * 100, den, 1))


@dataclass
class Indicators:
    """A unit's indicators for ``start <= day < end`` as of ``as_of``."""

    name: str
    credit_code: str | None
    region: str | None
    year: int
    as_of: date
    conclusion: str
    total_tco2e: float
    equipping_rate: float | None
    inspection_rate: float | None
    pass_rate: float | None
    in_confirmation: float | None
    completeness: float | None
    timeliness: float | None
    due: int
    confirmed_on_time: int
    confirmations: int
    passed: int
    overdue: int
    index: float | None
    reasons: list[tuple[str, str]] = field(default_factory=list)
    consistency: float | None = None

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        out["reasons"] = [zh if lang == "zh" else en for zh, en in self.reasons]
        return out


def inspection_counts(ins: Instrument, interval: int, start: date, end: date,
                      as_of: date) -> tuple[int, int]:
    """(due, confirmed on time) for ``ins`` in [start, end) as of ``as_of``.

    Every confirmation made in the period answers a due date: it is on time when it came no
    later than the due date of the confirmation before it (unknown when the ledger holds no
    earlier record: then it counts as on time). A due date in the period, passed by the as-of
    date, that no confirmation in the period answered, is due and missed."""
    recs = {r.date: r.next_due for r in (ins.confirmations or []) if r.date <= as_of}
    if ins.last_confirmed and ins.last_confirmed <= as_of:
        recs.setdefault(ins.last_confirmed, None)
    dates = sorted(recs)
    dues = [recs[d] or add_months(d, interval) for d in dates]
    due = on_time = 0
    for k, d in enumerate(dates):
        if start <= d < end:
            due += 1
            on_time += k == 0 or d <= dues[k - 1]
        following = dates[k + 1] if k + 1 < len(dates) else None
        missed = start <= dues[k] < end and dues[k] < as_of
        if missed and (following is None or following >= end or following > as_of):
            due += 1
    return due, on_time


def pass_counts(ins: Instrument, start: date, end: date, as_of: date) -> tuple[int, int]:
    """(confirmations, 合格) of ``ins`` in [start, end) as of ``as_of``: its records and its
    ``last_confirmed`` when no record bears that date (a confirmation that passed: the ledger
    states no result for it) — the same dates :func:`inspection_counts` counts. A record dated
    after the as-of date does not exist for it and changes nothing (probe s10 ledger #2: one
    dated later took ``last_confirmed`` out of the count, 50 % → 0 %)."""
    mine = [r for r in ins.confirmations or [] if start <= r.date < end and r.date <= as_of]
    dated = {r.date for r in ins.confirmations or [] if r.date <= as_of}
    confirmations, passed = len(mine), sum(r.result == "pass" for r in mine)
    last = ins.last_confirmed
    if last is not None and start <= last < end and last <= as_of and last not in dated:
        confirmations += 1
        passed += 1
    return confirmations, passed


def indicators(unit: UnitFile, a: Assessment, start: date, end: date,
               completeness: float | None = None, timeliness: float | None = None,
               consistency: float | None = None) -> Indicators:
    """The indicators of ``unit`` for the period [start, end), read from its assessment ``a``
    (made as of a date within or after the period)."""
    as_of = a.as_of
    required = sum(r.required for r in a.rates)
    equipped = sum(r.equipped for r in a.rates)
    by_id = {i.id: i for i in a.instruments}
    due = on_time = confirmations = passed = 0
    active = valid = overdue = 0
    for ins in unit.instruments:
        res = by_id.get(ins.id)
        if res is None or ins.status == "out_of_service":
            continue
        active += 1
        if res.calibration_status in ("valid", "due_soon"):
            valid += 1
        elif res.calibration_status == "overdue":
            overdue += 1
        interval = interval_months(ins.interval) if ins.interval else None
        if interval is None and res.next_due and res.last_confirmed and res.next_due > res.last_confirmed:
            months = (res.next_due.year - res.last_confirmed.year) * 12 + (
                res.next_due.month - res.last_confirmed.month)
            interval = max(1, months)
        d, t = inspection_counts(ins, interval or 12, start, end, as_of)
        due += d
        on_time += t
        c, ok = pass_counts(ins, start, end, as_of)
        confirmations += c
        passed += ok
    values = {
        "equipping_rate": percent(equipped, required),
        "inspection_rate": percent(on_time, due),
        "pass_rate": percent(passed, confirmations),
        "in_confirmation": percent(valid, active),
        "completeness": completeness,
        "timeliness": timeliness,
        "consistency": consistency,
    }
    nonconforming = []
    if a.conclusion == "nonconforming":
        n = sum(1 for f in a.findings if f.severity == "nonconformity")
        nonconforming.append(_reason("nonconforming", n=n))
    index, reasons = _score(values, nonconforming)
    return Indicators(unit.unit.name, unit.unit.credit_code, unit.unit.region, unit.unit.year,
                      as_of, a.conclusion, a.total_tco2e, values["equipping_rate"],
                      values["inspection_rate"], values["pass_rate"], values["in_confirmation"],
                      completeness, timeliness, due, on_time, confirmations, passed, overdue,
                      index, reasons, consistency)


def _score(values: dict[str, float | None], first: list[tuple[str, str]]
           ) -> tuple[float | None, list[tuple[str, str]]]:
    """The composite index of ``values`` (weighted mean of those present) and the reasons to
    visit: ``first`` (a non-conforming assessment), then each indicator below its limit."""
    w = weights()
    num = Decimal(0)
    den = Decimal(0)
    reasons: list[tuple[str, str]] = list(first)
    for key, v in values.items():
        if v is None:
            continue
        wk = exact(w["indicators"][key]["weight"])
        num += wk * exact(v)
        den += wk
        limit = w["visit_below"][key]
        if v < limit:
            reasons.append(_reason("below", NAMES[key], value=v, limit=limit))
    index = float(rounded_ratio(num, den, 1)) if den else None
    return index, reasons


#: The indicators in the order the reasons to visit are listed (the composite index is their
#: weighted mean).
ORDER = ("equipping_rate", "inspection_rate", "pass_rate", "in_confirmation", "completeness",
         "timeliness", "consistency")


def with_filings(k: Indicators, timeliness: float | None,
                 consistency: float | None) -> Indicators:
    """``k`` with the filed months' indicators (timeliness, daily-vs-monthly consistency) set
    and its index and reasons worked out again: the overview keeps each unit's indicators per
    assessment and adds what the filings give, which changes without a new assessment."""
    k = replace(k, timeliness=timeliness, consistency=consistency)
    first = k.reasons[:1] if k.conclusion == "nonconforming" else []
    index, reasons = _score({key: getattr(k, key) for key in ORDER}, first)
    return replace(k, index=index, reasons=reasons)


def from_json(data: dict[str, Any]) -> Indicators:
    """An :class:`Indicators` from :meth:`Indicators.to_json` with ``reasons`` as pairs."""
    return Indicators(**{**data, "as_of": date.fromisoformat(data["as_of"]),
                         "reasons": [tuple(r) for r in data["reasons"]]})


def rank(rows: list[Indicators]) -> list[Indicators]:
    """Units worth a visit first: lowest index, then most tonnes at stake, then name."""
    return sorted(rows, key=lambda r: (r.index if r.index is not None else -1.0,
                                       -r.total_tco2e, r.name))
