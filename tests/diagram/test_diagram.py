"""The GHG flow diagram (Annex A, domain.md §9): every metering point on its arrow, labelled
with its instrument-class letter and number and coloured by its status; on the spec example,
the examples and a generated plant of 30 sub-units and about 300 points."""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from tanjiliang.assess.engine import assess
from tanjiliang.cli.app import app
from tanjiliang.diagram import DiagramFormatError, build_graph, render, write_diagram
from tanjiliang.diagram.symbols import STATUS_COLOUR, point_symbols
from tanjiliang.diagram.synthetic import synthetic_plant
from tanjiliang.model.load import load_unit
from tanjiliang.reports.i18n import TEXT
from tanjiliang.rules.load import load_pack
from unit_builders import AS_OF, base_unit, instrument, load, stream

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/unit.yaml"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def pack():
    return load_pack(None)


@pytest.fixture(scope="module")
def spec(pack):
    unit = load_unit(ROOT / "tests" / "data" / "spec-example.yaml")
    return unit, assess(unit, pack, AS_OF)


@pytest.fixture(scope="module")
def plant(pack):
    unit = synthetic_plant()
    return unit, assess(unit, pack, AS_OF)


def drawn_point_ids(svg: str) -> set[str]:
    """Points drawn as nodes or as cells of a CEMS or laboratory group: ``id="point-…"``."""
    ids = re.findall(r'<g id="(?:a_)?point&#45;([^"]+)"', svg)
    return {html.unescape(i) for i in ids}


def test_symbols_letter_from_instrument_or_pack(spec, pack):
    # coal@boundary has W-01 (rail_scale, letter W); coal.ncv has no instrument: the first
    # type the pack allows for (laboratory, ncv) is the calorimeter, letter L
    _unit, a = spec
    sym = point_symbols(a, pack.pack)
    assert sym["coal@boundary"].letter == "W"
    assert sym["coal.ncv"].letter == "L"
    # numbers run per letter in the engine's point order: W1, W2, W3, then L1, L2, L3
    assert [sym[p.id].label for p in a.points if sym[p.id].letter == "W"] == ["W1", "W2", "W3"]
    assert sorted(s.label for s in sym.values() if s.letter == "L") == ["L1", "L2", "L3"]
    assert {s.status for s in sym.values()} <= set(STATUS_COLOUR)


def test_spec_example_svg_has_every_point_coloured_by_status(spec, pack):
    unit, a = spec
    svg = render(a, unit, pack.pack, "zh", "svg").decode()
    assert drawn_point_ids(svg) == {p.id for p in a.points}
    sym = point_symbols(a, pack.pack)
    for p in a.points:
        colour = STATUS_COLOUR[sym[p.id].status]
        assert colour in svg
    for word in ("温室气体流向图", "核算边界", "计量点", "器具类别字母", "应配未配", unit.unit.name):
        assert word in svg
    # the stream class and share label the arrow entering the boundary
    assert "主要源流 · 99.5%" in svg


def test_no_point_drawn_twice_and_no_self_loop(pack):
    # one boiler takes the whole stream: boundary, sub-unit and equipment fold into one point
    unit = load(base_unit(source_streams=[stream("s", 30000, ["B1"])],
                          instruments=[instrument("W", "s", "boundary")]))
    a = assess(unit, pack, AS_OF)
    g = build_graph(a, unit, pack.pack, "zh")
    assert not [e for e in g.edges() if e[0] == e[1]]
    nodes = [n for n in g.nodes() if n.startswith("pt:")]
    assert len(nodes) == len(set(nodes)) == len([p for p in a.points if p.quantity == "activity"])


def test_english_diagram_has_no_chinese_fixed_words(spec, pack):
    unit, a = spec
    svg = render(a, unit, pack.pack, "en", "svg").decode()
    assert "GHG flow diagram" in svg and "Instrument class letters" in svg
    zh_words = {zh for zh, en in TEXT.values() if zh != en and CJK.search(zh) and len(zh) >= 3}
    user_text = Path(ROOT / "tests" / "data" / "spec-example.yaml").read_text(encoding="utf-8")
    leaked = sorted(w for w in zh_words if w in svg and w not in user_text)
    assert leaked == []


def test_png_and_pdf(spec, pack, tmp_path):
    unit, a = spec
    png = render(a, unit, pack.pack, "zh", "png")
    im = Image.open(io.BytesIO(png)).convert("L")
    assert im.size[0] > 800 and im.size[1] > 500
    dark = sum(im.histogram()[:128])
    assert dark > 0.01 * im.size[0] * im.size[1]  # drawn, not blank
    out = write_diagram(a, unit, tmp_path / "flow.pdf", pack.pack, "zh")
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(DiagramFormatError):
        write_diagram(a, unit, tmp_path / "flow.gif", pack.pack)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_examples(path, pack):
    unit = load_unit(path)
    loaded = load_pack(unit.pack)
    a = assess(unit, loaded, AS_OF)
    svg = render(a, unit, loaded.pack, "zh", "svg").decode()
    assert drawn_point_ids(svg) == {p.id for p in a.points}
    for s in a.streams:
        assert f"({s.id})" in svg or s.method == "measurement"


def test_large_plant_30_subunits_300_points(plant, pack):
    unit, a = plant
    assert len(unit.subunits) == 30
    assert len(a.points) >= 300
    statuses = Counter(p.status for p in a.points)
    assert statuses["conforming"] and statuses["nonconforming"] and statuses["missing"]
    svg = render(a, unit, pack.pack, "zh", "svg").decode()
    assert drawn_point_ids(svg) == {p.id for p in a.points}
    for su in unit.subunits:
        assert f"{su.name}</text>" in svg or su.name in svg
    labels = [s.label for s in point_symbols(a, pack.pack).values()]
    assert len(labels) == len(set(labels))  # every point has its own label
    assert all(f">{label}</text>" in svg for label in labels)


def test_cli_diagram(tmp_path):
    f = ROOT / "tests" / "data" / "spec-example.yaml"
    for suffix in ("svg", "png", "pdf"):
        out = tmp_path / f"flow.{suffix}"
        r = CliRunner().invoke(app, ["diagram", str(f), "-o", str(out), "--as-of", "2025-12-31",
                                     "--lang", "en"])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 1000
    r = CliRunner().invoke(app, ["diagram", str(f), "-o", str(tmp_path / "flow.gif")])
    assert r.exit_code == 2
    assert not (tmp_path / "flow.gif").exists()
