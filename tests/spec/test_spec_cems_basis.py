"""The CO2 analyser's measurement basis (dry or wet) declared in the unit file, black-box:
shared/domain.md §6 (``C_dry = C_wet / (1 − Xsw)``, HJ 75-2017 / HJ 1045; to standard dry
conditions; % vol → mass by M/22.4), docs/unit-file.md (``basis: dry | wet``, 干基 / 湿基, on the
instrument that measures ``<point>.co2``) and docs/data.md (CEMS). Before, a unit file could not
say so: ``data check``, the web's readings upload and ``data cems`` without ``--basis`` computed
a wet analyser as dry, a whole flue-gas moisture (here 12 %) off.

One hour at stack S1, written by hand (the builders of test_spec_cems_oot.py):
CO2 11.5 % vol, flow 1 200 000 m³/h at actual wet conditions, 140 °C, 99.8 kPa absolute,
moisture Xsw 12 %:

    flow at standard dry conditions  Q_sd = 1 200 000 × 273.15/413.15 × 99.8/101.325 × (1 − 0.12)
                                          = 1 200 000 × 0.661140 × 0.984949 × 0.88 = 687 656.09 Nm³/h
    read as dry                      C    = 0.115 × 1 964 g/Nm³ = 225.86 g/Nm³
                                     E_h  = 225.86 × 687 656.09 × 10⁻⁶ = 155.314 t
    read as wet                      C    = 225.86 / (1 − 0.12) = 256.659 g/Nm³
                                     E_h  = 256.659 × 687 656.09 × 10⁻⁶ = 176.493 t

The two differ by exactly 1/(1 − Xsw) = 1/0.88 (the concentration term only: the flow is
brought to dry conditions either way).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_spec_cems_oot import IDS, T0, point, rows, run, stack_unit, two_days, write

XSW = 0.12
VALS = {"co2": (11.5, "%"), "flow": (1.2e6, "m3/h"), "temperature": (140, "degC"),
        "pressure": (99.8, "kPa"), "moisture": (12, "%")}
Q_SD = 1.2e6 * 273.15 / 413.15 * 99.8 / 101.325 * (1 - XSW)
E_DRY = 0.115 * 1964 * Q_SD * 1e-6
E_WET = 0.115 * 1964 / (1 - XSW) * Q_SD * 1e-6
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef“”]")


def test_hand_figures() -> None:
    q_sd, e_dry, e_wet = Q_SD, E_DRY, E_WET  # the module docstring's rounded figures
    assert q_sd == pytest.approx(687_656.09, abs=0.01)
    assert e_dry == pytest.approx(155.314, abs=0.001)
    assert e_wet == pytest.approx(176.493, abs=0.001)
    assert e_wet / e_dry == pytest.approx(1 / 0.88, rel=1e-12)


def with_basis(data: dict[str, Any], basis: str | None, ins: str = "C1") -> dict[str, Any]:
    for i in data["instruments"]:
        if i["id"] == ins and basis is not None:
            i["basis"] = basis
    return data


@pytest.mark.parametrize(("written", "per_hour", "basis"),
                         [(None, E_DRY, "dry"), ("dry", E_DRY, "dry"), ("干基", E_DRY, "dry"),
                          ("wet", E_WET, "wet"), ("湿基", E_WET, "wet"), ("wet basis", E_WET, "wet")],
                         ids=["absent", "dry", "干基", "wet", "湿基", "wet basis"])
def test_data_check_takes_the_declared_basis(tmp_path: Path, written: str | None, per_hour: float,
                                             basis: str) -> None:
    # 48 hours of the hour above: 48 × 155.314 = 7 455.07 t dry, 48 × 176.493 = 8 471.67 t wet
    f = write(tmp_path, "r.csv", rows(range(48), **VALS))
    _, doc, _ = two_days(tmp_path, [f], with_basis(stack_unit(), written))
    p = point(doc)
    assert (p["valid"], p["basis"]) == (48, basis)
    assert p["total_t"] == pytest.approx(48 * per_hour, rel=1e-9)
    assert p["total_t"] == pytest.approx({"dry": 7455.07, "wet": 8471.67}[basis], abs=0.01)


def test_wet_over_dry_is_one_over_one_minus_moisture(tmp_path: Path) -> None:
    f = write(tmp_path, "r.csv", rows(range(48), **VALS))
    totals = {b: point(two_days(tmp_path, [f], with_basis(stack_unit(), b))[1])["total_t"] for b in ("dry", "wet")}
    assert totals["wet"] / totals["dry"] == pytest.approx(1 / (1 - XSW), rel=1e-12)


def test_check_door_year_total_on_the_wet_basis(tmp_path: Path) -> None:
    # check --readings (the door the web app's check uses): 48 measured hours, the other 8 712 one
    # gap > 24 h filled with mean + 2σ = 176.493 t → 8 760 × 176.493 = 1 546 080.32 t in the total
    f = write(tmp_path, "r.csv", rows(range(48), **VALS))
    _, doc, out = run(tmp_path, with_basis(stack_unit(), "湿基"), "--readings", f, cmd="check")
    assert doc is not None, out
    assert doc["emissions"]["by_stream"]["flue"] == pytest.approx(8760 * E_WET, rel=1e-6)
    assert doc["emissions"]["by_stream"]["flue"] == pytest.approx(1_546_080.32, abs=0.5)


def two_stacks(s1: str | None, s2: str | None) -> dict[str, Any]:
    """S1 and S2 at boiler B1, one measurement stream over both; S2's instruments C2, F2 …"""
    data = stack_unit()
    data["emission_points"].append({"id": "S2", "name": "2号烟囱", "equipment": "B1"})
    data["source_streams"][0]["emission_points"] = ["S1", "S2"]
    second = [{**i, "id": i["id"].replace("1", "2"), "name": i["id"].replace("1", "2"),
               "measures": i["measures"].replace("S1", "S2"), "at": "S2"} for i in data["instruments"]]
    data["instruments"] += second
    with_basis(data, s1, "C1")
    return with_basis(data, s2, "C2")


