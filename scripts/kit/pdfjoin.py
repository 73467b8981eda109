"""Join tagged, fillable PDFs (WeasyPrint, pdf/ua-1, pdf_forms) into one PDF.

``join(parts, target, title=..., lang=...)`` copies every part, in order, into
``target`` and keeps what makes each part accessible and fillable:

* pages, unchanged (content streams, fonts and resources are copied as they are;
  each part keeps its own fonts);
* one /AcroForm with every field of every part (values, /T, /TU, /DA, radio
  groups with their /Kids), the parts' /DR merged and /NeedAppearances true;
* one /StructTreeRoot whose /K is a single /Document element holding each
  part's top-level elements in order (the kids of the part's own /Document),
  with the /ParentTree renumbered: each part's keys, its pages' /StructParents
  and its annotations' /StructParent are shifted by the same per-part offset;
  a part whose language differs from ``lang`` gets its /Lang on its elements;
  elements WeasyPrint 70 forgets to list in its /Document's /K (those of page
  margin boxes: running title, URL, page number) are put back there, after
  the elements of their page, so that a walk of the tree finds all content;
* catalog /Lang, /MarkInfo, /ViewerPreferences /DisplayDocTitle, document info
  and XMP metadata (dc:title, pdfuaid:part 1) for the new title; author,
  subject, keywords, creator and producer are taken from the first part;
* an outline with one entry per part (the part's /Title, its first page), the
  part's own bookmarks nested (closed) below it;
* named destinations, merged (the first part defining a name wins); links and
  bookmarks inside a part are rewritten to explicit destinations so that a
  name defined by two parts cannot send a link to the wrong part.

Memory stays flat as parts grow: objects are written to the file as soon as
they are copied (this module writes the PDF itself, with pypdf only reading
the parts and serialising single objects); across parts it keeps only small
integer tables (object offsets, page and field numbers, /ParentTree entries),
the field names, the merged /DR, the named destinations and a digest per
stream.  Streams without references that are byte-identical in several parts
(the full font WeasyPrint embeds for form fields, in every part) are written
once; other objects go into compressed object streams.

Why this module writes the file and copies objects itself, rather than through pypdf's
PdfWriter (``_add_object``, ``clone``): measured on the kit's handouts (pypdf 7.1), PdfWriter
writes neither object streams nor a cross-reference stream, so the same pack weighed 2.3 times
as much (eight worksheets: 421 KB against 186 KB) for the same joining time, and it holds
every object of the pack until it writes, where this writer keeps integers (+10 MiB on 19 pages,
growing with the pack). ``clone`` follows every reference at once (a page's /Parent, an
element's /P: the part's whole page tree and structure root) and has no place to shift
/StructParents or rewrite named destinations. pikepdf writes object streams but would add
qpdf, Pillow and lxml (47 MB) and needs Python 3.11. tests/test_pdfjoin.py checks the weight.

The target is written to a temporary file beside it and renamed into place,
so an interrupted join never leaves a truncated target.

It refuses (ValueError): an empty list of parts; encrypted parts; untagged
parts (no /StructTreeRoot); two parts defining the same field name (answers
would be mixed); conflicting /RoleMap or /ClassMap entries; and parts using
features it cannot merge faithfully (catalog entries other than those above,
e.g. /OCProperties, /PageLabels or /Names /EmbeddedFiles; a structure tree
with an /IDTree; AcroForm entries other than /Fields, /DR, /DA, /Q,
/NeedAppearances, e.g. /XFA or /CO).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import zlib
from array import array
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

# What a part may contain. Anything else is refused rather than silently lost.
CATALOG_KEYS = {"/Type", "/Pages", "/AcroForm", "/Outlines", "/Lang", "/Names", "/Dests",
                "/StructTreeRoot", "/ViewerPreferences", "/MarkInfo", "/Metadata",
                # harmless to drop:
                "/PageMode", "/PageLayout", "/OpenAction", "/Version"}
NAMES_KEYS = {"/Dests"}
STRUCT_ROOT_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap", "/ClassMap"}
ACROFORM_KEYS = {"/Fields", "/DR", "/DA", "/Q", "/NeedAppearances"}
# Page attributes a page may inherit from its /Pages ancestors.
INHERITED_PAGE_KEYS = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
# A name token in a content-stream fragment such as a /DA string: "/KQADOO 10 Tf".
NAME_TOKEN = re.compile(r"/[^\s/\[\]()<>{}%]+")
INFO_KEYS_KEPT = ("/Author", "/Subject", "/Keywords", "/Creator", "/Producer")


def join(parts: list[Path], target: Path, *, title: str, lang: str) -> int:
    """Join tagged fillable PDFs into target; return the page count."""
    parts = [Path(part) for part in parts]
    if not parts:
        raise ValueError("no parts to join")
    target = Path(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # os.open applies the umask, so the result gets ordinary file permissions.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb", buffering=1 << 20) as file:
            pages = _Joiner(file, title, lang).run(parts)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return pages


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)


def _key(reference: IndirectObject) -> tuple[int, int]:
    return reference.idnum, reference.generation


class _Writer:
    """Write numbered objects straight to the file; remember only where they went.

    Streams are written at once; other objects are packed, 200 at a time, into
    compressed object streams, indexed at the end by a cross-reference stream.
    """

    BATCH = 200

    def __init__(self, file):
        self.file = file
        self.where = array("q", [0])  # file offset, or the object stream holding it
        self.index = array("i", [-1])  # position in that object stream, or -1
        self.batch: list[tuple[int, bytes]] = []
        self.streams: dict[bytes, IndirectObject] = {}  # shared streams by content
        file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> IndirectObject:
        self.where.append(-1)
        self.index.append(-1)
        return _ref(len(self.where) - 1)

    def write(self, reference: IndirectObject, obj) -> None:
        if isinstance(obj, StreamObject):  # streams cannot go into object streams
            self._write_now(reference.idnum, obj)
            return
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        self.batch.append((reference.idnum, buffer.getvalue()))
        if len(self.batch) >= self.BATCH:
            self._flush()

    def add(self, obj) -> IndirectObject:
        reference = self.reserve()
        self.write(reference, obj)
        return reference

    def _write_now(self, number: int, obj) -> None:
        self.where[number] = self.file.tell()
        self.file.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.file)
        self.file.write(b"\nendobj\n")

    def _flush(self) -> None:
        if not self.batch:
            return
        container = self.reserve().idnum
        header, offset = [], 0
        for position, (number, data) in enumerate(self.batch):
            self.where[number], self.index[number] = container, position
            header.append(b"%d %d" % (number, offset))
            offset += len(data) + 1
        header = b" ".join(header) + b"\n"
        stream = StreamObject()
        stream._data = zlib.compress(header + b"\n".join(data for _, data in self.batch))
        stream.update(_dict(Type=NameObject("/ObjStm"), N=NumberObject(len(self.batch)),
                            First=NumberObject(len(header)), Filter=NameObject("/FlateDecode")))
        self.batch = []
        self._write_now(container, stream)

    def finish(self, root: IndirectObject, info: IndirectObject, file_id: bytes) -> None:
        self._flush()
        xref = self.reserve().idnum
        self.where[xref] = offset = self.file.tell()
        if -1 in self.where:
            raise RuntimeError(f"pdfjoin bug: object {self.where.index(-1)} never written")
        width = max(1, (offset.bit_length() + 7) // 8)
        rows = [b"\x00" + bytes(width) + b"\xff\xff"]  # object 0: head of the free list
        for where, index in zip(self.where[1:], self.index[1:]):
            if index < 0:
                rows.append(b"\x01" + where.to_bytes(width, "big") + b"\x00\x00")
            else:
                rows.append(b"\x02" + where.to_bytes(width, "big") + index.to_bytes(2, "big"))
        stream = StreamObject()
        stream._data = zlib.compress(b"".join(rows))
        stream.update(_dict(
            Type=NameObject("/XRef"), Size=NumberObject(len(self.where)),
            W=ArrayObject(NumberObject(n) for n in (1, width, 2)), Root=root, Info=info,
            ID=ArrayObject([ByteStringObject(file_id)] * 2), Filter=NameObject("/FlateDecode")))
        self._write_now(xref, stream)
        self.file.write(b"startxref\n%d\n%%%%EOF\n" % offset)


class _Part:
    """Copy the objects of one part into the writer under new numbers.

    Objects are copied lazily: asking for ``ref(old)`` reserves a new number
    and queues the old object; ``drain()`` copies the queue (following the
    references it finds) and writes each copy at once.  ``alias`` makes an old
    object stand for an object of the joined document instead of being copied
    (the part's /Pages, /StructTreeRoot, /Document, /Outlines), which is how
    /Parent and /P references of moved objects are updated.
    """

    def __init__(self, writer: _Writer, struct_offset: int, dests: dict):
        self.writer = writer
        self.struct_offset = struct_offset  # added to every /StructParent(s)
        self.dests = dests  # the part's named destinations (old objects)
        self.numbers: dict[tuple[int, int], IndirectObject] = {}
        self.overrides: dict[tuple[int, int], dict] = {}  # entries replaced on copy
        self.pending: list[IndirectObject] = []
        self.next_key = 0  # 1 + highest /StructParent(s) seen in this part

    def alias(self, old, new: IndirectObject) -> None:
        if isinstance(old, IndirectObject):
            self.numbers[_key(old)] = new

    def override(self, old: IndirectObject, entries: dict) -> None:
        self.overrides.setdefault(_key(old), {}).update(entries)

    def ref(self, old: IndirectObject) -> IndirectObject:
        key = _key(old)
        if key not in self.numbers:
            # A stream without references (font program, image, content) that
            # an earlier part already wrote byte for byte is shared, not copied:
            # every part embeds the same full font for its form fields.
            digest = _stream_digest(old.get_object())
            if digest in self.writer.streams:
                self.numbers[key] = self.writer.streams[digest]
                return self.numbers[key]
            self.numbers[key] = self.writer.reserve()
            if digest is not None:
                self.writer.streams[digest] = self.numbers[key]
            self.pending.append(old)
        return self.numbers[key]

    def copy(self, value, skip=()):
        """Copy a direct value, replacing references by references to copies."""
        if isinstance(value, IndirectObject):
            return self.ref(value)
        if isinstance(value, DictionaryObject):
            if isinstance(value, StreamObject):
                new = StreamObject()
                new._data = value._data  # still encoded: copied byte for byte
            else:
                new = DictionaryObject()
            for name, item in value.items():
                if name not in skip:
                    new[name] = self.copy(item)
            return self._fix(value, new)
        if isinstance(value, ArrayObject):
            return ArrayObject(self.copy(item) for item in value)
        return value  # numbers, names, strings, booleans, null: immutable

    def _fix(self, old: DictionaryObject, new: DictionaryObject) -> DictionaryObject:
        # (Read from the original: the copy's references cannot be resolved.)
        # Pages (and form XObjects) have /StructParents, annotations
        # /StructParent: keys into the /ParentTree, shifted for this part.
        for name in ("/StructParent", "/StructParents"):
            if name in new and isinstance(old[name], int):
                self.next_key = max(self.next_key, old[name] + 1)
                new[NameObject(name)] = NumberObject(old[name] + self.struct_offset)
        # Named destinations (links, bookmarks) become explicit ones.
        if old.get("/S") == "/GoTo" and _dest_name(old.get("/D")) in self.dests:
            new[NameObject("/D")] = self.copy(self.dests[_dest_name(old["/D"])])
        if "/Dest" in new and _dest_name(old["/Dest"]) in self.dests:
            new[NameObject("/Dest")] = self.copy(self.dests[_dest_name(old["/Dest"])])
        return new

    def drain(self) -> None:
        while self.pending:
            old = self.pending.pop()
            obj = old.get_object()
            if obj is None:
                obj = NullObject()
            override = self.overrides.pop(_key(old), {})
            new = self.copy(obj, skip=override)
            if override:
                new.update(override)
            self.writer.write(self.numbers[_key(old)], new)


class _Joiner:
    """Add parts one by one, then write the joined document's own objects."""

    def __init__(self, file, title: str, lang: str):
        self.title, self.lang = title, lang
        self.writer = _Writer(file)
        self.pages_root = self.writer.reserve()
        self.struct_root = self.writer.reserve()
        self.document = self.writer.reserve()  # the one /Document element
        self.pages = array("q")  # object numbers of the joined pages
        self.fields = array("q")  # object numbers of the /Fields entries
        self.document_kids = array("q")
        self.parent_tree = array("q")  # key, object number, key, ...
        self.next_key = 0  # next free /ParentTree key
        self.field_owner: dict[str, Path] = {}
        self.resources: dict[str, dict[str, tuple[bytes, object]]] = {}  # merged /DR
        self.role_map: dict[str, object] = {}
        self.class_map: dict[str, tuple[bytes, object]] = {}
        self.dests: dict[str, ArrayObject] = {}
        self.outline: list[tuple] = []
        self.info: dict[str, str] = {}
        self.id_digest = hashlib.md5(title.encode())

    def run(self, parts: list[Path]) -> int:
        for index, path in enumerate(parts):
            with open(path, "rb") as file:
                reader = PdfReader(file)
                self._add_part(index, path, reader)
                # The reader and its cached objects reference each other: drop
                # the cache now rather than leave parts to the cyclic GC.
                reader.resolved_objects.clear()
            self.id_digest.update(f"{path.name}:{path.stat().st_size}".encode())
        self._finish()
        return len(self.pages)

    def _add_part(self, index: int, path: Path, reader: PdfReader) -> None:
        if reader.is_encrypted:
            raise ValueError(f"{path}: encrypted PDFs are not supported")
        catalog = reader.trailer["/Root"].get_object()
        if "/StructTreeRoot" not in catalog:
            raise ValueError(f"{path}: not tagged (no /StructTreeRoot)")
        struct_root = catalog["/StructTreeRoot"]
        form = catalog.get("/AcroForm") or DictionaryObject()
        _check_supported(path, catalog, struct_root, form)

        # Field names first, so that a clash stops us before copying the part.
        fields = list(_fields(form))
        for name in dict.fromkeys(name for _, _, name in fields if name):
            if name in self.field_owner:
                raise ValueError(f"field {name!r} is in both {self.field_owner[name]} and {path}")
            self.field_owner[name] = path

        info = reader.metadata or {}
        if index == 0:
            self.info = {key: str(info[key]) for key in INFO_KEYS_KEPT if info.get(key)}
        part_title = str(info.get("/Title") or path.stem)
        part = _Part(self.writer, self.next_key, _named_dests(catalog))

        # Pages: each now hangs from the joined /Pages node, with any
        # inherited attribute copied onto it.
        part.alias(catalog.raw_get("/Pages"), self.pages_root)
        pages = list(_pages(catalog.raw_get("/Pages")))
        if not pages:
            raise ValueError(f"{path}: has no pages")
        for page, inherited in pages:
            self.pages.append(part.ref(page).idnum)
            entries = {name: part.copy(value) for name, value in inherited.items()}
            part.override(page, {NameObject("/Parent"): self.pages_root, **entries})
        page, inherited = pages[0]
        box = {**inherited, **page.get_object()}
        box = box.get("/CropBox", box.get("/MediaBox")).get_object()
        first_page = (part.ref(page), box[0], box[3])  # for the outline: top left

        page_index = {_key(page): number for number, (page, _) in enumerate(pages)}
        self._add_structure(path, catalog, struct_root, part, page_index)
        self._add_form(index, form, fields, part)
        self._add_outline(catalog, part_title, first_page, part)
        for name, dest in part.dests.items():
            if name not in self.dests:
                self.dests[name] = part.copy(dest)

        part.drain()
        self.next_key += part.next_key

    def _add_structure(self, path, catalog, struct_root, part: _Part, page_index) -> None:
        kids = _as_list(struct_root.raw_get("/K") if "/K" in struct_root else None)
        part_lang = catalog.get("/Lang")
        tops = [catalog.raw_get("/StructTreeRoot")]  # what top-level elements' /P name
        part.alias(tops[0], self.document)
        # A part's lone /Document element is dissolved: its kids become kids
        # of the joined /Document (their /P follows through the alias).
        if len(kids) == 1 and _is_plain_document(kids[0]):
            document = kids[0].get_object()
            part_lang = document.get("/Lang", part_lang)
            part.alias(kids[0], self.document)
            tops.append(kids[0])
            kids = _as_list(document.raw_get("/K"))
        kids = _with_orphans(kids, struct_root, tops, page_index)
        for kid in kids:
            if not isinstance(kid, IndirectObject):
                raise ValueError(f"{path}: unsupported structure tree (direct top-level element)")
            self.document_kids.append(part.ref(kid).idnum)
            if part_lang and str(part_lang) != self.lang and "/Lang" not in kid.get_object():
                part.override(kid, {NameObject("/Lang"): TextStringObject(str(part_lang))})

        for name, value in (struct_root.get("/RoleMap") or {}).items():
            if self.role_map.setdefault(name, value) != value:
                raise ValueError(f"{path}: /RoleMap maps {name} to {value}, "
                                 f"an earlier part to {self.role_map[name]}")
        for name, value in (struct_root.get("/ClassMap") or {}).items():
            fingerprint = _fingerprint(value)
            if name not in self.class_map:
                self.class_map[name] = (fingerprint, part.copy(value))
            elif self.class_map[name][0] != fingerprint:
                raise ValueError(f"{path}: /ClassMap {name} differs from an earlier part's")

        # /ParentTree: page entries are arrays indexed by MCID, annotation
        # entries a single element. Keys move by the part's offset.
        if "/ParentTree" in struct_root:
            for key, value in _number_tree(struct_root["/ParentTree"]):
                resolved = value.get_object()
                if isinstance(resolved, ArrayObject):
                    new = self.writer.add(part.copy(resolved))
                elif isinstance(value, IndirectObject):
                    new = part.ref(value)
                else:
                    continue
                self.parent_tree.extend((key + part.struct_offset, new.idnum))
                part.next_key = max(part.next_key, key + 1)
        part.next_key = max(part.next_key, int(struct_root.get("/ParentTreeNextKey", 0)))

    def _add_form(self, index: int, form, fields, part: _Part) -> None:
        for field in form.get("/Fields", []):
            self.fields.append(part.ref(field).idnum)
        # Each field's /DA: its own, or the part's form-wide one pushed down
        # onto its top-level fields (the joined form has no form-wide /DA).
        das = {}
        for reference, field, _ in fields:
            if "/DA" in field:
                das[_key(reference)] = (reference, str(field["/DA"]))
            elif "/Parent" not in field:
                if "/DA" in form:
                    das[_key(reference)] = (reference, str(form["/DA"]))
                    part.override(reference, {NameObject("/DA"): form["/DA"]})
                if "/Q" in form and "/Q" not in field:
                    part.override(reference, {NameObject("/Q"): form["/Q"]})
        used = {name for _, da in das.values() for name in NAME_TOKEN.findall(da)}

        # /DR: the resources /DA strings name (fonts, graphic states). Parts
        # name the same font alike (WeasyPrint names it by its description),
        # so equal entries are kept once. An entry whose name is taken by a
        # different resource and which this part's /DA uses gets a new name.
        renames = {}
        for category, entries in (form.get("/DR") or {}).items():
            merged = self.resources.setdefault(category, {})
            for name, value in entries.get_object().items():
                fingerprint = _fingerprint(value)
                if name not in merged:
                    merged[name] = (fingerprint, part.copy(value))
                elif merged[name][0] != fingerprint and name in used:
                    renames[name] = NameObject(f"{name}_{index + 1}")
                    merged[renames[name]] = (fingerprint, part.copy(value))
        if renames:
            for reference, da in das.values():
                new_da = NAME_TOKEN.sub(lambda match: renames.get(match[0], match[0]), da)
                if new_da != da:
                    part.override(reference, {NameObject("/DA"): TextStringObject(new_da)})

    def _add_outline(self, catalog, part_title, first_page, part: _Part) -> None:
        entry = self.writer.reserve()
        children = None
        outlines = catalog.get("/Outlines")
        if outlines and "/First" in outlines:
            source, source_ref = outlines, catalog.raw_get("/Outlines")
            only = outlines["/First"]
            # WeasyPrint's outline has the part's <h1> as its only top item;
            # that item repeats the part's title, so its children are used.
            if ("/Next" not in only and "/First" in only
                    and str(only.get("/Title", "")).strip() == part_title.strip()):
                source, source_ref = only, outlines.raw_get("/First")
            part.alias(source_ref, entry)  # the children's /Parent
            children = (part.ref(source.raw_get("/First")), part.ref(source.raw_get("/Last")),
                        _visible_count(source))
        self.outline.append((entry, part_title, first_page, children))

    def _finish(self) -> None:
        """Write what spans the parts (page tree, structure tree, form, outline, catalogue), then the file."""
        writer = self.writer
        writer.write(self.pages_root, _dict(
            Type=NameObject("/Pages"), Count=NumberObject(len(self.pages)),
            Kids=ArrayObject(_ref(number) for number in self.pages)))
        self._write_structure()
        catalog = _dict(
            Type=NameObject("/Catalog"), Pages=self.pages_root, AcroForm=self._acroform(),
            Outlines=self._write_outline(), Lang=TextStringObject(self.lang),
            StructTreeRoot=self.struct_root,
            ViewerPreferences=_dict(DisplayDocTitle=BooleanObject(True)),
            MarkInfo=_dict(Marked=BooleanObject(True)))
        if self.dests:
            names = ArrayObject()
            for name in sorted(self.dests):  # name trees are sorted by key
                names += [TextStringObject(name), self.dests[name]]
            catalog[NameObject("/Names")] = _dict(Dests=writer.add(_dict(Names=names)))
        metadata = StreamObject()
        metadata._data = _xmp(self.title, self.info)
        metadata.update(_dict(Type=NameObject("/Metadata"), Subtype=NameObject("/XML")))
        catalog[NameObject("/Metadata")] = writer.add(metadata)

        info = DictionaryObject({NameObject(key): TextStringObject(value)
                                 for key, value in self.info.items()})
        info[NameObject("/Title")] = TextStringObject(self.title)
        writer.finish(writer.add(catalog), writer.add(info), self.id_digest.digest())

    def _write_structure(self) -> None:
        """The document element over every part's structure, and the root with its parent tree."""
        writer = self.writer
        writer.write(self.document, _dict(
            Type=NameObject("/StructElem"), S=NameObject("/Document"), P=self.struct_root,
            K=ArrayObject(_ref(number) for number in self.document_kids)))
        nums = ArrayObject()
        for key, number in zip(self.parent_tree[::2], self.parent_tree[1::2]):
            nums += [NumberObject(key), _ref(number)]
        struct_root = _dict(
            Type=NameObject("/StructTreeRoot"), K=ArrayObject([self.document]),
            ParentTree=writer.add(_dict(Nums=nums)),
            ParentTreeNextKey=NumberObject(self.next_key))
        if self.role_map:
            struct_root[NameObject("/RoleMap")] = DictionaryObject(self.role_map)
        if self.class_map:
            struct_root[NameObject("/ClassMap")] = DictionaryObject(
                {name: value for name, (_, value) in self.class_map.items()})
        writer.write(self.struct_root, struct_root)

    def _acroform(self) -> DictionaryObject:
        """One form over every part's fields, with the resources their appearances use."""
        resources = DictionaryObject({
            NameObject(category): DictionaryObject(
                {NameObject(name): value for name, (_, value) in entries.items()})
            for category, entries in self.resources.items()})
        return _dict(Fields=ArrayObject(_ref(number) for number in self.fields),
                     DR=self.writer.add(resources), NeedAppearances=BooleanObject(True))

    def _write_outline(self):
        """The outline: one entry per part, its headings as closed children; returns its root."""
        writer = self.writer
        outlines = writer.reserve()
        entries = [entry for entry, *_ in self.outline]
        for position, (entry, part_title, (page, left, top), children) in enumerate(self.outline):
            item = _dict(Title=TextStringObject(part_title), Parent=outlines,
                         Dest=ArrayObject([page, NameObject("/XYZ"), left, top, NumberObject(0)]))
            if position > 0:
                item[NameObject("/Prev")] = entries[position - 1]
            if position + 1 < len(entries):
                item[NameObject("/Next")] = entries[position + 1]
            if children:
                first, last, count = children
                item.update(_dict(First=first, Last=last, Count=NumberObject(-count)))  # closed
            writer.write(entry, item)
        writer.write(outlines, _dict(Type=NameObject("/Outlines"), First=entries[0],
                                     Last=entries[-1], Count=NumberObject(len(entries))))
        return outlines


def _dict(**entries) -> DictionaryObject:
    return DictionaryObject({NameObject("/" + name): value for name, value in entries.items()})


def _as_list(value) -> list:
    if value is None:
        return []
    resolved = value.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [value]


def _check_supported(path, catalog, struct_root, form) -> None:
    problems = [f"catalog {key}" for key in catalog if key not in CATALOG_KEYS]
    problems += [f"/Names {key}" for key in (catalog.get("/Names") or {}) if key not in NAMES_KEYS]
    problems += [f"/StructTreeRoot {key}" for key in struct_root if key not in STRUCT_ROOT_KEYS]
    problems += [f"/AcroForm {key}" for key in form if key not in ACROFORM_KEYS]
    if problems:
        raise ValueError(f"{path}: cannot join a part with {', '.join(problems)}")


def _is_plain_document(element) -> bool:
    """Is this a /Document element holding only structure elements?"""
    element = element.get_object()
    if not isinstance(element, DictionaryObject) or element.get("/S") != "/Document":
        return False
    if set(element) - {"/Type", "/S", "/P", "/K", "/Pg", "/Lang"}:
        return False  # attributes (/A, /C, /T, /Alt, ...) that dissolving would lose
    return all(isinstance(kid, IndirectObject) and "/S" in kid.get_object()
               for kid in _as_list(element.raw_get("/K") if "/K" in element else None))


def _with_orphans(kids: list, struct_root, tops: list, page_index: dict) -> list:
    """Top-level elements plus those the tree forgot to list.

    WeasyPrint 70 tags page margin boxes (running title, URL, page number) with
    elements whose /P is the /Document and which the /ParentTree reaches, but
    leaves them out of the /Document's /K: a tree walk never finds them.  Such
    an element is put back where its /P says it belongs, after the top-level
    elements of its page (WeasyPrint draws margin boxes last).
    """
    def page_of(element):
        page = element.get_object().raw_get("/Pg") if "/Pg" in element.get_object() else None
        return page_index.get(_key(page), -1) if isinstance(page, IndirectObject) else -1

    reachable, stack = set(), list(kids)
    while stack:
        reference = stack.pop()
        element = reference.get_object() if isinstance(reference, IndirectObject) else None
        if isinstance(element, DictionaryObject) and "/S" in element \
                and _key(reference) not in reachable:
            reachable.add(_key(reference))
            stack += _as_list(element.raw_get("/K") if "/K" in element else None)
    top_keys = {_key(top) for top in tops if isinstance(top, IndirectObject)}
    orphans = {}
    for _, value in _number_tree(struct_root.get("/ParentTree") or DictionaryObject()):
        for element in _as_list(value):
            # Climb from the element to the first ancestor the tree reaches.
            for _ in range(1000):
                if not isinstance(element, IndirectObject) or _key(element) in reachable:
                    break
                obj = element.get_object()
                parent = obj.raw_get("/P") if "/P" in obj else None
                if isinstance(parent, IndirectObject) and _key(parent) in top_keys:
                    orphans.setdefault(_key(element), element)
                    break
                element = parent
    if not orphans:
        return kids
    result, waiting = [], sorted(orphans.values(), key=page_of)  # stable: tree order kept
    for kid in kids:
        while waiting and page_of(waiting[0]) < page_of(kid):
            result.append(waiting.pop(0))
        result.append(kid)
    return result + waiting


def _pages(node, inherited=None):
    """Yield (page reference, attributes it inherits) in document order."""
    obj = node.get_object()
    if "/Kids" in obj:
        inherited = {**(inherited or {}),
                     **{NameObject(name): obj.raw_get(name) for name in INHERITED_PAGE_KEYS
                        if name in obj}}
        for kid in obj["/Kids"]:
            yield from _pages(kid, inherited)
    else:
        yield node, {name: value for name, value in (inherited or {}).items() if name not in obj}


def _fields(form):
    """Yield (reference, field, fully qualified name) for each field and widget once."""
    seen = set()
    stack = list(form.get("/Fields", []))[::-1]
    while stack:
        reference = stack.pop()
        if not isinstance(reference, IndirectObject) or _key(reference) in seen:
            continue
        seen.add(_key(reference))
        field = reference.get_object()
        yield reference, field, _field_name(field)
        stack.extend(list(field.get("/Kids", []))[::-1])


def _field_name(field) -> str:
    names = []
    while field is not None and len(names) < 64:
        if "/T" in field:
            names.append(str(field["/T"]))
        field = field.get("/Parent")
    return ".".join(reversed(names))


def _tree_pairs(node, key: str):
    """The (key, value) pairs of a number tree (key "/Nums") or a name tree ("/Names"), in order."""
    node = node.get_object()
    pairs = node.get(key, [])
    for position in range(0, len(pairs) - 1, 2):
        yield pairs[position], pairs[position + 1]
    for kid in node.get("/Kids", []):
        yield from _tree_pairs(kid, key)


def _number_tree(node):
    return ((int(number), value) for number, value in _tree_pairs(node, "/Nums"))


def _name_tree(node):
    return ((str(name), value) for name, value in _tree_pairs(node, "/Names"))


def _dest_name(value):
    """The name of a named destination (string or name), else None."""
    if isinstance(value, NameObject):
        return str(value)[1:]
    if isinstance(value, (TextStringObject, ByteStringObject)):
        return str(value)
    return None


def _named_dests(catalog) -> dict:
    """A part's named destinations as {name: explicit destination array}."""
    dests = {}
    for name, value in (catalog.get("/Dests") or {}).items():  # PDF 1.1 style
        dests[str(name)[1:]] = value
    tree = (catalog.get("/Names") or {}).get("/Dests")
    if tree is not None:
        dests.update(_name_tree(tree))
    explicit = {}
    for name, value in dests.items():
        value = value.get_object()
        if isinstance(value, DictionaryObject):  # << /D [page /XYZ ...] >>
            value = value.get("/D")
        if isinstance(value, ArrayObject):
            explicit[name] = value
    return explicit


def _visible_count(item) -> int:
    """Number of outline items shown below ``item`` when it is open."""
    count, child = 0, item.get("/First")
    while child is not None and count < 100_000:
        count += 1 + max(int(child.get("/Count", 0)), 0)
        child = child.get("/Next")
    return count


def _stream_digest(obj) -> bytes | None:
    """Digest of a stream holding no references (and no /StructParents), else None."""
    if not isinstance(obj, StreamObject) or "/StructParents" in obj:
        return None
    if any(isinstance(value, (IndirectObject, DictionaryObject, ArrayObject))
           for value in obj.values()):
        return None  # only plain entries: /Filter, /Length1, /Subtype, ...
    return _fingerprint(obj)


def _fingerprint(value) -> bytes:
    """Digest of an object's content, following references, to compare
    resources of different parts (which never share object numbers)."""
    digest, seen = hashlib.sha256(), set()

    def feed(value):
        if isinstance(value, IndirectObject):
            if _key(value) in seen:
                digest.update(b"@")
                return
            seen.add(_key(value))
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            digest.update(b"<<")
            for name in sorted(value):
                digest.update(name.encode())
                feed(value.raw_get(name))
            if isinstance(value, StreamObject):
                digest.update(value._data)
            digest.update(b">>")
        elif isinstance(value, ArrayObject):
            digest.update(b"[")
            for item in value:
                feed(item)
            digest.update(b"]")
        else:
            digest.update(f"{type(value).__name__}:{value};".encode())

    feed(value)
    return digest.digest()


def _xmp(title: str, info: dict[str, str]) -> bytes:
    """XMP metadata shaped like WeasyPrint's for a pdf/ua-1 document."""
    def description(content):
        return f'<rdf:Description rdf:about="">{content}</rdf:Description>'

    def alt(tag, text):
        return description(f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}'
                           f'</rdf:li></rdf:Alt></{tag}>')

    producer = escape(info.get("/Producer", "pdfjoin"), {'"': "&quot;"})
    rdf = ['<rdf:Description rdf:about="" pdfuaid:part="1" />',
           f'<rdf:Description rdf:about="" pdf:Producer="{producer}" />',
           alt("dc:title", title)]
    if "/Author" in info:
        rdf.append(description(f"<dc:creator><rdf:Seq><rdf:li>{escape(info['/Author'])}"
                               "</rdf:li></rdf:Seq></dc:creator>"))
    if "/Subject" in info:
        rdf.append(alt("dc:description", info["/Subject"]))
    if "/Keywords" in info:
        rdf.append(description(f"<pdf:Keywords>{escape(info['/Keywords'])}</pdf:Keywords>"))
    if "/Creator" in info:
        rdf.append(description(f"<xmp:CreatorTool>{escape(info['/Creator'])}</xmp:CreatorTool>"))
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        + "".join(rdf) +
        '</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>'
    ).encode()
