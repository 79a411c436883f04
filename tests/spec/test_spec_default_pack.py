"""shared/spec/default-pack.md, clause by clause, at its boundaries, through the command line
(``tanjiliang check FILE --format json``) on small unit files written here. The pack declares
``rounding_decimals: 1``: every quantity is rounded half-up to 0.1 before it is compared
("Exactness"). The arithmetic is in the comments. These pass on the product as it stands; they
are the spec's statements kept as tests while others change the hot loops; one was not kept
before: an out-of-service instrument's ``accuracy_ok`` was false where no requirement applies."""

from __future__ import annotations

import pytest
from spec_cli import check, codes, tonnes, unit


def streams_of(doc):
    return {s["id"]: s for s in doc["source_streams"]}


# ------------------------------------------------------------------ scope and categories

@pytest.mark.parametrize(("parts", "key"), [
    (["25999.94"], False),             # rounds to 25 999.9 < 26 000
    (["25999.95"], True),              # rounds to 26 000.0 ≥ 26 000
    (["0.1", "0.2", "25999.7"], True),  # exactly 26 000.0 on decimals (README)
    (["26000"], True),
])
def test_key_emission_unit_threshold(tmp_path, parts, key):
    _, doc, _ = check(tmp_path, unit([tonnes(f"s{i}", t) for i, t in enumerate(parts)]))
    assert doc is not None and doc["key_emission_unit"] is key
    assert (("SCOPE-VOLUNTARY", "unit") in codes(doc)) is (not key)


@pytest.mark.parametrize(("total", "category"), [
    ("50000.04", "A"), ("50000.05", "B"),      # A ≤ 50 000 (50 000.05 rounds to 50 000.1)
    ("500000.04", "B"), ("500000.05", "C"),    # B ≤ 500 000
])
def test_installation_category(tmp_path, total, category):
    _, doc, _ = check(tmp_path, unit([tonnes("s", total)]))
    assert doc is not None and doc["installation_category"] == category


# ------------------------------------------------------------------ classes, joint mode

@pytest.mark.parametrize(("amounts", "classes"), [
    # T = 100 000: Tdm = max(1000, min(2000, 20000)) = 2000, Tmin = max(5000, min(10000, 100000)) = 10000
    # 1000 + 999.9 = 1999.9 < 2000: both de minimis; 8000 < 10000 minor; the rest major
    ({"a": "1000", "b": "999.9", "c": "8000", "d": "90000.1"}, ["de_minimis", "de_minimis", "minor", "major"]),
    # 1000 + 1000 = 2000 is not strictly below 2000: b closes de minimis and opens minor;
    # minor 1000 + 8999.9 = 9999.9 < 10000
    ({"a": "1000", "b": "1000", "c": "8999.9", "d": "89000.1"}, ["de_minimis", "minor", "minor", "major"]),
    # minor 1000 + 9000 = 10000 is not below 10000: c and the rest are major
    ({"a": "1000", "b": "1000", "c": "9000", "d": "89000"}, ["de_minimis", "minor", "major", "major"]),
    # ties by id: y before z; 1500 < 2000 de minimis, 1500 + 1500 = 3000 fails, z minor
    ({"z": "1500", "y": "1500", "d": "97000"}, ["minor", "de_minimis", "major"]),
])
def test_joint_classes(tmp_path, amounts, classes):
    _, doc, _ = check(tmp_path, unit([tonnes(k, v) for k, v in amounts.items()]))
    assert doc is not None
    assert doc["emissions"]["total_tco2e"] == pytest.approx(100000.0)
    assert doc["thresholds"] == {"de_minimis_tco2e": 2000.0, "minor_tco2e": 10000.0}
    assert [streams_of(doc)[k]["class"] for k in amounts] == classes


def test_biogenic_stream_counts_zero_is_de_minimis_and_needs_no_point(tmp_path):
    bio = tonnes("bio", "5000", biogenic=True)
    _, doc, _ = check(tmp_path, unit([tonnes("lime", "30000"), bio]))
    assert doc is not None
    assert doc["emissions"]["total_tco2e"] == 30000.0
    assert doc["emissions"]["by_stream"]["bio"] == 0.0 and doc["emissions"]["biogenic_tco2"] == 5000.0
    assert streams_of(doc)["bio"]["class"] == "de_minimis"
    assert not [m for m in doc["metering_points"] if m["stream"] == "bio"]


