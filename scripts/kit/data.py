"""The data files of data/, described by a schema (pydantic) and read once per build.

Each file holds one kind of fact, once, in both languages: the worksheets, the glossary, the
source documents, the corrections made to them, the curated references, the interface labels,
the redirects of moved addresses, the terminology of the English pages, the day and the
handouts (their publisher, what each pack holds). Pages and handouts
are rendered from what `load()` returns, never from hand-copied lists.

`load()` reads every file the first time, then again only when one of them changed (its
modification time or size): a build asks for the data from every hook and page, and both
languages share one reading. What it returns is frozen: nobody can change it for the others.

Refuses, with the file, the line, the entry and the field, and what to do:
- a file that is not UTF-8, YAML that does not parse, a key written twice in a mapping, YAML
  anchors and aliases (&name, *name: refused before they are expanded);
- a missing field, an unknown field (at any depth), a value of the wrong type;
- a French text without its English, an empty text, raw HTML in a text, a link in data text
  (found by Python-Markdown itself) that does not lead to another host (it would break in a PDF)
  or uses a scheme other than http:, https: and mailto: (javascript:, data:…, in any spelling);
- a worksheet's summary (« En bref ») that breaks the plain-language rules of kit.summary: fewer
  than five or more than eight sentences, a sentence over 20 words, an acronym;
- ids, terms and acronyms written twice; ids and addresses that are not slugs (they become
  file names: nothing may climb out of site/);
- a worksheet id the kit already uses for its own files or addresses (index, pdf, projection,
  a pack's id, an id ending in a paper size or an edition: addresses.reserved);
- a worksheet missing from data/worksheets/index.yml or listed twice, a source document or a
  seed file that does not exist, a terminology pattern that is not a regular expression;
- a worksheet copied from data/worksheets/_template.yml and left with one of its placeholders
  (`"<<what to write here>>"`): each is named with its line and field, and what to write there.
- in data/handouts.yml, a pack the kit does not publish or one left out (packs are named in
  their addresses: addresses.AUDIENCES).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import yaml
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, RootModel, ValidationError, create_model, field_validator,
                      model_validator)
from pydantic_core import PydanticCustomError

from kit import addresses, paths, summary, text, textfile


KitError = textfile.KitError  # where every content mistake is raised from; `data.KitError` for callers
read_text = textfile.read_text


def _loader_class():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """The parsed YAML and its node tree (for line numbers)."""
    source = read_text(path)
    loader = _loader_class()(source)
    try:
        _refuse_anchors(source, path)
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise KitError(f"{paths.rel(path)}{where}: not valid YAML ({getattr(err, 'problem', None) or err}); "
                       "fix the syntax (quote a text that contains ': ' or starts with a quotation mark).") from None
    finally:
        loader.dispose()
    _refuse_repeated_keys(node, path)
    return value, node


@functools.lru_cache(maxsize=64)  # every file is checked first, then again as it is read: once is enough
def _refuse_anchors(source: str, path: Path) -> None:
    """Refuse YAML anchors (&name) and aliases (*name), read as parser events before anything is
    built: the kit's data repeats nothing, and an alias of an alias of an alias ("billion laughs")
    would take hours to walk."""
    for event in yaml.parse(source, Loader=_loader_class()):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise KitError(f"{paths.rel(path)}:{event.start_mark.line + 1}: YAML {'alias' if sign == '*' else 'anchor'} "
                           f"'{sign}{event.anchor}' is not allowed in the kit's data; write the text out in full "
                           "(no & or * before a name).")


def _refuse_anchors_in_every_file(data_dir: Path) -> None:
    """Every data file with an anchor or alias named at once (not one per build)."""
    problems = []
    for path in sorted(data_dir.rglob("*.yml")):
        try:
            _refuse_anchors(read_text(path), path)
        except KitError as err:
            problems.append(str(err))
        except yaml.YAMLError:
            continue  # reported with its line when the file is read
    if problems:
        raise KitError("\n".join(problems))


def _refuse_repeated_keys(node, path: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key, value in node.value:
            name = getattr(key, "value", None)
            if name in seen:
                raise KitError(f"{paths.rel(path)}:{key.start_mark.line + 1}: the key '{name}' is written twice in the "
                               f"same mapping (first on line {seen[name]}); keep one.")
            seen[name] = key.start_mark.line + 1
            _refuse_repeated_keys(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_repeated_keys(item, path)


# ---- the kinds of values ----------------------------------------------------------------------

def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty; write the text")
    found = text.html_in(value)
    if found:
        raise ValueError(f"contains HTML ({found!r}…); write plain text, with Markdown for emphasis "
                         "(*word*, **word**) and [links](https://…)")
    forbidden = text.forbidden_link_in(value)
    if forbidden:
        raise ValueError(forbidden)
    return value


def _slug(value: str) -> str:
    if not addresses.SLUG.match(value):
        raise ValueError(f"is {value!r}; use lowercase letters, digits and hyphens only (it becomes an address)")
    return value


def _address(value: str) -> str:
    path, _, anchor = value.partition("#")
    if not addresses.is_slug_path(path) or (anchor and not addresses.SLUG.match(anchor)):
        raise ValueError(f"is {value!r}; write an address of the site such as 'cas-charlevoix/' or 'concertation/#credits' "
                         "(lowercase letters, digits, hyphens and /; no '..')")
    return value


def _page_link(value: str) -> str:
    path, _, anchor = value.partition("#")
    if not re.fullmatch(r"[a-z0-9/-]+\.md", path) or ".." in path or (anchor and not addresses.SLUG.match(anchor)):
        raise ValueError(f"is {value!r}; name a page of docs/ in French, such as 'concertation.md#faire-le-point'")
    return value


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"is not a regular expression ({err})") from None
    return value


Text = Annotated[str, AfterValidator(_text)]
Slug = Annotated[str, AfterValidator(_slug)]
Address = Annotated[str, AfterValidator(_address)]
PageLink = Annotated[str, AfterValidator(_page_link)]
Pattern = Annotated[str, AfterValidator(_pattern)]
DocumentId = Annotated[str, Field(pattern=r"^\d{3}$")]


class Model(BaseModel):
    """Every mapping of the data: unknown keys refused, no silent conversion, frozen once read."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Languages(Model):
    """A model with one field a language, named by its code ("fr", "en": addresses.LANGS), read as
    `model[lang]`. Made by `in_every_language`: the languages are written in addresses.py only."""

    def __getitem__(self, lang: str):
        return getattr(self, lang)


