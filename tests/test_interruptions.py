"""Interrupted builds and damaged caches: whatever moment a build is stopped (Ctrl-C, a kill),
site/ is the last complete site, its offline zip is whole, and the next build succeeds; a cache
entry cut short or changed is made again, never published.

No test here waits for a guessed delay: a build started with a pause point (kit/pause.py) stops at
the moment it names and says so in a file; the test then interrupts it there, or lets it go on.
Builds whose process is the point (signals, the lock) run as the command line; the others in
process (building.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import building
from helpers import ROOT, SITE_URL, SPAWN, edit
from kit import cache

PAUSE_TIMEOUT = 600  # seconds: generous, for a busy machine; reaching it fails the test, naming the moment

pytestmark = pytest.mark.slow  # builds as processes (see the `slow` marker in pytest.ini)


@pytest.fixture(scope="module")
def project(tmp_path_factory, site) -> Path:
    """A copy of the project with a cache of its own (damaged on purpose below), and the session's
    site, built from the same sources, as its last complete site."""
    copy = tmp_path_factory.mktemp("interrupted") / "project"
    copy.mkdir()
    for name in ("mkdocs.yml", "docs", "data", "overrides", "scripts"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, copy / name)
    shutil.copytree(ROOT / ".cache" / "handouts", copy / ".cache" / "handouts")  # a warm start, as on a contributor's machine
    shutil.copytree(site, copy / "site")
    return copy


def mark(project: Path, number: int) -> None:
    """Make this build's home page (and so its offline zip) tell which build it is."""
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8").split("\n\nMarqueur de construction", 1)[0]
    page.write_text(text + f"\n\nMarqueur de construction {number}.\n", encoding="utf-8")


def marker(html: str) -> int | None:
    """The number mark() left on a home page (None on the unmarked site the tests start from)."""
    found = re.search(r"Marqueur de construction (\d+)\.", html)
    return int(found.group(1)) if found else None


def site_is_whole(project: Path) -> int | None:
    """site/ is a complete site: its pages, handouts and zip agree. Returns the build's marker.
    A handout is whole when it has the size its manifest row says and ends as a PDF ends (a file
    cut short, or another build's, has another size); reading all 58 through with pypdf, at every
    moment, cost this file 40 s: the test that needs a handout's text reads that one."""
    site = project / "site"
    number = marker((site / "index.html").read_text(encoding="utf-8"))
    with zipfile.ZipFile(site / "trousse-hors-ligne.zip") as archive:
        assert archive.testzip() is None, "the offline zip is damaged"
        zipped_home = archive.read("trousse-gestion-gouvernance/index.html").decode("utf-8")
        assert marker(zipped_home) == number, "the zip is not the site's"
    for entry in json.loads((site / "handouts.json").read_text(encoding="utf-8")):
        pdf = site / entry["path"]
        assert pdf.stat().st_size == entry["bytes"], f"{entry['path']}: not the size its manifest row says"
        with pdf.open("rb") as file:
            file.seek(-32, os.SEEK_END)
            assert b"%%EOF" in file.read(), f"{entry['path']}: does not end as a PDF ends"
    return number


def start_build(project: Path, site: Path | None = None, pause: str = "") -> subprocess.Popen:
    """`scripts/build.py build` as the command line runs it, in a session of its own; with `pause`,
    it stops at that moment (kit/pause.py) until released or interrupted."""
    env = dict(os.environ, SITE_URL=SITE_URL, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(SPAWN))
    pause_file = project.parent / f"paused-{uuid.uuid4().hex}"  # this build's own: no other build's pause is read
    if pause:
        env["KIT_TEST_PAUSE"] = f"{pause}:{pause_file}"
    process = subprocess.Popen([sys.executable, "scripts/build.py", "--site", str(site or project / "site"), "build"],
                               cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=ctrl_c_as_in_a_terminal)
    process.pause_file = pause_file
    return process


