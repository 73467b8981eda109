"""Where things are: the repository and its folders. Every module asks here.

Refuses (`links_out_of_the_project`) a file of docs/, data/ or overrides/ reached through a symbolic
link that leaves the project."""

from __future__ import annotations

import os
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


def links_out_of_the_project(*folders: Path) -> list[str]:
    """Every file or folder under `folders` reached through a symbolic link that leads out of the
    project (the build would publish, or read, a file that is not the project's), as messages."""
    root, found, seen = ROOT.resolve(), [], set()
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:  # a link back to a folder already walked: once is enough (and no loop)
                dirnames.clear()
                continue
            seen.add(real)
            for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                target = Path(name).resolve()
                if not target.is_relative_to(root) and name not in found:
                    found.append(name)
                    if name in (os.path.join(dirpath, n) for n in dirnames):
                        dirnames.remove(os.path.basename(name))
    return [f"{rel(Path(name).parent)}/{Path(name).name} leads to {Path(name).resolve()}, outside the project: the build "
            "would publish it. Copy the file into the project, or remove the link." for name in found]
