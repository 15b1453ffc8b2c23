"""The figures docs/extraction.md publishes, reproduced by ``python -m
ducha.engine.extract.corpus_score``: the tuning documents must keep what the rules reached.
The held-out documents are scored and printed, never asserted on (a test that failed on them
would be a pressure to tune on them)."""

from ducha.engine.extract.corpus_score import format_report, main, score_documents


def test_seed_and_tuning_documents_keep_their_scores_and_lead_units():
    results = {r.name: r for r in score_documents(["seed", "tuning"])}
    seed = results["tianjin-2018 (seed)"]
    assert len(seed.targets.matched) == 29 and not seed.targets.spurious
    guangzhou = results["guangzhou-talent-cluster-2012"]
    assert guangzhou.targets.precision >= 0.95 and guangzhou.targets.recall >= 0.95
    assert guangzhou.assignments.lead_accuracy >= 0.95
    assert guangzhou.years_right == len(guangzhou.targets.matched)


def test_the_score_command_prints_every_set_with_totals(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for heading in ("== seed ==", "== own ==", "== tuning ==", "== heldout =="):
        assert heading in out
    assert "total (heldout)" in out and "lead accuracy" in out


def test_the_report_lists_misses_when_asked():
    report = format_report(score_documents(["heldout"]), verbose=True)
    assert "missed:" in report
