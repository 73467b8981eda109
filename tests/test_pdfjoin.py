"""kit.pdfjoin, which joins the handouts' parts into packs: the result read as a viewer and an
assistive technology would (pages, form, structure tree, catalog, outline, links). The samples
are handouts of the session's built site; small parts with radios, checkboxes and links are
made here with WeasyPrint."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

from helpers import label, require
from pdfstructure import as_list, check_structure, number_tree, only_weasyprint_orphans
from kit import pdfjoin
from kept import kept, per_file_state

whole_structure = kept(check_structure)  # the checks of the handouts and the joined pack, which several tests read, kept (kept.py)

# Real handouts with distinct field names, Letter and A4 mixed, one in English.
SAMPLE_NAMES = ("en-echange-1-letter", "echange-2-a4", "echange-3-letter", "espaces-de-concertation-a4",
                "gouvernance-partagee-letter", "nouvelle-gestion-publique-a4",
                "soutien-communautaire-letter", "standardisation-a4")
TITLE = "Trousse des participantes et participants — essai"

FORM_PART = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>Formulaire {p}</title></head><body>
<h1 id="top">Formulaire {p}</h1>
<form>
<p><label>Nom <input type="text" name="{p}-name" value="Ada {p}"></label></p>
<p><label><input type="radio" name="{p}-g" value="a"> Alpha</label>
<label><input type="radio" name="{p}-g" value="b" checked> Beta</label>
<label><input type="radio" name="{p}-g" value="c"> Gamma</label></p>
<p><label><input type="checkbox" name="{p}-c" checked> Oui</label>
<label><input type="checkbox" name="{p}-d"> Non</label></p>
<p><textarea name="{p}-t" title="Vos notes ({p})">notes {p}</textarea></p>
</form>
<p><a href="#top">Haut de {p}</a> <a href="https://example.org/{p}">lien externe</a></p>
</body></html>"""


