"""The words: the English terminology holds, and every interface label is in use."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT, content_text, data, page_addresses, page_file

KIT = data.load()


def english_data_texts() -> list[tuple[str, str]]:
    """(where, text) of every English text of the data files (terminology rows aside: they name what to avoid)."""
    out = []

    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "en" and isinstance(item, str):
                    out.append((where, item))
                elif key == "en" and isinstance(item, list):
                    out.extend((where, text) for text in item)
                else:
                    walk(item, f"{where}.{key}")
        elif isinstance(value, (list, tuple)):
            for n, item in enumerate(value):
                walk(item, f"{where}[{n}]")

    for sheet in KIT.worksheets:
        walk(sheet.model_dump(), f"data/worksheets/{sheet.id}.yml")
    walk([e.model_dump() for e in KIT.glossary], "data/glossary.yml")
    walk([d.model_dump() for d in KIT.documents.values()], "data/sources.yml")
    walk([c.model_dump() for c in KIT.corrections], "data/corrections.yml")
    walk([g.model_dump() for g in KIT.references], "data/references.yml")
    walk(KIT.labels.model_dump(), "data/labels.yml")
    return out


@pytest.mark.parametrize("row", KIT.terminology, ids=[row.fr for row in KIT.terminology])
def test_english_uses_the_terminology(site, row):
    """No English page, handout text or label uses a rendering the table rules out."""
    texts = english_data_texts()
    for address in page_addresses(site):
        if address.startswith("en/") and not address.startswith("en/sources/"):  # /sources/ shows the table itself
            texts.append((f"/{address}", content_text(page_file(site, address))))
    for pattern in row.avoid:
        found = [(where, m.group(0)) for where, text in texts for m in [re.search(pattern, text, re.I)] if m]
        assert not found, f"'{row.fr}' is '{row.en}' in English; ruled out by {pattern!r}: {found[:5]}"


def test_a_ruled_out_rendering_is_caught(site):
    """The check above can fail: a ruled-out rendering planted in a text is found."""
    row = next(r for r in KIT.terminology if r.fr.startswith("intervenant"))
    assert any(re.search(p, "They met the community workers.", re.I) for p in row.avoid)


def test_every_label_is_used():
    """A label nothing uses is a leftover (or a misspelt key in a template). Used means read as a
    label: t.KEY or kit_t.KEY in a template, t["KEY"] or a "KEY" handed on as a value in Python,
    or a key built as f"prefix_{x}" / "prefix_" ~ x."""
    code = {suffix: "\n".join(p.read_text(encoding="utf-8") for folder in ("overrides", "scripts")
                              for p in (ROOT / folder).rglob(f"*{suffix}")) for suffix in (".html", ".md", ".py")}
    templates, python = code[".html"] + code[".md"], code[".py"]
    unused = []
    for key in KIT.labels.root:
        in_templates = [rf"\b(?:t|kit_t|kit_labels\.\w+)\.{key}\b", rf"\bt\[\s*[\"']{key}[\"']\s*\]"]
        in_python = [rf"[\"']{key}[\"'](?!\s*:)"]  # t["KEY"], or a label's key kept for later (not a dict's key)
        parts = key.split("_")
        for i in range(1, len(parts)):
            prefix, suffix = "_".join(parts[:i]) + "_", "_".join(parts[i + 1:])
            in_python.append(re.escape(prefix) + r"\{[^}]+\}" + (re.escape("_" + suffix) if suffix else ""))
            if not suffix:
                in_templates.append(re.escape(f'"{prefix}"') + r"\s*~")
        if not re.search("|".join(in_templates), templates) and not re.search("|".join(in_python), python):
            unused.append(key)
    assert not unused, f"labels nothing uses (remove them from data/labels.yml): {unused}"