def test_declared_class_only_upwards(tmp_path):
    # T = 30 600: Tdm = 1000; a 100 and c 500 (sum 600) de minimis; b 30 000 major
    data = unit([tonnes("a", "100", **{"class": "major"}), tonnes("b", "30000", **{"class": "minor"}),
                 tonnes("c", "500")])
    _, doc, _ = check(tmp_path, data)
    assert doc is not None
    s = streams_of(doc)
    assert (s["a"]["class"], s["b"]["class"], s["c"]["class"]) == ("major", "major", "de_minimis")
    assert ("CLASS-DOWNGRADE", "b") in codes(doc)
    # the Chinese message names the classes in Chinese (it said "声明为minor，低于计算分类major")
    [zh] = [f["message_zh"] for f in doc["findings"] if f["code"] == "CLASS-DOWNGRADE"]
    assert "次要源流" in zh and "主要源流" in zh and "minor" not in zh and "major" not in zh


# ------------------------------------------------------------------ major sub-units, folding

@pytest.mark.parametrize(("stream_t", "major"), [("1999.8", False), ("1999.9", True), ("2000", True)])
def test_major_subunit_threshold(tmp_path, stream_t, major):
    # half each to B1 (in U1) and B2 (in U2): 999.9 → not major; 999.95 → 1000.0 → major
    data = unit([tonnes("a", stream_t, consumers={"B1": 0.5, "B2": 0.5}), tonnes("big", "50000")],
                subunits=[{"id": "U1", "name": "u1"}, {"id": "U2", "name": "u2"}],
                equipment=[{"id": "B1", "name": "b1", "subunit": "U1"}, {"id": "B2", "name": "b2", "subunit": "U2"}])
    _, doc, _ = check(tmp_path, data)
    assert doc is not None
    assert [(x["id"], x["major"]) for x in doc["subunits"]] == [("U1", major), ("U2", major)]


def test_a_single_consumer_folds_into_one_point(tmp_path):
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000", consumers=["B1"])]))
    assert doc is not None
    [pt] = doc["metering_points"]
    assert (pt["level"], pt["places"], pt["required"]) == (1, ["boundary", "U1", "B1"], True)


# ------------------------------------------------------------------ equipping rates

def scale(iid, at, **kw):
    d = {"id": iid, "name": iid, "type": "truck_scale", "measures": "a", "at": at, "accuracy": "0.1",
         "last_confirmed": "2025-06-01", "status": "in_use"}
    d.update(kw)
    return d


def test_rate_rounded_half_up(tmp_path):
    # 16 major equipment of 2000 t each in U1, one equipped at level 3: 1/16 = 6.25 % → 6.3 %
    eq = [{"id": f"E{i:02d}", "name": f"e{i}", "subunit": "U1"} for i in range(16)]
    data = unit([tonnes("a", "32000", consumers={e["id"]: 0.0625 for e in eq})],
                [scale("IB", "boundary"), scale("I0", "E00")], equipment=eq)
    _, doc, _ = check(tmp_path, data)
    assert doc is not None
    row = next(r for r in doc["equipping_rates"] if r["level"] == 3)
    assert (row["required"], row["equipped"], row["rate_percent"], row["required_percent"], row["meets"]) == (
        16, 1, 6.3, 90.0, False)
    assert ("EQ-RATE", "process_material/3") in codes(doc)


@pytest.mark.parametrize(("status", "kind", "equipped"), [
    ("in_use", "truck_scale", 1), ("standby", "truck_scale", 0), ("out_of_service", "truck_scale", 0),
    ("in_use", "electricity_meter", 0),   # not a type the pack allows for a process material
])
def test_what_counts_as_equipped(tmp_path, status, kind, equipped):
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")], [scale("I", "boundary", status=status, type=kind)]))
    assert doc is not None
    assert doc["equipping_rates"][0]["equipped"] == equipped


