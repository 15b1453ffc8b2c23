"""Nothing an official reads names a command, a library or a stored key.

Every HTML page of the permission matrix, rendered as every role (in Chinese, the default),
with reminders sent and the registers imported so the audit log and the 督办 page have rows:
the visible text (no tags, scripts, styles or attributes) must not carry `ducha <command>`,
"命令行", the name of a library or a standard the office does not use (DHIS2, Django …),
or a raw key ("reminders: 144", "reporting.assignment.approved", "kind_name").
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from ducha.core.tests.test_permission_matrix import PAGES, ROLES, _client, _get, world  # noqa: F401

pytestmark = pytest.mark.django_db

DEVELOPER_WORDS = [
    (re.compile(r"\bducha\s+[a-z]"), "a command"),
    (re.compile(r"命令行|command line", re.IGNORECASE), "the command line"),
    (
        re.compile(
            r"\b(DHIS2|Django|ECharts|WeasyPrint|python-docx|openpyxl|PostgreSQL|SQLite|"
            r"Playwright|pytest|cron|ninja)\b",
            re.IGNORECASE,
        ),
        "a library or format name",
    ),
    (re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"), "a snake_case key"),
    (re.compile(r"\b[a-z]+\.[a-z_]+\.[a-z_]+\b"), "a namespaced action"),
    (re.compile(r"(?<![\w.@/-])[a-z]{3,}\s*[:：](?!//)\s*\S"), "a raw key: value"),
]

# The map's boundary data is Apache-2.0 licensed: its attribution names where it comes from.
ALLOWED = ["Apache ECharts"]


class _Visible(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def developer_words(text: str) -> list[str]:
    for allowed in ALLOWED:
        text = text.replace(allowed, "")
    found = []
    for pattern, what in DEVELOPER_WORDS:
        for m in pattern.finditer(text):
            around = text[max(m.start() - 40, 0) : m.end() + 40]
            found.append(f"{what}: {m.group(0)!r} in {around!r}")
    return found


def test_the_checker_finds_what_it_looks_for():
    html = (
        "<p>`ducha remind` 每个工作日</p><p>命令行中的等效操作</p><td>DHIS2 口径</td>"
        "<div><strong>reminders</strong>: 144</div><span>kind_name</span>"
        "<td>reporting.assignment.approved</td><script>var ducha_x = 1;</script>"
    )
    found = " ".join(developer_words(visible_text(html)))
    for word in ["ducha r", "命令行", "DHIS2", "reminders", "kind_name", "reporting.assignment"]:
        assert word in found
    assert "ducha_x" not in found
    assert developer_words(visible_text("<p>和平区 · 2019年第3季度：已报送 12 项</p>")) == []


def test_no_page_shows_developer_words_or_a_second_name_of_a_unit(world):  # noqa: F811
    """Also: a unit has one name on the pages (市工信局, never 天津市工业和信息化局 beside it);
    exports and the API keep the full name."""
    from ducha.orgunits.models import OrgUnit
    from ducha.supervision.services import send_reminders

    # departments and the office (a zone shares its full name with the park it runs)
    second_names = {
        u.name: u.label
        for u in OrgUnit.objects.filter(kind__in=["department", "office"])
        if u.label != u.name
    }
    assert "天津市工业和信息化局" in second_names
    other_names: dict[str, set[str]] = {}

    # overdue 2019Q3 assignments: reminders on the 督办 page and their entry in the audit log
    report = send_reminders(None, today=dt.date(2019, 11, 20), send=False)
    assert report.reminders > 0
    problems: dict[str, set[str]] = {}
    usernames = [u.username for u in world["users"].values()]  # data, not words
    for role in ROLES:
        client = _client(world, role)
        for page in PAGES:
            url, response = _get(client, world, page)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            if url.startswith("/api/"):
                continue  # the API's own documentation is for developers
            text = visible_text(response.content.decode())
            for name in usernames:
                text = text.replace(name, "")
            for word in developer_words(text):
                problems.setdefault(word, set()).add(f"{role} {url}")
            for full, label in second_names.items():
                if full in text:
                    other_names.setdefault(f"{full} (not {label})", set()).add(f"{role} {url}")
    assert not problems, "\n".join(f"{w}\n    {sorted(where)}" for w, where in problems.items())
    assert not other_names, "\n".join(f"{w}: {sorted(where)}" for w, where in other_names.items())
