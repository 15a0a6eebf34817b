from __future__ import annotations

from typing import Any

from django.db import models

from core.personal import EncryptedCharField
from core.scoping import ScopedManager
from core.workflow import WorkflowCase

from .choices import (
    AgreementKind,
    ConfirmationDecision,
    DisputeState,
    FailurePath,
    Fulfilment,
    PartyKind,
    PartyRole,
    RiskLevel,
    Route,
    Source,
    TransferBody,
)


class DisputeType(models.Model):
    """纠纷类型（区级可维护的分类）。"""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "纠纷类型"
        verbose_name_plural = "纠纷类型"
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


DESCRIPTION_MAX = 2000  # characters of 纠纷概要: a summary; longer material goes in an attachment


class Dispute(WorkflowCase):
    """矛盾纠纷：一次受理、全程留痕，直至协议履行完毕。``region`` 是纠纷所在的居村。"""

    state = models.CharField(
        "状态", max_length=40, choices=DisputeState.choices, default=DisputeState.RECEIVED, db_index=True
    )

    number = models.CharField("案件编号", max_length=40, unique=True)
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    source = models.CharField("纠纷来源", max_length=30, choices=Source.choices)
    external_ref = models.CharField("来源编号", max_length=80, blank=True)
    dispute_type = models.ForeignKey(DisputeType, verbose_name="纠纷类型", on_delete=models.PROTECT)
    grid = models.ForeignKey(
        "core.Region", verbose_name="网格", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("纠纷概要")
    address = models.CharField("纠纷发生地址", max_length=200, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    people_count = models.PositiveIntegerField("涉及人数", default=1)
    received_at = models.DateTimeField("受理时间", db_index=True)
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    risk_reasons = models.JSONField("风险研判理由", default=list, blank=True)
    risk_override_reason = models.CharField("人工调整理由", max_length=200, blank=True)
    route = models.CharField("化解方式", max_length=20, choices=Route.choices, blank=True)
    lead_unit = models.ForeignKey(
        "core.Unit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cooperating_units = models.ManyToManyField(
        "core.Unit", verbose_name="配合单位", blank=True, related_name="+"
    )
    transfer_body = models.CharField("移交机关", max_length=30, choices=TransferBody.choices, blank=True)
    committee = models.ForeignKey(
        "core.Unit",
        verbose_name="调解组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mediators = models.ManyToManyField(
        "core.Person", verbose_name="调解员", blank=True, related_name="disputes"
    )
    accepted_on = models.DateField("调解受理日期", null=True, blank=True)
    failure_path = models.CharField("引导途径", max_length=20, choices=FailurePath.choices, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    escalated_out = models.BooleanField("出街镇", default=False)
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_in_future = ("received_at",)  # core.validation refuses a receipt date after today

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="disputes_unique_external_ref",
            )
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="disputes_state_received"),
            # The look-up of a source's reference (every intake and import row): SQLite does not use the partial
            # unique index above for it, and scanned the table.
            models.Index(fields=["source", "external_ref"], name="disputes_source_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.dispute_type.name}"

    def get_absolute_url(self) -> str:
        return f"/disputes/{self.pk}/"

    @property
    def risk_findings(self) -> list[tuple[str, str]]:
        """The risk rules that fired, as (level in Chinese, reason) for pages and documents."""
        labels = dict(RiskLevel.choices)
        return [(str(labels.get(r.get("level"), "")), str(r.get("reason", ""))) for r in self.risk_reasons]


class Party(models.Model):
    """当事人：自然人（姓名、身份证号、电话、住址）或单位（名称、统一社会信用代码）。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=20, choices=PartyRole.choices)
    kind = models.CharField("类别", max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField("姓名/名称", max_length=100)
    id_number = EncryptedCharField("身份证号", blank=True, mask="id_number")
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedCharField("联系电话", blank=True, mask="phone")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField("住址", max_length=200, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)

    scope_path = "dispute__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["dispute", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    @property
    def region(self) -> Any:
        return self.dispute.region


class RepeatLink(models.Model):
    """重复纠纷关联：同一当事人（证件或电话）或同一地址在180日内的先前纠纷。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="repeat_links")
    earlier = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("关联原因", max_length=100)

    class Meta:
        verbose_name = "重复纠纷关联"
        verbose_name_plural = "重复纠纷关联"
        constraints = [models.UniqueConstraint(fields=["dispute", "earlier"], name="disputes_repeat_unique")]

    def __str__(self) -> str:
        return f"{self.dispute_id} ↔ {self.earlier_id}（{self.reason}）"


class Invitation(models.Model):
    """邀请参与调解：专家库专家、居村法律顾问、公职律师。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "core.Person", verbose_name="受邀人员", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField("邀请事由", max_length=200)
    invited_at = models.DateTimeField("邀请时间")
    by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "邀请参与调解"
        verbose_name_plural = "邀请参与调解"
        ordering = ["invited_at"]

    def __str__(self) -> str:
        return f"{self.dispute_id} 邀请 {self.person_id}"


class Escalation(models.Model):
    """向上报告：重大、高风险纠纷的上报记录。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="escalations")
    reported_to = models.CharField("报告对象", max_length=100)
    reported_at = models.DateTimeField("报告时间")
    note = models.CharField("说明", max_length=300, blank=True)
    by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "上报记录"
        verbose_name_plural = "上报记录"
        ordering = ["reported_at"]

    def __str__(self) -> str:
        return f"{self.dispute_id} → {self.reported_to}"


