from __future__ import annotations

from django.db import models

from core.scoping import ScopedManager

from .regions import Region


class ImportedRecord(models.Model):
    """导入来源登记：某类记录的一个来源编号（台账编号、外部系统编号）已导入为哪条记录。

    A retried spreadsheet import or API call with the same source reference finds the record here
    and writes nothing (``core.history.already`` / ``remember``). ``region`` is the street (or the
    district) the reference belongs to: two streets may use the same numbering.
    """

    kind = models.CharField("数据类别", max_length=40)
    region = models.ForeignKey(Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField("来源编号", max_length=80)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "导入来源登记"
        verbose_name_plural = "导入来源登记"
        constraints = [
            models.UniqueConstraint(fields=["kind", "region", "source_ref"], name="core_imported_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_ref}"
