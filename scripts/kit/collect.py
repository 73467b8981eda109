"""`make collect IN=folder`: the answers written in filled handouts, gathered into one synthesis.

Reads every file of a folder and its sub-folders, one at a time: PDFs filled in any viewer, or
downloaded from a worksheet page, packs included. What each answer is comes from the form itself:
the field's name (`echange-1-q1`, `echange-1-q1-choice`, `echange-1-notes`, `echange-1-group`, read
with kit.fields, which names them in the templates too) and the PDF's language, never from
matching text. Writes, into dist/synthese/ (or OUT):

- `synthese.csv`: UTF-8 with a byte-order mark (Excel shows the accents), one row per answer
  written, columns `file,group,worksheet,lang,question,question_text,answer`;
- `synthese.html` and `synthese.pdf`: in the facilitator's language, grouped by worksheet then
  question, every answer word for word with its group, counts first, then the files not read.

The settings (IN, OUT, LANG) are checked before any file is read. Nothing stops the rest and
nothing is lost: a file or folder it cannot open, a file that is not a PDF, a damaged one, one that
asks for a password, one without the kit's fields, an empty form, a second copy of a file already
read: each is named with its reason. A field the kit no longer has (a sheet from an older version)
keeps its answer and is flagged; so is an answer longer than a spreadsheet cell holds.

Participants' words are never retouched: no trimming, no typography (their text is marked
`data-verbatim`, which kit.typography skips). Refused on the way out: a CSV cell that a spreadsheet
would take for a formula (it gets a `'` in front, OWASP's advice; the HTML and PDF keep the exact
text); characters that are not text (NUL and other controls) in an answer, shown as U+FFFD; control
characters of file names, shown as escapes (`\\x1b`) on screen and in the three files.
Local only: the inputs are read, never changed; nothing goes on the network.
Exit 0 when at least one file was read, 1 when none, 2 when called wrongly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kit import addresses, data, fields, paths, templates, text, typography, weasy

COLUMNS = ["file", "group", "worksheet", "lang", "question", "question_text", "answer"]
CONSOLE = "en"  # what the command prints on screen is in English, as the build's messages are
DEFAULT_OUT = paths.ROOT / "dist" / "synthese"
RUN = re.compile(r"\S{41,}")  # a run of text without a place to break a line
CELL_LIMIT = 32_767  # characters (UTF-16 units) an Excel cell holds; Google Sheets holds 50,000
FORMULA = "=+-@"  # what starts a formula in Excel, LibreOffice or Google Sheets (OWASP's list, with tab and CR)
# Not text: C0 controls but tab, LF and CR; DEL and C1; lone surrogates; noncharacters. Invalid in HTML, risky in a cell.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17)) + "]")


@dataclass
class Answer:
    file: str
    group: str
    worksheet: str
    lang: str
    question: str  # "1", "1-choice", "notes", or the part of a field the kit no longer has
    question_text: str
    answer: str
    known: bool = True
    long: bool = False  # longer than a spreadsheet cell holds


@dataclass
class Reading:
    answers: list[Answer] = field(default_factory=list)
    sheets: set = field(default_factory=set)  # (file, worksheet) with at least one answer
    not_read: list[tuple[str, str, str]] = field(default_factory=list)  # (file or folder/, reason's label, detail)
    read: int = 0


class UsageError(Exception):
    """collect was called wrongly (exit 2)."""


# ---- what is safe to show, print and put in a cell ------------------------------------------------------

def text_only(value: str) -> str:
    """A participant's text, every character kept but those that are not text (NUL, ESC…): U+FFFD."""
    return NOT_TEXT.sub("\ufffd", value)


def shown(name: str) -> str:
    """A file name with what is not printable made visible as an escape (ESC as \\x1b, BEL as \\x07,
    a byte that is not UTF-8 as \\xe9): safe on a terminal, in a page, in a cell."""
    if name.isprintable():
        return name
    out = []
    for char in name:
        if "\udc80" <= char <= "\udcff":  # a byte of a name that is not UTF-8 (Python's surrogateescape)
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(char if char.isprintable() or char == " " else repr(char)[1:-1])
    return "".join(out)


def cell(value: str) -> str:
    """A CSV cell no spreadsheet takes for a formula: one starting with = + - @ (or their full-width
    forms), also after blanks a spreadsheet may trim, or with a tab or CR, gets a ' in front (OWASP)."""
    first = next((c for c in value if not (c.isspace() or unicodedata.category(c) == "Cf")), "")
    if value[:1] in ("\t", "\r") or (first and unicodedata.normalize("NFKC", first)[:1] in FORMULA):
        return "'" + value
    return value


