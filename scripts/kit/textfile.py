"""Reading a text file of the project (data, pages, templates) as UTF-8, and `KitError`, the error
every content or data mistake raises. Kept apart from `data` (which re-exports both) so that the
command line checks the files before a build without importing the schema and its libraries.

Refuses a missing file and a file that is not UTF-8, naming the file and the line.
"""

from __future__ import annotations

from pathlib import Path

from kit import paths


class KitError(Exception):
    """A content or data mistake; the message names the file (and line) and says what to do.
    The hooks turn it into a build error without a traceback."""


def read_text(path: Path) -> str:
    """A text file as UTF-8 (an initial byte-order mark is allowed); otherwise say where it is not."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise KitError(f"{paths.rel(path)}: file is missing; restore it from git or create it.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise KitError(f"{paths.rel(path)}:{line}: this file is not UTF-8 text (byte {raw[err.start]:#04x}); "
                       "save it as UTF-8 in your editor (\"Save with encoding\", UTF-8).") from None
