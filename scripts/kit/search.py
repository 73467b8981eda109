"""One search index per language, and only a small part of it with every page.

mkdocs-static-i18n merges both languages into `site/search/search_index.json`. `split()` writes,
for each language (French at the root, English under /en/, its locations relative to /en/, where
English pages search: see the `config` block of overrides/main.html):

- `search/search_index.full.json`: the language's whole index;
- `search/search_index.json`, the file the theme fetches with every page: the same `config` and
  no `docs`, plus `config.kit`, which tells the kit's search worker
  (docs/assets/javascripts/workers/kit-search.js) where the whole index is and which file is
  Material's own worker, both relative to the kit's worker. The kit's worker loads them at the
  first search, so that a first page stays light.

`full_index()` gives the whole index again, for the offline kit (kit/offline.py), which searches
from files and so gets the whole index at once. It refuses a site without Material's search worker.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from kit import addresses
from kit.data import KitError

WORKERS = "assets/javascripts/workers"  # Material's worker and the kit's, side by side
FULL = "search_index.full.json"


def split(site_dir: Path) -> dict[str, int]:
    """Split the merged index by language; return the number of entries per language."""
    site_dir = Path(site_dir)
    merged = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    worker = material_worker(site_dir)
    counts = {}
    for lang in addresses.LANGS:
        prefix = addresses.prefix(lang)
        docs = [dict(d, location=addresses.unprefixed(d["location"])) for d in merged["docs"]
                if addresses.lang_of(d["location"]) == lang]
        kit = {"worker": worker, "index": posixpath.relpath(f"{prefix}search/{FULL}", WORKERS)}
        config = dict(merged["config"], lang=[lang], kit=kit)
        folder = site_dir / prefix / "search"
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / FULL, {"config": config, "docs": docs})
        _write(folder / "search_index.json", {"config": config, "docs": []})
        counts[lang] = len(docs)
    return counts


def material_worker(site_dir: Path) -> str:
    """The file name of Material's search worker (its name carries a hash of its content)."""
    found = sorted(p.name for p in (site_dir / WORKERS).glob("search.*.min.js"))
    if len(found) != 1:
        raise KitError(f"{site_dir / WORKERS}: expected one Material search worker (search.*.min.js), found "
                       f"{found or 'none'}; reinstall mkdocs-material as pinned in requirements.txt.")
    return found[0]


def full_index(path: Path) -> str:
    """The whole index beside a language's `search/search_index.json` (split() writes both)."""
    return Path(path).with_name(FULL).read_text(encoding="utf-8")


def _write(path: Path, index: dict) -> None:
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
