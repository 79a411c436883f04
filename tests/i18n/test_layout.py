"""Issue 13 §7: charts with one year of data have sensible axes."""

from __future__ import annotations

import re

from tanjiliang.province.charts import line_chart


def _ticks(svg: str) -> list[float]:
    return [float(t.replace(",", "")) for t in re.findall(r'text-anchor="end">([^<]*)<', svg)]


def test_one_year_axis_starts_at_zero_and_is_round() -> None:
    svg = line_chart([("2025", 1_046_000.0)], title="排放量", decimals=0)
    ticks = _ticks(svg)
    assert ticks[0] == 0 and ticks[-1] == 1_500_000  # not 1,045,999 … 1,046,001
    (cx,) = re.findall(r'cx="([^"]*)"', svg)
    assert abs(float(cx) - (58 + (360 - 58 - 16) / 2)) < 0.5  # the one point in the middle
    assert _ticks(line_chart([("2025", 85.0)], title="配备率"))[-1] == 120


def test_several_years_keep_their_range() -> None:
    ticks = _ticks(line_chart([("2023", 80.0), ("2024", 85.0)], title="配备率"))
    assert ticks == [80.0, 82.5, 85.0]
