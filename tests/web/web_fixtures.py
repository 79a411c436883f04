"""Shared objects of the web tests (a world of two enterprises and every role)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from tanjiliang.model.load import load_unit
from tanjiliang.web.core import models as m
from tanjiliang.web.core.api import issue_token
from tanjiliang.web.core.changes import create_unit

ROOT = Path(__file__).resolve().parents[2]
SPEC_EXAMPLE = ROOT / "tests" / "data" / "spec-example.yaml"
EXAMPLES = sorted(ROOT.glob("examples/*/unit.yaml"))


def make_user(username: str, role: str, *, enterprise: m.Enterprise | None = None,
              region: str = "", superuser: bool = False) -> User:
    user = User.objects.create_user(username, password="pw", is_superuser=superuser,
                                    is_staff=superuser)
    m.Profile.objects.create(user=user, role=role, enterprise=enterprise, region=region)
    return user


class World:
    """Two enterprises (A in 河南省, B in 山东省) with a unit each, and one user per role."""

    def __init__(self) -> None:
        uf = load_unit(SPEC_EXAMPLE)
        self.ent_a = m.Enterprise.objects.create(name="企业A", region="河南省郑州市")
        self.ent_b = m.Enterprise.objects.create(name="企业B", region="山东省济南市")
        self.a = make_user("a", m.ROLE_ENTERPRISE, enterprise=self.ent_a)
        self.b = make_user("b", m.ROLE_ENTERPRISE, enterprise=self.ent_b)
        self.reviewer = make_user("r", m.ROLE_REVIEWER)
        self.regulator = make_user("g", m.ROLE_REGULATOR, region="河南省")
        self.admin = make_user("admin", m.ROLE_ADMIN, superuser=True)
        self.unit_a = create_unit(uf, self.ent_a, self.a, source="test")
        other = uf.model_copy(deep=True)
        other.unit.region = "山东省济南市"
        from tanjiliang.model.write import unit_to_data

        data = unit_to_data(uf)
        data["unit"]["region"] = "山东省济南市"
        # its own credit code: another enterprise's is refused (changes.check_credit_code)
        data["unit"]["credit_code"] = "91370100MA3W1B2C30"
        from tanjiliang.web.core.changes import validate

        self.unit_b = create_unit(validate(data), self.ent_b, self.b, source="test")
        self.unit_a.reviewers.add(self.reviewer)
        self.ins_b = self.unit_b.instruments.order_by("position").first()
        self.ins_a = self.unit_a.instruments.order_by("position").first()

    def client(self, user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    def token(self, user: User) -> dict[str, Any]:
        return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


JOURNEY = Path(__file__).parent / "data" / "journey.yaml"
