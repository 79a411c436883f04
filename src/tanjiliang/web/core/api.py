"""The REST API (issue 5 §5), django-ninja at ``/api`` (OpenAPI at ``/api/docs``).

Bearer-token authentication (``Authorization: Bearer <token>``; a token comes from
``POST /api/auth/token`` or the admin); the same tenancy as the screens (``core.tenancy``);
bodies are validated by the unit-file loader, so a bad value answers 400 with the issues
(key path, zh and en) exactly as a bad file would.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, NinjaAPI, Schema, Status
from ninja.files import UploadedFile
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.model.unit import ConfirmationRecord, Instrument, UnitFile
from tanjiliang.model.write import dump_json, dump_yaml, unit_to_data
from tanjiliang.web.core import concurrency, integrations
from tanjiliang.web.core import models as m
from tanjiliang.web.core.assessing import assessment_bytes
from tanjiliang.web.core.changes import (
    UnitHasReviews,
    apply_change,
    create_unit,
    delete_unit,
    import_unit_file,
    parse_upload,
    record,
    validate,
)
from tanjiliang.web.core.mapping import unit_data, unit_file
from tanjiliang.web.core.security import lockout
from tanjiliang.web.core.tenancy import (
    enterprises_for,
    history_for,
    instrument_for,
    unit_for,
    units_for,
)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: Any, name: str = "") -> str:
    """The API token of ``user``'s client ``name`` (only its digest is stored). One token per
    client name: asking again rotates it — the old token stops working (issue 18 §5)."""
    token = secrets.token_urlsafe(32)
    m.ApiToken.objects.update_or_create(user=user, name=name[:100], defaults={
        "digest": token_digest(token), "last_used": None})
    return token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (m.ApiToken.objects.select_related("user", "user__tj")
               .filter(digest=token_digest(token), user__is_active=True).first())
        if row is None:
            return None
        now = timezone.now()
        if row.last_used is None or (now - row.last_used).total_seconds() > 300:
            m.ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        request.user = row.user
        return row.user


class UnitFileAPI(NinjaAPI):
    """Adds the unit file's JSON schema (the loader's pydantic models) to the OpenAPI
    components, so request bodies are documented by the same models that validate them."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        comps = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (UnitFile, Instrument, ConfirmationRecord):
            js = model.model_json_schema(ref_template="#/components/schemas/{model}",
                                         by_alias=True)
            for name, d in js.pop("$defs", {}).items():
                comps.setdefault(name, d)
            comps[model.__name__] = js
        return schema


