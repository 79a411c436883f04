"""Batch reassessment: parallel over units, one summary row per unit and year, figures read
from the assessment; unreadable files become rows with their error (nothing dropped)."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

from tanjiliang.assess.engine import assess
from tanjiliang.model.load import load_unit
from tanjiliang.province.batch import city_of, read_unit, reassess, reassess_province, summarise
from tanjiliang.province.generate import write_province

ROOT = Path(__file__).resolve().parents[2]


def test_batch_city_of_region():
    assert city_of("河南省郑州市") == "郑州市"
    assert city_of("河南省济源市") == "济源市"
    assert city_of("郑州市金水区") == "郑州市"
    assert city_of(None) == "—"
    assert city_of("某某市开发区") == "某某市"  # not among the divisions: as written


def test_batch_city_of_an_english_region():
    # tanjiliang init --lang en writes "Henan Province"; the city follows it, or comes first
    for region in ("Henan Province, Zhengzhou", "Zhengzhou, Henan", "Zhengzhou City, Henan Province"):
        assert city_of(region) == "郑州市", region
    assert city_of("Henan Province") == city_of("河南省") == "河南省"


def test_batch_groups_one_city_written_in_two_languages(tmp_path: Path):
    """Units of 焦作 written 河南省焦作市 and ``Henan Province, Jiaozuo`` are one city in the
    summary (焦作市), shown as 焦作市 in Chinese and Jiaozuo in English; 郑州 stays apart."""
    from tanjiliang.model.regions import name_in
    from tanjiliang.model.write import dump_yaml

    paths = []
    for i, region in enumerate(("河南省焦作市", "Henan Province, Jiaozuo", "Jiaozuo, Henan",
                                "Henan Province, Zhengzhou")):
        unit = load_unit(ROOT / "tests" / "data" / "spec-example.yaml")
        unit.unit.region = region
        unit.unit.credit_code = None
        unit.unit.name = f"单位{i}"
        paths.append(tmp_path / f"u{i}.yaml")
        paths[-1].write_text(dump_yaml(unit), encoding="utf-8")
    df = reassess(paths, workers=1, as_of=date(2026, 3, 1))
    assert df["error"].is_null().all()
    groups = dict(df.group_by("city").len().iter_rows())
    assert groups == {"焦作市": 3, "郑州市": 1}
    assert sorted(name_in(c, "zh") for c in groups) == ["焦作市", "郑州市"]
    assert sorted(name_in(c, "en") for c in groups) == ["Jiaozuo", "Zhengzhou"]


def test_batch_summary_row_reads_the_assessment():
    unit = load_unit(ROOT / "tests" / "data" / "spec-example.yaml")
    a = assess(unit, None, date(2026, 3, 1))
    row = summarise(a)
    assert row["conclusion"] == a.conclusion and row["city"] == "郑州市"
    assert row["nonconformities"] == len(a.nonconformities())
    assert row["n_eq_rate"] == sum(1 for f in a.findings if f.code == "EQ-RATE")
    req = sum(r.required for r in a.rates)
    assert row["equipping_rate"] == round(100 * sum(r.equipped for r in a.rates) / req, 1)
    assert row["overdue_instruments"] == sum(
        1 for i in a.instruments if i.calibration_status == "overdue")


def test_batch_parallel_equals_serial(tmp_path: Path):
    write_province(tmp_path, seed=3, units=12, instruments=60, years=(2024, 2025))
    par, seconds = reassess_province(tmp_path, workers=2)
    paths = sorted((tmp_path / "units").rglob("*.json.gz"))
    ser = reassess(paths, workers=1)
    assert par.height == 24 and seconds > 0
    assert par.equals(ser)
    assert (tmp_path / "summary.parquet").exists()
    assert set(par["conclusion"].unique()) <= {"conforming", "nonconforming"}


def test_batch_bad_file_is_a_row_with_its_error(tmp_path: Path):
    bad = tmp_path / "91410100MA44ABCD1F.json.gz"
    bad.write_bytes(gzip.compress(b'{"format": "tanjiliang/unit@1", "unit": {"name": "x"}}'
))
    df = reassess([bad], workers=1)
    assert df.height == 1 and "year" in (df["error"][0] or "")


def test_batch_fast_json_path_equals_the_loader(tmp_path: Path):
    write_province(tmp_path, seed=4, units=2, instruments=30, years=(2025,))
    for p in (tmp_path / "units" / "2025").iterdir():
        text = gzip.decompress(p.read_bytes()).decode()
        assert read_unit(p).model_dump() == load_unit("u.json", text).model_dump()
