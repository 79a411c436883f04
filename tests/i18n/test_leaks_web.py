"""Issue 13 "nothing leaks", web: every page for each role (enterprise, reviewer, regulator,
administrator, and the login page for nobody), over the demo data (the four examples, a
submitted self-inspection, an open review, an upload of readings), in Chinese and in English.
A Chinese page shows no Latin word the user did not write (allowlist in leaks.py); an English
page no Chinese the user did not write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from leaks import UserWords, html_text, leaks, report

from tanjiliang.web.core import models as m

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*/unit.yaml"))
SECTIONS = ("subunits", "equipment", "emission_points", "source_streams")


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from tanjiliang.web.core.demo import seed
    from tanjiliang.web.review.demo import seed_self_inspections

    seed(EXAMPLES)
    seed_self_inspections()
    from tanjiliang.web.month.demo import seed_months

    seed_months()  # filed months (the months page shows their versions)
    from tanjiliang.web.month.demo import FILINGS
    reviewer = User.objects.get(username="shencha")
    unit = m.Unit.objects.filter(reviewers=reviewer).order_by("pk").first()
    c = Client()
    c.force_login(reviewer)
    c.post(reverse("review-open", args=[unit.pk]))
    owner = m.Profile.objects.filter(enterprise=unit.enterprise).first().user
    c.force_login(owner)
    ins = unit.instruments.filter(type__endswith="scale").order_by("position").first()
    rows = ["instrument,time,value,unit,kind"]
    rows += [f"{ins.ident},2025-02-{d:02d}T08:00:00,{300 + d},t,amount" for d in range(1, 29)]
    rows.append(f"{ins.ident},2025-02-10T08:00:00,-5,t,amount")
    c.post(reverse("readings-upload", args=[unit.pk]),
           {"file": SimpleUploadedFile("readings.csv", ("\n".join(rows) + "\n").encode())})
    typed = _changes_and_findings(unit, owner, reviewer)
    words = UserWords(typed)
    words.add(reason for _m, _at, reason in FILINGS if reason)  # a correction's reason, typed
    for path in EXAMPLES:
        words.add(UserWords.of_unit(path).texts)
    from tanjiliang.web.review.demo import REASON

    # what users typed in the demo: file names, a password, the enterprise's reason
    words.add(["readings.csv", "demo1234", "unit.yaml", REASON])
    words.add(e.name for e in m.Enterprise.objects.all())
    words.add(e.region for e in m.Enterprise.objects.all())
    words.add(u.username for u in User.objects.all())
    words.add(u.get_full_name() for u in User.objects.all())
    # an API token and a locked-out login for the admin's lists (what they hold was typed)
    from axes.models import AccessAttempt

    from tanjiliang.web.core.api import issue_token

    issue_token(User.objects.get(username="admin"))
    AccessAttempt.objects.create(username="qiye4", ip_address="127.0.0.1", user_agent="Mozilla/5.0",
                                 path_info="/login/", failures_since_start=9, get_data="",
                                 post_data="", http_accept="text/html")
    words.add(["Mozilla/5.0", "/login/", "text/html", "<unknown>"])
    return {"words": words, "unit": unit}


#: What the demo's users type below (notes, a non-conformity's answer, the verification).
TYPED = ["备注甲", "张工", "原因甲", "措施乙", "验证丙", "现场查阅文件，符合要求"]


def _changes_and_findings(unit: m.Unit, owner: Any, reviewer: Any) -> list[str]:
    """Changes whose history shows nested values (a note, a confirmation record, a source
    stream's parameters with their source) and a review with non-conformities answered and
    closed (probe s10 #12a/#12c: the history, the 409 page and the review page in words)."""
    from tanjiliang.web.core.changes import apply_change
    from tanjiliang.web.review.models import ReviewRecord

    c = Client()
    c.force_login(owner)
    ins = unit.instruments.order_by("position").first()
    edit = reverse("instrument-edit", args=[unit.pk, ins.pk])
    form = _post_fields(c.get(reverse("instrument", args=[unit.pk, ins.pk])).content.decode(), edit)
    assert c.post(edit, {**form, "notes": TYPED[0]}).status_code == 302
    r = c.post(reverse("confirmation-add", args=[unit.pk, ins.pk]),
               {"date": "2025-07-01", "kind": "verification", "result": "pass"})
    assert r.status_code == 302, r.content.decode()[:2000]

    def measured(d: dict[str, Any]) -> None:  # a parameter given with its source
        for s in d["source_streams"]:
            params = s.get("parameters") or {}
            for name, v in params.items():
                if isinstance(v, str):
                    params[name] = {"value": v, "source": "measured"}
                    return

    apply_change(unit, owner, measured, action="edit", zh="修改源流参数", en="stream parameters changed")
    rev = Client()
    rev.force_login(reviewer)
    rec = ReviewRecord.objects.get(unit=unit, kind="review")
    rev.post(reverse("review-pending", args=[unit.pk, rec.pk]), {"reason": TYPED[5]})
    rev.post(reverse("review-issue", args=[unit.pk, rec.pk]), {"owner": TYPED[1]})
    c.post(reverse("review-action", args=[unit.pk, rec.pk, "NC-01", "answer"]),
           {"cause": TYPED[2], "correction": TYPED[3]})
    rev.post(reverse("review-action", args=[unit.pk, rec.pk, "NC-01", "close"]),
             {"verification": TYPED[4]})
    rec.refresh_from_db()
    assert rec.content["nonconformities"], "the demo review has non-conformities to show"
    return TYPED


def _post_fields(html: str, action: str) -> dict[str, str]:
    """The text fields of the POST form with ``action`` (enough to save it unchanged)."""
    import re

    form = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', html, re.S)
    assert form, action
    out = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(1)))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form.group(1), re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body) or re.search(
            r'<option value="([^"]*)"', body)
        out[name] = chosen.group(1) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form.group(1), re.S):
        out[name] = text
    return out