def in_every_language(name: str, kind, doc: str, base: type[Languages] = Languages,
                      optional: tuple[str, ...] = (), **fields) -> type[Languages]:
    """The model `name`: a field of type `kind` for each language of addresses.LANGS (those in
    `optional` may be left out), then `fields` (pydantic's (type, default) pairs)."""
    per_language = {lang: (Optional[kind], None) if lang in optional else (kind, ...) for lang in addresses.LANGS}
    return create_model(name, __base__=base, __doc__=doc, __module__=__name__, **per_language, **fields)


Bilingual = in_every_language("Bilingual", Text, "A text in every language.")
Gloss = in_every_language("Gloss", Text, "A text in the translations' language, with the original's when the source "
                          "gives one (an English gloss of a French title).", optional=(addresses.DEFAULT,))


# ---- worksheets ---------------------------------------------------------------------------------

Question = in_every_language(
    "Question", Text, "A worksheet's question, in every language.",
    plain=(Optional[Bilingual], None),  # the kit's plain rewording, shown after the source's words
    lines=(int, Field(ge=1, le=30, description="ruled lines to write on")))


class _SameChoices(Languages):
    @model_validator(mode="after")
    def _same_length(self):
        counts = {lang: len(self[lang]) for lang in addresses.LANGS}
        if len(set(counts.values())) > 1:
            listed = " and ".join(f"{count} {addresses.NAMES[lang]}" for lang, count in counts.items())
            raise ValueError(f"lists {listed} choices; give the same number")
        return self


Scale = in_every_language("Scale", Annotated[list[Text], Field(min_length=2)], "Choices offered for each question "
                          "(radio buttons), e.g. Oui / En partie / Pas encore.", base=_SameChoices)


class _PlainWords(Languages):
    @field_validator(*addresses.LANGS, check_fields=False)
    @classmethod
    def _plain_words(cls, sentences: list[str]) -> list[str]:
        found = summary.problems(sentences)
        if found:
            raise ValueError("; ".join(found))
        return sentences


