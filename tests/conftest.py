"""Shared fixtures (the unit-file builders live in unit_builders.py)."""

from __future__ import annotations

import pathlib

import pytest


@pytest.fixture
def spec_example_path() -> str:
    return str(pathlib.Path(__file__).parent / "data" / "spec-example.yaml")
