from __future__ import annotations

from typing import Any

from core.backup import BackupError
from core.management.base import FazhiCommand
from core.move import MAX_REPORTED, MoveRefused, move_database


class Command(FazhiCommand):
    help = (
        "把当前数据库的全部数据原样迁移到另一个空数据库（如试点的 SQLite 迁往 PostgreSQL）："
        "先检查每个值都能写入，再逐表复制（保留微秒与密文），最后在目标库校验审计链。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--to", required=True, help="目标数据库地址，如 postgres://fazhi:…@db/fazhi（须为空库）"
        )

    def handle(self, *args: Any, to: str, **options: Any) -> None:
        try:
            report = move_database(to, progress=self.progress)
        except MoveRefused as exc:
            for misfit in exc.misfits[:MAX_REPORTED]:
                self.stderr.write(f"不能写入：{misfit}")
            if len(exc.misfits) > MAX_REPORTED:
                self.stderr.write(f"……另有 {len(exc.misfits) - MAX_REPORTED} 个值未列出")
            self.fail(str(exc))
        except BackupError as exc:
            self.fail(str(exc))
        self.progress(report.verify_output)
        self.progress(
            f"迁移完成：{len(report.counts)} 张表共 {sum(report.counts.values())} 行，行数一致，目标库审计链完整。"
            "请把 DATABASE_URL 改为目标数据库后再启动平台。"
        )
