"""Every ducha command's ``--help`` is Chinese by default and English on request.

The commands are discovered (every command an app under ``ducha.`` provides), not listed, so a
new command is checked the day it is added. What may stay without a Chinese character: option
names, metavars and choices (they are typed as they are), the usage line built from them, and
the program name; every description, every option's help (Django's common options included:
``DuchaCommand`` translates them) and the section headings must be Chinese.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

from ducha.core.commands import COMMON_OPTION_HELP, DuchaCommand, Utility

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def ducha_commands() -> list[tuple[str, str]]:
    return sorted((name, app) for name, app in get_commands().items() if app.startswith("ducha."))


def help_of(name: str, app: str) -> tuple[object, str]:
    parser = load_command_class(app, name).create_parser("ducha", name)
    return parser, parser.format_help()


def test_the_discovery_finds_the_commands_of_many_apps():
    names = dict(ducha_commands())
    assert {"assess", "extract", "demo", "importregister", "backup", "serve"} <= set(names)
    assert len({app for app in names.values()}) >= 15


@pytest.mark.parametrize(("name", "app"), ducha_commands())
def test_every_description_and_option_help_is_chinese(name, app):
    assert issubclass(type(load_command_class(app, name)), DuchaCommand)
    with translation.override("zh-hans"):
        parser, text = help_of(name, app)
    assert parser.description and CJK.search(parser.description), name
    untranslated = [
        "/".join(action.option_strings) or action.dest
        for action in parser._actions
        if not (action.help and CJK.search(str(action.help)))
    ]
    assert untranslated == [], f"{name}: options without Chinese help"
    lines = text.splitlines()
    assert lines[0].startswith("用法："), lines[0]
    assert "选项：" in lines and "options:" not in lines
    # the text as printed: no English left from Django or argparse
    for english in ("show this help message", "Verbosity level", "Skip system checks"):
        assert english not in text


def test_the_common_options_are_catalogued_in_both_languages():
    for key, text in COMMON_OPTION_HELP.items():
        with translation.override("zh-hans"):
            assert CJK.search(str(text)), key
        with translation.override("en"):
            assert not CJK.search(str(text)), key


def test_english_when_asked_in_process():
    with translation.override("en"):
        parser, text = help_of("assess", "ducha.assessments")
    assert parser.description.startswith("Assess every indicator")
    assert text.startswith("usage: ducha assess") and "options:" in text
    assert not CJK.search(text)


def run_help(language: str | None, *, ok: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DUCHA_LANGUAGE_CODE"}
    if language:
        env["DUCHA_LANGUAGE_CODE"] = language
    done = subprocess.run(
        [str(Path(sys.executable).with_name("ducha")), "extract", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode == 0) == ok, done.stderr
    return done.stdout if ok else done.stderr


def test_the_command_line_is_chinese_by_default_and_english_with_ducha_language_code():
    chinese = run_help(None)
    assert chinese.startswith("用法：ducha extract") and "提取政策文件" in chinese
    english = run_help("en")
    assert english.startswith("usage: ducha extract") and "Extract the structure" in english
    assert "用法" not in english
    assert "DUCHA_LANGUAGE_CODE must be zh-hans or en" in run_help("fr", ok=False)


def test_ducha_help_lists_every_ducha_command_with_what_it_does_in_chinese():
    with translation.override("zh-hans"):
        text = Utility(["ducha", "--help"]).main_help_text()
    lines = text.splitlines()
    assert lines[0].startswith("用法：ducha <命令>")
    described = {
        line.split()[0]: line for line in lines if line.startswith("  ") and CJK.search(line)
    }
    assert {name for name, _app in ducha_commands()} <= set(described)
    assert "评估截至某日" in described["assess"]
    # Django's and the libraries' commands by name only: their help is theirs, in English
    assert any(line.strip().startswith("[django] ") and "migrate" in text for line in lines)
    assert "Type 'ducha help" not in text
