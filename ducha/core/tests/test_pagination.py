"""The one pagination bar every list uses: it keeps the list's filters and changes the page."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _bar(query: str, number: int) -> str:
    request = RequestFactory().get("/reporting/assignments/" + query)
    page = Paginator(range(95), 20).get_page(number)
    with translation.override("zh-hans"):
        return render_to_string("_pagination.html", {"page": page}, request=request)


def test_the_next_and_previous_pages_keep_every_filter_and_replace_the_page():
    bar = _bar("?status=draft&q=%E5%92%8C%E5%B9%B3&page=2", 2)
    assert 'href="?status=draft&amp;q=%E5%92%8C%E5%B9%B3&amp;page=3" rel="next"' in bar
    assert 'href="?status=draft&amp;q=%E5%92%8C%E5%B9%B3&amp;page=1" rel="prev"' in bar
    assert "第 2 页，共 5 页" in bar


def test_the_first_and_last_pages_link_only_inwards():
    first, last = _bar("", 1), _bar("?page=5", 5)
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="?page=4" rel="prev"' in last and 'rel="next"' not in last


def test_a_list_of_one_page_shows_no_bar():
    request = RequestFactory().get("/")
    page = Paginator(range(5), 20).get_page(1)
    assert render_to_string("_pagination.html", {"page": page}, request=request).strip() == ""


def test_markup_in_a_filter_is_escaped_in_the_link():
    bar = _bar('?q="><script>', 1)
    assert "<script>" not in bar and "%3Cscript%3E" in bar
