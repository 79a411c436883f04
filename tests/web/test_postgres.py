"""The web test suite again on PostgreSQL (issue 5 §6); see tests/postgres_rerun.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from postgres_rerun import rerun_on_postgresql

HERE = Path(__file__).parent


@pytest.mark.postgres
def test_web_suite_on_postgresql() -> None:
    # schemathesis exercises the API layer, which is the same on both databases
    rerun_on_postgresql(HERE, "--deselect", str(HERE / "test_schemathesis.py"))
