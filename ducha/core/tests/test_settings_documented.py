"""Every DUCHA_* setting the code reads is in the README's settings section: an administrator
learns of a setting from the README, not from reading the code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = re.compile(
    r"(?:env_(?:str|bool|int|list)|os\.environ\.get|os\.getenv|os\.environ\[|environ\.get)"
    r"\(?\s*[\"'](DUCHA_[A-Z0-9_]+)[\"']"
)
SHELL = re.compile(r"\$\{?(DUCHA_[A-Z0-9_]+)")


def settings_read() -> set[str]:
    names = set()
    for path in [*(ROOT / "ducha").rglob("*.py"), ROOT / "conftest.py"]:
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "scripts").glob("*.sh"):
        names |= set(SHELL.findall(path.read_text(encoding="utf-8")))
    return names


def readme_settings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`(DUCHA_[A-Z0-9_]+)`", section))


def test_the_scan_finds_settings_read_in_every_style():
    found = settings_read()
    # env_str on one line, env_str( on the next line, os.environ.get, shell ${…}
    assert {"DUCHA_SECRET_KEY", "DUCHA_EMAIL_BACKEND", "DUCHA_BIND", "DUCHA_SKIP_POSTGRES"} <= found


def test_every_setting_the_code_reads_is_in_the_readme():
    assert settings_read() - readme_settings() == set()


def test_the_readme_lists_no_setting_the_code_does_not_read():
    assert readme_settings() - settings_read() == set()
