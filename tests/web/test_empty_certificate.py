"""A certificate file of 0 bytes is no certificate (probe s10 web #14: it was stored and listed):
refused with a message naming it, and the confirmation it came with is not recorded, so the
user sends both again."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tanjiliang.web.core import models as m


def test_an_empty_certificate_file_is_refused_with_its_confirmation(world: Any) -> None:
    unit, ins = world.unit_a, world.ins_a
    client = world.client(world.a)
    revision = m.Unit.objects.get(pk=unit.pk).revision
    r = client.post(reverse("confirmation-add", args=[unit.pk, ins.pk]),
                    {"date": "2025-11-20", "kind": "verification", "result": "pass",
                     "file": SimpleUploadedFile("证书.pdf", b"")})
    page = r.content.decode()
    assert r.status_code == 400 and "文件“证书.pdf”是空的（0 字节），未保存" in page, page
    assert m.Unit.objects.get(pk=unit.pk).revision == revision
    assert not m.CertificateFile.objects.exists()
    r = client.post(reverse("file-upload", args=[unit.pk, ins.pk]), {"file": SimpleUploadedFile("c.pdf", b"")},
                    follow=True)
    assert "文件“c.pdf”是空的（0 字节），未保存" in r.content.decode()
    assert not m.CertificateFile.objects.exists()
    client.get("/?lang=en")
    r = client.post(reverse("file-upload", args=[unit.pk, ins.pk]), {"file": SimpleUploadedFile("c.pdf", b"")},
                    follow=True)
    assert 'the file “c.pdf” is empty (0 bytes) and was not saved' in r.content.decode()