WORKSHEET = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Fiche {n} — Atelier de discussion</title>
<meta name="author" content="Banc d’essai"><meta name="description" content="Trousse d’essai">
<style>@page {{ size: {size}; margin: 2cm }} textarea {{ width: 100%; height: 5cm }}
h2.next {{ break-before: page }}</style></head>
<body><article>
<h1 id="fiche-{n}">Fiche {n} — Atelier de discussion</h1>
<p>Pour qui : les personnes impliquées dans la ressource. Durée suggérée : 30 minutes.</p>
<section><h2>Questions</h2>
<form>
<p><label for="s{n}-q1">1. Quels défis vivez-vous (fiche {n})?</label></p>
<textarea id="s{n}-q1" name="s{n}-q1"></textarea>
<p><label for="s{n}-q2">2. Quelles pratiques voulez-vous garder?</label></p>
<textarea id="s{n}-q2" name="s{n}-q2"></textarea>
<h2 class="next">Suite de la fiche {n}</h2>
<p><label for="s{n}-q3">3. Qui décide, et comment?</label></p>
<textarea id="s{n}-q3" name="s{n}-q3"></textarea>
<p><label for="s{n}-q4">4. Que changeriez-vous?</label></p>
<textarea id="s{n}-q4" name="s{n}-q4"></textarea>
<p><label for="s{n}-q5">Votre espace! Notes</label></p>
<textarea id="s{n}-q5" name="s{n}-q5"></textarea>
</form></section>
<p><a href="#fiche-{n}">Retour au début de la fiche {n}</a></p>
</article></body></html>
"""


def make_worksheet(path: Path, n: int, size: str = "letter") -> Path:
    html = WORKSHEET.format(n=n, size=size)
    weasyprint.HTML(string=html).write_pdf(path, pdf_forms=True, pdf_variant="pdf/ua-1")
    return path


@pytest.fixture(scope="session")
def samples(site, tmp_path_factory) -> Path:
    """The built handouts, under the names the tests use ("en-" for English ones)."""
    require(bool(shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")), "poppler-utils (Debian)")
    folder = tmp_path_factory.mktemp("samples")
    for lang in ("fr", "en"):
        for pdf in (site / ("en/" if lang == "en" else "") / "fiches" / "pdf").glob("*.pdf"):
            if not pdf.name.startswith("pack-"):
                shutil.copy(pdf, folder / (("en-" if lang == "en" else "") + pdf.name))
    return folder


def render(html: str, path: Path, **options) -> Path:
    weasyprint.HTML(string=html).write_pdf(path, **options)
    return path


def render_ua(html: str, path: Path) -> Path:
    return render(html, path, pdf_forms=True, pdf_variant="pdf/ua-1")


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """Small parts made with WeasyPrint: radios, checkboxes, textareas, links."""
    folder = tmp_path_factory.mktemp("parts")
    return {
        # Both define the destination "top" and link to it.
        "form1": render_ua(FORM_PART.format(p="f1", lang="en"), folder / "form1.pdf"),
        "form2": render_ua(FORM_PART.format(p="f2", lang="fr"), folder / "form2.pdf"),
        "sheet": make_worksheet(folder / "sheet.pdf", 901, "A4"),
        "folder": folder,
    }


@pytest.fixture(scope="session")
def parts(made, samples):
    return [*(samples / f"{name}.pdf" for name in SAMPLE_NAMES), made["form1"], made["sheet"], made["form2"]]


@pytest.fixture(scope="session")
def joined(parts, tmp_path_factory):
    target = tmp_path_factory.mktemp("joined") / "pack.pdf"
    pages = pdfjoin.join(parts, target, title=TITLE, lang="fr")
    return target, pages


# --- helpers -------------------------------------------------------------------

@per_file_state()
def opened(path: Path) -> PdfReader:
    """The PDF at `path` opened once for the tests that only read it (a pack takes tenths of a
    second to open, and a dozen tests read the same pack and parts). Read it only."""
    return PdfReader(path)


def page_texts(path):
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout.split("\f")[:-1], result.stderr


def field_summary(path):
    """{name: (/FT, /TU, /V, /Opt, number of kids)} as pypdf reads the form."""
    summary = {}
    for name, field in (PdfReader(path).get_fields() or {}).items():
        opt = field.get("/Opt")
        summary[name] = (field.get("/FT"), field.get("/TU"), field.get("/V"),
                         [str(o) for o in opt] if opt else None, len(field.get("/Kids", [])))
    return summary


def first_pages(parts):
    starts, count = [], 0
    for part in parts:
        starts.append(count)
        count += len(opened(part).pages)
    return starts, count


# --- pages and text --------------------------------------------------------------

def test_a_pack_weighs_less_than_its_parts_together(parts, joined):
    """The font each part embeds for its form fields is written once, and the small objects
    (structure elements, widgets, the parent tree) go into compressed object streams. Written
    through pypdf's PdfWriter, which writes neither object streams nor a cross-reference stream,
    this pack weighed 0.60 of its parts (0.40 as written here), and eight worksheets 2.3 times as
    much as here (421 KB against 186)."""
    target, _ = joined
    together = sum(part.stat().st_size for part in parts)
    assert target.stat().st_size < 0.5 * together, f"{target.stat().st_size} bytes for {together} bytes of parts"


def test_pages_sizes_and_text_in_order(parts, joined):
    target, pages = joined
    reader = opened(target)
    expected_boxes, expected_texts = [], []
    for part in parts:
        expected_boxes += [[float(x) for x in page.mediabox] for page in opened(part).pages]
        expected_texts += page_texts(part)[0]
    assert pages == len(reader.pages) == len(expected_boxes) > len(parts)
    assert [[float(x) for x in page.mediabox] for page in reader.pages] == expected_boxes
    assert page_texts(target)[0] == expected_texts
    assert "Discussion 1" in expected_texts[0] and "Formulaire f2" in expected_texts[-1]


def test_pages_render_identically(parts, joined, tmp_path):
    """First page of each part, rasterised by poppler (fields included), is unchanged."""
    target, _ = joined
    starts, _ = first_pages(parts)

    def raster(path, page):
        out = tmp_path / "page"
        subprocess.run(["pdftoppm", "-r", "24", "-f", str(page), "-l", str(page), "-singlefile",
                        str(path), str(out)], check=True, capture_output=True)
        return (tmp_path / "page.ppm").read_bytes()

    for part, start in zip(parts, starts):
        assert raster(target, start + 1) == raster(part, 1), part.name


def test_pdfinfo_and_pdftotext_read_it(parts, joined):
    target, pages = joined
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True)
    assert info.returncode == 0 and info.stderr == ""
    assert re.search(rf"^Pages:\s+{pages}$", info.stdout, re.M)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)
    assert re.search(r"^Form:\s+AcroForm$", info.stdout, re.M)
    assert f"Title:           {TITLE}" in info.stdout
    texts, errors = page_texts(target)
    assert len(texts) == pages
    # poppler's only complaint is the parts' own (WeasyPrint's radios/checkboxes have no /DA).
    known = set()
    for part in parts:
        known |= set(page_texts(part)[1].splitlines())
    assert set(errors.splitlines()) <= known


def test_pypdf_strict_reading(joined):
    target, pages = joined
    reader = PdfReader(target, strict=True)
    assert len(reader.pages) == pages
    assert reader.get_fields()


# --- form ------------------------------------------------------------------------

def test_every_field_kept(parts, joined):
    target, _ = joined
    expected = {}
    for part in parts:
        expected.update(field_summary(part))
    assert field_summary(target) == expected
    assert "soutien-communautaire-q2" in expected and "f1-g" in expected
    form = opened(target).trailer["/Root"]["/AcroForm"]
    assert form["/NeedAppearances"] is True or form["/NeedAppearances"] == True  # noqa: E712
    assert len(form["/Fields"]) == sum(len(opened(p).trailer["/Root"]["/AcroForm"]["/Fields"])
                                       for p in parts)


def test_widgets_keep_names_values_and_appearance_strings(parts, joined):
    target, _ = joined
    reader = opened(target)
    joined_widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])
                      if a.get_object()["/Subtype"] == "/Widget"]
    part_widgets = [a.get_object() for part in parts for page in opened(part).pages
                    for a in page.get("/Annots", []) if a.get_object()["/Subtype"] == "/Widget"]
    assert len(joined_widgets) == len(part_widgets)
    for new, old in zip(joined_widgets, part_widgets):
        for key in ("/T", "/TU", "/FT", "/V", "/DA", "/Ff", "/AS", "/Rect"):
            assert new.get(key) == old.get(key), (old.get("/T"), key)
    # Every /DA names a font and a graphics state found in the merged /DR.
    dr = reader.trailer["/Root"]["/AcroForm"]["/DR"]
    for widget in joined_widgets:
        if "/DA" in widget:
            gs, font = re.match(r"(/\S+) gs .* (/\S+) [\d.]+ Tf", widget["/DA"]).groups()
            assert font in dr["/Font"] and gs in dr["/ExtGState"]


def test_radio_groups_and_checkboxes(made, joined):
    target, _ = joined
    reader = opened(target)
    on_pages = {a.idnum for page in reader.pages for a in page.get("/Annots", [])}
    fields = {f.get_object().get("/T"): f for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]
              if "/Kids" in f.get_object()}
    for prefix in ("f1", "f2"):
        group_ref = fields[f"{prefix}-g"]
        group = group_ref.get_object()
        assert group["/FT"] == "/Btn" and group["/Ff"] & (1 << 15)  # radio
        assert group["/V"] == "/1" and [str(o) for o in group["/Opt"]] == ["a", "b", "c"]
        kids = group["/Kids"]
        assert len(kids) == 3
        for position, kid in enumerate(kids):
            assert kid.idnum in on_pages  # the kid widgets are the page's annotations
            kid = kid.get_object()
            assert kid.raw_get("/Parent").idnum == group_ref.idnum
            assert list(kid["/AP"]["/N"]) == [f"/{position}"]
            assert kid["/AS"] == ("/1" if position == 1 else "/Off")
    values = {name: field.get("/V") for name, field in reader.get_fields().items()}
    assert values["f1-c"] == "/on" and values["f1-d"] == "/Off"
    assert values["f2-t"] == "notes f2" and values["f2-name"] == "Ada f2"


def test_filled_value_survives(samples, tmp_path):
    writer = PdfWriter(clone_from=samples / "echange-2-letter.pdf")
    answer = "Le financement — et l’épuisement de l’équipe."
    for page in writer.pages:  # the question's box may be on any page (the summary comes first)
        writer.update_page_form_field_values(page, {"echange-2-q1": answer}, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    assert only_weasyprint_orphans(check_structure(filled)[0])
    target = tmp_path / "pack.pdf"
    pdfjoin.join([samples / "standardisation-a4.pdf", filled], target, title="t", lang="fr")
    fields = PdfReader(target).get_fields()
    assert fields["echange-2-q1"]["/V"] == answer
    assert fields["echange-2-notes"]["/V"] == ""
    assert check_structure(target)[0] == []


def test_font_resource_name_clash_is_renamed(tmp_path):
    """Part B uses DejaVu Serif for text only (a subset in its /DR), part A for a
    field (the full font, same resource name): A's fields must keep A's font."""
    b = render_ua('<html lang="fr"><title>B</title><p>Texte B</p><textarea name="b-q1" '
                  'title="B" style="font-family: DejaVu Sans Mono">y</textarea></html>',
                  tmp_path / "b.pdf")
    a = render_ua('<html lang="fr"><title>A</title><p>Texte A</p>'
                  '<textarea name="a-q1" title="A">x</textarea></html>', tmp_path / "a.pdf")

    def font_name(path, name):
        fields = PdfReader(path).trailer["/Root"]["/AcroForm"]["/Fields"]
        field = next(f.get_object() for f in fields if f.get_object()["/T"] == name)
        return re.search(r"(/\S+) [\d.]+ Tf", field["/DA"])[1]

    def font_program(path, name):
        font = PdfReader(path).trailer["/Root"]["/AcroForm"]["/DR"]["/Font"][name]
        return font["/DescendantFonts"][0]["/FontDescriptor"]["/FontFile2"].get_data()

    clash = font_name(a, "a-q1")
    assert clash in PdfReader(b).trailer["/Root"]["/AcroForm"]["/DR"]["/Font"]
    assert font_program(a, clash) != font_program(b, clash)

    target = tmp_path / "ba.pdf"
    pdfjoin.join([b, a], target, title="BA", lang="fr")
    renamed = font_name(target, "a-q1")
    assert renamed != clash
    assert font_program(target, renamed) == font_program(a, clash)
    assert font_name(target, "b-q1") == font_name(b, "b-q1")
    assert font_program(target, clash) == font_program(b, clash)


def test_duplicate_field_names_refused(samples, tmp_path):
    target = tmp_path / "dup.pdf"
    first, second = samples / "echange-1-letter.pdf", samples / "echange-1-a4.pdf"
    with pytest.raises(ValueError) as error:
        pdfjoin.join([first, second], target, title="t", lang="fr")
    message = str(error.value)
    assert "'echange-1-" in message and first.name in message and second.name in message
    # The English and French versions of a worksheet share field names too.
    with pytest.raises(ValueError, match="echange-1-"):
        pdfjoin.join([samples / "en-echange-1-letter.pdf", first], target, title="t", lang="fr")
    assert not target.exists()


# --- structure tree ----------------------------------------------------------------

def test_structure_tree(parts, joined, tmp_path):
    target, _ = joined
    for part in parts:
        assert only_weasyprint_orphans(whole_structure(part)[0]), part.name
    footer = "<style>@page { @bottom-right { content: counter(page) } }</style>"
    raw = render_ua(f'<html lang="fr"><head>{footer}</head><body><p>Texte</p></body></html>', tmp_path / "raw.pdf")
    assert check_structure(raw)[0]  # WeasyPrint's own output (with a footer) has the defect ...
    problems, count = whole_structure(target)  # ... which the join repairs
    assert problems == []
    assert count == sum(whole_structure(part)[1] for part in parts)
    root = opened(target).trailer["/Root"]["/StructTreeRoot"]
    kids = as_list(root.raw_get("/K"))
    assert len(kids) == 1 and kids[0].get_object()["/S"] == "/Document"
    keys = [key for key, _ in number_tree(root["/ParentTree"])]
    assert keys == sorted(set(keys)) and root["/ParentTreeNextKey"] == keys[-1] + 1


def test_top_level_elements_in_part_order_with_language(parts, joined):
    target, _ = joined
    reader = opened(target)
    page_numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    tops = [kid.get_object() for kid in document["/K"]]
    first = [page_numbers[top.raw_get("/Pg").idnum] for top in tops]
    assert first == sorted(first)
    starts, _ = first_pages(parts)
    langs = [str(opened(part).trailer["/Root"]["/Lang"]) for part in parts]
    for top, page in zip(tops, first):
        part = max(i for i, start in enumerate(starts) if start <= page)
        assert top.get("/Lang") == (langs[part] if langs[part] != "fr" else None)
    assert "en" in langs


def test_structure_checker_catches_unshifted_parent_tree_keys(parts, joined, tmp_path):
    """Break the per-part /ParentTree offset on purpose: give every page and
    annotation back the key it had in its own part."""
    target, _ = joined
    clone = tmp_path / "clone.pdf"
    PdfWriter(clone_from=target).write(clone)
    assert check_structure(clone)[0] == []  # copying alone breaks nothing

    original = []
    for part in parts:
        for page in opened(part).pages:
            original.append((page.get("/StructParents"),
                             [a.get_object().get("/StructParent") for a in page.get("/Annots", [])]))
    writer = PdfWriter(clone_from=target)
    for page, (key, annot_keys) in zip(writer.pages, original):
        page[NameObject("/StructParents")] = NumberObject(key)
        for annot, annot_key in zip(page.get("/Annots", []), annot_keys):
            annot.get_object()[NameObject("/StructParent")] = NumberObject(annot_key)
    broken = tmp_path / "broken.pdf"
    writer.write(broken)
    problems, _ = check_structure(broken)
    assert any("MCID" in problem for problem in problems)
    assert any("annotation" in problem for problem in problems)


def test_naive_pypdf_merge_fails_the_checks(parts, tmp_path):
    writer = PdfWriter()
    for part in parts[:3]:
        writer.append(part)
    naive = tmp_path / "naive.pdf"
    writer.write(naive)
    assert check_structure(naive)[0] != []


# --- catalog, metadata, outline, destinations ----------------------------------------

def test_catalog_and_metadata(joined):
    target, _ = joined
    reader = opened(target)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == TITLE
    assert reader.metadata.author.endswith("(RRASMQ)")  # from the first part
    xmp = catalog["/Metadata"].get_data()
    assert xmp.startswith(b"<?xpacket begin=") and xmp.rstrip().endswith(b'<?xpacket end="r"?>')
    rdf = ET.fromstring(xmp.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert rdf.find(".//dc:title/rdf:Alt/rdf:li", ns).text == TITLE
    part = [d.get("{http://www.aiim.org/pdfua/ns/id/}part") for d in rdf.iter(f"{{{ns['rdf']}}}Description")]
    assert "1" in part
    assert reader.xmp_metadata.dc_title == {"x-default": TITLE}


def test_outline_one_entry_per_part(parts, joined):
    target, _ = joined
    reader = opened(target)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [opened(p).metadata.title for p in parts]
    assert [reader.get_destination_page_number(item) for item in top] == first_pages(parts)[0]
    # The parts' own headings are nested below their entry.
    nested = reader.outline[1 + reader.outline.index(top[0])]
    assert isinstance(nested, list)
    titles = [item.title for item in nested if not isinstance(item, list)]
    assert titles[0] == label("summary_heading", "en") and label("context", "en") in titles, titles  # the summary, then the context


def test_links_go_to_their_own_part(parts, joined):
    """form1 and form2 both define the destination "top" and link to it."""
    target, _ = joined
    reader = opened(target)
    starts, count = first_pages(parts)
    for index in (parts.index(p) for p in parts if p.stem.startswith("form")):
        page = reader.pages[starts[index]]
        links = [a.get_object() for a in page["/Annots"] if a.get_object()["/Subtype"] == "/Link"]
        internal = [link for link in links if "/Dest" in link]
        assert internal, parts[index].name
        for link in internal:
            assert link["/Dest"][0].idnum == page.indirect_reference.idnum
    dests = reader.named_destinations
    assert reader.get_destination_page_number(dests["top"]) == starts[parts.index(parts[-3])]


# --- refusals and atomic writing ---------------------------------------------------

def test_refuses_untagged_and_unknown_catalog_entries(samples, tmp_path):
    untagged = render("<html lang=fr><title>x</title><p>x</p></html>", tmp_path / "untagged.pdf")
    with pytest.raises(ValueError, match="not tagged"):
        pdfjoin.join([untagged], tmp_path / "out.pdf", title="t", lang="fr")
    writer = PdfWriter(clone_from=samples / "standardisation-a4.pdf")
    writer._root_object[NameObject("/PageLabels")] = writer._root_object["/MarkInfo"]
    labelled = tmp_path / "labelled.pdf"
    writer.write(labelled)
    with pytest.raises(ValueError, match="PageLabels"):
        pdfjoin.join([labelled], tmp_path / "out.pdf", title="t", lang="fr")
    with pytest.raises(ValueError):
        pdfjoin.join([], tmp_path / "out.pdf", title="t", lang="fr")


def test_failed_join_leaves_target_untouched(samples, tmp_path, monkeypatch):
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"previous pack")
    parts = [samples / "echange-1-letter.pdf", samples / "echange-1-a4.pdf"]
    with pytest.raises(ValueError):  # fails on the second part, after writing the first
        pdfjoin.join(parts, target, title="t", lang="fr")

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(pdfjoin._Joiner, "_finish", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pdfjoin.join(parts[:1], target, title="t", lang="fr")
    assert target.read_bytes() == b"previous pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_replaces_existing_target(samples, tmp_path):
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"previous pack")
    part = samples / "standardisation-a4.pdf"
    assert pdfjoin.join([part], target, title="t", lang="fr") == len(PdfReader(part).pages)
    assert target.read_bytes().startswith(b"%PDF-1.7")
    assert check_structure(target)[0] == []


def test_inherited_page_attributes_are_kept(samples, tmp_path):
    """A page that inherits /MediaBox and /Resources from its /Pages node keeps them."""
    sample = samples / "gouvernance-partagee-a4.pdf"
    writer = PdfWriter(clone_from=sample)
    page = writer.pages[0]
    pages_node = page["/Parent"].get_object()
    for name in ("/MediaBox", "/Resources"):
        pages_node[NameObject(name)] = page.raw_get(name)
        del page[name]
    inheriting = tmp_path / "inheriting.pdf"
    writer.write(inheriting)
    assert "/MediaBox" not in PdfReader(inheriting).trailer["/Root"]["/Pages"]["/Kids"][0].get_object()
    target = tmp_path / "out.pdf"
    pdfjoin.join([inheriting, samples / "standardisation-letter.pdf"], target, title="t", lang="fr")
    reader = PdfReader(target)
    assert [float(x) for x in reader.pages[0].mediabox] == \
        [float(x) for x in PdfReader(sample).pages[0].mediabox]
    assert page_texts(target)[0][0] == page_texts(sample)[0][0]
    assert check_structure(target)[0] == []


def test_every_published_handout_has_a_whole_structure_tree(site, manifest):
    """Every handout of the site, worksheet or pack, is joined: all its content is in the tree."""
    for entry in manifest:
        problems, count = whole_structure(site / entry["path"])
        assert problems == [] and count > 20, (entry["path"], problems[:3])
