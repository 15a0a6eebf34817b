"""A past year (2025) of 示例街道's open-government ledger, as a street would fill the import templates.

Each row says in a comment what it implies for the 2025 yearly report and indicators; the due dates were
counted by hand on the 2025 (and 2026) official schedule: 20 working days after receipt (春节 1.28–2.4,
清明 4.4–4.6, 劳动节 5.1–5.5 with 4.27 worked, 端午 5.31–6.2, 国庆中秋 10.1–10.8 with 9.28 and 10.11 worked,
2026 元旦 1.1–1.3 with 1.4 worked).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

STREET = "990100001"

# Requests on application. p = 公民, o = 法人或其他组织.
REQUESTS: list[dict[str, str]] = [
    # R1 (p): received 2024, answered 2025 — carried into 2025; due 2025-01-14, answered 01-08: on time.
    dict(
        source_ref="GK-2024-031",
        channel="当面提交",
        submitted_on="2024-12-16",
        applicant_kind="公民",
        applicant_name="赵某（示例）",
        applicant_id_number="11010519491231002X",
        applicant_phone="13900000011",
        content="2024年老旧小区加装电梯补贴发放情况（示例）",
        answer_type="予以公开",
        concluded_on="2025-01-08",
        delivery="邮寄送达",
        delivered_on="2025-01-09",
    ),
    # R2 (p): due 03-31, answered 03-20: on time; 已主动公开 counts in row (一).
    dict(
        source_ref="GK-2025-001",
        channel="当面提交",
        submitted_on="2025-03-03",
        applicant_kind="公民",
        applicant_name="钱某（示例）",
        content="街道2025年财政预算（示例）",
        answer_type="已主动公开",
        answer_detail="已在街道门户网站公开，网址见答复书",
        concluded_on="2025-03-20",
        delivery="电子送达",
        delivered_on="2025-03-20",
    ),
    # R3 (o): posted 03-28, signed for 04-01 (第31条: receipt 04-01); due 04-29, answered 05-20: LATE.
    dict(
        source_ref="GK-2025-002",
        channel="邮寄",
        submitted_on="2025-03-28",
        received_on="2025-04-01",
        applicant_kind="法人或其他组织",
        applicant_name="示例物业有限公司",
        applicant_uscc="91350100M000100Y43",
        content="某小区维修资金使用审批材料（示例）",
        answer_type="部分公开",
        concluded_on="2025-05-20",
    ),
    # R4 (p): online 06-08, confirmed 06-09; due 07-07, extended 20 WD to 08-04, answered 07-25: on time.
    dict(
        source_ref="GK-2025-003",
        channel="互联网渠道",
        submitted_on="2025-06-08",
        received_on="2025-06-09",
        applicant_kind="公民",
        applicant_name="孙某（示例）",
        content="某地块征收补偿方案（示例）",
        extension_days="20",
        extension_approver="leader（示例）",
        extension_reason="需向区有关部门调取信息",
        extension_notified_on="2025-07-01",
        answer_type="不予公开",
        answer_detail="属于第十四条规定的不予公开情形",
        concluded_on="2025-07-25",
    ),
    # R5 (p): 补正 sent 08-06, completed 08-15: the period restarts, due 09-12; answered 09-05: on time.
    dict(
        source_ref="GK-2025-004",
        channel="当面提交",
        submitted_on="2025-08-04",
        applicant_kind="公民",
        applicant_name="李某（示例）",
        content="街道某项目的审批文件（示例）",
        correction_items="请写明所需文件的名称或文号",
        correction_sent_on="2025-08-06",
        correction_deadline="2025-08-21",
        correction_completed_on="2025-08-15",
        answer_type="信息不存在",
        concluded_on="2025-09-05",
    ),
    # R6 (o): third party consulted 10-13 to 10-24 (not counted); answered 11-10: on time. Row (四).
    dict(
        source_ref="GK-2025-005",
        channel="当面提交",
        submitted_on="2025-10-09",
        applicant_kind="法人或其他组织",
        applicant_name="示例商贸有限公司",
        content="某市场改造项目招标文件（示例）",
        third_party="示例建设有限公司",
        consult_sent_on="2025-10-13",
        consult_received_on="2025-10-14",
        consult_replied_on="2025-10-24",
        consult_opinion="同意公开",
        answer_type="非本机关负责公开",
        answer_detail="请向区建设管理委员会申请",
        concluded_on="2025-11-10",
    ),
    # R7 (p): 补正 not completed by 11-20: treated as withdrawn on 11-24. Row (六).
    dict(
        source_ref="GK-2025-006",
        channel="当面提交",
        submitted_on="2025-11-03",
        applicant_kind="公民",
        applicant_name="周某（示例）",
        content="某项会议纪要（示例）",
        correction_items="请提供申请人身份证明",
        correction_sent_on="2025-11-05",
        correction_deadline="2025-11-20",
        answer_type="视为撤回",
        concluded_on="2025-11-24",
    ),
    # R8 (p): repeat request, answered in 3 days. Row (五).
    dict(
        source_ref="GK-2025-007",
        channel="当面提交",
        submitted_on="2025-11-17",
        applicant_kind="公民",
        applicant_name="吴某（示例）",
        content="街道2025年财政预算（示例）",
        answer_type="重复申请",
        concluded_on="2025-11-20",
    ),
]

# Sent by another system through POST /api/v1/imports/disclosure-requests.
API_REQUESTS: list[dict[str, Any]] = [
    # R9 (p): received 12-22, answered 2026-01-12 (due 2026-01-20): carried out of 2025.
    dict(
        source_ref="GK-2025-008",
        region=STREET,
        channel="当面提交",
        submitted_on="2025-12-22",
        applicant_kind="公民",
        applicant_name="郑某（示例）",
        content="某路段改造工程的施工许可（示例）",
        answer_type="予以公开",
        concluded_on="2026-01-12",
    ),
    # R10 (o): handled under another law. Row (六).
    dict(
        source_ref="GK-2025-009",
        region=STREET,
        channel="当面提交",
        submitted_on="2025-05-06",
        applicant_kind="法人或其他组织",
        applicant_name="示例律师事务所",
        content="某档案材料的查阅（示例）",
        answer_type="按其他法律法规办理",
        concluded_on="2025-05-12",
    ),
    # R11 (p): not a disclosure request (第39条). Row (五).
    dict(
        source_ref="GK-2025-010",
        region=STREET,
        channel="当面提交",
        submitted_on="2025-09-15",
        applicant_kind="公民",
        applicant_name="王某（示例）",
        content="对某处违法建筑的投诉（示例）",
        answer_type="不属于政府信息公开申请",
        concluded_on="2025-09-16",
    ),
]

# Proactive items: 20 WD from the day the information was made.
PROACTIVE: list[dict[str, str]] = [
    # P1: made 03-03, due 03-31, published 03-10: on time.
    dict(
        source_ref="ZD-2025-001",
        title="街道2025年财政预算（示例）",
        category="财政预决算",
        made_on="2025-03-03",
        published_on="2025-03-10",
        where="街道门户网站",
    ),
    # P2: made 09-01, due 09-28, published 10-20: LATE.
    dict(
        source_ref="ZD-2025-002",
        title="某地块更新改造决策草案（示例）",
        category="重大行政决策",
        made_on="2025-09-01",
        published_on="2025-10-20",
        where="街道门户网站",
    ),
    # P3: made 12-15, due 2026-01-13, published 12-19: on time.
    dict(
        source_ref="ZD-2025-003",
        title="街道2025年预算调整（示例）",
        category="财政预决算",
        made_on="2025-12-15",
        published_on="2025-12-19",
        where="政务公开栏",
    ),
    # P4: made 2024-12-20 (due 2025-01-20), published 2025-01-06: on time, published in 2025.
    dict(
        source_ref="ZD-2024-031",
        title="街道2024年第四季度工作简报（示例）",
        category="工作动态",
        made_on="2024-12-20",
        published_on="2025-01-06",
        where="街道门户网站",
    ),
]

# What the ledger implies for 2025 (counted by hand from the rows above).
YEAR = 2025
RECEIVED = 10  # R2–R11
ANSWERED = 9  # R1–R6, R8, R10, R11 (R7 withdrawn, R9 answered in 2026)
ON_TIME = 8  # all answered in 2025 but R3
OUTCOMES = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2}  # rows (一)–(六) of table 三
PUBLISHED = 4  # P1–P4 published in 2025
PUBLISHED_ON_TIME = 3  # P2 late
TABLES = {
    "new": {"person": 7, "organisation": 3, "total": 10},
    "carried_in": {"person": 1, "organisation": 0, "total": 1},
    "carried_out": {"person": 1, "organisation": 0, "total": 1},
    "outcomes": [
        {"person": 2, "organisation": 0, "total": 2},  # (一) R1, R2
        {"person": 0, "organisation": 1, "total": 1},  # (二) R3
        {"person": 1, "organisation": 0, "total": 1},  # (三) R4
        {"person": 1, "organisation": 1, "total": 2},  # (四) R5, R6
        {"person": 2, "organisation": 0, "total": 2},  # (五) R8, R11
        {"person": 1, "organisation": 1, "total": 2},  # (六) R7 withdrawn, R10
        {"person": 7, "organisation": 3, "total": 10},  # (七) total
    ],
    "answered_on_time": 8,
    "proactive": [
        {"category": "财政预决算", "made": 2, "published": 2, "on_time": 2},
        {"category": "重大行政决策", "made": 1, "published": 1, "on_time": 0},
    ],
}


def with_region(rows: list[dict[str, str]], region: str = STREET) -> list[dict[str, str]]:
    return [{"region": region, **row} for row in rows]


def workbook(kind: str, rows: list[dict[str, Any]]) -> io.BytesIO:
    """The importer's downloaded template with ``rows`` (by column key) filled in on its 数据 sheet."""
    from core.imports import IMPORTERS

    importer = IMPORTERS[kind]
    wb = load_workbook(io.BytesIO(importer.template_bytes()))
    ws = wb["数据"]
    headers = [cell.value for cell in ws[1]]
    keys = {c.header: c.key for c in importer.columns}
    for row in rows:
        unknown = set(row) - set(keys.values())
        assert not unknown, unknown
        ws.append([row.get(keys[h], "") for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = f"{importer.title}.xlsx"
    return buf
