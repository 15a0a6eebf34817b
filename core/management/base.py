"""Shared base of Fazhi's management commands: progress output and a non-zero exit on failure."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError


class FazhiCommand(BaseCommand):
    def progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def fail(self, message: str) -> NoReturn:
        raise CommandError(message, returncode=1)

    def execute(self, *args: Any, **options: Any) -> Any:
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)


class DemoStreetCommand(FazhiCommand):
    """Shared shape of the ``load_demo_<app>`` commands: generate a module's demo data for one street
    through its generator, as the demo actor, and skip when the street already has some.

    A subclass names ``what`` (for messages), ``actor``, and implements ``exists`` and ``generate``.
    """

    what = "示例数据"
    actor = "demo"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--street", default="990100001", help="街镇区划代码")

    def exists(self, street: Any) -> bool:
        raise NotImplementedError

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        raise NotImplementedError

    def handle(self, *args: Any, seed: int, street: str, **options: Any) -> None:
        from core.audit.context import acting_as
        from core.models import Region

        region = Region.objects.filter(code=street, level="street").first()
        if region is None:
            self.fail(f"没有区划代码为 {street} 的街镇；请先运行 load_demo")
        if self.exists(region):
            self.progress(f"{region.name}已有{self.what}，跳过生成。")
            return
        with acting_as(None, self.actor):
            self.generate(region, seed=seed, **options)
        self.progress(f"已为{region.name}生成{self.what}。")
