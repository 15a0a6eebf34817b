from __future__ import annotations

from typing import Any

from core.imports import IMPORTERS, ImportFailed
from core.management.base import FazhiCommand
from core.models import User


class Command(FazhiCommand):
    help = "从电子表格导入（与页面导入相同的校验，全部成功或全部不导入）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True, help="以哪个账号的名义与范围导入")

    def handle(self, *args: Any, kind: str, path: str, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            self.fail(f"账号 {username} 不存在")
        try:
            with open(path, "rb") as fh:
                result = IMPORTERS[kind].run(fh, by=user)
        except FileNotFoundError:
            self.fail(f"找不到文件：{path}")
        except ImportFailed as exc:
            for e in exc.errors:
                self.stderr.write(str(e))
            self.fail(f"导入未完成：{len(exc.errors)} 处错误，未导入任何数据")
        self.progress(result.summary(IMPORTERS[kind].title))
