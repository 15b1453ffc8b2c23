"""A bulletin as the office sends it: Word (python-docx), PDF (WeasyPrint) and plain text.

All three render the body as the office left it (`drafting.blocks`): headings, paragraphs and
the tables its 【表N：…】 lines place, then the issuing body and the date.

Word: the layout of GB/T 9704-2012 (党政机关公文格式) as far as a generated file sensibly
goes: A4 with its margins, the title centred in 二号 bold and broken into even lines
(`drafting.title_lines`: never one character alone), headings in 三号 黑体, text in 三号 仿宋 on
a fixed line of 225 mm / 22, first lines indented two characters, the issuer and date at the
end on the right. The Chinese font goes into each run's ``w:eastAsia`` attribute (python-docx
sets only the Western one); the names are the fonts every Chinese Windows ships (宋体, 黑体,
仿宋), not the 方正/GB2312 ones that many machines lack, so Word never falls back silently.

PDF: an HTML template with print CSS (`portal/bulletin_print.html`: 22 lines of 28 characters,
the title's lines as above), rendered by WeasyPrint with fonts Debian ships: the text in AR PL
KaitiM GB (fonts-arphic-gkai00mp) standing in for 仿宋, the title in Noto Serif CJK SC Bold for
小标宋, headings in Noto Sans CJK SC (fonts-noto-cjk); the licensed faces win where installed.
Nothing is fetched: the template refers to no URL, and the fetcher given to WeasyPrint refuses
every scheme but ``data:``.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.template.loader import render_to_string
from django.utils import timezone

from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.portal import drafting
from ducha.portal.models import Bulletin

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}

TITLE_FONT, HEADING_FONT, BODY_FONT, WESTERN_FONT = "宋体", "黑体", "仿宋", "Times New Roman"
LINE_PT = 225 / 25.4 * 72 / 22  # 22 lines in the 225 mm type area: 28.99 pt


class ExportError(Exception):
    pass


def issuer_of(b: Bulletin) -> str:
    if b.issuer:
        return b.issuer
    office = OrgUnit.objects.filter(kind=OrgUnitKind.OFFICE).order_by("position").first()
    return office.name if office else "领导小组办公室"


def issued_on(b: Bulletin) -> dt.date:
    """The publication day; a draft carries today's."""
    return timezone.localdate(b.published_at) if b.published_at else timezone.localdate()


def filename(b: Bulletin, fmt: str) -> str:
    """The title as a file name (Django's FileResponse encodes it per RFC 5987/6266)."""
    stem = re.sub(r'[\\/:*?"<>|\r\n\t]+', "_", b.title).strip(" ._") or "bulletin"
    return f"{stem[:120]}.{fmt}"


def render(b: Bulletin, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(b)
    if fmt == "pdf":
        return to_pdf(b)
    if fmt == "txt":
        return to_text(b).encode("utf-8")
    raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")


def to_text(b: Bulletin) -> str:
    return drafting.as_text(b.title, b.body, b.tables or [], issuer_of(b), issued_on(b))


# --- Word -------------------------------------------------------------------------------------


def _font(run, east_asia: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = WESTERN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(doc, text: str, *, east_asia=BODY_FONT, size=16, bold=False, align=None, indent=0):
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * indent)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), east_asia, size, bold)
    return p


def _table(doc, table: dict) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    _paragraph(doc, f"表：{table.get('caption', '')}", size=14, bold=True, align=1)
    columns, rows = table.get("columns", []), table.get("rows", [])
    grid = doc.add_table(rows=1 + len(rows), cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    # row by row: ``grid.cell(r, c)`` walks the whole table on every call
    for r, (row, values) in enumerate(zip(grid.rows, [columns, *rows], strict=True)):
        cells = row.cells
        for c, value in enumerate(values[: len(columns)]):
            p = cells[c].paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            if r == 0 or not isinstance(value, str) or c > 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(str(value)), BODY_FONT, 10.5, bold=r == 0)
    _paragraph(doc, "", size=10.5)


def _page_numbers(paragraph) -> None:
    """ "— 1 —" centred at the foot of every page, as 公文 number their pages: Word fills in
    the PAGE field when it lays the document out."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _font(run, BODY_FONT, 14)
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            part = OxmlElement("w:fldChar")
            part.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            part = OxmlElement("w:instrText")
            part.set(qn("xml:space"), "preserve")
            part.text = " PAGE "
        else:
            part = OxmlElement("w:t")
            part.text = text
        run._element.append(part)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def to_docx(b: Bulletin) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = WESTERN_FONT, Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.title = b.title
    _page_numbers(section.footer.paragraphs[0])
    doc.core_properties.author = issuer_of(b)

    title = _paragraph(doc, "", east_asia=TITLE_FONT, size=22, bold=True)
    for i, line in enumerate(drafting.title_lines(b.title)):  # never one character alone
        if i:
            title.runs[-1].add_break()
        _font(title.add_run(line), TITLE_FONT, 22, bold=True)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(LINE_PT)
    title.paragraph_format.space_after = Pt(LINE_PT)
    for block in drafting.blocks(b.body, b.tables or []):
        if block.kind == "heading":
            _paragraph(doc, block.text, east_asia=HEADING_FONT, indent=2)
        elif block.kind == "table":
            _table(doc, block.table)
        elif block.kind == "address":
            _paragraph(doc, block.text)
        else:
            _paragraph(doc, block.text, indent=2)
    _paragraph(doc, "")
    for line in (issuer_of(b), drafting.day(issued_on(b))):
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def local_only_fetcher():
    """A WeasyPrint URL fetcher that fetches nothing from anywhere: ``data:`` URLs only."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def html_for_print(b: Bulletin) -> str:
    return render_to_string(
        "portal/bulletin_print.html",
        {
            "b": b,
            "title_lines": drafting.title_lines(b.title),
            "blocks": drafting.blocks(b.body, b.tables or []),
            "issuer": issuer_of(b),
            "issued_on": drafting.day(issued_on(b)),
        },
    )


def to_pdf(b: Bulletin) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing (Debian libpango-1.0-0)
        raise ExportError(f"PDF export needs WeasyPrint and Pango: {exc}") from exc
    html = weasyprint.HTML(
        string=html_for_print(b), base_url=None, url_fetcher=local_only_fetcher()
    )
    return html.write_pdf()
