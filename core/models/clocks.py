from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from core.scoping import ScopedManager

from .people import User
from .regions import Region


class Clock(models.Model):
    """计时：某一案件上的一个法定或约定期限（调解期限、答复期限……）。

    The rule (``rule_id``) comes from the registry in ``core.clocks.rules``. ``due_on`` and
    ``provisional`` are recomputed by the clock services from the rule, the start, pauses and
    extensions; never edit them by hand. ``region`` and ``assignee`` mirror the case so the
    "my work" page reads every case type's clocks in one query.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    name = models.CharField("计时名称", max_length=40)
    rule_id = models.CharField("时限规则", max_length=60)
    title = models.CharField("事项", max_length=200)
    region = models.ForeignKey(Region, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        User, verbose_name="承办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="clocks"
    )
    started_on = models.DateField("起算事件日期")
    start_event = models.CharField("起算事件", max_length=60, blank=True)
    due_on = models.DateField("截止日期", db_index=True)
    provisional = models.BooleanField("暂定日期", default=False)
    met_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "计时"
        verbose_name_plural = "计时"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "name"], name="core_clock_unique_name"
            ),
        ]
        indexes = [models.Index(fields=["met_on", "due_on"], name="core_clock_open_due")]

    def __str__(self) -> str:
        return f"{self.title} · {self.rule_name}"

    @property
    def rule_name(self) -> str:
        """The rule's Chinese name, e.g. 人民调解期限 (what pages show instead of the clock's slot name)."""
        from core.clocks.rules import RULES

        rule = RULES.get(self.rule_id)
        return rule.name if rule else self.rule_id


class ClockPause(models.Model):
    """计时中止：自 ``paused_on`` 次日至 ``resumed_on`` 当日（含）不计入期限。"""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField("中止日期")
    resumed_on = models.DateField("恢复日期", null=True, blank=True)
    reason = models.CharField("事由", max_length=200)

    class Meta:
        verbose_name = "计时中止"
        verbose_name_plural = "计时中止"
        ordering = ["paused_on", "id"]

    def __str__(self) -> str:
        return f"{self.paused_on}–{self.resumed_on or '…'} {self.reason}"


class ClockExtension(models.Model):
    """延长期限：长度（与规则同单位）、批准人、理由。"""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="extensions")
    length = models.PositiveIntegerField("延长")
    approver = models.ForeignKey(User, verbose_name="批准人", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("理由", max_length=200)
    approved_on = models.DateField("批准日期")

    class Meta:
        verbose_name = "延长期限"
        verbose_name_plural = "延长期限"
        ordering = ["approved_on", "id"]

    def __str__(self) -> str:
        return f"+{self.length} {self.reason}"


class ClockRuleSetting(models.Model):
    """可配置时限规则的地方设定：某区（或街镇）对某规则的期限长度及其依据。"""

    rule_id = models.CharField("时限规则", max_length=60)
    region = models.ForeignKey(Region, verbose_name="适用区域", on_delete=models.PROTECT, related_name="+")
    length = models.PositiveIntegerField("期限长度")
    source = models.CharField("设定依据", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "时限规则地方设定"
        verbose_name_plural = "时限规则地方设定"
        constraints = [models.UniqueConstraint(fields=["rule_id", "region"], name="core_rulesetting_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.region}: {self.length}"