def breakable(words: str):
    """A participant's text for the synthesis page: escaped, with a place to break (`<wbr>`, no
    character added) every 40 characters of a run without a space, which would otherwise run off
    the page, or take WeasyPrint minutes to cut (its search for a break grows with the run's square)."""
    from markupsafe import Markup, escape

    out, pos = [], 0
    for run in RUN.finditer(words):
        chunks = [run.group()[i:i + 40] for i in range(0, len(run.group()), 40)]
        out += [escape(words[pos:run.start()]), Markup("<wbr>").join(escape(c) for c in chunks)]
        pos = run.end()
    out.append(escape(words[pos:]))
    return Markup("").join(out)


def too_long(value: str) -> bool:
    """True when the CSV cell of `value` is longer than an Excel cell holds (counted as Excel counts)."""
    return len(value) > CELL_LIMIT // 2 and len(cell(value).encode("utf-16-le")) // 2 > CELL_LIMIT


# ---- reading ---------------------------------------------------------------------------------------------

def field_values(reader) -> dict[str, str]:
    """Every terminal field of a PDF form with its value as a reader sees it (a radio group: its choice)."""
    values = {}

    def walk(node, prefix: str) -> None:
        node = node.get_object()
        name = node.get("/T")
        full = f"{prefix}.{name}" if prefix and name else (name or prefix)
        kids = [k.get_object() for k in node.get("/Kids", [])]
        named_kids = [k for k in kids if "/T" in k]
        if named_kids:
            for kid in named_kids:
                walk(kid, full)
            return
        if full:
            values[str(full)] = _value(node)

    for reference in reader.trailer["/Root"].get("/AcroForm", {}).get("/Fields", []):
        if "/Parent" not in reference.get_object():
            walk(reference, "")
    return values


def _value(node) -> str:
    """A field's value as written, never trimmed; what is not text made visible."""
    value = node.get("/V")
    if value is None:
        return ""
    if node.get("/FT") == "/Btn":
        state = str(value).lstrip("/")
        if state in ("", "Off"):
            return ""
        options = [str(o) for o in node.get("/Opt", [])]
        if state.isdigit() and int(state) < len(options):
            return text_only(options[int(state)])  # WeasyPrint names a radio's states by position, its choices in /Opt
        return text_only(state)
    return text_only(str(value))


