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


@dataclass
class Login:
    username: str
    password: str
    zh: str
    en: str


def _user(username: str, role: str, *, enterprise: m.Enterprise | None = None,
          region: str = "", superuser: bool = False, first_name: str = "") -> User:
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"first_name": first_name})
    if created:
        user.set_password(PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
    m.Profile.objects.update_or_create(user=user, defaults={
        "role": role, "enterprise": enterprise, "region": region})
    return user


def _province(region: str) -> str:
    i = region.find("省")
    return region[: i + 1] if i >= 0 else region


@transaction.atomic
def seed(files: list[Path]) -> list[Login]:
    """Load ``files`` (each a unit of its own enterprise) and create the demo accounts."""
    logins = [Login("admin", PASSWORD, "管理员（账户管理）", "administrator (accounts)")]
    _user("admin", m.ROLE_ADMIN, superuser=True, first_name="管理员")
    reviewer = _user("shencha", m.ROLE_REVIEWER, first_name="审查员 李工")
    units: list[m.Unit] = []
    regions = []
    for i, path in enumerate(files, start=1):
        uf = load_unit(path)
        ent, _ = m.Enterprise.objects.get_or_create(
            name=uf.unit.name, defaults={"credit_code": uf.unit.credit_code or "",
                                         "region": uf.unit.region or ""})
        user = _user(f"qiye{i}", m.ROLE_ENTERPRISE, enterprise=ent,
                     first_name=f"{uf.unit.name[:6]} 计量员")
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
    _user("jianguan", m.ROLE_REGULATOR, region=province, first_name=f"{province}监管")
    logins.append(Login("jianguan", PASSWORD, f"监管部门（{province or '全部'}，只读）",
                        f"regulator ({province or 'all'}, read-only)"))
    return logins
