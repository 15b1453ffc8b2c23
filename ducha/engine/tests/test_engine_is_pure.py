"""The engine is plain Python: nothing under ducha/engine may import Django."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_in_the_engine_imports_django():
    sources = sorted(ENGINE.rglob("*.py"))
    assert len(sources) > 3
    offenders = {
        str(path.relative_to(ENGINE)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "django"
        )
        for path in sources
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}
