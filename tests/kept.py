"""What the tests read out of a PDF, kept between test sessions.

Reading a handout with pypdf (its text, the size of every character, its structure tree) costs
tenths of a second a page, and several tests read all 58 handouts: about two minutes of CPU a
session. `@kept` makes such a reading a pure function of the file's bytes: its result is kept in
.cache/tests/, keyed by those bytes, the source of the module that defines the reading (a changed
reading, or anything it calls in its module, is done again) and pypdf's version. A changed handout
is read again; the assertions run on every test run, on what was read. Entries not used for a week
are removed at the start of a session (prune()).

Results must be JSON: a reading returns lists, dicts with string keys, numbers and strings.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / ".cache" / "tests"
WEEK = 7 * 24 * 3600


def kept(reading=None, *, tool=None):
    """Decorate `reading(path) -> JSON-able`: kept in memory and in FOLDER (see the module's text).
    `tool`, for a reading made by another program: a function giving that program's version, asked
    once, made part of the key (@kept(tool=poppler_version))."""
    if reading is None:
        return functools.partial(kept, tool=tool)
    from pypdf import __version__

    source = Path(inspect.getsourcefile(reading)).read_bytes() + __version__.encode()
    stamp = functools.cache(lambda: hashlib.sha256(source + (tool() if tool else "").encode()).hexdigest())

    @per_file_state()
    @functools.wraps(reading)
    def read(path: Path):
        key = hashlib.sha256(stamp().encode() + path.read_bytes()).hexdigest()
        file = FOLDER / f"{reading.__name__}-{key}.json"
        try:
            value = json.loads(file.read_text(encoding="utf-8"))
            os.utime(file)  # used: not pruned
            return value
        except (OSError, ValueError):  # not kept yet, or cut short: read again
            pass
        value = reading(path)
        FOLDER.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}")
        partial.write_text(json.dumps(value), encoding="utf-8")
        os.replace(partial, file)  # whole, for a worker reading it at the same moment
        return json.loads(json.dumps(value))  # the same shape as when read from the file

    return read


def per_file_state(maxsize: int | None = None):
    """Decorate `function(path)`: its result remembered in memory for each state of the file (its
    path, modification time and size), so that a file rewritten at the same path is read again.
    The result is shared by every caller: read it only. `cache_clear()` forgets everything."""
    def decorate(function):
        @functools.lru_cache(maxsize=maxsize)
        def remembered(path: Path, _mtime_ns: int, _size: int):
            return function(path)

        @functools.wraps(function)
        def call(path):
            state = Path(path).stat()
            return remembered(Path(path), state.st_mtime_ns, state.st_size)

        call.cache_clear = remembered.cache_clear
        return call
    return decorate


def prune() -> None:
    """Remove entries not used for a week (and files left by a worker stopped while writing)."""
    if not FOLDER.is_dir():
        return
    old = time.time() - WEEK
    for file in FOLDER.iterdir():
        try:
            if file.stat().st_mtime < old:
                file.unlink()
        except FileNotFoundError:  # another worker pruned it first
            pass
