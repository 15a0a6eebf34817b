from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.backup import BackupError, restore
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = "把备份恢复到空数据库（非空时拒绝），再按清单核对行数、审计链头与迁移，抽查个人信息可解密并校验审计链。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("backup", help="备份目录（含 manifest.json）")

    def handle(self, *args: Any, backup: str, **options: Any) -> None:
        self.progress(f"正在从 {backup} 恢复……")
        try:
            report = restore(Path(backup))
        except BackupError as exc:
            self.fail(str(exc))
        m = report.manifest
        self.progress(
            f"已恢复 {m['created_at']} 的备份（平台 {m['platform']['version']} {m['platform']['commit'][:12]}）："
            f"{report.tables} 张表共 {report.rows} 行与清单一致；审计链头一致；"
            f"抽查 {report.decrypted} 条个人信息均可用当前密钥解密；上传文件 {report.media_files} 个。"
        )
        call_command("verify_audit", verbosity=self.verbosity)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.progress("备份的数据库结构早于当前代码：请运行 manage.py migrate。")
