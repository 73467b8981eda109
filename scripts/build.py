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
(Ctrl-C, a kill, a full disk) leaves the last complete site/. A second build in the same folder
waits for the first; SIGTERM stops MkDocs and its rendering workers with the build; a site/ (or
its folder) that cannot be written is named before anything is built. Each command exits 1 with
a message saying what to do when something is wrong, 2 when it was called wrongly.
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
sys.path.insert(0, str(ROOT / "scripts"))  # the kit's package, for this process and the workers it starts


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


def site_url(publishing: bool = False) -> str:
    """SITE_URL, checked: an http(s) address of a folder; for publishing, not the local preview."""
    from kit import addresses  # the one place that knows what the local preview's address is

    value = os.environ.get("SITE_URL", "").strip()
    if not value:
        if publishing:
            raise UsageError("SITE_URL is not set; publishing needs the public address, e.g. "
                             "SITE_URL=https://www.example.org/trousse/ make publish")
        return addresses.LOCAL_PREVIEW
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
            or any(c in value for c in ' "\'<>`\\')):
        raise UsageError(f"SITE_URL={value!r} is not the address of a folder on the web; set it to something "
                         "like https://www.example.org/trousse/ (http or https, a host, no ? or #).")
    if publishing and addresses.is_local_preview(value):
        raise UsageError(f"SITE_URL={value!r} is this computer's own address; publishing needs the public address "
                         "readers will use, e.g. https://www.example.org/trousse/")
    return value if value.endswith("/") else value + "/"


TEXT_FILES = ("mkdocs.yml", "docs/**/*.md", "data/**/*.yml", "data/seeds/*.txt", "overrides/**/*.html",
              "overrides/**/*.md", "overrides/**/*.css", "docs/**/*.css", "docs/**/*.js", "docs/**/*.svg")


