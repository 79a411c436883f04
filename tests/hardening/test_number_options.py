"""Number options given nan, inf or a negative value: exit 2 naming the option, never a report
of "nan 元" or a check run with a meaningless interval (session 6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


@pytest.mark.parametrize(("option", "value"), [("--price", "nan"), ("--price", "inf"), ("--budget", "nan"),
                                               ("--budget", "-inf")])
def test_plan_refuses_non_finite_numbers(cli: Cli, option: str, value: str) -> None:
    code, out = cli("plan", SPEC, option, value)
    assert code == 2 and f"{option}: “{value}”不是有限的数值" in out and "nan 元" not in out, out
    code, out = cli("plan", SPEC, option, value, "--lang", "en")
    assert code == 2 and f'{option}: "{value}" is not a finite number' in out, out


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "0"])
def test_data_check_refuses_a_meaningless_interval(tmp_path: Path, cli: Cli, value: str) -> None:
    readings = tmp_path / "r.csv"
    readings.write_text("instrument,time,value\nW-01,2025-01-01 00:00,1\n", encoding="utf-8")
    code, out = cli("data", "check", SPEC, readings, "--interval", value)
    assert code == 2 and "--interval: “" in out and "应为大于 0 的秒数" in out, out


def test_no_readings_names_the_command_not_a_metavar(cli: Cli) -> None:
    code, out = cli("data", "check", SPEC)
    assert code == 2 and "tanjiliang data check: 请给出读数文件或 --store" in out and "READINGS" not in out, out


def test_plan_price_unit_as_chinese_practice_writes_it(cli: Cli) -> None:
    code, out = cli("plan", SPEC, "--price", "80")
    assert code == 0 and "碳价 80 元/tCO₂" in out and "tCO2 " not in out, out
