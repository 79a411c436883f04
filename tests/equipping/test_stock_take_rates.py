"""Stock-take (盘库) points counted in the equipping rates where the pack says at which level
(``points.stock_take_level``, issue 17) — hand-computed (arithmetic in the comments)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tanjiliang.assess.engine import assess
from tanjiliang.rules.load import load_pack
from unit_builders import AS_OF, base_unit, instrument, load, run, stream


def _coal_with_stock() -> dict[str, object]:
    coal = stream("coal", 0)
    del coal["activity"]
    coal["stock"] = {"receipts": "100000 t", "opening": "5000 t", "closing": "8000 t",
                     "method": "激光盘煤仪", "uncertainty": "3 %"}
    return coal


def _with_pack(tmp_path: Path, level: int | None) -> object:
    """The coal-with-stock unit and its truck scale under henan-2025-draft with
    ``points.stock_take_level`` set to ``level``."""
    pack = tmp_path / "p.yaml"
    pack.write_text(yaml.safe_dump({
        "format": "tanjiliang/pack@1", "extends": "henan-2025-draft", "name": "stock-level", "version": "1",
        "points": {"stock_take_level": {"value": level, "source": "tanjiliang", "status": "I"}}},
        allow_unicode=True), encoding="utf-8")
    return assess(load(base_unit(source_streams=[_coal_with_stock()],
                                 instruments=[instrument("W1", "coal", "boundary")])), load_pack(str(pack)), AS_OF)


def _row(a: object, medium: str, level: int) -> dict[str, object]:
    rows = a.to_json("en")["equipping_rates"]  # type: ignore[attr-defined]
    return next(r for r in rows if r["medium"] == medium and r["level"] == level)


def test_stock_take_counts_at_level_1_of_its_medium() -> None:
    # 97 000 t limestone (process_material, major, no consumers): level-1 points are the activity
    # point coal@boundary and the stock-take coal.stock → N1 = 2.
    # Only the truck scale is there: Ns = 1, Rp = 1 ÷ 2 × 100 = 50.0 % < 100 % → EQ-RATE
    a = run(base_unit(source_streams=[_coal_with_stock()],
                      instruments=[instrument("W1", "coal", "boundary")]))
    pt = next(p for p in a.points if p.id == "coal.stock")
    assert pt.required is True and pt.level == 1 and pt.status == "missing"
    r = _row(a, "process_material", 1)
    assert (r["required"], r["equipped"], r["rate_percent"]) == (2, 1, 50.0)
    assert any(f.code == "EQ-RATE" and f.subject == "process_material/1" for f in a.findings)


def test_stock_take_instrument_equips_its_point() -> None:
    # with the stock-take K1 (type stock_take, measures coal.stock): Ns = 2, N1 = 2 → 100.0 %
    ins = [instrument("W1", "coal", "boundary"),
           instrument("K1", "coal.stock", "boundary", type="stock_take", accuracy=None)]
    a = run(base_unit(source_streams=[_coal_with_stock()], instruments=ins))
    r = _row(a, "process_material", 1)
    assert (r["required"], r["equipped"], r["rate_percent"]) == (2, 2, 100.0)
    assert not any(f.code == "EQ-RATE" for f in a.findings)
    assert next(p for p in a.points if p.id == "coal.stock").instruments == ["K1"]


def test_national_pack_inherits_the_rule() -> None:
    # cn-ets-2024 extends henan-2025-draft: the same 1 of 2 at level 1 → 50.0 %
    a = run(base_unit(source_streams=[_coal_with_stock()],
                      instruments=[instrument("W1", "coal", "boundary")]), pack="cn-ets-2024")
    assert _row(a, "process_material", 1)["rate_percent"] == 50.0


def test_pack_without_the_rule_shows_the_point_uncounted(tmp_path: Path) -> None:
    # a pack that sets stock_take_level: null → the point is shown (required false) and the row
    # counts only the activity point: 1 ÷ 1 = 100.0 %
    a = _with_pack(tmp_path, None)
    pt = next(p for p in a.points if p.id == "coal.stock")  # type: ignore[attr-defined]
    assert pt.required is False
    r = _row(a, "process_material", 1)
    assert (r["required"], r["equipped"], r["rate_percent"]) == (1, 1, 100.0)


@pytest.mark.parametrize("level", [2])
def test_pack_may_count_it_at_another_level(tmp_path: Path, level: int) -> None:
    # counted at level 2 instead: the level-2 row has the stock-take alone, unequipped → 0 of 1
    a = _with_pack(tmp_path, level)
    r = _row(a, "process_material", level)
    assert (r["required"], r["equipped"], r["rate_percent"]) == (1, 0, 0.0)
