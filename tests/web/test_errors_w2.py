"""Server errors and error messages on the web pages (probe s10 #3, #6, #12b, #13): a bad
value is a 400 with the error in the page's language, never a 500; error pages speak one
language. DB-agnostic (rerun on PostgreSQL by test_postgres.py)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

HAN = re.compile(r"[\u4e00-\u9fff]")


def _text(html: str) -> str:
    """The words of a page (no tags, scripts or styles)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _info(world: Any) -> dict[str, str]:
    from tanjiliang.web.core.mapping import unit_data

    u = unit_data(world.unit_a)["unit"]
    return {"name": u["name"], "credit_code": u.get("credit_code") or "", "sector": u["sector"],
            "region": u.get("region") or "", "year": str(u["year"])}


# ------------------------------------------------------------------ #3 单位信息 form

@pytest.mark.parametrize(("field", "value", "zh", "en"), [
    ("year", "abc", "整数", "whole number"),
    ("year", "２０２５", "整数", "whole number"),
    ("name", "", "", ""),
    ("credit_code", "123", "18", "18"),
])
def test_unit_info_form_refuses_a_bad_value_with_400_next_to_the_field(
        world: Any, field: str, value: str, zh: str, en: str) -> None:
    url = reverse("unit-edit-info", args=[world.unit_a.pk])
    client = world.client(world.a)
    before = world.unit_a.revision
    for lang, words in (("zh", zh), ("en", en)):
        post = {**_info(world), field: value}
        if field != "name":
            post["name"] = f"改名后的单位 {lang}"  # the other input typed is kept too
        r = client.post(url + f"?lang={lang}", post)
        assert r.status_code == 400, r.status_code
        html = r.content.decode()
        m = re.search(rf'data-field="{field}".*?</label>', html, re.S)
        assert m and 'class="err"' in m.group(0), html[:3000]
        assert words in m.group(0)
        assert f'value="{value}"' in m.group(0) or value == ""
        if field != "name":
            assert f"改名后的单位 {lang}" in html
        if lang == "en":
            assert not HAN.search(re.sub(r"改名后的单位|" + re.escape(world.unit_a.name), "",
                                         _text(m.group(0))))
    world.unit_a.refresh_from_db()
    assert world.unit_a.revision == before


def test_unit_info_form_keeps_the_chosen_pack_on_error(world: Any) -> None:
    url = reverse("unit-edit-info", args=[world.unit_a.pk])
    r = world.client(world.a).post(url, {**_info(world), "year": "abc", "gwp": "AR4",
                                         "pack": "cn-ets-2024"})
    html = r.content.decode()
    assert r.status_code == 400
    assert '<option value="cn-ets-2024" selected>' in html and "<option selected>AR4" in html


# ------------------------------------------------------------------ #6 unit list filters

@pytest.mark.parametrize("year", ["abc", "2025abc", "２０２５", "99999999999999999999", "-1"])
def test_unit_list_ignores_a_year_that_is_not_a_year(world: Any, year: str) -> None:
    client = world.client(world.a)
    r = client.get(reverse("unit-list"), {"year": year})
    assert r.status_code == 200
    assert world.unit_a.name in r.content.decode()  # no filter, as on the overview
    r = client.get(reverse("unit-list"), {"year": str(world.unit_a.year)})
    assert r.status_code == 200 and world.unit_a.name in r.content.decode()
    r = client.get(reverse("unit-list"), {"year": str(world.unit_a.year + 1)})
    assert r.status_code == 200 and world.unit_a.name not in r.content.decode()


# ------------------------------------------------------------------ #12b one language per error page

