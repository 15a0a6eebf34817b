from __future__ import annotations

from typing import Any

from core.audit.anchors import anchor_file, write_anchors
from core.audit.verify import verify_chains
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = (
        "校验审计链后，把各链的记录数与最新哈希（带审计密钥签名）追加到库外锚点文件"
        "（FAZHI_AUDIT_ANCHOR_DIR）。每晚由 cron 或 systemd 定时器运行。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chains()
        if not report.intact:
            for b in report.breaks:
                self.stderr.write(f"审计链断裂：{b}")
            for p in report.anchor_problems:
                self.stderr.write(f"锚点异常：{p}")
            self.fail("审计链未通过校验，不写入锚点（请先查明原因）")
        anchors = write_anchors(report.heads)
        for a in anchors:
            self.progress(f"已锚定 [{a.chain}]：{a.count} 条，最新哈希 {a.last_hash[:16]}…，{a.at}")
        self.progress(f"锚点文件：{anchor_file()}")
