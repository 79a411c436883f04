"""Source-stream classes: major / minor / de-minimis (主要/次要/微量源流).

default-pack.md "Source-stream classes — joint mode", after EU MRR 2018/2066 Art. 19(3):
``Tdm = max(1000, min(0.02·T, 20000))``, ``Tmin = max(5000, min(0.10·T, 100000))``.
"""

from __future__ import annotations

from tanjiliang.rules.schema import Classification

ORDER = {"de_minimis": 0, "minor": 1, "major": 2}


def classify_streams(emissions: dict[str, float], total: float, rules: Classification) -> dict[str, str]:
    """Class of every stream given its (absolute) emissions; biogenic streams excluded by the
    caller.

    Joint mode: sort ascending by emissions (ties by id); a stream is de-minimis while the
    de-minimis running sum including it stays strictly below Tdm; once one fails, de-minimis is
    closed and the walk continues with minor against Tmin; once minor closes, the rest are major.
    Per-stream mode: each stream compared alone with Tdm and Tmin.
    """
    t_dm = rules.de_minimis.of(total)
    t_min = rules.minor.of(total)
    ordered = sorted(emissions.items(), key=lambda kv: (abs(kv[1]), kv[0]))
    out: dict[str, str] = {}
    if rules.mode.value == "per_stream":
        for sid, e in ordered:
            out[sid] = "de_minimis" if abs(e) < t_dm else "minor" if abs(e) < t_min else "major"
        return out
    stage, running = "de_minimis", 0.0
    for sid, e in ordered:
        e = abs(e)
        if stage == "de_minimis":
            if running + e < t_dm:
                running += e
                out[sid] = stage
                continue
            stage, running = "minor", 0.0
        if stage == "minor":
            if running + e < t_min:
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
