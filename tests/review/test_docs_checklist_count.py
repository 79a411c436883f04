"""The README and docs/review.md say how many items the default checklist has (probe s10 web:
they said 31 while the checklist held 35)."""

from __future__ import annotations

import re
from pathlib import Path

from tanjiliang.review.checklist import load_checklist

ROOT = Path(__file__).resolve().parents[2]


def test_the_docs_count_the_checklist_items() -> None:
    n = len(list(load_checklist("henan-2025-draft").checklist.items()))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    review = (ROOT / "docs" / "review.md").read_text(encoding="utf-8")
    assert re.search(r"henan-2025-draft\.yaml`, (\d+) items", readme)[1] == str(n)
    assert re.search(r"verification report\. (\d+) items\.", review)[1] == str(n)
