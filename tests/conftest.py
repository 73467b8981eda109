"""Fixtures. The site is built once per test session (in process: building.py), into a temporary
folder, with a published-looking SITE_URL under a sub-path, and read back as files (helpers.py
reads them)."""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path

# The tests' and the kit's own modules are compiled once and kept in __pycache__/ (ignored by git),
# even where PYTHONDONTWRITEBYTECODE is set (as in many containers): pytest otherwise rewrites and
# compiles every test module again in each worker, about 4 s a run.
sys.dont_write_bytecode = False

import pytest

import building
import kept
from helpers import ROOT, SITE_URL, copy_project, data, require


# ---- the quick run and the whole run ---------------------------------------------------------------

def pytest_addoption(parser):
    parser.addoption("--all", action="store_true",
                     help="run every test, the slow ones too (`make test` and CI do; see the `slow` marker)")


def _quick(config) -> bool:
    """A plain `pytest` is the quick run: it leaves the slow tests out. Naming files or tests, or
    choosing with -m or -k, runs what was named, slow or not; --all runs everything."""
    chosen = config.option.file_or_dir or config.option.markexpr or config.option.keyword
    return not (config.getoption("--all") or chosen)


def _slow(item) -> bool:
    return item.get_closest_marker("slow") is not None or item.get_closest_marker("browser") is not None


def pytest_collection_modifyitems(config, items):
    if _quick(config):
        left_out = [item for item in items if _slow(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not _slow(item)]


def pytest_report_header(config):
    if _quick(config):
        return "quick run: slow tests (a real browser, a whole build or collect as a process) left out; " \
               "`pytest --all` or `make test` runs every test"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole built site (pages and handouts) of this repository, built once per test session:
    in this process, and under pytest-xdist by the first worker to come, the others waiting for it
    (a lock in the session's folder, the pattern pytest-xdist documents) and reading its result."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return _built_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # this session's folder, shared by its workers
    with open(shared / "site.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _built_site(shared / "built")


@pytest.fixture(scope="session", autouse=True)
def _old_readings_pruned():
    """What kept.py kept and no session used for a week is removed."""
    kept.prune()


def _built_site(folder: Path) -> Path:
    """The site built into folder/site, or the failure of the one build tried there, told again."""
    failure = folder / "build-failed.txt"
    if not (folder / "site").exists() and not failure.exists():
        folder.mkdir(exist_ok=True)
        result = building.in_process(ROOT, folder / "site")
        if result.returncode:
            failure.write_text(result.output, encoding="utf-8")
    assert not failure.exists(), f"the build of the site failed:\n{failure.read_text(encoding='utf-8')[-5000:]}"
    return folder / "site"


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
    return copy_project(tmp_path / "project")


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
