"""Out-of-tolerance impact (shared/domain.md §7: "An instrument found out of tolerance casts
doubt on everything it measured since its last good confirmation: that period's data must be
traceable and corrected conservatively").

A confirmation *fails* when its result is ``fail`` or its as-found error exceeds the
instrument's MPE. The affected period runs from the last passing confirmation before it (or,
without one, the start of the readings) to the failing confirmation. The readings in that
period give the activity the instrument carried; the stream's emission factor per unit of
activity (from the assessment) gives the emissions; the conservative correction applies the
as-found error in the unfavourable direction (more emissions): ``ΔE = E × |as-found| / 100``.

Without readings for the instrument, the activity is estimated pro rata from the declared
annual activity (its consumer share below the instrument's place × days / days of the year)
and the finding says so. Parameter and CEMS instruments carry the stream's emissions pro rata.
Findings use code ``CAL-OOT``, with the severity and clause the pack gives it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

from tanjiliang.assess.findings import make_finding
from tanjiliang.assess.result import Assessment, Finding
from tanjiliang.data.declared import _parents, _share_under, declared_activity
from tanjiliang.metrology.weighing import instrument_mpe_percent
from tanjiliang.model.unit import ConfirmationRecord, Instrument, UnitFile
from tanjiliang.rules.schema import Pack
from tanjiliang.units import QuantityError, parse_quantity

if TYPE_CHECKING:  # polars only where readings are given (check without readings: issue 16)
    import polars as pl

    from tanjiliang.data.quality import QualityResult

CODE = "CAL-OOT"
_ERR = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%?\s*$")


def as_found_percent(text: str | None) -> float | None:
    """``"+0.8 %"`` → 0.8, ``"-1.2%"`` → -1.2; None when not a percentage."""
    if text is None:
        return None
    m = _ERR.match(unicodedata.normalize("NFKC", text).replace("±", ""))
    return float(m[1]) if m else None


def failed(rec: ConfirmationRecord, mpe: float | None) -> bool:
    err = as_found_percent(rec.as_found)
    return rec.result == "fail" or (err is not None and mpe is not None and abs(err) > mpe)


def affected_periods(ins: Instrument) -> list[tuple[date | None, ConfirmationRecord]]:
    """(last passing confirmation date before it, the failing record) for each failure."""
    mpe = instrument_mpe_percent(ins)  # a weighing class at its usual load too (in service)
    recs = sorted(ins.confirmations or [], key=lambda r: r.date)
    out = []
    last_pass: date | None = None
    for r in recs:
        if failed(r, mpe):
            out.append((last_pass, r))
        else:
            last_pass = r.date
    return out


def _pack(assessment: Assessment) -> Pack:
    """The pack the assessment was made with (bundled by name, else the default pack)."""
    from tanjiliang.rules.load import bundled_pack_names, load_pack

    return load_pack(assessment.pack_name if assessment.pack_name in bundled_pack_names() else None).pack


def _per_stream(days: pl.DataFrame, iid: str, shares: pl.DataFrame) -> dict[str, float]:
    """A several-target instrument's daily amounts (``day``, ``amount``) divided among its
    streams by the shares of :func:`tanjiliang.data.attribution.activity_shares` (per month, or
    the split every month): stream → amount (issue 17). Months of the affected period outside
    the checked period have no shares of their own: they take the shares of the months that
    have, weighted by amount. Empty when nothing can be divided."""
    import polars as pl

    mine = shares.filter(pl.col("instrument") == iid)
    if not len(days) or not len(mine):
        return {}
    monthly = days.group_by(pl.col("day").dt.truncate("1mo").alias("month")).agg(pl.col("amount").sum())
    cols = ["month", "stream", "amount", "share"]
    fixed = mine.filter(pl.col("month").is_null()).drop("month")
    if len(fixed):
        parts = monthly.join(fixed, how="cross").select(cols)
    else:
        parts = monthly.join(mine.filter(pl.col("month").is_not_null()), on="month", how="inner").select(cols)
        if not len(parts):
            return {}
        weights = parts.group_by("stream").agg((pl.col("amount") * pl.col("share")).sum().alias("w"))
        overall = weights.with_columns((pl.col("w") / pl.col("w").sum()).alias("share")).select("stream", "share")
        rest = monthly.join(parts.select("month").unique(), on="month", how="anti")
        if len(rest):
            parts = pl.concat([parts, rest.join(overall, how="cross").select(cols)], how="vertical")
    per = parts.group_by("stream").agg((pl.col("amount") * pl.col("share")).sum()).sort("stream")
    return dict(zip(per["stream"].to_list(), per["amount"].to_list(), strict=True))


def oot_findings(unit: UnitFile, assessment: Assessment, quality: QualityResult | None = None,
                 pack: Pack | None = None, shares: pl.DataFrame | None = None) -> list[Finding]:
    """One ``CAL-OOT`` finding per failed confirmation, with the tonnes at stake; severity
    and clause from the pack (assess/findings.py registry). ``shares`` (the attribution of
    several-target instruments' readings) gives each stream its part of such an instrument's
    amount, carried at that stream's tCO2e per unit of activity."""
    pack = pack or _pack(assessment)
    streams = {s.id: s for s in unit.source_streams}
    emissions = {s.id: s.emissions_tco2e for s in assessment.streams}
    up = _parents(unit)
    year_start, year_end = date(unit.unit.year, 1, 1), date(unit.unit.year + 1, 1, 1)
    days_in_year = (year_end - year_start).days
    out: list[Finding] = []
    for ins in unit.instruments:
        for last_pass, rec in affected_periods(ins):
            err = as_found_percent(rec.as_found)
            stream_id, qty = ins.measured_stream(), ins.measured_quantity()
            target = next((s.id for s in unit.source_streams if s.method == "measurement"
                           and stream_id in (s.emission_points or [])), None) \
                if stream_id not in streams else stream_id
            frm = last_pass
            from_first = False  # from the first reading: its own day is in the period
            n = 0
            amount: float | None = None
            split_amounts: dict[str, float] = {}
            estimated = False
            if quality is not None and len(quality.daily):
                import polars as pl

                d = quality.daily.filter(pl.col("instrument") == ins.id)
                if frm is None and len(d):
                    frm, from_first = d["day"].min(), True  # type: ignore[assignment]
                after = pl.col("day") >= frm if from_first else pl.col("day") > frm
                d = d.filter(after & (pl.col("day") <= rec.date)) if frm else d.head(0)
                n = int(d["n"].sum()) if len(d) else 0
                if n and qty == "activity":
                    amount = float(d["amount"].sum())
                    if shares is not None and len(ins.activity_targets()) >= 2:
                        split_amounts = _per_stream(d, ins.id, shares)
            lo = max(frm or year_start, year_start)
            hi = min(rec.date, year_end)
            days = max((hi - lo).days + (from_first and lo == frm), 0)
            tco2e: float | None = None
            activity_text = None
            s = streams.get(target or "")
            if (amount is None and frm is not None and qty == "activity"
                    and len(ins.activity_targets()) >= 2):  # no readings: each target pro rata
                split_amounts = _declared_pro_rata(unit, ins, streams, up, days / days_in_year)
                estimated = bool(split_amounts)
                amount = sum(split_amounts.values()) if split_amounts else None
            carried = _carried(split_amounts, streams, emissions)
            if carried is not None:
                tco2e, activity_text = carried
            elif s is not None and qty == "activity" and declared_activity(unit, s.id)[0] is not None:
                # the declared activity, or a stock change's consumption (stock-only stream)
                found, unit_found = declared_activity(unit, s.id)
                declared, unit_text = float(found or 0.0), unit_found or ""
                if amount is None and frm is not None:
                    share = _share_under(unit, s.id, ins.at, up)
                    amount = declared * share * days / days_in_year
                    estimated = True
                if amount is not None and declared:
                    tco2e = emissions.get(s.id, 0.0) / declared * amount
                    activity_text = f"{amount:,.3f} {unit_text}"
            elif s is not None and frm is not None:
                tco2e = emissions.get(s.id, 0.0) * days / days_in_year
                estimated = True
            correction = tco2e * abs(err) / 100.0 if (tco2e is not None and err is not None) else None
            period_zh = f"{frm or '首条读数'} 至 {rec.date}"
            period_en = f"{frm or 'first reading'} to {rec.date}"
            err_txt = rec.as_found or "—"
            if correction is not None:
                tail_zh = (f"该期间计量的活动数据 {activity_text or '—'}，对应排放 {tco2e:,.1f} tCO₂e；"
                           f"按示值误差不利方向保守修正 +{correction:,.1f} tCO₂e"
                           + ("（无读数，按申报量折算估计）" if estimated else f"（{n} 条读数）"))
                tail_en = (f"activity measured in the period {activity_text or '—'}, carrying "
                           f"{tco2e:,.1f} tCO₂e; conservative correction (as-found error applied "
                           f"unfavourably) +{correction:,.1f} tCO₂e"
                           + (" (no readings: estimated pro rata from the declared activity)"
                              if estimated else f" ({n} readings)"))
            else:
                tail_zh = "无法确定该期间的排放量（缺少读数、上次合格确认或示值误差）"
                tail_en = ("the emissions of the period cannot be determined (no readings, no "
                           "previous passing confirmation, or no as-found error)")
            mpe = instrument_mpe_percent(ins)
            out.append(make_finding(
                pack, CODE, ins.id,
                f"器具 {ins.id} 于 {rec.date} 确认不合格（示值误差 {err_txt}，最大允许误差 "
                f"{f'±{mpe:g} %' if mpe is not None else '未知'}），"
                f"受影响期间 {period_zh}；{tail_zh}",
                f"instrument {ins.id} failed its confirmation on {rec.date} (as-found {err_txt}, MPE "
                f"{f'±{mpe:g} %' if mpe is not None else 'unknown'}); "
                f"affected period {period_en}; {tail_en}",
                {"instrument": ins.id, "stream": target, "failed_on": rec.date.isoformat(),
                 "certificate": rec.certificate,
                 "period_from": frm.isoformat() if frm else None, "period_to": rec.date.isoformat(),
                 "as_found_percent": err, "mpe_percent": mpe,
                 "readings": n, "activity": amount, "tco2e_carried": tco2e,
                 "tco2e_correction": correction, "estimated": estimated,
                 **({"activity_by_stream": split_amounts} if split_amounts else {})}))
    return out


def _carried(amounts: dict[str, float], streams: dict[str, Any], emissions: dict[str, float]
             ) -> tuple[float, str] | None:
    """Σ over streams of amount × the stream's tCO2e per unit of declared activity, and the
    amounts as text (``coal_a 300.000 t + coal_b 100.000 t``); None without amounts or when a
    stream's declared activity is unknown (then the one-stream rule applies)."""
    if not amounts:
        return None
    total, texts = 0.0, []
    for sid, amount in amounts.items():
        st = streams.get(sid)
        if st is None or not st.activity:
            return None
        try:
            q = parse_quantity(st.activity)
        except QuantityError:
            return None
        declared = float(q.magnitude)
        if not declared:
            return None
        total += emissions.get(sid, 0.0) / declared * amount
        texts.append(f"{sid} {amount:,.3f} {q.units:~}")
    return total, " + ".join(texts)


def _declared_pro_rata(unit: UnitFile, ins: Instrument, streams: dict[str, Any], up: Any,
                       fraction: float) -> dict[str, float]:
    """Without readings, each of a several-target instrument's streams: its declared activity ×
    its consumer share below the instrument's place × the affected fraction of the year (the
    one-stream estimate, per target). Empty when a target's activity cannot be read."""
    out: dict[str, float] = {}
    for sid in ins.activity_targets():
        st = streams.get(sid)
        if st is None or not st.activity:
            return {}
        try:
            declared = float(parse_quantity(st.activity).magnitude)
        except QuantityError:
            return {}
        out[sid] = declared * _share_under(unit, sid, ins.at, up) * fraction
    return out
