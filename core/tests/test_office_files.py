"""Uploaded Office files are real Office packages, not any ZIP, and no zip bomb."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from core.attachments import MAX_OFFICE_UNCOMPRESSED_BYTES, validate_attachment
from core.tests.sheets import post_import, xlsx_upload


def real_docx() -> bytes:
    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("调解笔录（示例）")
    doc.save(buf)
    return buf.getvalue()


def plain_zip(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A few hundred KB that would unpack past the limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", real_zip_member("[Content_Types].xml"))
        z.writestr("word/document.xml", b"\0" * (MAX_OFFICE_UNCOMPRESSED_BYTES + 1))
    return buf.getvalue()


def real_zip_member(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(real_docx())) as z:
        return z.read(name)


def test_real_docx_and_xlsx_are_accepted():
    assert validate_attachment(SimpleUploadedFile("笔录.docx", real_docx())) is None
    sheet = xlsx_upload(["名称"], [["示例"]]).read()
    assert validate_attachment(SimpleUploadedFile("台账.xlsx", sheet)) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("假文档.docx", plain_zip(**{"readme.txt": b"just a zip"})),
        # A spreadsheet renamed .docx: a real Office package, but not a Word one.
        ("改名.docx", xlsx_upload(["名称"], [["示例"]], "x.xlsx").read()),
        # The right part names without the declaration in [Content_Types].xml.
        ("拼凑.docx", plain_zip(**{"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})),
        ("假表格.xlsx", plain_zip(**{"[Content_Types].xml": b"<Types/>"})),
    ],
)
def test_a_zip_that_is_not_the_office_file_it_claims_is_refused(name, content):
    problem = validate_attachment(SimpleUploadedFile(name, content), label="签字盖章扫描件")
    ext = name.rsplit(".", 1)[-1]
    assert problem == f"签字盖章扫描件“{name}”不是有效的 .{ext} {'文档' if ext == 'docx' else '表格'}"


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    problem = validate_attachment(SimpleUploadedFile("炸弹.docx", bomb))
    assert problem is not None and problem.startswith(
        "附件“炸弹.docx”不是有效的 .docx 文档：解压后共50MB，超过上限50MB"
    )


def test_too_many_members_are_refused():
    members = {f"part{i}.xml": b"" for i in range(1001)}
    problem = validate_attachment(SimpleUploadedFile("多.xlsx", plain_zip(**members)))
    assert problem is not None and "包含1001个部件，超过上限1000个" in problem


def test_import_refuses_a_fake_xlsx_naming_the_file(world, client):
    client.force_login(world.users["justice"])
    fake = io.BytesIO(plain_zip(**{"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}))
    fake.name = "名册.xlsx"
    done = post_import(client, "people", fake)
    assert done.failed
    assert "导入文件不是有效的 .xlsx 表格，请使用下载的模板填写" in done.page
