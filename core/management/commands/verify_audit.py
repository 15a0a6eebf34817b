from __future__ import annotations

from typing import Any

from core.audit.anchors import anchor_file
from core.audit.verify import row_drift, verify_chains
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = (
        "在同一数据库快照上校验时间线与变更日志的哈希链，并与库外最新锚点比对；--rows 另核对每一行业务数据"
        "与其最后一条变更日志。完整时退出码为0，否则指出问题并以非0退出。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rows", action="store_true", help="逐行比对业务数据与变更日志，找出绕过平台直接修改的行"
        )

    def handle(self, *args: Any, rows: bool = False, **options: Any) -> None:
        report = verify_chains()
        problems = 0
        for b in report.breaks:
            self.stderr.write(f"审计链断裂：{b}")
            problems += 1
        for p in report.anchor_problems:
            self.stderr.write(f"锚点异常：{p}")
            problems += 1
        drifts: list[Any] = []
        checked = 0
        if rows:
            drifts, checked = row_drift()
            for d in drifts:
                self.stderr.write(f"数据与变更日志不符：{d}")
            problems += len(drifts)
        if problems:
            self.fail(f"发现 {problems} 处问题")
        self.progress(
            f"审计链完整：时间线 {report.counts['timeline']} 条，变更日志 {report.counts['changelog']} 条。"
        )
        if report.anchors:
            latest = max(a.at for a in report.anchors.values())
            self.progress(f"与库外锚点一致（最新锚点 {latest}，{anchor_file()}）。")
        else:
            self.progress(
                f"注意：{anchor_file()} 中还没有锚点，无法发现整链清空或链头回滚；请定时运行 manage.py anchor_audit。"
            )
        if rows:
            self.progress(f"业务数据与变更日志一致：已核对 {checked} 行。")
