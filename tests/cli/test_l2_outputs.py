"""Outputs that would overwrite inputs (s10 #3), writes through a symbolic link (#15) and the
operating system's refusals in the user's language (#13)."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tanjiliang.cli.safety import os_issue
from tanjiliang.model.errors import os_reason

UNIT = """format: tanjiliang/unit@1
unit: {name: 输出测试, year: 2025}
subunits:
  - {id: G1, name: 1号机组}
equipment:
  - {id: B1, name: 1号锅炉, subunit: G1}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "20000 t", consumers: [B1]}
instruments:
  - {id: W-01, name: 汽车衡, type: truck_scale, measures: coal, at: boundary, last_confirmed: 2024-08-31, interval: 12 个月}
"""

TJ = str(Path(sys.executable).parent / "tanjiliang")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TANJILIANG_LANG"}
    return subprocess.run([TJ, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def _md5(p: Path) -> str:
    return hashlib.md5(p.read_bytes()).hexdigest()


@pytest.fixture
def plant(tmp_path: Path) -> Path:
    (tmp_path / "u.yaml").write_text(UNIT, encoding="utf-8")
    r = _cli("ledger", "export", "u.yaml", "-o", "L.xlsx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return tmp_path


def test_check_report_over_its_own_ledger_is_refused(plant: Path) -> None:
    before = _md5(plant / "L.xlsx")
    r = _cli("check", "u.yaml", "--ledger", "L.xlsx", "-o", "L.xlsx", cwd=plant)
    assert r.returncode == 2
    assert "输出文件也是本命令的输入文件" in r.stderr
    assert _md5(plant / "L.xlsx") == before
    # the same file through a symbolic link and the --opt=value form; in English
    (plant / "link.xlsx").symlink_to("L.xlsx")
    r = _cli("check", "u.yaml", "--ledger=link.xlsx", "--output=./L.xlsx", "--lang", "en", cwd=plant)
    assert r.returncode == 2
    assert "also an input of this command" in r.stderr
    assert _md5(plant / "L.xlsx") == before
    # another output name is written
    assert _cli("check", "u.yaml", "--ledger", "L.xlsx", "-o", "report.xlsx", cwd=plant).returncode in (0, 1)
    assert (plant / "report.xlsx").exists()


def test_ledger_template_and_export_keep_an_existing_file_unless_force(plant: Path) -> None:
    before = _md5(plant / "L.xlsx")
    for args in (("ledger", "template", "-o", "L.xlsx"), ("ledger", "export", "u.yaml", "-o", "L.xlsx")):
        r = _cli(*args, cwd=plant)
        assert r.returncode == 2, r.stdout
        assert "已存在" in r.stderr and "--force" in r.stderr
        assert _md5(plant / "L.xlsx") == before
    r = _cli("ledger", "template", "-o", "L.xlsx", "--force", cwd=plant)
    assert r.returncode == 0 and _md5(plant / "L.xlsx") != before
    assert _cli("ledger", "export", "u.yaml", "-o", "L.xlsx", "--force", cwd=plant).returncode == 0


def test_ledger_import_through_a_symlink_updates_the_file_it_points_to(plant: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(plant / "L.xlsx")
    ws = wb.worksheets[0]
    col = next(c.column for c in ws[1] if str(c.value).startswith("备注"))
    ws.cell(row=2, column=col, value="链接测试")
    wb.save(plant / "L.xlsx")
    (plant / "link.yaml").symlink_to("u.yaml")
    r = _cli("ledger", "import", "link.yaml", "L.xlsx", cwd=plant)
    assert r.returncode == 0, r.stderr
    assert (plant / "link.yaml").is_symlink()
    assert "链接测试" in (plant / "u.yaml").read_text(encoding="utf-8")


def test_os_refusals_in_chinese_never_show_the_system_text(plant: Path) -> None:
    r = _cli("ledger", "export", "u.yaml", "-o", "/proc/x.xlsx", cwd=plant)
    assert r.returncode == 2
    assert "No such file" not in r.stderr and "无法写入" in r.stderr
    zh, en = os_reason(OSError(errno.ENOENT, "No such file or directory"))
    assert zh == "文件或文件夹不存在" and en == "no such file or folder"
    assert "Permission" not in os_issue(OSError(errno.EACCES, "Permission denied", "x")).message("zh")
    assert "配额" in os_reason(OSError(errno.EDQUOT, "Disk quota exceeded"))[0]
