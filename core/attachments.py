"""Uploaded files (attachments, evidence, scans): one check of type, size and content for every module."""

from __future__ import annotations

from typing import Any

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension -> the first bytes a file of that type starts with (a renamed file is refused).
ALLOWED_ATTACHMENTS = {
    ".pdf": [b"%PDF"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
}


def validate_attachment(upload: Any) -> str | None:
    """The reason (in Chinese, naming the file) an upload is refused, or None when it is acceptable."""
    name = getattr(upload, "name", "") or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_ATTACHMENTS:
        return f"附件“{name}”的类型不允许，只接受 PDF、JPG、PNG、Word(.docx)、Excel(.xlsx)"
    if upload.size > MAX_ATTACHMENT_BYTES:
        return f"附件“{name}”过大（{upload.size // 1024 // 1024}MB），上限为10MB"
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_ATTACHMENTS[ext]):
        return f"附件“{name}”的内容与扩展名不符"
    return None
