"""Filling the published handouts as a PDF viewer would (pypdf), for the tests of `make collect`
and for `make bench`."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its note on fonts: the kit's PDFs ask viewers to draw the fields

ANSWERS = [  # accented text, guillemets, line breaks: what people write
    "Le financement à la mission, « toujours insuffisant ».\nEt la reddition de comptes.",
    "Plus de place aux personnes usagères dans les décisions; des rencontres d’équipe régulières.",
    "Our board meets every month; service users sit on it.",
]


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
