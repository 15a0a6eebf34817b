from __future__ import annotations

from django.conf import settings
from django.db import models

from core.scoping import ScopedManager


class Plan(models.Model):
    """推进计划：如法治建设三年行动计划的重点任务推进清单，属于一个街镇（或区）。"""

    region = models.ForeignKey("core.Region", verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("计划名称", max_length=200)
    start_year = models.PositiveSmallIntegerField("起始年度")
    end_year = models.PositiveSmallIntegerField("截止年度")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "推进计划"
        verbose_name_plural = "推进计划"
        ordering = ["-end_year", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="steering_plan_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/steering/plans/{self.pk}/"


class KeyTask(models.Model):
    """重点任务：工作任务、项目支撑、工作标准、责任主体（原文及对应的单位）、完成时限。"""

    plan = models.ForeignKey(Plan, verbose_name="推进计划", on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("工作任务", max_length=200)
    projects = models.TextField("项目支撑", blank=True)
    standards = models.TextField("工作标准", blank=True)
    responsible = models.TextField("责任主体（原文）")
    units = models.ManyToManyField("core.Unit", verbose_name="责任单位", related_name="key_tasks", blank=True)
    due_on = models.DateField("完成时限")
    progress = models.PositiveSmallIntegerField("当前进度（%）", default=0)
    last_reported_on = models.DateField("最近报送日期", null=True, blank=True)

    scope_path = "plan__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="steering_task_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return f"/steering/tasks/{self.pk}/"


def evidence_path(instance: TaskProgress, filename: str) -> str:
    return f"steering/tasks/{instance.task_id}/{filename}"


class ReportPeriod(models.TextChoices):
    """报送期次：一次进度报送说的是哪一年的哪一期（年度报告取当年最后一期的进度）。"""

    Q1 = "q1", "第一季度"
    Q2 = "q2", "第二季度"
    Q3 = "q3", "第三季度"
    Q4 = "q4", "第四季度"
    ANNUAL = "annual", "全年"


# The order of a year's periods, and the first month each covers (a period cannot be reported before it begins).
PERIOD_RANK = {
    ReportPeriod.Q1: 1,
    ReportPeriod.Q2: 2,
    ReportPeriod.Q3: 3,
    ReportPeriod.Q4: 4,
    ReportPeriod.ANNUAL: 5,
}
PERIOD_FIRST_MONTH = {
    ReportPeriod.Q1: 1,
    ReportPeriod.Q2: 4,
    ReportPeriod.Q3: 7,
    ReportPeriod.Q4: 10,
    ReportPeriod.ANNUAL: 1,
}


class TaskProgress(models.Model):
    """进度报送：某年某期（季度或全年）的完成百分比、进展说明和佐证（文件、平台内记录链接，或往年记录的佐证说明）。

    只增不改。某年度报告中的任务进度，是该年度（含以前年度）最后一期报送的进度，而不是今天的进度。
    """

    task = models.ForeignKey(
        KeyTask, verbose_name="重点任务", on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField("报送日期")
    year = models.PositiveSmallIntegerField("所属年度")
    period = models.CharField("报送期次", max_length=10, choices=ReportPeriod.choices)
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    note = models.TextField("进展说明")
    evidence_file = models.FileField("佐证材料", upload_to=evidence_path, blank=True)
    evidence_link = models.CharField("平台内记录链接", max_length=300, blank=True)
    evidence_note = models.CharField(
        "佐证说明", max_length=300, blank=True, help_text="往年记录：佐证材料的名称和存放处"
    )
    historical = models.BooleanField("历史数据导入", default=False)
    unit = models.ForeignKey(
        "core.Unit", verbose_name="报送单位", null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "task__plan__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "任务进度"
        verbose_name_plural = "任务进度"
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} {self.year}年{self.get_period_display()} {self.percent}%"

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.get_period_display()}"

    @property
    def sort_key(self) -> tuple[int, int, object, int]:
        """Later periods sort after earlier ones; within a period, the later report wins."""
        return (self.year, PERIOD_RANK[ReportPeriod(self.period)], self.reported_on, self.pk or 0)


class RegionMap(models.Model):
    """区域底图：街镇（或区）上传的 GeoJSON，要素以名称属性对应下级区域（居村或街镇）。"""

    region = models.OneToOneField(
        "core.Region", verbose_name="区域", on_delete=models.CASCADE, related_name="+"
    )
    geojson = models.TextField("GeoJSON")
    name_property = models.CharField("名称属性", max_length=40, default="name")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "区域底图"
        verbose_name_plural = "区域底图"

    def __str__(self) -> str:
        return f"{self.region} 底图"


class AnnualReport(models.Model):
    """法治政府建设年度报告的编辑稿：四个部分的文字（由数据起草、可修改），数据始终取自记录。"""

    region = models.ForeignKey("core.Region", verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    part1 = models.TextField("一、第一责任人履职情况")
    part2 = models.TextField("二、主要举措和成效")
    part3 = models.TextField("三、存在的不足和原因")
    part4 = models.TextField("四、下一年度主要安排")
    figures_digest = models.CharField("保存时的数据指纹", max_length=32)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField("保存时间", auto_now=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "年度报告编辑稿"
        verbose_name_plural = "年度报告编辑稿"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="steering_report_unique")]

    def __str__(self) -> str:
        return f"{self.region}{self.year}年法治政府建设年度报告"
