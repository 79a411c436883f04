"""Web tests (issue 5 §6): Django with ``tanjiliang.web.settings_test`` — SQLite in memory,
or a throwaway PostgreSQL database when ``TANJILIANG_TEST_DATABASE_URL`` is set (see
test_postgres.py, which runs this suite again that way)."""

from __future__ import annotations

import os
from typing import Any

os.environ["DJANGO_SETTINGS_MODULE"] = "tanjiliang.web.settings_test"

import django

django.setup()

import pytest  # noqa: E402
from web_fixtures import World  # noqa: E402


@pytest.fixture
def world(db: Any) -> World:
    return World()
