#!/usr/bin/env python3
"""Make the upgrade test's fixture: a SQLite database of a previous release with its demo data.

    .venv/bin/python scripts/make_upgrade_fixture.py [--ref main] [-o PATH]

Exports REF (a commit, tag or branch; default: main) with `git archive` into a temporary
directory, runs its own `ducha migrate` and `ducha demo` there (this venv's Python, the
checkout's code) into a temporary data directory, keeps a slice of the enterprise register
(every enterprise something else refers to, and 300 more) so the file stays small, checks the
foreign keys, and writes the database xz-compressed to
ducha/backups/tests/fixtures/previous-release.sqlite3.xz, with a small JSON beside it saying
which commit made it. `ducha/backups/tests/test_upgrade.py` then
migrates a copy to the current schema and checks the data survived.

Regenerate it when a release is cut (``--ref`` the release's tag), not on every change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import lzma
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "ducha" / "backups" / "tests" / "fixtures"
KEEP_ENTERPRISES = 300


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def trim(db: Path) -> None:
    """Keep the enterprises other tables refer to, and a few hundred more."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    refs = [
        (table, column)
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        for _id, _seq, ref_table, column, *_rest in con.execute(
            f'PRAGMA foreign_key_list("{table}")'
        )
        if ref_table == "enterprises_enterprise"
    ]
    own = {
        "enterprises_enterpriseyear",
        "enterprises_enterpriseindustry",
        "enterprises_enterprisetier",
    }
    used = set()
    for table, column in refs:
        if table not in own:
            used |= {r[0] for r in con.execute(f'SELECT "{column}" FROM "{table}"') if r[0]}
    extra = [
        r[0]
        for r in con.execute("SELECT id FROM enterprises_enterprise ORDER BY id")
        if r[0] not in used
    ][:KEEP_ENTERPRISES]
    keep = used | set(extra)
    con.execute("CREATE TEMP TABLE keep (id INTEGER PRIMARY KEY)")
    con.executemany("INSERT INTO keep VALUES (?)", [(i,) for i in keep])
    for table, column in refs:
        if table in own:
            con.execute(f'DELETE FROM "{table}" WHERE "{column}" NOT IN (SELECT id FROM keep)')
    con.execute("DELETE FROM enterprises_enterprise WHERE id NOT IN (SELECT id FROM keep)")
    con.commit()
    problems = con.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        sys.exit(f"foreign keys broken by trimming: {problems[:5]}")
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("VACUUM")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="main")
    parser.add_argument("-o", "--output", default=str(FIXTURES / "previous-release.sqlite3.xz"))
    args = parser.parse_args()
    commit = run(
        ["git", "-C", ROOT, "rev-parse", args.ref], capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="ducha-fixture-", dir=ROOT / "var") as tmp:
        tmp = Path(tmp)
        checkout, data = tmp / "checkout", tmp / "data"
        checkout.mkdir()
        archive = run(["git", "-C", ROOT, "archive", commit], capture_output=True).stdout
        run(["tar", "-x", "-C", str(checkout)], input=archive)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUCHA_")}
        env["DUCHA_DATA_DIR"] = str(data)
        # -m with the checkout as the working directory: its own ducha package is imported
        for step in (["migrate", "--noinput", "-v0"], ["demo"]):
            run([sys.executable, "-m", "ducha", *step], cwd=checkout, env=env,
                stdout=subprocess.DEVNULL)  # fmt: skip
        db = data / "ducha.sqlite3"
        trim(db)
        output = Path(args.output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(lzma.compress(db.read_bytes(), preset=9 | lzma.PRESET_EXTREME))
    about = {
        "made_from": commit,
        "ref": args.ref,
        "made_on": dt.date.today().isoformat(),
        "by": "scripts/make_upgrade_fixture.py",
    }
    output.with_suffix("").with_suffix(".json").write_text(json.dumps(about, indent=1) + "\n")
    print(f"{output}: {output.stat().st_size} bytes, from {commit[:10]}", file=sys.stderr)


if __name__ == "__main__":
    main()
