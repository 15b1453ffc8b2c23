"""Mutation score of the rules: how many small changes to the code the tests catch.

Slow (minutes to an hour per group on a 2-core machine), so not part of `make test` or CI.
Run from the repository root after `make install`, with nothing else running:

    .venv/bin/python bench/mutation.py                 # every group, one after the other
    .venv/bin/python bench/mutation.py policies        # one group (see GROUPS)
    .venv/bin/python bench/mutation.py --list          # the groups, their files and tests
    .venv/bin/python bench/mutation.py --workdir var/mut-x datavalues   # kept; again: goes on
    .venv/bin/python bench/mutation.py --workdir var/mut-x --report datavalues  # score so far
    .venv/bin/python bench/mutation.py --sample 80 reporting   # 80 mutants a file: an estimate

For each group it copies the committed files (`git ls-files`) to a scratch directory, runs
mutmut (pinned in pyproject.toml) there under `nice` with the group's tests, and prints per
file: mutants, killed (a test failed, or the tests ran past mutmut's timeout), survived, no
test reached it, and the score = killed / all. The survivors' diffs go to
`var/mutation/<group>.txt`; `docs/testing.md` judges them one by one and names the
equivalent mutants (`EQUIVALENT` below), which the score is also given without.

The copy keeps the working tree untouched, and one change is made to it before mutmut reads
it: `@transaction.atomic` above a function becomes `f = transaction.atomic(f)` after it,
which is what the decorator does. mutmut 3 leaves every decorated function alone (it cannot
wrap them in its trampolines), and most of the services are atomic.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "var" / "mutation"

POLICIES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ducha").glob("*/policies.py"))

# The test modules that reach reporting/services.py (mutmut's first pass over every module that
# imports it or opens a round): the quick ones (a round each, no module-wide world) ...
REPORTING_FAST = [
    "ducha/reporting/tests/test_workflow.py",
    "ducha/reporting/tests/test_api.py",
    "ducha/reporting/tests/test_long_notes.py",
    "ducha/reporting/tests/test_evidence_trap.py",
    "ducha/reporting/tests/test_late_tag.py",
    "ducha/reporting/tests/test_sheet.py",
    "ducha/reporting/tests/test_refusals.py",
]
# ... and the slow ones: the rule table (every actor through every channel) and the demo pages
REPORTING_SLOW = [
    "ducha/reporting/tests/test_rules.py",
    "ducha/reporting/tests/test_pages.py",
    "ducha/datavalues/tests/test_sources.py",
    # a unit's value file fills its assignments (import_into_rounds); a new holiday calendar
    # counts the open rounds' deadlines again (recount_deadlines)
    "ducha/datavalues/tests/test_import.py",
    "ducha/workcalendar/tests/test_calendar.py",
]

# group -> (files to mutate, the tests that should catch their mutants)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "assessment": (
        ["ducha/engine/assessment.py"],
        [
            "ducha/engine/tests/test_assessment.py",
            "ducha/engine/tests/test_assessment_properties.py",
            "ducha/engine/tests/test_assessment_edges.py",
        ],
    ),
    # the policy framework alone, against its own tests: small enough for a busy machine
    "core-policies": (
        ["ducha/core/policies.py"],
        ["ducha/core/tests/test_policies.py"],
    ),
    # every app's policies against their own tables alone (no page, no rule table): a lower
    # bound of the "policies" group's score, measurable on a busy machine
    "policy-tables": (
        [p for p in POLICIES if p != "ducha/core/policies.py"],
        [
            "ducha/core/tests/test_app_policies.py",
            "ducha/core/tests/test_policies.py",
            "ducha/plans/tests/test_policies.py",
            "ducha/notifications/tests/test_policies.py",
            "ducha/registers/tests/test_policies.py",
            "ducha/portal/tests/test_policies.py",
            "ducha/reporting/tests/test_policies.py",
            "ducha/supervision/tests/test_policies.py",
            "ducha/incentives/tests/test_permissions.py",
            "ducha/datavalues/tests/test_policies.py",
        ],
    ),
    "policies": (
        POLICIES,
        [
            "ducha/core/tests/test_policies.py",
            "ducha/core/tests/test_app_policies.py",
            "ducha/plans/tests/test_policies.py",
            "ducha/notifications/tests/test_policies.py",
            "ducha/registers/tests/test_policies.py",
            "ducha/portal/tests/test_policies.py",
            # the pages and API of every app as every role: the only tests that reach the
            # policies of the apps without a workflow (dashboards, figures, jobs …)
            "ducha/core/tests/test_permission_matrix.py",
            "ducha/reporting/tests/test_rules.py",
            "ducha/reporting/tests/test_policies.py",
            "ducha/supervision/tests/test_rules.py",
            "ducha/supervision/tests/test_policies.py",
            "ducha/portal/tests/test_rules.py",
            "ducha/incentives/tests/test_rules.py",
            "ducha/incentives/tests/test_permissions.py",
            "ducha/extraction/tests/test_rules.py",
            "ducha/registers/tests/test_rules.py",
            "ducha/datavalues/tests/test_rules.py",
            "ducha/datavalues/tests/test_service_rules.py",
            "ducha/datavalues/tests/test_policies.py",
        ],
    ),
    "reporting": (
        ["ducha/reporting/services.py"],
        [*REPORTING_FAST, *REPORTING_SLOW],
    ),
    # the same file against the reporting tests that build no module-wide world (no rule
    # table, no demo data): minutes, not hours, on a busy machine; a lower bound of the
    # "reporting" group, whose survivors `--recheck` runs against REPORTING_SLOW
    "reporting-fast": (["ducha/reporting/services.py"], REPORTING_FAST),
    "datavalues": (
        ["ducha/datavalues/services.py"],
        [
            "ducha/datavalues/tests/test_import.py",
            "ducha/datavalues/tests/test_import_scope.py",
            "ducha/datavalues/tests/test_rules.py",
            "ducha/datavalues/tests/test_sources.py",
            "ducha/datavalues/tests/test_service_rules.py",
            # an assignment's approval writes its value through save/approve/reopen_value and
            # report_milestone: only the reporting workflow reaches them
            "ducha/reporting/tests/test_workflow.py",
        ],
    ),
    "incentives": (
        ["ducha/incentives/services.py"],
        [
            "ducha/incentives/tests/test_workflow.py",
            "ducha/incentives/tests/test_refusals.py",
            "ducha/incentives/tests/test_amount_rule.py",
            "ducha/incentives/tests/test_rules.py",
            "ducha/incentives/tests/test_above_the_rule.py",
            "ducha/incentives/tests/test_races.py",
            "ducha/incentives/tests/test_import.py",
            "ducha/incentives/tests/test_pages.py",
        ],
    ),
}

# group -> the slower tests `--recheck` runs its survivors against (docs/testing.md)
RECHECK: dict[str, list[str]] = {"reporting-fast": REPORTING_SLOW}

# Mutants judged equivalent in docs/testing.md (no test can tell them apart from the code):
# mutant name -> the reason, in a word. The score is printed with and without them.
A = "ducha.engine.assessment."
EQUIVALENT: dict[str, str] = {
    # zip(..., strict=True) right after checking that the lengths are equal
    **{f"{A}x_assess_columns__mutmut_{n}": "lengths checked before" for n in (18, 21, 22)},
    # d is +1 or -1: x / d == x * d
    f"{A}x__signed_share__mutmut_1": "d is ±1",
    # level == y0 is handled before (target_equals_baseline): < and <= cannot differ
    f"{A}x__signed_share__mutmut_10": "level == y0 never gets here",
    f"{A}x__progress__mutmut_28": "level == y0 never gets here",
    f"{A}x__progress__mutmut_31": "level == y0 never gets here",
    # the starting values of the first and last observation are read only when there is one
    f"{A}x_assess__mutmut_12": "overwritten before use",
    # "none" combines exactly one value (several are refused): sum == min of one
    f"{A}x__combine__mutmut_6": "one value",
    f"{A}x__combine__mutmut_7": "one value",
    # no caller passes None (both build y0, t0 and T first): the guard is never taken
    f"{A}x__path_value__mutmut_1": "never None",
    f"{A}x__path_value__mutmut_2": "never None",
    # R and the forecast cannot be NaN from finite inputs (time share > 0, shares halved
    # before they overflow, rates capped): the guards against NaN are never taken
    **{f"{A}x__progress__mutmut_{n}": "never NaN" for n in (109, 110, 111, 112, 114, 116, 117)},
    **{f"{A}x__progress__mutmut_{n}": "never NaN" for n in (118, 119)},
    # incentives/services.py (sample of 80, docs/testing.md): `required=None` for False, both
    # falsy; getattr(actor, "is_authenticated", True): the actor is a signed-in user or None,
    # and None gives None either way
    "ducha.incentives.services.x_update_application__mutmut_54": "None is falsy",
    "ducha.incentives.services.x_record_payment__mutmut_183": "None either way",
    # datavalues/services.py (samples of 80 at fdda864 and at 77c63f6, docs/testing.md; mutmut
    # numbers a function's mutants in order, so the numbers are those of the later code):
    # _may_write_unit never reads its `action`; for a value not saved yet "change" and "add"
    # both end in _may_write_unit unless the scope is everything (the office, allowed either
    # way); the "cannot become" message is unreachable: every move but one to the same state
    # is in VALUE_TRANSITIONS for the two targets the services ask (approved, draft); the
    # audit's JSON text with or without ASCII escapes reads back as the same changes; the new
    # ids are as many as the rows by construction (insert_new), so zip's `strict` never
    # fires; bulk_update splits batches to the database's limits itself
    **{
        f"ducha.datavalues.services.x{f}__mutmut_{n}": "action unread"
        for f, n in (("__check", 14), ("_report_milestone", 60), ("_report_milestone", 65))
    },
    "ducha.datavalues.services.x_save_value__mutmut_40": "same check for a new value",
    **{f"ducha.datavalues.services.x__transition__mutmut_{n}": "unreachable" for n in (11, 14)},
    "ducha.datavalues.services.x__changes_json__mutmut_4": "same JSON when read",
    "ducha.datavalues.services.x__import_as_office__mutmut_146": "lengths equal by construction",
    "ducha.datavalues.services.x__import_as_office__mutmut_93": "batching only",
    # reporting/services.py (sample of 80, docs/testing.md): RoundPolicy answers every action
    # but "view" alike (the office's alone), so "XXchangeXX" asks what "change" asks; the round
    # row was just read under lock, so saving every field writes what update_fields would;
    # no PermissionDenied reaches the sheet's loop (its rows were kept by the "change" scope,
    # and every role with "change" has "submit"), so `getattr`'s default is never read; a
    # burden row already there is left alone by bulk_create(ignore_conflicts) (one per
    # assignment), whatever `have` holds; str() of an int, float or Decimal is always a
    # Decimal literal ("nan" and "inf" too), so that InvalidOperation is never raised
    **{
        f"ducha.reporting.services.x_{f}__mutmut_{n}": why
        for f, n, why in (
            ("change_round_state", 9, "same scope"),
            ("change_round_state", 41, "row fresh under lock"),
            ("save_sheet", 84, "unreachable"),
            ("note_opened", 13, "conflicts ignored"),
            ("clean_value", 18, "unreachable"),
        )
    },
    # the argument dropped is the parameter's default ("district")
    "ducha.enterprises.policies.xǁEnterprisePolicyǁscope__mutmut_7": "the default",
}

# --no-migrations: each mutant's test run builds its database from the models at once
# (no migration runs data; a fraction of the time of replaying every migration)
PYTEST_ARGS = [
    "-x",
    "-q",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:xdist",  # one process per mutant: no workers to start
    "--no-migrations",
    "-m",
    "not browser and not slow",
]


def _is_atomic(decorator) -> bool:
    return (
        isinstance(decorator, ast.Attribute)
        and decorator.attr == "atomic"
        and isinstance(decorator.value, ast.Name)
        and decorator.value.id == "transaction"
    )


def unwrap_atomic(text: str) -> str:
    """`@transaction.atomic` on a module-level function → `name = transaction.atomic(name)`
    right after the function: the same object in the end, and mutmut mutates its body."""
    lines = text.splitlines(keepends=True)
    found = [
        node
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
        and len(node.decorator_list) == 1
        and _is_atomic(node.decorator_list[0])
    ]
    for node in reversed(found):  # bottom up, so earlier line numbers stay right
        lines.insert(node.end_lineno, f"\n\n{node.name} = transaction.atomic({node.name})\n")
        del lines[node.decorator_list[0].lineno - 1]
    return "".join(lines)


def prepare(workdir: Path, files: list[str], tests: list[str]) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for raw in tracked:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if src.is_file():
            dst = workdir / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for rel in files:
        path = workdir / rel
        path.write_text(unwrap_atomic(path.read_text(encoding="utf-8")), encoding="utf-8")
    config = {
        "source_paths": ["ducha"],
        "only_mutate": files,
        "do_not_mutate": ["ducha/*/tests/*"],
        "also_copy": ["conftest.py"],
        "pytest_add_cli_args": PYTEST_ARGS,
        "pytest_add_cli_args_test_selection": [t for t in tests if (workdir / t).exists()],
        # mutmut's wall limit is (the tests' own time + constant) x multiplier, and a timeout
        # counts as killed: the set-up a Django test needs (its database, the module's
        # world) is not in "the tests' own time", so on a busy machine the default (1 s x 15)
        # would call slow survivors killed. 30 s x 5: only a real hang times out.
        "timeout_constant": 30.0,
        "timeout_multiplier": 5.0,
    }
    with (workdir / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("\n[tool.mutmut]\n")
        for key, value in config.items():
            f.write(f"{key} = {json.dumps(value, ensure_ascii=False)}\n")


# Run in the scratch directory (mutmut reads its settings there): every mutant's name, per file,
# in mutmut's own order and numbering, without generating the mutated files.
_NAMES = """
import json, sys
from pathlib import Path
import libcst as cst
from mutmut.mutation.file_mutation import create_mutations, group_by_top_level_node
from mutmut.mutation.trampoline_templates import mangle_function_name
from mutmut.utils.format_utils import get_mutant_name
out = {}
for rel in sys.argv[1:]:
    module, mutations, *_ = create_mutations(rel, Path(rel).read_text(encoding="utf-8"))
    owner = {}
    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
            for method in stmt.body.body:
                owner[method] = stmt.name.value
    names = []
    for fn, found in group_by_top_level_node(mutations).items():
        if isinstance(fn, cst.FunctionDef):
            mangled = mangle_function_name(name=fn.name.value, class_name=owner.get(fn))
            names += [get_mutant_name(Path(rel), f"{mangled}__mutmut_{i}")
                      for i in range(1, len(found) + 1)]
    out[rel] = names
