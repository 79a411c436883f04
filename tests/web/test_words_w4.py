"""Pages show codes in words, in one language (probe s10 #12a/#12c/#12d): the history page and
the 409 "someone else changed it" page name fields by their labels, instrument types and
enumerations in words and nested values as ``label value`` lists (never ``instruments[W-01].notes``
or a Python ``{…}``); people by full name and organisation; the admin's history and API-token
lists with Chinese column titles; the review's non-conformity facts with the finding in words.
SQLite here, PostgreSQL through test_postgres.py."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from typing import Any

from django.urls import reverse
from test_concurrency import post_forms

from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import apply_change

_TAGS = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(_TAGS.sub(" ", body)).split())


def _named(world: Any) -> None:
    world.a.first_name = "张三"
    world.a.save()


def _changes(world: Any) -> None:
    """A note, a confirmation record and a stream parameter given with its source."""
    c = world.client(world.a)
    unit, ins = world.unit_a, world.ins_a
    edit = reverse("instrument-edit", args=[unit.pk, ins.pk])
    form = post_forms(c.get(reverse("instrument", args=[unit.pk, ins.pk])).content.decode())[edit]
    assert c.post(edit, {**form, "notes": "备注甲"}).status_code == 302
    r = c.post(reverse("confirmation-add", args=[unit.pk, ins.pk]),
               {"date": "2025-07-01", "kind": "verification", "result": "pass"})
    assert r.status_code == 302

    def measured(d: dict[str, Any]) -> None:
        d["source_streams"][0]["parameters"]["ncv"] = {"value": "22.35 GJ/t", "source": "measured"}

    apply_change(unit, world.a, measured, action="edit", zh="修改源流参数", en="stream changed")


def test_history_page_shows_changes_in_words(world: Any) -> None:
    _named(world)
    _changes(world)
    c = world.client(world.a)
    url = reverse("history", args=[world.unit_a.pk])
    zh = _text(c.get(url + "?lang=zh").content.decode())
    assert "计量器具 W-01 · 备注" in zh and "计量器具 W-01 · 确认记录" in zh
    assert "确认日期 2025-07-01，确认方式 检定，结论 合格" in zh
    assert "源流 coal · 参数" in zh and "22.35 GJ/t（实测值）" in zh
    assert "张三（企业A）" in zh
    en = _text(c.get(url + "?lang=en").content.decode())
    assert "Instruments W-01 · Notes" in en and "Date 2025-07-01, Kind Verification, Result Pass" in en
    assert "22.35 GJ/t (Measured)" in en and "张三 (企业A)" in en
    for text in (zh, en):
        assert "instruments[" not in text and "source_streams[" not in text
        assert "{'" not in text and "[{" not in text and "'source'" not in text


def test_conflict_page_shows_their_change_and_my_entries_in_words(world: Any) -> None:
    _named(world)
    from web_fixtures import make_user

    other = make_user("a2", m.ROLE_ENTERPRISE, enterprise=world.ent_a)
    other.first_name = "李四"
    other.save()
    unit, ins = world.unit_a, world.ins_a
    shown = reverse("instrument", args=[unit.pk, ins.pk])
    edit = reverse("instrument-edit", args=[unit.pk, ins.pk])
    for lang, want in (("zh", ("器具类型", "轨道衡", "计量器具 W-01 · 备注", "李四（企业A）")),
                       ("en", ("Type", "Notes", "Instruments W-01 · Notes", "李四 (企业A)"))):
        me, them = world.client(world.a), world.client(other)
        me.get("/?lang=" + lang)
        mine = post_forms(me.get(shown).content.decode())[edit]
        theirs = post_forms(them.get(shown).content.decode())[edit]
        assert them.post(edit, {**theirs, "notes": f"备注{lang}"}).status_code == 302
        r = me.post(edit, {**mine, "notes": "我的备注"})
        assert r.status_code == 409
        text = _text(r.content.decode())
        for w in want:
            assert w in text, (lang, w)
        assert "rail_scale" not in text and "instruments[" not in text, lang
        assert " a2 " not in f" {text} ", lang  # the other user by name, not login


def test_conflict_page_names_the_pack_by_its_title(world: Any) -> None:
    from tanjiliang.model.unit import UnitFile
    from tanjiliang.web.core.change_words import field_word

    assert field_word(UnitFile, "pack", "cn-ets-2024", "zh", {}) != "cn-ets-2024"
    assert field_word(UnitFile, "pack", "cn-ets-2024", "en", {}) != "cn-ets-2024"


def test_non_conformity_facts_name_the_finding_in_words() -> None:
    from tanjiliang.review.auto import counted, fact_line

    by = Counter({"EQ-RATE": 1})
    assert counted(by, "zh") == ["EQ-RATE 计量器具配备率低于要求 1项"]
    assert counted(by, "en") == ["EQ-RATE equipping rate below the requirement ×1"]
    line = fact_line("process_material/3", "配备率 0 %", "henan-2025-draft", "zh")
    assert "process_material" not in line and line.endswith("：配备率 0 %")
    # the subject left out where the message names it already
    assert fact_line("W-03", "器具 W-03 超差", None, "zh") == "器具 W-03 超差"


def test_admin_history_and_token_lists_in_chinese(world: Any) -> None:
    from tanjiliang.web.core.api import issue_token

    issue_token(world.admin)
    c = world.client(world.admin)
    c.get("/?lang=zh")
    tokens = _text(c.get("/admin/core/apitoken/").content.decode())
    for w in ("用户", "名称", "创建时间", "最近使用"):
        assert w in tokens
    assert "Last used" not in tokens and "Created" not in tokens
    history = _text(c.get("/admin/core/historyentry/").content.decode())
    for w in ("时间", "单位名称", "用户", "操作", "内容", "创建"):
        assert w in history
    assert "Unit name" not in history and "Username" not in history and " Zh " not in history
    assert "登录保护" in _text(c.get("/admin/").content.decode())
    assert "After you" not in _text(c.get("/admin/auth/user/add/").content.decode())
    group = _text(c.get("/admin/auth/group/add/").content.decode())
    assert "Can add" not in group and "重点排放单位 | 新增" in group
    c.get("/?lang=en")
    group = _text(c.get("/admin/auth/group/add/").content.decode())
    assert "令牌" not in group and "API token | add" in group


def test_what_i_entered_is_labelled_in_words(world: Any) -> None:
    """The 409 page's "what you entered": a stream's parameter fields by their labels, the
    instrument type and the pack by their names, enumerations in words."""
    from django.test import RequestFactory

    from tanjiliang.web.core.concurrency import _entered

    post = {"type": "rail_scale", "pack": "cn-ets-2024", "parameters.ncv": "22 GJ/t",
            "parameters.ncv.source": "measured", "confirmation": "verification", "revision": "1"}
    from django.utils import translation

    request = RequestFactory().post("/", post)
    with translation.override("zh-hans"):
        zh = dict(_entered(request, world.unit_a, "zh"))
    assert "轨道衡" in zh["器具类型"] and zh["检定/校准"] == "检定"
    assert zh["参数 · 低位发热量"] == "22 GJ/t" and zh["参数 · 低位发热量 · 来源"] == "实测值"
    assert zh["规则包"] != "cn-ets-2024"
    with translation.override("en"):
        en = dict(_entered(request, world.unit_a, "en"))
    assert en["Type"] != "rail_scale" and en["Parameters · Net calorific value · Source"] == "Measured"
