"""export → import loses nothing (issue 3 §1): a property over generated instruments with
confirmation histories, plus the spec example."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tanjiliang.ledger import apply_ledger, derive, write_ledger
from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import UnitFile
from tanjiliang.rules.load import load_pack

PACK = load_pack("henan-2025-draft")

BASE = {
    "unit": {"name": "台账往返测试", "year": 2025},
    "subunits": [{"id": "G1", "name": "1号机组"}],
    "equipment": [{"id": "B1", "name": "1号锅炉", "subunit": "G1"}],
    "emission_points": [{"id": "S1", "name": "1号烟囱", "equipment": "B1"}],
    "source_streams": [
        {"id": "coal", "name": "煤", "kind": "combustion", "material": "bituminous_coal",
         "activity": "100000 t", "parameters": {"ncv": "22 GJ/t"}, "consumers": ["B1"]},
        {"id": "cal", "name": "实测", "kind": "process", "method": "measurement",
         "emission_points": ["S1"]},
    ],
}

ids = st.text(string.ascii_uppercase + string.digits + "-_", min_size=1, max_size=10)
some_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs")),
            min_size=1, max_size=20),
    # what Excel would turn into numbers, dates, booleans or formulas if written carelessly
    st.sampled_from(["0.50", "2019-0032", "1e5", "豫计检字2025-01234", "=A1", "  x", "TRUE",
                     "2025-03-10", "00123"]),
)
texts = st.one_of(st.none(), some_text)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
accuracies = st.sampled_from([None, "0.1", "0.2S", "0.5", "1.0", "2", "III", "±0.25 %", "±1 %"])
records = st.lists(st.fixed_dictionaries(
    {"date": dates, "kind": st.sampled_from(["verification", "calibration"])},
    optional={"result": st.sampled_from(["pass", "fail", "limited"]),
              "as_found": st.sampled_from(["+0.8 %", "-0.05 %", "0.3%"]),
              "as_left": st.sampled_from(["0.01 %", "-0.02 %"]),
              "certificate": some_text,
              "body": st.sampled_from(["河南省计量测试科学研究院", "Lab B"]),
              "standards": st.lists(st.sampled_from(["STD-1", "STD 2", "W-01", "标准器3"]),
                                    min_size=1, max_size=3, unique=True),
              "next_due": dates}).filter(  # a certificate is valid until after its date (model)
    lambda r: "next_due" not in r or r["next_due"] > r["date"]), max_size=3)


@st.composite
def instruments(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 6))
    out = []
    for ident in (draw(st.lists(ids, min_size=n, max_size=n, unique=True))):
        measures, at = draw(st.sampled_from([
            ("coal", "boundary"), ("coal", "G1"), ("coal", "B1"), ("coal.ncv", "lab"),
            ("S1.co2", "S1"), ("S1.flow", "S1")]))
        d: dict[str, object] = {
            "id": ident, "name": draw(some_text),
            "type": draw(st.sampled_from(["rail_scale", "belt_scale", "calorimeter",
                                          "cems_co2_analyzer", "truck_scale"])),  # pack types only (issue 18)
            "measures": measures, "at": at,
        }
        for key, strat in (("accuracy", accuracies), ("range", texts), ("model", texts),
                           ("manufacturer", texts), ("serial", texts), ("certificate", texts),
                           ("confirmed_by", texts), ("notes", texts),
                           ("confirmation", st.sampled_from([None, "verification", "calibration"])),
                           ("interval", st.sampled_from([None, "12 months", "6 个月", "2 年"])),
                           ("last_confirmed", st.one_of(st.none(), dates)),
                           ("status", st.sampled_from(["in_use", "standby", "out_of_service"]))):
            v = draw(strat)
            if v is not None:
                d[key] = v
        if measures == "S1.co2":  # 干湿基准: only on an emission point's CO2 analyser
            basis = draw(st.sampled_from([None, "dry", "wet"]))
            if basis is not None:
                d["basis"] = basis
        recs = draw(records)
        if recs:
            d["confirmations"] = recs
        out.append(d)
    return out


def _unit(insts: list[dict[str, object]]) -> UnitFile:
    return UnitFile.model_validate({**BASE, "instruments": insts})


def _dump(u: UnitFile) -> list[dict[str, object]]:
    return [i.model_dump() for i in u.instruments]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(insts=instruments(), lang=st.sampled_from(["zh", "en"]))
def test_ledger_round_trip_loses_nothing(tmp_path_factory, insts, lang) -> None:
    unit = _unit(insts)
    path = Path(tmp_path_factory.mktemp("rt")) / "ledger.xlsx"
    write_ledger(path, unit, PACK.pack, lang, derive(unit, PACK, date(2025, 12, 31), lang))
    back = apply_ledger(_unit([]), path, PACK.pack)
    assert _dump(back) == _dump(unit)


def test_spec_example_round_trip(tmp_path, spec_example_path) -> None:
    unit = load_unit(spec_example_path)
    path = tmp_path / "l.xlsx"
    write_ledger(path, unit, PACK.pack, "zh", derive(unit, PACK, date(2025, 12, 31)))
    back = apply_ledger(unit, path)
    assert _dump(back) == _dump(unit)
    # everything else in the file is untouched
    assert back.model_dump(exclude={"instruments"}) == unit.model_dump(exclude={"instruments"})
