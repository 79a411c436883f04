"""Units as Chinese ledgers write them print as the standard symbols (GB 3100: t, 万t, 万kWh),
never as a Chinese word in an English page: before, pint's symbol for 万t was 万吨, so a month
record or a stock consumption in 万t read "0.62 万吨" in English too, and "5 吨" kept 吨."""

from __future__ import annotations

import pytest

from tanjiliang.units.registry import parse_quantity


@pytest.mark.parametrize(("text", "symbol", "tonnes_or_kwh"), [
    ("3 万t", "万t", 30000.0), ("3 万吨", "万t", 30000.0), ("5 吨", "t", 5.0), ("3 吨/h", "t/h", None),
    ("2 万kWh", "万kWh", 20000.0), ("2 万千瓦时", "万kWh", 20000.0),
])
def test_chinese_units_print_as_symbols(text: str, symbol: str, tonnes_or_kwh: float | None) -> None:
    q = parse_quantity(text)
    assert f"{q.units:~P}" == symbol
    if tonnes_or_kwh is not None:
        unit = "kWh" if "kWh" in symbol else "t"
        assert q.to(unit).magnitude == pytest.approx(tonnes_or_kwh)
