"""Filling the published handouts as a PDF viewer would (pypdf), for the tests of `make collect`
and for `make bench`."""

from __future__ import annotations

import json
import shutil
import logging
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its note on fonts: the kit's PDFs ask viewers to draw the fields

ANSWERS = [  # accented text, guillemets, line breaks: what people write
    "Le financement à la mission, « toujours insuffisant ».\nEt la reddition de comptes.",
    "Plus de place aux personnes usagères dans les décisions; des rencontres d’équipe régulières.",
    "Our board meets every month; service users sit on it.",
]


def rename_field(source: Path, target: Path, old: str, new: str) -> Path:
    """A sheet from another version of the kit: one field under a name the data no longer has."""
    writer = PdfWriter(clone_from=str(source))
    for field in writer._root_object["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field.get("/T") == old:
            field[NameObject("/T")] = TextStringObject(new)
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


def plant_bad_files(folder: Path, good: Path, handouts: Path, prefix: str = "") -> None:
    """What else comes back after the day, beside good sheets: a photo named .pdf, a PDF cut short
    (`good` truncated), a PDF without the kit's fields, a handout nobody wrote on, and a sheet of an
    older kit (an answer to a question the kit no longer has). `handouts`: the folder of French PDFs."""
    (folder / f"{prefix}photo.pdf").write_bytes(b"\xff\xd8\xff\xe0 a photo, not a PDF")
    (folder / f"{prefix}coupé.pdf").write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    blank = PdfWriter()
    blank.add_blank_page(612, 792)
    with open(folder / f"{prefix}autre-document.pdf", "wb") as handle:
        blank.write(handle)
    shutil.copy(handouts / "echange-3-letter.pdf", folder / f"{prefix}vide.pdf")  # nobody wrote on it
    rename_field(fill(handouts / "echange-2-letter.pdf", folder / "tmp.pdf", {"echange-2-q1": "Une ancienne question."}),
                 folder / f"{prefix}ancienne-version.pdf", "echange-2-q1", "echange-2-q7")
    (folder / "tmp.pdf").unlink()


def fill(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Write `source` filled with `values` (field name: text, or for a radio group the choice's state "/1")."""
    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, {k: v for k, v in values.items() if not v.startswith("/")},
                                             auto_regenerate=False)
    for field in writer._root_object["/AcroForm"]["/Fields"]:  # radio groups: the group's value, the button's state
        field = field.get_object()
        value = values.get(str(field.get("/T")))
        if value and value.startswith("/") and "/Kids" in field:
            field[NameObject("/V")] = NameObject(value)
            for kid in field["/Kids"]:
                kid = kid.get_object()
                states = [s for s in kid["/AP"]["/N"] if s != "/Off"]
                kid[NameObject("/AS")] = NameObject(value if value in states else "/Off")
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


def answers_for(source: Path, group: str, n: int | str) -> dict[str, str]:
    """A plausible set of answers for every field of a handout; its notes name sheet `n`."""
    values = {}
    for name in PdfReader(source).get_fields():
        if name.endswith("-group"):
            values[name] = group
        elif name.endswith("-choice"):
            values[name] = f"/{hash(str(n)) % 3}"
        elif name.endswith("-notes"):
            values[name] = f"Fiche {n} : à reprendre en équipe."
        else:
            values[name] = ANSWERS[(len(values) + len(name)) % len(ANSWERS)]
    return values


PLACEHOLDER = "QZXJQ"  # a sheet's number in its notes (letters: pypdf writes them as they are), five digits in each copy


def filled_folder(site: Path, folder: Path, count: int) -> list[Path]:
    """`count` filled worksheets (standard print on Letter, both languages, every worksheet in turn) in `folder`, each a
    different file (collect reads a copy once). Each handout is filled once, with PLACEHOLDER for the
    number in its notes; each copy replaces it by its number, same length, so the PDF stays whole:
    2,000 sheets in seconds instead of minutes."""
    folder.mkdir(parents=True, exist_ok=True)
    handouts = [e for e in json.loads((site / "handouts.json").read_text(encoding="utf-8"))
                if e["kind"] == "worksheet" and e["paper"] == "letter" and e["print"] == "standard"]
    templates = []
    for k, entry in enumerate(handouts):
        source = site / entry["path"]
        filled = fill(source, folder / "template.pdf", answers_for(source, f"Ressource {k % 7}", PLACEHOLDER)).read_bytes()
        assert filled.count(PLACEHOLDER.encode()) >= 1, f"{entry['path']}: the notes' number is not written as text"
        templates.append((entry, filled))
    (folder / "template.pdf").unlink()
    out = []
    for n in range(count):
        entry, filled = templates[n % len(templates)]
        target = folder / f"{n:04d}-{entry['id']}-{entry['lang']}.pdf"
        target.write_bytes(filled.replace(PLACEHOLDER.encode(), f"{n:05d}".encode()))
        out.append(target)
    return out
