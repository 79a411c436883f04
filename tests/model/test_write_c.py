"""The unit file writer emits through libyaml when PyYAML has it: the text must be the one the
pure-Python emitter gives (every example, and a generated ledger with long Chinese names,
quoted numbers, dates and nested records)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tanjiliang.model import write
from tanjiliang.model.load import load_unit

ROOT = Path(__file__).resolve().parents[2]
FILES = [*sorted(ROOT.glob("examples/*/unit.yaml")), ROOT / "tests" / "data" / "spec-example.yaml"]


def _pure(monkeypatch: pytest.MonkeyPatch) -> None:
    class Pure(yaml.SafeDumper):
        pass

    class PureBlock(yaml.SafeDumper):
        pass

    Pure.add_representer(dict, write._represent_dict)
    Pure.add_representer(list, write._represent_list)
    Pure.add_representer(str, write._represent_str)
    PureBlock.add_representer(str, write._represent_str)
    monkeypatch.setattr(write, "_Dumper", Pure)
    monkeypatch.setattr(write, "_BlockDumper", PureBlock)
    monkeypatch.setattr(write, "_BaseDumper", yaml.SafeDumper)


def test_libyaml_is_used() -> None:
    assert write._BaseDumper is yaml.CSafeDumper


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_same_text_as_the_pure_emitter(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unit = load_unit(path)
    fast = write.dump_yaml(unit)
    _pure(monkeypatch)
    assert write.dump_yaml(unit) == fast


def test_same_text_on_a_generated_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from unitfile import realistic_unit  # type: ignore[import-not-found]

    from tanjiliang.model.unit import UnitFile

    data: dict[str, Any] = realistic_unit(300)
    unit = UnitFile.model_validate(data)
    fast = write.dump_yaml(unit)
    _pure(monkeypatch)
    assert write.dump_yaml(unit) == fast


def test_same_text_with_text_that_reads_as_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quoting of ``1e3``, ``y``, ``NaN``… (model/write.py) in both emitters, in flow and in
    block style."""
    unit = load_unit(ROOT / "tests" / "data" / "spec-example.yaml")
    unit.subunits[0].name, unit.subunits[-1].name = "1e3", "0o17"
    unit.instruments[0].name, unit.instruments[0].serial, unit.instruments[-1].serial = "y", "NaN", "-.5"
    fast = write.dump_yaml(unit)
    assert all(f"'{v}'" in fast for v in ("1e3", "0o17", "y", "NaN", "-.5"))
    _pure(monkeypatch)
    assert write.dump_yaml(unit) == fast
