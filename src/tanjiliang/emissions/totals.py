"""The unit's totals as the pack says: direct, indirect, flows out, and the key-unit basis.

* Direct emissions: combustion, process and PFC streams (biogenic CO2 counts 0).
* Indirect: purchased electricity and heat (``kind: electricity|heat``, ``direction: in``);
  in the total unless the pack's ``scope.indirect`` is ``exclude`` (reported apart). The
  national market's 2024 guidelines (CETS-AG-02.01/03.01/04.01-V01-2024) count direct
  emissions in the covered total and report purchased electricity apart.
* Flows out (``direction: out``: exported electricity, exported heat, products carrying carbon
  out): deducted from the total when the pack's ``scope.exports`` is ``deduct`` (the 2013–2015
  sector guidelines' 输出的电力、热力), only the products when ``deduct_products`` (the steel
  guideline's 固碳产品隐含的排放, direct emissions only), else reported apart.
* Key-unit test (``scope.key_unit_basis``): ``direct`` counts direct emissions minus deducted
  flows out that are direct in nature (products); ``total`` counts the total.

Exact: each stream's value is made an exact decimal, sums are exact (rules/exact.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tanjiliang.emissions.calc import StreamEmission
from tanjiliang.model.unit import SourceStream
from tanjiliang.rules.exact import ZERO, exact_sum
from tanjiliang.rules.schema import Pack

INDIRECT_KINDS = ("electricity", "heat")


@dataclass(slots=True)
class Totals:
    counted: dict[str, float]  # what each stream counts in the total (a deducted flow out < 0)
    apart: dict[str, float]  # streams reported apart (not in the total): id → tCO2e
    total: Decimal
    direct: Decimal
    indirect: Decimal
    exported: Decimal  # the flows out, positive, whether deducted or reported apart
    key_basis: Decimal  # what the key-unit test compares with the threshold
    basis: str = "total"
    roles: dict[str, str] = field(default_factory=dict)  # id → direct | indirect | export


def role(s: SourceStream) -> str:
    if s.direction == "out":
        return "export"
    return "indirect" if s.kind in INDIRECT_KINDS else "direct"


def unit_totals(streams: list[SourceStream], calc: dict[str, StreamEmission], pack: Pack) -> Totals:
    """Totals of ``streams`` (emissions in ``calc``) under ``pack``'s scope rules."""
    absolute = pack.scope.totals.value == "absolute"
    rule = pack.scope.exports_rule()
    exclude_indirect = pack.scope.indirect_rule() == "exclude"
    counted: dict[str, float] = {}
    apart: dict[str, float] = {}
    roles: dict[str, str] = {}
    direct = indirect = exported = deducted_products = ZERO
    parts: list[Decimal] = []
    for s in streams:
        e = calc[s.id].exact_tco2e  # exact (emissions/calc.py)
        r = roles[s.id] = role(s)
        if r == "export":
            amount = abs(e)
            exported += amount
            if rule == "deduct" or (rule == "deduct_products" and s.kind == "product"):
                counted[s.id] = -float(amount)
                parts.append(-amount)
                if s.kind == "product":
                    deducted_products += amount
            else:
                counted[s.id] = 0.0
                apart[s.id] = float(amount)
            continue
        value = abs(e) if absolute else e
        if r == "indirect":
            indirect += value
            if exclude_indirect:
                counted[s.id] = 0.0
                apart[s.id] = float(value)
                continue
        else:
            direct += value
        counted[s.id] = float(e)
        parts.append(value)
    total = exact_sum(parts)
    basis = pack.scope.key_basis()
    key = direct - deducted_products if basis == "direct" else total
    return Totals(counted, apart, total, direct, indirect, exported, key, basis, roles)


def _written_unit(text: str) -> str:
    """The unit of a quantity as the file wrote it ("1 万t" → "万t"): the consumption is in the
    receipts' unit, and pint's symbol for it may be another language's word (万吨)."""
    return re.sub(r"^\s*[-+]?[0-9][0-9.,_]*(?:[eE][-+]?[0-9]+)?\s*", "", text).strip()


def stream_extras(s: SourceStream, totals: Totals) -> dict[str, Any]:
    """The new per-stream facts for the result (direction, role, stock, justified tier)."""
    out: dict[str, Any] = {"direction": s.direction, "role": totals.roles.get(s.id, "direct"),
                           "reported_apart": s.id in totals.apart}
    if s.stock is not None:
        c = s.stock.consumption()
        out["stock"] = {"opening": s.stock.opening, "closing": s.stock.closing,
                        "receipts": s.stock.receipts,
                        "consumption": f"{c.magnitude:g} {_written_unit(s.stock.receipts) or f'{c.units:~P}'}",
                        "method": s.stock.method, "uncertainty": s.stock.uncertainty,
                        "date": s.stock.date.isoformat() if s.stock.date else None}
    if s.lower_tier is not None:
        out["lower_tier"] = {"tier": s.lower_tier.tier, "reason": s.lower_tier.reason,
                             "date": s.lower_tier.date.isoformat(), "approved_by": s.lower_tier.approved_by}
    return out


def totals_json(t: Totals) -> dict[str, Any]:
    """The totals' parts for the JSON ``emissions`` object (beside total_tco2e)."""
    return {"direct_tco2e": float(t.direct), "indirect_tco2e": float(t.indirect),
            "exported_tco2e": float(t.exported), "reported_apart": dict(t.apart),
            "key_unit_basis": t.basis, "key_unit_tco2e": float(t.key_basis)}
