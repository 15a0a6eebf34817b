"""Anchors: signed copies of the chain heads kept outside the database.

A database administrator can delete a whole chain with its head, or put back an older head after
deleting the entries after it; the chain then still agrees with itself. ``manage.py anchor_audit``
(nightly, from cron or a systemd timer) appends one line per chain to
``FAZHI_AUDIT_ANCHOR_DIR/anchors.jsonl``: the chain's name, entry count, last hash and the time,
HMAC-signed with a sub-key of the audit secret. ``verify_audit`` compares the database with the
latest anchor of each chain (``core.audit.chain.verify``), so a wipe, a truncation or a
rolled-back head is named. The file is only ever appended to; production keeps the directory on
another machine or an append-only mount (docs/audit.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core.personal import derived_key

from .chain import Expected

FILE_NAME = "anchors.jsonl"


@dataclass(frozen=True)
class Anchor:
    """One signed chain head as written to the anchor file (一条审计链锚点)."""

    chain: str
    count: int
    last_hash: str
    at: str

    def message(self) -> bytes:
        return f"{self.chain}|{self.count}|{self.last_hash}|{self.at}".encode()

    def signature(self) -> str:
        return hmac.new(derived_key("fazhi-audit-anchor"), self.message(), hashlib.sha256).hexdigest()

    def expected(self) -> Expected:
        return Expected(count=self.count, last_hash=self.last_hash, at=self.at)


def anchor_file() -> Path:
    return Path(settings.FAZHI_AUDIT_ANCHOR_DIR) / FILE_NAME


def write_anchors(heads: dict[str, tuple[int, str]], *, now: dt.datetime | None = None) -> list[Anchor]:
    """Append a signed line per chain ``{name: (count, last_hash)}``; flushed and fsync'd."""
    from django.utils import timezone

    moment = (now or timezone.now()).astimezone(dt.UTC).isoformat(timespec="seconds")
    anchors = [Anchor(name, count, last_hash, moment) for name, (count, last_hash) in sorted(heads.items())]
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(
        json.dumps(
            {"chain": a.chain, "count": a.count, "last_hash": a.last_hash, "at": a.at, "mac": a.signature()},
            ensure_ascii=False,
        )
        + "\n"
        for a in anchors
    )
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, lines.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchors


def latest_anchors() -> tuple[dict[str, Anchor], list[str]]:
    """The newest correctly signed anchor of each chain, and the problems found in the file.

    A line whose signature does not match (edited, or written without the audit secret) is a
    problem; so is an anchor that counts fewer entries than an earlier one of the same chain
    (the file was edited to hide a rollback).
    """
    path = anchor_file()
    latest: dict[str, Anchor] = {}
    problems: list[str] = []
    if not path.exists():
        return latest, problems
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                anchor = Anchor(
                    str(data["chain"]), int(data["count"]), str(data["last_hash"]), str(data["at"])
                )
                mac = str(data["mac"])
            except (ValueError, KeyError, TypeError):
                problems.append(f"锚点文件 {path} 第 {number} 行格式不正确")
                continue
            if not hmac.compare_digest(mac, anchor.signature()):
                problems.append(
                    f"锚点文件 {path} 第 {number} 行签名不符（锚点被篡改或不是用本平台的审计密钥写的）"
                )
                continue
            earlier = latest.get(anchor.chain)
            if earlier is not None and anchor.count < earlier.count:
                problems.append(
                    f"锚点文件 {path} 第 {number} 行：[{anchor.chain}] 记录数 {anchor.count} 少于之前锚点的 "
                    f"{earlier.count}（链在两次锚定之间被回滚）"
                )
                continue
            latest[anchor.chain] = anchor
    return latest, problems
