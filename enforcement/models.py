"""Enforcement records: officers' certificates and training, the street's enforcement items, and the cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from core.personal import EncryptedCharField
from core.scoping import ScopedManager
from core.workflow import WorkflowCase

from .choices import (
    CaseState,
    EvidenceKind,
    InspectionResult,
    Outcome,
    PartyKind,
    Procedure,
    ServiceMethod,
    Source,
    SubjectKind,
)


class Certificate(models.Model):
    """行政执法证：持证上岗（《行政处罚法》第42条），有效期内方可执法。"""

    person = models.ForeignKey(
        "core.Person", verbose_name="执法人员", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("执法证号", max_length=40, unique=True)
    issuer = models.CharField("发证机关", max_length=100)
    field = models.CharField("执法领域", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期至", db_index=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_path = "person__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "行政执法证"
        verbose_name_plural = "行政执法证"
        ordering = ["person__name", "-valid_to"]

    def __str__(self) -> str:
        return f"{self.person.name} {self.number}"

    @property
    def region(self) -> Any:
        return self.person.region

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


class Training(models.Model):
    """执法人员年度培训学时。"""

    person = models.ForeignKey(
        "core.Person", verbose_name="执法人员", on_delete=models.PROTECT, related_name="enforcement_training"
    )
    held_on = models.DateField("培训日期")
    topic = models.CharField("培训内容", max_length=200)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    scope_path = "person__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "执法培训"
        verbose_name_plural = "执法培训"
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person.name} {self.held_on} {self.topic}"

    @property
    def region(self) -> Any:
        return self.person.region


class EnforcementItem(models.Model):
    """执法事项：街镇依法承接的行政处罚事项（《行政处罚法》第24条），含裁量基准和轻微免罚清单。"""

    region = models.ForeignKey("core.Region", verbose_name="街镇", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    basis = models.CharField(
        "法律依据", max_length=300, help_text="如《上海市市容环境卫生管理条例》第二十四条"
    )
    penalty_range = models.CharField("处罚种类和幅度", max_length=300)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    discretion = models.TextField("裁量基准（第34条）", blank=True)
    minor_exempt = models.BooleanField("列入轻微违法免罚或首违不罚清单", default=False)
    needs_review = models.BooleanField(
        "作出决定前须法制审核", default=False, help_text="《行政处罚法》第58条所列情形或本街镇清单所列事项"
    )
    review_threshold = models.DecimalField(
        "罚款达到此金额须法制审核（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField("有效", default=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["region__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="enforcement_item_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def review_required(self, fine: Any, hearing: bool = False) -> bool:
        """Whether a decision on this item needs legality review first (第58条; the street's own list)."""
        if self.needs_review or hearing:
            return True
        return bool(self.review_threshold is not None and fine is not None and fine >= self.review_threshold)


class EnforcementCase(WorkflowCase):
    """行政执法案件：立案到结案归档，三项制度（公示、全过程记录、法制审核）全程留痕。"""

    state = models.CharField(
        "状态", max_length=40, choices=CaseState.choices, default=CaseState.FILED, db_index=True
    )
    number = models.CharField("案件编号", max_length=40, unique=True)
    procedure = models.CharField("程序", max_length=20, choices=Procedure.choices)
    source = models.CharField("案件来源", max_length=30, choices=Source.choices)
    source_ref = models.CharField("来源编号", max_length=80, blank=True)
    dispute = models.ForeignKey(
        "disputes.Dispute",
        verbose_name="关联矛盾纠纷",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    item = models.ForeignKey(
        EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT, related_name="cases"
    )
    party_kind = models.CharField("当事人类别", max_length=20, choices=PartyKind.choices)
    party_name = models.CharField("当事人", max_length=100)
    party_id_number = EncryptedCharField("身份证号", blank=True, mask="id_number")
    party_id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    party_address = models.CharField("地址", max_length=200, blank=True)
    facts = models.TextField("违法事实")
    offence_on = models.DateField("违法行为发生日期")
    harms_safety = models.BooleanField("涉及公民生命健康安全、金融安全且有危害后果", default=False)
    filed_on = models.DateField("立案日期")
    officers = models.ManyToManyField(
        "core.Person", verbose_name="执法人员", related_name="enforcement_cases"
    )
    notified_on = models.DateField("事先告知日期", null=True, blank=True)
    hearing_requested = models.BooleanField("当事人申请听证", default=False)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_presider = models.ForeignKey(
        "core.Person",
        verbose_name="听证主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review = models.OneToOneField(
        "administration.ReviewItem",
        verbose_name="法制审核",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_case",
    )
    collective_on = models.DateField("集体讨论日期（第57条）", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=30, choices=Outcome.choices, blank=True)
    fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    education = models.TextField("教育情况（第33条）", blank=True)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=20, choices=ServiceMethod.choices, blank=True)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    surcharge = models.DecimalField("加处罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    publicity_where = models.CharField("公示载体", max_length=100, blank=True)
    revoked_on = models.DateField("撤销或变更日期", null=True, blank=True)
    publicity_withdrawn_on = models.DateField("撤回公示日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    preserved_on = models.DateField("先行登记保存日期", null=True, blank=True)
    preserved_items = models.TextField("先行登记保存的证据", blank=True)
    preservation_decided_on = models.DateField("先行登记保存处理日期", null=True, blank=True)
    preservation_decision = models.CharField("处理决定", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_in_future = (
        "offence_on",
        "filed_on",
        "notified_on",
        "decided_on",
        "served_on",
        "paid_on",
        "published_on",
        "revoked_on",
        "publicity_withdrawn_on",
        "closed_on",
        "preserved_on",
        "preservation_decided_on",
    )

    class Meta:
        verbose_name = "行政执法案件"
        verbose_name_plural = "行政执法案件"
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}"

    def get_absolute_url(self) -> str:
        return f"/enforcement/{self.pk}/"

    @property
    def penalised(self) -> bool:
        return self.outcome in (Outcome.FINE, Outcome.WARNING, Outcome.FINE_AND_CONFISCATION)


class Evidence(models.Model):
    """证据和执法全过程记录（《行政处罚法》第46-47条）：上传的文件或执法记录仪文件，连同其SHA-256摘要记入时间线。"""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("证据种类", max_length=20, choices=EvidenceKind.choices)
    title = models.CharField("证据名称", max_length=200)
    collected_on = models.DateField("取得日期")
    file = models.FileField("文件", upload_to="enforcement/%Y/%m/", blank=True)
    external_ref = models.CharField("执法记录仪等存储的文件编号", max_length=100, blank=True)
    sha256 = models.CharField("SHA-256摘要", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["collected_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Subject(models.Model):
    """检查对象名录：街镇内的市场主体和场所（双随机抽查从中抽取；每个对象一本检查台账）。"""

    region = models.ForeignKey("core.Region", verbose_name="街镇", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=SubjectKind.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    active = models.BooleanField("在册", default=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象"
        ordering = ["region__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/enforcement/subjects/{self.pk}/"


class InspectionPlan(models.Model):
    """双随机抽查计划：随机抽取检查对象和执法人员（随机种子留存，可复现、可审计），检查结果依法公开。"""

    region = models.ForeignKey("core.Region", verbose_name="街镇", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("计划编号", max_length=40, unique=True)
    title = models.CharField("抽查事项", max_length=200)
    item = models.ForeignKey(
        EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT, related_name="+"
    )
    sample_size = models.PositiveIntegerField("抽取对象数")
    planned_on = models.DateField("计划检查日期")
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_on = models.DateField("结果公开日期", null=True, blank=True)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "双随机抽查计划"
        verbose_name_plural = "双随机抽查计划"
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return f"/enforcement/inspections/{self.pk}/"


class Inspection(models.Model):
    """一次检查：抽查计划抽中的，或其他单位对同一对象的检查（记入对象的检查台账）。"""

    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name="抽查计划",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    subject = models.ForeignKey(
        Subject, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey("core.Unit", verbose_name="检查单位", on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField("core.Person", verbose_name="执法人员", related_name="inspections")
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    result = models.CharField(
        "检查结果", max_length=20, choices=InspectionResult.choices, default=InspectionResult.PENDING
    )
    finding = models.CharField("检查情况", max_length=300, blank=True)
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name="立案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path = "subject__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["subject__name", "pk"]

    def __str__(self) -> str:
        return f"{self.subject.name} {self.inspected_on or ''}"

    @property
    def region(self) -> Any:
        return self.subject.region


class Rubric(models.Model):
    """案卷评查标准：否决项（任一项不合格，案卷为0分）和评分项（分值），由区或街镇设定。"""

    region = models.ForeignKey(
        "core.Region", verbose_name="设定区域", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=100)
    items = models.JSONField("评查项目", help_text="[{code, label, kind: veto|score, points, group}]")
    pass_mark = models.PositiveIntegerField("合格分数线", default=60)

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "案卷评查标准"
        verbose_name_plural = "案卷评查标准"
        ordering = ["region__path", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def vetoes(self) -> list[dict[str, Any]]:
        return [i for i in self.items if i["kind"] == "veto"]

    @property
    def scored(self) -> list[dict[str, Any]]:
        return [i for i in self.items if i["kind"] == "score"]

    @property
    def full_marks(self) -> int:
        return sum(int(i["points"]) for i in self.scored)


class EvaluationCampaign(models.Model):
    """案卷评查：年度案卷自查（执法队对本单位已办结案卷）或评查活动（司法所、区司法局组织）。"""

    class Kind(models.TextChoices):
        SELF_CHECK = "self_check", "案卷自查"
        CAMPAIGN = "campaign", "案卷评查"

    region = models.ForeignKey(
        "core.Region", verbose_name="评查范围", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    started_on = models.DateField("开始日期")
    rubric = models.ForeignKey(Rubric, verbose_name="评查标准", on_delete=models.PROTECT, related_name="+")

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "案卷评查活动"
        verbose_name_plural = "案卷评查活动"
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/enforcement/evaluations/{self.pk}/"


class Evaluation(models.Model):
    """一卷案卷的评查结果：各评分项得分、否决项，总分和等次；在办案件可以预评。"""

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.CASCADE, related_name="evaluations")
    case = models.ForeignKey(
        EnforcementCase, verbose_name="案卷", on_delete=models.PROTECT, related_name="evaluations"
    )
    scores = models.JSONField("各项得分", default=dict)
    vetoes = models.JSONField("否决项", default=list)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1)
    passed = models.BooleanField("合格")
    note = models.CharField("评查意见", max_length=500, blank=True)
    preliminary = models.BooleanField("预评（在办案件）", default=False)
    evaluated_on = models.DateField("评查日期")
    evaluator = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "case__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "案卷评查结果"
        verbose_name_plural = "案卷评查结果"
        ordering = ["campaign", "case__number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "case"], name="enforcement_one_evaluation")
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.total}"

    @property
    def region(self) -> Any:
        return self.case.region
