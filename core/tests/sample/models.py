from django.db import models

from core.workflow import WorkflowCase


class SampleState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    CLOSED = "closed", "已办结"
    RETURNED = "returned", "已退回"


class SampleCase(WorkflowCase):
    """示例案件：只用于测试核心机制。"""

    title = models.CharField("标题", max_length=100)
    assignee = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "示例案件"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/sample/{self.pk}/"
