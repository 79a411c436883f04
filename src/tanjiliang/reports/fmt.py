"""Number and date formatting shared by the diagram and the reports (one style everywhere)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tanjiliang.rules.exact import rounded


def num(x: float | int | None, decimals: int = 0) -> str:
    """Thousands separated, rounded half-up (``1234567.8`` → ``"1,234,568"``)."""
    if x is None:
        return "—"
    q = rounded(Decimal(str(x)), decimals)  # with the digits a very large number needs
    return f"{q:,.{decimals}f}"


def tco2e(x: float | None) -> str:
    """Emissions in tCO2e: whole tonnes from 10 t up, else two decimals."""
    if x is None:
        return "—"
    return num(x, 0 if abs(x) >= 10 else 2)


def pct(fraction: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage (``0.9321`` → ``"93.2%"``)."""
    if fraction is None:
        return "—"
    if 0 < abs(fraction) * 100 < 10 ** -decimals:
        return f"<{10 ** -decimals:g}%"
    return num(fraction * 100, decimals) + "%"


def pct_value(percent: float | None, decimals: int = 1) -> str:
    """A value already in percent."""
    if percent is None:
        return "—"
    return num(percent, decimals)


def day(d: date | None) -> str:
    return d.isoformat() if d else "—"


def sig(x: float | None, digits: int = 6) -> str:
    """A parameter value with up to ``digits`` significant digits, as entered or computed."""
    if x is None:
        return "—"
    if abs(x) >= 10 ** (digits - 1):
        return num(x, 0)
    return f"{x:.{digits}g}"
