from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.scoping import ALL, ScopedQuerySet, scope_paths


class JobKind(models.TextChoices):
    IMPORT = "import", "数据导入"
    EXPORT = "export", "数据导出"
    REPORT = "report", "报告生成"
    NIGHTLY = "nightly", "夜间例行任务"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


def job_file_path(instance: Job, filename: str) -> str:
    """Every file of a job in a directory of its own: MEDIA_ROOT/jobs/<key>/<name>."""
    return f"{instance.directory}/{filename}"


class JobQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any, roles: Any = None) -> ScopedQuerySet:
        """The user's own jobs and those of the regions in their scope (a job stands in its owner's region)."""
        paths = scope_paths(user)
        if paths is ALL:
            return self.all()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        condition = Q(owner=user)
        for path in paths:
            condition |= Q(region__path__startswith=path)
        return self.filter(condition)


JobManager = models.Manager.from_queryset(JobQuerySet)


class Job(models.Model):
    """后台任务：一次导入、导出、报告生成或夜间例行任务，由后台任务进程执行（docs/jobs.md）。

    The row holds what the job page shows once the job has ended (state, rows, errors, result files).
    While it runs, its progress is written to a small file beside its files (``progress.json``), which
    the web process reads: on SQLite no other connection can write while an import holds the write
    lock, and the same file serves PostgreSQL. ``region`` places the job for scoping: the owner's
    region where the job's right comes from, so the owner's colleagues above see it too.
    """

    key = models.UUIDField("任务标识", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("任务类别", max_length=20, choices=JobKind.choices)
    subject = models.CharField("内容", max_length=60, help_text="导入或导出的数据类别、例行任务的名称")
    title = models.CharField("任务名称", max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name="所属区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField("状态", max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    params = models.JSONField("参数", default=dict, blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已处理行数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误（前若干处）", default=list, blank=True)
    summary = models.TextField("结果说明", blank=True)
    input_name = models.CharField("上传文件名", max_length=200, blank=True)
    input_file = models.FileField("上传文件", upload_to=job_file_path, max_length=300, blank=True)
    result_file = models.FileField("结果文件", upload_to=job_file_path, max_length=300, blank=True)
    error_file = models.FileField("错误报告", upload_to=job_file_path, max_length=300, blank=True)
    task_id = models.CharField("任务队列编号", max_length=64, blank=True)
    once_key = models.CharField(
        "例行任务标识",
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="同一例行任务每天只排一次",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_path = "region__path"
    objects = JobManager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "created_at"], name="core_job_owner_created"),
            models.Index(fields=["state", "created_at"], name="core_job_state_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job", args=[self.pk])

    @property
    def directory(self) -> str:
        return f"jobs/{self.key.hex}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
