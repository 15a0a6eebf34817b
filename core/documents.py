"""Documents: .docx files in the style of GB/T 9704-2012 (党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 小标宋 2号 (22 pt);
body in 仿宋 3号 (16 pt) at a fixed 28 pt line pitch (22 lines a page); headings numbered
一、 (黑体) / （一） (楷体) / 1. / （1） (仿宋); page numbers "— 1 —" in 宋体 4号; document
numbers like 示司〔2026〕12号 allocated without gaps or duplicates.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from core.audit import changelog
from core.db import atomic
from core.models import DocumentNumber

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NO_FONT = "宋体"
SIZE_2 = Pt(22)
SIZE_3 = Pt(16)
SIZE_4 = Pt(14)

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (for 一、（一） headings)."""
    if not 0 < n < 100:
        raise ValueError("heading numbers run from 1 to 99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


BLANK = "__________"  # an empty field of a form to be signed: left for the hand, never printed as "—"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@atomic
def remedy_bodies(region: Any) -> tuple[str, str]:
    """Who hears a challenge to a street office's act: the district people's government (a street office is its
    agency, 《行政复议法》第24条) and the district's people's court (《行政诉讼法》第18条)."""
    district = region.ancestor_at("district") if region is not None else None
    name = district.name if district is not None else ""
    body = f"{name}人民政府" if name else "本机关的上一级人民政府"
    court = f"{name}人民法院" if name else "本机关所在地的基层人民法院"
    return body, court


def next_sequence(*, prefix: str, year: int) -> int:
    """The next number of the ``prefix`` series in ``year`` (row-locked: no gaps, no duplicates)."""
    seq, _ = DocumentNumber.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    changelog.hold(seq)
    seq.last_number += 1
    seq.save()
    return seq.last_number


def next_document_number(*, prefix: str, year: int) -> str:
    """Allocate the next document number of ``prefix`` in ``year``: ``示司〔2026〕12号``."""
    return f"{prefix}〔{year}〕{next_sequence(prefix=prefix, year=year)}号"


def _font(run: Run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _pitch(p: Paragraph) -> None:
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


class GongwenDocument:
    """Build a 公文-style document: ``doc.heading(1, "…")`` numbers itself."""

    def __init__(self, title: str, *, number: str = "", recipient: str = "") -> None:
        self.doc = Document()
        self._counters = [0, 0, 0, 0]
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = SIZE_3
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        self._page_numbers()
        if number:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _pitch(p)
            _font(p.add_run(number), BODY_FONT, SIZE_3)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(28)
        p.paragraph_format.space_after = Pt(28)
        _font(p.add_run(title), TITLE_FONT, SIZE_2)
        self.title = title
        if recipient:
            p = self.doc.add_paragraph()
            _pitch(p)
            _font(p.add_run(f"{recipient}："), BODY_FONT, SIZE_3)

    def _page_numbers(self) -> None:
        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run("— "), PAGE_NO_FONT, SIZE_4)
        run = p.add_run()
        _font(run, PAGE_NO_FONT, SIZE_4)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                run._element.append(el)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
            else:
                t = OxmlElement("w:t")
                t.text = text
                run._element.append(t)
        _font(p.add_run(" —"), PAGE_NO_FONT, SIZE_4)

    def heading(self, level: int, text: str) -> Paragraph:
        if not 1 <= level <= 4:
            raise ValueError("公文层次序数只有四级")
        self._counters[level - 1] += 1
        for i in range(level, 4):
            self._counters[i] = 0
        n = self._counters[level - 1]
        prefix = [f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）"][level - 1]
        font = [H1_FONT, H2_FONT, BODY_FONT, BODY_FONT][level - 1]
        p = self.doc.add_paragraph()
        _pitch(p)
        p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run(prefix + text), font, SIZE_3, bold=level == 3)
        return p

    def paragraph(self, text: str, *, indent: bool = True, align: str = "justify") -> Paragraph:
        p = self.doc.add_paragraph()
        _pitch(p)
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        p.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
        }[align]
        _font(p.add_run(text), BODY_FONT, SIZE_3)
        return p

    def text(self, text: str) -> None:
        """Text a person typed, as they laid it out: each line its own indented paragraph (a line break inside a
        justified paragraph would stretch the line before it), blank lines dropped."""
        for line in text.splitlines():
            if line.strip():
                self.paragraph(line.strip())

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), H1_FONT, SIZE_4)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, SIZE_4)

    def signature(self, issuer: str, day: dt.date) -> None:
        self.doc.add_paragraph()
        self.paragraph(issuer, indent=False, align="right")
        self.paragraph(chinese_date(day), indent=False, align="right")

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


def as_attachment(content: bytes, filename: str) -> Any:
    """A download of a generated .docx, .xlsx or .zip, with its Chinese file name (RFC 6266 ``filename*``)."""
    import urllib.parse

    from django.http import HttpResponse

    ext = "." + filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(ext, "application/octet-stream"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{urllib.parse.quote(filename)}"
    return response