@pytest.mark.parametrize(("kind", "material", "activity", "ncv", "served"), [
    ("calorimeter", "bituminous_coal", "20000 t", "22 GJ/t", True),
    ("gas_chromatograph", "bituminous_coal", "20000 t", "22 GJ/t", False),   # "gas ncv and carbon_content"
    ("gas_chromatograph", "natural_gas", "2000 万Nm3", "389 GJ/万Nm3", True),
])
def test_laboratory_types_by_what_they_analyse(tmp_path, kind, material, activity, ncv, served):
    """default-pack.md, instrument types: ``calorimeter`` (ncv), ``gas_chromatograph`` (gas ncv
    and carbon_content). Before, a gas chromatograph served a coal stream's NCV point."""
    s = {"id": "f", "name": "燃料", "kind": "combustion", "material": material, "activity": activity,
         "parameters": {"ncv": ncv}}          # a bare ncv counts as measured: one laboratory point
    lab = {"id": "L", "name": "化验", "type": kind, "measures": "f.ncv", "at": "lab", "last_confirmed": "2025-06-01"}
    _, doc, _ = check(tmp_path, unit([s], [lab]))
    assert doc is not None
    point = next(m for m in doc["metering_points"] if m["id"] == "f.ncv")
    assert (point["instruments"] == ["L"]) is served
    row = next(r for r in doc["equipping_rates"] if r["medium"] == "laboratory")
    assert (row["equipped"], row["required"]) == ((1, 1) if served else (0, 1))


# ------------------------------------------------------------------ accuracy

@pytest.mark.parametrize(("accuracy", "ok", "code"), [
    ("0.1", True, None), ("±0.1 %", True, None), ("±0.14 %", True, None),   # 0.14 → 0.1
    ("0.1 %", True, None), ("0.2%", False, "ACC-MPE"),   # an MPE without its ± (was bad input, exit 2)
    ("±0.15 %", False, "ACC-MPE"), ("0.2", False, "ACC-MPE"),               # 0.15 → 0.2 > 0.1
    ("III", None, "ACC-UNKNOWN"), (None, None, "ACC-UNKNOWN"),
])
def test_static_weighing_mpe(tmp_path, accuracy, ok, code):
    ins = scale("I", "boundary", accuracy=accuracy)
    if accuracy is None:
        del ins["accuracy"]
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")], [ins]))
    assert doc is not None
    assert doc["instruments"][0]["accuracy_ok"] is ok
    assert [c for c, _ in codes(doc) if c.startswith("ACC")] == ([code] if code else [])


def test_electricity_meter_by_level_and_standby_judged(tmp_path):
    el = {"id": "a", "name": "外购电力", "kind": "electricity", "material": "grid_electricity",
          "activity": "60000 MWh", "consumers": {"U1": 0.5, "U2": 0.5}}
    meter = {"type": "electricity_meter"}
    data = unit([el], [scale("M1", "boundary", accuracy="1.0", **meter),     # level 1 needs 0.5
                       scale("M2", "U1", accuracy="1.0", **meter),           # level 2: 1.0 ok
                       scale("M3", "U2", accuracy="2.0", status="standby", **meter),   # standby: judged
                       scale("M4", "U2", accuracy="2.0", status="out_of_service", **meter)],  # not judged
                subunits=[{"id": "U1", "name": "u1"}, {"id": "U2", "name": "u2"}], equipment=[])
    _, doc, _ = check(tmp_path, data)
    assert doc is not None
    # out of service: no requirement applies, so accuracy_ok is null (it was false before)
    assert {i["id"]: i["accuracy_ok"] for i in doc["instruments"]} == {"M1": False, "M2": True, "M3": False,
                                                                        "M4": None}
    assert sorted(s for c, s in codes(doc) if c == "ACC-MPE") == ["M1", "M3"]


@pytest.mark.parametrize(("material", "required"), [
    ("diesel", 0.5), ("gasoline", 0.5), ("fuel_oil", 1.0), ("residual_oil", 1.0),
    ("coal_tar", 1.0),     # heavier than fuel oil (it was held to 0.5 as a refined oil)
])
def test_oil_flow_meter_by_fuel(tmp_path, material, required):
    """default-pack.md: oil flow: liquid fuel 0.5 (fuel oil and heavier 1.0)."""
    oil = {"id": "o", "name": "油", "kind": "combustion", "material": material, "activity": "20000 t"}
    _, doc, _ = check(tmp_path, unit([oil], [scale("O", "boundary", type="oil_flow_meter", measures="o",
                                                   accuracy="1.0")]))
    assert doc is not None
    i = doc["instruments"][0]
    assert (i["required_mpe_percent"], i["accuracy_ok"]) == (required, required >= 1.0)


