"""The link checks: the clean site passes; every planted fault is reported with its source file."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading

import pytest

from helpers import ROOT, edit
from kit import links, links_external


def test_the_clean_site_has_no_findings(site):
    assert links.check(site) == []


@pytest.fixture(scope="module")
def broken(site, tmp_path_factory):
    """A copy of the built site with one fault of each kind, and what the check says of it."""
    copy = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(site, copy)
    opening = '<article class="md-content__inner md-typeset">'
    edit(copy / "charlevoix" / "index.html", opening,
          opening + '<a href="../nulle-part/">page</a><a href="../enjeux/#ancre-perdue">anchor</a>'
          '<img src="../assets/absente.png" alt="">')
    edit(copy / "glossaire" / "index.html", opening, opening + '<a href="../fiches/pdf/absent-letter.pdf">pdf</a>'
         '<a href="&#x20;JaVa&#09;ScRiPt:alert(1)">script</a>')
    edit(copy / "en" / "enjeux" / "index.html", opening, opening + '<img src="Data:image/svg+xml,&lt;svg/&gt;" alt="">')
    (copy / "en" / "sources" / "index.html").unlink()
    edit(copy / "en" / "concertation" / "index.html", 'id="gouvernance-collective"', 'id="collective-governance"')
    edit(copy / "fiches" / "standardisation" / "index.html", "standardisation-a4.pdf", "standardisation-a5.pdf")
    return [str(problem) for problem in links.check(copy)]


@pytest.mark.parametrize("source, target", [
    ("docs/charlevoix.md", "../nulle-part/"),                       # missing page
    ("docs/charlevoix.md", "../enjeux/#ancre-perdue"),              # missing anchor
    ("docs/charlevoix.md", "../assets/absente.png"),                # missing image
    ("docs/glossaire.md", "../fiches/pdf/absent-letter.pdf"),       # link to a missing PDF
    ("docs/glossaire.md", "scheme 'javascript:'"),                  # a script link, however it is spelt
    ("docs/enjeux.en.md", "scheme 'data:'"),                        # a data: address
    ("docs/sources.md", "/en/sources/"),                            # page with no translation
    ("docs/concertation.en.md", "collective-governance"),           # mismatched heading id
    ("data/worksheets/standardisation.yml", "standardisation-a5.pdf"),  # raw-HTML link on a worksheet page
    ("data/worksheets/standardisation.yml", "fiches/pdf/standardisation-a4.pdf"),  # handout not linked
])
def test_each_planted_fault_is_reported_with_its_source_file(broken, source, target):
    assert any(line.startswith(source) and target in line for line in broken), "\n".join(broken)


def test_navigation_faults_name_the_template(broken):
    """The English pages' navigation links to the deleted /en/sources/: the template is named."""
    assert any(line.startswith("overrides/main.html") and "/en/" in line and "sources/" in line for line in broken)


def test_check_says_what_to_do_without_a_site(tmp_path):
    result = subprocess.run([sys.executable, "scripts/build.py", "--site", str(tmp_path / "none"), "check"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "run 'make build' first" in result.stderr


# ---- outside addresses, against a local server -------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    asked: list[str] = []  # every request, in order
    released = threading.Event()  # /hang answers only once the test is over

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        Handler.asked.append(self.path)
        if self.path == "/hang":
            Handler.released.wait(60)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        code = 200 if self.path in ("/ok", "/no-head", "/hang") else 404
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Handler.released.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.released.set()
    httpd.shutdown()


def test_outside_links_are_checked_and_cached(server, tmp_path):
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "index.html").write_text('<link rel="canonical" href="https://example.org/">'
                                     f'<a href="{server}/ok">a</a><a href="{server}/missing">b</a>', encoding="utf-8")
    (site / "page" / "index.html").write_text(f'<a href="{server}/moved">c</a><a href="{server}/no-head">d</a>'
                                              f'<a href="{server}/hang">e</a><a href="https://example.org/self/">f</a>', encoding="utf-8")
    cache = tmp_path / "cache.json"
    results = links_external.check(site, timeout=1, cache_path=cache)
    assert set(results) == {f"{server}/{p}" for p in ("ok", "missing", "moved", "no-head", "hang")}
    assert results[f"{server}/ok"]["status"] == 200
    assert results[f"{server}/missing"]["status"] == 404 and results[f"{server}/missing"]["pages"] == [""]
    assert results[f"{server}/moved"]["status"] == 200 and "redirected" in results[f"{server}/moved"]["note"]
    assert results[f"{server}/no-head"]["status"] == 200
    assert results[f"{server}/hang"]["status"] is None and "no answer" in results[f"{server}/hang"]["note"]
    asked = len(Handler.asked)
    again = links_external.check(site, timeout=1, cache_path=cache)  # answered from the cache
    assert Handler.asked[asked:] == [], "the second check asked the server again instead of its cache"
    assert again[f"{server}/missing"]["status"] == 404
