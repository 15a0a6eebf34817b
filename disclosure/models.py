from __future__ import annotations

from typing import Any

from django.db import models

from core.personal import EncryptedCharField
from core.scoping import ScopedManager
from core.workflow import WorkflowCase

from .choices import AnswerType, ApplicantKind, Channel, Delivery, RequestState


class DisclosureRequest(WorkflowCase):
    """依申请公开：一件政府信息公开申请，从收到（第31条确定收到日期）到答复送达。"""

    state = models.CharField(
        "状态", max_length=40, choices=RequestState.choices, default=RequestState.RECEIVED, db_index=True
    )
    number = models.CharField("申请编号", max_length=40, unique=True)
    channel = models.CharField("提交方式", max_length=20, choices=Channel.choices)
    submitted_on = models.DateField("提交日期")
    received_on = models.DateField("收到申请日期（第31条）")
    receipt_basis = models.CharField("收到日期依据", max_length=200)
    applicant_kind = models.CharField("申请人类别", max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_id_number = EncryptedCharField("身份证号", blank=True, mask="id_number")
    applicant_id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    applicant_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    applicant_phone = EncryptedCharField("联系电话", blank=True, mask="phone")
    applicant_address = models.CharField("通信地址", max_length=200, blank=True)
    content = models.TextField("申请公开的政府信息内容")
    correction_items = models.CharField("需补正内容", max_length=300, blank=True)
    correction_deadline = models.DateField("补正期限", null=True, blank=True)
    third_party = models.CharField("第三方", max_length=100, blank=True)
    answer_type = models.CharField("答复类型", max_length=30, choices=AnswerType.choices, blank=True)
    answer_detail = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    withdrawn_on = models.DateField("视为撤回日期", null=True, blank=True)
    letter_number = models.CharField("答复书编号", max_length=40, blank=True)
    delivery = models.CharField("送达方式", max_length=20, choices=Delivery.choices, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_in_future = ("submitted_on", "received_on")  # core.validation refuses dates after today

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    def get_absolute_url(self) -> str:
        return f"/disclosure/{self.pk}/"

    @property
    def concluded_on(self) -> Any:
        """The day the request was answered or treated as withdrawn (None while it is open)."""
        return self.answered_on or self.withdrawn_on


class ProactiveItem(models.Model):
    """主动公开事项：什么信息、在哪里公开、何时形成或变更、何时公开（20个工作日内，第26条）。"""

    region = models.ForeignKey(
        "core.Region", verbose_name="公开主体所在区域", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("信息名称", max_length=200)
    category = models.CharField("类别", max_length=50, blank=True)
    made_on = models.DateField("形成或变更日期")
    published_on = models.DateField("公开日期", null=True, blank=True)
    where = models.CharField("公开载体", max_length=100, blank=True, help_text="如：街道门户网站、政务公开栏")
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "主动公开事项"
        verbose_name_plural = "主动公开事项"
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return "/disclosure/proactive/"


class Challenge(models.Model):
    """就政府信息公开提起的行政复议、行政诉讼及其结果的旧登记（已迁入“行政复议和行政应诉”，年度报告第四部分
    由那里的案件生成）；保留其类别和结果的名称作为年报表四的行列。"""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION_DIRECT = "litigation_direct", "未经复议直接起诉"
        LITIGATION_AFTER = "litigation_after", "复议后起诉"

    class Result(models.TextChoices):
        UPHELD = "upheld", "结果维持"
        CORRECTED = "corrected", "结果纠正"
        OTHER = "other", "其他结果"
        PENDING = "pending", "尚未审结"

    region = models.ForeignKey(
        "core.Region", verbose_name="被申请/被告机关所在区域", on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        DisclosureRequest,
        verbose_name="相关申请",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    filed_on = models.DateField("申请或起诉日期")
    result = models.CharField("结果", max_length=20, choices=Result.choices, default=Result.PENDING)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "政府信息公开复议诉讼"
        verbose_name_plural = "政府信息公开复议诉讼"
        ordering = ["-filed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"
