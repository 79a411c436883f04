"""Weighing classes → MPE in % at the usual load (metrology/weighing.py), hand-computed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tanjiliang.metrology.weighing import class_mpe, weighing_table
from unit_builders import base_unit, instrument, run, stream


@pytest.mark.parametrize(("cls", "e", "load", "basis", "want"), [
    # III, e = 50 kg, 40 t = 800e → band 500e < m ≤ 2000e → 1.0e; in service 2.0e = 100 kg
    # → 100 / 40 000 × 100 = 0.25 %
    ("III", D(50), D(40000), "in_service", 0.25),
    # same on verification: 1.0e = 50 kg → 50 / 40 000 = 0.125 %
    ("III", D(50), D(40000), "verification", 0.125),
    # III, e = 20 kg, 60 t = 3000e → band 2000e < m ≤ 10000e → 1.5e; in service 3e = 60 kg → 0.1 %
    ("III", D(20), D(60000), "in_service", 0.1),
    # III exactly at the band edge 500e (e = 10 kg, 5 t) → first band 0.5e; in service 1e = 10 kg → 0.2 %
    ("III", D(10), D(5000), "in_service", 0.2),
    # IIII, e = 100 kg, 10 t = 100e → band 50e < m ≤ 200e → 1.0e; in service 2e = 200 kg → 2 %
    ("IIII", D(100), D(10000), "in_service", 2.0),
    # II, e = 1 g, 6 kg = 6000e → band 5000e < m ≤ 20000e → 1.0e; in service 2 g → 0.0333… %
    ("II", D("0.001"), D(6), "in_service", 0.033333),
])
def test_class_mpe(cls: str, e: D, load: D, basis: str, want: float) -> None:
    assert class_mpe(cls, e, load, basis).percent == pytest.approx(want, abs=1e-6)  # type: ignore[arg-type]


def test_beyond_the_class_range_is_not_comparable() -> None:
    # III, e = 1 kg, 20 t = 20 000e > 10 000e: outside class III
    w = class_mpe("III", D(1), D(20000))
    assert w.percent is None and "10000e" in w.en


def test_every_band_is_cited() -> None:
    t = weighing_table()
    assert set(t.classes) == {"I", "II", "III", "IIII"}
    for c in [*t.classes.values(), t.in_service_factor, *t.numeric_classes]:
        assert c.source and c.clause and c.status in ("V", "S", "I")


def _truck(**kw: object) -> dict[str, object]:
    return instrument("W1", "coal", "boundary", accuracy="III", max_capacity="100 t", **kw)


def test_truck_scale_judged_not_unknown() -> None:
    # 100 000 t coal stream; the henan pack asks static weighing ±0.1 %.
    # e = 50 kg at 40 t: 0.25 % (above) → ACC-MPE, not ACC-UNKNOWN
    unit = base_unit(source_streams=[stream("coal", 100000)],
                     instruments=[_truck(verification_interval="50 kg", usual_load="40 t")])
    a = run(unit)
    codes = {f.code for f in a.findings if f.subject == "W1"}
    assert "ACC-MPE" in codes and "ACC-UNKNOWN" not in codes
    ins = next(i for i in a.instruments if i.id == "W1")
    assert ins.mpe_percent == pytest.approx(0.25)
    # e = 20 kg at 60 t: 0.1 % → meets ±0.1 %
    unit = base_unit(source_streams=[stream("coal", 100000)],
                     instruments=[_truck(verification_interval="20 kg", usual_load="60 t")])
    a = run(unit)
    ins = next(i for i in a.instruments if i.id == "W1")
    assert ins.accuracy_ok is True
    assert not {f.code for f in a.findings if f.subject == "W1"} & {"ACC-MPE", "ACC-UNKNOWN"}


def test_class_without_e_says_what_is_missing() -> None:
    unit = base_unit(source_streams=[stream("coal", 100000)], instruments=[_truck()])
    a = run(unit)
    f = next(f for f in a.findings if f.subject == "W1" and f.code == "ACC-UNKNOWN")
    assert "verification interval e" in f.en and "检定分度值" in f.zh


def test_usual_load_above_max_is_refused() -> None:
    from tanjiliang.model.errors import LoadError
    from unit_builders import load

    with pytest.raises(LoadError) as exc:
        load(base_unit(source_streams=[stream("coal", 100000)],
                       instruments=[_truck(verification_interval="50 kg", usual_load="120 t")]))
    assert "instruments[0]" in exc.value.message("en")




def test_lpg_weighed_by_a_platform_scale() -> None:
    # LPG bought in cylinders and weighed: medium liquefied_gas, which the weighing types cover;
    # class III, e = 1 kg at 3 t = 3 000e → ±1.5e, in service ±3e = 3 kg → 3 / 3 000 = ±0.1 %
    lpg = {"id": "lpg", "name": "液化石油气", "kind": "combustion", "material": "lpg", "activity": "2500 t"}
    scale = instrument("W1", "lpg", "boundary", type="platform_scale", accuracy="III",
                       verification_interval="1 kg", max_capacity="5 t", usual_load="3 t")
    a = run(base_unit(source_streams=[stream("coal", 100000), lpg], instruments=[scale]))
    assert a.stream("lpg").medium == "liquefied_gas"
    pt = next(p for p in a.points if p.id == "lpg@boundary")
    assert pt.instruments == ["W1"] and pt.status == "conforming"
    w1 = next(i for i in a.instruments if i.id == "W1")
    assert w1.mpe_percent == pytest.approx(0.1) and w1.accuracy_ok is True


def test_json_keeps_measures_text_and_lists_targets() -> None:
    unit = base_unit(source_streams=[stream("lime", 60000), stream("dolo", 40000, material="dolomite")],
                     instruments=[instrument("W1", ["lime", "dolo"], "boundary")])
    j = run(unit).to_json("en")
    w1 = next(i for i in j["instruments"] if i["id"] == "W1")
    assert w1["measures"] == "lime, dolo" and w1["targets"] == ["lime", "dolo"]
