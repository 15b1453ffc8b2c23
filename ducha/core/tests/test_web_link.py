"""A stored link becomes an href only if it is a web address, whatever wrote it."""

import pytest

from ducha.core.templatetags.ducha import web_link


@pytest.mark.parametrize(
    "stored",
    [
        "https://www.tj.gov.cn/report.html",
        "http://stats.tj.gov.cn/x?a=1&b=2",
        "  HTTPS://gxj.tjbh.gov.cn/contents/6712/410672.html ",
    ],
)
def test_web_addresses_are_kept(stored):
    assert web_link(stored) == stored.strip()


@pytest.mark.parametrize(
    "stored",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "https://x.example/\nevil",
        "//evil.example/x",
        "/relative/path",
        "http://[::1",  # urlsplit refuses it
        "",
        None,
    ],
)
def test_anything_else_gives_no_link(stored):
    assert web_link(stored) == ""
