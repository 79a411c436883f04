"""Tests of issue 13 (words): the leak detector lives in leaks.py. The web pages are rendered
with ``tanjiliang.web.settings_test`` (SQLite in memory)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings_test")

import django

django.setup()
