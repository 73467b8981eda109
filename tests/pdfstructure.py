"""Walk a PDF's structure tree as an assistive technology would, and list what is wrong with it.

`check_structure(path)` returns (problems, number of structure elements other than /Document).
A problem names the object: an element reached twice or not through its /P, a marked-content id
(MCID) on a page but not in the tree (or the reverse), a /ParentTree entry that points elsewhere,
a widget or link annotation without its /OBJR back.
"""

from __future__ import annotations

import re

from pypdf import PdfReader
from pypdf.generic import IndirectObject

ORPHAN = "reachable through the /ParentTree only"


def as_list(value):
    if value is None:
        return []
    value = value.get_object()
    return list(value) if isinstance(value, list) else [value]


def number_tree(node):
    node = node.get_object()
    nums = node.get("/Nums", [])
    for i in range(0, len(nums), 2):
        yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from number_tree(kid)


def only_weasyprint_orphans(problems):
    """WeasyPrint 70 leaves page margin boxes out of the /Document's /K."""
    return all(ORPHAN in problem for problem in problems)


def check_structure(path):
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    if "/StructTreeRoot" not in catalog:
        return ["no /StructTreeRoot"], 0
    check = _Check(reader, catalog.raw_get("/StructTreeRoot"))
    check.walk([(kid, check.root_ref.idnum, None) for kid in as_list(check.root.raw_get("/K"))])
    check.adopt_orphans()
    check.check_next_key()
    for number, page in check.pages.items():
        check.check_page_content(number, page)
        check.check_annotations(page)
    count = sum(1 for kind in check.elements.values() if kind != "/Document")
    return check.problems, count


class _Check:
    def __init__(self, reader, root_ref):
        self.root_ref, self.root = root_ref, root_ref.get_object()
        self.pages = {page.indirect_reference.idnum: page for page in reader.pages}
        self.tree = dict(number_tree(self.root["/ParentTree"])) if "/ParentTree" in self.root else {}
        self.problems = []
        self.elements = {}  # element number -> /S
        self.content = set()  # (page number, MCID, number of the element owning it)
        self.objrs = {}  # annotation number -> numbers of the elements holding an /OBJR to it

    def walk(self, stack):
        while stack:
            ref, parent, page = stack.pop()
            if not isinstance(ref, IndirectObject):
                self.problems.append(f"direct element under {parent}")
                continue
            if ref.idnum in self.elements:
                self.problems.append(f"element {ref.idnum} reached twice")
                continue
            element = ref.get_object()
            self.elements[ref.idnum] = element["/S"]
            p = element.raw_get("/P") if "/P" in element else None
            if not isinstance(p, IndirectObject) or p.idnum != parent:
                self.problems.append(f"element {ref.idnum}: /P is {p}, its parent is {parent}")
            if "/Pg" in element:
                page = element.raw_get("/Pg").idnum
                if page not in self.pages:
                    self.problems.append(f"element {ref.idnum}: /Pg {page} is not a page of the document")
            for kid in as_list(element.raw_get("/K") if "/K" in element else None):
                if self._content_item(kid, ref.idnum, page):
                    stack.append((kid, ref.idnum, page))

    def _content_item(self, kid, owner, page) -> bool:
        """Record a kid that is content (MCID, MCR, OBJR); True when it is an element to walk."""
        value = kid.get_object()
        if isinstance(value, int):
            if page is None:
                self.problems.append(f"element {owner}: MCID {value} without a page")
            self.content.add((page, int(value), owner))
        elif value.get("/Type") == "/MCR":
            mcr_page = value.raw_get("/Pg").idnum if "/Pg" in value else page
            self.content.add((mcr_page, int(value["/MCID"]), owner))
        elif value.get("/Type") == "/OBJR":
            self.objrs.setdefault(value.raw_get("/Obj").idnum, set()).add(owner)
            if "/Pg" in value and value.raw_get("/Pg").idnum not in self.pages:
                self.problems.append(f"OBJR in {owner}: /Pg is not a page of the document")
        else:
            return True
        return False

    def adopt_orphans(self):
        """Elements the /ParentTree points to but the walk did not reach: a problem, then walked
        as well (from the highest such ancestor) for the checks that follow."""
        for value in self.tree.values():
            for element in as_list(value):
                while isinstance(element, IndirectObject) and element.idnum not in self.elements:
                    parent = element.get_object().raw_get("/P")
                    if parent.idnum in self.elements or parent.idnum == self.root_ref.idnum:
                        self.problems.append(f"element {element.idnum} ({element.get_object()['/S']}) "
                                             f"is {ORPHAN}, its /P {parent.idnum} does not list it")
                        self.walk([(element, parent.idnum, None)])
                    else:
                        element = parent

    def check_next_key(self):
        next_key = self.root.get("/ParentTreeNextKey")
        if self.tree and next_key is not None and next_key <= max(self.tree):  # (optional in parts)
            self.problems.append(f"/ParentTreeNextKey {next_key} but highest key {max(self.tree)}")

    def check_page_content(self, number, page):
        stream = page.get_contents()
        data = stream.get_data() if stream is not None else b""  # (an empty dict is falsy)
        mcids = {int(m) for m in re.findall(rb"/MCID\s+(\d+)", data)}
        tagged = {mcid for page_number, mcid, _ in self.content if page_number == number}
        if mcids != tagged:
            self.problems.append(f"page {number}: MCIDs only in content {sorted(mcids - tagged)}, "
                                 f"only in tree {sorted(tagged - mcids)}")
        if not mcids:
            return
        key = page.get("/StructParents")
        entry = self.tree.get(int(key)) if key is not None else None
        if entry is None or not isinstance(entry.get_object(), list):
            self.problems.append(f"page {number} MCIDs: /StructParents {key} gives "
                                 f"{getattr(entry, 'idnum', entry)}, not an array of elements")
            return
        array = entry.get_object()
        for mcid in sorted(mcids):
            owner = array[mcid] if mcid < len(array) else None
            if not isinstance(owner, IndirectObject) or (number, mcid, owner.idnum) not in self.content:
                self.problems.append(f"page {number} MCID {mcid}: /ParentTree[{key}] gives "
                                     f"{getattr(owner, 'idnum', owner)}, which does not own it")

    def check_annotations(self, page):
        for annot_ref in page.get("/Annots", []):
            annot = annot_ref.get_object()
            if annot["/Subtype"] not in ("/Widget", "/Link"):
                continue
            key = annot.get("/StructParent")
            owner = self.tree.get(int(key)) if key is not None else None
            if not isinstance(owner, IndirectObject) or owner.idnum not in self.objrs.get(annot_ref.idnum, ()):
                self.problems.append(f"annotation {annot_ref.idnum} ({annot['/Subtype']}): /StructParent {key} "
                                     f"gives {getattr(owner, 'idnum', owner)}, without an /OBJR back")
