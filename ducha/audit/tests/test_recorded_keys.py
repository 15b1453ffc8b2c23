"""Every key a service records in an audit entry's changes reads as words in the log."""

import ast
from pathlib import Path

from django.apps import apps
from django.utils import translation

from ducha.audit.labels import KEYS

ROOT = Path(__file__).resolve().parents[2]


def _recorded_keys() -> dict[str, str]:
    """Each literal key of a `changes={...}` argument in the project's code -> where it is."""
    keys = {}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg == "changes" and isinstance(kw.value, ast.Dict):
                    for key in kw.value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            keys[key.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return keys


def test_every_recorded_key_has_a_label():
    keys = _recorded_keys()
    assert "reminders" in keys and "kind_name" in keys  # the scan finds what it looks for
    fields = {f.name for model in apps.get_models() for f in model._meta.get_fields()}
    unlabelled = {k: where for k, where in keys.items() if k not in KEYS and k not in fields}
    assert unlabelled == {}


def test_a_key_that_is_no_field_reads_as_words(db):
    from ducha.audit.labels import change_rows
    from ducha.audit.models import AuditEntry

    entry = AuditEntry(action="supervision.reminders.sent", changes={"reminders": 3, "day": "x"})
    with translation.override("zh-hans"):
        labels = [row["label"] for row in change_rows(entry)]
    assert labels == ["提醒数", "日期"]
