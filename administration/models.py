from __future__ import annotations

from django.db import models

from core.workflow import WorkflowCase

from .choices import Adoption, Aspect, Conclusion, DecisionState, ReviewKind, ReviewState


class ReviewItem(WorkflowCase):
    """合法性审查事项：重大决策、规范性文件、合同、重大执法决定或其他事项，由送审单位提交。"""

    state = models.CharField(
        "状态", max_length=40, choices=ReviewState.choices, default=ReviewState.SUBMITTED, db_index=True
    )
    number = models.CharField("审查编号", max_length=40, unique=True)
    kind = models.CharField("事项类别", max_length=30, choices=ReviewKind.choices)
    title = models.CharField("事项名称", max_length=200)
    submitting_unit = models.ForeignKey(
        "core.Unit", verbose_name="送审单位", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("送审日期")
    materials = models.TextField("送审材料说明")
    reviewer = models.ForeignKey(
        "core.Person",
        verbose_name="审查人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    conclusion = models.CharField("审查结论", max_length=30, choices=Conclusion.choices, blank=True)
    opinion_on = models.DateField("出具意见日期", null=True, blank=True)
    opinion_number = models.CharField("意见书编号", max_length=40, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "合法性审查事项"
        verbose_name_plural = "合法性审查事项"
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return f"/administration/reviews/{self.pk}/"


class ReviewIssue(models.Model):
    """审查发现的问题（按主体权限、程序、内容、法律依据分列）及其修改建议；送审单位逐条反馈。"""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="issues")
    aspect = models.CharField("方面", max_length=20, choices=Aspect.choices)
    finding = models.TextField("发现的问题")
    suggestion = models.TextField("修改建议")
    adoption = models.CharField("采纳情况", max_length=20, choices=Adoption.choices, blank=True)
    response = models.CharField("反馈说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "审查意见"
        verbose_name_plural = "审查意见"
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}：{self.suggestion[:30]}"


class MajorDecision(WorkflowCase):
    """重大行政决策：公众参与、专家论证、风险评估、合法性审查、集体讨论决定，公布与归档。"""

    state = models.CharField(
        "状态", max_length=40, choices=DecisionState.choices, default=DecisionState.DRAFTING, db_index=True
    )
    year = models.PositiveSmallIntegerField("目录年度")
    title = models.CharField("决策事项", max_length=200)
    lead_unit = models.ForeignKey(
        "core.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    comment_from = models.DateField("征求意见起始日期", null=True, blank=True)
    comment_days = models.PositiveIntegerField("征求意见期限（日）", null=True, blank=True)
    short_comment_reason = models.CharField("缩短期限的理由", max_length=200, blank=True)
    expert_review = models.CharField("专家论证", max_length=200, blank=True)
    risk_assessment = models.CharField("风险评估", max_length=200, blank=True)
    review = models.OneToOneField(
        ReviewItem,
        verbose_name="合法性审查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )
    meeting = models.CharField("集体讨论会议", max_length=100, blank=True)
    meeting_on = models.DateField("会议日期", null=True, blank=True)
    speakers = models.CharField("发言人员", max_length=300, blank=True)
    dissent = models.CharField("不同意见", max_length=300, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    published_where = models.CharField("公布载体", max_length=100, blank=True)

    class Meta:
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/administration/decisions/{self.pk}/"
