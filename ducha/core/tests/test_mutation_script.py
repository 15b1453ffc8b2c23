"""The pure parts of bench/mutation.py (the mutation score, docs/testing.md): how a run's
record is counted and printed, and the copy's unwrapping of `@transaction.atomic`. mutmut
itself is never run here (it takes minutes to hours)."""

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "mutation.py"


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("bench_mutation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_file_none_of_whose_mutants_was_tried_has_no_score(mutation):
    row = mutation.score_row("ducha/reporting/services.py", Counter({"not run": 80}))
    assert "no mutant tried: no score" in row
    assert "%" not in row  # neither 100 % nor 0 %
    assert row.split()[-1] == "80"  # how many are left to run


def test_a_file_with_no_mutant_at_all_has_no_score_either(mutation):
    assert "no score" in mutation.score_row("ducha/x/policies.py", Counter())


def test_the_score_counts_timeouts_as_killed_and_is_also_given_without_the_equivalent(mutation):
    counts = Counter(killed=7, timeout=1, survived=2, equivalent=1, **{"not run": 5})
    fields = mutation.score_row("f.py", counts).split()
    # file, mutants, killed, t/o, survived, none, score, without equivalents, not run
    assert fields == ["f.py", "10", "7", "1", "2", "0", "80.0%", "88.9%", "5"]


def test_a_file_whose_only_survivors_are_equivalent_has_no_score_without_them(mutation):
    fields = mutation.score_row("f.py", Counter(survived=1, equivalent=1)).split()
    assert fields[6:8] == ["0.0%", "-"]


def test_the_record_of_a_run_is_counted_by_mutmuts_exit_codes(mutation, tmp_path, monkeypatch):
    rel = "ducha/x/services.py"
    meta = tmp_path / "mutants" / f"{rel}.meta"
    meta.parent.mkdir(parents=True)
    codes = {
        "ducha.x.services.x_f__mutmut_1": 1,  # a test failed
        "ducha.x.services.x_f__mutmut_2": 0,  # every test passed
        "ducha.x.services.x_f__mutmut_3": 0,  # ... and judged equivalent
        "ducha.x.services.x_f__mutmut_4": 33,  # no test reached it
        "ducha.x.services.x_f__mutmut_5": None,  # the run stopped before it
        "ducha.x.services.x_f__mutmut_6": -24,  # the CPU limit
    }
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    monkeypatch.setitem(mutation.EQUIVALENT, "ducha.x.services.x_f__mutmut_3", "why")

    counts = mutation.results(tmp_path, [rel])[rel]

    assert counts == Counter(
        {"killed": 1, "survived": 2, "equivalent": 1, "no tests": 1, "not run": 1, "timeout": 1}
    )
    assert mutation.tried(tmp_path, [rel]) == set(codes) - {"ducha.x.services.x_f__mutmut_5"}
    assert mutation.survivors(tmp_path, [rel]) == [
        "ducha.x.services.x_f__mutmut_2",
        "ducha.x.services.x_f__mutmut_3",
        "ducha.x.services.x_f__mutmut_4",
    ]


def test_an_atomic_function_is_wrapped_after_its_body_so_mutmut_mutates_it(mutation):
    source = (
        "from django.db import transaction\n\n\n"
        "@transaction.atomic\n"
        "def first(x):\n    return x + 1\n\n\n"
        "def plain():\n    return 2\n\n\n"
        "@transaction.atomic\n"
        "def last(y):\n    return y * 3\n"
    )
    text = mutation.unwrap_atomic(source)
    assert "@transaction.atomic" not in text
    assert text.index("first = transaction.atomic(first)") > text.index("return x + 1")
    assert text.index("first = transaction.atomic(first)") < text.index("def plain")
    assert text.rstrip().endswith("last = transaction.atomic(last)")
    calls = []
    namespace = {
        "transaction": type("T", (), {"atomic": staticmethod(lambda f: calls.append(f) or f)})
    }
    exec(compile(text.replace("from django.db import transaction\n", ""), "x", "exec"), namespace)
    assert [f.__name__ for f in calls] == ["first", "last"]
    assert namespace["first"](1) == 2 and namespace["last"](2) == 6