# ------------------------------------------------------------------ tiers

def gas(consumers=None):
    s = {"id": "a", "name": "天然气", "kind": "combustion", "material": "natural_gas", "activity": "2000 万Nm3"}
    if consumers:
        s["consumers"] = consumers
    return s


@pytest.mark.parametrize(("mpes", "uncertainty", "tier"), [
    # one boundary meter: its MPE
    (["±1.5 %"], 1.5, 4), (["±1.55 %"], 1.55, 3), (["±7.5 %"], 7.5, 1), (["±7.6 %"], 7.6, None),
    # two consumers, shares 0.5 each: sqrt((1.8·0.5)² + (2.4·0.5)²) / 1 = sqrt(0.81 + 1.44) = 1.5 → tier 4
    (["±1.8 %", "±2.4 %"], 1.5, 4),
])
def test_tier_achieved(tmp_path, mpes, uncertainty, tier):
    # 2000 万Nm3 × 389.31 GJ × 0.0153 tC/GJ × 0.99 × 44/12 = 43 243.8 t: category A, major,
    # gaseous fuel → tier 2 required
    eq = [{"id": "B1", "name": "b1", "subunit": "U1"}, {"id": "B2", "name": "b2", "subunit": "U1"}]
    places = ["boundary"] if len(mpes) == 1 else ["B1", "B2"]
    meters = [scale(f"G{i}", p, type="gas_flow_meter", accuracy=m) for i, (p, m) in enumerate(zip(places, mpes, strict=True))]
    _, doc, _ = check(tmp_path, unit([gas({"B1": 0.5, "B2": 0.5})], meters, equipment=eq))
    assert doc is not None
    s = doc["source_streams"][0]
    assert (doc["installation_category"], s["class"], s["tier_required"]) == ("A", "major", 2)
    assert (s["uncertainty_percent"], s["tier_achieved"]) == (pytest.approx(uncertainty, abs=1e-6), tier)
    assert (("TIER-SHORT", "a") in codes(doc)) is (tier is None or tier < 2)


@pytest.mark.parametrize(("declared", "tier"), [(None, None), ("2.5 %", 4), ("2.6 %", 3), ("10 %", 1), ("10.1 %", None)])
def test_measurement_method_tier(tmp_path, declared, tier):
    s = {"id": "cems", "name": "窑尾烟气", "kind": "process", "method": "measurement", "emission_points": ["S1"],
         "emissions": "300000 t"}
    if declared:
        s["uncertainty"] = declared
    _, doc, _ = check(tmp_path, unit([s], emission_points=[{"id": "S1", "name": "1号烟囱", "equipment": "B1"}]))
    assert doc is not None
    st = doc["source_streams"][0]
    assert (st["tier_required"], st["tier_achieved"]) == (4, tier)   # category B, major → 4
    assert ("TIER-UNKNOWN", "cems") in codes(doc) if declared is None else ("TIER-UNKNOWN", "cems") not in codes(doc)
    # five flue-gas points at level 1
    assert sorted(m["quantity"] for m in doc["metering_points"]) == ["co2", "flow", "moisture", "pressure",
                                                                     "temperature"]


# ------------------------------------------------------------------ confirmation status

@pytest.mark.parametrize(("as_of", "status", "code"), [
    # truck scale, 12 months: last 2025-01-15 → next_due 2026-01-15
    ("2025-12-15", "valid", None),            # 31 days before
    ("2025-12-16", "due_soon", "CAL-DUE-SOON"),  # 30 days before
    ("2026-01-15", "due_soon", "CAL-DUE-SOON"),  # on the day
    ("2026-01-16", "overdue", "CAL-OVERDUE"),    # one day after
    ("2025-01-15", "valid", None),            # confirmed on the as-of date: counts
    ("2025-01-14", "unknown", "CAL-NONE"),     # confirmed the day after: does not exist yet
])
def test_confirmation_status_as_of(tmp_path, as_of, status, code):
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")], [scale("I", "boundary", last_confirmed="2025-01-15")]),
                      as_of=as_of)
    assert doc is not None
    ins = doc["instruments"][0]
    assert ins["calibration_status"] == status
    assert ins["next_due"] == (None if status == "unknown" else "2026-01-15")
    assert [c for c, _ in codes(doc) if c.startswith("CAL")] == ([code] if code else [])


