"""Every string of the register apps has a Chinese translation, and the compiled catalogue
matches its source."""

from pathlib import Path

import polib
import pytest

DUCHA = Path(__file__).resolve().parents[2]
APPS = ["registers", "parks", "enterprises", "projects", "platforms", "technologies", "talents"]


@pytest.mark.parametrize("app", APPS)
def test_the_chinese_catalogue_is_complete_and_compiled(app):
    po_path = DUCHA / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    untranslated = [
        e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert untranslated == []
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural)
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        assert compiled.get(key) == (entry.msgstr or entry.msgstr_plural), key
