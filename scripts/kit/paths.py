"""Where things are: the repository and its folders. Every module asks here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
DATA = ROOT / "data"
DOCS = ROOT / "docs"
OVERRIDES = ROOT / "overrides"
KIT_TEMPLATES = OVERRIDES / "kit"  # HTML and Markdown fragments of the pages
HANDOUT_TEMPLATES = OVERRIDES / "handouts"  # the PDF template, its stylesheet and fonts
CACHE = ROOT / ".cache"


def rel(path: Path) -> str:
    """A path as a contributor reads it: relative to the repository when it is inside."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
