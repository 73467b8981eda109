"""The kit's command line.

    python scripts/build.py build      strict build of the site, its handouts and offline kit into site/
    python scripts/build.py serve      the same, served at http://127.0.0.1:8000/ with live reload
    python scripts/build.py check      check every link, anchor, handout and translation of site/
    python scripts/build.py publish    build and check for publishing: SITE_URL must be the public address
    python scripts/build.py check-external   check links to other hosts (needs internet)
    python scripts/build.py offline    build, then copy the offline kit (zip) into dist/
    python scripts/build.py collect IN [OUT]   read filled handouts back into a synthesis

The MkDocs build is run `--strict` and never quiet: quiet mode hides warnings from the strict
count. The new site is built beside the old one and swapped in at once, so an interrupted build
(Ctrl-C, a kill, a full disk) leaves the last complete site/. Each command exits 1 with a message
saying what to do when something is wrong, 2 when it was called wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
LOCAL_URL = "http://127.0.0.1:8000/"
sys.path.insert(0, str(ROOT / "scripts"))  # the kit's package, for this process and the workers it starts


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


def site_url(publishing: bool = False) -> str:
    """SITE_URL, checked: an http(s) address of a folder; for publishing, not the local preview."""
    value = os.environ.get("SITE_URL", "").strip()
    if not value:
        if publishing:
            raise UsageError("SITE_URL is not set; publishing needs the public address, e.g. "
                             "SITE_URL=https://www.example.org/trousse/ make publish")
        return LOCAL_URL
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
            or any(c in value for c in ' "\'<>`\\')):
        raise UsageError(f"SITE_URL={value!r} is not the address of a folder on the web; set it to something "
                         "like https://www.example.org/trousse/ (http or https, a host, no ? or #).")
    if publishing and (parts.hostname in ("localhost", "0.0.0.0") or parts.hostname.startswith("127.") or parts.hostname == "::1"):
        raise UsageError(f"SITE_URL={value!r} is this computer's own address; publishing needs the public address "
                         "readers will use, e.g. https://www.example.org/trousse/")
    return value if value.endswith("/") else value + "/"


TEXT_FILES = ("mkdocs.yml", "docs/**/*.md", "data/**/*.yml", "data/seeds/*.txt", "overrides/**/*.html",
              "overrides/**/*.md", "overrides/**/*.css", "docs/**/*.css", "docs/**/*.js", "docs/**/*.svg")


def preflight(publishing: bool = False) -> str:
    """Stop early, with an instruction, when Pango is missing, a text file is not UTF-8 (MkDocs and
    Jinja would stop with a traceback naming nothing) or SITE_URL is wrong; return SITE_URL."""
    from kit import data, weasy

    if weasy.pango_missing():
        sys.exit(f"error: Pango is not installed. {weasy.INSTALL_PANGO}")
    try:
        for pattern in TEXT_FILES:
            for path in sorted(ROOT.glob(pattern)):
                data.read_text(path)
    except data.KitError as err:
        sys.exit(f"error: {err}")
    url = site_url(publishing)
    os.environ["SITE_URL"] = url  # what mkdocs.yml reads, normalised
    if url == LOCAL_URL and not publishing:
        print(f"note: SITE_URL is not set; QR codes, hreflang and canonical links point to the local preview {LOCAL_URL}")
    return url


def mkdocs(*args: str) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], cwd=ROOT, env=env)


# ---- publishing the new site whole ---------------------------------------------------------------

@contextlib.contextmanager
def signals_held():
    """Ctrl-C and kill (SIGTERM) wait until the block is done: the swap is never cut in half."""
    held = {signal.SIGINT, signal.SIGTERM}
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
    else:
        yield


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step where the system can (Linux renameat2, macOS renamex_np)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if hasattr(libc, "renameat2"):
        return libc.renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0  # AT_FDCWD, RENAME_EXCHANGE
    if hasattr(libc, "renamex_np"):
        return libc.renamex_np(os.fsencode(a), os.fsencode(b), 2) == 0  # RENAME_SWAP
    return False


def recover(site: Path) -> None:
    """Undo what an interrupted build left: a half-made staging folder, or a swap cut in the middle."""
    old, staging = site.with_name(site.name + ".old"), site.with_name(site.name + ".partial")
    if old.exists() and not site.exists():
        os.rename(old, site)  # the previous site was moved aside and the new one not yet in place
    for leftover in (old, staging):
        shutil.rmtree(leftover, ignore_errors=True)


def publish(staging: Path, site: Path) -> None:
    """Put the new site in place of the old one; at every moment one of them is complete at site/."""
    with signals_held():
        if not site.exists():
            os.rename(staging, site)
            return
        if not _exchange(staging, site):  # two renames; recover() finishes the job if cut between them
            old = site.with_name(site.name + ".old")
            os.rename(site, old)
            os.rename(staging, site)
            staging = old
    shutil.rmtree(staging, ignore_errors=True)  # the previous site, no longer used


# ---- commands ------------------------------------------------------------------------------------

def cmd_build(args, publishing: bool = False) -> int:
    """Build into a staging folder; swap it in for site/ only when everything succeeded."""
    preflight(publishing)
    site = Path(args.site).resolve()
    recover(site)
    staging = site.with_name(site.name + ".partial")
    try:
        code = mkdocs("build", "--strict", "--site-dir", str(staging))
        if code:
            print(f"error: the build failed; {site} was left as it was. Fix the problem named above and run it again.",
                  file=sys.stderr)
            return code
        publish(staging, site)
    except KeyboardInterrupt:
        print(f"\ninterrupted; {site} was left as it was.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from kit import cache, handouts, offline

    for folder in (handouts.CACHE, offline.CACHE):
        cache.prune(folder)
    return 0


def cmd_publish(args) -> int:
    """Build and check with the public SITE_URL (refuses a missing or local one)."""
    return cmd_build(args, publishing=True) or cmd_check(args)


def cmd_serve(args) -> int:
    preflight()
    return mkdocs("serve", "--dev-addr", args.dev_addr, "--livereload")


def cmd_offline(args) -> int:
    """The zip of the site that works without internet, for a USB key (built into the site too)."""
    code = cmd_build(args)
    if code:
        return code
    from kit import offline

    dist = ROOT / "dist"
    dist.mkdir(exist_ok=True)
    target = dist / offline.NAME
    shutil.copyfile(Path(args.site) / offline.NAME, target)
    print(f"Offline kit: {target} ({target.stat().st_size // 1024} KiB). Unzip it and open index.html in a browser.")
    return 0


def cmd_check(args) -> int:
    from kit import links

    return links.main(args.site)


def cmd_check_external(args) -> int:
    from kit import links_external

    return links_external.main(args.site)


def cmd_collect(args) -> int:
    from kit import collect

    return collect.main(args.input, args.output, args.lang)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site folder (default: site/)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func in (("build", cmd_build), ("publish", cmd_publish), ("check", cmd_check),
                       ("check-external", cmd_check_external), ("offline", cmd_offline)):
        commands.add_parser(name, help=func.__doc__).set_defaults(func=func)
    serve = commands.add_parser("serve", help="build and serve with live reload")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address and port (default 127.0.0.1:8000)")
    serve.set_defaults(func=cmd_serve)
    collect = commands.add_parser("collect", help="read filled handouts back into a synthesis")
    collect.add_argument("input", nargs="?", default="", help="folder of filled PDFs (make collect IN=folder)")
    collect.add_argument("output", nargs="?", default="", help="where to write (default dist/synthese/)")
    collect.add_argument("--lang", default="fr", help="language of the synthesis: fr (default) or en")
    collect.set_defaults(func=cmd_collect)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
