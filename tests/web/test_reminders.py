"""Reminders (issue 14 §5): confirmations falling due and monthly filing deadlines on the
unit dashboard, and e-mailed to enterprise users through Django's e-mail backend (locmem in
tests) by ``send_reminders`` and ``tanjiliang remind``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from typer.testing import CliRunner

from tanjiliang.month.close import ZONE
from tanjiliang.web.core.assessing import assessment_json
from tanjiliang.web.month.models import MonthFiling
from tanjiliang.web.month.reminders import (
    confirmations_due,
    filings_due,
    send_reminders,
)

pytestmark = pytest.mark.django_db


def _file(unit: Any, month: str) -> None:
    MonthFiling.objects.create(unit=unit, month=month, version=1, sha256="0" * 64,
                               data={"late": False, "emissions_tco2e": 1.0, "checks": []},
                               filed_at=datetime(unit.year, 4, 5, tzinfo=ZONE))


def test_filing_deadlines_follow_the_cards(world: Any) -> None:
    unit = world.unit_a
    y = unit.year
    _file(unit, f"{y}-01")
    # 20 Mar: January filed, February to file (deadline 40 days after its last day)
    rows = filings_due(unit.pk, y, date(y, 3, 20), "zh")
    assert [(r["month"], r["state"]) for r in rows] == [(f"{y}-02", "to_file")]
    assert rows[0]["word"] == "待提交"
    # 5 May: February's deadline (9 Apr) passed, March (10 May) and April to file
    rows = filings_due(unit.pk, y, date(y, 5, 5), "en")
    assert [(r["month"], r["state"], r["word"]) for r in rows] == [
        (f"{y}-02", "overdue", "overdue"), (f"{y}-03", "to_file", "to file"),
        (f"{y}-04", "to_file", "to file")]


def test_confirmations_due_soon_or_overdue_from_the_assessment(world: Any) -> None:
    unit = world.unit_a
    data = assessment_json(unit, date(2030, 6, 30))
    rows = confirmations_due(data, "zh")
    states = {i["id"]: i["calibration_status"] for i in data["instruments"]}
    assert {r["id"] for r in rows} == {k for k, s in states.items() if s in ("due_soon", "overdue")}
    assert rows and all(r["word"] in ("即将到期", "已过期") for r in rows)
    assert confirmations_due(None, "zh") == []


@override_settings(AS_OF="2030-06-30")
def test_dashboard_lists_the_reminders(world: Any) -> None:
    unit = world.unit_a
    body = world.client(world.a).get(reverse("unit-dashboard", args=[unit.pk])).content.decode()
    assert 'id="reminders"' in body
    assert "计量器具确认到期" in body and "月度存证截止" in body
    assert f"{unit.year}-12" in body and "逾期" in body
    overdue = [i["id"] for i in assessment_json(unit)["instruments"]
               if i["calibration_status"] == "overdue"]
    assert overdue and overdue[0] in body
    en = world.client(world.a).get(reverse("unit-dashboard", args=[unit.pk]) + "?lang=en")
    assert "Monthly filing deadlines" in en.content.decode()


@override_settings(AS_OF="2030-06-30", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_send_reminders_to_enterprise_users_with_an_address(world: Any) -> None:
    world.a.email = "a@example.cn"
    world.a.first_name = "张伟"
    world.a.save()
    world.regulator.email = "g@example.cn"  # not an enterprise user: no reminder
    world.regulator.save()
    _file(world.unit_a, f"{world.unit_a.year}-05")
    sent = send_reminders(url="https://tj.example.cn")
    assert [(s.username, s.email) for s in sent] == [("a", "a@example.cn")]
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["a@example.cn"]
    assert msg.subject.startswith("碳计量提醒：")
    assert "张伟，您好" in msg.body and world.unit_a.name in msg.body
    assert f"{world.unit_a.year}-04：逾期" in msg.body
    assert f"- {world.unit_a.year}-05：" not in msg.body  # filed
    assert f"https://tj.example.cn/units/{world.unit_a.pk}/" in msg.body
    assert sent[0].filings == 11 and sent[0].confirmations > 0
    assert "应于" in msg.body or "已于" in msg.body  # a confirmation line (due soon, overdue), with the name
    first = world.unit_a.instruments.get(ident=next(
        i["id"] for i in assessment_json(world.unit_a)["instruments"]
        if i["calibration_status"] in ("due_soon", "overdue")))
    assert f"{first.ident} {first.name}：" in msg.body
    # enterprise B's user has no address: nothing sent for B's unit
    assert f"/units/{world.unit_b.pk}/" not in msg.body


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_english_and_nothing_due(world: Any) -> None:
    world.a.email = "a@example.cn"
    world.a.save()
    y = world.unit_a.year
    sent = send_reminders(date(2030, 6, 30), lang="en")
    assert len(sent) == 1 and mail.outbox[0].subject.startswith("tanjiliang reminder:")
    assert "Dear a," in mail.outbox[0].body and "Monthly filings:" in mail.outbox[0].body
    # before the year starts: no month has ended, and nothing is due if no instrument is
    mail.outbox.clear()
    early = send_reminders(date(y, 1, 15))
    assert all(s.filings == 0 for s in early)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_cli_remind(world: Any) -> None:
    from tanjiliang.cli.app import app

    world.a.email = "a@example.cn"
    world.a.save()
    r = CliRunner().invoke(app, ["remind", "--as-of", "2030-06-30"])
    assert r.exit_code == 0, r.output
    assert "已发送 1 封提醒邮件" in r.output
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.cn"]
    bad = CliRunner().invoke(app, ["remind", "--as-of", "June"])
    assert bad.exit_code == 2
