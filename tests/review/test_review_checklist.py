"""The checklist as data (docs/review.md): JJF(皖)218 structure, every item judged one way,
every automatic item naming codes the pack defines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanjiliang.model.errors import LoadError
from tanjiliang.review.checklist import bundled_checklist_names, load_checklist
from tanjiliang.rules import load_pack


def test_checklist_follows_the_review_specification_chapters(checklist):
    c = checklist.checklist
    assert [s.id for s in c.sections] == ["4", "5", "6", "7", "8"]
    subs = {s.id: [x.id for x in s.subsections] for s in c.sections}
    assert subs["4"] == ["4.1", "4.2", "4.3"]  # general, organisation, procedures
    assert subs["6"] == ["6.1", "6.2", "6.3"]  # equipping, management, use
    assert subs["7"] == ["7.1", "7.2", "7.3", "7.4"]  # acquisition, processing, management, use
    for item in c.items():
        assert item.text.zh and item.text.en and item.basis.startswith("HN")
        assert item.judged in ("auto", "attested")
        assert item.status in ("V", "S", "I")


def test_checklist_auto_items_cover_every_finding_code_of_the_pack(checklist):
    pack = load_pack("henan-2025-draft").pack
    assert checklist.checklist.finding_codes() == set(pack.findings)


def test_checklist_is_bundled_for_the_default_pack():
    assert "henan-2025-draft" in bundled_checklist_names()
    assert load_checklist().name == "henan-2025-draft"


def test_checklist_unknown_pack_is_an_error_in_both_languages():
    with pytest.raises(LoadError) as e:
        load_checklist("no-such-pack")
    assert "审查检查表" in e.value.message("zh")
    assert "no review checklist" in e.value.message("en")


def test_checklist_file_with_unknown_code_names_file_and_code(tmp_path: Path):
    text = (Path(__file__).parents[2] / "src/tanjiliang/rules/checklists/henan-2025-draft.yaml"
            ).read_text(encoding="utf-8").replace("[EQ-RATE]", "[EQ-RATTE]")
    p = tmp_path / "custom.yaml"
    p.write_text(text, encoding="utf-8")
    codes = set(load_pack("henan-2025-draft").pack.findings)
    with pytest.raises(LoadError) as e:
        load_checklist(p, known_codes=codes)
    assert "EQ-RATTE" in e.value.message("en") and "custom.yaml" in e.value.message("en")


def test_checklist_bad_field_names_line_and_path(tmp_path: Path):
    text = (Path(__file__).parents[2] / "src/tanjiliang/rules/checklists/henan-2025-draft.yaml"
            ).read_text(encoding="utf-8").replace("judged: attested", "judged: maybe", 1)
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load_checklist(p)
    msg = e.value.message("en")
    assert "bad.yaml:" in msg and "judged" in msg
