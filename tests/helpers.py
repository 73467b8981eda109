"""Shared helpers of the tests: building the project, and reading the built site as a reader would."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from kit import data  # noqa: E402
from kept import kept, per_file_state  # noqa: E402

SEEDS = ROOT / "data" / "seeds"
SITE_URL = "https://example.org/trousse/"  # a published-looking address under a sub-path
SPAWN = ROOT / "tests" / "spawn"  # its sitecustomize makes worker processes start by spawn, as on macOS


def run_build(site_dir: Path, cwd: Path = ROOT, site_url: str = SITE_URL, **popen) -> subprocess.CompletedProcess:
    """`scripts/build.py build` of the project at cwd into site_dir, its workers started by spawn."""
    env = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(SPAWN))
    return subprocess.run([sys.executable, "scripts/build.py", "--site", str(site_dir), "build"],
                          cwd=cwd, env=env, capture_output=True, text=True, **popen)


def copy_project(target: Path) -> Path:
    """A copy of the project's sources at `target`, to break on purpose; it shares the project's
    .cache (rendered handouts), so that it renders only the handouts it changes."""
    target.mkdir()
    for name in ("mkdocs.yml", "docs", "data", "overrides", "scripts"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    (ROOT / ".cache").mkdir(exist_ok=True)
    (target / ".cache").symlink_to(ROOT / ".cache")
    return target


@per_file_state(maxsize=200)
def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed once per state of its file (tests read every page many times, and
    parsing was half of their time). Shared between tests, so read it only: copy.copy() what you
    change."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_file(site: Path, address: str) -> Path:
    """The HTML file of a site address such as 'en/charlevoix/' or ''."""
    return site / address / "index.html"


def content_text(path: Path) -> str:
    """The readable text of a page's main content (no navigation, no abbreviation list)."""
    article = copy.copy(soup(path).select_one("article.md-content__inner"))
    for tag in article.select(".headerlink, script, style"):
        tag.decompose()
    return article.get_text(" ")


def normalize(text: str) -> str:
    """Compare text as words: one kind of apostrophe, ellipsis and space, no typographic spacing."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("’", "'").replace("…", "...").replace("“", '"').replace("”", '"')
    text = re.sub(r"[\u00a0\u202f\s]+", " ", text)
    text = re.sub(r" ?([;:!?»)\]]) ?", r"\1 ", text)
    text = re.sub(r"([«(\[]) ?", r"\1", text)
    text = re.sub(r" ([,.])(?= |$)", r"\1", text)  # inline tags read with spaces around them
    return re.sub(r" +", " ", text).strip().casefold()


def seed_text(doc_id: str) -> str:
    """A source text with its layout debris removed and the listed corrections applied."""
    kit = data.load()
    text = (SEEDS / kit.documents[doc_id].file).read_text(encoding="utf-8").replace("\ufffd", " ")
    text = re.sub(r"-\s*\n\s*", "-", text)  # a word cut at a line end, like faite-\nt-elle
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", text)  # a Markdown link whose address was lost
    text = re.sub(r"^\s*(?:[-→]|\d+\.)\s+", "", text, flags=re.M)  # list bullets and arrows
    for item in kit.corrections:
        if doc_id in item.seeds and item.right:
            text = text.replace(item.wrong, item.right)
    return text


def require(available: bool, what: str) -> None:
    """Skip a test without a tool on a contributor's machine; in CI (CI=true) a missing tool
    fails, since .ci/run installs every tool."""
    if not available:
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(f"needs {what}")


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` once in a file; `old` must be there, so a test cannot break nothing."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_addresses(site: Path) -> list[str]:
    """Every page address of a built site, e.g. '' (home), 'charlevoix/', 'en/charlevoix/'."""
    return sorted(p.parent.relative_to(site).as_posix() + "/" if p.parent != site else "" for p in site.rglob("index.html"))


WORKSHEET = "{worksheet}"  # in tests/published_addresses.txt, stands for each worksheet's id


def published_addresses() -> list[str]:
    """The lines of tests/published_addresses.txt: pages, anchors and files people link to. A line
    with {worksheet} comes once per worksheet: those of its `{worksheet} =` line (published), then
    any other of data/worksheets/index.yml."""
    lines = (ROOT / "tests" / "published_addresses.txt").read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    published = [line.split("=", 1)[1].split() for line in lines if line.startswith(WORKSHEET + " =")]
    assert len(published) == 1, f"tests/published_addresses.txt: write one line '{WORKSHEET} = id id …'"
    order = yaml.safe_load((ROOT / "data" / "worksheets" / "index.yml").read_text(encoding="utf-8"))["order"]
    sheets = published[0] + [sheet for sheet in order if sheet not in published[0]]
    expanded = [[line.replace(WORKSHEET, sheet) for sheet in sheets] if WORKSHEET in line else [line]
                for line in lines if not line.startswith(WORKSHEET + " =")]
    return [line for group in expanded for line in group]



def meta_of(path: Path) -> dict[str, str]:
    """A page's <meta> values by name or property."""
    return {m.get("property") or m.get("name"): m.get("content") for m in soup(path).find_all("meta")}


def poppler_version() -> str:
    """The version line of poppler's tools (pdftotext -v)."""
    return subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.splitlines()[0]


def words_on_pages(path) -> list[list[dict]]:
    """Every word of a PDF with its box, page by page (poppler's pdftotext -bbox; kept, see kept.py)."""
    return _words_on_pages(Path(path))


@kept(tool=poppler_version)
def _words_on_pages(path: Path) -> list[list[dict]]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        words = [dict(zip(("x0", "y0", "x1", "y1"), map(float, m.groups()[:4])), text=m.group(5), width=width, height=height)
                 for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page.group(3))]
        pages.append(words)
    return pages


def label(key: str, lang: str, typeset: bool = True) -> str:
    """An interface label as data/labels.yml words it, with the build's typography (as the pages and
    handouts show it) unless `typeset` is False. Tests read labels from there, never copy them, so
    that rewording a label breaks no test."""
    from kit import typography

    words = data.load().t(lang)[key]
    return typography.text(words, lang) if typeset else words


def words(text: str) -> str:
    """Text with every run of spaces and line breaks as one space (what a PDF's lines become)."""
    return " ".join(text.split())


@kept
def _pages_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def pages_text(path: Path) -> tuple[str, ...]:
    """The text of each page of a PDF, as pypdf extracts it (about 0.07 s of CPU a page, and several
    tests read every handout: kept, see kept.py)."""
    return tuple(_pages_text(Path(path)))
