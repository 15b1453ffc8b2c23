"""From a policy document to its structure and quantified targets (plain Python, no Django).

    document = parse_structure(read_document("plan.docx"))
    targets = extract_targets(document)
    print(to_jsonl(targets))            # the extraction contract (BRIEF)
    print(to_plan_yaml(document, targets))  # a draft ducha-plan/1 file for review

See docs/extraction.md for what it handles and where it stops.
"""

from ducha.engine.extract.plan_yaml import to_plan_yaml
from ducha.engine.extract.reader import ExtractionError, read_document
from ducha.engine.extract.structure import Document, Node, parse_structure
from ducha.engine.extract.targets import ExtractedTarget, extract_targets, to_jsonl

__all__ = [
    "Document",
    "ExtractedTarget",
    "ExtractionError",
    "Node",
    "extract_targets",
    "parse_structure",
    "read_document",
    "to_jsonl",
    "to_plan_yaml",
]
