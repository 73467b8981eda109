"""`make collect`: filled handouts read back into a synthesis, whatever else the folder holds.

The published PDFs are filled with pypdf (accented text, guillemets, a radio choice), as a
viewer would; bad files of every kind are planted beside them; the CSV and the PDF are read back."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter

import fill
from helpers import ROOT, require
from kit import collect, data, fields

KIT = data.load()
COLUMNS = "file,group,worksheet,lang,question,question_text,answer"


def run_collect(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """`scripts/build.py collect … -- FOLDER OUT` as a process: for the tests about the command."""
    result = subprocess.run([sys.executable, "scripts/build.py", "collect", *extra, "--", str(folder), str(out)],
                            cwd=ROOT, capture_output=True, text=True, errors="backslashreplace")
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    return result


def collect_here(folder: Path, out: Path, lang: str = "") -> subprocess.CompletedProcess:
    """The same command's work, in this process (kit.collect.main, which the command calls), for the
    tests about what it reads and writes: what it prints comes back as the terminal shows it."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = collect.main(str(folder), str(out), lang)
    shown = [stream.getvalue().encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
             for stream in (stdout, stderr)]  # a name that is not UTF-8 reaches a terminal as its bytes
    return subprocess.CompletedProcess(["collect", str(folder), str(out)], code, *shown)


