"""`make serve`: the site served with live reload picks up edits to the kit's code and data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from helpers import SPAWN, edit, label


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except OSError:
        return ""


WAIT = 600  # seconds: the most a busy machine may take to build; a working server answers far sooner

pytestmark = pytest.mark.slow  # builds as processes (see the `slow` marker in pytest.ini)


def wait_for(url: str, needle: str, server: subprocess.Popen) -> bool:
    """The page shows `needle` (the server rebuilt it), checked until the server ends or WAIT passes."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and server.poll() is None:
        if needle in fetch(url):
            return True
        time.sleep(0.5)
    return False


@pytest.fixture()
def served(project_copy):
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(SPAWN))
    env.pop("SITE_URL", None)
    server = subprocess.Popen([sys.executable, "scripts/build.py", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project_copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(base, "</html>", server), f"make serve did not serve the site (exit code {server.poll()})"
        yield project_copy, base, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=WAIT)


def test_serve_picks_up_changed_code_and_data(served):
    project, base, server = served
    page = base + "fiches/echange-1/"
    button = label("answers_download", "fr", typeset=False)  # a label in the data, as labels.yml writes it
    assert button in fetch(page)
    edit(project / "data" / "labels.yml", f'"{button}"', '"Bouton reformulé pour le test (PDF)"')
    assert wait_for(page, "Bouton reformulé pour le test (PDF)", server), "an edited label did not show"
    # a module of the kit: MkDocs keeps the hook module loaded, the kit must still be re-imported
    edit(project / "scripts" / "kit" / "markup.py", "def fix(html: str) -> str:\n",
         "def fix(html: str) -> str:\n    html = html.replace('</body>', '<!-- reloaded code --></body>')\n")
    assert wait_for(page, "<!-- reloaded code -->", server), "an edited module of scripts/kit/ did not take effect"
    # the handouts are served too
    with urllib.request.urlopen(base + "fiches/pdf/echange-1-letter.pdf", timeout=60) as answer:
        assert answer.read(5) == b"%PDF-"
