from __future__ import annotations

from django.conf import settings
from django.db import models

from core.scoping import ScopedManager


class IndicatorTarget(models.Model):
    """指标目标值：某区域某年度对某指标设定的目标。只增不改：每次调整新增一行，最新一行生效，历史可查。"""

    OPS = [(">=", "不低于"), (">", "高于"), ("<=", "不高于"), ("<", "低于"), ("=", "达到")]

    region = models.ForeignKey("core.Region", verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("指标代码", max_length=60)
    op = models.CharField("比较方式", max_length=2, choices=OPS, default=">=")
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField("目标表述", max_length=60)
    reason = models.CharField("调整理由", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("设定时间", auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "指标目标"
        verbose_name_plural = "指标目标"
        indexes = [models.Index(fields=["code", "year"])]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.text}"


def evidence_path(instance: IndicatorEntry, filename: str) -> str:
    return f"indicators/{instance.region_id}/{instance.code}/{filename}"


class IndicatorEntry(models.Model):
    """指标手工填报：尚无模块能计算的指标，由工作人员按区域和期间填报数值并附佐证。

    只增不改：更正即新增一行，最新一行生效，历史可查。
    """

    region = models.ForeignKey("core.Region", verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("指标代码", max_length=60)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    evidence = models.TextField("佐证说明")
    evidence_file = models.FileField("佐证材料", upload_to=evidence_path, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("填报时间", auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "指标手工填报"
        verbose_name_plural = "指标手工填报"
        indexes = [models.Index(fields=["region", "code", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.code} {self.period_start}—{self.period_end}: {self.value}"
