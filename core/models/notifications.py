from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message to one user inside the platform: a case assigned to them or their unit, a report upward, a
    leader's 催办/督办. The step itself is on the case's timeline; this is its delivery to a person."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "分派"
        ESCALATED = "escalated", "上报"
        URGED = "urged", "催办督办"
        REMINDER = "reminder", "到期提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.CharField("内容", max_length=500, blank=True)
    url = models.CharField("链接", max_length=200)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notification_unread")]

    def __str__(self) -> str:
        return self.title
