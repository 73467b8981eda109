"""Redirect pages for addresses that moved, in both languages, from `data/redirects.yml`.

mkdocs-redirects cannot serve here: in static-i18n's English build it looks for the target
under its French file name, warns that it does not exist, and so fails every strict build.

Refuses: an old address that is still a page, a target that is not one. The error names
data/redirects.yml and the line's addresses.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

import kitdata
from kitdata import KitDataError

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{absolute}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={relative}">
</head>
<body>
<p><a href="{relative}">{title}</a></p>
</body>
</html>
"""
TITLE = {"fr": "Cette page a déménagé", "en": "This page has moved"}


def write(site_dir: Path, site_url: str, data_dir: Path = kitdata.DATA) -> int:
    """Write one redirect page per old address and language; return how many were written."""
    path = data_dir / "redirects.yml"
    moves = (kitdata.load_yaml(path) or {}).get("redirects") or {}
    site_dir, count = Path(site_dir), 0
    for old, new in moves.items():
        old_path, (new_path, _, fragment) = old.strip("/"), new.partition("#")
        for prefix, lang in (("", "fr"), ("en/", "en")):
            source = site_dir / prefix / old_path / "index.html"
            target = site_dir / prefix / new_path.strip("/") / "index.html"
            if not target.exists():
                raise KitDataError(f"data/redirects.yml: '{old}: {new}' leads to /{prefix}{new_path}, which is not a page; fix the new address.")
            if source.exists():
                raise KitDataError(f"data/redirects.yml: '{old}' is still a page (/{prefix}{old_path}); remove the line or the page.")
            relative = posixpath.relpath(f"{prefix}{new_path.strip('/')}", f"{prefix}{old_path}") + "/" + (f"#{fragment}" if fragment else "")
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(PAGE.format(lang=lang, title=TITLE[lang], relative=html.escape(relative),
                                          absolute=html.escape(site_url + prefix + new_path.strip("/") + "/")), encoding="utf-8")
            count += 1
    return count
