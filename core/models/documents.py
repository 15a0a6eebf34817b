from __future__ import annotations

from django.db import models


class DocumentNumber(models.Model):
    """发文字号序列：某机关代字在某年已用到的序号，如 示司〔2026〕12号。"""

    prefix = models.CharField("机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "发文字号"
        verbose_name_plural = "发文字号"
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="core_docnumber_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_number}号"
