"""Reminders (issue 14 §5): confirmations falling due and monthly filing deadlines.

A unit's reminders are (a) its instruments whose confirmation is due within the pack's
due-soon window (``confirmation.due_soon_days``) or overdue — the ``calibration_status`` of the
assessment the dashboard shows (``due_soon`` / ``overdue``), soonest first — and (b) its
months still to file (待提交, deadline not passed) or overdue (逾期, deadline passed and not
filed), from :func:`tanjiliang.web.month.views.cards`.

The dashboard lists them; :func:`send_reminders` e-mails every active enterprise user with an
e-mail address the reminders of their enterprise's units through Django's e-mail backend
(``EMAIL_BACKEND``; the console backend unless configured). The text is Chinese; English when
asked for (``lang="en"``: no language is stored per user).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from tanjiliang.i18n import pairs, pick
from tanjiliang.model.errors import LoadError

#: Calibration states that are reminded, and their words (Chinese; the English from the
#: catalogue, context ``reminder.due:<state>``).
DUE_WORDS = cast("dict[str, tuple[str, str]]", pairs("reminder.due", {
    "due_soon": "即将到期", "overdue": "已过期"}))

#: The e-mail's lines, ``str.format`` templates (context ``reminder:<key>``).
TEXT = cast("dict[str, tuple[str, str]]", pairs("reminder", {
    "subject": "碳计量提醒：{n_conf} 台器具确认到期，{n_file} 个月度存证待提交或逾期",
    "greeting": "{name}，您好：",
    "unit": "{unit}（{year} 年度）",
    "confirmations": "  计量器具确认（检定/校准）：",
    "unknown": "未知",
    "confirmation": "    - {id} {name}：{word}，应于 {due} 前确认",
    "overdue": "    - {id} {name}：已于 {due} 到期，请尽快检定/校准",
    "filings": "  月度存证：",
    "filing": "    - {month}：{word}，截止日期 {deadline}",
    "footer": "此邮件由碳计量系统自动发送。",
}))


def _t(key: str, lang: str, **fields: Any) -> str:
    text = pick(TEXT[key], lang, f"reminder:{key}")
    return text.format(**fields) if fields else text


@dataclass
class UnitReminders:
    """The reminders of one unit (plain values, for a template or an e-mail)."""

    unit_pk: int
    unit_name: str
    year: int
    confirmations: list[dict[str, Any]] = field(default_factory=list)
    filings: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.confirmations or self.filings)


def confirmations_due(data: dict[str, Any] | None, lang: str,
                      names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Instruments of an assessment (its JSON) due soon or overdue, overdue and soonest
    first; ``names`` gives each instrument's name by id (the JSON holds none)."""
    if not data:
        return []
    names = names or {}
    out = [{"id": i["id"], "name": names.get(i["id"], ""), "state": i["calibration_status"],
            "word": pick(DUE_WORDS[i["calibration_status"]], lang,
                         f"reminder.due:{i['calibration_status']}"),
            "next_due": i.get("next_due")}
           for i in data.get("instruments", []) if i.get("calibration_status") in DUE_WORDS]
    return sorted(out, key=lambda r: (r["state"] != "overdue", str(r["next_due"] or "")))


def filings_due(unit_pk: int, year: int, day: date, lang: str,
                pack: Any = None) -> list[dict[str, Any]]:
    """Months of the unit's year to file (待提交) or overdue (逾期) on ``day`` (deadlines of
    ``pack``)."""
    from tanjiliang.web.month.views import cards

    return [{"month": c["month"], "state": c["state"], "word": c["word"],
             "deadline": c["deadline"]}
            for c in cards(unit_pk, year, day, lang, pack) if c["state"] in ("to_file", "overdue")]


def unit_reminders(unit: Any, data: dict[str, Any] | None, day: date,
                   lang: str) -> UnitReminders:
    """The reminders of ``unit`` from its assessment JSON ``data`` (None when it cannot be
    assessed: filing deadlines only)."""
    conf = confirmations_due(data, lang)
    if conf:
        names = dict(unit.instruments.filter(ident__in=[c["id"] for c in conf])
                     .values_list("ident", "name"))
        for c in conf:
            c["name"] = names.get(c["id"], "")
    from tanjiliang.web.month.views import month_pack

    return UnitReminders(unit.pk, unit.name, unit.year, conf,
                         filings_due(unit.pk, unit.year, day, lang, month_pack(unit)))


def _assessment(unit: Any) -> dict[str, Any] | None:
    from tanjiliang.web.core.assessing import assessment_json

    try:
        return assessment_json(unit)
    except LoadError:
        return None


def message_text(name: str, items: list[UnitReminders], lang: str,
                 url: str = "") -> tuple[str, str]:
    """(subject, body) of one user's reminder e-mail."""
    n_conf = sum(len(r.confirmations) for r in items)
    n_file = sum(len(r.filings) for r in items)
    subject = _t("subject", lang, n_conf=n_conf, n_file=n_file)
    lines = [_t("greeting", lang, name=name), ""]
    for r in items:
        if not r:
            continue
        lines.append(_t("unit", lang, unit=r.unit_name, year=r.year))
        if r.confirmations:
            lines.append(_t("confirmations", lang))
            for c in r.confirmations:
                due = c["next_due"] or _t("unknown", lang)
                # an overdue instrument fell due on a past day: not "confirm before" it
                key = "overdue" if c["state"] == "overdue" and c["next_due"] else "confirmation"
                lines.append(_t(key, lang, id=c["id"], name=c["name"], word=c["word"], due=due))
        if r.filings:
            lines.append(_t("filings", lang))
            for f in r.filings:
                lines.append(_t("filing", lang, month=f["month"], word=f["word"],
                                deadline=f["deadline"]))
        if url:
            lines.append(f"  {url}/units/{r.unit_pk}/")
        lines.append("")
    lines.append(_t("footer", lang))
    return subject, "\n".join(lines) + "\n"


@dataclass
class Sent:
    username: str
    email: str
    confirmations: int
    filings: int


def send_reminders(day: date | None = None, lang: str = "zh", url: str = "") -> list[Sent]:
    """E-mail each active enterprise user with an address the reminders of their
    enterprise's units (one message per user; none when nothing is due)."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    from tanjiliang.web.core import models as m
    from tanjiliang.web.core.assessing import today

    day = day or today()
    profiles = (m.Profile.objects.select_related("user", "enterprise")
                .filter(role=m.ROLE_ENTERPRISE, enterprise__isnull=False, user__is_active=True)
                .exclude(user__email="").order_by("user__username"))
    by_enterprise: dict[int, list[UnitReminders]] = {}
    messages, sent = [], []
    for p in profiles:
        if p.enterprise_id not in by_enterprise:
            units = m.Unit.objects.filter(enterprise_id=p.enterprise_id).order_by("name", "year")
            by_enterprise[p.enterprise_id] = [
                unit_reminders(u, _assessment(u), day, lang) for u in units]
        items = [r for r in by_enterprise[p.enterprise_id] if r]
        if not items:
            continue
        name = p.user.get_full_name() or p.user.username
        subject, body = message_text(name, items, lang, url)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [p.user.email]))
        sent.append(Sent(p.user.username, p.user.email,
                         sum(len(r.confirmations) for r in items),
                         sum(len(r.filings) for r in items)))
    if messages:
        with get_connection() as conn:
            conn.send_messages(messages)
    return sent
