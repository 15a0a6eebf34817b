"""Uploaded files (attachments, evidence, scans): one check of type, size and content for every module."""

from __future__ import annotations

import zipfile
from typing import IO, Any

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Office files are ZIP packages: what they may unpack to (zip bombs), as the central directory says.
# zipfile never inflates a member past its declared size, so these bound the work of any later reader.
MAX_OFFICE_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_OFFICE_MEMBERS = 1000
# Extension -> (the package's main part, its content type in [Content_Types].xml, what to call it).
OFFICE_PACKAGES = {
    ".docx": (
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ".docx 文档",
    ),
    ".xlsx": (
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ".xlsx 表格",
    ),
}
# Extension -> the first bytes a file of that type starts with (a renamed file is refused).
ALLOWED_ATTACHMENTS = {
    ".pdf": [b"%PDF"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
}


def validate_attachment(upload: Any, *, label: str = "附件") -> str | None:
    """The reason (in Chinese, naming the field and the file) an upload is refused, or None when acceptable."""
    name = getattr(upload, "name", "") or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_ATTACHMENTS:
        return f"{label}“{name}”的类型不允许，只接受 PDF、JPG、PNG、Word(.docx)、Excel(.xlsx)"
    if upload.size > MAX_ATTACHMENT_BYTES:
        return f"{label}“{name}”过大（{upload.size // 1024 // 1024}MB），上限为10MB"
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_ATTACHMENTS[ext]):
        return f"{label}“{name}”的内容与扩展名不符"
    if ext in OFFICE_PACKAGES:
        problem = office_problem(upload, ext)
        upload.seek(0)
        if problem:
            return f"{label}“{name}”{problem}"
    return None


def office_problem(file: IO[bytes], ext: str) -> str | None:
    """Why ``file`` is not a real Office package of type ``ext`` (a phrase in Chinese), or None.

    A real .docx/.xlsx is a ZIP holding ``[Content_Types].xml`` that declares the main part of its
    type (``word/document.xml`` / ``xl/workbook.xml``), which is there too; any other ZIP is refused.
    Only the central directory and the small ``[Content_Types].xml`` are read: a zip bomb (members
    that unpack to more than MAX_OFFICE_UNCOMPRESSED_BYTES, or more than MAX_OFFICE_MEMBERS of them)
    is refused before anything is inflated.
    """
    main_part, main_type, what = OFFICE_PACKAGES[ext]
    not_office = f"不是有效的 {what}"
    try:
        with zipfile.ZipFile(file) as package:
            members = package.infolist()
            if len(members) > MAX_OFFICE_MEMBERS:
                return f"{not_office}：包含{len(members)}个部件，超过上限{MAX_OFFICE_MEMBERS}个"
            total = sum(m.file_size for m in members)
            if total > MAX_OFFICE_UNCOMPRESSED_BYTES:
                limit = MAX_OFFICE_UNCOMPRESSED_BYTES // 1024 // 1024
                return f"{not_office}：解压后共{total // 1024 // 1024}MB，超过上限{limit}MB"
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or main_part not in names:
                return not_office
            types = package.getinfo("[Content_Types].xml")
            if types.file_size > 1024 * 1024:
                return not_office
            if main_type not in package.read(types):
                return not_office
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return not_office
    return None
