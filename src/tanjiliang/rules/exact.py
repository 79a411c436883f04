"""Exact comparisons with a pack's thresholds (shared/spec/default-pack.md, "Exactness").

Every quantity compared with a threshold of the pack — totals, running sums, attributed
emissions, MPEs, uncertainties, rates — is taken as the exact decimal of the number the
engine holds (the shortest decimal that reads back as that float: what the user wrote, or the
result of the calculation), summed exactly, and rounded half-up to the pack's
``media.rounding_decimals`` before it is compared with the threshold, itself an exact decimal.
So a unit whose streams add up to 26 000.0 t is a key emission unit however many fractional
parts the sum has, and in whatever order they come (GB/T 8170-2008 §4.3.3, comparison of
rounded values).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

from tanjiliang.rules.schema import Threshold

ZERO = Decimal(0)


def exact(x: float | int | Decimal) -> Decimal:
    """The decimal a float stands for (its shortest repr), never its binary expansion."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(float(x)))


def rounded(x: Decimal, decimals: int) -> Decimal:
    """``x`` rounded half-up to ``decimals`` places (the pack's ``rounding_decimals``), with
    as many digits as that needs (the default 28 refuse a total of 10³⁰ t to one decimal)."""
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, x.adjusted() + decimals + 2)
        return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rounded_ratio(num: Decimal | int, den: Decimal | int, decimals: int) -> Decimal:
    """``num ÷ den`` worked out exactly (as fractions: a decimal quotient of 28 digits can
    round a ratio just below ``…5`` up) and rounded half-up to ``decimals`` places, as
    :func:`rounded` rounds: a mean, a deviation, a rate in percent."""
    q = Fraction(num) / Fraction(den)
    n = math.floor(abs(q) * 10 ** decimals + Fraction(1, 2))
    return Decimal(-n if q < 0 else n).scaleb(-decimals)


def exact_sum(xs: Iterable[Decimal]) -> Decimal:
    """An exact sum: the same whatever the order of the parts."""
    return sum(xs, ZERO)


def threshold(th: Threshold, total: Decimal) -> Decimal:
    """``max(floor, min(fraction × T, cap))`` on exact decimals (default-pack.md, classes)."""
    return max(exact(th.floor_tco2e.value), min(exact(th.fraction.value) * total, exact(th.cap_tco2e.value)))


@lru_cache(maxsize=8192)  # the same MPEs and limits recur across instruments
def at_least(x: Decimal | float, limit: float | Decimal, decimals: int) -> bool:
    """``x ≥ limit`` once ``x`` is rounded as the pack declares."""
    return rounded(exact(x), decimals) >= exact(limit)


@lru_cache(maxsize=8192)  # the same MPEs and limits recur across instruments
def at_most(x: Decimal | float, limit: float | Decimal, decimals: int) -> bool:
    """``x ≤ limit`` once ``x`` is rounded as the pack declares."""
    return rounded(exact(x), decimals) <= exact(limit)


@lru_cache(maxsize=8192)  # the same MPEs and limits recur across instruments
def below(x: Decimal | float, limit: float | Decimal, decimals: int) -> bool:
    """``x < limit`` once ``x`` is rounded as the pack declares."""
    return rounded(exact(x), decimals) < exact(limit)
