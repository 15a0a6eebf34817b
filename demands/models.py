"""12345 work orders (市民服务热线工单): received from the city platform, dispatched to a unit, handled, replied to,
called back; the units' duty lists that a return (退单) is checked against."""

from __future__ import annotations

import re

from django.db import models

from core.personal import EncryptedCharField
from core.scoping import ScopedManager
from core.workflow import WorkflowCase

from .choices import (
    Callback,
    Channel,
    Opinion,
    OrderKind,
    OrderState,
    PetitionState,
    Resolution,
    ReturnReason,
    ReviewResult,
    TimeClass,
)

_NOT_ADDRESS = re.compile(r"[\s,，。.;；、()（）\-—#号]+")


def address_key(address: str) -> str:
    """The address as a look-up key: without spaces, punctuation and 号, so 示例路1号 and 示例路 1 号 are one."""
    return _NOT_ADDRESS.sub("", address or "")[:200]


class Duty(models.Model):
    """职责清单：某单位承担的工单事项类别。以“不属于本单位职责”退单时，对照此清单核验。"""

    unit = models.ForeignKey(
        "core.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="duties"
    )
    category = models.CharField("事项类别", max_length=60)
    basis = models.CharField("职责依据", max_length=200, blank=True)

    scope_path = "unit__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "单位职责清单"
        verbose_name_plural = "单位职责清单"
        ordering = ["unit__name", "category"]
        constraints = [models.UniqueConstraint(fields=["unit", "category"], name="demands_duty_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.category}"


class WorkOrder(WorkflowCase):
    """12345热线工单：接收、派单、签收（或退单）、办理、答复、回访；不满意的重办。"""

    state = models.CharField(
        "状态", max_length=40, choices=OrderState.choices, default=OrderState.RECEIVED, db_index=True
    )
    number = models.CharField("工单编号", max_length=40, unique=True)
    kind = models.CharField("诉求类型", max_length=20, choices=OrderKind.choices)
    time_class = models.CharField("时限类别", max_length=20, choices=TimeClass.choices)
    category = models.CharField("事项类别", max_length=60, db_index=True)
    content = models.TextField("诉求内容")
    address = models.CharField("地址", max_length=200, blank=True)
    address_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    caller_name = models.CharField("来电人", max_length=50, blank=True)
    caller_phone = EncryptedCharField("来电号码", blank=True, mask="phone")
    caller_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    received_at = models.DateTimeField("接收时间", db_index=True)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    dispatched_on = models.DateField("派单日期", null=True, blank=True)
    first_contact_on = models.DateField("首次联系来电人日期", null=True, blank=True)
    complex_reason = models.CharField("列为复杂工单的理由", max_length=200, blank=True)
    returns = models.PositiveIntegerField("退单次数", default=0)
    reopened = models.PositiveIntegerField("重办次数", default=0)
    replied_on = models.DateField("办结答复日期", null=True, blank=True, db_index=True)
    resolution = models.CharField("办理结果", max_length=20, choices=Resolution.choices, blank=True)
    reply = models.TextField("答复内容", blank=True)
    callback_on = models.DateField("回访日期", null=True, blank=True, db_index=True)
    callback = models.CharField("回访结果", max_length=20, choices=Callback.choices, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    dispute = models.ForeignKey(
        "disputes.Dispute",
        verbose_name="转人民调解的纠纷",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    enforcement_case = models.ForeignKey(
        "enforcement.EnforcementCase",
        verbose_name="转行政执法的案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_in_future = ("dispatched_on", "first_contact_on", "replied_on", "callback_on", "closed_on")

    class Meta:
        verbose_name = "12345热线工单"
        verbose_name_plural = "12345热线工单"
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    def get_absolute_url(self) -> str:
        return f"/demands/orders/{self.pk}/"


class OrderReturn(models.Model):
    """一次退单：退回的单位、理由（对照职责清单核验）和说明。"""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="return_records")
    unit = models.ForeignKey("core.Unit", verbose_name="退单单位", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("退单理由", max_length=20, choices=ReturnReason.choices)
    note = models.CharField("说明", max_length=300)
    returned_on = models.DateField("退单日期")
    by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_path = "order__region__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "退单记录"
        verbose_name_plural = "退单记录"
        ordering = ["returned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.order.number} {self.get_reason_display()}"


class Petition(WorkflowCase):
    """信访事项：登记、受理（15日内）、办理（60日，经批准可延长30日）、书面处理意见、复查和复核（各30日）。"""

    state = models.CharField(
        "状态", max_length=40, choices=PetitionState.choices, default=PetitionState.RECEIVED, db_index=True
    )
    number = models.CharField("信访件编号", max_length=40, unique=True)
    external_ref = models.CharField("信访信息系统编号", max_length=60, blank=True, db_index=True)
    channel = models.CharField("信访形式", max_length=20, choices=Channel.choices)
    petitioner = models.CharField("信访人", max_length=100)
    petitioner_id_number = EncryptedCharField("身份证号", blank=True, mask="id_number")
    petitioner_id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    petitioner_phone = EncryptedCharField("联系电话", blank=True, mask="phone")
    petitioner_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    people_count = models.PositiveIntegerField("人数", default=1)
    category = models.CharField("事项类别", max_length=60)
    content = models.TextField("信访事项")
    received_on = models.DateField("收到日期", db_index=True)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    decided_on = models.DateField("不予受理或转送日期", null=True, blank=True)
    decision_reason = models.TextField("不予受理或转送的理由", blank=True)
    transferred_to = models.CharField("转送机关", max_length=100, blank=True)
    opinion_on = models.DateField("出具处理意见日期", null=True, blank=True, db_index=True)
    opinion = models.CharField("处理意见", max_length=20, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField("处理意见书内容", blank=True)
    opinion_served_on = models.DateField("处理意见送达信访人日期", null=True, blank=True)
    review_requested_on = models.DateField("请求复查日期", null=True, blank=True)
    reviewed_on = models.DateField("复查意见日期", null=True, blank=True)
    review_result = models.CharField("复查结果", max_length=20, choices=ReviewResult.choices, blank=True)
    recheck_requested_on = models.DateField("请求复核日期", null=True, blank=True)
    rechecked_on = models.DateField("复核意见日期", null=True, blank=True)
    recheck_result = models.CharField("复核结果", max_length=20, choices=ReviewResult.choices, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    dispute = models.ForeignKey(
        "disputes.Dispute",
        verbose_name="访调联动的纠纷",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_in_future = (
        "received_on",
        "accepted_on",
        "decided_on",
        "opinion_on",
        "opinion_served_on",
        "review_requested_on",
        "reviewed_on",
        "recheck_requested_on",
        "rechecked_on",
        "closed_on",
    )

    # A petition may complain of a unit or an officer: only the desk, the leaders, the justice office, the district
    # and the auditor see it (the petitioner's particulars are kept from those complained of, 《信访工作条例》第46条)
    scope_roles = frozenset(
        {"hotline", "street_leader", "justice_coordinator", "district_staff", "auditor", "administrator"}
    )

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    def get_absolute_url(self) -> str:
        return f"/demands/petitions/{self.pk}/"

    @property
    def is_group(self) -> bool:
        from .choices import GROUP_SIZE

        return self.people_count >= GROUP_SIZE