def test_two_stacks_of_different_basis(tmp_path: Path) -> None:
    # the same readings at both stacks: S1's analyser wet (176.493 t/h), S2's dry (155.314 t/h);
    # the stream over both = 48 × (176.493 + 155.314) = 15 926.74 t
    one = rows(range(48), **VALS)
    other = [line.replace("1,", "2,", 1) for line in one]  # C1,… → C2,…
    f = write(tmp_path, "r.csv", one + other)
    _, doc, _ = two_days(tmp_path, [f], two_stacks("wet", "dry"))
    s1, s2 = point(doc, "S1"), point(doc, "S2")
    assert (s1["basis"], s2["basis"]) == ("wet", "dry")
    assert s1["total_t"] == pytest.approx(48 * E_WET, rel=1e-9)
    assert s2["total_t"] == pytest.approx(48 * E_DRY, rel=1e-9)
    [cmp] = doc["cems"]["comparison"]
    assert cmp["cems_t"] == pytest.approx(15_926.74, abs=0.01)


def test_two_analysers_of_one_stack_each_on_its_basis(tmp_path: Path) -> None:
    # C1 wet reads 11.5 %; a second analyser C1b, dry, reads the same gas as 11.5 / 0.88 =
    # 13.068 % dry: either gives 256.659 g/Nm³ dry, the wet figure, 176.493 t/h
    data = with_basis(stack_unit(), "wet")
    data["instruments"].append({**data["instruments"][0], "id": "C1b", "name": "C1b", "basis": "dry"})
    extra = [f"C1b,{(T0 + timedelta(hours=h)):%Y-%m-%dT%H:%M:%S},{11.5 / (1 - XSW)},%" for h in range(48)]
    f = write(tmp_path, "r.csv", rows(range(48), **VALS) + extra)
    _, doc, _ = two_days(tmp_path, [f], data)
    p = point(doc)
    assert p["basis"] == "dry, wet"
    assert p["total_t"] == pytest.approx(48 * E_WET, rel=1e-9)


def test_mg_per_m3_declared_dry(tmp_path: Path) -> None:
    # mg/m³ at actual conditions (140 °C, 99.8 kPa) of 225.86 g/Nm³ dry:
    #   225 860 × 273.15/413.15 × 99.8/101.325 = 147 077.66 mg/m³. Declared dry: back to 225 860
    #   mg/Nm³ → 155.314 t/h; undeclared (mg/m³ at actual wet conditions, docs/data.md) ÷ 0.88 → 176.493
    mg = 225_860 * 273.15 / 413.15 * 99.8 / 101.325
    assert mg == pytest.approx(147_077.66, abs=0.01)
    f = write(tmp_path, "r.csv", rows(range(48), **{**VALS, "co2": (mg, "mg/m3")}))
    for written, per_hour, basis in (("dry", E_DRY, "dry"), (None, E_WET, "wet")):
        _, doc, _ = two_days(tmp_path, [f], with_basis(stack_unit(), written))
        assert point(doc)["basis"] == basis
        assert point(doc)["total_t"] == pytest.approx(48 * per_hour, rel=1e-9)


# ------------------------------------------------------------------ data cems (DAS exports)

def das(tmp_path: Path, points: tuple[str, ...] = ("S1",)) -> str:
    lines = [f"{p},{(T0 + timedelta(hours=h)):%Y-%m-%d %H:%M:%S},11.5,1200000,140,99.8,12"
             for p in points for h in range(24)]
    return write(tmp_path, "das.csv", lines, header="point,time,co2,flow,temperature,pressure,moisture")


def cems_points(tmp_path: Path, data: dict[str, Any], f: str, *args: str) -> dict[str, dict[str, Any]]:
    code, doc, out = run(tmp_path, data, f, *args, cmd="data cems")
    # exit 1: the 8 736 hours of the year after the export's 24 are substituted, and said
    assert code == 1 and doc is not None, out
    assert {n["point"] for n in doc["notes"]} == {p["point"] for p in doc["points"]}
    return {p["point"]: p for p in doc["points"]}


