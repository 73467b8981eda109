"""The words: the English terminology holds, and every interface label is in use."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT, content_text, data, meta_of, normalize, page_addresses, page_file, pages_text, soup
from kit import addresses

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


@pytest.fixture(scope="module")
def english_texts(site) -> list[tuple[str, str]]:
    """(where, text) of every English text: the data's, and each English page's content, read once."""
    texts = english_data_texts()
    for address in page_addresses(site):
        if address.startswith("en/") and not address.startswith("en/sources/"):  # /sources/ shows the table itself
            texts.append((f"/{address}", content_text(page_file(site, address))))
    return texts


@pytest.mark.parametrize("row", KIT.terminology, ids=[row.fr for row in KIT.terminology])
def test_english_uses_the_terminology(english_texts, row):
    """No English page, handout text or label uses a rendering the table rules out."""
    for pattern in row.avoid:
        found = [(where, m.group(0)) for where, text in english_texts for m in [re.search(pattern, text, re.I)] if m]
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


# ---- the third reading of the texts (issue 18) ----------------------------------------------------

NGP = "nouvelle-gestion-publique"


@pytest.mark.parametrize("prefix, span", [("", "de 1996 à 2019"), ("en/", "from 1996 to 2019")])
def test_the_sources_page_dates_the_cited_texts_to_2019(site, prefix, span):
    """Seed 004 cites Communagir (2018) and Édith Luc (2019): the cited texts run to 2019."""
    text = normalize(content_text(page_file(site, prefix + "sources/")))
    assert span in text and "2017;" not in text


def test_the_sources_say_what_we_know_of_an_english_version(site):
    assert "we know of no official english version" in normalize(content_text(page_file(site, "en/sources/")))
    assert "nous n'en connaissons pas de version anglaise officielle" in normalize(content_text(page_file(site, "sources/")))


def _ngp_texts(site, manifest):
    """(where, language, text) of the NGP worksheet's context on its pages, projections, PDFs and packs."""
    out = []
    for prefix, lang in (("", "fr"), ("en/", "en")):
        for view in ("", "projection/"):
            address = f"{prefix}fiches/{NGP}/{view}"
            out.append((address, lang, normalize(soup(page_file(site, address)).select_one(".kit-context").get_text(" "))))
    for entry in manifest:
        if entry["id"] == NGP or (entry["kind"] == "pack" and entry["paper"] == "letter"):
            out.append((entry["path"], entry["lang"], normalize(" ".join(pages_text(site / entry["path"])))))
    return out


def test_the_ngp_context_sets_reforms_and_relations_side_by_side(site, manifest):
    """Seed 002 says the reforms changed the planning of services and, « en même temps », the
    framework of relations « s'est transformé »: the worksheet must not say the reforms did it."""
    texts = _ngp_texts(site, manifest)
    pdfs = [e for e in manifest if e["id"] == NGP or (e["kind"] == "pack" and e["paper"] == "letter")]
    assert len(texts) == 4 + len(pdfs) and len(pdfs) >= 8  # two pages, two projections; every edition's PDFs and packs
    for where, lang, text in texts:
        if lang == "fr":
            assert "au fil des réformes du système de santé et des services sociaux, le cadre des relations" in text, where
            assert "institutions publiques s'est transformé" in text and "ont transformé le cadre" not in text, where
        else:
            assert "as the health and social services system went through its reforms, the framework of relations" in text, where
            assert "have changed the framework" not in text, where


def test_the_home_page_preview_carries_the_kits_name(site):
    for prefix, lang in (("", "fr"), ("en/", "en")):
        path = page_file(site, prefix)
        title, og = soup(path).title.get_text(strip=True), meta_of(path)["og:title"]
        name = KIT.t(lang)["home_title"]
        assert og == name and normalize(title) == normalize(name), (title, og)
        assert og not in ("Accueil", "Home")
    assert "Gestion et gouvernance" in KIT.t("fr")["home_title"] and "Management and governance" in KIT.t("en")["home_title"]