def rows(out: Path) -> list[dict]:
    raw = (out / "synthese.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, so that Excel shows the accents"
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == COLUMNS
    return list(csv.DictReader(io.StringIO(text, newline="")))


def pdf_text(path: Path) -> str:
    require(bool(shutil.which("pdftotext")), "poppler-utils (Debian)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


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
    locked = PdfWriter(clone_from=str(good))
    locked.encrypt("secret")
    with open(folder / "protégé.pdf", "wb") as handle:
        locked.write(handle)
    fill.plant_bad_files(folder, good, pdf)
    return folder


@pytest.fixture(scope="module")
def collected(returned, tmp_path_factory):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in returned.rglob("*") if p.is_file()}
    out = tmp_path_factory.mktemp("synthese")
    result = collect_here(returned, out)
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
    page = BeautifulSoup((out / "synthese.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select('span.answer[lang="en"]') and page.select('span.answer[lang="fr"]')
    reader = PdfReader(out / "synthese.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_the_synthesis_speaks_english_on_request(returned, tmp_path):
    result = collect_here(returned, tmp_path, "en")
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


@pytest.mark.slow
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


# ---- what a hostile or careless sender plants (issue 17) -----------------------------------------------

FORMULAS = {  # (file, field): text that a spreadsheet would run, as written in the PDF
    ("=1+2.pdf", "echange-1-group"): "+33 1", ("=1+2.pdf", "echange-1-q1"): "-SUM(A1)", ("=1+2.pdf", "echange-1-notes"): "@cmd",
    ("-dossier/fiche.pdf", "echange-2-group"): "  =Rivage", ("-dossier/fiche.pdf", "echange-2-q1"): "\t@SOMME(1;2)",
    ("-dossier/fiche.pdf", "echange-2-notes"): "\r-1",
    ("partner.pdf", "espaces-de-concertation-q1"): "＝1+1",  # full width: Excel's Japanese input reads it as =
    ("partner.pdf", "espaces-de-concertation-q3"): " \n+A1",
}
HARMLESS = {("partner.pdf", "espaces-de-concertation-q4"): "Plain answer - with a dash inside",
            ("partner.pdf", "espaces-de-concertation-q5"): "'already quoted"}
VERBATIM = {  # French typography would change each of these
    ("mots.pdf", "echange-3-group"): "L'Envol : groupe",
    ("mots.pdf", "echange-3-q1"): "Pourquoi ? Parce que !  « sans espace»  :deux  points",
    ("mots.pdf", "echange-3-notes"): "   trois espaces devant\net  deux  dedans  ",
}
NOT_TEXT = {("controle.pdf", "echange-2-group"): "Groupe\x0b1", ("controle.pdf", "echange-2-q1"): "avant\x00après",
            ("controle.pdf", "echange-2-notes"): "cloche\x07 et \x1b[2J effacé\x7f"}
ESCAPED_NAMES = {"\x1b[31mrouge\x1b[0m.pdf": "\\x1b[31mrouge\\x1b[0m.pdf", "cloche\x07\x9b2J.txt": "cloche\\x07\\x9b2J.txt"}
LONG = {"long-x.pdf": "x" * 33_000, "long-math.pdf": "\U0001D400" * 17_000}  # 17,000 characters, 34,000 for Excel


def answers_by_file(planted: dict) -> dict[str, dict[str, str]]:
    files: dict[str, dict[str, str]] = {}
    for (name, field_name), value in planted.items():
        files.setdefault(name, {})[field_name] = value
    return files


def encrypt(source: Path, target: Path, algorithm: str, user_password: str = "") -> Path:
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=user_password, owner_password="x", algorithm=algorithm)
    writer.write(target)
    return target


@pytest.fixture(scope="module")
def planted(site, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("planted") / "in"
    (folder / "-dossier").mkdir(parents=True)
    pdf, sources = site / "fiches" / "pdf", {"partner.pdf": site / "en" / "fiches" / "pdf" / "espaces-de-concertation-letter.pdf"}
    for name, values in answers_by_file({**FORMULAS, **HARMLESS, **VERBATIM, **NOT_TEXT}).items():
        sheet = fields.pattern().match(next(iter(values)))["sheet"]
        fill.fill(sources.get(name, pdf / f"{sheet}-letter.pdf"), folder / name, values)
    fill.fill(pdf / "standardisation-letter.pdf", folder / "\x1b[31mrouge\x1b[0m.pdf", {"standardisation-q1": "Rouge."})
    (folder / "cloche\x07\x9b2J.txt").write_text("pas un PDF", encoding="utf-8")
    fill.fill(pdf / "standardisation-letter.pdf", Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.pdf")),
              {"standardisation-q1": "Un nom de fichier qui n'est pas en UTF-8."})
    fill.fill(pdf / "standardisation-letter.pdf", folder / "blancs.pdf", {"standardisation-q1": "   \n  ", "standardisation-group": " "})
    for name, value in LONG.items():
        fill.fill(pdf / "standardisation-letter.pdf", folder / name, {"standardisation-q1": value})
    for algorithm in ("AES-128", "AES-256", "RC4-128"):
        source = fill.fill(pdf / "echange-3-letter.pdf", folder / "tmp.pdf", {"echange-3-q1": f"Ouvert sans mot de passe ({algorithm})."})
        encrypt(source, folder / f"{algorithm}.pdf", algorithm)
    encrypt(source, folder / "aes-secret.pdf", "AES-256", "secret")
    encrypt(source, folder / "aes128-secret.pdf", "AES-128", "autre")
    (folder / "tmp.pdf").unlink()
    return folder


@pytest.fixture(scope="module")
def planted_out(planted, tmp_path_factory):
    out = tmp_path_factory.mktemp("planted-out")
    result = collect_here(planted, out)
    assert result.returncode == 0, result.stderr
    raw = (out / "synthese.csv").read_bytes().decode("utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    with open(out / "synthese.html", encoding="utf-8", newline="") as handle:  # CR kept as written
        page = BeautifulSoup(handle.read(), "html.parser")
    require(bool(shutil.which("pdftotext")), "poppler-utils (Debian)")  # pypdf 7.1 reads the synthesis' regular font as UTF-16 bytes
    pdf = subprocess.run(["pdftotext", str(out / "synthese.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    return result, csv_rows, page, pdf


def csv_cell(csv_rows, name: str, field_name: str) -> str:
    sheet, part = fields.pattern().match(field_name).group("sheet", "part")
    row = next(r for r in csv_rows if r["file"].lstrip("'") == name and r["worksheet"] == sheet
               and (part == "group" or r["question"] == part.removeprefix("q")))
    return row["group"] if part == "group" else row["answer"]


def html_texts(page, css: str) -> list[str]:
    return [element.get_text() for element in page.select(css)]


def test_no_csv_cell_can_start_a_formula(planted_out):
    _, csv_rows, _, _ = planted_out
    for row in csv_rows:
        for value in row.values():
            first = value.lstrip(" \t\r\n\u00a0")[:1]
            assert (value[:1] not in ("\t", "\r") and not (first and first in "=+-@＝＋－＠")) or value.startswith("'"), value
    for (name, field_name), value in FORMULAS.items():
        assert csv_cell(csv_rows, name, field_name) == "'" + value, "a ' in front, then the text whole, spaces included"
    for (name, field_name), value in HARMLESS.items():
        assert csv_cell(csv_rows, name, field_name) == value
    files = {r["file"] for r in csv_rows}
    assert "'=1+2.pdf" in files and "'-dossier/fiche.pdf" in files


def test_formulas_keep_their_exact_text_in_the_html_and_the_pdf(planted_out):
    _, _, page, pdf = planted_out
    answers, groups = html_texts(page, "span.answer"), html_texts(page, "span.group")
    for (name, field_name), value in FORMULAS.items():
        assert value.replace("\r", "\n") in [t.replace("\r", "\n") for t in answers + groups], value
    words = " ".join(pdf.split())
    for value in ("-SUM(A1)", "@cmd", "+33 1", "=Rivage", "@SOMME(1;2)", "＝1+1", "+A1", "=1+2.pdf", "-dossier/fiche.pdf"):
        assert value in words and "'" + value not in words


def test_participants_words_are_never_retouched(planted_out):
    _, csv_rows, page, pdf = planted_out
    for (name, field_name), value in VERBATIM.items():
        assert csv_cell(csv_rows, name, field_name) == value, "no trimming, spaces inside kept"
    assert VERBATIM[("mots.pdf", "echange-3-q1")] in html_texts(page, "span.answer")
    assert VERBATIM[("mots.pdf", "echange-3-notes")] in html_texts(page, "span.answer")
    assert "L'Envol : groupe" in html_texts(page, "span.group"), "no typographic apostrophe, no non-breaking space"
    words = " ".join(pdf.split())
    assert "Pourquoi ? Parce que ! « sans espace» :deux points" in words and "L'Envol : groupe" in words
    assert "Pourquoi?" not in words
    assert "Votre espace!" in words, "the kit's own words still follow its typography"


def test_an_answer_of_blanks_only_is_not_written(planted_out):
    result, csv_rows, _, _ = planted_out
    assert not [r for r in csv_rows if r["file"] == "blancs.pdf"]
    assert f"not read: blancs.pdf: {KIT.t('en')['collect_empty']}" in result.stdout


def test_file_names_reach_the_terminal_with_their_controls_made_visible(planted_out):
    result, csv_rows, page, _ = planted_out
    shown = result.stdout + result.stderr
    assert not [c for c in shown if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F], "a control character printed raw"
    assert "not read: cloche\\x07\\x9b2J.txt: " + KIT.t("en")["collect_not_pdf"] in result.stdout
    files = {r["file"] for r in csv_rows}
    assert ESCAPED_NAMES["\x1b[31mrouge\x1b[0m.pdf"] in files and "caf\\xe9.pdf" in files, "a name that is not UTF-8, shown by its byte"
    names = " ".join(html_texts(page, "span.file"))
    assert all(escaped in names for escaped in ESCAPED_NAMES.values()) and "\x1b" not in str(page)


def test_characters_that_are_not_text_never_reach_the_synthesis_raw(planted_out):
    _, csv_rows, page, pdf = planted_out
    raw = str(page) + pdf.replace("\f", "") + "".join(v for r in csv_rows for v in r.values())  # pdftotext ends a page with \f
    assert not [c for c in raw if ord(c) < 32 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F]
    for (name, field_name), value in NOT_TEXT.items():
        visible = "".join("\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F else c for c in value)
        assert csv_cell(csv_rows, name, field_name) == visible
        assert visible in html_texts(page, "span.answer") + html_texts(page, "span.group")
    assert "avant\ufffdaprès" in pdf


def test_an_answer_longer_than_a_spreadsheet_cell_is_flagged(planted_out):
    result, csv_rows, page, pdf = planted_out
    flag = KIT.t("fr")["collect_long"]
    for name, value in LONG.items():
        assert csv_cell(csv_rows, name, "standardisation-q1") == value, "the CSV holds it whole"
        assert f"long answer: {name}, standardisation 1: {KIT.t('en')['collect_long']}" in result.stdout
        item = next(li for li in page.select("ul.answers li") if li.select_one("span.file").get_text() == f"({name})")
        assert item.select_one("span.answer").get_text() == value
        assert " ".join(item.select_one("p.long").get_text().split()) == " ".join(flag.split())  # NBSP or space alike
    assert len(page.select("p.long")) == 2, "only the answers over the limit"
    assert " ".join(flag.split()[:4]) in " ".join(pdf.split())
    assert pdf.count("x") >= 33_000 and pdf.count("\U0001D400") == 17_000, "whole in the PDF, not cut at the page's edge"


def test_the_limit_is_counted_as_a_spreadsheet_counts():
    assert not collect.too_long("y" * 32_767) and collect.too_long("y" * 32_768)
    assert collect.too_long("-" + "y" * 32_766), "the ' added in front counts"
    assert not collect.too_long("\U0001D400" * 16_383) and collect.too_long("\U0001D400" * 16_384), "Excel counts UTF-16 units"


def test_pdfs_encrypted_without_a_password_are_read_and_a_real_password_is_named(planted_out):
    result, csv_rows, _, _ = planted_out
    for algorithm in ("AES-128", "AES-256", "RC4-128"):
        assert csv_cell(csv_rows, f"{algorithm}.pdf", "echange-3-q1") == f"Ouvert sans mot de passe ({algorithm})."
    for name in ("aes-secret.pdf", "aes128-secret.pdf"):
        assert f"not read: {name}: {KIT.t('en')['collect_encrypted']}" in result.stdout


def test_an_installation_without_cryptography_says_what_to_do(planted, tmp_path, monkeypatch, capsys):
    from pypdf import PdfReader as Reader
    from pypdf.errors import DependencyError

    def missing(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(planted / "AES-256.pdf", folder)
    shutil.copy(planted / "mots.pdf", folder)
    monkeypatch.setattr(Reader, "decrypt", missing)
    assert collect.main(str(folder), str(tmp_path / "out")) == 0
    assert f"not read: AES-256.pdf: {KIT.t('en')['collect_needs_crypto']}" in capsys.readouterr().out


def emulate_permissions(monkeypatch, root: Path) -> None:
    """Root (these tests' user here) reads everything: below `root`, refuse what has no read bit, as
    the system refuses another account. Without the kit's handling, the error stops the run."""
    real_open, real_scandir = open, os.scandir

    def refused(path) -> bool:
        path = Path(os.fsdecode(path))
        return root in path.parents and not path.stat().st_mode & 0o444

    def guarded_open(path, *args, **kwargs):
        if isinstance(path, (str, bytes, os.PathLike)) and refused(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def guarded_scandir(path="."):
        if isinstance(path, (str, bytes, os.PathLike)) and refused(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(collect, "open", guarded_open, raising=False)
    monkeypatch.setattr(os, "scandir", guarded_scandir)


def test_files_and_folders_it_cannot_open_are_named_and_the_rest_is_read(planted, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    (folder / "verrouillé" / "dedans").mkdir(parents=True)
    for name in ("mots.pdf", "AES-128.pdf"):
        shutil.copy(planted / name, folder / name)
    shutil.copy(planted / "controle.pdf", folder / "verrouillé" / "dedans" / "controle.pdf")
    (folder / "fermé").mkdir()
    shutil.copy(planted / "RC4-128.pdf", folder / "fermé" / "fiche.pdf")
    (folder / "AES-128.pdf").chmod(0o000)
    (folder / "verrouillé").chmod(0o000)
    (folder / "fermé" / "fiche.pdf").chmod(0o200)
    emulate_permissions(monkeypatch, folder)
    try:
        code = collect.main(str(folder), str(tmp_path / "out"))
    finally:
        (folder / "verrouillé").chmod(0o755)
    out = capsys.readouterr()
    assert code == 0 and "Traceback" not in out.out + out.err
    en, fr = KIT.t("en"), KIT.t("fr")
    assert f"not read: AES-128.pdf: {en['collect_denied']}" in out.out
    assert f"not read: fermé/fiche.pdf: {en['collect_denied']}" in out.out
    assert f"not read: verrouillé/: {en['collect_folder_denied']}" in out.out
    assert "1 file(s) read" in out.out and "3 file(s) or folder(s) not read" in out.out
    assert [r["file"] for r in rows(tmp_path / "out")] == ["mots.pdf"] * 2, "the readable file is read"
    page = BeautifulSoup((tmp_path / "out" / "synthese.html").read_text(encoding="utf-8"), "html.parser")
    listed = {li.select_one("span.file").get_text(): li.get_text() for li in page.select("#non-lus + ul li")}
    assert set(listed) == {"AES-128.pdf", "fermé/fiche.pdf", "verrouillé/"}
    assert fr["collect_folder_denied"].split(":")[0].strip() in listed["verrouillé/"]


def test_bad_settings_are_refused_before_anything_is_read(returned, tmp_path, monkeypatch, capsys):
    def never(*args):
        raise AssertionError("a file was read before the settings were checked")

    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(collect, "read", never)
    for out, lang in ((tmp_path / "a-file.txt", "fr"), (tmp_path / "a-file.txt" / "sub", "fr"), (tmp_path / "out", "de"),
                      (tmp_path / "out", "es")):
        assert collect.main(str(returned), str(out), lang) == 2
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("out, lang, says", [
    ("a-file.txt", "fr", "is a file, not a folder"),
    ("a-file.txt/synthese", "fr", "which is a file, not a folder"),
    ("out", "de", "LANG='de' is not a language of the synthesis; the kit speaks fr and en"),
    ("out", "en_US.UTF-8", "LANG='en_US.UTF-8' is not a language"),
])
def test_a_bad_setting_says_what_is_allowed(returned, tmp_path, out, lang, says):
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    result = run_collect(returned, tmp_path / out, "--lang", lang)
    assert result.returncode == 2 and says in result.stderr and not result.stdout
    assert (tmp_path / "a-file.txt").read_text(encoding="utf-8") == "not a folder"


@pytest.mark.slow
def test_make_collect_refuses_a_language_it_does_not_speak(returned, tmp_path):
    require(bool(shutil.which("make")), "make")
    result = subprocess.run(["make", "--no-print-directory", "-s", "collect", f"IN={returned}", f"OUT={tmp_path}/out", "LANG=es"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "LANG='es' is not a language" in result.stderr and "LANG=en" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr and not (tmp_path / "out").exists()
    odd = tmp_path / '-dossier "reçu"'  # a leading -, quotes: reach the command as a folder's name
    shutil.copytree(returned / "groupe-a", odd)
    result = subprocess.run(["make", "--no-print-directory", "-s", "collect", f"IN={odd}", f"OUT={tmp_path}/odd"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert {r["file"] for r in rows(tmp_path / "odd")} == {"echange-1.pdf"}




def test_the_typography_leaves_words_quoted_as_written():
    from kit import typography

    out = typography.french_html('<li>Question : <span class="answer" data-verbatim>Pourquoi ? « non»</span> fin !</li>')
    assert '<span class="answer" data-verbatim>Pourquoi ? « non»</span>' in out
    assert "Question\u00a0:" in out and "fin!" in out, "the kit's own words around it still follow the rules"
