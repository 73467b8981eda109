"""Fixtures. The site is built once per test session, into a temporary folder, with a
published-looking SITE_URL under a sub-path, and read back as files (helpers.py reads them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, data, run_build


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole built site (pages and handouts) of this repository."""
    site_dir = tmp_path_factory.mktemp("site") / "site"
    result = run_build(site_dir)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def manifest(site) -> list[dict]:
    """The handouts listed in handouts.json."""
    return json.loads((site / "handouts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def kit() -> data.Kit:
    """The project's data files, as the build reads them."""
    return data.load()


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A copy of the project's sources, to break on purpose; rendered handouts are shared."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("mkdocs.yml", "docs", "data", "overrides", "scripts"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (ROOT / ".cache").mkdir(exist_ok=True)
    (copy / ".cache").symlink_to(ROOT / ".cache")
    return copy