def test_calendar_months_at_month_end(tmp_path):
    # 2025-01-31 + 13 months = 2026-02-31 → the last day of February 2026
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")],
                                     [scale("I", "boundary", last_confirmed="2025-01-31", interval="13 months")]))
    assert doc is not None and doc["instruments"][0]["next_due"] == "2026-02-28"


def test_standby_overdue_is_no_nonconformity(tmp_path):
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")], [
        scale("I", "boundary"), scale("S", "boundary", status="standby", last_confirmed="2024-01-01")]))
    assert doc is not None
    assert {i["id"]: i["calibration_status"] for i in doc["instruments"]} == {"I": "valid", "S": "overdue"}
    assert not [c for c, _ in codes(doc) if c.startswith("CAL")]


# ------------------------------------------------------------------ management, conclusion, exit codes

def test_management_findings_and_procedure_after_as_of(tmp_path):
    data = unit([tonnes("a", "30000")], [scale("I", "boundary")])
    m = data["management"]
    m["procedures"][3]["issued"] = "2026-01-01"            # after the as-of date: does not count
    m["personnel"] = [{"name": "李工", "role": "计量员"}]   # nobody named 负责人
    m["records_retention_years"] = 4
    rc, doc, _ = check(tmp_path, data)
    assert rc == 1 and doc is not None and doc["conclusion"] == "nonconforming"
    assert codes(doc) == [("MGMT-PROCEDURE", "personnel_training"), ("MGMT-RESPONSIBLE", "unit"),
                          ("DATA-RETENTION", "unit")]
    # in English, no Chinese word in the messages (the responsible person's said "(负责人)")
    _, en, _ = check(tmp_path, data, "--lang", "en")
    assert en is not None
    import re

    assert not [f["message"] for f in en["findings"] if re.search(r"[\u3000-\u9fff]", f["message"])]


def test_conforming_unit_exits_0_and_observations_do_not_change_it(tmp_path):
    data = unit([tonnes("a", "30000")], [scale("I", "boundary", last_confirmed="2025-01-15")])
    del data["management"]                                  # one observation MGMT-NOT-ASSESSED
    rc, doc, _ = check(tmp_path, data, as_of="2026-01-01")  # and CAL-DUE-SOON
    assert rc == 0 and doc is not None and doc["conclusion"] == "conforming"
    assert {f["severity"] for f in doc["findings"]} == {"observation"}
    assert {c for c, _ in codes(doc)} == {"MGMT-NOT-ASSESSED", "CAL-DUE-SOON"}


def test_json_contract_keys(tmp_path):
    _, doc, _ = check(tmp_path, unit([tonnes("a", "30000")], [scale("I", "boundary")]))
    assert doc is not None
    assert doc["format"] == "tanjiliang/assessment@1"
    assert {"name", "version"} <= set(doc["pack"]) and {"name", "year"} <= set(doc["unit"])
    assert {"total_tco2e", "biogenic_tco2", "by_stream"} <= set(doc["emissions"])
    assert {"id", "emissions_tco2e", "share", "class", "tier_required", "tier_achieved",
            "uncertainty_percent"} <= set(doc["source_streams"][0])
    assert {"id", "stream", "quantity", "level", "required", "instruments", "status"} <= set(doc["metering_points"][0])
    assert {"medium", "level", "required", "equipped", "rate_percent", "required_percent",
            "meets"} <= set(doc["equipping_rates"][0])
    assert {"id", "level", "calibration_status", "next_due", "accuracy_ok"} <= set(doc["instruments"][0])
    assert isinstance(doc["key_emission_unit"], bool) and doc["installation_category"] in "ABC"
    assert doc["conclusion"] in ("conforming", "nonconforming")