class SafeJSONRenderer(JSONRenderer):
    """JSON without NaN or Infinity (issue 18 §3): a float that is not finite is ``null``."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        from tanjiliang.model.write import json_safe

        try:
            return json.dumps(json_safe(data), cls=self.encoder_class, allow_nan=False)
        except ValueError:  # a non-finite float inside an object json_safe does not walk
            plain = json.loads(json.dumps(data, cls=self.encoder_class))
            return json.dumps(json_safe(plain), allow_nan=False)


api = UnitFileAPI(title="tanjiliang API", version="1", auth=TokenAuth(),
                  urls_namespace="api", renderer=SafeJSONRenderer(),
                  description="Units, instruments, confirmations, readings, assessment and "
                              "reports of key emission units. Authenticate with "
                              "`Authorization: Bearer <token>` (POST /api/auth/token).")


class Error(Schema):
    detail: str
    issues: list[dict[str, Any]] = []


class Problem(Exception):
    def __init__(self, exc: LoadError, status: int = 400) -> None:
        self.exc = exc
        self.status = status


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return api.create_response(request, {
        "detail": exc.exc.message("en"),
        "issues": [{"file": i.file, "line": i.line, "path": i.path, "zh": i.zh, "en": i.en}
                   for i in exc.exc.issues]}, status=exc.status)


@api.exception_handler(LoadError)
def _refused(request: HttpRequest, exc: LoadError) -> HttpResponse:
    """A change refused where it is stored (another enterprise's credit code,
    changes.check_credit_code): 400 with its issues, as a body the loader refused."""
    return _problem(request, Problem(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "not found", "issues": []}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "read-only for this user", "issues": []},
                               status=403)


class Precondition(Exception):
    """Optimistic concurrency refused the request (428: no If-Match; 412: stale)."""

    def __init__(self, status: int, unit: m.Unit, zh: str, en: str) -> None:
        self.status, self.unit, self.zh, self.en = status, unit, zh, en


@api.exception_handler(Precondition)
def _precondition(request: HttpRequest, exc: Precondition) -> HttpResponse:
    resp = api.create_response(request, {"detail": exc.en, "issues": [
        {"file": "<request>", "line": None, "path": "If-Match", "zh": exc.zh, "en": exc.en,
         "revision": exc.unit.revision}]}, status=exc.status)
    resp["ETag"] = concurrency.etag(exc.unit)
    return resp


@api.exception_handler(concurrency.StaleEdit)
def _stale(request: HttpRequest, exc: concurrency.StaleEdit) -> HttpResponse:
    exc.unit.refresh_from_db()
    return _precondition(request, _stale_precondition(exc.unit))


def _stale_precondition(unit: m.Unit) -> Precondition:
    return Precondition(412, unit, f"单位已被修改（当前为第 {unit.revision} 版）：请重新读取后再修改",
                        f"the unit has changed (now revision {unit.revision}): read it again "
                        "and repeat the change")


def _if_match(request: HttpRequest, unit: m.Unit, required: bool = True) -> None:
    """``If-Match`` with the unit's ETag (issue 18 §6): required for PUT/PATCH/DELETE (428
    without), 412 when it names another revision. The revision it names is then checked
    again with the unit locked, where the change is made (changes.apply_change)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        if required:
            raise Precondition(428, unit, "请在 If-Match 中给出读取时的 ETag（GET 的 ETag 头）",
                               "send the ETag you read (the GET's ETag header) in If-Match")
        return
    if header == "*":
        return
    revisions = {concurrency.parse_revision(x) for x in header.split(",")}
    if unit.revision not in revisions:
        raise _stale_precondition(unit)
    concurrency.expect(unit.revision)


def _bad(zh: str, en: str, path: str = "") -> Problem:
    return Problem(LoadError([Issue("<request>", None, path, zh, en)]))


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise _bad("请求体不是有效的 JSON", "the request body is not valid JSON") from None


def _body_ref(name: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{name}"}}}}}


class Invalid(Schema):
    """A request that does not fit the operation's parameters (django-ninja's 422)."""

    detail: list[dict[str, Any]]


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Invalid}
#: Changes of an existing unit: optimistic concurrency (If-Match).
WRITE_ERRORS = {**ERRORS, 409: Error, 412: Error, 428: Error}
READ_ERRORS = {401: Error, 404: Error, 422: Invalid}


# ------------------------------------------------------------------------------ schemas

class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str


class UnitOut(Schema):
    id: int
    name: str
    year: int
    sector: str
    region: str
    enterprise: str
    enterprise_id: int
    revision: int
    instruments: int
    writable: bool


class UnitImportOut(UnitOut):
    """A unit-file import's answer: the unit, whether the file changed it (a file equal to the
    unit as stored stores nothing: the same revision, no history entry) and that said in the
    request's language (``?lang=en``)."""
    changed: bool
    message: str


class InstrumentOut(Schema):
    id: str
    name: str
    type: str
    measures: str
    at: str
    accuracy: str
    status: str
    last_confirmed: str | None
    data: dict[str, Any]


class ConfirmationOut(Schema):
    date: str
    kind: str
    result: str
    certificate: str
    body: str
    next_due: str | None
    data: dict[str, Any]


class HistoryOut(Schema):
    at: str
    user: str
    revision: int
    action: str
    subject: str
    zh: str
    en: str
    changes: list[dict[str, Any]]


def _unit_out(user: Any, u: m.Unit, writable: set[int]) -> dict[str, Any]:
    return {"id": u.pk, "name": u.name, "year": u.year, "sector": u.sector, "region": u.region,
            "enterprise": u.enterprise.name, "enterprise_id": u.enterprise_id,
            "revision": u.revision, "instruments": getattr(u, "n_instruments", 0),
            "writable": u.pk in writable}


