"""Builds for the tests, in the test's own process.

`in_process(project, site)` runs `scripts/build.py --site SITE build` of a project (the repository or
a copy of it) the way the command line runs it (preflight, lock, staging folder, swap, cache pruning),
with one difference: MkDocs is called as a library (`load_config` + `build`, as mkdocstrings' and
Material's own tests do) instead of in a process of its own. That saves starting two Python
processes and importing MkDocs, the theme and WeasyPrint again for every build. What the command
prints and what MkDocs logs come back as one text, as a reader of the terminal would see them; an
exception the command line would have shown as a traceback comes back as its "Traceback" text, so
that a test can still say "no traceback". The theme's templates are compiled once per session:
Jinja's own bytecode cache, in memory, keyed by each template's file and checked against its
source, so an edited template is compiled again (MkDocs makes a new Jinja environment per build).

A copy's own scripts/ are imported for its build (its `build`, `hooks` and `kit` modules), and the
test's modules, sys.path, environment, SIGTERM handler and logging are put back afterwards.

Refuses nothing: a subprocess stays where the process is the point (exit codes, signals, the lock
between two builds, `make serve`): see helpers.run_build.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from helpers import SITE_URL

OWN_MODULES = ("build", "hooks", "kit")  # the project's modules: a copy's are its own


@dataclass
class Built:
    """What a build left: its exit code and everything it printed or logged."""
    returncode: int
    output: str


def in_process(project: Path, site: Path, site_url: str = SITE_URL) -> Built:
    """`scripts/build.py --site SITE build` of `project`, in this process (see the module's text)."""
    text = io.StringIO()
    with _modules_of(project), _environment(SITE_URL=site_url, NO_MKDOCS_2_WARNING="1"), _logged_to(text), \
            contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
        build = importlib.import_module("build")
        build.mkdocs = _mkdocs_as_a_library(project)
        code = _command_line(build, ["--site", str(site), "build"])
    return Built(code, text.getvalue())


def _command_line(build, argv: list[str]) -> int:
    """build.main(argv) as `python scripts/build.py` would end it: sys.exit(message) prints the
    message and exits 1; an unexpected exception prints its traceback."""
    previous = signal.getsignal(signal.SIGTERM)  # main() installs the command's own handler
    try:
        return build.main(argv)
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            return 1
        return stop.code or 0
    except Exception:  # noqa: BLE001 (what the reader would see)
        print(traceback.format_exc(), file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory for the session (Jinja checks each against its source)."""

    def __init__(self):
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


@contextlib.contextmanager
def _templates_compiled_once():
    """Every Jinja environment MkDocs makes for the theme shares COMPILED, for the block."""
    from mkdocs.theme import Theme

    original = Theme.get_env

    def get_env(theme: Theme) -> jinja2.Environment:
        env = original(theme)
        env.bytecode_cache = COMPILED
        return env
    Theme.get_env = get_env
    try:
        yield
    finally:
        Theme.get_env = original


def _mkdocs_as_a_library(project: Path):
    """A stand-in for build.mkdocs("build", "--strict", "--site-dir", DIR): the same build, by
    MkDocs' own functions, with the same ending as `mkdocs build` (exit 1 after its message)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    def mkdocs(command: str, *options: str) -> int:
        assert command == "build" and "--strict" in options, f"only the strict build runs in process, not {options}"
        site_dir = options[options.index("--site-dir") + 1]
        try:
            with _templates_compiled_once():
                build(load_config(str(project / "mkdocs.yml"), site_dir=site_dir, strict=True))
        except Abort as stop:  # the message was logged; the command line adds this line and exits 1
            print(f"Aborted: {stop}", file=sys.stderr)
            return 1
        return 0
    return mkdocs


@contextlib.contextmanager
def _modules_of(project: Path):
    """The project's own scripts/ imported afresh, then the test's modules and sys.path put back."""
    def own(name: str) -> bool:
        return name in OWN_MODULES or name.startswith("kit.")

    saved = {name: module for name, module in sys.modules.items() if own(name)}
    saved_path = sys.path[:]
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(project / "scripts"))
    try:
        yield
    finally:
        for name in [n for n in sys.modules if own(n)]:
            del sys.modules[name]
        sys.modules.update(saved)
        sys.path[:] = saved_path


@contextlib.contextmanager
def _environment(**values: str):
    """Environment variables set for the block (preflight also writes SITE_URL), then restored."""
    saved = {name: os.environ.get(name) for name in (*values, "SITE_URL")}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _logged_to(stream: io.StringIO):
    """MkDocs' log (its plugins and the kit's hooks log under 'mkdocs'), as `mkdocs build` shows it."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)

