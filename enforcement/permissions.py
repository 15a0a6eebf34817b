"""The enforcement module's rows of the permission table (core/permissions.py): everything outside the workflow."""

from __future__ import annotations

from core.permissions import Permission, declare
from core.roles import Role

GROUP = "行政执法"
OFFICERS = frozenset({Role.OFFICER})
TEAM = frozenset({Role.OFFICER, Role.STREET_LEADER})  # the team and the head who signs its decisions
REGISTER = frozenset({Role.JUSTICE_COORDINATOR, Role.OFFICER, Role.ADMINISTRATOR})
HISTORY_IMPORT = "enforcement.history.import"

declare(
    Permission(
        "enforcement.file", "立案（普通程序）或登记简易程序案件", "行政执法案件", OFFICERS, group=GROUP
    ),
    Permission(
        "enforcement.record", "登记公示、缴款、撤回公示等执法环节", "行政执法案件", OFFICERS, group=GROUP
    ),
    Permission("enforcement.review", "将拟作出的处罚决定送法制审核", "行政执法案件", OFFICERS, group=GROUP),
    Permission(
        "enforcement.items", "维护执法事项目录（含裁量基准、免罚清单）", "执法事项", REGISTER, group=GROUP
    ),
    Permission(
        HISTORY_IMPORT,
        "导入往年已结案的行政执法案件（连同立案、告知、审核、决定、送达、公示、缴款、结案各环节）",
        "行政执法案件",
        REGISTER,
        group=GROUP,
    ),
    Permission("enforcement.officers", "登记执法证和培训学时", "执法人员", REGISTER, group=GROUP),
    Permission("enforcement.subjects", "维护检查对象名录", "双随机抽查", REGISTER, group=GROUP),
    Permission(
        "enforcement.evaluate",
        "开展案卷自查和案卷评查、评分",
        "案卷评查",
        frozenset({Role.OFFICER, Role.JUSTICE_COORDINATOR, Role.REVIEWER, Role.DISTRICT_STAFF}),
        group=GROUP,
    ),
    Permission(
        "enforcement.inspect",
        "制定抽查计划、随机抽取、登记和公开检查结果",
        "双随机抽查",
        OFFICERS,
        group=GROUP,
    ),
)
