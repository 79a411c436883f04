"""Shared fixtures (the unit-file builders live in unit_builders.py)."""

from __future__ import annotations

import pathlib
from contextlib import ExitStack

import pytest


@pytest.fixture
def spec_example_path() -> str:
    return str(pathlib.Path(__file__).parent / "data" / "spec-example.yaml")


@pytest.fixture(autouse=True)
def _guarded_rows_flushable(request: pytest.FixtureRequest):
    """Transactional Django tests end with a flush (DELETE FROM every table on SQLite), which
    the triggers guarding the history and signed reviews refuse (web/core/triggers.py). Before
    that flush, delete those rows with the guards dropped for the moment, then put them back."""
    marker = request.node.get_closest_marker("django_db")
    if not ({"transactional_db", "live_server"} & set(request.fixturenames)
            or (marker is not None and marker.kwargs.get("transaction"))):
        yield
        return
    # pytest-django's database fixture (flushes in its teardown): set up first, so torn
    # down after this one.
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    from tanjiliang.web.core.triggers import GUARDS, bypassed

    with ExitStack() as stack:
        for table in dict.fromkeys(g.table for g in GUARDS):
            stack.enter_context(bypassed(connection, table))
        with connection.cursor() as cur:
            for table in dict.fromkeys(g.table for g in GUARDS):
                cur.execute(f"DELETE FROM {table}")
