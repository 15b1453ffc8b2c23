"""Precision and recall of the extractor against hand-made gold files (BRIEF matching rule).

The seed (Tianjin 2018) must reach 0.95; the documents under corpus/ were written and annotated
for this test (national, provincial, city and district plans; one GBK-encoded, one read as a
.docx built here from its text) and must reach 0.9 each.
"""

from pathlib import Path

import pytest

from ducha.engine.extract import extract_targets, parse_structure, read_document
from ducha.engine.extract.scoring import load_gold, score

REPO = Path(__file__).resolve().parents[3]
SEED_TEXT = REPO / "ducha/data/tianjin-2018/plan.txt"
SEED_GOLD = REPO / "ducha/data/tianjin-2018/gold-targets.jsonl"
CORPUS = Path(__file__).parent / "corpus"
CORPUS_DOCUMENTS = sorted(CORPUS.glob("*.txt"))


def _text_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _read(path: Path, tmp_path: Path) -> str:
    """Corpus files named *.docx.txt are read through a .docx built from them."""
    if path.name.endswith(".docx.txt"):
        text = path.read_text(encoding="utf-8")
        return read_document(_text_docx(text, tmp_path / path.name.replace(".txt", "")))
    return read_document(path)


def _assert_fields_right(result, label):
    errors = result.field_errors(("year", "comparator", "kind"))
    assert not errors, f"{label}: wrong fields on matched targets:\n" + "\n".join(errors)


def test_seed_reaches_precision_and_recall_of_095_with_right_years():
    targets = extract_targets(parse_structure(read_document(SEED_TEXT)))
    result = score(targets, load_gold(SEED_GOLD))
    print("seed:", result.report())
    assert result.precision >= 0.95, result.report()
    assert result.recall >= 0.95, result.report()
    _assert_fields_right(result, "seed")


def test_seed_spans_point_at_the_sentence_in_its_node():
    document = parse_structure(read_document(SEED_TEXT))
    nodes = {node.key: node for node in document.iter_nodes()}
    for target in extract_targets(document):
        start, end = target.span
        assert nodes[target.node_key].text[start:end] == target.sentence


def test_seed_targets_of_the_goals_section_sit_under_the_2020_bullet():
    document = parse_structure(read_document(SEED_TEXT))
    scale = next(t for t in extract_targets(document) if t.value_min == 1000 and t.unit == "亿元")
    assert scale.node_key == "1.3.1.1"  # the key docs/plan-format.md uses for this target
    assert scale.year == 2020


@pytest.mark.parametrize("path", CORPUS_DOCUMENTS, ids=lambda p: p.name)
def test_own_corpus_document_reaches_090(path, tmp_path):
    gold = load_gold(path.with_name(path.name[: -len(".txt")] + ".gold.jsonl"))
    targets = extract_targets(parse_structure(_read(path, tmp_path)))
    result = score(targets, gold)
    print(f"{path.name}: {len(targets)} extracted, {len(gold)} gold, {result.report()}")
    assert result.precision >= 0.9, result.report()
    assert result.recall >= 0.9, result.report()
    _assert_fields_right(result, path.name)


def test_corpus_has_at_least_four_documents_with_gold():
    assert len(CORPUS_DOCUMENTS) >= 4
    for path in CORPUS_DOCUMENTS:
        assert path.with_name(path.name[: -len(".txt")] + ".gold.jsonl").exists()


def test_gbk_corpus_document_is_really_gbk():
    raw = (CORPUS / "provincial-manufacturing-2023.gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "江南省" in read_document(CORPUS / "provincial-manufacturing-2023.gbk.txt")
