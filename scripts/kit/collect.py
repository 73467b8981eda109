"""`make collect IN=folder`: the answers written in filled handouts, gathered into one synthesis.

Reads every file of a folder and its sub-folders, one at a time: PDFs filled in any viewer, or
downloaded from a worksheet page, packs included. What each answer is comes from the form itself:
the field's name (`echange-1-q1`, `echange-1-q1-choice`, `echange-1-notes`, `echange-1-group`) and
the PDF's language, never from matching text. Writes, into dist/synthese/ (or OUT):

- `synthese.csv`: UTF-8 with a byte-order mark (Excel shows the accents), one row per answer
  written, columns `file,group,worksheet,lang,question,question_text,answer`;
- `synthese.html` and `synthese.pdf`: in the facilitator's language, grouped by worksheet then
  question, every answer word for word with its group, counts first, then the files not read.

Nothing stops the rest and nothing is lost: a file that is not a PDF, a damaged or encrypted one,
one without the kit's fields, an empty form, a second copy of a file already read: each is named
with its reason. A field the kit no longer has (a sheet from an older version) keeps its answer
and is flagged. Local only: the inputs are read, never changed; nothing goes on the network.
Exit 0 when at least one file was read, 1 when none, 2 when called wrongly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kit import addresses, data, paths, templates, text, typography, weasy

FIELD = re.compile(r"^(?P<sheet>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<part>group|notes|q(?P<number>\d+)(?P<choice>-choice)?)$")
COLUMNS = ["file", "group", "worksheet", "lang", "question", "question_text", "answer"]
DEFAULT_OUT = paths.ROOT / "dist" / "synthese"


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


@dataclass
class Reading:
    answers: list[Answer] = field(default_factory=list)
    sheets: set = field(default_factory=set)  # (file, worksheet) with at least one answer
    not_read: list[tuple[str, str, str]] = field(default_factory=list)  # (file, reason's label, detail)
    read: int = 0


class UsageError(Exception):
    """collect was called wrongly (exit 2)."""


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
    value = node.get("/V")
    if value is None:
        return ""
    if node.get("/FT") == "/Btn":
        state = str(value).lstrip("/")
        if state in ("", "Off"):
            return ""
        options = [str(o) for o in node.get("/Opt", [])]
        if state.isdigit() and int(state) < len(options):
            return options[int(state)]  # WeasyPrint names a radio's states by position, its choices in /Opt
        return state
    return str(value).strip()


def read(folder: Path, kit: data.Kit) -> Reading:
    """Read every file below `folder`, one at a time."""
    from pypdf import PdfReader

    reading, seen = Reading(), {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest in seen:
            reading.not_read.append((name, "collect_duplicate", seen[digest]))
            continue
        seen[digest] = name
        if not raw.lstrip()[:5] == b"%PDF-":
            reading.not_read.append((name, "collect_not_pdf", ""))
            continue
        try:
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted and not reader.decrypt(""):
                reading.not_read.append((name, "collect_encrypted", ""))
                continue
            values = field_values(reader)
            lang = str(reader.trailer["/Root"].get("/Lang") or "")[:2].lower()
        except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on a broken file; one never stops the rest
            reading.not_read.append((name, "collect_damaged", type(err).__name__))
            continue
        kit_fields = {key: value for key, value in values.items() if FIELD.match(key)}
        if not kit_fields:
            reading.not_read.append((name, "collect_no_fields", ""))
            continue
        answers = _answers(name, kit_fields, lang if lang in addresses.LANGS else addresses.DEFAULT, kit)
        if not answers:
            reading.not_read.append((name, "collect_empty", ""))
            continue
        reading.read += 1
        reading.answers += answers
        reading.sheets |= {(name, a.worksheet) for a in answers}
    return reading


def _answers(name: str, fields: dict[str, str], lang: str, kit: data.Kit) -> list[Answer]:
    groups = {}
    for key, value in fields.items():
        match = FIELD.match(key)
        if match["part"] == "group" and value:
            groups[match["sheet"]] = value
    only_group = next(iter(set(groups.values()))) if len(set(groups.values())) == 1 else ""  # one group for a whole pack
    out = []
    for key, value in fields.items():
        match = FIELD.match(key)
        if match["part"] == "group" or not value:
            continue
        sheet = kit.worksheet(match["sheet"])
        question, question_text, known = _question(sheet, match, lang)
        out.append(Answer(name, groups.get(match["sheet"], only_group), match["sheet"], lang, question,
                          question_text if known else kit.t(lang)["collect_unknown"], value, known))
    return out


def _question(sheet, match, lang: str) -> tuple[str, str, bool]:
    """The question an answer belongs to, its text in the file's language, and whether the kit still has it."""
    if match["part"] == "notes":
        return "notes", text.plain(sheet.notes[lang]) if sheet else "", sheet is not None
    number = int(match["number"])
    question = f"{number}-choice" if match["choice"] else str(number)
    if sheet is None or number > len(sheet.questions) or (match["choice"] and not sheet.scale):
        return question, "", False
    return question, text.plain(sheet.questions[number - 1][lang]), True


# ---- writing the synthesis ------------------------------------------------------------------------------

def write_csv(reading: Reading, target: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in reading.answers:
        writer.writerow([a.file, a.group, a.worksheet, a.lang, a.question, a.question_text, a.answer])
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
                              "text": _question(sheet, FIELD.match(f"{sheet_id}-{'notes' if key == 'notes' else 'q' + key}"), lang)[1]
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
    html = templates.render("synthesis.html", lang=lang, t=kit.t(lang), **context)
    html = typography.html(html, lang)
    (out / "synthese.html").write_text(html, encoding="utf-8")
    weasy.render(html, str(out / "synthese.pdf"), str(paths.HANDOUT_TEMPLATES) + "/")


def main(folder: str, out: str = "", lang: str = "fr") -> int:
    try:
        return _main(folder, out, lang)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except data.KitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def _main(folder: str, out: str, lang: str) -> int:
    if not folder:
        raise UsageError("say which folder holds the filled handouts: make collect IN=folder (OUT=… to write elsewhere, LANG=en for English)")
    source = Path(folder).expanduser()
    if not source.is_dir():
        raise UsageError(f"IN={folder!r} is not a folder; give the folder where the filled PDFs were saved")
    lang = lang if lang in addresses.LANGS else addresses.DEFAULT
    target = Path(out).expanduser() if out else DEFAULT_OUT
    if target.resolve() == source.resolve() or source.resolve() in target.resolve().parents:
        raise UsageError(f"OUT={str(target)!r} is inside IN: the inputs are never changed; choose another folder")
    kit = data.load()
    reading = read(source, kit)
    english = kit.t("en")
    for name, reason, detail in reading.not_read:
        print(f"not read: {name}: {english[reason]}" + (f" ({detail})" if detail else ""))
    if not reading.read:
        print(f"No filled handout of the kit was found in {source}; nothing written.", file=sys.stderr)
        return 1
    target.mkdir(parents=True, exist_ok=True)
    write_csv(reading, target / "synthese.csv")
    write_synthesis(reading, kit, lang, target)
    print(f"{reading.read} file(s) read: {len(reading.answers)} answer(s) from {len(reading.sheets)} "
          f"sheet(s); {len(reading.not_read)} file(s) not read. Written: {target}/synthese.csv, synthese.html, synthese.pdf")
    return 0
