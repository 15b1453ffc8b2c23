"""Reading structured files (YAML plan and org-unit files) with errors a person can act on.

Every problem names the file and the path of the field (``indicators[3] (TJ-X).target.min``)
in the user's language. Validation is pydantic's; this module only turns its error codes
into translated sentences and collects cross-field problems in the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import yaml
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


class FileSpecError(Exception):
    """A file could not be used; `problems` says where and why. Nothing has been written."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(
            f"{self.source}: {p.path}: {p.message}" if p.path else f"{self.source}: {p.message}"
            for p in self.problems
        )


def load_yaml(path: Path | str) -> Any:
    """Parse a YAML file, turning syntax errors into a FileSpecError with line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileSpecError(str(path), [Problem("", _("file not found"))]) from None
    except UnicodeDecodeError:
        raise FileSpecError(str(path), [Problem("", _("the file is not UTF-8 text"))]) from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("line %(line)d, column %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else ""
        )
        detail = getattr(exc, "problem", None) or str(exc)
        raise FileSpecError(
            source, [Problem(where, _("malformed YAML: %(detail)s") % {"detail": detail})]
        ) from None


def format_path(loc: tuple, data: Any = None) -> str:
    """('indicators', 3, 'target', 'min') -> 'indicators[3] (CODE).target.min'."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = _identity(node)
            if ident:
                out += f" ({ident})"
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _identity(node: Any) -> str:
    if isinstance(node, dict):
        for key in ("code", "key"):
            if isinstance(node.get(key), str | int):
                return str(node[key])
    return ""


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("required field is missing"),
        "extra_forbidden": _("unknown field"),
        "string_type": _("must be text"),
        "string_too_short": _("must not be empty"),
        "string_too_long": _("is too long (at most %(max_length)s characters)"),
        "string_pattern_mismatch": _("has characters that are not allowed"),
        "int_type": _("must be a whole number"),
        "int_parsing": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "float_type": _("must be a number"),
        "float_parsing": _("must be a number"),
        "decimal_type": _("must be a number"),
        "decimal_parsing": _("must be a number"),
        "bool_type": _("must be true or false"),
        "bool_parsing": _("must be true or false"),
        "list_type": _("must be a list"),
        "dict_type": _("must be a mapping of fields"),
        "model_type": _("must be a mapping of fields"),
        "model_attributes_type": _("must be a mapping of fields"),
        "date_type": _("must be a date (YYYY-MM-DD)"),
        "date_parsing": _("must be a date (YYYY-MM-DD)"),
        "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"),
        "greater_than_equal": _("must be at least %(ge)s"),
        "greater_than": _("must be more than %(gt)s"),
        "less_than_equal": _("must be at most %(le)s"),
        "less_than": _("must be less than %(lt)s"),
        "literal_error": _("must be one of: %(expected)s"),
        "enum": _("must be one of: %(expected)s"),
        "union_tag_invalid": _("has an unknown type"),
    }
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    template = messages.get(kind)
    if template is None:
        return error.get("msg", kind)
    try:
        return template % {k: v for k, v in ctx.items()}
    except (KeyError, TypeError):
        return template


def validate(model: type[pydantic.BaseModel], data: Any, source: str) -> pydantic.BaseModel:
    """Validate parsed data against a pydantic model, raising FileSpecError with every problem."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = []
        seen = set()
        for error in exc.errors():
            path = format_path(_strip_union_tags(error["loc"]), data)
            message = _message(error)
            if (path, message) not in seen:
                seen.add((path, message))
                problems.append(Problem(path, message))
        raise FileSpecError(source, problems) from None


def _strip_union_tags(loc: tuple) -> tuple:
    """pydantic puts the union member's type name in the location; people don't need it."""
    return tuple(
        p for p in loc if not (isinstance(p, str) and p in {"int", "date", "str", "Decimal"})
    )
