"""Join tagged fillable PDFs into one (TEMPORARY: plain pypdf append; being replaced)."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfWriter


def join(parts: list[Path], target: Path, *, title: str, lang: str) -> int:
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    writer.add_metadata({"/Title": title})
    partial = Path(f"{target}.{os.getpid()}.partial")
    with open(partial, "wb") as handle:
        writer.write(handle)
    os.replace(partial, target)
    return len(writer.pages)
