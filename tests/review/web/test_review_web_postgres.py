"""The review app's Django tests again on PostgreSQL; see tests/postgres_rerun.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from postgres_rerun import rerun_on_postgresql


@pytest.mark.postgres
def test_review_web_suite_on_postgresql() -> None:
    rerun_on_postgresql(Path(__file__).parent)
