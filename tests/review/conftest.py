"""Fixtures of the review tests (helpers in review_fixtures.py)."""

from __future__ import annotations

import pytest

from tanjiliang.review.checklist import load_checklist
from tanjiliang.review.model import Actor


@pytest.fixture
def checklist():
    return load_checklist("henan-2025-draft")


@pytest.fixture
def reviewer():
    return Actor(role="reviewer", user="li", name="李审查")


@pytest.fixture
def enterprise():
    return Actor(role="enterprise", user="zhang", name="张工")


@pytest.fixture
def regulator():
    return Actor(role="regulator", user="gov")
