"""Chinese text uses Chinese punctuation: no half-width : , ; ? ( ) next to a Chinese character
in any zh_Hans catalogue or any template, and no half-width colon after a translated label."""

import re
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
HALF = r"[:,;?()]"
NEXT_TO_CHINESE = re.compile(f"[{CJK}]{HALF}|{HALF}[{CJK}]")
# English source strings may quote Chinese ("Supervision (督办)"): they are checked through
# their translations, not in the template
TRANSLATED = re.compile(
    r'\{%\s*(?:translate|trans)\s+"[^"]*"[^%]*%\}'
    r"|\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
    re.S,
)
LABEL_THEN_HALF = re.compile(
    r'\{%\s*(?:translate|trans)\s+"[^"]*"(?:\s+context\s+"[^"]*")?\s*%\}[:;,?]'
)


def half_width_next_to_chinese(text: str) -> list[str]:
    return [text[max(m.start() - 12, 0) : m.end() + 12] for m in NEXT_TO_CHINESE.finditer(text)]


def test_the_check_finds_what_it_looks_for():
    assert half_width_next_to_chinese("演示数据:编造,并非(真实)")
    assert half_width_next_to_chinese("总体:需加快进度")
    assert not half_width_next_to_chinese("演示数据：编造，并非（真实）；是否？ Target: 10 (2020)")
    assert LABEL_THEN_HALF.search('{% translate "Target" %}: 10')
    assert not TRANSLATED.sub("", '{% translate "Supervision (督办)" %}')


def catalogues():
    return sorted(PACKAGE.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
        PACKAGE.glob("locale/zh_Hans/LC_MESSAGES/django.po")
    )


def test_every_chinese_catalogue_uses_chinese_punctuation():
    found = {}
    for path in catalogues():
        for entry in (e for e in polib.pofile(str(path)) if not e.obsolete):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            for hit in (h for t in texts for h in half_width_next_to_chinese(t)):
                found.setdefault(str(path.relative_to(PACKAGE)), []).append(hit)
    assert found == {}


def test_every_template_uses_chinese_punctuation():
    found = {}
    for path in sorted(PACKAGE.glob("*/templates/**/*.html")):
        if path.name.endswith("_en.html"):
            continue  # pages written in English (the method page's English twin)
        source = path.read_text(encoding="utf-8")
        hits = half_width_next_to_chinese(TRANSLATED.sub("", source))
        hits += [m.group(0) for m in LABEL_THEN_HALF.finditer(source)]
        if hits:
            found[str(path.relative_to(PACKAGE))] = hits
    assert found == {}


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "目标：10"), ("en", "Target: 10")])
def test_a_labels_colon_follows_the_language(language, expected):
    with translation.override(language):
        html = Template('{% load i18n %}{% translate "Target" %}{% colon %}10').render(Context())
    assert html == expected