def preflight(publishing: bool = False) -> str:
    """Stop early, with an instruction, when Pango is missing, a text file is not UTF-8 (MkDocs and
    Jinja would stop with a traceback naming nothing) or SITE_URL is wrong; return SITE_URL."""
    from kit import addresses, paths, textfile, weasy  # not kit.data: its schema takes longer to import than the check

    if weasy.pango_missing():
        sys.exit(f"error: Pango is not installed. {weasy.INSTALL_PANGO}")
    outside = paths.links_out_of_the_project(paths.DOCS, paths.DATA, paths.OVERRIDES)
    if outside:
        sys.exit("error: " + "\nerror: ".join(outside))
    try:
        for pattern in TEXT_FILES:
            for path in sorted(ROOT.glob(pattern)):
                textfile.read_text(path)
    except textfile.KitError as err:
        sys.exit(f"error: {err}")
    url = site_url(publishing)
    os.environ["SITE_URL"] = url  # what mkdocs.yml reads, normalised
    if url == addresses.LOCAL_PREVIEW and not publishing:
        print(f"note: SITE_URL is not set; QR codes, hreflang and canonical links point to the local preview {url}")
    return url


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, CI), handled like Ctrl-C: the build stops, with MkDocs and its
    rendering workers, and site/ is left whole."""


def _terminated(signum, frame):
    raise Terminated()


def mkdocs(*args: str) -> int:
    """MkDocs in a process of its own; stopped with this one (it then ends its rendering workers)."""
    # The kit uses no pydantic plugin: their search reads every installed package's metadata.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYDANTIC_DISABLE_PLUGINS=os.environ.get("PYDANTIC_DISABLE_PLUGINS", "__all__"))
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", *args], cwd=ROOT, env=env)
    try:
        return process.wait()
    finally:
        if process.poll() is None:  # interrupted here: MkDocs must not go on building alone
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


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


class BuildError(Exception):
    """The build cannot write where it must (exit 1); the message says what is wrong and what to do."""


def check_writable(site: Path) -> None:
    """Say in words, before building, when the site's folder, site/ or a leftover of an earlier build
    cannot be written: the new site is built beside site/ and swapped in, the old one removed."""
    parent = site.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(f"cannot create the folder {parent} ({err.strerror}); build elsewhere (--site).") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BuildError(f"the folder {parent} cannot be written to (permission denied): the new site is built there "
                         f"beside {site.name}/. Make it writable, or build elsewhere (--site).")
    for top in (site, site.with_name(site.name + ".partial"), site.with_name(site.name + ".old")):
        for folder, _dirs, _files in os.walk(top):
            if not os.access(folder, os.W_OK | os.X_OK):
                raise BuildError(f"{folder} cannot be changed (permission denied), so the new site could not replace "
                                 f"it. Make it writable (chmod -R u+w {top}) or build elsewhere (--site), then run the "
                                 "build again.")


def remove(folder: Path, what: str) -> None:
    """Remove a folder, or say in words what is left and why."""
    failed = []
    shutil.rmtree(folder, onerror=lambda _func, path, exc: failed.append((path, exc[1])))
    if folder.exists():
        path, err = failed[0] if failed else (folder, None)
        raise BuildError(f"{what} could not be removed from {folder} ({path}: {getattr(err, 'strerror', None) or err}). "
                         f"Remove it by hand (chmod -R u+w {folder} && rm -rf {folder}), then run the build again.")


def recover(site: Path) -> None:
    """Undo what an interrupted build left: a half-made staging folder, or a swap cut in the middle."""
    old, staging = site.with_name(site.name + ".old"), site.with_name(site.name + ".partial")
    if old.exists() and not site.exists():
        os.rename(old, site)  # the previous site was moved aside and the new one not yet in place
    for leftover in (old, staging):
        if leftover.exists():
            remove(leftover, "what an earlier build left")


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
    remove(staging, f"The new site is in place at {site}, but the previous one")


@contextlib.contextmanager
def build_lock(site: Path):
    """One build at a time in a folder: a second one says so and waits for the first (a lock file
    beside site/, released by the system however the first build ends)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    with open(site.with_name(f".{site.name}.lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("waiting for another build in this folder…", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# ---- commands ------------------------------------------------------------------------------------

def cmd_build(args, publishing: bool = False) -> int:
    """Build into a staging folder; swap it in for site/ only when everything succeeded."""
    preflight(publishing)
    site = Path(args.site).resolve()
    try:
        check_writable(site)
        with build_lock(site):
            recover(site)
            code = _build(site, site.with_name(site.name + ".partial"))
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        print(f"\n{'stopped' if isinstance(stop, Terminated) else 'interrupted'}; {site} was left whole.", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    if code:
        return code
    from kit import cache

    cache.prune_all()  # the handouts' and the offline zip's caches
    return 0


def _build(site: Path, staging: Path) -> int:
    try:
        code = mkdocs("build", "--strict", "--site-dir", str(staging))
        if code:
            print(f"error: the build failed; {site} was left as it was. Fix the problem named above and run it again.",
                  file=sys.stderr)
            return code
        from kit import pause

        pause.at("swap")  # tests only
        publish(staging, site)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
    from kit import addresses

    local = urlsplit(addresses.LOCAL_PREVIEW).netloc
    serve.add_argument("--dev-addr", default=local, help=f"address and port (default {local})")
    serve.set_defaults(func=cmd_serve)
    collect = commands.add_parser("collect", help="read filled handouts back into a synthesis")
    collect.add_argument("input", nargs="?", default="", help="folder of filled PDFs (make collect IN=folder)")
    collect.add_argument("output", nargs="?", default="", help="where to write (default dist/synthese/)")
    collect.add_argument("--lang", default="", help="language of the synthesis: fr (the default) or en")
    collect.set_defaults(func=cmd_collect)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.func(args)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:
        print("\nstopped." if isinstance(stop, Terminated) else "\ninterrupted.", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130


if __name__ == "__main__":
    sys.exit(main())
