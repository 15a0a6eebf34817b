from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings

from core.backup import BackupError, backup, read_manifest
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = (
        "备份数据库（SQLite 用 backup API，PostgreSQL 用 pg_dump）与上传文件，附带清单；平台运行时也可备份。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--to",
            default=None,
            help="备份存放目录（默认 FAZHI_BACKUP_DIR，否则 .local/backups）",
        )

    def handle(self, *args: Any, to: str | None, **options: Any) -> None:
        where = Path(
            to or os.environ.get("FAZHI_BACKUP_DIR") or Path(settings.BASE_DIR) / ".local" / "backups"
        )
        self.progress("正在备份……")
        try:
            done = backup(where)
        except BackupError as exc:
            self.fail(str(exc))
        manifest = read_manifest(done)
        heads = "，".join(f"{k} 第 {v['last_seq']} 号" for k, v in manifest["chain_heads"].items()) or "无"
        self.progress(
            f"备份完成：{done}\n"
            f"  数据库：{manifest['database']['kind']}，{len(manifest['tables'])} 张表，"
            f"{sum(manifest['tables'].values())} 行；审计链头：{heads}；上传文件 {manifest['media_files']} 个。\n"
            "  个人信息在备份中仍为密文；字段密钥 FAZHI_FIELD_KEY 不在备份中，请另行妥善保管。"
        )