def _one_language(html: str, lang: str, zh: str, en: str) -> None:
    text = _text(html)
    if lang == "zh":
        assert zh in text and en not in text, text[:600]
    else:
        assert en in text and zh not in text, text[:600]
        assert not HAN.search(text.replace("中文", "").replace("碳", "")), text[:600]  # link, logo


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_500_page_speaks_the_users_language(world: Any, monkeypatch: Any, lang: str) -> None:
    from tanjiliang.web.core.views import units

    def boom(*a: Any, **k: Any) -> Any:
        raise RuntimeError("broken")

    monkeypatch.setattr(units, "summaries", boom)
    client = world.client(world.a)
    client.raise_request_exception = False
    client.cookies["tj_lang"] = lang
    r = client.get(reverse("unit-list"))
    assert r.status_code == 500
    html = r.content.decode()
    _one_language(html, lang, "服务器内部错误", "Server error")
    assert "返回 / Back" not in html and "broken" not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_csrf_failure_is_our_page_without_debug_advice(world: Any, lang: str) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a)
    r = client.post(reverse("unit-edit-info", args=[world.unit_a.pk]) + f"?lang={lang}",
                    _info(world))
    assert r.status_code == 403
    html = r.content.decode()
    assert "DEBUG" not in html and "Forbidden" not in html and "CSRF" not in _text(html)
    _one_language(html, lang, "页面已过期，未保存", "The page has expired; nothing was saved")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_audit_check_refuses_an_enterprise_user_in_one_language(world: Any, lang: str) -> None:
    r = world.client(world.a).get(reverse("audit-check") + f"?lang={lang}")
    assert r.status_code == 403
    _one_language(r.content.decode(), lang, "仅监管部门和管理员可以查看审计校验",
                  "Only regulators and administrators can see the audit check")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_nul_character_is_refused_on_a_page_in_one_language(world: Any, lang: str) -> None:
    client = world.client(world.a)
    client.cookies["tj_lang"] = lang
    r = client.get(reverse("ledger", args=[world.unit_a.pk]) + "?q=%00")
    assert r.status_code == 400
    _one_language(r.content.decode(), lang, "文本中不能含有 NUL 字符",
                  "Text must not contain a NUL character")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_stream_shares_error_is_in_the_pages_language(world: Any, lang: str) -> None:
    from tanjiliang.web.core.mapping import unit_data

    eq = [e["id"] for e in unit_data(world.unit_a).get("equipment", [])]
    assert len(eq) >= 2
    r = world.client(world.a).post(
        reverse("unit-item-new", args=[world.unit_a.pk, "source_streams"]) + f"?lang={lang}",
        {"name": "新源流", "kind": "combustion", "material": "natural_gas",
         "activity.number": "152", "activity.unit": "万Nm3", "consumers." + eq[0]: "1",
         f"consumers.{eq[0]}.share": "0.6", "consumers." + eq[1]: "1",
         f"consumers.{eq[1]}.share": "0.5"})
    assert r.status_code == 400
    html = r.content.decode()
    zh, en = "各份额之和应为 1，实为 1.1", "the shares add up to 1.1, not 1"
    assert (zh if lang == "zh" else en) in html
    assert (en if lang == "zh" else zh) not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_get_of_a_post_only_address_is_a_page_not_an_empty_405(world: Any, lang: str) -> None:
    r = world.client(world.a).get(reverse("unit-delete", args=[world.unit_a.pk]) + f"?lang={lang}")
    assert r.status_code == 405 and r["Allow"] == "POST"
    _one_language(r.content.decode(), lang, "此地址只接受表单提交",
                  "This address only takes a submitted form")


# ------------------------------------------------------------------ #13 messages in the page's words

KEY_PATH = re.compile(r"\b(subunits|equipment|emission_points|source_streams|instruments)\[\d")


