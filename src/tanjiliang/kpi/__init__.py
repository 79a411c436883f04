"""The regulator's indicators of a unit's metering (issue 14 §4): 配备率, 受检率, 检定合格率,
data completeness, instruments in confirmation, a composite index and the reasons to visit."""

from tanjiliang.kpi.indicators import Indicators, indicators, rank

__all__ = ["Indicators", "indicators", "rank"]
