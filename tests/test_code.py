"""The code stays easy to pick up: no function in scripts/ longer than a screen."""

from __future__ import annotations

import ast

import pytest

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


def collected(*options: str) -> list[str]:
    """The tests a `pytest` with these options would run, by id (collected only, in one process)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:cacheprovider", *options],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


@pytest.mark.slow
def test_a_plain_pytest_is_the_quick_run_and_all_runs_every_test():
    """The slow tests (a browser, a build or collect as a process) are left out of a plain `pytest`
    only: --all, a named file, -m or -k run them."""
    every, quick = collected("--all"), collected()
    slow = [test for test in every if test not in quick]
    assert quick and slow and set(quick) < set(every)
    assert not [test for test in quick if test.startswith(("tests/test_browser.py", "tests/test_interruptions.py",
                                                            "tests/test_serve.py"))], "a browser or process test in the quick run"
    assert any(test.startswith("tests/test_browser.py") for test in slow)
    assert any(test.startswith("tests/test_interruptions.py") for test in slow)
    assert collected("tests/test_serve.py") == [test for test in every if test.startswith("tests/test_serve.py")] != []
    chosen = collected("-m", "browser")
    assert chosen and set(chosen) <= set(slow), "choosing with -m runs the browser tests a plain pytest leaves out"
