"""Saving a unit assesses it once: the overview row's assessment also fills the page cache."""

from __future__ import annotations

from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import apply_change


def test_a_saved_change_is_assessed_once(rw, django_capture_on_commit_callbacks, monkeypatch) -> None:
    import tanjiliang.web.core.assessing as assessing

    calls = []
    real = assessing.check  # the one door (issue 11)
    monkeypatch.setattr(assessing, "check", lambda *a, **k: calls.append(1) or real(*a, **k))

    def rename(d):
        d["unit"]["name"] = "企业A（更名）"

    with django_capture_on_commit_callbacks(execute=True):
        unit = apply_change(rw.unit, rw.a, rename, action="edit", zh="更名", en="renamed")
    assert m.AssessmentCache.objects.filter(unit=unit, revision=unit.revision).exists()
    assessing._MEMO.clear()
    assessing.assessment_json(unit)  # the dashboard: read from the cache, not assessed again
    assert len(calls) == 1
