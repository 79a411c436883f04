"""Required metering points and folding (default-pack.md "Required metering points")."""

from __future__ import annotations

from unit_builders import base_unit, instrument, run, stream


def _points(a):
    return {p.id: (p.level, p.places, p.required) for p in a.points if p.quantity == "activity"}


def _two_units(**over):
    return base_unit(subunits=[{"id": "U1", "name": "1号"}, {"id": "U2", "name": "2号"}],
                     equipment=[{"id": "B1", "name": "1号炉", "subunit": "U1"},
                                {"id": "B2", "name": "2号炉", "subunit": "U2"},
                                {"id": "B3", "name": "3号炉", "subunit": "U2"}], **over)


def test_points_major_stream_levels_1_2_3():
    # 100 000 t split B1 0.5, B2 0.25, B3 0.25: U1 gets only B1 → B1 folds into U1 (same
    # quantity); U2 gets B2 and B3 → separate level-3 points. T = 100 000 → major.
    a = run(_two_units(source_streams=[stream("coal", 100000, {"B1": 0.5, "B2": 0.25, "B3": 0.25})]))
    assert _points(a) == {
        "coal@boundary": (1, ("boundary",), True),
        "coal@U1": (2, ("U1", "B1"), True),
        "coal@U2": (2, ("U2",), True),
        "coal@B2": (3, ("B2",), True),
        "coal@B3": (3, ("B3",), True),
    }


def test_points_fold_single_consumer():
    # one sub-unit takes the whole stream, through its only boiler: boundary, U1 and B1 measure the
    # same quantity → one point at level 1; a belt scale at B1 covers it
    a = run(base_unit(source_streams=[stream("coal", 100000, ["B1"])],
                      instruments=[instrument("W1", "coal", "B1", type="belt_scale", accuracy="0.5")]))
    assert _points(a) == {"coal@boundary": (1, ("boundary", "U1", "B1"), True)}
    assert a.points[0].instruments == ["W1"] and a.rates[0].rate_percent == 100.0


def test_points_no_fold_when_subunit_also_consumes_directly():
    # U1 gets 0.4 directly and 0.6 through B1: B1 is not the whole of U1's coal → own level-3 point
    a = run(base_unit(source_streams=[stream("coal", 100000, {"U1": 0.4, "B1": 0.6})]))
    assert _points(a) == {"coal@boundary": (1, ("boundary", "U1"), True), "coal@B1": (3, ("B1",), True)}


def test_points_minor_stream_levels_1_2_only():
    # T = 100 000 + 6 000: Tdm = 2 120, Tmin = 10 600; the 6 000 t stream is minor (levels 1, 2)
    a = run(_two_units(source_streams=[stream("big", 100000, ["B1"]),
                                       stream("gas", 6000, {"B2": 0.5, "B3": 0.5})]))
    gas = {k: v for k, v in _points(a).items() if k.startswith("gas")}
    # U2 takes the whole gas stream → folds into the boundary point; no level-3 points for minor
    assert gas == {"gas@boundary": (1, ("boundary", "U2"), True)}


def test_points_de_minimis_stream_needs_none():
    a = run(base_unit(source_streams=[stream("big", 100000, ["B1"]), stream("tiny", 100, ["B1"])]))
    assert not [p for p in a.points if p.stream == "tiny"]


def test_points_stream_without_consumers_only_boundary():
    a = run(base_unit(source_streams=[stream("coal", 100000)]))
    assert _points(a) == {"coal@boundary": (1, ("boundary",), True)}


def test_points_non_major_subunit_gets_no_level_2():
    # U1 declared major: false → no level-2 point; B1 (major by emissions) keeps level 3
    u = _two_units(source_streams=[stream("coal", 100000, {"B1": 0.5, "B2": 0.5})])
    u["subunits"][0]["major"] = False
    a = run(u)
    # B1 is U1's only consumer, so a meter at U1 would measure the same quantity and covers it
    assert "coal@U1" not in _points(a)
    assert _points(a)["coal@B1"] == (3, ("U1", "B1"), True)


def test_points_measurement_stream_five_flue_gas_points():
    u = base_unit(emission_points=[{"id": "S1", "name": "烟囱", "equipment": "B1"}],
                  source_streams=[{"id": "k", "name": "k", "kind": "process", "method": "measurement",
                                   "emission_points": ["S1"], "emissions": "60000 t"}])
    a = run(u)
    assert [(p.id, p.medium, p.level) for p in a.points] == [
        (f"S1.{q}", "flue_gas", 1) for q in ("co2", "flow", "temperature", "pressure", "moisture")]


def test_points_parameter_points_for_measured_and_forced():
    # power sector, major coal: ncv and carbon_content required even when the file uses defaults
    coal = {"id": "coal", "name": "煤", "kind": "combustion", "material": "bituminous_coal",
            "activity": "100000 t", "consumers": ["B1"],
            "parameters": {"ncv": {"value": "20 GJ/t", "source": "default"}}}
    u = base_unit(source_streams=[coal])
    u["unit"]["sector"] = "power"
    lab = sorted(p.id for p in run(u).points if p.medium == "laboratory")
    assert lab == ["coal.carbon_content", "coal.ncv"]
    u["unit"]["sector"] = "cement"
    assert [p.id for p in run(u).points if p.medium == "laboratory"] == []
    u["source_streams"][0]["parameters"] = {"ncv": "20 GJ/t"}  # a bare ncv counts as measured
    assert [p.id for p in run(u).points if p.medium == "laboratory"] == ["coal.ncv"]


def test_attribution_through_equipment_makes_subunit_major():
    # 2 000 t via B1 only: U1 attributed 2 000 ≥ 1 000 → major; U2 0 → not major
    a = run(_two_units(source_streams=[stream("big", 100000, ["B2"]), stream("s", 2000, ["B1"])]))
    major = {p.id: (p.attributed_tco2e, p.major) for p in a.places}
    assert major["U1"] == (2000, True) and major["B1"] == (2000, True) and major["B3"] == (0, False)
