"""The plan's report section shows the figures the text shows (s10 #17): the streams' sum at risk
in yuan and the tonnes at risk after plan (b)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml
from plan_units import coal_unit
from typer.testing import CliRunner

from tanjiliang.cli.app import app


def test_html_has_the_sum_in_yuan_and_the_at_risk_after_plan_b(tmp_path: Path) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(yaml.safe_dump(coal_unit(), allow_unicode=True), encoding="utf-8")
    args = ["plan", str(f), "--as-of", "2025-12-01", "--budget", "50000"]
    text = CliRunner().invoke(app, args)
    assert text.exit_code == 0, text.output
    total = re.search(r"各源流风险排放量之和（完全相关上限）: ([\d,.]+ t · [\d,.]+ 元)", text.output)
    after = re.search(r"实施后各源流风险排放量之和: ([\d,.]+ t)", text.output)
    assert total and after, text.output
    out = tmp_path / "plan.html"
    assert CliRunner().invoke(app, [*args, "-o", str(out)]).exit_code == 0
    page = html.unescape(re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8")))
    assert total.group(1) in page and after.group(1) in page
