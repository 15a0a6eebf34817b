from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedFilter(models.Model):
    """A list's filters, columns and sort that a user saved under a name, to open the same ledger again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="saved_filters"
    )
    kind = models.CharField("列表", max_length=40)
    name = models.CharField("名称", max_length=40)
    query = models.CharField("筛选条件", max_length=2000)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "常用筛选"
        verbose_name_plural = "常用筛选"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "name"], name="core_savedfilter_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
