"""The web test suite again on PostgreSQL (issue 5 §6); see tests/postgres_rerun.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from postgres_rerun import part_of, rerun_on_postgresql

HERE = Path(__file__).parent
PARTS = 2


# schemathesis exercises the API layer, which is the same on both databases. (Until the ninth
# session it was meant to be deselected by an absolute path, which matched no test id, so it
# ran on PostgreSQL too: 50 of the rerun's 65 s in its part.)
LEAVE_OUT = ("test_schemathesis.py",)


@pytest.mark.postgres
@pytest.mark.parametrize("part", range(PARTS))
def test_web_suite_on_postgresql(part: int) -> None:
    """In ``PARTS`` parts, each on its own throwaway database, so that the suite's two workers
    share what was the longest test of the suite."""
    rerun_on_postgresql(HERE, leave_out=LEAVE_OUT, part=(part, PARTS))


def test_the_parts_cover_the_folder_once() -> None:
    every = sorted(str(f) for f in HERE.glob("test_*.py") if f.name not in LEAVE_OUT)
    parts = [part_of(HERE, i, PARTS, LEAVE_OUT) for i in range(PARTS)]
    assert sorted(f for p in parts for f in p) == every
    assert all(parts)
