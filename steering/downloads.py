"""Key-task progress evidence, downloadable through core's one view (core/downloads.py) by everyone
who sees the task; each download is logged on the task's timeline."""

from __future__ import annotations

from core.downloads import Download, register

from .models import TaskProgress

register(
    Download(
        model=TaskProgress,
        field="evidence_file",
        visible=lambda user: TaskProgress.objects.visible_to(user),
        region=lambda p: p.task.plan.region,
        logged_on=lambda p: p.task,
    )
)