def _ins_out(row: m.Instrument) -> dict[str, Any]:
    return {"id": row.ident, "name": row.name, "type": row.type, "measures": row.measures,
            "at": row.at, "accuracy": row.accuracy, "status": row.status,
            "last_confirmed": row.last_confirmed.isoformat() if row.last_confirmed else None,
            "data": json.loads(row.data)}


# ------------------------------------------------------------------------------ endpoints

@api.post("/auth/token", auth=None, response={200: TokenOut, 400: Error, 401: Error, 422: Invalid, 429: Error}, tags=["auth"])
def obtain_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange a username and password for the bearer token of client ``name`` (asking
    again rotates that client's token). Wrong passwords count towards the login lockout
    (429 while locked; docs/security.md)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        body = json.loads(lockout(request).content)
        return Status(429, body)
    if user is None or not user.is_active:
        return Status(401, {"detail": "invalid credentials", "issues": []})
    return Status(200, {"token": issue_token(user, payload.name or "api")})


@api.get("/units", response={200: list[UnitOut], 401: Error, 422: Invalid}, tags=["units"])
def list_units(request: HttpRequest, year: int | None = None, sector: str | None = None) -> Any:
    """The units the caller may see."""
    from django.db.models import Count

    qs = units_for(request.user).select_related("enterprise").annotate(
        n_instruments=Count("instruments"))
    if year is not None:
        qs = qs.filter(year=year)
    if sector:
        qs = qs.filter(sector=sector)
    writable = set(units_for(request.user, write=True).values_list("pk", flat=True))
    return [_unit_out(request.user, u, writable) for u in qs]


def _enterprise(request: HttpRequest, enterprise: int | None) -> m.Enterprise:
    ents = enterprises_for(request.user, write=True)
    if enterprise is None:
        if ents.count() == 1:
            return ents.get()
        raise _bad("请用 enterprise 参数指明企业", "name the enterprise (enterprise=<id>)",
                   "enterprise")
    try:
        return ents.get(pk=enterprise)
    except m.Enterprise.DoesNotExist:
        raise Http404("no such enterprise") from None


@api.post("/units", response={201: UnitOut, **ERRORS}, tags=["units"],
          openapi_extra=_body_ref("UnitFile"))
def create_unit_api(request: HttpRequest, enterprise: int | None = None) -> Any:
    """Create a unit from a unit file given as JSON (format tanjiliang/unit@1)."""
    ent = _enterprise(request, enterprise)
    try:
        uf = validate(_json_body(request), "<request>")
    except LoadError as exc:
        raise Problem(exc) from None
    u = create_unit(uf, ent, request.user, source="API")
    return Status(201, _unit_out(request.user, u, {u.pk}))


@api.post("/units/import", response={201: UnitOut, **ERRORS}, tags=["units"])
def import_unit_api(request: HttpRequest, file: File[UploadedFile],
                    enterprise: Form[int | None] = None) -> Any:
    """Create a unit from an uploaded unit file (YAML or JSON)."""
    ent = _enterprise(request, enterprise)
    try:
        uf = parse_upload(file.name or "unit.yaml", file.read())
    except LoadError as exc:
        raise Problem(exc) from None
    u = create_unit(uf, ent, request.user, source=file.name or "API")
    return Status(201, _unit_out(request.user, u, {u.pk}))


@api.get("/units/{unit_id}", response={200: dict[str, Any], **READ_ERRORS}, tags=["units"])
def get_unit(request: HttpRequest, unit_id: int, response: HttpResponse) -> Any:
    """The unit file as JSON (the same data as the YAML export); ``ETag`` is its revision
    (send it back in ``If-Match`` to change the unit)."""
    unit = unit_for(request.user, unit_id)
    response["ETag"] = concurrency.etag(unit)
    return unit_data(unit)


@api.put("/units/{unit_id}", response={200: UnitOut, **WRITE_ERRORS}, tags=["units"],
         openapi_extra=_body_ref("UnitFile"))
def put_unit(request: HttpRequest, unit_id: int, response: HttpResponse) -> Any:
    """Replace the whole unit by a unit file given as JSON (``If-Match`` required). A body
    equal to the unit as stored stores nothing: the same revision and ``ETag``, no history
    entry (a PUT repeated is one change)."""
    unit = unit_for(request.user, unit_id, write=True)
    _if_match(request, unit)
    try:
        uf = validate(_json_body(request), "<request>")
    except LoadError as exc:
        raise Problem(exc) from None
    u, _ = import_unit_file(unit, uf, request.user, zh="通过 API 替换单位文件",
                            en="unit file replaced through the API")
    response["ETag"] = concurrency.etag(u)
    return Status(200, _unit_out(request.user, u, {u.pk}))


@api.delete("/units/{unit_id}", response={204: None, **WRITE_ERRORS}, tags=["units"])
def delete_unit_api(request: HttpRequest, unit_id: int) -> Any:
    """Delete a unit (``If-Match`` required); refused (409) when it has reviews."""
    unit = unit_for(request.user, unit_id, write=True)
    _if_match(request, unit)
    try:
        delete_unit(unit, request.user)
    except UnitHasReviews as exc:
        raise Problem(LoadError([Issue("<request>", None, "", exc.zh, exc.en)]), 409) from None
    return Status(204, None)


@api.post("/units/{unit_id}/import", response={200: UnitImportOut, **WRITE_ERRORS}, tags=["units"])
def reimport_unit_api(request: HttpRequest, unit_id: int, file: File[UploadedFile]) -> Any:
    """Replace the unit by an uploaded unit file (YAML or JSON), all-or-nothing
    (``If-Match`` honoured when sent). A file equal to the unit as stored stores nothing:
    ``changed`` false, the same revision, no history entry; ``message`` says which."""
    from django.utils.translation import gettext

    unit = unit_for(request.user, unit_id, write=True)
    _if_match(request, unit, required=False)
    name = file.name or "unit.yaml"
    try:
        uf = parse_upload(name, file.read())
    except LoadError as exc:
        raise Problem(exc) from None
    u, changed = import_unit_file(unit, uf, request.user)
    said = gettext("已导入") if changed else \
        gettext("没有要改的内容：{0} 与本单位现有数据相同，未新增版本").format(Path(name).name)
    return Status(200, {**_unit_out(request.user, u, {u.pk}), "changed": changed, "message": said})


@api.get("/units/{unit_id}/export", response={200: None, **READ_ERRORS}, tags=["units"],
         openapi_extra={"responses": {200: {"description": "the unit file", "content": {
             "application/yaml": {"schema": {"$ref": "#/components/schemas/UnitFile"}},
             "application/json": {"schema": {"$ref": "#/components/schemas/UnitFile"}}}}}})
def export_unit_api(request: HttpRequest, unit_id: int, format: str = "yaml") -> Any:
    """The unit file (``format=yaml`` or ``json``), the backup and exchange format."""
    uf = unit_file(unit_for(request.user, unit_id))
    if format == "json":
        return HttpResponse(dump_json(uf), content_type="application/json; charset=utf-8")
    return HttpResponse(dump_yaml(uf), content_type="application/yaml; charset=utf-8")


@api.get("/units/{unit_id}/instruments", response={200: list[InstrumentOut], **READ_ERRORS},
         tags=["instruments"])
def list_instruments(request: HttpRequest, unit_id: int, offset: int = 0,
                     limit: int = 100) -> Any:
    unit = unit_for(request.user, unit_id)
    offset, limit = max(offset, 0), min(max(limit, 0), 1000)
    return [_ins_out(r) for r in m.Instrument.objects.filter(unit=unit)
            .order_by("position")[offset:offset + limit]]


@api.get("/units/{unit_id}/instruments/{ident}", response={200: InstrumentOut, **READ_ERRORS},
         tags=["instruments"])
def get_instrument(request: HttpRequest, unit_id: int, ident: str,
                   response: HttpResponse) -> Any:
    """One instrument; ``ETag`` is its unit's revision."""
    unit, row = instrument_for(request.user, unit_id, ident=ident)
    response["ETag"] = concurrency.etag(unit)
    return _ins_out(row)


def _index(d: dict[str, Any], ident: str) -> int:
    for i, x in enumerate(d.get("instruments") or []):
        if x["id"] == ident:
            return i
    raise Http404("no such instrument")


def _change(request: HttpRequest, unit: m.Unit, mutate: Any, **kw: Any) -> m.Unit:
    try:
        return apply_change(unit, request.user, mutate, **kw)
    except LoadError as exc:
        raise Problem(exc) from None


@api.post("/units/{unit_id}/instruments", response={201: InstrumentOut, **WRITE_ERRORS},
          tags=["instruments"], openapi_extra=_body_ref("Instrument"))
def add_instrument(request: HttpRequest, unit_id: int) -> Any:
    """Add an instrument (``If-Match`` honoured when sent)."""
    unit = unit_for(request.user, unit_id, write=True)
    _if_match(request, unit, required=False)
    body = _json_body(request)
    if not isinstance(body, dict):
        raise _bad("应为一个器具（映射）", "expected one instrument (an object)")
    unit = _change(request, unit, lambda d: d.setdefault("instruments", []).append(body),
                   action="add", subject=str(body.get("id", "")),
                   zh=f"新增计量器具 {body.get('id', '')}", en=f"instrument {body.get('id', '')} added")
    return Status(201, _ins_out(m.Instrument.objects.get(unit=unit, ident=body["id"])))


@api.put("/units/{unit_id}/instruments/{ident}", response={200: InstrumentOut, **WRITE_ERRORS},
         tags=["instruments"], openapi_extra=_body_ref("Instrument"))
def put_instrument(request: HttpRequest, unit_id: int, ident: str,
                   response: HttpResponse) -> Any:
    """Replace one instrument (``If-Match``: the unit's ETag, required)."""
    unit, _ = instrument_for(request.user, unit_id, ident=ident, write=True)
    _if_match(request, unit)
    body = _json_body(request)
    if not isinstance(body, dict):
        raise _bad("应为一个器具（映射）", "expected one instrument (an object)")

    def mutate(d: dict[str, Any]) -> None:
        d["instruments"][_index(d, ident)] = body

    unit = _change(request, unit, mutate, action="edit", subject=ident,
                   zh=f"修改计量器具 {ident}", en=f"instrument {ident} changed")
    new = m.Instrument.objects.filter(unit=unit, ident=body.get("id", ident)).first()
    if new is None:
        raise Http404("no such instrument")
    response["ETag"] = concurrency.etag(unit)
    return Status(200, _ins_out(new))


@api.delete("/units/{unit_id}/instruments/{ident}", response={204: None, **WRITE_ERRORS},
            tags=["instruments"])
def delete_instrument(request: HttpRequest, unit_id: int, ident: str) -> Any:
    """Delete one instrument (``If-Match``: the unit's ETag, required)."""
    unit, _ = instrument_for(request.user, unit_id, ident=ident, write=True)
    _if_match(request, unit)
    _change(request, unit, lambda d: d["instruments"].pop(_index(d, ident)), action="delete",
            subject=ident, zh=f"删除计量器具 {ident}", en=f"instrument {ident} deleted")
    return Status(204, None)


@api.get("/units/{unit_id}/instruments/{ident}/confirmations",
         response={200: list[ConfirmationOut], **READ_ERRORS}, tags=["confirmations"])
def list_confirmations(request: HttpRequest, unit_id: int, ident: str) -> Any:
    _, row = instrument_for(request.user, unit_id, ident=ident)
    return [{"date": c.date.isoformat(), "kind": c.kind, "result": c.result,
             "certificate": c.certificate, "body": c.body,
             "next_due": c.next_due.isoformat() if c.next_due else None,
             "data": json.loads(c.data)} for c in row.confirmation_records.all()]


@api.post("/units/{unit_id}/instruments/{ident}/confirmations",
          response={201: InstrumentOut, **WRITE_ERRORS}, tags=["confirmations"],
          openapi_extra=_body_ref("ConfirmationRecord"))
def add_confirmation(request: HttpRequest, unit_id: int, ident: str) -> Any:
    """Record a verification or calibration of an instrument (``If-Match`` honoured when
    sent)."""
    unit, _ = instrument_for(request.user, unit_id, ident=ident, write=True)
    _if_match(request, unit, required=False)
    body = _json_body(request)
    if not isinstance(body, dict):
        raise _bad("应为一条检定/校准记录（映射）", "expected one confirmation record (an object)")

    def mutate(d: dict[str, Any]) -> None:
        d["instruments"][_index(d, ident)].setdefault("confirmations", []).append(body)

    unit = _change(request, unit, mutate, action="confirmation", subject=ident,
                   zh=f"登记 {ident} 的检定/校准", en=f"confirmation of {ident} recorded")
    return Status(201, _ins_out(m.Instrument.objects.get(unit=unit, ident=ident)))


@api.post("/units/{unit_id}/readings", response={201: dict[str, Any], **ERRORS},
          tags=["readings"])
def upload_readings(request: HttpRequest, unit_id: int, file: File[UploadedFile],
                    period: str = "data", month: str = "", date_from: str = "",
                    date_to: str = "") -> Any:
    """Upload readings (CSV, XLSX or Parquet); answers the data-quality report for ``period``:
    ``data`` (the months the file covers, the default), ``year`` (the reporting year),
    ``month`` (with ``month=YYYY-MM``) or ``range`` (``date_from``–``date_to``, both days
    included) — issue 12 §5."""
    from tanjiliang.data.readings import ReadingsError

    unit = unit_for(request.user, unit_id, write=True)
    name = Path(file.name or "readings.csv").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        raise _bad("只接受 CSV、XLSX、Parquet 文件", "only CSV, XLSX and Parquet files", "file")
    try:
        how, start, end = integrations.chosen_period(
            {"period": period, "month": month, "from": date_from, "to": date_to}, unit.year, "zh")
    except integrations.PeriodProblem:
        raise _bad("统计期无效：period 为 data、year、month（月份 YYYY-MM）或 range（起止日期）",
                   "invalid period: data, year, month (with month=YYYY-MM) or range "
                   "(date_from, date_to)", "period") from None
    content = file.read()
    row = m.ReadingsUpload(unit=unit, name=name[:255], size=len(content), uploaded_by=request.user)
    row.file.save(name, ContentFile(content), save=False)
    path = Path(row.file.path)
    try:
        if how == "data":
            ids = set(unit.instruments.values_list("ident", flat=True))
            start, end = integrations.readings_period(path, ids) or (None, None)
        report = integrations.readings_report(unit, path, name, start, end)
    except ReadingsError as exc:
        row.file.delete(save=False)
        raise Problem(LoadError([Issue(name, i.row, i.column or "", i.zh, i.en)
                                 for i in exc.issues])) from None
    except LoadError as exc:
        row.file.delete(save=False)
        raise Problem(exc) from None
    report["period_how"] = how
    row.rows = report["rows"]
    row.report = json.dumps(report, ensure_ascii=False)
    row.save()
    record(unit, request.user, "readings", f"上传计量数据 {name}", f"readings {name} uploaded",
           subject=name)
    return Status(201, {"id": row.pk, **report["zh"]})


@api.post("/units/{unit_id}/ledger", response={200: dict[str, Any], **WRITE_ERRORS}, tags=["instruments"])
def import_ledger_api(request: HttpRequest, unit_id: int, file: File[UploadedFile],
                      dry_run: bool = False, remove_missing: bool = False, strict: bool = False) -> Any:
    """Merge a plant's Excel ledger into the unit (issue 12). The answer is the change set —
    ``added``, ``changed`` (field by field), ``unchanged``, ``absent`` (from the file) and
    ``removed`` — and the report of how the file was read. Instruments absent from the file
    are removed only with ``remove_missing=true``; ``dry_run=true`` stores nothing;
    ``strict=true`` infers nothing. ``If-Match`` honoured when sent."""
    from tanjiliang.web.core.integrations_ledger import import_workbook, preview_workbook

    unit = unit_for(request.user, unit_id, write=True)
    _if_match(request, unit, required=False)
    name = Path(file.name or "ledger.xlsx").name
    if Path(name).suffix.lower() != ".xlsx":
        raise _bad("台账须为 .xlsx 文件", "the ledger must be an .xlsx file", "file")
    content = file.read()
    lang = "en" if request.GET.get("lang") == "en" else "zh"
    try:
        if dry_run:
            cs, read = preview_workbook(unit, name, content, strict)
            return {"applied": False, "revision": unit.revision, "changes": cs.to_json(),
                    "report": read.report(lang)}
        cs0, _ = preview_workbook(unit, name, content, strict)
        remove = list(cs0.absent) if remove_missing else []
        u, cs, report = import_workbook(unit, name, content, request.user, lang, remove, strict)
    except LoadError as exc:
        raise Problem(exc) from None
    return {"applied": True, "revision": u.revision, "changes": cs.to_json(remove), "report": report}


@api.get("/units/{unit_id}/assessment", response={200: dict[str, Any], **ERRORS},
         tags=["assessment"])
def get_assessment(request: HttpRequest, unit_id: int, lang: str = "zh",
                   as_of: str | None = None) -> Any:
    """The assessment in the JSON contract ``tanjiliang/assessment@1`` (Assessment.to_json),
    as of ``as_of`` (YYYY-MM-DD; default: the end of the unit's reporting year for a past
    year, today for the current one), with the readings uploaded for the unit."""
    unit = unit_for(request.user, unit_id)
    zipped = "gzip" in request.headers.get("Accept-Encoding", "")
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise _bad(f"“{as_of}”不是 YYYY-MM-DD 日期", f'"{as_of}" is not a date YYYY-MM-DD', "as_of") from None
    try:
        body = assessment_bytes(unit, "en" if lang == "en" else "zh", day, gzipped=zipped)
    except LoadError as exc:
        raise Problem(exc) from None
    resp = HttpResponse(body, content_type="application/json")
    resp["Vary"] = "Accept-Encoding"
    if zipped:
        resp["Content-Encoding"] = "gzip"
    return resp


@api.get("/units/{unit_id}/report", response={200: None, **ERRORS}, tags=["reports"],
         openapi_extra={"responses": {200: {"description": "the report file", "content": {
             "application/pdf": {"schema": {"type": "string", "format": "binary"}},
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                 "schema": {"type": "string", "format": "binary"}},
             "text/html": {"schema": {"type": "string"}}}}}})
