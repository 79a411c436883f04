"""Demo data (issue 5 §1): one enterprise per example unit, an enterprise user for each, a
reviewer assigned to some units, the provincial regulator, an administrator. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from tanjiliang.model.load import load_unit
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit

PASSWORD = "demo1234"
#: The demo enterprise users' names (计量员 of each example unit).
DEMO_NAMES = ("张伟", "刘洋", "陈静", "杨帆", "黄磊", "周敏")


@dataclass
class Login:
    username: str
    password: str
    zh: str
    en: str


def _user(username: str, role: str, *, enterprise: m.Enterprise | None = None,
          region: str = "", superuser: bool = False, first_name: str = "",
          organisation: str = "") -> User:
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"first_name": first_name})
    if first_name and user.first_name != first_name:  # demo users have names (issue 13)
        user.first_name = first_name
        user.save(update_fields=["first_name"])
    if created:
        user.set_password(PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
    m.Profile.objects.update_or_create(user=user, defaults={
        "role": role, "enterprise": enterprise, "region": region, "organisation": organisation})
    return user


def _province(region: str) -> str:
    i = region.find("省")
    return region[: i + 1] if i >= 0 else region


@transaction.atomic
def seed(files: list[Path]) -> list[Login]:
    """Load ``files`` (each a unit of its own enterprise) and create the demo accounts."""
    logins = [Login("admin", PASSWORD, "管理员（账户管理）", "administrator (accounts)")]
    _user("admin", m.ROLE_ADMIN, superuser=True, first_name="王敏", organisation="碳计量平台运维组")
    reviewer = _user("shencha", m.ROLE_REVIEWER, first_name="李建华",
                     organisation="河南省计量测试科学研究院")
    units: list[m.Unit] = []
    regions = []
    for i, path in enumerate(files, start=1):
        uf = load_unit(path)
        ent, _ = m.Enterprise.objects.get_or_create(
            name=uf.unit.name, defaults={"credit_code": uf.unit.credit_code or "",
                                         "region": uf.unit.region or ""})
        user = _user(f"qiye{i}", m.ROLE_ENTERPRISE, enterprise=ent,
                     first_name=DEMO_NAMES[(i - 1) % len(DEMO_NAMES)])
        logins.append(Login(user.username, PASSWORD, f"企业用户：{ent.name}",
                            f"enterprise user: {ent.name}"))
        unit = m.Unit.objects.filter(enterprise=ent, year=uf.unit.year).first()
        if unit is None:
            unit = create_unit(uf, ent, user, source=str(path.name))
        units.append(unit)
        regions.append(uf.unit.region or "")
    for unit in units[:2]:
        unit.reviewers.add(reviewer)
    logins.append(Login("shencha", PASSWORD, "审查员（已分配：" + "、".join(u.name for u in units[:2]) + "）",
                        f"reviewer (assigned {len(units[:2])} units)"))
    province = _province(next((r for r in regions if r), ""))
    _user("jianguan", m.ROLE_REGULATOR, region=province, first_name="赵立新",
          organisation=f"{province}市场监督管理局" if province else "市场监督管理局")
    logins.append(Login("jianguan", PASSWORD, f"监管部门（{province or '全部'}，只读）",
                        f"regulator ({province or 'all'}, read-only)"))
    return logins