def ctrl_c_as_in_a_terminal() -> None:
    """In the build's process, before it starts: Ctrl-C (SIGINT) acts as in a terminal, even when
    the tests were started in the background, whose commands inherit SIGINT ignored (POSIX)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def paused(process: subprocess.Popen, project: Path, moment: str) -> int:
    """Wait until the build says it reached `moment`; return the process id that paused there."""
    file, deadline = process.pause_file, time.monotonic() + PAUSE_TIMEOUT
    while not file.exists():
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) without reaching the moment '{moment}':\n"
                        + process.stderr.read()[-3000:])
        if time.monotonic() > deadline:
            pytest.fail(f"the build did not reach the moment '{moment}' within {PAUSE_TIMEOUT} s")
        time.sleep(0.01)
    said, pid = file.read_text(encoding="utf-8").split()
    assert said == moment
    return int(pid)


def release(process: subprocess.Popen) -> None:
    """Let a paused build go on (or clear the pause file of a stopped one)."""
    process.pause_file.unlink(missing_ok=True)


def interrupted_build(project: Path, moment: str, sig: int) -> subprocess.CompletedProcess:
    """Start a build; send `sig` to it (and the processes it started) when it reaches `moment`."""
    process = start_build(project, pause=moment)
    try:
        paused(process, project, moment)
        os.killpg(process.pid, sig)
        out, err = process.communicate(timeout=PAUSE_TIMEOUT)
    finally:  # a test that fails here leaves no paused build behind
        release(process)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


MOMENTS = [  # what changes, when to stop the build (kit/pause.py), how
    ("page", "pages-fr", signal.SIGINT),  # MkDocs is writing the French pages
    ("worksheet", "rendering", signal.SIGINT),  # a handout is being rendered, its file half-made
    ("page", "zip", signal.SIGINT),  # the offline zip is being written
    ("page", "swap", signal.SIGKILL),  # the new site is complete, about to be swapped in
    ("page", "pages-en", signal.SIGTERM),  # MkDocs is writing the English pages
]


def test_an_interrupted_build_leaves_the_last_complete_site(project):
    last = site_is_whole(project)  # the session's site, or the build of a test that ran before on this copy
    for number, (change, moment, sig) in enumerate(MOMENTS, 1):
        mark(project, number)
        if change == "worksheet":
            edit(project / "data" / "worksheets" / "echange-1.yml", "Défis de l’environnement externe",
                 f"Défis de l’environnement externe ({number})")
        result = interrupted_build(project, moment, sig)
        assert result.returncode != 0, f"moment {number} ({moment}): the build was not interrupted"
        assert "Traceback" not in result.stderr or sig == signal.SIGKILL, result.stderr[-2000:]
        shown = site_is_whole(project)  # every moment comes before the swap: the previous complete site
        assert shown == last, f"moment {number} ({moment}): site/ shows build {shown}, not the last complete one ({last})"
    mark(project, 99)
    result = building.in_process(project, project / "site")
    assert result.returncode == 0, result.output[-3000:]
    assert site_is_whole(project) == 99
    assert not (project / "site.partial").exists() and not (project / "site.old").exists()
    title = PdfReader(project / "site" / "fiches" / "pdf" / "echange-1-letter.pdf").pages[0].extract_text()
    assert "Défis de l’environnement externe (2)" in title, "the handout interrupted while rendering is made whole"


def test_damaged_cache_entries_are_made_again(project):
    site = project / "site"
    def newest_set(folder: Path) -> list[Path]:  # the entries the last build used
        latest = max((folder / "sets").glob("*.json"), key=lambda p: p.stat().st_mtime)
        return [folder / name for name in json.loads(latest.read_text(encoding="utf-8"))]

    zips = [p for p in newest_set(project / ".cache" / "offline") if p.suffix == ".zip"]
    used = newest_set(project / ".cache" / "handouts")
    pdfs = [p for p in used if p.name.startswith("part-")][:3] + [p for p in used if p.name.startswith("pack-")][:2]
    assert zips and len(pdfs) == 5
    for damaged in [zips[-1], *pdfs]:
        damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])  # cut short, its record left as it was
    result = building.in_process(project, site)
    assert result.returncode == 0, result.output[-3000:]
    site_is_whole(project)
    for damaged in [zips[-1], *pdfs]:
        assert cache.entry(damaged) is not None, f"{damaged.name} was not made again"


def test_unused_cache_entries_are_pruned(tmp_path):
    folder = tmp_path / "cache"
    for name in ("kept.pdf", "unused.pdf", "young.pdf", "left.pdf.123.partial"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"%PDF-1.7 x")
        if name.endswith(".pdf"):
            cache.record(folder / name)
    cache.use_set(folder, "current", [folder / "kept.pdf"])
    old = time.time() - 2 * 3600
    for path in folder.iterdir():
        if path.is_file() and not path.name.startswith("young"):
            os.utime(path, (old, old))
    assert cache.prune(folder) == 3  # unused.pdf, its record, the partial file
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["kept.pdf", "kept.pdf.json", "young.pdf", "young.pdf.json"]


def test_pruning_passes_over_a_file_another_build_removed(tmp_path, monkeypatch):
    """Two builds prune the shared cache at once: a file listed, then removed by the other build
    before it is looked at, is passed over (it once stopped a build with FileNotFoundError)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "gone.pdf.json").write_text("{}")
    listed = list(folder.iterdir())
    (folder / "gone.pdf.json").unlink()  # the other build's prune got there first
    monkeypatch.setattr(type(folder), "iterdir", lambda self: iter(listed) if self == folder else iter(()))
    monkeypatch.setattr(type(folder), "is_file", lambda self: True)
    assert cache.prune(folder) == 0


