"""The REST API (issue 5 §5), django-ninja at ``/api`` (OpenAPI at ``/api/docs``).

Bearer-token authentication (``Authorization: Bearer <token>``; a token comes from
``POST /api/auth/token`` or the admin); the same tenancy as the screens (``core.tenancy``);
bodies are validated by the unit-file loader, so a bad value answers 400 with the issues
(key path, zh and en) exactly as a bad file would; so do parameters of the wrong type or out of
range. Every error body is ``{detail, issues: [{path, zh, en, …}]}``, ``detail`` in the
request's language (``?lang=zh|en``, then the ``tj_lang`` cookie, then ``Accept-Language``;
Chinese by default; another ``lang`` answers 400).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Literal

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from ninja import File, Form, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext
from ninja.files import UploadedFile
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from tanjiliang.model.errors import Issue, LoadError, format_path
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
from tanjiliang.web.core.i18n import COOKIE, django_code
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


#: The languages the API answers in (every issue carries both).
LANGS = ("zh", "en")
Lang = Literal["zh", "en"]


def api_lang(request: HttpRequest) -> str:
    """The language of an API answer: ``?lang=zh|en``, else the ``tj_lang`` cookie (the
    choice made on the pages, for /api/docs), else the first of Chinese or English in
    ``Accept-Language``, else Chinese."""
    for lang in (request.GET.get("lang"), request.COOKIES.get(COOKIE)):
        if lang in LANGS:
            return lang
    ranked = []
    for n, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _, q = part.strip().lower().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((-weight, n, tag))
    for _, _, tag in sorted(ranked):
        for lang in LANGS:
            if tag == lang or tag.startswith(f"{lang}-"):
                return lang
    return "zh"


class UnitFileAPI(NinjaAPI):
    """Adds the unit file's JSON schema (the loader's pydantic models) to the OpenAPI
    components, so request bodies are documented by the same models that validate them;
    answers in the request's language (:func:`api_lang`, another ``?lang=`` refused) and
    keeps a bad parameter's value so that its issue can name it."""

    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        # called by every operation before its parameters are read (ninja's Operation.run)
        asked = request.GET.get("lang")
        if asked is not None and asked not in LANGS:
            raise _bad(f"不支持的语言“{asked}”：lang 应为 zh 或 en",
                       f'unsupported language "{asked}": lang is zh or en', "lang")
        request.lang = api_lang(request)  # type: ignore[attr-defined]
        translation.activate(django_code(request.lang))  # type: ignore[attr-defined]
        return super().create_temporal_response(request)

    def validation_error_from_error_contexts(
            self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        errors = []
        for context in error_contexts:
            model = context.model
            for e in context.pydantic_validation_error.errors(include_url=False):
                e["loc"] = (model.__ninja_param_source__,
                            *model.__ninja_flatten_map_reverse__.get(e["loc"], e["loc"]))
                errors.append(dict(e))
        return ValidationError(errors)

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
    """Every error answer: ``detail`` in the request's language; ``issues`` each with its
    place (``path``: a key path of the body, a parameter's name or a header) in both
    languages (``zh``, ``en``), and ``file``/``line`` for an uploaded file."""

    detail: str
    issues: list[dict[str, Any]] = []


class Problem(Exception):
    def __init__(self, exc: LoadError, status: int = 400) -> None:
        self.exc = exc
        self.status = status


#: What an issue names as its file when it is the request itself (``<form>``: the web's
#: changes validate the unit as changed, which an API request's body did).
_THE_REQUEST = ("<request>", "<form>")


def _said(issue: Issue, lang: str) -> str:
    """An issue in one language: ``file:line path: text`` (no file for the request itself)."""
    text = issue.message(lang)
    for name in _THE_REQUEST:
        text = text.removeprefix(f"{name} ").removeprefix(f"{name}: ")
    return text


def error_response(request: HttpRequest, issues: list[Issue], status: int,
                   **extra: Any) -> HttpResponse:
    """The error body (:class:`Error`) of ``issues`` (``extra`` fields join each issue)."""
    lang = api_lang(request)
    resp = api.create_response(request, {
        "detail": "\n".join(_said(i, lang) for i in issues),
        "issues": [{"file": "<request>" if i.file in _THE_REQUEST else i.file, "line": i.line,
                    "path": i.path, "zh": i.zh, "en": i.en, **extra} for i in issues]}, status=status)
    resp["Content-Language"] = "zh-Hans" if lang == "zh" else lang
    return resp


def _issue(zh: str, en: str, path: str = "") -> Issue:
    return Issue("<request>", None, path, zh, en)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return error_response(request, exc.exc.issues, exc.status)


@api.exception_handler(LoadError)
def _load_error(request: HttpRequest, exc: LoadError) -> HttpResponse:
    return error_response(request, exc.issues, 400)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter or body that does not fit the operation (django-ninja's 422): 400 with
    the issues in the loader's words, ``path`` the parameter's name (``limit``) or the body's
    key path (``password``)."""
    from tanjiliang.model.load import _translate

    issues = []
    for err in exc.errors:
        loc = tuple(err.get("loc") or ())
        where = loc[2:] if loc[:1] == ("body",) else loc[1:]  # a body: past the schema's name
        zh, en = _translate(err)
        issues.append(_issue(zh, en, format_path(where)))
    return error_response(request, issues, 400)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, [_issue(
        "需要有效的 API 令牌：请在 Authorization 头中发送 Bearer <令牌>（令牌由 POST /api/auth/token 取得）",
        "a valid API token is needed: send Authorization: Bearer <token> (a token comes from "
        "POST /api/auth/token)", "Authorization")], 401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # django-ninja could not read the body
        return error_response(request, [_issue("请求体不是有效的 JSON", "the request body is not valid JSON")], 400)
    return error_response(request, [_issue(f"请求无法处理（{exc.status_code}）", str(exc))], exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return not_found(request)


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """404 in the API's shape, also for an address under /api/ that names no operation
    (urls.py: never Django's HTML page)."""
    return error_response(request, [_issue("未找到", "not found")], 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, [_issue("此用户只能查看，不能修改", "read-only for this user")], 403)


class Precondition(Exception):
    """Optimistic concurrency refused the request (428: no If-Match; 412: stale)."""

    def __init__(self, status: int, unit: m.Unit, zh: str, en: str) -> None:
        self.status, self.unit, self.zh, self.en = status, unit, zh, en


@api.exception_handler(Precondition)
def _precondition(request: HttpRequest, exc: Precondition) -> HttpResponse:
    resp = error_response(request, [_issue(exc.zh, exc.en, "If-Match")], exc.status,
                          revision=exc.unit.revision)
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
    """``If-Match`` with the unit's ETag (issue 18 §6): required for PUT/DELETE (428
    without), 412 when it names another revision. ``If-Match: *`` names no revision, so
    where the ETag is required it is refused as missing (428, probe s10 #10); where it is
    optional it asks nothing the unit does not meet (it exists). The revision named is then
    checked again with the unit locked, where the change is made (changes.apply_change)."""
    tags = [x.strip() for x in (request.headers.get("If-Match") or "").split(",") if x.strip()]
    if not tags or "*" in tags:
        if required:
            said = "（If-Match: * 不指明版本，不能代替 ETag）" if tags else ""
            said_en = " (If-Match: * names no revision and cannot stand for it)" if tags else ""
            raise Precondition(428, unit, f"请在 If-Match 中给出读取时的 ETag（GET 的 ETag 头）{said}",
                               f"send the ETag you read (the GET's ETag header) in If-Match{said_en}")
        return
    revisions = {concurrency.parse_revision(x) for x in tags}
    if unit.revision not in revisions:
        raise _stale_precondition(unit)
    concurrency.expect(unit.revision)


def _bad(zh: str, en: str, path: str = "") -> Problem:
    return Problem(LoadError([_issue(zh, en, path)]))


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise _bad("请求体不是有效的 JSON", "the request body is not valid JSON") from None


def _body_ref(name: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{name}"}}}}}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}
#: Changes of an existing unit: optimistic concurrency (If-Match).
WRITE_ERRORS = {**ERRORS, 409: Error, 412: Error, 428: Error}
READ_ERRORS = {400: Error, 401: Error, 404: Error}


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
    n = getattr(u, "n_instruments", None)  # annotated on a list, counted for one unit
    return {"id": u.pk, "name": u.name, "year": u.year, "sector": u.sector, "region": u.region,
            "enterprise": u.enterprise.name, "enterprise_id": u.enterprise_id,
            "revision": u.revision, "instruments": u.instruments.count() if n is None else n,
            "writable": u.pk in writable}


def _ins_out(row: m.Instrument) -> dict[str, Any]:
    return {"id": row.ident, "name": row.name, "type": row.type, "measures": row.measures,
            "at": row.at, "accuracy": row.accuracy, "status": row.status,
            "last_confirmed": row.last_confirmed.isoformat() if row.last_confirmed else None,
            "data": json.loads(row.data)}


# ------------------------------------------------------------------------------ endpoints

@api.post("/auth/token", auth=None, response={200: TokenOut, 400: Error, 401: Error, 429: Error}, tags=["auth"])
def obtain_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange a username and password for the bearer token of client ``name`` (asking
    again rotates that client's token). Wrong passwords count towards the login lockout
    (429 while locked; docs/security.md)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        said = json.loads(lockout(request).content)["issues"][0]
        return error_response(request, [_issue(said["zh"], said["en"])], 429)
    if user is None or not user.is_active:
        return error_response(request, [_issue("用户名或密码不正确", "invalid credentials")], 401)
    return Status(200, {"token": issue_token(user, payload.name or "api")})


@api.get("/units", response={200: list[UnitOut], **READ_ERRORS}, tags=["units"])
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
    """The enterprise a new unit is for: the caller's own, or the one named (an
    administrator's choice); 403 for a user who may create no unit (reviewer, regulator)."""
    ents = enterprises_for(request.user, write=True)
    if not ents.exists():
        raise Problem(LoadError([_issue("只有企业用户或管理员可以创建单位",
                                        "only an enterprise user or an administrator can create units")]), 403)
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
def export_unit_api(request: HttpRequest, unit_id: int,
                    format: Literal["yaml", "json"] = "yaml") -> Any:
    """The unit file (``format=yaml`` or ``json``), the backup and exchange format."""
    uf = unit_file(unit_for(request.user, unit_id))
    if format == "json":
        return HttpResponse(dump_json(uf), content_type="application/json; charset=utf-8")
    return HttpResponse(dump_yaml(uf), content_type="application/yaml; charset=utf-8")


@api.get("/units/{unit_id}/instruments", response={200: list[InstrumentOut], **READ_ERRORS},
         tags=["instruments"])
def list_instruments(request: HttpRequest, unit_id: int, offset: int = Query(0, ge=0),
                     limit: int = Query(100, ge=0, le=1000)) -> Any:
    """The ledger in its order, ``limit`` (at most 1000) instruments from ``offset``."""
    unit = unit_for(request.user, unit_id)
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
                    period: Literal["data", "year", "month", "range"] = "data",
                    month: str = "", date_from: str = "",
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
    lang = api_lang(request)
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
def get_assessment(request: HttpRequest, unit_id: int, lang: Lang | None = None,
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
        body = assessment_bytes(unit, lang or api_lang(request), day, gzipped=zipped)
    except LoadError as exc:
        raise Problem(exc) from None
    resp = HttpResponse(body, content_type="application/json")
    resp["Vary"] = "Accept-Encoding, Accept-Language"
    if zipped:
        resp["Content-Encoding"] = "gzip"
    return resp


@api.get("/units/{unit_id}/report", response={200: None, **ERRORS}, tags=["reports"],
         openapi_extra={"responses": {200: {"description": "the report file", "content": {
             "application/pdf": {"schema": {"type": "string", "format": "binary"}},
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                 "schema": {"type": "string", "format": "binary"}},
             "text/html": {"schema": {"type": "string"}}}}}})
def get_report(request: HttpRequest, unit_id: int,
               format: Literal["pdf", "xlsx", "html"] = "pdf", lang: Lang | None = None) -> Any:
    """The assessment report as PDF, XLSX or HTML (``format``), in ``lang`` (default: the
    request's language)."""
    from tanjiliang.web.core.views.other import CONTENT_TYPES

    if format not in CONTENT_TYPES:
        raise _bad(f"不支持的格式“{format}”（pdf、xlsx、html）",
                   f'unsupported format "{format}" (pdf, xlsx, html)', "format")
    unit = unit_for(request.user, unit_id)
    try:
        body = integrations.report_bytes(unit, format, lang or api_lang(request))
    except LoadError as exc:
        raise Problem(exc) from None
    resp = HttpResponse(body, content_type=CONTENT_TYPES[format])
    resp["Content-Disposition"] = f'attachment; filename="assessment-{unit.pk}.{format}"'
    return resp


@api.get("/units/{unit_id}/history", response={200: list[HistoryOut], **READ_ERRORS},
         tags=["history"])
def get_history(request: HttpRequest, unit_id: int, limit: int = Query(100, ge=0, le=1000)) -> Any:
    """The unit's history, newest first, at most ``limit`` (≤ 1000) entries."""
    unit = unit_for(request.user, unit_id)
    return [{"at": e.at.isoformat(), "user": e.username, "revision": e.revision,
             "action": e.action, "subject": e.subject, "zh": e.zh, "en": e.en,
             "changes": json.loads(e.changes)}
            for e in history_for(request.user, unit)[:limit]]


__all__ = ["api", "issue_token", "tempfile", "unit_to_data"]
