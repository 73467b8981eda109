"""A pause point for the tests, and nothing else: with `KIT_TEST_PAUSE=<moment>:<file>` in the
environment, a build that reaches the named moment writes the moment and its process id to <file>,
then waits there until the file is removed (the test lets it go on) or the process is stopped (the
test interrupts it at exactly that moment, never after a guessed delay). A process pauses once.
Without the setting (always, outside the tests) `at()` does nothing.

The moments, in the order a build reaches them:
- `rendering`: a handout is being rendered (in its worker process; its file is half-made);
- `pages-fr`, `pages-en`: MkDocs is writing the French, then the English pages;
- `zip`: the offline zip is being written (under its temporary name);
- `swap`: the new site is complete beside site/, about to replace it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SETTING = "KIT_TEST_PAUSE"


def at(moment: str) -> None:
    """Pause here if the tests asked for this moment (see the module's text)."""
    name, _, file = os.environ.get(SETTING, "").partition(":")
    if name != moment or not file:
        return
    del os.environ[SETTING]  # once: the moment may come again (another page, another handout)
    path = Path(file)
    written = path.with_name(f"{path.name}.{os.getpid()}")
    written.write_text(f"{moment} {os.getpid()}\n", encoding="utf-8")
    os.replace(written, path)  # whole, so that the test never reads half of it
    while path.exists():  # the test removes the file to let the build go on, or stops the process
        time.sleep(0.01)
