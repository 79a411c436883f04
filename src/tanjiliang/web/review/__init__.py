"""Reviews (审查), enterprise self-inspections (自查) and the regulator's overview (issue 6).

Persistence of the pure workflow in :mod:`tanjiliang.review` (the rules live there, the app
stores each review's JSON and evidence files) and the per-unit summary rows the overview reads
in one indexed query.
"""
