"""The base of every ducha management command: ``--help`` in the language of the run.

Django builds a command's parser with its own English help for the options every command has
(``--verbosity``, ``--settings`` …) and argparse adds English headings ("usage:", "options:").
``DuchaCommand`` replaces them with catalogued strings, and takes the command's description as a
lazy string (``help = gettext_lazy(...)``) so that it is translated when the parser is built,
not when the module is imported. The language is the site's (``DUCHA_LANGUAGE_CODE``,
default zh-hans). Option help in ``add_arguments`` uses ``gettext``: the parser is built at run
time. ``ducha/core/tests/test_command_help.py`` checks every command's help is translated.
"""

from __future__ import annotations

import argparse
import shutil
from collections import defaultdict

from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.base import BaseCommand, DjangoHelpFormatter
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ducha.engine import textwidth
from ducha.engine.textwidth import fit, width

# Django's common options, by argparse dest, and argparse's own --help.
COMMON_OPTION_HELP = {
    "help": _("show this help and exit"),
    "version": _("show the version number and exit"),
    "verbosity": _("how much to print: 0 least, 1 normal, 2 more, 3 everything"),
    "settings": _(
        "the Python path of a settings module, e.g. ducha.settings (default: the "
        "DJANGO_SETTINGS_MODULE environment variable)"
    ),
    "pythonpath": _("a folder to add to the Python path"),
    "traceback": _("print the full stack trace when the command fails"),
    "no_color": _("no colours in the output"),
    "force_color": _("colours in the output even when it is not a terminal"),
    "skip_checks": _("skip the system checks"),
}


class HelpFormatter(DjangoHelpFormatter):
    """Django's formatter (the command's own options first) with a translated "usage:",
    section headings followed by the language's colon (argparse always writes "heading:"),
    and text wrapped by display width, between Chinese characters too (argparse's textwrap
    counts characters and breaks only at spaces and hyphens)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._headings = []

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = gettext("usage: ")
        super().add_usage(usage, actions, groups, prefix)

    def _split_lines(self, text, width):
        return textwidth.wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text, width, indent):
        lines = textwidth.wrap(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)

    def start_section(self, heading):
        self._headings.append(heading)
        super().start_section(heading)

    def format_help(self):
        lines = super().format_help().split("\n")
        headings = {f"{h}:": gettext("%(heading)s:") % {"heading": h} for h in self._headings}
        lines = [headings.get(line, line) for line in lines]
        # the usage's continuation lines line up under the first line's arguments, which a
        # wide prefix ("用法：") pushes right by the columns argparse did not count
        prefix = gettext("usage: ")
        extra = textwidth.width(prefix) - len(prefix)
        for i in range(1, lines.index("") if "" in lines else 0):
            if lines[i].startswith(" "):
                lines[i] = " " * extra + lines[i]
        return "\n".join(lines)


class DuchaCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse works on str; a lazy description is made one here, in the run's language
        parser.description = str(self.help) if self.help else None
        for action in parser._actions:
            if action.dest in COMMON_OPTION_HELP and action.help != argparse.SUPPRESS:
                action.help = str(COMMON_OPTION_HELP[action.dest])
        parser._positionals.title = gettext("positional arguments")
        parser._optionals.title = gettext("options")
        return parser


class Utility(ManagementUtility):
    """``ducha`` itself: ``ducha --help`` (and ``ducha`` alone, ``ducha help``) lists ducha's
    own commands first with what each does, in the language of the run; the commands of
    Django and of the libraries ducha uses follow by name, as their help is theirs (English)."""

    def main_help_text(self, commands_only=False):
        if commands_only or self.settings_exception is not None:
            return super().main_help_text(commands_only)
        ours, theirs = {}, defaultdict(list)
        for name, app in get_commands().items():
            if app.startswith("ducha."):
                ours[name] = app
            else:
                theirs["django" if app == "django.core" else app.rpartition(".")[-1]].append(name)
        columns = shutil.get_terminal_size().columns
        name_width = max(width(name) for name in ours) + 2
        lines = [
            gettext("Usage: %(prog)s <command> [options]; a command's help: %(prog)s <command> -h.")
            % {"prog": self.prog_name},
            "",
            gettext("The commands of ducha:"),
        ]
        for name in sorted(ours):
            summary = first_sentence(str(load_command_class(ours[name], name).help or ""))
            lines.append(
                "  " + fit(name, name_width) + fit(summary, columns - name_width - 3).rstrip()
            )
        lines += [
            "",
            gettext("Commands of Django and of the libraries ducha uses (help in English):"),
        ]
        for app in sorted(theirs):
            text = f"[{app}] " + " ".join(sorted(theirs[app]))
            wrapped = textwidth.wrap(text, columns - 5)
            lines += ["  " + wrapped[0], *("    " + line for line in wrapped[1:])]
        return "\n".join(lines)


def first_sentence(text: str) -> str:
    """Up to the first full stop, Chinese or English."""
    ends = [at + 1 for at in (text.find("。"), text.find(". ")) if at >= 0]
    return text[: min(ends)] if ends else text
