"""Source-stream classes: major / minor / de-minimis (主要/次要/微量源流).

default-pack.md "Source-stream classes — joint mode", after EU MRR 2018/2066 Art. 19(3):
``Tdm = max(1000, min(0.02·T, 20000))``, ``Tmin = max(5000, min(0.10·T, 100000))``.
"""

from __future__ import annotations

from decimal import Decimal

from tanjiliang.rules.exact import ZERO, exact, rounded, threshold
from tanjiliang.rules.schema import Classification

ORDER = {"de_minimis": 0, "minor": 1, "major": 2}


def class_thresholds(total: Decimal | float, rules: Classification, decimals: int) -> tuple[Decimal, Decimal]:
    """(Tdm, Tmin) of a total, exact and rounded as the pack declares."""
    t = exact(total)
    return rounded(threshold(rules.de_minimis, t), decimals), rounded(threshold(rules.minor, t), decimals)


def classify_streams(emissions: dict[str, float] | dict[str, Decimal], total: float | Decimal,
                     rules: Classification, decimals: int = 1) -> dict[str, str]:
    """Class of every stream given its (absolute) emissions; biogenic streams excluded by the
    caller.

    Joint mode: sort ascending by emissions (ties by id); a stream is de-minimis while the
    de-minimis running sum including it stays strictly below Tdm; once one fails, de-minimis is
    closed and the walk continues with minor against Tmin; once minor closes, the rest are major.
    Per-stream mode: each stream compared alone with Tdm and Tmin.

    Exact (default-pack.md "Exactness"): emissions are exact decimals, running sums are exact,
    and each sum is rounded to ``decimals`` before the strict comparison with Tdm or Tmin.
    """
    t_dm, t_min = class_thresholds(total, rules, decimals)
    ordered = sorted(((sid, abs(exact(e))) for sid, e in emissions.items()), key=lambda kv: (kv[1], kv[0]))
    out: dict[str, str] = {}
    if rules.mode.value == "per_stream":
        for sid, e in ordered:
            r = rounded(e, decimals)
            out[sid] = "de_minimis" if r < t_dm else "minor" if r < t_min else "major"
        return out
    stage, running = "de_minimis", ZERO
    for sid, e in ordered:
        if stage == "de_minimis":
            if rounded(running + e, decimals) < t_dm:
                running += e
                out[sid] = stage
                continue
            stage, running = "minor", ZERO
        if stage == "minor":
            if rounded(running + e, decimals) < t_min:
                running += e
                out[sid] = stage
                continue
            stage = "major"
        out[sid] = "major"
    return out


def apply_declared(computed: str, declared: str | None) -> tuple[str, bool]:
    """A stream may declare its class only upwards (more demanding); returns (class, refused)."""
    if declared is None:
        return computed, False
    if ORDER[declared] >= ORDER[computed]:
        return declared, False
    return computed, True
