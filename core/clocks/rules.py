"""The registry of statutory time limits (``shared/RULES.md``), each with its legal basis.

Modules refer to rules by id (``disclosure.answer``); a district may set a different length for
rules marked configurable (``ClockRuleSetting``), and the setting and its source are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import models

from core.memo import remembered

if TYPE_CHECKING:
    from core.models import Region


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "wd", "个工作日"
    DAYS = "d", "日"
    MONTHS = "m", "个月"
    YEARS = "y", "年"


@dataclass(frozen=True)
class ClockRule:
    id: str
    name: str
    length: int
    unit: str
    counted_from: str
    basis: str
    extension_cap: int = 0  # in the rule's unit; 0 = no extension allowed
    extension_approver: str = ""
    configurable: bool = False
    # Where the law counts calendar days, a due date on a non-working day moves to the next one.
    roll_forward: bool = True
    note: str = ""
    setting_source: str = ""  # set when a local setting overrides the default length

    @property
    def length_text(self) -> str:
        return f"{self.length}{PeriodUnit(self.unit).label}"

    @property
    def extension_text(self) -> str:
        return f"{self.extension_cap}{PeriodUnit(self.unit).label}" if self.extension_cap else ""


WD, D, M, Y = PeriodUnit.WORKING_DAYS, PeriodUnit.DAYS, PeriodUnit.MONTHS, PeriodUnit.YEARS

RULES: dict[str, ClockRule] = {
    r.id: r
    for r in [
        ClockRule(
            "mediation.period",
            "人民调解期限",
            1,
            M,
            "受理",
            "《人民调解工作若干规定》（2002）第33条：一般在一个月内调结",
            configurable=True,
        ),
        ClockRule(
            "mediation.triage",
            "受理后研判",
            1,
            WD,
            "受理登记",
            "街镇对申请人的服务承诺：受理后1个工作日内研判并联系申请人（申请页面公开告知）",
            configurable=True,
            note="服务承诺而非法定期限，区可按本区规定调整长度",
        ),
        ClockRule(
            "mediation.acceptance",
            "分派后接受",
            2,
            WD,
            "分派调解组织",
            "街镇服务承诺：分派后2个工作日内由调解组织接受分派并联系当事人",
            configurable=True,
            note="服务承诺而非法定期限，区可按本区规定调整长度；退回或改派后按新的分派重新计时",
        ),
        ClockRule(
            "mediation.follow_up",
            "履行回访",
            0,
            D,
            "协议约定的履行期限",
            "《人民调解工作若干规定》（2002）：对调解协议的履行情况适时进行回访并记录",
            note="在履行期限当日（遇节假日顺延至其后第一个工作日）回访",
        ),
        ClockRule(
            "mediation.confirmation_window",
            "申请司法确认期限",
            30,
            D,
            "调解协议生效",
            "《人民调解法》第33条；《民事诉讼法》（2023）第205条",
        ),
        ClockRule(
            "mediation.court_confirmation",
            "法院司法确认审查期限",
            30,
            D,
            "法院受理",
            "《民事诉讼法》（2023）第187条（特别程序）",
        ),
        ClockRule(
            "disclosure.answer",
            "政府信息公开申请答复期限",
            20,
            WD,
            "收到申请（第31条确定收到日期）",
            "《政府信息公开条例》（2019）第33条",
            extension_cap=20,
            extension_approver="政府信息公开工作机构负责人",
            note="补正后自收到补正申请之日起重新计算；征求第三方意见时间不计算在内（第33条第3款）",
        ),
        ClockRule(
            "disclosure.correction_notice",
            "一次性告知补正期限",
            7,
            WD,
            "收到申请",
            "《政府信息公开条例》（2019）第30条",
            note="答复期限自收到补正的申请之日起计算",
        ),
        ClockRule(
            "disclosure.third_party",
            "第三方答复意见期限",
            15,
            WD,
            "第三方收到征求意见书",
            "《政府信息公开条例》（2019）第32条",
        ),
        ClockRule(
            "disclosure.proactive",
            "主动公开期限",
            20,
            WD,
            "信息形成或变更",
            "《政府信息公开条例》（2019）第26条",
        ),
        ClockRule(
            "decision.public_comment",
            "重大行政决策公开征求意见期",
            30,
            D,
            "决策草案公布",
            "《重大行政决策程序暂行条例》第15条",
            note="一般不少于30日；因情况紧急等原因需缩短的，应当予以说明",
            roll_forward=False,
        ),
        ClockRule(
            "decision.legality_review",
            "合法性审查时间",
            7,
            WD,
            "送请合法性审查",
            "《重大行政决策程序暂行条例》第27条（第25条：未经合法性审查不得提交讨论）",
            roll_forward=False,
            note="应当保证必要的审查时间，一般不少于7个工作日",
        ),
        ClockRule(
            "normative.validity",
            "行政规范性文件有效期",
            5,
            Y,
            "施行日期",
            "地方规范性文件管理规定（如《上海市行政规范性文件管理规定》）",
            configurable=True,
            roll_forward=False,
            note="暂行、试行文件一般为2年；有效期届满前6个月应当评估",
        ),
        ClockRule(
            "normative.validity_trial",
            "暂行、试行规范性文件有效期",
            2,
            Y,
            "施行日期",
            "地方规范性文件管理规定（如《上海市行政规范性文件管理规定》）",
            configurable=True,
            roll_forward=False,
        ),
        ClockRule(
            "normative.filing",
            "规范性文件报送备案期限",
            30,
            D,
            "公布",
            "地方规定；参照《法规规章备案条例》第3条",
            configurable=True,
        ),
        ClockRule(
            "reconsideration.reply",
            "行政复议答复期限",
            10,
            WD,
            "被申请人收到申请书副本",
            "《行政复议法》（2023）第48条；第88条：三、五、七、十日指工作日",
        ),
        ClockRule(
            "reconsideration.decision",
            "行政复议决定期限（普通程序）",
            60,
            D,
            "受理",
            "《行政复议法》（2023）第62条",
            extension_cap=30,
            extension_approver="行政复议机构负责人",
        ),
        ClockRule(
            "reconsideration.decision_simplified",
            "行政复议决定期限（简易程序）",
            30,
            D,
            "受理",
            "《行政复议法》（2023）第62条",
        ),
        ClockRule("litigation.defence", "行政诉讼答辩期限", 15, D, "收到起诉状副本", "《行政诉讼法》第67条"),
        ClockRule(
            "reconsideration.rectification_report",
            "行政复议意见书整改情况报告期限",
            60,
            D,
            "收到行政复议意见书",
            "《行政复议法》（2023）第76条",
        ),
        ClockRule(
            "respondent.rectification",
            "被纠错、败诉案件整改期限",
            30,
            D,
            "收到复议决定或裁判文书",
            "区依法行政考核要求（区按本区规定设置）",
            configurable=True,
            note="内部整改期限而非法定期限，区可按本区规定调整长度",
        ),
        ClockRule("litigation.first_instance", "行政诉讼一审审理期限", 6, M, "立案", "《行政诉讼法》第81条"),
        ClockRule(
            "litigation.first_instance_simplified",
            "行政诉讼简易程序审理期限",
            45,
            D,
            "立案",
            "《行政诉讼法》第83条",
        ),
        ClockRule("penalty.decision", "行政处罚决定期限", 90, D, "立案", "《行政处罚法》（2021）第60条"),
        ClockRule(
            "penalty.hearing_request",
            "当事人申请听证期限",
            5,
            WD,
            "告知听证权利",
            "《行政处罚法》（2021）第64条",
        ),
        ClockRule(
            "penalty.service", "行政处罚决定书送达期限", 7, WD, "作出决定", "《行政处罚法》（2021）第61条"
        ),
        ClockRule(
            "enforcement.publicity",
            "行政执法决定公示期限",
            7,
            WD,
            "作出决定",
            "国办发〔2018〕118号（行政执法三项制度）",
            configurable=True,
            note="行政许可、行政处罚7个工作日；其他执法决定20个工作日",
        ),
        ClockRule(
            "penalty.payment",
            "罚款缴纳期限",
            15,
            D,
            "收到行政处罚决定书",
            "《行政处罚法》（2021）第67条",
            note="逾期每日按罚款数额的3%加处罚款，加处罚款的数额不得超出罚款的数额（第72条）",
        ),
        ClockRule(
            "penalty.publicity_withdrawal",
            "撤回已公示的行政处罚决定期限",
            3,
            WD,
            "决定被撤销、确认违法或者确认无效",
            "《行政处罚法》（2021）第48条",
        ),
        ClockRule(
            "penalty.evidence_preservation",
            "先行登记保存证据的处理期限",
            7,
            WD,
            "先行登记保存",
            "《行政处罚法》（2021）第56条",
        ),
        ClockRule(
            "petition.acceptance",
            "信访事项受理告知期限",
            15,
            D,
            "收到信访事项",
            "《信访工作条例》（2022）第22-23条",
        ),
        ClockRule(
            "petition.handling",
            "信访事项办理期限",
            60,
            D,
            "受理",
            "《信访工作条例》（2022）第34条",
            extension_cap=30,
            extension_approver="上级机关",
        ),
        ClockRule(
            "petition.review",
            "信访事项复查期限",
            30,
            D,
            "收到复查请求",
            "《信访工作条例》（2022）第35条",
        ),
        ClockRule(
            "petition.recheck",
            "信访事项复核期限",
            30,
            D,
            "收到复核请求",
            "《信访工作条例》（2022）第36条",
        ),
        ClockRule(
            "hotline.ordinary",
            "12345热线工单办理期限（求助、投诉类）",
            5,
            WD,
            "收到工单",
            "地方12345热线工作规定（区按本区规定设置）",
            configurable=True,
            extension_cap=10,
            extension_approver="街镇分管领导（列为复杂工单）",
            note="复杂工单经批准延长10个工作日，共15个工作日",
        ),
        ClockRule(
            "hotline.consultation",
            "12345热线工单办理期限（咨询类）",
            1,
            WD,
            "收到工单",
            "地方12345热线工作规定（区按本区规定设置）",
            configurable=True,
        ),
        ClockRule(
            "hotline.first_contact",
            "12345热线工单首次联系来电人",
            1,
            WD,
            "收到工单",
            "地方12345热线工作规定（区按本区规定设置）",
            configurable=True,
        ),
        ClockRule(
            "hotline.rehandle",
            "12345热线工单回访不满意重办期限",
            3,
            WD,
            "回访不满意",
            "地方12345热线工作规定（区按本区规定设置）",
            configurable=True,
        ),
    ]
}


class UnknownRule(KeyError):
    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id

    def __str__(self) -> str:
        return f"未知的时限规则：{self.rule_id}"


def get_rule(rule_id: str, region: Region | None = None) -> ClockRule:
    """The rule, with the local length of the nearest region that set one (configurable rules)."""
    try:
        rule = RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None
    if rule.configurable and region is not None:
        from core.models import ClockRuleSetting

        prefixes = _prefixes(region.path)
        setting = remembered(
            ("clock_rule_setting", rule_id, region.path),
            lambda: (
                ClockRuleSetting.objects.filter(rule_id=rule_id, region__path__in=prefixes)
                .select_related("region")
                .order_by("-region__path")
                .first()
            ),
        )
        if setting is not None:
            rule = replace(
                rule, length=setting.length, setting_source=f"{setting.region.name}设定：{setting.source}"
            )
    return rule


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
