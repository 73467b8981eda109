"""Fixtures: the site is built once per test session, into a temporary folder, with a
published-looking SITE_URL under a sub-path, and read back as files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

SITE_URL = "https://example.org/trousse/"


def run_build(site_dir: Path, cwd: Path = ROOT, site_url: str = SITE_URL) -> subprocess.CompletedProcess:
    """`scripts/build.py build` of the project at cwd into site_dir; output captured."""
    env = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "scripts/build.py", "--site", str(site_dir), "build"],
        cwd=cwd, env=env, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole built site (pages and handouts) of this repository."""
    site_dir = tmp_path_factory.mktemp("site")
    result = run_build(site_dir)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def manifest(site) -> list[dict]:
    """The handouts listed in handouts.json."""
    return json.loads((site / "handouts.json").read_text(encoding="utf-8"))


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A copy of the project's sources, to break on purpose."""
    import shutil

    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("mkdocs.yml", "docs", "data", "overrides", "scripts"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (ROOT / ".cache").mkdir(exist_ok=True)
    (copy / ".cache").symlink_to(ROOT / ".cache")  # rendered handouts are shared, not made again
    return copy
