"""`make collect`: filled handouts read back into a synthesis, whatever else the folder holds.

The published PDFs are filled with pypdf (accented text, guillemets, a radio choice), as a
viewer would; bad files of every kind are planted beside them; the CSV and the PDF are read back."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

import fill
from helpers import ROOT, require
from kit import collect, data

KIT = data.load()
COLUMNS = "file,group,worksheet,lang,question,question_text,answer"


def run_collect(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/build.py", "collect", str(folder), str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True)


def rows(out: Path) -> list[dict]:
    raw = (out / "synthese.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, so that Excel shows the accents"
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == COLUMNS
    return list(csv.DictReader(io.StringIO(text, newline="")))


def pdf_text(path: Path) -> str:
    require(bool(shutil.which("pdftotext")), "poppler-utils (Debian)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


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


@pytest.fixture(scope="module")
def returned(site, tmp_path_factory) -> Path:
    """A folder as it comes back after the day: good sheets, a pack, and every kind of bad file."""
    folder = tmp_path_factory.mktemp("returned") / "in"
    pdf = site / "fiches" / "pdf"
    (folder / "groupe-a").mkdir(parents=True)
    good = fill.fill(pdf / "echange-1-letter.pdf", folder / "groupe-a" / "echange-1.pdf",
                     {"echange-1-group": "Le Rivage", "echange-1-q1": "Le financement « à la mission », d’abord.\nEnsuite l’épuisement.",
                      "echange-1-notes": "Garder du temps pour les personnes usagères."})
    fill.fill(site / "en" / "fiches" / "pdf" / "espaces-de-concertation-a4.pdf", folder / "partner.pdf",
              {"espaces-de-concertation-group": "Partner group", "espaces-de-concertation-q2-choice": "/1",
               "espaces-de-concertation-q2": "We share goals once a year."})
    fill.fill(pdf / "pack-participant-letter.pdf", folder / "pack.pdf",
              {"echange-2-group": "La Maison", "echange-2-q1": "Trop de réunions.", "standardisation-q1": "Nous refusons le modèle unique."})
    (folder / "groupe-a" / "renvoi").mkdir()
    shutil.copy(good, folder / "groupe-a" / "renvoi" / "echange-1.pdf")  # the same file sent twice
    (folder / "lisez-moi.txt").write_text("Les fiches de notre groupe.", encoding="utf-8")
    (folder / "photo.pdf").write_bytes(b"\xff\xd8\xff\xe0 a photo, not a PDF")
    (folder / "coupé.pdf").write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    locked = PdfWriter(clone_from=str(good))
    locked.encrypt("secret")
    with open(folder / "protégé.pdf", "wb") as handle:
        locked.write(handle)
    blank = PdfWriter()
    blank.add_blank_page(612, 792)
    with open(folder / "autre-document.pdf", "wb") as handle:
        blank.write(handle)
    shutil.copy(pdf / "echange-3-letter.pdf", folder / "vide.pdf")  # nobody wrote on it
    rename_field(fill.fill(pdf / "echange-2-letter.pdf", folder / "tmp.pdf", {"echange-2-q1": "Une ancienne question."}),
                 folder / "ancienne-version.pdf", "echange-2-q1", "echange-2-q7")
    (folder / "tmp.pdf").unlink()
    return folder


@pytest.fixture(scope="module")
def collected(returned, tmp_path_factory):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in returned.rglob("*") if p.is_file()}
    out = tmp_path_factory.mktemp("synthese")
    result = run_collect(returned, out)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in returned.rglob("*") if p.is_file()}
    assert before == after, "the inputs were changed or moved"
    return result, out


def test_answers_come_back_word_for_word_with_their_group_and_question(collected):
    result, out = collected
    assert result.returncode == 0, result.stderr
    found = {(r["file"], r["worksheet"], r["question"]): r for r in rows(out)}
    row = found[("groupe-a/echange-1.pdf", "echange-1", "1")]
    assert row["answer"] == "Le financement « à la mission », d’abord.\nEnsuite l’épuisement."
    assert row["group"] == "Le Rivage" and row["lang"] == "fr"
    assert row["question_text"] == KIT.worksheet("echange-1").questions[0]["fr"]
    assert found[("groupe-a/echange-1.pdf", "echange-1", "notes")]["answer"] == "Garder du temps pour les personnes usagères."
    choice = found[("partner.pdf", "espaces-de-concertation", "2-choice")]
    assert choice["answer"] == "Partly" and choice["lang"] == "en" and choice["group"] == "Partner group"
    assert found[("partner.pdf", "espaces-de-concertation", "2")]["answer"] == "We share goals once a year."


def test_a_pack_gives_the_answers_of_each_of_its_worksheets(collected):
    _, out = collected
    pack = [r for r in rows(out) if r["file"] == "pack.pdf"]
    assert {(r["worksheet"], r["question"], r["group"]) for r in pack} == {
        ("echange-2", "1", "La Maison"), ("standardisation", "1", "La Maison")}  # one group named: the whole pack's


def test_a_field_the_kit_no_longer_has_keeps_its_answer_flagged(collected):
    _, out = collected
    old = [r for r in rows(out) if r["file"] == "ancienne-version.pdf"]
    assert [(r["question"], r["answer"]) for r in old] == [("7", "Une ancienne question.")]
    assert old[0]["question_text"] == KIT.t("fr")["collect_unknown"]


@pytest.mark.parametrize("name, reason", [
    ("lisez-moi.txt", "collect_not_pdf"), ("photo.pdf", "collect_not_pdf"), ("coupé.pdf", "collect_damaged"),
    ("protégé.pdf", "collect_encrypted"), ("autre-document.pdf", "collect_no_fields"), ("vide.pdf", "collect_empty"),
    ("groupe-a/renvoi/echange-1.pdf", "collect_duplicate"),
])
def test_each_file_not_read_is_named_with_its_reason(collected, name, reason):
    result, out = collected
    assert f"not read: {name}: {KIT.t('en')[reason]}" in result.stdout
    assert not [r for r in rows(out) if r["file"] == name]
    text = " ".join(pdf_text(out / "synthese.pdf").split())
    section = text.split(KIT.t("fr")["collect_not_read"], 1)[1]
    assert name in section and " ".join(KIT.t("fr")[reason].split()) in section


def test_the_synthesis_pdf_counts_then_groups_by_worksheet_and_question(collected):
    _, out = collected
    text = " ".join(pdf_text(out / "synthese.pdf").split())
    assert text.index(KIT.t("fr")["collect_counts"]) < text.index("Échange 1") < text.index(KIT.t("fr")["collect_not_read"])
    assert "5 fiches remplies" in text.replace("\u00a0", " ")  # echange-1, espaces, the pack's two, the older sheet
    assert "Le financement « à la mission », d’abord." in text.replace("\u00a0", " ")
    assert "Le Rivage" in text and "Partner group" in text
    html = (out / "synthese.html").read_text(encoding="utf-8")
    assert '<li lang="en">' in html and 'lang="fr"' in html
    reader = PdfReader(out / "synthese.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_the_synthesis_speaks_english_on_request(returned, tmp_path):
    result = run_collect(returned, tmp_path, "--lang", "en")
    assert result.returncode == 0
    text = pdf_text(tmp_path / "synthese.pdf")
    assert KIT.t("en")["collect_title"] in text and KIT.t("en")["collect_not_read"] in text


def test_nothing_read_exits_1_and_a_wrong_call_exits_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("rien", encoding="utf-8")
    result = run_collect(empty, tmp_path / "out")
    assert result.returncode == 1 and "No filled handout" in result.stderr and not (tmp_path / "out").exists()
    missing = run_collect(tmp_path / "nowhere", tmp_path / "out")
    assert missing.returncode == 2 and "is not a folder" in missing.stderr
    usage = subprocess.run([sys.executable, "scripts/build.py", "collect"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 2 and "make collect IN=folder" in usage.stderr


def test_make_collect_takes_its_language_only_from_the_command_line(returned, tmp_path):
    require(bool(shutil.which("make")), "make")
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "HOME": str(tmp_path)}  # an English shell: still French
    result = subprocess.run(["make", "--no-print-directory", "-s", "collect", f"IN={returned}", f"OUT={tmp_path}/fr"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert KIT.t("fr")["collect_title"] in (tmp_path / "fr" / "synthese.html").read_text(encoding="utf-8")
    result = subprocess.run(["make", "--no-print-directory", "-s", "collect", f"IN={returned}", f"OUT={tmp_path}/en", "LANG=en"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and KIT.t("en")["collect_title"] in (tmp_path / "en" / "synthese.html").read_text(encoding="utf-8")


def test_collect_reads_without_the_network(returned, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("collect opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert collect.main(str(returned), str(tmp_path / "out")) == 0
