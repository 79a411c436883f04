"""Stock change (库存变化): consumption from receipts and a stock-take, its uncertainty, and the
reconciliation with a stated activity.

Consumption ``C = R + O − K`` (receipts, opening and closing stock; the CETS-AG-2024 sector
guidelines' 消耗量 = 购入量 + (期初库存 − 期末库存), and EU MRR 2018/2066 Art. 27(1)(b)
"aggregation of metering of quantities separately delivered, taking into account relevant
stock changes"). Its uncertainty, the parts being independent (EU MRR Guidance Document No. 4,
uncertainty assessment, section 8.3 error propagation, I):

    u(C) = sqrt((u_R·R)² + (u_S·O)² + (u_S·K)²) / C

with ``u_R`` the relative uncertainty of the receipts (the level-1 instrument at the boundary)
and ``u_S`` the stock-take's (the stream's ``stock.uncertainty``). Consumer-level instruments
measure the consumption itself: their combination (default-pack.md "Tiers" (b)) needs no stock
term, and the better of the two applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from math import sqrt

from tanjiliang.model.unit import SourceStream, quantity
from tanjiliang.units import parse_ratio


@dataclass(frozen=True, slots=True)
class StockFigures:
    receipts: float
    opening: float
    closing: float
    consumption: float
    unit: str


def figures(s: SourceStream) -> StockFigures | None:
    """The stock of ``s`` in the receipts' unit."""
    if s.stock is None:
        return None
    r = quantity(s.stock.receipts)
    u = r.units
    o = quantity(s.stock.opening).to(u)
    k = quantity(s.stock.closing).to(u)
    c = s.stock.consumption().to(u)
    return StockFigures(float(r.magnitude), float(o.magnitude), float(k.magnitude),
                        float(c.magnitude), f"{u:~P}")


def consumption_uncertainty(s: SourceStream, receipts_percent: float | None,
                            stock_take_percent: float | None = None) -> float | None:
    """Relative uncertainty (%) of the consumption of a stream with ``stock``; ``None`` when
    the receipts' or the stock-take's uncertainty is unknown, or nothing was consumed. The
    stock-take's is the stock's own ``uncertainty``, else the MPE of the instrument on the
    ``<stream>.stock`` point (``stock_take_percent``)."""
    f = figures(s)
    if f is None or s.stock is None:
        return receipts_percent
    u_s = (parse_ratio(s.stock.uncertainty) * 100.0 if s.stock.uncertainty is not None
           else stock_take_percent)
    if receipts_percent is None or u_s is None or f.consumption <= 0:
        return None
    return sqrt((receipts_percent * f.receipts) ** 2 + (u_s * f.opening) ** 2
                + (u_s * f.closing) ** 2) / f.consumption


@dataclass(frozen=True, slots=True)
class Reconciliation:
    stated: float
    from_stock: float
    difference_percent: float
    tolerance_percent: float | None
    unit: str

    @property
    def ok(self) -> bool:
        return self.tolerance_percent is not None and self.difference_percent <= self.tolerance_percent


def reconcile(s: SourceStream, tolerance_percent: float | None) -> Reconciliation | None:
    """A stated ``activity`` against receipts + opening − closing, when the stream has both.
    The tolerance is the consumption's uncertainty (``None``: unknown, so not reconciled)."""
    f = figures(s)
    if f is None or s.activity is None:
        return None
    stated = quantity(s.activity).to(quantity(s.stock.receipts).units)  # type: ignore[union-attr]
    a = float(stated.magnitude)
    diff = abs(Decimal(repr(a)) - Decimal(repr(f.consumption)))
    pct = float(diff / Decimal(repr(f.consumption)) * 100) if f.consumption else float("inf")
    return Reconciliation(a, f.consumption, pct, tolerance_percent, f.unit)


AddFinding = Callable[..., None]


def stock_findings(s: SourceStream, uncertainty_percent: float | None, add: AddFinding) -> None:
    """``STOCK-RECONCILE`` (observation) when a stated activity differs from receipts + opening
    − closing by more than the consumption's uncertainty, or by anything when that uncertainty
    is unknown."""
    r = reconcile(s, uncertainty_percent)
    if r is None or r.ok or r.difference_percent == 0:
        return
    tol_zh = "盘库不确定度未知，无法判断是否在允许范围内" if r.tolerance_percent is None else f"超过不确定度 {r.tolerance_percent:.3g} %"
    tol_en = "the stock-take uncertainty is unknown, so it cannot be judged" if r.tolerance_percent is None else f"more than the uncertainty {r.tolerance_percent:.3g} %"
    add("STOCK-RECONCILE", s.id,
        f"源流 {s.id} 活动数据 {r.stated:g} {r.unit} 与 购入量+期初库存−期末库存 = {r.from_stock:g} {r.unit} 相差 {r.difference_percent:.3g} %（{tol_zh}）",
        f"stream {s.id}: activity {r.stated:g} {r.unit} differs from receipts + opening − closing = {r.from_stock:g} {r.unit} by {r.difference_percent:.3g} % ({tol_en})",
        stated=r.stated, from_stock=r.from_stock, difference_percent=r.difference_percent,
        tolerance_percent=r.tolerance_percent, unit=r.unit)
