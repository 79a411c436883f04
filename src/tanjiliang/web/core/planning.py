"""The plan of a stored unit (issue 15, docs/plan.md): budget, money at risk, plans.

The web app displays :func:`tanjiliang.plan.make_plan` made from the unit's assessment (the
same cached door as the assessment page) and never computes a figure of its own. Plans are
kept in each worker's memory per (unit, revision, date, price, budget, lab).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import assessment, default_as_of, pack_for, unit_key
from tanjiliang.web.core.mapping import unit_file

if TYPE_CHECKING:  # imported when a plan is made: a new web worker need not load HiGHS (issue 16)
    from tanjiliang.plan import Plan

_LOCK = threading.Lock()
_PLANS: OrderedDict[tuple[Any, ...], Plan] = OrderedDict()
_MAX = 16
#: Largest budget or price accepted from a request (元; beyond it a figure means nothing).
LIMIT = 1e12


def number(text: str | None, name: str, positive: bool) -> float | None:
    """A price or budget from a form or query; ``LoadError`` naming the field if it is not a
    finite number in range."""
    if text is None or str(text).strip() == "":
        return None
    from tanjiliang.model.names import ungrouped

    plain = ungrouped(str(text).strip())  # 97,49 is not 9749
    try:
        x = float(plain) if plain is not None else math.nan
    except ValueError:
        x = math.nan
    if not math.isfinite(x) or x < 0 or (positive and x == 0) or x > LIMIT:
        want_zh = "大于0" if positive else "不小于0"
        want_en = "greater than 0" if positive else "0 or more"
        raise LoadError([Issue("<request>", None, name, f"{name} 应为{want_zh}且不超过 {LIMIT:g} 的数（“{text}”）",
                               f'{name} must be a number {want_en} and at most {LIMIT:g} ("{text}")')])
    return x


def plan_for(unit: m.Unit, price: float | None = None, budget: float | None = None,
             accredited: bool | None = None) -> Plan:
    """The plan of the unit's current revision; raises ``LoadError``."""
    as_of = default_as_of(unit)
    key = (*unit_key(unit), as_of, price, budget, accredited)
    with _LOCK:
        hit = _PLANS.get(key)
    if hit is not None:
        return hit
    loaded = pack_for(unit)
    from tanjiliang.plan import make_plan

    result = make_plan(unit_file(unit), loaded, as_of, price=price, budget=budget,
                       accredited=accredited, assessment=assessment(unit, as_of))
    with _LOCK:
        _PLANS[key] = result
        _PLANS.move_to_end(key)
        while len(_PLANS) > _MAX:
            _PLANS.popitem(last=False)
    return result
