"""Documents the uncertainty table titles in English are named by their Chinese titles on
Chinese pages (the plan page showed "2006 IPCC Guidelines for National Greenhouse Gas
Inventories" among Chinese text), and keep their English title on English pages."""

from __future__ import annotations

import re

import yaml

from tanjiliang.plan.words import ZH_TITLES, source_title


def test_every_english_titled_source_has_its_chinese_title() -> None:
    from importlib import resources

    text = (resources.files("tanjiliang.plan") / "data" / "uncertainty.yaml").read_text(encoding="utf-8")
    sources = {s["id"]: s["title"] for s in yaml.safe_load(text)["sources"]}
    for sid, title in sources.items():
        if sid == "tanjiliang" or re.search(r"[\u4e00-\u9fff]", title):
            continue  # our own assumption is worded by the catalogue; Chinese titles stay
        zh = source_title(sid, title, "zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and "Guidelines" not in zh and "Regulation" not in zh, (sid, zh)
        assert source_title(sid, title, "en") == title
        assert ZH_TITLES[sid][0] == title  # the table's title as written: a new edition is noticed
