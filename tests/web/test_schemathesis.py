"""Property-based API tests against the OpenAPI schema (issue 5 §6): for every operation,
generated requests never cause a server error and responses match the documented status
codes, content types and schemas. Bounded: a few examples per operation, no shrinking."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tanjiliang.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance,
          content_type_conformance, response_schema_conformance]


@pytest.fixture
def auth(world: Any) -> dict[str, str]:
    token = world.token(world.a)["HTTP_AUTHORIZATION"]
    # the WSGI transport does not undo Content-Encoding (HTTP clients do)
    return {"Authorization": token, "Accept-Encoding": "identity"}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, world: Any, auth: dict[str, str]) -> None:
    if "unit_id" in (case.path_parameters or {}):
        case.path_parameters["unit_id"] = world.unit_a.pk  # reach the validation, not just 404
    if "ident" in (case.path_parameters or {}):
        case.path_parameters["ident"] = world.ins_a.ident
    if case.path.endswith("/report"):
        case.query = {**(case.query or {}), "format": "html"}  # PDF takes seconds per call
    case.call_and_validate(headers=auth, checks=CHECKS)
