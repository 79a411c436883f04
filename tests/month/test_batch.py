"""A province's month closed with one command (issue 14 §2, §6): ``tanjiliang month close
FOLDER`` files every unit's month from the readings store, with its laboratory results when a
``<stem>.lab.csv`` is beside it; a unit that cannot be read is reported, the others filed; a
second run files nothing again (idempotent)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.data.store import ReadingsStore, unit_key
from tanjiliang.model.load import load_unit
from tanjiliang.month.batch import close_units

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "plant.yaml"
LAB = ("stream,parameter,value,unit,month,laboratory,method,accreditation,certificate,report\n"
       "coal,ncv,21.5,GJ/t,2025-03,煤质检测中心,GB/T 213-2008,CMA,CMA 161500110001,R-03\n")


@pytest.fixture(scope="module")
def province(tmp_path_factory, readings) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("province")
    units, store = root / "units", root / "store"
    units.mkdir()
    text = FIXTURE.read_text(encoding="utf-8")
    for name in ("甲电厂", "乙电厂"):
        p = units / f"{name}.yaml"
        p.write_text(text.replace("数据测试热电厂", name), encoding="utf-8")
        ReadingsStore(store).import_files(unit_key(load_unit(p)), [readings])
    (units / "乙电厂.lab.csv").write_text(LAB, encoding="utf-8")
    (units / "丙电厂.yaml").write_text(text.replace("数据测试热电厂", "丙电厂"), encoding="utf-8")  # no readings
    (units / "丁电厂.yaml").write_text(text.replace("year: 2025", "year: 2024"), encoding="utf-8")
    (units / "坏文件.yaml").write_text("format: tanjiliang/unit@1\nunit: {name: 坏}\n", encoding="utf-8")
    return units, store


def test_a_folder_closes_in_one_command_and_again_idempotently(province, tmp_path) -> None:
    units, store = province
    rec = tmp_path / "存证"
    args = ["month", "close", str(units), "--month", "2025-03", "--store", str(store),
            "--records", str(rec), "--filed-at", "2025-04-20", "--workers", "1"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1, r.output  # the broken file
    assert "已提交 2" in r.output and "本月无读数，未提交 1" in r.output
    assert "非本报告年度 1" in r.output and "坏文件.yaml" in r.output
    a = json.loads((rec / "甲电厂" / "2025-03.v1.json").read_text(encoding="utf-8"))
    b = json.loads((rec / "乙电厂" / "2025-03.v1.json").read_text(encoding="utf-8"))
    assert a["late"] is False and a["lab"] is None
    # 乙's NCV is its laboratory's 21.5 GJ/t: E_coal = activity × 21.5 × 0.02618 × 0.93 × 44/12
    coal = next(s for s in b["streams"] if s["id"] == "coal")
    assert coal["emissions_tco2e"] == pytest.approx(coal["activity"] * 21.5 * 0.02618 * 0.93 * 44 / 12)
    assert [e["kind"] for e in b["evidence"]] == ["lab_results"]
    # the same coal and readings, the library's NCV 19.570 for 甲
    a_coal = next(s for s in a["streams"] if s["id"] == "coal")
    assert a_coal["activity"] == pytest.approx(coal["activity"])
    assert coal["emissions_tco2e"] / a_coal["emissions_tco2e"] == pytest.approx(21.5 / 19.570)
    # run again: nothing filed twice
    r = CliRunner().invoke(app, [*args[:-2], "--lang", "en"])
    assert "already filed 2" in r.output, r.output
    assert not (rec / "甲电厂" / "2025-03.v2.json").exists()


def test_the_batch_gives_one_row_per_unit(province, tmp_path) -> None:
    units, store = province
    paths = sorted(units.glob("*.yaml"))
    df = close_units(paths, str(store), tmp_path, 2025, 4, workers=1)
    status = dict(zip(df["unit_file"], df["status"], strict=True))
    assert status == {"丁电厂.yaml": "other_year", "丙电厂.yaml": "no_readings", "乙电厂.yaml": "filed",
                      "坏文件.yaml": "error", "甲电厂.yaml": "filed"}
    bad = df.filter(df["status"] == "error").row(0, named=True)
    assert "坏文件.yaml" in bad["error_zh"] and bad["error_en"]
    # April: 乙's results are March's only, so both units' April is at the library's rate
    filed = df.filter(df["status"] == "filed")
    assert filed["emissions_tco2e"][0] == pytest.approx(filed["emissions_tco2e"][1])


@pytest.mark.slow
def test_on_a_local_cluster_the_records_are_the_in_process_ones(province, tmp_path) -> None:
    """Each job is a pure function of its files, the store and the filing time: the same
    records, to the hash, in this process and on a local Dask cluster of two workers."""
    units, store = province
    paths = sorted(units.glob("*.yaml"))
    when = datetime.fromisoformat("2025-07-01T12:00:00+08:00")
    here = close_units(paths, str(store), tmp_path / "a", 2025, 6, workers=1, filed_at=when)
    there = close_units(paths, str(store), tmp_path / "b", 2025, 6, cluster="local:2", filed_at=when)
    cols = ["unit_file", "status", "version", "emissions_tco2e", "checks_failed", "sha256"]
    assert here.select(cols).equals(there.select(cols))
    assert there.filter(there["status"] == "filed").height == 2
