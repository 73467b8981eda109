"""The build's caches in .cache/: files written whole, checked before use, pruned when unused.

An entry is a file and, beside it, `<name>.json` holding its size, modification time and SHA-256
(and whatever the caller records, such as a PDF's page count). The file is written to a temporary
name and renamed; its record is written last, the same way. An entry is used only when its record
exists and the file still matches it: a file cut short by Ctrl-C or a full disk, or changed by
hand, is not used but made again. A file whose size and modification time are those recorded is
taken as unchanged; otherwise (copied, touched, edited) its digest decides, so a warm build does
not read every cached PDF through. Two builds side by side (the tests run several) may make the same entry; each
writes it whole, so either copy is good.

Each build records the entries it used in a "set" (`sets/<name>.json`); `prune()` keeps the most
recent sets and deletes every entry none of them names (once it is an hour old, so that a build
running beside another loses nothing), so the cache does not grow forever and two ways of
building (the local preview and the tests' published address) do not evict each other.
`prune_all()` prunes every cache of .cache/ that records sets (the handouts, the offline zip).

Checks that passed, and pages the kit finished, are remembered too (`memo/<kind>/<digest>`: an
empty file for a check, the finished page otherwise). The digest covers the input and the kit's
code (each module's size and modification time): a warm build does not check or finish again a
page that has not changed, and a change to the page or to the kit's code does it again. Entries
unused for a week are deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from kit import paths

KEEP_SETS = 6


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def file_digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file whole: a temporary name beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def record(path: Path, **extra) -> dict:
    """Record a finished entry (its size and digest, and `extra`); written last, whole."""
    stat = path.stat()
    meta = {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": file_digest(path), **extra}
    write_text(_record_path(path), json.dumps(meta))
    return meta


def entry(path: Path) -> dict | None:
    """The record of an entry whose file is whole and unchanged; otherwise None: the caller makes it
    again, written whole over the damaged one (nothing is deleted here: a build running beside this
    one may be writing it; prune() removes what nobody uses)."""
    try:
        meta = json.loads(_record_path(path).read_text(encoding="utf-8"))
        stat = path.stat()
        if stat.st_size == meta["bytes"] and (stat.st_mtime_ns == meta.get("mtime_ns") or file_digest(path) == meta["sha256"]):
            return meta
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def use_set(cache_dir: Path, name: str, entries: list[Path]) -> None:
    """Remember which entries a build used (a set is also a quick way back to them)."""
    write_text(cache_dir / "sets" / f"{name}.json", json.dumps(sorted(p.name for p in entries)))


def read_set(cache_dir: Path, name: str) -> list[str] | None:
    try:
        names = json.loads((cache_dir / "sets" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    os.utime(cache_dir / "sets" / f"{name}.json")  # used again: recent
    return names if isinstance(names, list) else None


def prune(cache_dir: Path, keep: int = KEEP_SETS) -> int:
    """Delete the entries no recent set names (and temporary files left by an interruption)."""
    sets = sorted((cache_dir / "sets").glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in sets[keep:]:
        old.unlink(missing_ok=True)
    wanted = set()
    for kept in sets[:keep]:
        try:
            wanted.update(json.loads(kept.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            kept.unlink(missing_ok=True)
    removed = 0
    hour_ago = time.time() - 3600  # younger files may belong to a build running beside this one
    for path in cache_dir.iterdir() if cache_dir.exists() else []:
        try:
            if not path.is_file() or path.stat().st_mtime > hour_ago:
                continue
        except FileNotFoundError:  # removed meanwhile by a build pruning beside this one
            continue
        if ".partial" in path.name or path.name.removesuffix(".json") not in wanted:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def prune_all(root: Path = paths.CACHE, keep: int = KEEP_SETS) -> int:
    """Prune each cache under `root` that records the sets of its builds (sets/), and the markers of
    checks passed that no build used for a week: after a build, without importing the modules that
    fill them."""
    folders = sorted(p.parent for p in root.glob("*/sets") if p.is_dir())
    return sum(prune(folder, keep) for folder in folders) + _prune_memo(root / MEMO)


# ---- checks passed and pages finished, remembered ---------------------------------------------------

MEMO = "memo"
MEMO_KEPT = 7 * 24 * 3600  # seconds an entry is kept unused


def _kit_code() -> str:
    """The kit's code as it is now: each module's name, size and modification time."""
    return "".join(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};"
                   for path in sorted(Path(__file__).parent.glob("*.py")) for stat in [path.stat()])


def _memo(kind: str, content: str, root: Path) -> Path:
    return root / MEMO / kind / digest(_kit_code(), content)


def passed(check: str, content: str, root: Path = paths.CACHE) -> bool:
    """True when `check` already passed on exactly this content under the kit's current code."""
    try:
        os.utime(_memo(check, content, root))  # used again: kept
        return True
    except OSError:
        return False


def remember_passed(check: str, content: str, root: Path = paths.CACHE) -> None:
    """Record that `check` passed on this content (nothing happens when .cache/ cannot be written)."""
    marker = _memo(check, content, root)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


def made(kind: str, content: str, make, root: Path = paths.CACHE) -> str:
    """make(content), taken from the last build when it made it from the same content under the
    same code; otherwise made and kept (written whole, after its own digest: an entry cut short or
    changed by hand is made again, never used; not kept when .cache/ cannot be written)."""
    path = _memo(kind, content, root)
    try:
        kept, text = path.read_text(encoding="utf-8").split("\n", 1)
        if kept == digest(text):
            os.utime(path)
            return text
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    result = make(content)
    try:
        write_text(path, digest(result) + "\n" + result)
    except OSError:
        pass
    return result


def _prune_memo(folder: Path) -> int:
    removed = 0
    week_ago = time.time() - MEMO_KEPT
    for entry in folder.glob("*/*") if folder.is_dir() else []:
        try:
            if entry.stat().st_mtime < week_ago:
                entry.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by a build beside this one
            continue
    return removed
