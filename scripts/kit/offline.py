"""The kit without internet: a zip of the built site that works opened from a folder or a USB key.

A browser opening files (file://) shows a folder listing for a link such as `../enjeux/`, and
will not let a page fetch the search index or start the search worker. `package()` therefore
writes, from the built site and without changing it:

- every page with its links to folders pointing at their `index.html`;
- each language's search index also as `search_index.js`, which Material loads from a file,
  its results leading to `index.html` files too;
- the iframe-worker shim (shipped in docs/assets/javascripts/, MIT licence), which Material's
  offline mode otherwise fetches from a CDN, so that search runs from a file too;
- each worksheet's PDF also as a script (`echange-1-letter.pdf.js`), since a page opened from a
  file cannot fetch it to save the answers into it.

The zip holds one folder, so that unzipping it gives one tidy folder with `index.html` inside.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from kit import addresses, cache, data, pause, paths, search, templates

NAME = "trousse-hors-ligne.zip"
CACHE = paths.CACHE / "offline"
FOLDER = "trousse-gestion-gouvernance"
SHIM = "assets/javascripts/iframe-worker-shim.js"
LINK = re.compile(r'(\s(?:href|src)=")([^"#?:]*)((?:[?#][^"]*)?")')
DOWNLOAD = re.compile(r'<p class="kit-offline-download">.*?</p>', re.S)
STORED = {".pdf", ".png", ".jpg", ".gz", ".zip", ".woff2"}


def offline_page(html: str, depth: int, root: str = "/", site_url: str = "") -> str:
    """One page made to work from a file: links to folders end in index.html, links from the
    host's root (such as /trousse/en/) become relative, and the worker shim loads first. Built
    for the local preview (no SITE_URL), its absolute addresses (canonical, language alternates,
    the 404 page's links, link previews) would lead to this computer: they become the kit's files."""
    up = "../" * depth
    if site_url and addresses.is_local_preview(site_url):
        html = re.sub(r'(\s(?:href|src|content)=")' + re.escape(site_url), lambda m: m.group(1) + root, html)

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


def package(site_dir: Path, site_url: str, cache_dir: Path = CACHE) -> Path:
    """Write the offline zip into the site (as /trousse-hors-ligne.zip), from the cache when the
    same site was packed before. The zip is made under a temporary name and checked before use."""
    site_dir = Path(site_dir)
    root = urlsplit(site_url).path or "/"
    target = site_dir / NAME
    files = [p for p in sorted(site_dir.rglob("*"))  # not the .gz files: left out of the zip, and dated
             if p.is_file() and p.name != NAME and ".partial" not in p.name and p.suffix != ".gz"]
    parts = [site_url, Path(__file__).read_bytes()]
    for path in files:  # the same site gives the same zip: keep it rather than make it again
        parts += [path.relative_to(site_dir).as_posix(), path.read_bytes()]
    name = f"offline-{cache.digest(*parts)}"
    cached = cache_dir / f"{name}.zip"
    if cache.entry(cached) is None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        _write_zip(partial, site_dir, files, root, site_url)
        pause.at("zip")  # tests only
        with zipfile.ZipFile(partial) as archive:  # read it back whole before it is kept
            if archive.testzip() is not None:
                raise OSError(f"{partial}: the zip just written does not read back; run the build again.")
        os.replace(partial, cached)
        cache.record(cached)
    cache.use_set(cache_dir, name, [cached])
    shutil.copyfile(cached, target)
    return target


def _write_zip(path: Path, site_dir: Path, files: list[Path], root: str, site_url: str) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for file in files:
            rel = file.relative_to(site_dir).as_posix()
            name = f"{FOLDER}/{rel}"
            if file.suffix == ".html":
                archive.writestr(name, offline_page(file.read_text(encoding="utf-8"), rel.count("/"), root, site_url))
            elif file.name == search.FULL:
                continue  # the whole index goes in search_index.json and .js just below, its results made files
            elif rel.endswith("search/search_index.json"):
                data = offline_index(search.full_index(file))  # the whole index: search from files is not lazy
                archive.writestr(name, data)
                archive.writestr(name[: -len(".json")] + ".js", f"var __index = {data}")
            else:
                compress = zipfile.ZIP_STORED if file.suffix in STORED else zipfile.ZIP_DEFLATED
                archive.write(file, name, compress_type=compress)
                if file.suffix == ".pdf" and "/pack-" not in rel and not file.name.startswith("pack-"):
                    # a page's answers are saved into its PDF, which a page opened from a file cannot fetch:
                    # the PDF also comes as a script (kit-answers.js loads it from there)
                    encoded = base64.b64encode(file.read_bytes()).decode("ascii")
                    archive.writestr(name + ".js", f'(window.__kitPdf = window.__kitPdf || {{}})["{file.name}"] = "{encoded}";\n')


def render_download(kit: data.Kit, lang: str, arg, src: str) -> str:
    """The `<!-- kit:offline -->` marker: a link to the zip from the page."""
    href = addresses.relative(addresses.page_of_source(src), NAME)
    return templates.render("offline-download.html", href=href, t=kit.t(lang))