def test_worksheet_descriptions_are_their_own(site):
    """The link preview and the /liens/ line of a worksheet say what it is about, not its first
    question (for the checklist, its first item)."""
    for prefix, lang in (("", "fr"), ("en/", "en")):
        links = normalize(soup(page_file(site, prefix + "liens/")).select_one("article").get_text(" "))
        for sheet in KIT.worksheets:
            meta = meta_of(page_file(site, f"{prefix}fiches/{sheet.id}/"))["description"]
            first = normalize(sheet.questions[0][lang])
            assert normalize(meta).endswith(normalize(sheet.description[lang])) and first not in normalize(meta), meta
            assert normalize(sheet.description[lang]) in links
            projection = meta_of(page_file(site, f"{prefix}fiches/{sheet.id}/projection/"))
            assert projection["description"].startswith("Projection — ") and projection["og:title"].startswith("Projection — ")
    checklist = meta_of(page_file(site, "fiches/espaces-de-concertation/"))["description"]
    assert "Partager l’information" not in checklist and "huit points" in checklist


@pytest.mark.parametrize("lang", addresses.LANGS)
def test_the_checklist_projection_counts_items(site, lang):
    prefix, word = addresses.prefix(lang), KIT.t(lang)["item_n"]
    slides = soup(page_file(site, f"{prefix}fiches/espaces-de-concertation/projection/")).select(".kit-slide-number")
    assert [s.get_text(strip=True) for s in slides] == [f"{word} {n} / 8" for n in range(1, 9)]
    other = soup(page_file(site, f"{prefix}fiches/{NGP}/projection/")).select_one(".kit-slide-number")
    assert other.get_text(strip=True) == f"{KIT.t(lang)['question_n']} 1 / 1"


def test_the_checklist_item_5_names_what_progresses(site):
    fr = soup(page_file(site, "fiches/espaces-de-concertation/")).select(".kit-prompt")[4].get_text(" ", strip=True)
    en = soup(page_file(site, "en/fiches/espaces-de-concertation/")).select(".kit-prompt")[4].get_text(" ", strip=True)
    assert fr == "Évaluer et suivre la progression des activités" and en == "Assessing and monitoring the progress of the activities"


def test_who_takes_part_names_employees_as_seed_000_does(site):
    for sheet_id in ("soutien-communautaire", NGP, "standardisation"):
        fr = normalize(soup(page_file(site, f"fiches/{sheet_id}/")).select_one(".kit-sheet-facts").get_text(" "))
        en = normalize(soup(page_file(site, f"en/fiches/{sheet_id}/")).select_one(".kit-sheet-facts").get_text(" "))
        assert "personnes usagères, personnes employées (dont les intervenantes et intervenants), membres des conseils d'administration" in fr
        assert "service users, employees (including front-line workers), board members" in en


def test_the_charlevoix_answer_is_folded_to_open_after_the_discussion(site):
    for prefix, after in (("", "après l'échange"), ("en/", "after the discussion")):
        page = soup(page_file(site, f"{prefix}fiches/gouvernance-partagee/"))
        notes, answer = page.select_one("details.kit-facilitator"), page.select_one("details.kit-source-answer")
        assert answer is not None and after in normalize(answer.summary.get_text())
        assert "la table" in normalize(answer.get_text()) or "the table" in normalize(answer.get_text())
        assert not re.search("profite du soutien|has the support of a liaison team", notes.get_text())  # not in the notes
        assert ("très probablement" if not prefix else "most likely") in answer.get_text()
    guide = normalize(content_text(page_file(site, "animation/")))
    assert "toute personne qui ouvre la page peut les lire" in guide and "elle leur est réservée" not in guide


def test_the_plain_rewording_follows_the_rhetorical_question(site):
    for prefix, words in (("", "autrement dit: pourquoi ne reconnaître que le siv?"), ("en/", "in other words: why recognize only siv?")):
        for view in ("", "projection/"):
            plain = soup(page_file(site, f"{prefix}fiches/soutien-communautaire/{view}")).select_one(".kit-plain")
            assert plain is not None and normalize(plain.get_text(" ")).startswith(words)


