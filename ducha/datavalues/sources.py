"""A figure's source (来源): reading and checking it wherever it is entered.

The same rules for the import columns (来源, 口径说明, 来源链接), the assignment form, the
reporting API and the services: the kind is one of `ValueSource` (typed as its Chinese label,
its English label or its key), the 口径 note at most 500 characters, the link an http(s) URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from ducha.datavalues.models import ValueSource

NOTE_MAX = 500
URL_MAX = 500
_url = URLValidator(schemes=["http", "https"])


class SourceError(ValueError):
    """A source that cannot be accepted; `field` is "source", "source_note" or "source_url"."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Source:
    kind: str = ValueSource.UNIT_REPORT
    note: str = ""
    url: str = ""


def _key(text: str) -> str:
    return "".join(str(text).split()).lower()


def _names() -> dict[str, str]:
    """Every way of writing a kind (key, Chinese label, English label) -> key."""
    names = {}
    for kind in ValueSource:
        names[_key(kind.value)] = kind.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names[_key(str(kind.label))] = kind.value
    return names


def choices_text() -> str:
    """The kinds as a person reads them, in the current language: 统计局年报、统计局快报…"""
    return "、".join(str(kind.label) for kind in ValueSource)


def parse_kind(raw, *, default: str = ValueSource.UNIT_REPORT) -> str:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return default
    kind = _names().get(_key(text))
    if kind is None:
        raise SourceError(
            "source",
            _("“%(raw)s” is not a source; choose one of %(choices)s")
            % {"raw": text[:40], "choices": choices_text()},
        )
    return kind


def clean_note(raw) -> str:
    text = "" if raw is None else str(raw).strip()
    if len(text) > NOTE_MAX:
        raise SourceError(
            "source_note",
            _("the basis note is %(n)d characters long; at most %(max)d")
            % {"n": len(text), "max": NOTE_MAX},
        )
    return text


def clean_url(raw) -> str:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return ""
    if len(text) > URL_MAX:
        raise SourceError("source_url", _("the link is longer than %d characters") % URL_MAX)
    try:
        _url(text)
    except ValidationError:
        raise SourceError(
            "source_url",
            _("“%s” is not a web link (write it as https://…)") % text[:60],
        ) from None
    return text


def clean(kind=None, note=None, url=None, *, default: str = ValueSource.UNIT_REPORT) -> Source:
    """A checked Source, or SourceError naming the first field at fault."""
    return Source(parse_kind(kind, default=default), clean_note(note), clean_url(url))


def describe(obj) -> dict:
    """The `source` object of the API and the exports for anything with SourceFields."""
    return {
        "kind": obj.source,
        "label": str(ValueSource(obj.source).label) if obj.source in ValueSource.values else "",
        "note": obj.source_note,
        "url": obj.source_url,
        "attachment": obj.source_evidence_id,
    }
