"""Django tests of the review app: ``tanjiliang.web.settings_test`` (SQLite in memory, or the
throwaway PostgreSQL database of test_review_web_postgres.py)."""

from __future__ import annotations

import os
from typing import Any

os.environ["DJANGO_SETTINGS_MODULE"] = "tanjiliang.web.settings_test"

import django

django.setup()

import pytest  # noqa: E402
from review_web_fixtures import ReviewWorld  # noqa: E402


@pytest.fixture
def rw(db: Any, django_capture_on_commit_callbacks: Any) -> ReviewWorld:
    with django_capture_on_commit_callbacks(execute=True):
        return ReviewWorld()
