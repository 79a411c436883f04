"""What metering is worth (issue 15, docs/plan.md): the uncertainty budget after JJF 1059.1,
tonnes and yuan at risk, and the least-cost plan. Layer above ``assess``; pure (the data
tables are read from ``plan/data``)."""

from tanjiliang.plan.plan import FORMAT, Plan, make_plan

__all__ = ["FORMAT", "Plan", "make_plan"]
