"""A database made by the previous release (fixtures/previous-release.sqlite3.xz, made by
scripts/make_upgrade_fixture.py from that release's own code and demo) migrates to this
version's schema with its data intact, and the site works on it."""

from __future__ import annotations

import json
import lzma
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE = FIXTURES / "previous-release.sqlite3.xz"

# a few values per table that must come through the upgrade unchanged
KEY_VALUES = {
    "plans_plan": "SELECT code, title FROM plans_plan ORDER BY code",
    "plans_indicator": "SELECT code, name, unit FROM plans_indicator ORDER BY code",
    "accounts_user": "SELECT username, role, email FROM accounts_user ORDER BY username",
    "orgunits_orgunit": "SELECT code, name FROM orgunits_orgunit ORDER BY code",
    "datavalues_approvedvalue": "SELECT count(*), sum(value), max(approved_at) "
    "FROM datavalues_approvedvalue",
    "reporting_assignment": "SELECT status, count(*) FROM reporting_assignment GROUP BY status",
    "reporting_round": "SELECT period, deadline, state FROM reporting_round ORDER BY period",
    "supervision_case": "SELECT title, state FROM supervision_case ORDER BY id",
    "incentives_application": "SELECT id, year, state, approved FROM incentives_application "
    "ORDER BY id",
    "enterprises_enterprise": "SELECT credit_code, name FROM enterprises_enterprise ORDER BY id",
    "audit_auditentry": "SELECT count(*), max(id) FROM audit_auditentry",
}


def _snapshot(db: Path) -> tuple[dict, dict]:
    con = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        values = {t: con.execute(sql).fetchall() for t, sql in KEY_VALUES.items()}
    finally:
        con.close()
    return counts, values


def _ducha(data_dir: Path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUCHA_")}
    env["DUCHA_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "ducha", *args], env=env, capture_output=True, text=True
    )


def test_the_previous_release_database_migrates_and_keeps_its_data(tmp_path):
    about = json.loads((FIXTURES / "previous-release.json").read_text())
    site = tmp_path / "site"
    site.mkdir()
    db = site / "ducha.sqlite3"
    db.write_bytes(lzma.decompress(FIXTURE.read_bytes()))
    counts, values = _snapshot(db)
    assert counts["reporting_assignment"] > 100 and counts["enterprises_enterprise"] > 300
    assert all(values.values()), "every key query finds data in the fixture"
    old_migrations = counts["django_migrations"]

    done = _ducha(site, "migrate", "--noinput")
    assert done.returncode == 0, f"{about['made_from']}: {done.stderr}"
    assert _ducha(site, "migrate", "--check").returncode == 0  # nothing left to apply

    after_counts, after_values = _snapshot(db)
    # migrate itself adds rows for new models (their migrations, content types, permissions);
    # every other table keeps exactly the rows it had
    grows = {"django_migrations", "django_content_type", "auth_permission"}
    changed = {
        t: (n, after_counts.get(t))
        for t, n in counts.items()
        if (after_counts.get(t) != n if t not in grows else after_counts.get(t, 0) < n)
    }
    assert changed == {}, "row counts that changed in the upgrade"
    assert after_values == values
    assert after_counts["django_migrations"] >= old_migrations

    # the site works on the upgraded data: the assessment, and a page through the test client
    assess = _ducha(site, "assess", "--format", "json")
    assert assess.returncode == 0, assess.stderr
    assert "TJ-GOAL-SCALE" in assess.stdout
    check = _ducha(site, "check", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stderr