Summary = in_every_language("Summary", list[Text], "The kit's own summary in plain words (« En bref »): five to eight "
                            "short sentences a language.", base=_PlainWords)


class Worksheet(Model):
    id: Slug
    source: DocumentId
    page: PageLink
    title: Bilingual
    description: Bilingual  # one or two sentences: the page's link preview and its line on /liens/
    participants: Bilingual
    duration: int = Field(gt=0, description="suggested duration in minutes")
    summary: Summary
    context: Bilingual
    questions: list[Question] = Field(min_length=1)
    facilitator: Bilingual
    answer: Optional[Bilingual] = None  # the source's own answer, folded on the page: to open after the discussion
    notes: Bilingual
    scale: Optional[Scale] = None
    counter: Literal["question", "item"] = "question"  # what the projection counts: "Question 2 / 3" or "Point 2 / 8"


class WorksheetOrder(Model):
    order: list[Slug] = Field(min_length=1)


# ---- glossary -------------------------------------------------------------------------------------

Acronym = Annotated[str, Field(pattern=r"^[A-ZÀ-Ý0-9][A-ZÀ-Ý0-9&.-]*s?$")]


class Term(Model):
    term: Text
    expansion: Optional[Text] = None
    also: list[Acronym] = []
    definition: Text

    @model_validator(mode="after")
    def _also_needs_expansion(self):
        if self.also and not self.expansion:
            raise ValueError("'also' lists other spellings of an acronym: give the acronym its 'expansion' too")
        return self

    def acronyms(self) -> list[str]:
        return [self.term, *self.also] if self.expansion else []


GlossaryEntry = in_every_language(
    "GlossaryEntry", Term, "An entry of the glossary: its term in every language.",
    id=(Slug, ...), see=(Optional[PageLink], None),
    in_pack=(bool, False))  # a key term that opens the participants' pack


