from __future__ import annotations

from django.db import models


class CalendarYear(models.Model):
    """某年放假安排（国务院办公厅通知）已录入本平台。

    For years that ``chinesecalendar`` does not know, a year recorded here is an official
    schedule: its ``CalendarDay`` rows are the holidays and make-up working days, every other
    day follows the weekend rule. A year in neither source is provisional (weekends only).
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice = models.CharField("依据通知", max_length=200, help_text="如：国办发明电〔2026〕X号")
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "放假安排年度"
        verbose_name_plural = "放假安排年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年放假安排"


class CalendarDay(models.Model):
    """放假安排中的一天：法定节假日（休）或调休上班日（班）。"""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选为调休上班日，不勾选为放假")
    name = models.CharField("节日名称", max_length=30, blank=True)

    class Meta:
        verbose_name = "放假安排日期"
        verbose_name_plural = "放假安排日期"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'班' if self.is_working_day else '休'} {self.name}"
