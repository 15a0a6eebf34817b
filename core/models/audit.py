from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from core.scoping import ScopedManager

from .people import User


class ChainHead(models.Model):
    """哈希链的链头：每条链最新的序号与哈希，用于发现末尾记录被删除。"""

    name = models.CharField(max_length=30, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "哈希链头"
        verbose_name_plural = "哈希链头"

    def __str__(self) -> str:
        return f"{self.name} #{self.last_seq}"


class TimelineEvent(models.Model):
    """案件时间线事件：谁、何时、做了什么、数据，以及前一事件的哈希（只增不改）。"""

    seq = models.PositiveBigIntegerField(unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=30)
    action = models.CharField("动作", max_length=60, blank=True)
    summary = models.CharField("摘要", max_length=300)
    data = models.JSONField("数据", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "时间线事件"
        verbose_name_plural = "时间线事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["content_type", "object_id", "seq"], name="core_timeline_case")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.summary}"


class ChangeLog(models.Model):
    """变更日志：任何模型的每一次写入（含管理后台），记录操作人、请求号、修改前后。"""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField("时间")
    # PROTECT: an account the chain names is never deleted (it is deactivated), or the chain would break.
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    request_id = models.CharField("请求号", max_length=64, blank=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    region_path = models.CharField("所属区域路径", max_length=255, blank=True, db_index=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    scope_path = "region_path"
    # Snapshots of rows that were themselves checked when they were saved (core.validation), masked where
    # personal: not walked again for every entry.
    unchecked_fields = ("before", "after")
    objects = ScopedManager()

    class Meta:
        verbose_name = "变更日志"
        verbose_name_plural = "变更日志"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_changelog_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"
