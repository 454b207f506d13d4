"""The domain imports only the standard library and itself (import-linter lists only the known offenders)."""

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[3] / "worker" / "domain"


def test_domain_imports_only_the_standard_library():
    foreign = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and not name.startswith("worker.domain"):
                    foreign.append(f"{path.name}: {name}")
    assert foreign == []


def test_domain_never_reads_the_clock():
    for path in DOMAIN.rglob("*.py"):
        text = path.read_text()
        assert ".now(" not in text and ".today(" not in text and "utcnow" not in text, path.name
