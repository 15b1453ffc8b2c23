"""Bulletins laid out as GB/T 9704-2012 asks: the title's lines, 22 lines of 28 characters, the
fonts in the PDF (Debian's free stand-ins for 仿宋 and 小标宋), no page left a quarter blank."""

import io
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ducha.portal import drafting, export
from ducha.portal.models import Bulletin

TITLE = "关于2020年第三季度《天津市加快推进智能科技产业发展总体行动计划》推进情况的通报"
# Plain text without digits or Latin letters: every full line holds exactly 28 characters.
SENTENCE = "各区各部门要对照行动计划明确的目标任务，逐项梳理进展情况，认真分析存在的困难和问题。"
PT_PER_MM = 72 / 25.4
TYPE_AREA_TOP, TYPE_AREA_BOTTOM = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM


@pytest.mark.parametrize(
    "title",
    [
        TITLE,
        "关于《天津市加快推进智能科技产业发展总体行动计划》2019年第三季度推进情况和下一步工作安排的通报",
        "通报" * 10 + "报",  # 21 characters: one too many for a line
        "关于2019年第三季度推进情况的通报",
    ],
)
def test_a_title_breaks_into_even_lines_with_no_character_alone(title):
    lines = drafting.title_lines(title)
    assert "".join(lines) == title
    assert all(len(line) >= 2 for line in lines), lines
    assert all(drafting._width(line) <= drafting.TITLE_LINE for line in lines), lines
    widths = [drafting._width(line) for line in lines]
    assert max(widths) - min(widths) <= 3, lines  # even, not one full line and a stub


def test_the_plan_title_breaks_after_a_word_not_inside_a_number():
    lines = drafting.title_lines(TITLE)
    assert len(lines) == 2
    assert not lines[1].startswith(("》", "，", "、"))
    assert "2020年" in lines[0]


CJK = st.sampled_from(
    [*"关于推进智能科技产业发展情况的通报天津市", "《", "》", "，", "2", "0", "A"]
)


@settings(deadline=None)  # a shared machine: time is not what this checks
@given(st.lists(CJK, min_size=2, max_size=90).map("".join))
def test_title_lines_keep_every_character_and_leave_none_alone(title):
    lines = drafting.title_lines(title)
    assert "".join(lines) == title.strip()
    if len(lines) > 1:
        assert all(len(line) >= 2 for line in lines)
        assert all(line[0] not in drafting.NO_LINE_START for line in lines[1:])


def _lines(page):
    """The page's text lines (top, text), in reading order; a paragraph's first line starts
    with its two characters of indent, as two ideographic spaces."""
    left = 28 * PT_PER_MM
    return [
        (line["top"], "\u3000" * round((line["x0"] - left) / 16) + line["text"])
        for line in page.extract_text_lines()
    ]


@pytest.mark.django_db
def test_the_pdf_has_22_lines_of_28_characters_and_embeds_its_fonts(tianjin_units):
    import pdfplumber

    body = "\n".join(SENTENCE * 3 for _ in range(12))
    pdf = export.to_pdf(Bulletin(title=TITLE, body=body, tables=[]))
    doc = pdfplumber.open(io.BytesIO(pdf))
    assert len(doc.pages) >= 3
    page = doc.pages[1]  # a page of text only
    lines = [(top, text) for top, text in _lines(page) if top < TYPE_AREA_BOTTOM]
    body_lines = [text for top, text in lines if "—" not in text]  # not the page number
    assert len(body_lines) == 22, body_lines
    full = [t for t in body_lines if not t.endswith("。")]
    assert full and all(len(t) == 28 for t in full), [len(t) for t in full]
    tops = [top for top, text in lines if "—" not in text]
    pitches = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
    assert pitches <= {28.9, 29.0, 29.1}, pitches  # 225 mm / 22

    fonts = {c["fontname"].split("+")[-1] for p in doc.pages[:2] for c in p.chars}
    assert "AR-PL-KaitiM-GB" in fonts, fonts  # the text: 仿宋's free stand-in
    assert "Noto-Serif-CJK-SC-Bold" in fonts, fonts  # the title: 小标宋's

    first = _lines(doc.pages[0])
    title_lines = [
        text for top, text in first if text.replace(" ", "") in drafting.title_lines(TITLE)
    ]
    assert title_lines == drafting.title_lines(TITLE)  # printed as broken, no orphan character


@pytest.mark.django_db
def test_the_first_page_is_filled_before_a_table_moves_on(tianjin_units):
    import pdfplumber

    rows = [
        [f"第{i}项工作", "进度正常", "由1项指标汇总：进度正常 1；加权平均得分 3.00（满分 4）"]
        for i in range(30)
    ]
    tables = [{"caption": "分章节评估情况", "columns": ["章节", "评估", "汇总情况"], "rows": rows}]
    body = "\n".join([SENTENCE * 2, "【表1：分章节评估情况】", SENTENCE])
    pdf = export.to_pdf(Bulletin(title=TITLE, body=body, tables=tables))
    first = pdfplumber.open(io.BytesIO(pdf)).pages[0]
    lowest = max(c["bottom"] for c in first.chars if "—" not in c["text"])
    blank = (TYPE_AREA_BOTTOM - lowest) / (TYPE_AREA_BOTTOM - TYPE_AREA_TOP)
    assert blank < 0.1, f"the first page is {blank:.0%} blank at its foot"
