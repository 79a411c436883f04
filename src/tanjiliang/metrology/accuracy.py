"""Accuracy requirements: the maximum MPE for an instrument in its use — default-pack.md
"Accuracy requirements" (after GB 17167-2006 Table 4). The pack's rows are matched in order;
the first whose conditions all hold applies."""

from __future__ import annotations

from tanjiliang.rules.schema import AccuracyRow, Pack


def accuracy_rule(pack: Pack, group: str, medium: str | None, material: str | None,
                  level: int | None, quantity: str) -> AccuracyRow | None:
    for row in pack.accuracy.rows:
        if group not in row.groups:
            continue
        if row.media is not None and medium not in row.media:
            continue
        if row.materials is not None and material not in row.materials:
            continue
        if row.levels is not None and level not in row.levels:
            continue
        if row.quantities is not None and quantity not in row.quantities:
            continue
        return row
    return None
