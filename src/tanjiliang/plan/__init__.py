"""What metering is worth (issue 15, docs/plan.md): the uncertainty budget after JJF 1059.1,
tonnes and yuan at risk, and the least-cost plan. Layer above ``assess``; pure (the data
tables are read from ``plan/data``).

The names below are imported when first used, so that a module needing only the plan's words
or tables (``tanjiliang.plan.words``, read by the web app's pages) does not load the HiGHS
solver and numpy (issue 16: a new web worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tanjiliang.plan.plan import FORMAT, Plan, make_plan

__all__ = ["FORMAT", "Plan", "make_plan"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from tanjiliang.plan import plan

        return getattr(plan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
