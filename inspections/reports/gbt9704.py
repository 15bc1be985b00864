"""The layout of GB/T 9704-2012 (党政机关公文格式) for python-docx documents: A4, top margin
37 mm, left 28 mm, a 156 x 225 mm type area of 22 lines, title 2号 小标宋, body 3号 仿宋 with
a two-character indent, headings 黑体 / 楷体 / 仿宋 bold, page numbers "— 1 —" in 4号."""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from inspections.reports.wording import heading_label

TITLE_PT, BODY_PT, PAGE_NUMBER_PT = 22, 16, 14  # 2号, 3号, 4号
LINE_PT = Mm(225).pt / 22  # 22 lines in the type area
TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT}


def set_font(run: Run, east_asian: str, size_pt: float, bold: bool = False) -> Run:
    """Set a run's size, weight and fonts, the East Asian one on `w:eastAsia` (which Word on
    a Chinese system uses for Chinese text)."""
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = east_asian
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    return run


def new_document() -> DocumentType:
    """An empty A4 document with the standard's margins and the body style."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(210 - 28 - 156), Mm(297 - 37 - 225)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section)
    return doc


def _spacing(paragraph: Paragraph) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    return paragraph


def title(doc: DocumentType, text: str) -> Paragraph:
    """The title: 2号 小标宋 (bold 宋体 where that font is missing), centred."""
    p = _spacing(doc.add_paragraph())
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = set_font(p.add_run(text), TITLE_FONT, TITLE_PT)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:hAnsi"), TITLE_FALLBACK)  # shown where 小标宋 is not installed
    return p


def body(doc: DocumentType, text: str) -> Paragraph:
    """A body paragraph: 3号 仿宋, first line indented by two characters."""
    p = _spacing(doc.add_paragraph())
    p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    set_font(p.add_run(text), BODY_FONT, BODY_PT)
    return p


def heading(doc: DocumentType, level: int, number: int, text: str,
            then: str | None = None) -> Paragraph:
    """A heading numbered 一、 (黑体), （一） (楷体) or 1. (仿宋 bold), all 3号; `then`, a
    paragraph's text that runs on after it in the body font, as in "（一）加强组织领导。建立…"."""
    label = heading_label(level, number)
    p = _spacing(doc.add_paragraph())
    p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    set_font(p.add_run(label + text), HEADING_FONTS[level], BODY_PT, bold=level == 3)
    if then:
        set_font(p.add_run(then), BODY_FONT, BODY_PT)
    return p


def picture(doc: DocumentType, png: bytes, width_mm: float = 150) -> Paragraph:
    """A figure, centred, within the type area's width."""
    import io

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
    return p


def _field(run: Run, instruction: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _page_numbers(section: object) -> None:
    """"— 1 —" centred in the footer, 4号 half-width digits."""
    footer = section.footer  # type: ignore[attr-defined]
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), "宋体", PAGE_NUMBER_PT)
    _field(set_font(p.add_run(), "宋体", PAGE_NUMBER_PT), "PAGE")
    set_font(p.add_run(" —"), "宋体", PAGE_NUMBER_PT)


def subtitle(doc: DocumentType, text: str) -> Paragraph:
    """A line under the title (e.g. the inspection and serial number): 3号 楷体, centred."""
    p = _spacing(doc.add_paragraph())
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run(text), HEADING_FONTS[2], BODY_PT)
    return p


def sign_off(doc: DocumentType, issuer: str, day: str) -> list[Paragraph]:
    """The sign-off (落款) after a blank line: the issuing body, then the date, both
    right-aligned in the body font, the date four characters in from the right edge (成文日期
    右空四字) and the issuer centred over it (two in)."""
    _spacing(doc.add_paragraph())
    lines = []
    for text, indent in ((issuer, 2), (day, 4)):
        p = _spacing(doc.add_paragraph())
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * indent)
        set_font(p.add_run(text), BODY_FONT, BODY_PT)
        lines.append(p)
    return lines