def test_the_ngp_note_does_not_send_the_group_to_read_larivière_aloud():
    sheet = KIT.worksheet(NGP)
    assert "peuvent être lues à voix haute" not in sheet.facilitator.fr and "plutôt que de les lire à voix haute" in sheet.facilitator.fr
    assert "can be read aloud" not in sheet.facilitator.en and "rather than reading them aloud" in sheet.facilitator.en


def test_the_terminology_notes_speak_the_pages_language_and_not_of_tools(site):
    rows = {}
    for prefix in ("", "en/"):
        table = soup(page_file(site, prefix + "sources/")).select_one("table.kit-terminology")
        rows[prefix] = [tr.select("td")[2] for tr in table.select("tbody tr")]
    assert len(rows[""]) == len(KIT.terminology)
    for fr, en in zip(rows[""], rows["en/"]):
        assert fr.get("lang") in (None, "fr") and fr.get_text() != en.get_text()
        for text in (fr.get_text(), en.get_text()):
            assert not re.search(r"pattern|tooltip|regular expression|glossary entry `|case-insensitiv", text, re.I), text
    assert "Note (en anglais)" not in content_text(page_file(site, "sources/"))


def test_the_empty_link_is_shown_as_such(site):
    fr = normalize(soup(page_file(site, "sources/")).select_one("table.kit-corrections").get_text(" "))
    en = normalize(soup(page_file(site, "en/sources/")).select_one("table.kit-corrections").get_text(" "))
    assert "«page d'accueil du rqds» (lien vide)" in fr.replace("« ", "«").replace(" »", "»") and "(#)" not in fr
    assert "(empty link)" in en and "(#)" not in en


@pytest.mark.parametrize("address, present, absent", [
    ("animation/", ["laisser ses titres au vestiaire", "gardienne ou gardien du temps", "pointez un sigle avec la souris ou touchez-le du doigt",
                    "en guise de préparation à la rencontre", "5 h 35", "où placer les pauses"], ["garde du temps :"]),
    ("en/animation/", ["check your titles at the door", "timekeeper", "no reliable internet connection (wi-fi)",
                       "5 hours 35 minutes", "where the breaks go"], ["no reliable network"]),
    ("glossaire/", ["pointez un sigle avec la souris ou touchez-le du doigt"], ["passe la souris ou le doigt"]),
    ("", ["pointez un sigle avec la souris ou touchez-le du doigt"], ["passez la souris ou le doigt"]),
    ("en/enjeux/", ["québec's ministry of health and social services (msss)", "supervised by the cssss",
                    "adults with a serious mental disorder\" (our translation)"], ["an rrasmq publication"]),
    ("en/concertation/", ["pointers to help your municipality or mrc take part usefully", "learning 3 (\"apprentissage 3\")"], ["lesson 3"]),
    ("en/glossaire/", ["adults with a serious mental disorder\" (our translation)", "publisher of édith luc's"], []),
    ("en/enjeux/", ["worksheet: recognizing the diversity"], ["discussion worksheet:"]),
    ("assises-democratiques/", ["ressources alternatives de traitement...). l'application des principes"], []),
])
def test_the_third_reading_is_in_the_pages(site, address, present, absent):
    text = normalize(content_text(page_file(site, address)))
    for words in present:
        assert words in text, f"/{address}: {words!r} missing"
    for words in absent:
        assert words not in text, f"/{address}: {words!r} still there"


def test_pum_and_puq_name_their_books_once():
    for acronym in ("PUQ", "PUM"):
        entry = next(e for e in KIT.glossary if e.en.term == acronym)
        assert "university press" not in entry.en.definition.casefold()
        assert "*" in entry.en.definition and "*" in entry.fr.definition  # the book's title, in italics


def test_the_saved_answers_status_says_saved():
    assert KIT.t("fr")["answers_saved"] == "Réponses enregistrées sur cet appareil."
    assert KIT.t("en")["answers_saved"] == "Answers saved on this device."
