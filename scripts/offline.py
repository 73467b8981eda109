"""The kit without internet: a zip of the built site that works opened from a folder or a USB key.

A browser opening files (file://) shows a folder listing for a link such as `../enjeux/`, and
will not let a page fetch the search index or start the search worker. `package()` therefore
writes, from the built site and without changing it:

- every page with its links to folders pointing at their `index.html`;
- each language's search index also as `search_index.js`, which Material loads from a file,
  its results leading to `index.html` files too;
- the iframe-worker shim (shipped in docs/assets/javascripts/, MIT licence), which Material's
  offline mode otherwise fetches from a CDN, so that search runs from a file too.

The zip holds one folder, so that unzipping it gives one tidy folder with `index.html` inside.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

NAME = "trousse-hors-ligne.zip"
CACHE = Path(__file__).resolve().parent.parent / ".cache"
FOLDER = "trousse-gestion-gouvernance"
SHIM = "assets/javascripts/iframe-worker-shim.js"
LINK = re.compile(r'(\s(?:href|src)=")([^"#?:]*)((?:[?#][^"]*)?")')
DOWNLOAD = re.compile(r'<p class="kit-offline-download">.*?</p>', re.S)
STORED = {".pdf", ".png", ".jpg", ".gz", ".zip", ".woff2"}


def offline_page(html: str, depth: int, root: str = "/") -> str:
    """One page made to work from a file: links to folders end in index.html, links from the
    host's root (such as /trousse/en/) become relative, and the worker shim loads first."""
    up = "../" * depth

    def to_file(match: re.Match) -> str:
        before, path, after = match.groups()
        if path.startswith("/"):
            if not path.startswith(root):
                return match.group(0)
            path = (up + path[len(root):]) or "./"
        last = path.rsplit("/", 1)[-1]
        if path and last in ("", ".", ".."):
            path = path.rstrip("/") + "/index.html" if path.rstrip("/") else "index.html"
        elif path and "." not in last:
            path += "/index.html"
        return before + path + after

    html = LINK.sub(to_file, html)
    html = DOWNLOAD.sub("", html)  # the copy in hand needs no link to download itself
    return html.replace("<head>", f'<head>\n<script src="{up}{SHIM}"></script>', 1)


def offline_index(text: str) -> str:
    """A search index whose results open pages, not folders: "enjeux/#x" -> "enjeux/index.html#x"."""
    index = json.loads(text)
    for doc in index["docs"]:
        path, hash_, fragment = doc["location"].partition("#")
        if path == "" or path.endswith("/"):
            doc["location"] = path + "index.html" + hash_ + fragment
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def package(site_dir: Path, site_url: str, target: Path | None = None) -> Path:
    """Write the offline zip (by default into the site itself, as /trousse-hors-ligne.zip)."""
    site_dir = Path(site_dir)
    root = urlsplit(site_url).path or "/"
    target = Path(target) if target else site_dir / NAME
    files = [p for p in sorted(site_dir.rglob("*"))  # not the .gz files: left out of the zip, and dated
             if p.is_file() and p.name not in (NAME, NAME + ".partial") and p.suffix != ".gz"]
    digest = hashlib.sha256(root.encode() + Path(__file__).read_bytes())
    for path in files:  # the same site gives the same zip: keep it rather than make it again
        digest.update(path.relative_to(site_dir).as_posix().encode() + path.read_bytes())
    cached = CACHE / f"offline-{digest.hexdigest()[:32]}.zip"
    if cached.exists():
        shutil.copyfile(cached, target)
        return target
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in files:
            rel = path.relative_to(site_dir).as_posix()
            name = f"{FOLDER}/{rel}"
            if path.suffix == ".html":
                depth = rel.count("/")
                archive.writestr(name, offline_page(path.read_text(encoding="utf-8"), depth, root))
            elif rel.endswith("search/search_index.json"):
                data = offline_index(path.read_text(encoding="utf-8"))
                archive.writestr(name, data)
                archive.writestr(name[: -len(".json")] + ".js", f"var __index = {data}")
            else:
                compress = zipfile.ZIP_STORED if path.suffix in STORED else zipfile.ZIP_DEFLATED
                archive.write(path, name, compress_type=compress)
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob("offline-*.zip"):
        old.unlink()  # one offline zip is kept: the last one made
    shutil.copyfile(partial, cached)
    partial.replace(target)
    return target


def render_download(lang: str, arg, src: str) -> str:
    """The `<!-- kit:offline -->` marker: a link to the zip from the page (raw HTML, checked by
    the link check since MkDocs does not know the zip, made after the pages)."""
    page = src.removeprefix("docs/").removesuffix(".en.md").removesuffix(".md")
    depth = (page.count("/") + 1 if page != "index" else 0) + (1 if lang == "en" else 0)
    text = {"fr": "Télécharger la trousse hors ligne (fichier zip)", "en": "Download the offline kit (zip file)"}[lang]
    return f'<p class="kit-offline-download"><a href="{"../" * depth}{NAME}" download>{text}</a></p>'
