"""Fixtures. The site is built once per test session, into a temporary folder, with a
published-looking SITE_URL under a sub-path, and read back as files (helpers.py reads them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, SITE_URL, data, require, run_build


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


# ---- a real browser (tests marked `browser`) ------------------------------------------------------

def _browser_ready() -> bool:
    import browser

    return Path(browser.CHROMIUM).exists() and Path(browser.CHROMEDRIVER).exists() and browser.AXE.exists()


@pytest.fixture(scope="session")
def served(site):
    """The built site at http://127.0.0.1:<port>/trousse/, the path of the test SITE_URL."""
    from urllib.parse import urlsplit

    import browser

    require(_browser_ready(), "chromium and chromium-driver (Debian) and axe-core (npm ci)")
    httpd, base = browser.serve(site, urlsplit(SITE_URL).path)
    yield base
    httpd.shutdown()


@pytest.fixture(scope="session")
def driver():
    """Debian's Chromium, headless, driven by Selenium; its viewport reset after each test."""
    import browser

    require(_browser_ready(), "chromium and chromium-driver (Debian) and axe-core (npm ci)")
    chrome = browser.chrome()
    chrome.set_script_timeout(60)
    yield chrome
    chrome.quit()


@pytest.fixture(autouse=True)
def _fresh_viewport(request):
    """A test that changes the browser's viewport or media leaves it as it found it."""
    yield
    if "driver" in request.fixturenames:
        import browser

        chrome = request.getfixturevalue("driver")
        browser.reset_viewport(chrome)
        chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
