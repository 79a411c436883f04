"""A laboratory results file as a plant keeps it (Chinese headers, one with a space; dates
written 2025/3/5 and 2025年3月6日) and a broken one: dates read as the ledger reads them, every
problem named by the file's own column header and row, in one language (session 6)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


def _files(tmp_path: Path, lab: str) -> tuple[Path, Path, Path]:
    unit = Path(shutil.copy(SPEC, tmp_path / "unit.yaml"))
    readings = tmp_path / "r.csv"
    readings.write_text("instrument,time,value,unit\nW-01,2025-03-01 00:00,100,t\n", encoding="utf-8")
    f = tmp_path / "化验结果.csv"
    f.write_text(lab, encoding="utf-8")
    return unit, readings, f


def test_dates_as_people_write_them(tmp_path: Path, cli: Cli) -> None:
    unit, readings, lab = _files(tmp_path, "源流,参数,结果,单位,采样日期,检测机构,报告编号\n"
                                           "coal,低位发热量,22.1,GJ/t,2025/3/5,某检测中心,R1\n"
                                           "coal,低位发热量,22.3,GJ/t,2025年3月6日,某检测中心,R2\n")
    code, out = cli("month", "close", unit, readings, "--month", "2025-03", "--records", tmp_path / "存证",
                    "--lab", lab, "--filed-at", "2025-04-05")
    assert code in (0, 1) and "不是日期" not in out, out
    assert "低位发热量 22.2 GJ/t（2 个结果" in out, out


def test_lab_problems_name_the_files_own_columns(tmp_path: Path, cli: Cli) -> None:
    unit, readings, lab = _files(tmp_path, "源流,参数,结果,单位,月份,检测机构,报告编号,采样 日期\n"
                                           "coal,低位发热量,abc,GJ/t,2025-03,某检测中心,R1,2026/2/30\n"
                                           "coal,低位发热量,-5,GJ/t,2025-13,某检测中心,R2,\n")
    args = ("month", "close", unit, readings, "--month", "2025-03", "--records", tmp_path / "存证", "--lab", lab)
    code, out = cli(*args)
    assert code == 2, out
    for line in ("化验结果.csv:2 结果: “abc”不是数值", "化验结果.csv:2 采样 日期: “2026/2/30”不是日期",
                 "化验结果.csv:3 月份: “2025-13”不是月份", "化验结果.csv:3 结果: “-5”应为正数"):
        assert line in out, out
    assert "value" not in out and "sampled" not in out, out


def test_unknown_and_missing_columns_in_the_users_language(tmp_path: Path, cli: Cli) -> None:
    unit, readings, lab = _files(tmp_path, "batch,date,quantity,ncv\nB1,2025-03-05,100,22\n")
    args = ("month", "close", unit, readings, "--month", "2025-03", "--records", tmp_path / "存证", "--lab", lab)
    code, out = cli(*args)
    assert code == 2 and "化验结果.csv:1: 缺少“检测机构”列" in out and "（可用：源流、参数、数值" in out, out
    assert "laboratory" not in out and "stream" not in out, out
    code, out = cli(*args, "--lang", "en")
    assert code == 2 and 'the column "laboratory" is missing' in out and "检测机构" not in out, out


def test_a_lab_workbook_with_a_cover_sheet(tmp_path: Path, cli: Cli) -> None:
    """The results were read from the first sheet only: a cover sheet gave "缺少“源流”列" …"""
    import openpyxl

    unit, readings, _ = _files(tmp_path, "")
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "2025年3月 化验报告汇总"
    ws = wb.create_sheet("结果")
    ws.append(["源流", "参数", "结果", "单位", "采样日期", "检测机构", "报告编号"])
    ws.append(["coal", "低位发热量", 22.1, "GJ/t", "2025-03-05", "某检测中心", "R1"])
    book = tmp_path / "化验.xlsx"
    wb.save(book)
    code, out = cli("month", "close", unit, readings, "--month", "2025-03", "--records", tmp_path / "存证",
                    "--lab", book, "--filed-at", "2025-04-05")
    assert code in (0, 1) and "低位发热量 22.1 GJ/t" in out and "缺少" not in out, out
