"""The packs and the publisher of the handouts are data (data/handouts.yml), checked like the rest:
the handouts are laid out from it, and a mistake in it stops the build naming the file and field.
These render a handout's HTML (no site build, no WeasyPrint)."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, edit
from kit import addresses, data, handouts

KIT = data.load()


def sheet_html(kit: data.Kit, audience: str, lang: str = "fr") -> BeautifulSoup:
    sheet = kit.worksheets[0]
    html = handouts._sheet_html(kit, sheet, "https://example.org/", "data:,", audience, lang=lang, paper="letter", large=False)
    return BeautifulSoup(html, "html.parser")


def ruled_lines(page: BeautifulSoup) -> list[int]:
    return [int(re.search(r"--lines:\s*(\d+)", div["style"]).group(1)) for div in page.select("div.ruled")]


def with_packs(**changes) -> data.Kit:
    """The kit's data with one pack's fields changed: {"facilitator": {"answer_lines": 7}}."""
    packs = {name: pack.model_copy(update=changes.get(name, {})) for name, pack in KIT.handouts.packs.items()}
    return dataclasses.replace(KIT, handouts=KIT.handouts.model_copy(update={"packs": packs}))


def test_every_pack_the_kit_publishes_is_described_once():
    assert tuple(KIT.handouts.packs) == addresses.AUDIENCES


@pytest.mark.parametrize("lang", addresses.LANGS)
def test_the_handouts_name_the_publisher_of_the_data(lang):
    author = sheet_html(KIT, "participant", lang).select_one('meta[name="author"]')["content"]
    assert author == KIT.handouts.publisher[lang]
    changed = KIT.handouts.model_copy(update={"publisher": data.Bilingual(fr="Éditeur d’essai", en="Test publisher")})
    page = sheet_html(dataclasses.replace(KIT, handouts=changed), "participant", lang)
    assert page.select_one('meta[name="author"]')["content"] == changed.publisher[lang]


def test_a_packs_ruled_lines_and_notes_come_from_the_data():
    sheet = KIT.worksheets[0]
    for audience, pack in KIT.handouts.packs.items():
        page = sheet_html(KIT, audience)
        assert ruled_lines(page) == [min(q.lines, pack.answer_lines) for q in sheet.questions] + [pack.notes_lines], audience
        assert bool(page.select("aside.facilitator")) == pack.facilitator_notes, audience
    kit = with_packs(facilitator={"answer_lines": 2, "notes_lines": 7, "facilitator_notes": False},
                     participant={"facilitator_notes": True})
    assert ruled_lines(sheet_html(kit, "facilitator")) == [min(q.lines, 2) for q in sheet.questions] + [7]
    assert not sheet_html(kit, "facilitator").select("aside.facilitator")
    assert sheet_html(kit, "participant").select("aside.facilitator")


def test_which_pack_opens_with_the_definitions_is_data(tmp_path):
    parts = lambda kit: {key[3]: [p.html for p in members] for key, members in handouts.plan(kit, "https://example.org/", tmp_path)[1].items()  # noqa: E731
                         if key[:3] == ("fr", "letter", "standard")}
    opening = lambda packs: {audience: 'class="definitions"' in members[0] for audience, members in packs.items()}  # noqa: E731
    assert opening(parts(KIT)) == {name: pack.definitions for name, pack in KIT.handouts.packs.items()}
    swapped = with_packs(participant={"definitions": False}, facilitator={"definitions": True})
    assert opening(parts(swapped)) == {"participant": False, "facilitator": True}


@pytest.mark.parametrize("old, new, said", [
    ("  facilitator:  #", "  animation:  #", ["data/handouts.yml:", "field 'packs'", "names animation, which the kit does not publish", "leaves out facilitator"]),
    ("    notes_lines: 3\n", "", ["data/handouts.yml:", "packs.facilitator.notes_lines", "is missing"]),
    ("    answer_lines: 30\n", "    answer_lines: trente\n", ["data/handouts.yml:", "packs.participant.answer_lines", "whole number"]),
    ("    definitions: true\n", "    definitions: true\n    colour: blue\n", ["data/handouts.yml:", "'packs.participant.colour' is not a field"]),
    ('  en: "Regroupement', '  anglais: "Regroupement', ["data/handouts.yml:", "'publisher.anglais' is not a field"]),
])
def test_a_mistake_in_handouts_yml_names_the_file_and_the_field(tmp_path, old, new, said):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    edit(copy / "handouts.yml", old, new)
    with pytest.raises(data.KitError) as caught:
        data.load(copy)  # what the build reads: it stops on this error, naming the file
    message = str(caught.value).replace(str(copy), "data")
    for words in said:
        assert words in message, message
