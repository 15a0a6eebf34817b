"""Uploaded files of a case are downloadable through core's one view: scoped, checked, logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from core.audit.timeline import timeline_of
from core.downloads import downloads
from core.tests.test_office_files import plain_zip, zip_bomb

PNG = b"\x89PNG\r\n\x1a\n(sample image)"


@pytest.fixture
def case_with_attachment(world, intake, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return intake(attachments=[SimpleUploadedFile("现场照片.png", PNG)])


def test_attachment_downloaded_by_its_street_and_404_to_another(world, client, case_with_attachment):
    d = case_with_attachment
    client.force_login(world.users["justice"])
    page = client.get(f"/disputes/{d.pk}/").content.decode()
    attachment = d.attachments.get()
    link = f"/files/disputes.attachment.file/{attachment.pk}/"
    assert f'href="{link}"' in page and "现场照片.png" in page
    r = client.get(link)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png" and "attachment" in r["Content-Disposition"]
    event = timeline_of(d).last()
    assert event.kind == "file.download" and event.summary == "下载文件：现场照片.png"
    assert event.actor == world.users["justice"]
    assert (
        "下载文件：现场照片.png" in client.get(f"/disputes/{d.pk}/").content.decode()
    )  # on the case's timeline

    client.force_login(world.users["other"])  # 示例二街道's coordinator
    assert client.get(link).status_code == 404
    client.force_login(world.users["mediator_b"])  # another community of the same street
    assert client.get(link).status_code == 404
    assert client.get("/files/disputes.attachment.file/999999/").status_code == 404
    assert client.get(f"/files/disputes.nosuch.file/{attachment.pk}/").status_code == 404


def test_in_scope_without_the_right_is_403_and_no_link(world, client, case_with_attachment):
    d = case_with_attachment
    attachment = d.attachments.get()
    events = timeline_of(d).count()
    client.force_login(world.users["auditor"])  # reads the case, may not reveal personal data
    page = client.get(f"/disputes/{d.pk}/").content.decode()
    assert "现场照片.png" in page and "/files/disputes.attachment.file/" not in page
    r = client.get(f"/files/disputes.attachment.file/{attachment.pk}/")
    assert r.status_code == 403
    assert timeline_of(d).count() == events
    client.logout()
    assert client.get(f"/files/disputes.attachment.file/{attachment.pk}/").status_code == 302  # to login


def test_fake_docx_and_zip_bomb_are_refused_at_intake(world, intake):
    for name, content, text in [
        ("协议.docx", plain_zip(**{"readme.txt": b"just a zip"}), "附件“协议.docx”不是有效的 .docx 文档"),
        ("炸弹.docx", zip_bomb(), "解压后共50MB，超过上限50MB"),
    ]:
        with pytest.raises(ValidationError) as exc:
            intake(attachments=[SimpleUploadedFile(name, content)])
        assert text in exc.value.message_dict["attachments"][0]


def test_every_file_field_has_a_download():
    from django.apps import apps

    fields = {
        f"{m._meta.label_lower}.{f.name}"
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField) and not m._meta.app_label.startswith(("captcha", "axes"))
    }
    assert fields <= set(downloads()), f"没有下载入口的文件字段：{sorted(fields - set(downloads()))}"
