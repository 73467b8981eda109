"""One search index per language, so that a French reader searching finds French pages.

mkdocs-static-i18n merges both languages into `site/search/search_index.json`. `split()` writes
the French entries there and the English ones to `site/en/search/search_index.json`, with their
locations made relative to /en/ (English pages search from there: see the `config` block of
overrides/main.html). The offline kit adds a `search_index.js` beside each (kit/offline.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from kit import addresses


def split(site_dir: Path) -> dict[str, int]:
    """Split the merged index by language; return the number of entries per language."""
    site_dir = Path(site_dir)
    merged_path = site_dir / "search" / "search_index.json"
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    counts = {}
    for lang in addresses.LANGS:
        prefix = addresses.prefix(lang)
        docs = [dict(d, location=addresses.unprefixed(d["location"])) for d in merged["docs"]
                if addresses.lang_of(d["location"]) == lang]
        index = {"config": dict(merged["config"], lang=[lang]), "docs": docs}
        folder = site_dir / prefix / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        counts[lang] = len(docs)
    return counts
