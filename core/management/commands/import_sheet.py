from __future__ import annotations

from typing import Any

from core.imports import BATCH, IMPORTERS, ImportFailed
from core.management.base import FazhiCommand
from core.models import User


class Command(FazhiCommand):
    help = "从电子表格导入（与页面导入相同的校验，全部成功或全部不导入），在终端显示进度。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True, help="以哪个账号的名义与范围导入")

    def handle(self, *args: Any, kind: str, path: str, username: str, **options: Any) -> None:
        from core.audit.context import acting_as

        user = User.objects.filter(username=username).first()
        if user is None:
            self.fail(f"账号 {username} 不存在")
        importer = IMPORTERS[kind]

        def progress(done: int, total: int, errors: int) -> None:
            if not total:
                return
            if done == 0:
                found = f"，发现{errors}处错误（继续检查其余各行）" if errors else ""
                self.progress(f"表格检查完毕：共{total}行{found}；开始写入……")
                return
            step = max(BATCH, total // 20)  # about every 5%
            if done % step < BATCH or done == total:
                tail = f"，错误 {errors} 处" if errors else ""
                self.progress(f"已处理 {done}/{total} 行（{done * 100 // total}%）{tail}")

        self.progress(f"正在检查表格：{path}")
        try:
            with open(path, "rb") as fh, acting_as(user):
                result = importer.run(fh, by=user, progress=progress)
        except FileNotFoundError:
            self.fail(f"找不到文件：{path}")
        except ImportFailed as exc:
            for e in exc.errors:
                self.stderr.write(str(e))
            self.fail(f"导入未完成：{len(exc.errors)} 处错误，未导入任何数据")
        self.progress(result.summary(importer.title))
