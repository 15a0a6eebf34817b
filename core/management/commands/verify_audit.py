from __future__ import annotations

from typing import Any

from core.audit.timeline import verify_all
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = "校验时间线与变更日志的哈希链：完整时退出码为0，否则指出第一处断裂并以非0退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        breaks, counts = verify_all()
        if breaks:
            for b in breaks:
                self.stderr.write(f"审计链断裂：{b}")
            self.fail(f"发现 {len(breaks)} 条审计链断裂")
        self.progress(f"审计链完整：时间线 {counts['timeline']} 条，变更日志 {counts['changelog']} 条。")
