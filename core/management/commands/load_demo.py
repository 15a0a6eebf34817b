from __future__ import annotations

from typing import Any

from core.demo import DEMO_PASSWORD, demo_loaded, load_demo
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = "载入示例数据（虚构的示例区、示例街道与示例二街道）。已载入时不重复载入。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20261123, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        if demo_loaded():
            self.progress("示例数据已存在，跳过载入。")
        else:
            self.progress("正在载入示例数据……")
            r = load_demo(seed=seed)
            self.progress(
                f"已载入：区域 {r.regions} 个，单位 {r.units} 个，账号 {r.users} 个，名册人员 {r.people} 人。"
            )
        self.progress("")
        self.progress(f"示例账号（密码均为 {DEMO_PASSWORD}）：")
        from core.demo import DEMO_ACCOUNTS

        for username, label, _, _ in DEMO_ACCOUNTS:
            self.progress(f"  {username:<16} {label}")
