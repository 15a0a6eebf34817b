from __future__ import annotations

from typing import Any

from core.management.base import FazhiCommand
from core.workflow import registered, workflow_for


class Command(FazhiCommand):
    help = "输出流程表生成的状态图（Mermaid）。不带参数时输出全部已注册的案件类型。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("model", nargs="?", help="如 disputes.Dispute")

    def handle(self, *args: Any, model: str | None = None, **options: Any) -> None:
        try:
            workflows = [workflow_for(model)] if model else registered()
        except KeyError:
            self.fail(f"没有为 {model} 注册流程表")
        for wf in workflows:
            self.stdout.write(f"## {wf.model}\n\n```mermaid\n{wf.mermaid()}```\n")