def files_below(folder: Path, reading: Reading) -> list[Path]:
    """Every file below `folder`, sorted; each sub-folder that cannot be opened is named in `reading`."""
    found, pending = [], [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as err:
            reading.not_read.append(_unopened(shown(current.relative_to(folder).as_posix()) + "/", err, "collect_folder_denied"))
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                elif entry.is_file():
                    found.append(Path(entry.path))
            except OSError as err:
                reading.not_read.append(_unopened(shown(Path(entry.path).relative_to(folder).as_posix()), err, "collect_denied"))
    return sorted(found)


def _unopened(name: str, err: OSError, denied: str) -> tuple[str, str, str]:
    if isinstance(err, PermissionError):
        return (name, denied, "")
    return (name, "collect_unopened", err.strerror or type(err).__name__)


def _bytes(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def read(folder: Path, kit: data.Kit) -> Reading:
    """Read every file below `folder`, one at a time."""
    reading, seen = Reading(), {}
    for path in files_below(folder, reading):
        name = shown(path.relative_to(folder).as_posix())
        try:
            raw = _bytes(path)
        except OSError as err:
            reading.not_read.append(_unopened(name, err, "collect_denied"))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest in seen:
            reading.not_read.append((name, "collect_duplicate", seen[digest]))
            continue
        seen[digest] = name
        _read_pdf(name, raw, reading, kit)
    reading.not_read.sort()
    return reading


def _read_pdf(name: str, raw: bytes, reading: Reading, kit: data.Kit) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if not raw.lstrip()[:5] == b"%PDF-":
        reading.not_read.append((name, "collect_not_pdf", ""))
        return
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):  # an empty user password opens without asking
            reading.not_read.append((name, "collect_encrypted", ""))
            return
        values = field_values(reader)
        lang = str(reader.trailer["/Root"].get("/Lang") or "")[:2].lower()
    except DependencyError:
        reading.not_read.append((name, "collect_needs_crypto", ""))
        return
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on a broken file; one never stops the rest
        reading.not_read.append((name, "collect_damaged", type(err).__name__))
        return
    field = fields.pattern()
    kit_fields = {key: value for key, value in values.items() if field.match(key)}
    if not kit_fields:
        reading.not_read.append((name, "collect_no_fields", ""))
        return
    answers = _answers(name, kit_fields, lang if lang in addresses.LANGS else addresses.DEFAULT, kit)
    if not answers:
        reading.not_read.append((name, "collect_empty", ""))
        return
    reading.read += 1
    reading.answers += answers
    reading.sheets |= {(name, a.worksheet) for a in answers}


def written(value: str) -> bool:
    """An answer counts as written when it holds more than blanks; a written one is kept whole."""
    return bool(value) and not value.isspace()


def _answers(name: str, values: dict[str, str], lang: str, kit: data.Kit) -> list[Answer]:
    field = fields.pattern()
    groups = {}
    for key, value in values.items():
        match = field.match(key)
        if match["group"] and written(value):
            groups[match["sheet"]] = value
    only_group = next(iter(set(groups.values()))) if len(set(groups.values())) == 1 else ""  # one group for a whole pack
    out = []
    for key, value in values.items():
        match = field.match(key)
        if match["group"] or not written(value):
            continue
        sheet = kit.worksheet(match["sheet"])
        question, question_text, known = _question(sheet, fields.key(match), lang)
        out.append(Answer(name, groups.get(match["sheet"], only_group), match["sheet"], lang, question,
                          question_text if known else kit.t(lang)["collect_unknown"], value, known, too_long(value)))
    return out


def _question(sheet, question: str, lang: str) -> tuple[str, str, bool]:
    """The question an answer belongs to ("1", "1-choice", "notes": fields.key), its text in the
    file's language, and whether the kit still has it."""
    if question == "notes":
        return "notes", text.plain(sheet.notes[lang]) if sheet else "", sheet is not None
    number, choice = int(question.split("-")[0]), question.endswith("-choice")
    if sheet is None or number > len(sheet.questions) or (choice and not sheet.scale):
        return question, "", False
    return question, text.plain(sheet.questions[number - 1][lang]), True


# ---- writing the synthesis ------------------------------------------------------------------------------

def write_csv(reading: Reading, target: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in reading.answers:
        writer.writerow([cell(v) for v in (a.file, a.group, a.worksheet, a.lang, a.question, a.question_text, a.answer)])
    target.write_text(buffer.getvalue(), encoding="utf-8-sig")


def synthesis_context(reading: Reading, kit: data.Kit, lang: str) -> dict:
    """What the synthesis template shows: worksheets in the kit's order, then their questions."""
    by_sheet: dict[str, dict] = {}
    for a in reading.answers:
        by_sheet.setdefault(a.worksheet, {}).setdefault(a.question, []).append(a)
    order = [s.id for s in kit.worksheets] + sorted(set(by_sheet) - {s.id for s in kit.worksheets})
    sheets = []
    for sheet_id in (s for s in order if s in by_sheet):
        sheet = kit.worksheet(sheet_id)
        questions = []
        for key in sorted(by_sheet[sheet_id], key=_question_order):
            answers = by_sheet[sheet_id][key]
            known = all(a.known for a in answers)
            tally = Counter(a.answer for a in answers) if key.endswith("-choice") else None
            questions.append({"key": key, "known": known, "answers": answers, "tally": tally,
                              "text": _question(sheet, key, lang)[1]
                              if sheet and known else ""})
        sheets.append({"id": sheet_id, "title": text.plain(sheet.title[lang]) if sheet else sheet_id,
                       "returned": len({a.file for q in by_sheet[sheet_id].values() for a in q}), "questions": questions})
    return {"sheets": sheets, "not_read": reading.not_read, "files": reading.read, "answers": len(reading.answers),
            "returned": len(reading.sheets), "date": time.strftime("%Y-%m-%d"), "fonts": _fonts()}


def _fonts() -> dict[str, str]:
    """The handouts' fonts as data: URIs, so that synthese.html shows them wherever it is opened."""
    import base64

    folder = paths.HANDOUT_TEMPLATES / "fonts"
    return {style: "data:font/ttf;base64," + base64.b64encode((folder / f"DejaVuSans{suffix}-latin.ttf").read_bytes()).decode()
            for style, suffix in (("regular", ""), ("bold", "-Bold"), ("italic", "-Oblique"))}


def _question_order(key: str):
    if key == "notes":
        return (10_000, 0)
    number = re.match(r"\d+", key)
    return (int(number.group(0)), 1 if key.isdigit() else 0) if number else (9_000, key)  # a choice, then its example


def write_synthesis(reading: Reading, kit: data.Kit, lang: str, out: Path) -> None:
    context = synthesis_context(reading, kit, lang)
    html = templates.render("synthesis.html", lang=lang, t=kit.t(lang), breakable=breakable, **context)
    html = typography.html(html, lang)  # the kit's words only: participants' text is marked data-verbatim
    (out / "synthese.html").write_text(html, encoding="utf-8")
    weasy.render(html, str(out / "synthese.pdf"), str(paths.HANDOUT_TEMPLATES) + "/", form=False)


# ---- the command ----------------------------------------------------------------------------------------

def main(folder: str, out: str = "", lang: str = addresses.DEFAULT) -> int:
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _main(folder, out, lang)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except data.KitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def settings(folder: str, out: str, lang: str) -> tuple[Path, Path, str]:
    """IN, OUT and LANG, checked before anything is read: (the folder, where to write, the language)."""
    chosen = (lang or addresses.DEFAULT).strip().lower()
    if chosen not in addresses.LANGS:
        raise UsageError(f"LANG={shown(lang)!r} is not a language of the synthesis; the kit speaks "
                         f"{' and '.join(addresses.LANGS)}: leave LANG out for {addresses.DEFAULT}, or LANG=en")
    if not folder:
        raise UsageError("say which folder holds the filled handouts: make collect IN=folder (OUT=… to write elsewhere, LANG=en for English)")
    source = Path(folder).expanduser()
    if not source.is_dir():
        raise UsageError(f"IN={shown(folder)!r} is not a folder; give the folder where the filled PDFs were saved")
    try:
        os.scandir(source).close()
    except OSError as err:
        raise UsageError(f"IN={shown(folder)!r} cannot be opened ({err.strerror}); give a folder this account can read") from None
    target = Path(out).expanduser() if out else DEFAULT_OUT
    _check_out(target, out or str(DEFAULT_OUT.relative_to(paths.ROOT)), source)
    return source, target, chosen


def _check_out(target: Path, given: str, source: Path) -> None:
    """OUT must be a folder, or a place where one can be made, outside IN."""
    try:
        if target.resolve() == source.resolve() or source.resolve() in target.resolve().parents:
            raise UsageError(f"OUT={shown(given)!r} is inside IN: the inputs are never changed; choose another folder")
        existing = next(p for p in (target, *target.parents) if p.exists() or p.is_symlink())
        if not existing.is_dir():
            where = "is a file" if existing == target else f"is inside {shown(str(existing))!r}, which is a file"
            raise UsageError(f"OUT={shown(given)!r} {where}, not a folder: give a folder (made if missing) "
                             "to write synthese.csv, synthese.html and synthese.pdf into")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise UsageError(f"OUT={shown(given)!r} cannot be written: this account may not write in {shown(str(existing))!r}")
    except (OSError, ValueError) as err:
        raise UsageError(f"OUT={shown(given)!r} cannot be used ({getattr(err, 'strerror', None) or err})") from None


def _main(folder: str, out: str, lang: str) -> int:
    source, target, lang = settings(folder, out, lang)
    kit = data.load()
    reading = read(source, kit)
    english = kit.t(CONSOLE)
    for name, reason, detail in reading.not_read:
        print(f"not read: {name}: {english[reason]}" + (f" ({detail})" if detail else ""))
    for a in (a for a in reading.answers if a.long):
        print(f"long answer: {a.file}, {a.worksheet} {a.question}: {english['collect_long']}")
    if not reading.read:
        print(f"No filled handout of the kit was found in {shown(str(source))}; nothing written.", file=sys.stderr)
        return 1
    try:
        target.mkdir(parents=True, exist_ok=True)
        write_csv(reading, target / "synthese.csv")
        write_synthesis(reading, kit, lang, target)
    except OSError as err:
        print(f"error: could not write into {shown(str(target))} ({err.strerror or err})", file=sys.stderr)
        return 1
    print(f"{reading.read} file(s) read: {len(reading.answers)} answer(s) from {len(reading.sheets)} sheet(s); "
          f"{len(reading.not_read)} file(s) or folder(s) not read. Written: {shown(str(target))}/synthese.csv, synthese.html, synthese.pdf")
    return 0
