"""Check links to other hosts (opt-in: `make check-external`; builds here have no internet).

Every `<a href>` to another host in site/ is asked for with HEAD, then GET when HEAD is refused,
a few at a time, each with a timeout and one retry. Answers are kept for a day in
`.cache/external-links.json`, so a second run is quick. The report is grouped by page; the
exit code is 1 when a link is broken, 0 otherwise. It never runs as part of the offline build.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib import error, request
from urllib.parse import urlsplit

from kit import links, paths

CACHE = paths.CACHE / "external-links.json"
MAX_AGE = 24 * 3600
USER_AGENT = "kit-link-check/1.0 (+make check-external)"


def external_links(site: Path, site_url: str | None) -> dict[str, set[str]]:
    """{url: {page addresses}} for every link to another host."""
    found: dict[str, set[str]] = {}
    for html in sorted(Path(site).rglob("*.html")):
        parsed = links.parse(html)
        for link in parsed.links:
            if link.tag != "a" or urlsplit(link.target).scheme not in ("http", "https"):
                continue
            if site_url and link.target.startswith(site_url):
                continue
            found.setdefault(link.target.split("#")[0], set()).add(links.page_address(site, html))
    return found


def probe(url: str, timeout: float = 10.0, retries: int = 1) -> tuple[int | None, str]:
    """(status, note) for one address: HEAD, then GET if HEAD is refused; one retry on failure."""
    note = ""
    for attempt in range(retries + 1):
        for method in ("HEAD", "GET"):
            req = request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
            try:
                with request.urlopen(req, timeout=timeout) as answer:
                    final = answer.geturl()
                    return answer.status, (f"redirected to {final}" if final != url else "")
            except error.HTTPError as err:
                if method == "HEAD" and err.code in (403, 405, 501):
                    continue  # some servers refuse HEAD: ask with GET
                note = f"HTTP {err.code}"
                if err.code < 500:
                    return err.code, note
                break
            except (error.URLError, TimeoutError, OSError) as err:
                note = f"no answer ({getattr(err, 'reason', err)})"
                break
        if attempt < retries:
            time.sleep(0.5)
    return None, note


def check(site: Path, timeout: float = 10.0, workers: int = 8, cache_path: Path = CACHE) -> dict[str, dict]:
    site_url = links.parse(Path(site) / "index.html").canonical
    targets = external_links(site, site_url)
    cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
    now = time.time()
    fresh = {url: cache[url] for url in targets if url in cache and now - cache[url]["checked"] < MAX_AGE}
    todo = [url for url in targets if url not in fresh]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for url, (status, note) in zip(todo, pool.map(lambda u: probe(u, timeout), todo)):
            fresh[url] = {"status": status, "note": note, "checked": now}
    cache.update(fresh)
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    cache_path.write_text(json.dumps(cache, indent=1), encoding="utf-8")
    return {url: {**fresh[url], "pages": sorted(pages)} for url, pages in targets.items()}


def main(site: Path, timeout: float = 10.0) -> int:
    if not (Path(site) / "index.html").exists():
        print(f"error: {site} holds no built site; run 'make build' first.", file=sys.stderr)
        return 1
    results = check(site, timeout)
    broken = {url: r for url, r in results.items() if not r["status"] or r["status"] >= 400}
    by_page: dict[str, list[str]] = {}
    for url, result in broken.items():
        for page in result["pages"]:
            by_page.setdefault(page, []).append(f"  {url}: {result['note'] or result['status']}")
    for page in sorted(by_page):
        print(f"/{page} ({links.source_of(page, True)}):")
        print("\n".join(sorted(by_page[page])))
    print(f"{len(results)} outside address(es) checked, {len(broken)} broken.")
    return 1 if broken else 0
