"""The code stays easy to pick up: no function in scripts/ longer than a screen."""

from __future__ import annotations

import ast

from helpers import ROOT

LIMIT = 50  # lines, decorators and docstring included


def test_no_function_in_scripts_is_longer_than_fifty_lines():
    long = []
    for path in sorted((ROOT / "scripts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                length = node.end_lineno - first + 1
                if length > LIMIT:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, "split these functions (at most 50 lines each):\n" + "\n".join(long)