def test_data_cems_takes_each_point_s_basis_unless_given(tmp_path: Path) -> None:
    # 24 hourly values per point, the rest of the year (8 736 h > 24) mean + 2σ = the same mass:
    # 8 760 × 176.493 t (wet) and 8 760 × 155.314 t (dry)
    f = das(tmp_path, ("S1", "S2"))
    data = two_stacks("湿基", None)
    got = cems_points(tmp_path, data, f)
    assert (got["S1"]["basis"], got["S2"]["basis"]) == ("wet", "dry")
    assert got["S1"]["total_t"] == pytest.approx(8760 * E_WET, rel=1e-9)
    assert got["S2"]["total_t"] == pytest.approx(8760 * E_DRY, rel=1e-9)
    for given, per_hour in (("dry", E_DRY), ("wet", E_WET)):  # --basis overrides the unit file
        got = cems_points(tmp_path, data, f, "--basis", given)
        assert {p["basis"] for p in got.values()} == {given}
        assert [p["total_t"] for p in got.values()] == pytest.approx([8760 * per_hour] * 2, rel=1e-9)


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "排放口 S1 的 CO2 分析仪干湿基准不同（C1 湿基、C1b 干基）"),
    ("en", "the CO2 analysers of emission point S1 have different measurement bases (C1 wet basis, C1b dry basis)")])
def test_data_cems_asks_for_basis_when_a_point_s_analysers_differ(tmp_path: Path, lang: str, words: str) -> None:
    data = with_basis(stack_unit(), "wet")
    data["instruments"].append({**data["instruments"][0], "id": "C1b", "name": "C1b", "basis": "dry"})
    f = das(tmp_path)
    code, _, out = run(tmp_path, data, f, cmd="data cems", lang=lang)
    assert code == 2 and words in out and "--basis" in out
    # named at the file's line of the basis that differs (C1b's ``basis: dry``, the last one)
    text = (tmp_path / "plant.yaml").read_text(encoding="utf-8").splitlines()
    line = max(n for n, row in enumerate(text, 1) if row.strip().startswith("basis:"))
    assert f"plant.yaml:{line} instruments[{len(data['instruments']) - 1}].basis" in out
    assert (CJK.search(out) is None) if lang == "en" else True
    assert cems_points(tmp_path, data, f, "--basis", "wet")["S1"]["total_t"] == pytest.approx(8760 * E_WET, rel=1e-9)


# ------------------------------------------------------------------ bad values

def line_of(tmp_path: Path, key: str) -> int:
    text = (tmp_path / "plant.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(text, 1) if line.strip().startswith(f"{key}:"))


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "instruments[0].basis: “moist”不是允许的取值，应为 干基、湿基 之一"),
    ("en", 'instruments[0].basis: "moist" is not one of: dry basis, wet basis')])
def test_bad_basis_names_file_line_and_field(tmp_path: Path, lang: str, words: str) -> None:
    f = write(tmp_path, "r.csv", rows(range(2), **VALS))
    for cmd in ("data check", "check"):
        args = (f,) if cmd == "data check" else ("--readings", f)
        code, _, out = run(tmp_path, with_basis(stack_unit(), "moist"), *args, cmd=cmd, lang=lang)
        assert code == 2
        assert f"plant.yaml:{line_of(tmp_path, 'basis')} {words}" in out
        assert (CJK.search(out) is None) if lang == "en" else ("bad input" not in out)


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "instruments[1].basis: 干湿基准（basis）只适用于测量排放口 CO2 浓度的分析仪（measures: 排放口.co2）"),
    ("en", "instruments[1].basis: a measurement basis (basis) applies only to an analyser of an emission "
           "point's CO2 concentration (measures: <point>.co2)")])
def test_basis_on_another_instrument_is_refused(tmp_path: Path, lang: str, words: str) -> None:
    data = with_basis(stack_unit(), "wet", IDS["flow"])  # F1 measures S1.flow
    code, _, out = run(tmp_path, data, cmd="check", lang=lang)
    assert code == 2
    assert f"plant.yaml:{line_of(tmp_path, 'basis')} {words}" in " ".join(out.split())
    assert (CJK.search(out) is None) if lang == "en" else True


def test_the_declared_basis_survives_the_file_written_back(tmp_path: Path) -> None:
    # the loader stores 湿基 as the code, and writing the unit back keeps it (model/write.py)
    from tanjiliang.model.load import load_unit
    from tanjiliang.model.write import dump_yaml

    p = tmp_path / "plant.yaml"
    p.write_text(yaml.safe_dump(with_basis(stack_unit(), "湿基"), allow_unicode=True), encoding="utf-8")
    u = load_unit(p)
    assert [i.basis for i in u.instruments] == ["wet", None, None, None, None]
    again = tmp_path / "again.yaml"
    again.write_text(dump_yaml(u), encoding="utf-8")
    assert [i.basis for i in load_unit(again).instruments] == ["wet", None, None, None, None]
