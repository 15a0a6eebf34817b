from __future__ import annotations

from django.db import models

from core.scoping import ScopedManager
from core.workflow import WorkflowCase

from .choices import (
    Adoption,
    Aspect,
    CatalogueState,
    CleanupDecision,
    Conclusion,
    DecisionState,
    NormativeState,
    ReviewKind,
    ReviewState,
)


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
    evaluated_on = models.DateField("决策后评估日期", null=True, blank=True)
    evaluation = models.TextField("决策后评估结论", blank=True)

    class Meta:
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/administration/decisions/{self.pk}/"


class DecisionCatalogue(WorkflowCase):
    """重大行政决策事项年度目录：编制、审定（会议和日期）、向社会公布（日期和载体）。

    目录的事项是该街镇该年度的 ``MajorDecision``；目录审定后增补事项须说明调整理由（记入时间线）。
    """

    state = models.CharField(
        "状态", max_length=40, choices=CatalogueState.choices, default=CatalogueState.DRAFTING, db_index=True
    )
    year = models.PositiveSmallIntegerField("目录年度")
    approval_meeting = models.CharField("审定会议", max_length=100, blank=True)
    approved_on = models.DateField("审定日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    published_where = models.CharField("公布载体", max_length=100, blank=True)

    class Meta:
        verbose_name = "重大行政决策目录"
        verbose_name_plural = "重大行政决策目录"
        ordering = ["-year", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="admin_catalogue_unique")]

    def __str__(self) -> str:
        return f"{self.region.name}{self.year}年度重大行政决策事项目录"

    def get_absolute_url(self) -> str:
        return f"/administration/decisions/?year={self.year}&region={self.region_id}"


class NormativeDocument(WorkflowCase):
    """行政规范性文件：起草、征求意见、合法性审查、集体审议、公布施行、备案、有效期届满前评估、清理。"""

    state = models.CharField(
        "状态", max_length=40, choices=NormativeState.choices, default=NormativeState.DRAFTING, db_index=True
    )
    title = models.CharField("文件名称", max_length=200)
    drafting_unit = models.ForeignKey(
        "core.Unit", verbose_name="起草单位", on_delete=models.PROTECT, related_name="+"
    )
    trial = models.BooleanField("暂行或试行", default=False)
    review = models.OneToOneField(
        ReviewItem,
        verbose_name="合法性审查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="normative_document",
    )
    meeting = models.CharField("审议会议", max_length=100, blank=True)
    meeting_on = models.DateField("审议日期", null=True, blank=True)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True, db_index=True)
    filed_on = models.DateField("报送备案日期", null=True, blank=True)
    evaluated_on = models.DateField("评估日期", null=True, blank=True)
    evaluation = models.TextField("评估意见", blank=True)
    ended_on = models.DateField("废止、修订或失效日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政规范性文件"
        verbose_name_plural = "行政规范性文件"
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/administration/normative/{self.pk}/"


class CleanupCampaign(models.Model):
    """规范性文件清理：对一个区域全部现行有效文件逐件作出继续有效、修订或废止的决定。"""

    region = models.ForeignKey("core.Region", verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("清理名称", max_length=100)
    started_on = models.DateField("开始日期")

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "规范性文件清理"
        verbose_name_plural = "规范性文件清理"
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/administration/normative/cleanups/{self.pk}/"


class CleanupEntry(models.Model):
    """清理中对一件文件的决定。"""

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="cleanups")
    decision = models.CharField("清理决定", max_length=20, choices=CleanupDecision.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "清理决定"
        verbose_name_plural = "清理决定"
        constraints = [models.UniqueConstraint(fields=["campaign", "document"], name="admin_cleanup_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.document_id}: {self.decision or '待定'}"


class ContractDetails(models.Model):
    """合同审核的合同要素：相对方（统一社会信用代码）、金额、类型、期限、审查发现的风险点，审查后的签订日期。"""

    review = models.OneToOneField(ReviewItem, on_delete=models.CASCADE, related_name="contract")
    counterparty = models.CharField("合同相对方", max_length=100)
    counterparty_uscc = models.CharField("相对方统一社会信用代码", max_length=18)
    amount = models.DecimalField("合同金额（元）", max_digits=14, decimal_places=2)
    contract_type = models.CharField("合同类型", max_length=50)
    term_start = models.DateField("期限起")
    term_end = models.DateField("期限止")
    risk_points = models.TextField("风险点", blank=True)
    signed_on = models.DateField("签订日期", null=True, blank=True)

    class Meta:
        verbose_name = "合同要素"
        verbose_name_plural = "合同要素"

    def __str__(self) -> str:
        return f"{self.counterparty} {self.amount}"


class MeetingAttendance(models.Model):
    """司法所所长列席主任办公会：会议、日期、列席人、议题及提出的法律建议。"""

    region = models.ForeignKey("core.Region", verbose_name="街镇", on_delete=models.PROTECT, related_name="+")
    meeting = models.CharField("会议", max_length=100, default="主任办公会")
    held_on = models.DateField("会议日期")
    attendee = models.CharField("列席人", max_length=50)
    topics = models.TextField("议题")
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "列席会议"
        verbose_name_plural = "列席会议"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.held_on}"


class MeetingSuggestion(models.Model):
    """列席会议时提出的一条法律建议及其采纳情况。"""

    attendance = models.ForeignKey(MeetingAttendance, on_delete=models.CASCADE, related_name="suggestions")
    text = models.CharField("法律建议", max_length=300)
    adopted = models.BooleanField("被采纳", null=True)

    class Meta:
        verbose_name = "会议法律建议"
        verbose_name_plural = "会议法律建议"

    def __str__(self) -> str:
        return self.text[:30]
