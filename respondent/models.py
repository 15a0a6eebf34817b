"""The street (or one of its units) as respondent in reconsideration or defendant in litigation: the case, its
hearings with who appeared, and the rectification an adverse outcome opens."""

from __future__ import annotations

from django.db import models

from core.scoping import ScopedManager
from core.workflow import WorkflowCase

from .choices import ADVERSE, ActKind, Appearance, CaseState, Instance, Kind, Outcome


class RespondentCase(WorkflowCase):
    """行政复议、行政诉讼案件（本街镇为被申请人或被告）：答复答辩、庭审与负责人出庭、结果、纠错败诉整改。"""

    state = models.CharField(
        "状态", max_length=40, choices=CaseState.choices, default=CaseState.RECEIVED, db_index=True
    )
    number = models.CharField("案件编号", max_length=40, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    after_reconsideration = models.BooleanField("经复议后起诉", default=False)
    body = models.CharField("复议机关或人民法院", max_length=100)
    body_ref = models.CharField("复议或诉讼案号", max_length=80, blank=True, db_index=True)
    applicant = models.CharField("申请人（原告）", max_length=100)
    unit = models.ForeignKey(
        "core.Unit", verbose_name="被申请人（被告）承办单位", on_delete=models.PROTECT, related_name="+"
    )
    act_kind = models.CharField("被申请（被诉）行为类别", max_length=20, choices=ActKind.choices)
    act = models.CharField("被申请（被诉）行为", max_length=300)
    enforcement_case = models.ForeignKey(
        "enforcement.EnforcementCase",
        verbose_name="被申请（被诉）的行政执法案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    disclosure_request = models.ForeignKey(
        "disclosure.DisclosureRequest",
        verbose_name="被申请（被诉）的政府信息公开答复",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="respondent_cases",
    )
    filed_on = models.DateField("申请（起诉）日期")
    received_on = models.DateField("收到申请书（起诉状）副本日期", db_index=True)
    replied_on = models.DateField("提交答复（答辩）和证据日期", null=True, blank=True)
    decided_on = models.DateField("决定（裁判）日期", null=True, blank=True, db_index=True)
    outcome = models.CharField("结果", max_length=30, choices=Outcome.choices, blank=True)
    instance = models.CharField("审级", max_length=10, choices=Instance.choices, blank=True)
    appealed_on = models.DateField("上诉日期", null=True, blank=True)
    opinion_letter_on = models.DateField("收到行政复议意见书日期", null=True, blank=True)
    rectification_unit = models.ForeignKey(
        "core.Unit",
        verbose_name="整改责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification_report = models.TextField("整改情况", blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_in_future = (
        "filed_on",
        "received_on",
        "replied_on",
        "decided_on",
        "appealed_on",
        "opinion_letter_on",
        "rectified_on",
        "closed_on",
    )

    class Meta:
        verbose_name = "行政复议、行政诉讼案件"
        verbose_name_plural = "行政复议、行政诉讼案件"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.applicant}"

    def get_absolute_url(self) -> str:
        return f"/respondent/{self.pk}/"

    @property
    def adverse(self) -> bool:
        return self.outcome in ADVERSE


class Hearing(models.Model):
    """一次庭审（或复议听证）及出庭应诉的人员：负责人出庭或其未出庭的理由。"""

    case = models.ForeignKey(RespondentCase, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField("开庭日期")
    appearance = models.CharField("出庭情况", max_length=20, choices=Appearance.choices)
    appeared = models.CharField("出庭人员及职务", max_length=100)
    reason = models.CharField("负责人未出庭的理由", max_length=300, blank=True)
    lawyer = models.CharField("委托的律师", max_length=100, blank=True)

    scope_path = "case__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "庭审和出庭应诉"
        verbose_name_plural = "庭审和出庭应诉"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.held_on} {self.get_appearance_display()}"


__all__ = ["Hearing", "Outcome", "RespondentCase"]