def _clean(html: str, lang: str) -> str:
    text = _text(html)
    assert "None" not in text and not KEY_PATH.search(text), text[:1500]
    assert "this file" not in text and "本文件" not in text
    return text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_duplicate_id_names_no_line_none_and_no_key_path(world: Any, lang: str) -> None:
    from test_wizard import new_unit

    client = world.client(world.a)
    unit = new_unit(client)
    r = client.post(reverse("wizard-subunits", args=[unit.pk]) + f"?lang={lang}",
                    {"r0-id": "G1", "r0-name": "一号车间", "r1-id": "G1", "r1-name": "二号车间"})
    assert r.status_code == 400
    text = _clean(r.content.decode(), lang)
    assert ("编号“G1”重复" if lang == "zh" else 'duplicate id "G1"') in text
    assert ("次级单位第 1 项" if lang == "zh" else "Sub-units, item 1") in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_removing_a_sub_unit_still_in_use_names_its_users(world: Any, lang: str) -> None:
    from test_wizard import boiler_house

    client = world.client(world.a)
    unit = boiler_house(client)
    before = m_revision(unit)
    r = client.post(reverse("wizard-subunits", args=[unit.pk]) + f"?lang={lang}",
                    {"r0-_orig": "G1", "r0-id": "G1", "r0-name": "锅炉房", "r0-_delete": "1"})
    assert r.status_code == 400
    text = _clean(r.content.decode(), lang)
    if lang == "zh":
        assert "次级单位 G1（锅炉房）仍被使用，未删除" in text
        assert "排放设施 E1（1号锅炉）" in text and "排放设施 E2（2号锅炉）" in text
    else:
        assert "Sub-units G1 (锅炉房) is still in use and was not removed" in text
        assert "Equipment E1 (1号锅炉)" in text
    assert 'value="锅炉房"' in r.content.decode()  # the row stays on the page
    assert m_revision(unit) == before
    # the editor's delete says the same
    r = client.post(reverse("unit-item-delete", args=[unit.pk, "subunits", 0]) + f"?lang={lang}")
    assert r.status_code == 400 and "E1" in _clean(r.content.decode(), lang)


def m_revision(unit: Any) -> int:
    unit.refresh_from_db()
    return int(unit.revision)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_monthly_filing_errors_name_the_forms_fields_not_options(world: Any, lang: str) -> None:
    from tanjiliang.web.core.mapping import unit_data

    unit = world.unit_a
    stream = unit_data(unit)["source_streams"][0]["id"]
    url = reverse("months-file", args=[unit.pk, f"{unit.year}-03"]) + f"?lang={lang}"
    r = world.client(world.a).post(url, {"activity": f"{stream}=100 t"})
    assert r.status_code == 400
    text = _text(r.content.decode())
    assert "--" not in text and "evidence)" not in text, text[:1500]
    assert ("须附证据文件：请在“证据文件”中选择文件" if lang == "zh"
            else "choose the files under “Evidence files”") in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_negative_activity_is_explained_in_the_forms_words(world: Any, lang: str) -> None:
    r = world.client(world.a).post(
        reverse("unit-item-new", args=[world.unit_a.pk, "source_streams"]) + f"?lang={lang}",
        {"name": "外购电", "kind": "electricity", "activity.number": "-5",
         "activity.unit": "MWh"})
    assert r.status_code == 400
    text = _clean(r.content.decode(), lang)
    assert "direction" not in text.replace("Direction", "")
    assert ("在“流向”中选“输出”" if lang == "zh" else "choose “Out” under Direction") in text


def test_the_management_form_keeps_the_typed_retention(world: Any) -> None:
    r = world.client(world.a).post(reverse("unit-management", args=[world.unit_a.pk]),
                                   {"records_retention_years": "abc"})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'name="records_retention_years" value="abc"' in html
    assert "记录保存年限“abc”不是数字" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_undoing_a_ledger_import_after_a_later_change_says_so(world: Any, lang: str) -> None:
    from tanjiliang.web.core.changes import apply_change

    unit = world.unit_a
    client = world.client(world.a)
    url = reverse("ledger-restore", args=[unit.pk]) + f"?lang={lang}"
    r = client.post(url, follow=True)
    assert ("没有可撤销的台账导入" if lang == "zh" else "no ledger import to undo") in \
        _text(r.content.decode())

    def note(text: str) -> Any:
        def mutate(d: dict[str, Any]) -> None:
            d["instruments"][0]["notes"] = text
        return mutate

    unit = apply_change(unit, world.a, note("导入"), action="ledger_import", zh="导入", en="import")
    unit = apply_change(unit, world.a, note("之后"), action="edit", zh="修改", en="edit")
    r = client.post(url, follow=True)
    text = _text(r.content.decode())
    assert (f"上次台账导入（第 {unit.revision - 1} 版）之后本单位又有修改" if lang == "zh"
            else "has been followed by other changes") in text, text[:1500]