print(json.dumps(out))
"""


def sample_names(workdir: Path, files: list[str], size: int, env: dict) -> list[str]:
    """`size` mutants of each file, the same ones on every run (seeded by the file's name):
    an estimate of the score where the whole run takes too long (docs/testing.md)."""
    listed = subprocess.run(
        [str(VENV_PYTHON), "-c", _NAMES, *files],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chosen = []
    for rel, names in json.loads(listed).items():
        chosen += sorted(random.Random(rel).sample(names, min(size, len(names))))
    return chosen


def tried(workdir: Path, files: list[str]) -> set[str]:
    done = set()
    for rel in files:
        meta = workdir / "mutants" / f"{rel}.meta"
        if meta.exists():
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            done |= {name for name, code in codes.items() if code is not None}
    return done


def results(workdir: Path, files: list[str]) -> dict[str, Counter]:
    out = {}
    for rel in files:
        meta = workdir / "mutants" / f"{rel}.meta"
        counts: Counter = Counter()
        if meta.exists():
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            for name, code in codes.items():
                counts[status(code)] += 1
                if name in EQUIVALENT and status(code) == "survived":
                    counts["equivalent"] += 1
        out[rel] = counts
    return out


def status(code) -> str:
    if code is None:
        return "not run"  # a run stopped before it reached this mutant
    if code in (1, 3):
        return "killed"
    if code in (36, 24, -24, 152, 255):
        return "timeout"
    if code == 0:
        return "survived"
    if code in (5, 33):
        return "no tests"
    return "other"


def survivors(workdir: Path, files: list[str]) -> list[str]:
    names = []
    for rel in files:
        meta = workdir / "mutants" / f"{rel}.meta"
        if meta.exists():
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            names += [n for n, c in sorted(codes.items()) if status(c) in ("survived", "no tests")]
    return names


def write_survivors(name: str, workdir: Path, files: list[str], env: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{name}.txt").open("w", encoding="utf-8") as f:
        for mutant in survivors(workdir, files):
            shown = subprocess.run(
                [str(VENV_PYTHON), "-m", "mutmut", "show", mutant],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            f.write(f"=== {mutant}  {EQUIVALENT.get(mutant, '')}\n{shown}\n")


def run_group(
    name: str,
    keep: bool,
    niceness: int = 10,
    workdir: Path | None = None,
    run_it: bool = True,
    sample: int = 0,
) -> dict[str, Counter]:
    files, tests = GROUPS[name]
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix=f"ducha-mutation-{name}-"))
    else:
        keep = True  # a named directory is kept: run again to go on where it stopped
        workdir.mkdir(parents=True, exist_ok=True)
    try:
        if not (workdir / "pyproject.toml").exists():
            prepare(workdir, files, tests)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env.pop("DUCHA_DATABASE_URL", None)
        env["DUCHA_DATA_DIR"] = str(workdir / "var")
        if not run_it:
            write_survivors(name, workdir, files, env)
            return results(workdir, files)
        chosen: list[str] = []
        if sample:
            # mutmut re-runs a mutant it is given by name: leave out those already tried
            done = tried(workdir, files)
            chosen = [n for n in sample_names(workdir, files, sample, env) if n not in done]
            if not chosen:
                write_survivors(name, workdir, files, env)
                return results(workdir, files)
        log = OUT / f"{name}.log"
        OUT.mkdir(parents=True, exist_ok=True)
        with log.open("a") as f:
            run = subprocess.run(
                [
                    "nice",
                    "-n",
                    str(niceness),
                    str(VENV_PYTHON),
                    "-m",
                    "mutmut",
                    "run",
                    "--max-children",
                    "1",
                    *chosen,
                ],
                cwd=workdir,
                env=env,
                stdout=f,
                stderr=subprocess.STDOUT,
                check=False,
            )
        found = results(workdir, files)
        if run.returncode != 0 or not any(c["killed"] + c["timeout"] for c in found.values()):
            # mutmut stopped (its clean run failed, or no mutant was tried): no score to give
            sys.exit(f"mutmut did not run the mutants of {name} (exit {run.returncode}); see {log}")
        write_survivors(name, workdir, files, env)
        return found
    finally:
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def recheck(name: str, workdir: Path, tests: list[str], only: list[str], niceness: int) -> None:
    """Each survivor (and each mutant no test reached) of the kept run, against `tests` as
    mutmut runs a mutant (`pytest -x` with MUTANT_UNDER_TEST naming it, in its copy): one
    a test fails for is counted killed from then on, in mutmut's own record of the run.
    The test modules named are copied in from the working tree first (the tests written
    since the run started), never the code under test."""
    files = GROUPS[name][0]
    for arg in tests:
        module = arg.split("::")[0]
        if module.endswith(".py") and (ROOT / module).is_file() and "/tests/" in module:
            shutil.copy2(ROOT / module, workdir / "mutants" / module)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", DUCHA_DATA_DIR=str(workdir / "var"))
    env.pop("DUCHA_DATABASE_URL", None)
    OUT.mkdir(parents=True, exist_ok=True)
    for mutant in survivors(workdir, files):
        if only and not any(fnmatch.fnmatchcase(mutant, pattern) for pattern in only):
            continue
        with (OUT / f"{name}-recheck.log").open("a") as log:
            log.write(f"=== {mutant}\n")
            log.flush()
            code = subprocess.run(
                [
                    "nice",
                    "-n",
                    str(niceness),
                    str(VENV_PYTHON),
                    "-m",
                    "pytest",
                    "--rootdir=.",
                    "-p",
                    "no:randomly",
                    *PYTEST_ARGS,
                    *tests,
                ],
                cwd=workdir / "mutants",
                env=dict(env, MUTANT_UNDER_TEST=mutant),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            ).returncode
        # 1: a test failed (mutmut's "killed"); 0: all passed; anything else (no test
        # collected, a usage error) is reported and changes nothing
        print(f"{mutant}: {({0: 'survived', 1: 'killed'}).get(code, f'exit {code}')}", flush=True)
        if code == 1:
            rel = next(f for f in files if mutant.startswith(f[:-3].replace("/", ".") + "."))
            meta = workdir / "mutants" / f"{rel}.meta"
            data = json.loads(meta.read_text())
            data["exit_code_by_key"][mutant] = 1
            meta.write_text(json.dumps(data, indent=4))


def score_row(rel: str, c: Counter) -> str:
    """One file's line of the report. A file none of whose mutants has been tried has no
    score (not 100 %): a stopped or not yet started run says so instead of a figure."""
    # a stopped run scores the mutants it tried; "not run" says how many it had left
    total = sum(v for k, v in c.items() if k not in ("equivalent", "not run"))
    if not total:
        return f"{rel:<36} {0:>7} {'no mutant tried: no score':>47} {c['not run']:>7}"
    killed = c["killed"] + c["timeout"]
    judged = total - c["equivalent"]
    without = f"{killed / judged:>7.1%}" if judged else f"{'-':>7}"
    return (
        f"{rel:<36} {total:>7} {c['killed']:>6} {c['timeout']:>4} {c['survived']:>5} "
        f"{c['no tests']:>5} {killed / total:>6.1%} {without} {c['not run']:>7}"
    )


def report(found: dict[str, Counter]) -> None:
    print(
        f"{'file':<36} {'mutants':>7} {'killed':>6} {'t/o':>4} {'surv':>5} {'none':>5} "
        f"{'score':>6} {'w/o eq.':>7} {'not run':>7}"
    )
    for rel, c in found.items():
        print(score_row(rel, c))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"some of: {', '.join(GROUPS)} (default: all)")
    parser.add_argument("--list", action="store_true", help="show the groups and stop")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directories")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="scratch directory for one group, kept; run again to go on where a run stopped",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        metavar="N",
        help="only N mutants of each file, the same on every run: an estimate (default: all)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="with --workdir: print the scores of the mutants tried so far, run nothing",
    )
    parser.add_argument(
        "--nice", type=int, default=10, help="niceness of the mutmut run (default 10)"
    )
    parser.add_argument(
        "--recheck",
        nargs="?",
        const="",
        metavar="PYTEST_ARGS",
        help="with --workdir: run the survivors of the kept run again against these tests, "
        "one quoted string (default: the group's slower tests, RECHECK), and count the ones "
        "they kill",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="GLOB",
        help="with --recheck: only the survivors whose name matches (may be repeated)",
    )
    args = parser.parse_args()
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; the groups: {', '.join(GROUPS)}")
    if args.list:
        for name, (files, tests) in GROUPS.items():
            print(f"{name}:\n  mutate: {' '.join(files)}\n  tests:  {' '.join(tests)}")
        return
    if args.workdir and len(args.groups) != 1:
        parser.error("--workdir needs exactly one group")
    if args.report and not args.workdir:
        parser.error("--report needs --workdir")
    if args.recheck is not None:
        if not args.workdir:
            parser.error("--recheck needs --workdir")
        (name,) = args.groups
        tests = shlex.split(args.recheck) or RECHECK.get(name, [])
        if not tests:
            parser.error(f"--recheck: name the tests ({name} has no slower tests of its own)")
        recheck(name, args.workdir, tests, args.only, args.nice)
        args.report = True
    for name in args.groups or list(GROUPS):
        print(f"== {name}", flush=True)
        found = run_group(
            name, args.keep, args.nice, args.workdir, run_it=not args.report, sample=args.sample
        )
        report(found)
        print(f"   survivors' diffs: {(OUT / f'{name}.txt').relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main()
