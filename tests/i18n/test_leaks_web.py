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
    words = UserWords()
    for path in EXAMPLES:
        words.add(UserWords.of_unit(path).texts)
    from tanjiliang.web.review.demo import REASON

    # what users typed in the demo: file names, a password, the enterprise's reason
    words.add(["readings.csv", "demo1234", "unit.yaml", REASON])
    words.add(e.name for e in m.Enterprise.objects.all())
    words.add(e.region for e in m.Enterprise.objects.all())
    words.add(u.username for u in User.objects.all())
    words.add(u.get_full_name() for u in User.objects.all())
    return {"words": words, "unit": unit}


def _unit_urls(unit: m.Unit) -> list[str]:
    pk = unit.pk
    urls = [reverse(n, args=[pk]) for n in (
        "unit-dashboard", "unit-edit", "unit-edit-info", "ledger", "instrument-new", "calendar",
        "assessment", "report-inline", "readings", "readings-upload", "history", "review-list")]
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
        if unit.enterprise.credit_code:
            urls.append(reverse("overview-unit", args=[unit.enterprise.credit_code]))
    if user.is_superuser:
        urls += ["/admin/", "/admin/auth/user/", f"/admin/auth/user/{user.pk}/change/"]
        urls += [f"/admin/core/{name}/" for name in ("unit", "enterprise", "profile", "instrument")]
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
