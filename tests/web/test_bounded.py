"""Imports bounded in time and memory, parser crashes contained (issue 18 §3, §5): the web
worker answers with the file's name and carries on. SQLite here, PostgreSQL through
test_postgres.py."""

from __future__ import annotations

import ctypes
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tanjiliang.model.errors import Issue, LoadError
from tanjiliang.web.core import bounded
from tanjiliang.web.core import models as m


def _slow(n: int) -> int:
    time.sleep(n)
    return n


def _crash() -> None:
    ctypes.string_at(0)  # a segfault, as a C parser fed a recursive alias did


def _hog() -> bytes:
    return b"x" * (8 << 30)


def _refuse() -> None:
    raise LoadError([Issue("u.yaml", 3, "unit.name", "名称为空", "the name is empty")])


def test_result_comes_back_and_load_errors_keep_their_place() -> None:
    assert bounded.run(_slow, 0, name="x") == 0
    with pytest.raises(LoadError) as err:
        bounded.run(_refuse, name="u.yaml")
    assert err.value.issues[0].line == 3 and err.value.issues[0].path == "unit.name"


@override_settings(IMPORT_SECONDS=1)
def test_time_limit_stops_the_child_not_the_worker() -> None:
    t = time.monotonic()
    with pytest.raises(LoadError) as err:
        bounded.run(_slow, 30, name="big.xlsx")
    assert time.monotonic() - t < 10
    assert "big.xlsx" in err.value.message("zh") and "秒" in err.value.message("zh")


def test_parser_crash_is_contained() -> None:
    with pytest.raises(LoadError) as err:
        bounded.run(_crash, name="alias.yaml")
    assert "abnormally" in err.value.message("en")


@override_settings(IMPORT_MEMORY_MB=256)
def test_memory_limit() -> None:
    with pytest.raises(LoadError) as err:
        bounded.run(_hog, name="bomb.xlsx")
    assert "memory" in err.value.message("en")


@override_settings(IMPORT_SECONDS=2)
def test_web_import_answers_with_the_file_name_when_the_parser_dies(world: Any,
                                                                     monkeypatch: Any) -> None:
    from tanjiliang.web.core import changes

    monkeypatch.setattr(changes, "_parse_upload", lambda name, content: _crash())
    c = world.client(world.a)
    before = m.Unit.objects.count()
    up = SimpleUploadedFile("alias.yaml", b"a: &a [*a]\n", content_type="application/yaml")
    r = c.post(reverse("unit-import-new"), {"file": up})
    assert r.status_code == 400 and "alias.yaml" in r.content.decode()
    assert m.Unit.objects.count() == before
    # the worker is still serving
    assert c.get(reverse("unit-list")).status_code == 200
