"""A justified lower tier (EU MRR 2018/2066 Art. 26(1) second subparagraph with Art. 18:
the highest tier is technically not feasible or incurs unreasonable costs, and the competent
authority accepted a lower one): recorded on the stream with its reason and date
(``lower_tier``), it turns ``TIER-SHORT`` into ``TIER-JUSTIFIED`` as long as the achieved
tier reaches the justified one."""

from __future__ import annotations

from collections.abc import Callable

from tanjiliang.model.unit import SourceStream


def justified_tier(s: SourceStream, required: int | None, achieved: int | None,
                   uncertainty_percent: float | None, add: Callable[..., None]) -> None:
    lt = s.lower_tier
    assert lt is not None
    unc_zh = "未知" if uncertainty_percent is None else f"{uncertainty_percent:.3g} %"
    unc_en = "unknown" if uncertainty_percent is None else f"{uncertainty_percent:.3g} %"
    got = achieved if achieved is not None else 0
    data = dict(tier_required=required, tier_achieved=achieved, tier_justified=lt.tier,
                reason=lt.reason, date=lt.date.isoformat(), approved_by=lt.approved_by,
                uncertainty_percent=uncertainty_percent)
    if lt.tier is None or got >= lt.tier:
        add("TIER-JUSTIFIED", s.id,
            f"源流 {s.id} 要求层级 {required}，按 {lt.date} 的说明采用层级 {lt.tier or achieved or '无'}（理由：{lt.reason}；达到 {achieved if achieved is not None else '无'}，不确定度 {unc_zh}）",
            f"stream {s.id}: tier {required} required; tier {lt.tier or achieved or 'none'} applied as justified on {lt.date} (reason: {lt.reason}; achieved {achieved if achieved is not None else 'none'}, uncertainty {unc_en})",
            **data)
    else:
        add("TIER-SHORT", s.id,
            f"源流 {s.id} 要求层级 {required}，说明的降低层级 {lt.tier}，实际达到 {achieved if achieved is not None else '无'}（不确定度 {unc_zh}）",
            f"stream {s.id}: tier {required} required, tier {lt.tier} justified, {achieved if achieved is not None else 'none'} achieved (uncertainty {unc_en})",
            **data)
