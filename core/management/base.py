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
