"""Indicators no module computes yet: the rest of the district table of the district plan (徐汇区全面依法治区第十四个五年规划).

Rows 4, 5, 6 and 10 of that table are computed by the administration and disclosure apps, row 11 by the
enforcement app, rows 7 and 8 by the respondent app (their ``source`` names the row). The others take manual entries with evidence until a module computes them.
"""

from __future__ import annotations

from core.indicators import Indicator, IndicatorKind, register

DISTRICT_PLAN = "《徐汇区全面依法治区第十四个五年规划》主要指标"
B, E = IndicatorKind.BINDING, IndicatorKind.EXPECTED

# (row, category, name, kind, unit, target)
DISTRICT_TABLE = [
    (1, "依法执政", "“三重一大”事项提交区委常委会审议率", B, "%", "100"),
    (2, "依法执政", "区委理论学习中心组专题学法次数", B, "次", "2"),
    (3, "依法执政", "法治建设第一责任人履职情况年终述职率", B, "%", "100"),
    (9, "依法行政", "行政复议法定审限内结案率", B, "%", "100"),
    (12, "依法行政", "“一网通办”全程网上办理覆盖率", E, "%", "90"),
    (13, "公正司法", "法定审限内结案率", B, "%", "100"),
    (14, "公正司法", "一审案件服判息诉率", E, "%", "90"),
    (15, "公正司法", "一审陪审率", E, "%", "90"),
    (16, "公正司法", "案件改判发回率", B, "%", "低于全市平均值"),
    (17, "公正司法", "公益诉讼检察建议落实整改率", E, "%", "100"),
    (18, "法治社会", "公共法律服务满意度", E, "%", "全市前列"),
    (19, "法治社会", "常住人口每万人律师占有数", E, "/万人", "12"),
    (20, "法治社会", "社会组织孵化培育和活动场所覆盖率", E, "%", "50以上"),
    (21, "法治社会", "一居一警(辅警)覆盖率", E, "%", "100"),
    (22, "法治社会", "户籍人口中社会工作专业人才占比", E, "%", "0.1以上"),
    (23, "法治社会", "公众安全指数", E, "/", "90"),
]

register(
    *[
        Indicator(
            code=f"district.{row:02d}",
            name=name,
            kind=kind,
            unit=unit,
            target=target,
            source=f"{DISTRICT_PLAN} 第{row}项（{category}）",
            method="尚无模块计算：按年度手工填报数值并附佐证材料。",
            app="steering",
            order=900 + row,
        )
        for row, category, name, kind, unit, target in DISTRICT_TABLE
    ]
)
