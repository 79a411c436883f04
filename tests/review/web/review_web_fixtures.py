"""A small world for the review app's tests: enterprise A's unit (the spec example) with its
enterprise user, an assigned reviewer, an unassigned reviewer, enterprise B, the regulator of
河南省 and an administrator."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from tanjiliang.model.load import load_unit
from tanjiliang.model.unit import UnitFile
from tanjiliang.web.core import models as m
from tanjiliang.web.core.changes import create_unit

ROOT = Path(__file__).resolve().parents[3]
SPEC_EXAMPLE = ROOT / "tests" / "data" / "spec-example.yaml"


def spec_unit(**info: object) -> UnitFile:
    """The spec example with some of its ``unit:`` fields set (name, credit_code, year…)."""
    uf = load_unit(SPEC_EXAMPLE)
    for k, v in info.items():
        setattr(uf.unit, k, v)
    return uf


def make_user(username: str, role: str, *, enterprise: m.Enterprise | None = None,
              region: str = "", superuser: bool = False, name: str = "") -> User:
    user = User.objects.create_user(username, password="pw", is_superuser=superuser,
                                    is_staff=superuser, first_name=name)
    m.Profile.objects.create(user=user, role=role, enterprise=enterprise, region=region)
    return user


class ReviewWorld:
    def __init__(self) -> None:
        uf = load_unit(SPEC_EXAMPLE)
        self.ent_a = m.Enterprise.objects.create(name="企业A", region="河南省郑州市")
        self.ent_b = m.Enterprise.objects.create(name="企业B", region="河南省洛阳市")
        self.a = make_user("qiye", m.ROLE_ENTERPRISE, enterprise=self.ent_a, name="张工")
        self.b = make_user("qiyeb", m.ROLE_ENTERPRISE, enterprise=self.ent_b)
        self.reviewer = make_user("shencha", m.ROLE_REVIEWER, name="李审查")
        self.other_reviewer = make_user("shencha2", m.ROLE_REVIEWER)
        self.regulator = make_user("jianguan", m.ROLE_REGULATOR, region="河南省")
        self.admin = make_user("admin", m.ROLE_ADMIN, superuser=True)
        self.unit = create_unit(uf, self.ent_a, self.a, source="test")
        self.unit.reviewers.add(self.reviewer)

    def client(self, user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c
