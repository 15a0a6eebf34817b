"""Documents: a real .docx in 公文 style, reopened and checked; numbers allocated in order."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from core.documents import GongwenDocument, chinese_number, next_document_number


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
        "九十九",
    ]


@pytest.mark.django_db
def test_document_numbers_are_sequential_per_prefix_and_year():
    assert next_document_number(prefix="示司", year=2026) == "示司〔2026〕1号"
    assert next_document_number(prefix="示司", year=2026) == "示司〔2026〕2号"
    assert next_document_number(prefix="示司", year=2027) == "示司〔2027〕1号"
    assert next_document_number(prefix="示调", year=2026) == "示调〔2026〕1号"


def test_gongwen_layout_opens_and_holds_content():
    doc = GongwenDocument("关于示例事项的审查意见书", number="示司〔2026〕12号", recipient="示例街道党政办")
    doc.heading(1, "基本情况")
    doc.paragraph("这是正文。")
    doc.heading(2, "审查依据")
    doc.heading(2, "审查意见")
    doc.heading(3, "主体合法")
    doc.heading(4, "细目")
    doc.heading(1, "结论")
    doc.table(["项目", "数量"], [["合同", 3]])
    doc.signature("示例街道司法所", dt.date(2026, 11, 23))
    reopened = Document(io.BytesIO(doc.to_bytes()))
    section = reopened.sections[0]
    # .docx stores twips, so compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (37, 35)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    texts = [p.text for p in reopened.paragraphs if p.text]
    assert texts[:3] == ["示司〔2026〕12号", "关于示例事项的审查意见书", "示例街道党政办："]
    for expected in [
        "一、基本情况",
        "（一）审查依据",
        "（二）审查意见",
        "1.主体合法",
        "（1）细目",
        "二、结论",
        "2026年11月23日",
    ]:
        assert expected in texts, expected
    title_run = reopened.paragraphs[1].runs[0]
    assert title_run.font.size == Pt(22)
    assert title_run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in reopened.paragraphs if p.text == "这是正文。").runs[0]
    assert body.font.size == Pt(16)
    assert body._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text
    assert reopened.tables[0].cell(1, 0).text == "合同"
