"""Emissions of a stream in both forms of unit-file.md, per gas with GWP, biogenic apart."""

from __future__ import annotations

import pytest

from unit_builders import base_unit, run


def _one(stream: dict, **unit_over) -> dict:
    a = run(base_unit(source_streams=[stream], **unit_over))
    return a.to_json()


def test_chinese_guideline_form_with_measured_parameters():
    # 1000 t × 20 GJ/t × 0.025 tC/GJ × 0.98 × 44/12 = 1796.6667 t
    j = _one({"id": "c", "name": "煤", "kind": "combustion", "material": "bituminous_coal",
              "activity": "1000 t", "parameters": {"ncv": "20 GJ/t", "carbon_content": "0.025 tC/GJ",
                                                   "oxidation_rate": 0.98}})
    assert j["emissions"]["by_stream"]["c"] == pytest.approx(1000 * 20 * 0.025 * 0.98 * 44 / 12)
    assert j["source_streams"][0]["formula"].startswith("activity × ncv × carbon_content")


def test_missing_parameters_come_from_the_library_with_their_citation():
    # diesel defaults: 42.652 GJ/t, 20.20 tC/TJ, OF 0.98 → 100 t: 100×42.652×0.0202×0.98×44/12
    j = _one({"id": "d", "name": "柴油", "kind": "combustion", "material": "diesel", "activity": "100 t"})
    s = j["source_streams"][0]
    assert s["emissions_tco2e"] == pytest.approx(100 * 42.652 * 0.0202 * 0.98 * 44 / 12, rel=1e-6)
    sources = {p["name"]: p["source"] for p in s["parameters"]}
    assert sources == {"activity": "measured", "ncv": "library", "carbon_content": "library",
                       "oxidation_rate": "library"}
    assert all(p["citation"] for p in s["parameters"] if p["source"] == "library")


def test_factor_per_activity_unit():
    # 21000 t × 0.44 t/t = 9240 t
    j = _one({"id": "l", "name": "石灰石", "kind": "process", "material": "limestone", "activity": "21000 t"})
    assert j["emissions"]["by_stream"]["l"] == pytest.approx(9240)


def test_ipcc_form_per_gas_with_gwp_ar5_and_override():
    # 152 万Nm3 × 389.31 GJ/万Nm3 = 59.17512 TJ; CO2 56.1 t/TJ, CH4 1 kg/TJ ×28, N2O 0.1 kg/TJ ×265
    s = {"id": "ng", "name": "天然气", "kind": "combustion", "material": "natural_gas",
         "activity": "152 万Nm3", "parameters": {"ncv": "389.31 GJ/万Nm3",
                                                "emission_factor": {"CO2": "56.1 t/TJ", "CH4": "1 kg/TJ", "N2O": "0.1 kg/TJ"}}}
    tj = 152 * 389.31 / 1000
    j = _one(s)
    assert j["emissions"]["by_stream"]["ng"] == pytest.approx(tj * (56.1 + 0.001 * 28 + 0.0001 * 265))
    j = _one(s, gwp="SAR")
    assert j["emissions"]["by_stream"]["ng"] == pytest.approx(tj * (56.1 + 0.001 * 21 + 0.0001 * 310))


def test_us_customary_activity():
    # 1e6 scf = 26790.12 Nm3 = 2.679012 万Nm3; × 389.31 GJ/万Nm3 × 0.0153 tC/GJ × 0.99 × 44/12
    j = _one({"id": "g", "name": "gas", "kind": "combustion", "material": "natural_gas", "activity": "1000000 scf"})
    assert j["emissions"]["by_stream"]["g"] == pytest.approx(2.679012 * 389.31 * 0.0153 * 0.99 * 44 / 12, rel=1e-5)


def test_grid_factor_of_latest_year_not_after_the_reporting_year():
    # 8200 MWh × 0.5703 t/MWh (2022 factor, the latest ≤ 2025) = 4676.46 t
    j = _one({"id": "p", "name": "电", "kind": "electricity", "material": "grid_electricity", "activity": "8200 MWh"})
    assert j["emissions"]["by_stream"]["p"] == pytest.approx(4676.46)
    assert "2022" in j["source_streams"][0]["parameters"][-1]["citation"]


def test_biogenic_stream_counts_zero_and_is_reported_apart():
    # 1000 t × 1.8 t/t = 1800 t biogenic CO2, not in the total
    j = _one({"id": "w", "name": "木屑", "kind": "combustion", "material": "limestone", "biogenic": True,
              "activity": "1000 t", "parameters": {"emission_factor": {"CO2": "1.8 t/t"}}})
    assert j["emissions"]["by_stream"]["w"] == 0
    assert j["emissions"]["biogenic_tco2"] == pytest.approx(1800)
    assert j["emissions"]["total_tco2e"] == 0
    assert j["source_streams"][0]["class"] == "de_minimis"


def test_measurement_method_uses_declared_total():
    u = base_unit(emission_points=[{"id": "S1", "name": "窑尾", "equipment": "B1"}],
                  source_streams=[{"id": "k", "name": "窑尾CO2", "kind": "process", "method": "measurement",
                                   "emission_points": ["S1"], "emissions": "300000 t", "uncertainty": "4 %"}])
    j = run(u).to_json()
    s = j["source_streams"][0]
    assert j["emissions"]["total_tco2e"] == 300000
    # CEMS thresholds 10 / 7.5 / 5 / 2.5 %: the highest tier whose threshold ≥ 4 % is tier 3 (5 %)
    assert (s["class"], s["uncertainty_percent"], s["tier_achieved"]) == ("major", 4.0, 3)
    # category B (300 000 t ≤ 500 000): major → tier 4 required, so TIER-SHORT
    assert s["tier_required"] == 4
    assert "TIER-SHORT" in {f["code"] for f in j["findings"]}