# ---- two builds, an unwritable site, workers (issue 17) ---------------------------------------------

def test_two_builds_at_once_take_turns_and_site_stays_whole(project):
    """A build started while another holds the folder says at once that it waits; stopped then
    (SIGTERM), it ends saying so; started again, it takes its turn, and both builds succeed."""
    mark(project, 200)
    first = start_build(project, pause="pages-fr")
    paused(first, project, "pages-fr")  # the first build holds the folder
    stopped = start_build(project)
    assert "waiting for another build in this folder" in stopped.stderr.readline()  # said at once, before building
    stopped.send_signal(signal.SIGTERM)
    out, err = stopped.communicate(timeout=PAUSE_TIMEOUT)
    assert stopped.returncode == 143 and "stopped" in err and "Traceback" not in err, err[-2000:]
    second = start_build(project)
    said = second.stderr.readline()
    release(first)
    outputs = [p.communicate(timeout=PAUSE_TIMEOUT) for p in (first, second)]
    for process, (out, err) in zip((first, second), outputs):
        assert process.returncode == 0 and "Traceback" not in err, err[-2000:]
    assert "waiting for another build in this folder" in said, said
    assert "waiting for another build" not in outputs[0][1]
    assert site_is_whole(project) == 200
    assert not (project / "site.partial").exists() and not (project / "site.old").exists()


def unwritable(path: Path):
    """Make a folder unchangeable, even for root (chattr +i), or by permissions for a user."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
            pytest.skip("needs chattr to make a folder read-only for root")
        return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o555)
    return lambda: path.chmod(0o755)


def test_an_unwritable_site_is_named_and_the_next_build_succeeds(project):
    before = (project / "site" / "index.html").read_text(encoding="utf-8")
    restore = unwritable(project / "site" / "en")
    try:
        mark(project, 300)
        result = building.in_process(project, project / "site")
    finally:
        restore()
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"{project / 'site' / 'en'} cannot be changed (permission denied)" in result.output, result.output[-2000:]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == before
    assert not (project / "site.partial").exists()
    result = building.in_process(project, project / "site")
    assert result.returncode == 0 and "Traceback" not in result.output, result.output[-3000:]
    assert site_is_whole(project) == 300


def test_an_unwritable_folder_for_the_site_is_named(project, tmp_path):
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    restore = unwritable(folder)
    try:
        result = building.in_process(project, folder / "site")
    finally:
        restore()
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"the folder {folder} cannot be written to (permission denied)" in result.output, result.output[-2000:]
    assert list(folder.iterdir()) == []


def session_processes(session: int) -> list[int]:
    """Every process still running in a session (the build and all it started, orphans included)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[3]) == session and stat[0] != "Z":  # fields after the name: state, ppid, pgrp, session
                pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("target", ["build", "mkdocs"])
def test_sigterm_stops_the_rendering_workers_with_the_build(project, target):
    """SIGTERM (as a service manager or CI sends) to the build, or to the MkDocs process it runs,
    while a worker renders a handout: every worker ends with the build, none outlives it (the
    paused worker would wait for ever if nothing stopped it)."""
    edit(project / "data" / "worksheets" / "echange-3.yml", "Votre espace!", f"Votre espace ({target})!")  # parts to render
    process = start_build(project, pause="rendering")
    worker = paused(process, project, "rendering")
    mkdocs = parent_of(worker)
    assert worker != process.pid and mkdocs != process.pid and parent_of(mkdocs) == process.pid, \
        "the handout was not rendered by a worker of MkDocs"
    os.kill(process.pid if target == "build" else mkdocs, signal.SIGTERM)
    process.wait(timeout=PAUSE_TIMEOUT)
    err = process.stderr.read()
    deadline = time.monotonic() + 120  # the paused worker never ends by itself: only if it is stopped
    while session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    release(process)
    assert session_processes(process.pid) == [], "a worker outlived the build"
    assert process.returncode != 0 and "Traceback" not in err, err[-2000:]
    edit(project / "data" / "worksheets" / "echange-3.yml", f"Votre espace ({target})!", "Votre espace!")
    site_is_whole(project)


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
