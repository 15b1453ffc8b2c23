"""The marked sentence, and this app's catalogues (Chinese complete, compiled, English works)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

from ducha.extraction.highlight import excerpt, highlighted
from ducha.extraction.views import clauses

APP = Path(__file__).resolve().parents[1]


def test_the_sentence_is_marked_and_everything_else_escaped():
    html = highlighted("<前文>建设10个平台，<i>后文</i>", "建设10个平台")
    assert html == "&lt;前文&gt;<mark>建设10个平台</mark>，&lt;i&gt;后文&lt;/i&gt;"


def test_a_sentence_with_markup_is_escaped_inside_the_mark():
    assert highlighted("甲<b>乙</b>丙", "<b>乙</b>") == "甲<mark>&lt;b&gt;乙&lt;/b&gt;</mark>丙"


def test_a_long_text_is_cut_around_the_sentence_with_ellipses():
    text = "前" * 500 + "培育20家企业" + "后" * 500
    part = excerpt(text, "培育20家企业", context=50)
    assert (len(part.before), len(part.after)) == (50, 50)
    assert part.clipped_before and part.clipped_after
    html = highlighted(text, "培育20家企业", context=50)
    assert html.startswith("…" + "前" * 50 + "<mark>") and html.endswith("后" * 50 + "…")
    assert highlighted(text, "培育20家企业", context=None).count("前") == 500


def test_a_sentence_missing_from_the_text_marks_nothing():
    part = excerpt("建设10个平台。", "培育20家企业")
    assert not part.found and part.before == "建设10个平台。"
    assert "<mark>" not in highlighted("建设10个平台。", "")


def test_clauses_cover_the_text_exactly_and_split_at_punctuation():
    text = "到2023年，建设10个平台；培育20家企业。\n加强领导"
    runs = clauses(text)
    assert "".join(piece for piece, _kind in runs) == text
    assert [p for p, kind in runs if kind == "clause"] == [
        "到2023年",
        "建设10个平台",
        "培育20家企业",
        "加强领导",
    ]


def test_the_chinese_catalogue_is_complete_and_compiled():
    po_path = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po if not e.translated()] == []
    assert not [e.msgid for e in po if "fuzzy" in e.flags]
    mo = {
        e.msgid: (e.msgstr, dict(e.msgstr_plural))
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    for entry in po:
        assert mo[entry.msgid] == (entry.msgstr, dict(entry.msgstr_plural)), entry.msgid


@pytest.mark.django_db
def test_the_review_screen_is_english_on_request(client, office, small_draft):
    client.force_login(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/extraction/plans/{small_draft.code}/").content.decode()
    assert 'lang="en"' in page and "Pending review" in page and "Confirm" in page
    assert "待审核" not in page
