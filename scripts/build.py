"""The kit's command line: build, serve, check, handouts.

    python scripts/build.py build      strict build of the site and its handouts into site/
    python scripts/build.py serve      the same, served at http://127.0.0.1:8000/ with live reload
    python scripts/build.py check      check every link, anchor and translation of site/
    python scripts/build.py check-external   check links to other hosts (needs internet)
    python scripts/build.py handouts   (re)make only the PDF handouts and handouts.json in site/
    python scripts/build.py offline    build, then copy the offline kit (zip) into dist/

The MkDocs build is run `--strict` and never quiet: quiet mode hides warnings from the strict
count. Each command exits 1 with a message saying what to do when something is wrong.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
LOCAL_URL = "http://127.0.0.1:8000/"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def site_url() -> str:
    url = os.environ.get("SITE_URL") or LOCAL_URL
    return url if url.endswith("/") else url + "/"


def preflight() -> None:
    """Stop early, with an instruction, when WeasyPrint's system library (Pango) is missing."""
    import ctypes.util

    import handouts  # light: WeasyPrint itself is imported only to render

    if not any(ctypes.util.find_library(name) for name in ("pango-1.0", "pango-1.0-0", "libpango-1.0-0")):
        sys.exit(f"error: Pango is not installed. {handouts.INSTALL_PANGO}")
    if not os.environ.get("SITE_URL"):
        print(f"note: SITE_URL is not set; QR codes, hreflang and canonical links point to the local preview {LOCAL_URL}")


def mkdocs(*args: str) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], cwd=ROOT, env=env)


def cmd_build(args) -> int:
    """Build into a staging folder; replace site/ only when everything succeeded."""
    preflight()
    site = Path(args.site).resolve()
    staging = site.with_name(site.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    code = mkdocs("build", "--strict", "--site-dir", str(staging))
    if code:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: the build failed; {site} was left as it was. Fix the problem named above and run it again.", file=sys.stderr)
        return code
    shutil.rmtree(site, ignore_errors=True)
    staging.rename(site)
    return 0


def cmd_serve(args) -> int:
    preflight()
    return mkdocs("serve", "--dev-addr", "127.0.0.1:8000", "--livereload")


def cmd_handouts(args) -> int:
    import handouts
    import kitdata

    try:
        manifest = handouts.build(args.site, site_url())
    except (handouts.HandoutError, kitdata.KitDataError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{len(manifest)} handouts written to {args.site}, listed in handouts.json")
    return 0


def cmd_offline(args) -> int:
    """The zip of the site that works without internet, for a USB key (built into the site too)."""
    code = cmd_build(args)
    if code:
        return code
    import offline

    dist = ROOT / "dist"
    dist.mkdir(exist_ok=True)
    target = dist / offline.NAME
    shutil.copyfile(Path(args.site) / offline.NAME, target)
    print(f"Offline kit: {target} ({target.stat().st_size // 1024} KiB). Unzip it and open index.html in a browser.")
    return 0


def cmd_check(args) -> int:
    import links

    return links.main(args.site)


def cmd_check_external(args) -> int:
    import links_external

    return links_external.main(args.site)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site folder (default: site/)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func in (("build", cmd_build), ("serve", cmd_serve), ("check", cmd_check),
                       ("check-external", cmd_check_external), ("handouts", cmd_handouts),
                       ("offline", cmd_offline)):
        sub = commands.add_parser(name, help=func.__doc__)
        sub.set_defaults(func=func)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
