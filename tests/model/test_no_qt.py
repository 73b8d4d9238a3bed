"""model/ and export/ never import Qt (ARCHITECTURE: the core has zero Qt imports)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_model_and_export_import_no_qt():
    offenders = []
    for folder in ("model", "export"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6") for n in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
