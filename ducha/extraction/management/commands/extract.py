"""``ducha extract FILE``: a policy document's quantified targets, or a draft plan file.

The same pipeline as ``python -m ducha.engine.extract.cli`` (read_document, parse_structure,
extract_targets, then to_jsonl / to_plan_yaml / format_table), with errors in the user's
language and ``-o`` written all at once, so a failed run leaves no partial file.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.engine.extract.cli import FORMATS
from ducha.extraction.services import (
    ExtractionFailed,
    check_format,
    check_plan_code,
    extract_file,
    render,
)


class Command(DuchaCommand):
    help = gettext_lazy(
        "Extract the structure and quantified targets of a policy document (.txt in UTF-8 "
        "or GBK, .docx, .pdf): --format jsonl prints one JSON object a line per target, "
        "yaml a draft plan file for `ducha loadplan` (its 任务分工 rows as milestones with "
        "their units), table a summary to read, assignments one JSON object a 分工 row "
        "with its units matched to the org units."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the policy document (.txt, .docx or .pdf)"))
        parser.add_argument(
            "--format",
            default="table",
            help=_("output: %(formats)s (default table)") % {"formats": " | ".join(FORMATS)},
        )
        parser.add_argument(
            "--code",
            default=None,
            help=_("plan code for --format yaml (default: from the title)"),
        )
        parser.add_argument(
            "-o",
            "--output",
            default=None,
            help=_("write to this file instead of the terminal"),
        )

    def handle(self, *args, file, format, code=None, output=None, **options):
        try:
            check_format(format)
            if code:
                check_plan_code(code)
        except ExtractionFailed as error:
            raise CommandError(str(error), returncode=2) from None
        try:
            extraction = extract_file(file)
            text = render(extraction, format, code)
        except ExtractionFailed as error:
            raise CommandError(str(error)) from None
        if output:
            _write_whole(Path(output), text)
            self.stderr.write(
                _("%(targets)d targets written to %(file)s")
                % {"targets": len(extraction.targets), "file": output}
            )
        else:
            self.stdout.write(text, ending="")
        if not extraction.targets:
            self.stderr.write(_("No quantified targets were found in %s.") % file)


def _write_whole(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename: all or nothing."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(_("%s: the folder does not exist.") % folder)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(
            _("%(file)s cannot be written: %(reason)s") % {"file": path, "reason": error.strerror}
        ) from None
