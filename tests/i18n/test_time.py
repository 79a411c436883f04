"""Issue 13 §5: times are shown in the configured zone (Asia/Shanghai unless
TANJILIANG_TIME_ZONE says otherwise), e.g. on the review report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tanjiliang.i18n import local_time


def test_review_times_in_shanghai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANJILIANG_TIME_ZONE", raising=False)
    signed = datetime(2026, 12, 2, 7, 15, tzinfo=UTC)
    assert local_time(signed) == "2026-12-02 15:15"  # the page's 15:15, not UTC's 07:15
    assert local_time(datetime(2026, 12, 2, 7, 15)) == "2026-12-02 15:15"  # stored naive = UTC
    monkeypatch.setenv("TANJILIANG_TIME_ZONE", "UTC")
    assert local_time(signed) == "2026-12-02 07:15"