def get_report(request: HttpRequest, unit_id: int, format: str = "pdf", lang: str = "zh") -> Any:
    """The assessment report as PDF, XLSX or HTML (``format``), in ``lang``."""
    from tanjiliang.web.core.views.other import CONTENT_TYPES

    if format not in CONTENT_TYPES:
        raise _bad(f"不支持的格式“{format}”（pdf、xlsx、html）",
                   f'unsupported format "{format}" (pdf, xlsx, html)', "format")
    unit = unit_for(request.user, unit_id)
    try:
        body = integrations.report_bytes(unit, format, "en" if lang == "en" else "zh")
    except LoadError as exc:
        raise Problem(exc) from None
    resp = HttpResponse(body, content_type=CONTENT_TYPES[format])
    resp["Content-Disposition"] = f'attachment; filename="assessment-{unit.pk}.{format}"'
    return resp


@api.get("/units/{unit_id}/history", response={200: list[HistoryOut], **READ_ERRORS},
         tags=["history"])
def get_history(request: HttpRequest, unit_id: int, limit: int = 100) -> Any:
    unit = unit_for(request.user, unit_id)
    return [{"at": e.at.isoformat(), "user": e.username, "revision": e.revision,
             "action": e.action, "subject": e.subject, "zh": e.zh, "en": e.en,
             "changes": json.loads(e.changes)}
            for e in history_for(request.user, unit)[:min(max(limit, 0), 1000)]]


__all__ = ["api", "issue_token", "tempfile", "unit_to_data"]