class Glossary(Model):
    entries: list[GlossaryEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        _unique_values(self.entries, lambda e: [e.id], "id")
        for lang in addresses.LANGS:
            _unique_values(self.entries, lambda e, lang=lang: [e[lang].term], f"{lang}.term", key=str.casefold)
            _unique_values(self.entries, lambda e, lang=lang: e[lang].acronyms(), f"{lang} acronym")
        return self


def _unique_values(entries, values, what: str, key=lambda value: value) -> None:
    """Refuse a value (id, term, acronym) given twice; the error points at the entry where it comes again."""
    owner = {}
    for index, entry in enumerate(entries):
        for value in values(entry):
            first = owner.get(key(value))
            if first is not None:
                where = "twice in this entry" if first == index else f"also in entry '{entries[first].id}'"
                raise PydanticCustomError("duplicate", "{what} {value} is {where}; keep it in one place",
                                          {"what": what, "value": repr(value), "where": where, "index": index})
            owner[key(value)] = index


# ---- sources, corrections, references -------------------------------------------------------------

class Document(Model):
    id: DocumentId
    file: Annotated[str, Field(pattern=r"^[\w.-]+\.txt$")]
    title: Bilingual
    kind: Bilingual
    date: Bilingual
    summary: Bilingual


class Sources(Model):
    documents: list[Document] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        _unique_values(self.documents, lambda d: [d.id], "id")
        return self


class Correction(Model):
    seeds: list[DocumentId] = Field(min_length=1)
    wrong: Text
    wrong_note: Optional[Bilingual] = None  # said after the source text, in brackets (e.g. "lien vide")
    right: Optional[Text] = None
    note: Optional[Bilingual] = None

    @model_validator(mode="after")
    def _right_or_note(self):
        if self.right is None and self.note is None:
            raise ValueError("give 'right' (the corrected text) or a 'note' explaining why it is left as it is")
        return self


class Corrections(Model):
    corrections: list[Correction] = Field(min_length=1)


class Reference(Model):
    type: Bilingual
    title: Text
    author: Optional[Text] = None
    year: Optional[int] = None
    part: Optional[Bilingual] = None
    container: Optional[Text] = None
    publisher: Optional[Text] = None
    use: Optional[Gloss] = None
    note: Optional[Bilingual] = None


class ReferenceGroup(Model):
    id: Slug
    title: Bilingual
    entries: list[Reference] = Field(min_length=1)


class References(Model):
    groups: list[ReferenceGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        _unique_values(self.groups, lambda g: [g.id], "id")
        return self


# ---- labels, redirects, terminology ---------------------------------------------------------------

LabelKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Labels(RootModel[dict[LabelKey, Bilingual]]):
    """Every word of the interface that the code writes (headings, buttons, field labels…)."""

    model_config = ConfigDict(strict=True, frozen=True)

    def of(self, lang: str) -> dict[str, str]:
        return {key: pair[lang] for key, pair in self.root.items()}


class Redirects(Model):
    redirects: dict[Address, Address] = {}


TermRow = in_every_language("TermRow", Text, "A recurring term in every language, and the renderings ruled out.",
                            avoid=(list[Pattern], []), note=(Optional[Bilingual], None))


class Terminology(Model):
    terms: list[TermRow] = Field(min_length=1)


# ---- the day (/deroulement/) ----------------------------------------------------------------------

Clock = Annotated[str, Field(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$")]
BlockKind = Annotated[str, Field(pattern=r"^(?:welcome|talk|plenary|break|meal|closing)$")]


class DayBlock(Model):
    """A block of the planned day: a worksheet (its title and duration from its file), or a moment
    with its own id, kind, title and duration."""

    worksheet: Optional[Slug] = None
    id: Optional[Slug] = None
    kind: Optional[BlockKind] = None
    title: Optional[Bilingual] = None
    duration: Optional[int] = Field(default=None, gt=0, le=600, description="minutes")
    suggested: bool = False

    @model_validator(mode="after")
    def _worksheet_or_moment(self):
        moment = (self.id, self.kind, self.title, self.duration)
        if self.worksheet is not None and any(v is not None for v in moment):
            raise ValueError("a worksheet block has only 'worksheet' (its title and duration come from its file)")
        if self.worksheet is None and any(v is None for v in moment):
            raise ValueError("give either 'worksheet: ID' or all of 'id', 'kind', 'title' and 'duration'")
        return self

    @property
    def key(self) -> str:
        """The block's name in the plan's address: the worksheet's id or the moment's."""
        return self.worksheet or self.id


class Day(Model):
    """The day the planner shows first: the guide's, block by block."""

    start: Clock
    groups: int = Field(ge=1, le=50)
    participants: int = Field(ge=1, le=500)
    large_print: int = Field(ge=0, le=500)
    blocks: list[DayBlock] = Field(min_length=1)


# ---- the handouts (data/handouts.yml) ----------------------------------------------------------------

class Pack(Model):
    """What one pack of handouts holds."""

    definitions: bool  # opens with the key terms and every acronym of its worksheets
    facilitator_notes: bool  # each worksheet with its notes for facilitators
    answer_lines: int = Field(ge=1, le=30, description="the most ruled lines a question gets")
    notes_lines: int = Field(ge=1, le=30, description="ruled lines under a worksheet's notes")


class Handouts(Model):
    """Who publishes the handouts, and what each pack holds (its id is in its addresses: addresses.AUDIENCES)."""

    publisher: Bilingual
    packs: dict[str, Pack]

    @field_validator("packs")
    @classmethod
    def _every_pack(cls, packs: dict) -> dict:
        unknown = [name for name in packs if name not in addresses.AUDIENCES]
        missing = [name for name in addresses.AUDIENCES if name not in packs]
        if unknown or missing:
            said = [f"names {', '.join(unknown)}, which the kit does not publish" if unknown else "",
                    f"leaves out {', '.join(missing)}" if missing else ""]
            raise ValueError(f"{' and '.join(filter(None, said))}: list exactly the packs the kit publishes, "
                             f"{' and '.join(addresses.AUDIENCES)} (their ids are in published addresses)")
        return packs


# ---- the whole ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kit:
    """Everything the data files say, checked."""

    worksheets: tuple[Worksheet, ...]
    glossary: tuple[GlossaryEntry, ...]
    documents: dict[str, Document]
    corrections: tuple[Correction, ...]
    references: tuple[ReferenceGroup, ...]
    labels: Labels
    redirects: dict[str, str]
    terminology: tuple[TermRow, ...]
    day: Day
    handouts: Handouts

    def worksheet(self, sheet_id: str) -> Worksheet | None:
        return next((sheet for sheet in self.worksheets if sheet.id == sheet_id), None)

    def t(self, lang: str) -> dict[str, str]:
        """The interface labels in one language (a copy: every page's templates ask for them)."""
        return dict(self._labels_by_lang[lang])

    @functools.cached_property
    def _labels_by_lang(self) -> dict[str, dict[str, str]]:
        return {lang: self.labels.of(lang) for lang in addresses.LANGS}

    def abbreviations(self, lang: str) -> dict[str, str]:
        """Every acronym of the glossary and its expansion, in one language (the tooltips)."""
        return {acronym: entry[lang].expansion for entry in self.glossary for acronym in entry[lang].acronyms()}


FILES = {  # file: the model describing it
    "glossary.yml": Glossary,
    "sources.yml": Sources,
    "corrections.yml": Corrections,
    "references.yml": References,
    "labels.yml": Labels,
    "redirects.yml": Redirects,
    "terminology.yml": Terminology,
    "worksheets/index.yml": WorksheetOrder,
    "day.yml": Day,
    "handouts.yml": Handouts,
}


def load(data_dir: Path = paths.DATA) -> Kit:
    """Every data file, checked; read again only when a file changed."""
    data_dir = Path(data_dir)
    stamps = tuple((p.name, s.st_mtime_ns, s.st_size) for p in sorted(data_dir.rglob("*.yml")) for s in [p.stat()])
    return _load(data_dir, stamps)


@functools.lru_cache(maxsize=4)
def _load(data_dir: Path, stamps: tuple) -> Kit:
    _refuse_anchors_in_every_file(data_dir)
    _refuse_a_worksheet_as_the_order(data_dir / "worksheets" / "index.yml")
    parsed = {name: parse(data_dir / name, model) for name, model in FILES.items()}
    sources = parsed["sources.yml"]
    documents = {doc.id: doc for doc in sources.documents}
    for doc in sources.documents:
        if not (data_dir / "seeds" / doc.file).exists():
            raise KitError(f"{paths.rel(data_dir / 'sources.yml')}: document '{doc.id}': field 'file' names "
                           f"data/seeds/{doc.file}, which does not exist; copy the source text there or fix the name.")
    for n, item in enumerate(parsed["corrections.yml"].corrections, 1):
        unknown = [seed for seed in item.seeds if seed not in documents]
        if unknown:
            raise KitError(f"{paths.rel(data_dir / 'corrections.yml')}: correction {n}: field 'seeds' names {', '.join(unknown)}, "
                           f"not a document of data/sources.yml ({', '.join(documents)}).")
    worksheets = tuple(_worksheets(data_dir / "worksheets", parsed["worksheets/index.yml"].order, documents))
    _check_day(parsed["day.yml"], worksheets, data_dir / "day.yml")
    return Kit(
        worksheets=worksheets,
        glossary=tuple(parsed["glossary.yml"].entries),
        documents=documents,
        corrections=tuple(parsed["corrections.yml"].corrections),
        references=tuple(parsed["references.yml"].groups),
        labels=parsed["labels.yml"],
        redirects=dict(parsed["redirects.yml"].redirects),
        terminology=tuple(parsed["terminology.yml"].terms),
        day=parsed["day.yml"],
        handouts=parsed["handouts.yml"],
    )


def _check_day(day: Day, worksheets, path: Path) -> None:
    """Every worksheet block names a worksheet; no block comes twice; a moment's id is not a worksheet's."""
    known = {sheet.id for sheet in worksheets}
    seen = set()
    for number, block in enumerate(day.blocks, 1):
        if block.worksheet is not None and block.worksheet not in known:
            raise KitError(f"{paths.rel(path)}: block {number}: 'worksheet: {block.worksheet}' names no worksheet; "
                           f"use one of {', '.join(sorted(known))}.")
        if block.id is not None and block.id in known:
            raise KitError(f"{paths.rel(path)}: block {number}: id '{block.id}' is a worksheet's id; "
                           f"write '- worksheet: {block.id}' or choose another id.")
        if block.key in seen:
            raise KitError(f"{paths.rel(path)}: block {number}: '{block.key}' comes twice in 'blocks'; keep it once "
                           "(two breaks need two ids).")
        seen.add(block.key)


def _refuse_a_worksheet_as_the_order(index: Path) -> None:
    """A worksheet written over index.yml (the id 'index' given to a new worksheet): say that the id
    is the cause, rather than blame the fields of the file."""
    value, _ = read_yaml(index)
    if isinstance(value, dict) and ("questions" in value or "id" in value):
        raise KitError(f"{paths.rel(index)} holds a worksheet (id {value.get('id')!r}) instead of the order of the "
                       f"worksheets: the id 'index' is reserved ({addresses.reserved('index')}). Restore the file "
                       f"(git checkout data/worksheets/index.yml {' '.join(_list_pages())}) and "
                       "give the new worksheet another id.")


def _list_pages() -> list[str]:
    """The worksheets' list page in every language: docs/fiches/index.md, docs/fiches/index.en.md."""
    return ["docs/" + addresses.source("fiches/index.md", lang) for lang in addresses.LANGS]


def _refuse_reserved_ids(index: str, order: list[str]) -> None:
    for sheet_id in order:
        reason = addresses.reserved(sheet_id)
        if reason:
            raise KitError(f"{index}: the worksheet id '{sheet_id}' is reserved: {reason}. The id is the cause: "
                           f"choose another one (rename data/worksheets/{sheet_id}.yml, its field 'id' and its line here).")


def _worksheets(folder: Path, order: list[str], documents: dict) -> list[Worksheet]:
    index = paths.rel(folder / "index.yml")
    _refuse_reserved_ids(index, order)
    files = {p.stem for p in folder.glob("*.yml")} - set(addresses.OWN_FILES)
    repeated = sorted({sheet_id for sheet_id in order if order.count(sheet_id) > 1})
    if repeated:
        raise KitError(f"{index}: 'order' lists {', '.join(repeated)} more than once; list each worksheet once.")
    missing = [sheet_id for sheet_id in order if sheet_id not in files]
    if missing:
        raise KitError(f"{index}: 'order' lists {', '.join(missing)} but there is no such file in {paths.rel(folder)}; "
                       "create it from _template.yml or remove the line.")
    unlisted = sorted(files - set(order))
    if unlisted:
        raise KitError(f"{paths.rel(folder)}: {', '.join(f + '.yml' for f in unlisted)} not listed in index.yml 'order'; add it there.")
    sheets = []
    for sheet_id in order:
        path = folder / f"{sheet_id}.yml"
        _refuse_placeholders(path)
        sheet = parse(path, Worksheet)
        if sheet.id != sheet_id:
            raise KitError(f"{paths.rel(path)}: field 'id' is {sheet.id!r}; it must equal the file name '{sheet_id}'.")
        if sheet.source not in documents:
            raise KitError(f"{paths.rel(path)}: field 'source' is {sheet.source!r}, not a document of data/sources.yml; "
                           f"use one of {', '.join(documents)}.")
        sheets.append(sheet)
    return sheets


PLACEHOLDER = re.compile(r"<<(.+?)>>", re.S)  # in _template.yml, each value to write: "<<what to write here>>"


def _refuse_placeholders(path: Path) -> None:
    """A worksheet left with placeholders of the template: every one named, with its line and
    field and what to write there (the placeholder's own words, the template being their one place)."""
    _, node = read_yaml(path)
    left = [f"{paths.rel(path)}:{value.start_mark.line + 1}: field '{field}' still holds the template's placeholder; "
            f"write there {match.group(1).strip()}."
            for field, value in _scalars(node, "") if (match := PLACEHOLDER.search(str(value.value)))]
    if left:
        raise KitError("\n".join(left))


def _scalars(node, field: str):
    """(field, scalar node) of every value in a YAML node tree; fields as "summary.fr[2]", counted from 1."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, f"{field}.{key.value}" if field else str(key.value))
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value, 1):
            yield from _scalars(item, f"{field}[{number}]")
    elif isinstance(node, yaml.ScalarNode):
        yield field, node


# ---- friendly errors ------------------------------------------------------------------------------

SINGULAR = {"entries": "entry", "questions": "question", "groups": "group", "blocks": "block", "documents": "document",
            "corrections": "correction", "terms": "term", "order": "item",
            **{lang: "choice" for lang in addresses.LANGS}}  # the items of a scale's list in one language
MAPPINGS = {"redirects": "redirect"}  # fields whose keys are data, not field names
KINDS = {"string_type": "a text", "list_type": "a list", "int_type": "a whole number", "model_type": "a mapping of fields",
         "dict_type": "a mapping", "bool_type": "true or false", "model_attributes_type": "a mapping of fields"}


def parse(path: Path, model: type[BaseModel]):
    """One data file, read and checked against its model; a mistake raises KitError."""
    value, node = read_yaml(path)
    if value is None:
        value = {}
    try:
        return model.model_validate(value)
    except ValidationError as err:  # unknown keys first: a misspelt field also shows as a missing one
        errors = sorted(err.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
        messages = list(dict.fromkeys(describe(e, path, value, node, model) for e in errors[:3]))
        raise KitError("\n".join(messages)) from None


def describe(error: dict, path: Path, value, node, model) -> str:
    """One pydantic error as a sentence: file:line: entry: field '…' …; what to do."""
    loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith(("function-", "constrained-")))]
    kind = error["type"]
    where, field, raw = [], [], value
    for i, part in enumerate(loc):
        if isinstance(part, int):
            parent = loc[i - 1] if i else ""
            name = "sentence" if "summary" in loc[:i] else SINGULAR.get(parent, "item")
            item = raw[part] if isinstance(raw, list) and part < len(raw) else None
            label = f"{name} '{item['id']}'" if isinstance(item, dict) and isinstance(item.get("id"), str) else f"{name} {part + 1}"
            where, field = where + [label], []
            raw = item
        else:
            field.append(str(part))
            raw = raw.get(part) if isinstance(raw, dict) else None
    if loc and loc[0] in MAPPINGS and len(loc) > 1:  # a key of a free mapping (an old address of redirects.yml)
        where, field = [f"{MAPPINGS[loc[0]]} '{loc[1]}'"], []
        loc = loc[:2] if "[key]" not in loc else loc[:1]
    index = (error.get("ctx") or {}).get("index")
    if index is not None and isinstance(value, dict):  # a check over all entries: point at the one where it comes again
        list_key = next((k for k, v in value.items() if isinstance(v, list)), None)
        if list_key is not None and index < len(value[list_key]):
            item = value[list_key][index]
            label = f"'{item['id']}'" if isinstance(item, dict) and isinstance(item.get("id"), str) else str(index + 1)
            loc, where = [list_key, index], [f"{SINGULAR.get(list_key, 'item')} {label}"]
    line = _line(node, loc, missing=kind == "missing")
    name = ".".join(field)
    if kind == "missing":
        what = f"field '{name}' is missing; add it" + (" (see data/worksheets/_template.yml)" if model is Worksheet else "")
    elif kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        what = f"'{name}' is not a field here; remove it or fix its spelling" + (f" (fields: {', '.join(known)})" if known else "")
    elif kind in KINDS:
        found = type(error.get("input")).__name__
        found = {"str": "a text", "list": "a list", "dict": "a mapping", "int": "a number", "NoneType": "empty"}.get(found, found)
        what = f"field '{name}' must be {KINDS[kind]} (it is {found})"
        if kind == "list_type" and isinstance(error.get("input"), str):
            what += f"; write it as a list: [{error['input']}]"
    else:
        message = error["msg"].removeprefix("Value error, ")
        what = f"field '{name}' {message}" if name else message
    place = f"{paths.rel(path)}:{line}" if line else paths.rel(path)
    return f"{place}: {', '.join(where) + ': ' if where else ''}{what}."


def _line(node, loc, missing: bool) -> int | None:
    """The line of the value at `loc` in the YAML node tree (for a missing field, its mapping's)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _known_fields(model, loc) -> list[str]:
    """The fields a model allows at a location (for an unknown field's message)."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            inner = getattr(candidate, "__args__", (candidate,))
            for option in (candidate, *inner):
                if isinstance(option, type) and issubclass(option, BaseModel):
                    model = option
                    break
    return list(getattr(model, "model_fields", {}))