def _unit_urls(unit: m.Unit) -> list[str]:
    pk = unit.pk
    urls = [reverse(n, args=[pk]) for n in (
        "unit-dashboard", "unit-edit", "unit-edit-info", "ledger", "instrument-new", "calendar",
        "assessment", "report-inline", "readings", "readings-upload", "history", "review-list",
        "months")]
    urls += [reverse("unit-item-new", args=[pk, s]) for s in SECTIONS]
    urls += [reverse("unit-item", args=[pk, s, 0]) for s in SECTIONS]
    for ins in unit.instruments.order_by("position")[:3]:
        urls += [reverse("instrument", args=[pk, ins.pk]), reverse("instrument-edit", args=[pk, ins.pk])]
    urls += [reverse("review-detail", args=[pk, r.pk]) for r in unit.review_records.all()] \
        if hasattr(unit, "review_records") else []
    urls += [reverse("readings-report", args=[pk, r.pk]) for r in m.ReadingsUpload.objects.filter(unit=unit)]
    return urls


def _review_urls(unit: m.Unit) -> list[str]:
    from tanjiliang.web.review.models import ReviewRecord

    return [reverse("review-detail", args=[unit.pk, r.pk])
            for r in ReviewRecord.objects.filter(unit=unit)]


def _pages(username: str, lang: str = "zh") -> list[str]:
    from django.contrib.auth.models import User

    user = User.objects.get(username=username)
    urls = [reverse("unit-list"), reverse("unit-new"), reverse("unit-import-new"),
            reverse("review-mine"), reverse("overview"), "/no-such-page/"]
    units = list(m.Unit.objects.all().order_by("pk"))
    if lang != "zh":  # English: the pages of two units (time); Chinese: every unit
        units = units[:2]
    for unit in units:
        urls += _unit_urls(unit) + _review_urls(unit)
        urls.append(reverse("plan", args=[unit.pk]))  # cited documents in the page's language
    if lang != "zh":  # the months page of the unit with filed months
        from tanjiliang.web.month.models import MonthFiling

        urls += [reverse("months", args=[pk]) for pk in
                 MonthFiling.objects.values_list("unit_id", flat=True).distinct()]
        if unit.enterprise.credit_code:
            urls.append(reverse("overview-unit", args=[unit.enterprise.credit_code]))
    if username == "shencha":
        urls.append(reverse("signing-key"))
    if user.is_superuser:
        urls += ["/admin/", "/admin/auth/user/", f"/admin/auth/user/{user.pk}/change/",
                 "/admin/auth/user/add/", "/admin/auth/group/add/"]
        urls += [f"/admin/core/{name}/" for name in ("unit", "enterprise", "profile", "instrument",
                                                      "apitoken", "historyentry")]
        urls += ["/admin/axes/accessattempt/", "/admin/axes/accesslog/"]
        urls += [f"/admin/core/historyentry/{e.pk}/change/"
                 for e in m.HistoryEntry.objects.order_by("-id")[:3]]
        urls += [f"/admin/core/apitoken/{t.pk}/change/" for t in m.ApiToken.objects.all()[:1]]
    return urls


ROLES = ("qiye1", "shencha", "jianguan", "admin")


@pytest.mark.parametrize("lang", ("zh", "en"))
@pytest.mark.parametrize("username", ROLES)
def test_pages_do_not_leak(demo: dict[str, Any], username: str, lang: str) -> None:
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get("/?lang=" + lang)
    found: list[str] = []
    seen = set()
    for url in _pages(username, lang):
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        if r.status_code in (301, 302):
            continue
        if "text/html" not in r.get("Content-Type", ""):
            continue
        found += report(f"{username} {url} [{r.status_code}]",
                        leaks(html_text(r.content.decode()), lang, demo["words"]))
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_login_page_does_not_leak(demo: dict[str, Any], lang: str) -> None:
    r = Client().get(reverse("login") + "?lang=" + lang)
    assert not leaks(html_text(r.content.decode()), lang, demo["words"])


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_conflict_page_does_not_leak(demo: dict[str, Any], lang: str) -> None:
    """The 409 page (another user saved first): their changes and what I entered in words —
    the instrument type by its name, field labels, no key path, no Python dict (probe s10
    #12a)."""
    unit = demo["unit"]
    owner = m.Profile.objects.filter(enterprise=unit.enterprise).first().user
    me, other = Client(), Client()
    me.force_login(owner)
    other.force_login(owner)
    me.get("/?lang=" + lang)
    ins = unit.instruments.order_by("position").first()
    shown = reverse("instrument", args=[unit.pk, ins.pk])
    edit = reverse("instrument-edit", args=[unit.pk, ins.pk])
    mine = _post_fields(me.get(shown).content.decode(), edit)
    theirs = _post_fields(other.get(shown).content.decode(), edit)
    assert other.post(edit, {**theirs, "notes": "备注乙"}).status_code == 302
    other.post(reverse("confirmation-add", args=[unit.pk, ins.pk]),
               {"date": "2025-08-01", "kind": "calibration", "result": "pass"})
    r = me.post(edit, {**mine, "notes": "备注丙"})
    assert r.status_code == 409
    text = html_text(r.content.decode())
    words = UserWords([*demo["words"].texts, "备注乙", "备注丙"])
    assert not leaks(text, lang, words), leaks(text, lang, words)
    assert "instruments[" not in text and "{'" not in text and "[{" not in text
    assert ins.type not in text.split()  # the type by its name, not its code
    assert owner.username not in text.split()  # the other user by name and organisation