class MediationSession(models.Model):
    """调解记录：时间、地点、参加人员、经过。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("地点", max_length=100)
    participants = models.CharField("参加人员", max_length=300)
    summary = models.TextField("调解经过")
    by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class Agreement(models.Model):
    """人民调解协议（人民调解法第28-29条）：书面或口头；书面协议有编号，按公文格式生成。"""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    kind = models.CharField("协议形式", max_length=10, choices=AgreementKind.choices)
    number = models.CharField("协议编号", max_length=40, blank=True)
    facts = models.TextField("主要事实、争议事项及各方责任")
    terms = models.TextField("协议内容（履行方式、期限）")
    effective_on = models.DateField("生效日期")
    scan = models.FileField("签字盖章扫描件", upload_to="agreements/%Y/", blank=True)

    class Meta:
        verbose_name = "调解协议"
        verbose_name_plural = "调解协议"

    def __str__(self) -> str:
        return self.number or f"口头协议 {self.dispute_id}"


class FollowUp(models.Model):
    """履行回访：按协议每一履行期限安排的回访，以及回访结果。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="follow_ups")
    term = models.CharField("履行事项", max_length=200)
    due_on = models.DateField("履行期限")
    visited_on = models.DateField("回访日期", null=True, blank=True)
    fulfilment = models.CharField("履行情况", max_length=20, choices=Fulfilment.choices, blank=True)
    note = models.CharField("回访情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "履行回访"
        verbose_name_plural = "履行回访"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.term} {self.due_on}"


class JudicialConfirmation(models.Model):
    """司法确认：向法院申请、受理与裁定。"""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="confirmation")
    court = models.CharField("法院", max_length=100)
    applied_on = models.DateField("申请日期")
    accepted_on = models.DateField("法院受理日期", null=True, blank=True)
    decision = models.CharField("裁定结果", max_length=20, choices=ConfirmationDecision.choices, blank=True)
    decided_on = models.DateField("裁定日期", null=True, blank=True)

    class Meta:
        verbose_name = "司法确认"
        verbose_name_plural = "司法确认"

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.court}"


class VulnerablePerson(models.Model):
    """特殊群体档案：孤老、残疾、精神障碍、重点帮扶对象等；只有司法所与街镇领导可见。"""

    region = models.ForeignKey(
        "core.Region", verbose_name="所属居村", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    category = models.CharField("类别", max_length=50)
    id_number = EncryptedCharField("身份证号", blank=True, mask="id_number")
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedCharField("联系电话", blank=True, mask="phone")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "region__path"
    scope_roles = frozenset({"justice_coordinator", "street_leader", "administrator"})
    objects = ScopedManager()

    class Meta:
        verbose_name = "特殊群体档案"
        verbose_name_plural = "特殊群体档案"
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name


class RiskSettings(models.Model):
    """风险研判规则参数（区或街镇设定）：群体性人数、重复纠纷次数与期间、金额、敏感时期。"""

    region = models.OneToOneField(
        "core.Region", verbose_name="适用区域", on_delete=models.PROTECT, related_name="+"
    )
    group_people = models.PositiveIntegerField("群体性纠纷人数", default=5)
    repeat_count = models.PositiveIntegerField("重复纠纷起数", default=3)
    repeat_days = models.PositiveIntegerField("重复纠纷期间（日）", default=90)
    amount = models.DecimalField("金额阈值（元）", max_digits=14, decimal_places=2, default=100000)
    sensitive_periods = models.TextField(
        "敏感时期", blank=True, help_text="每行一段：开始日期 结束日期 名称，如 2026-09-28 2026-10-08 国庆"
    )

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "风险研判规则参数"
        verbose_name_plural = "风险研判规则参数"

    def __str__(self) -> str:
        return f"{self.region}风险研判参数"


class Attachment(models.Model):
    """附件：纠纷材料（图片、PDF、Word、Excel），单个不超过10MB。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="disputes/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name
