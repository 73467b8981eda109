"""The libraries shipped in docs/assets/javascripts/vendor/, run as the pages run them.

pdf-lib there is @cantoo/pdf-lib, the maintained fork of pdf-lib (README, "Libraries"): besides
filling and reading forms (tests/test_answers.py, tests/test_synthese.py), it opens a PDF encrypted
the way Acrobat and Preview save one (AES-256, no password to open it), which pdf-lib 1.17.1
refuses."""

from __future__ import annotations

import json
import shutil
import subprocess

from pypdf import PdfReader, PdfWriter

import fill
from helpers import ROOT, require

PDF_LIB = ROOT / "docs" / "assets" / "javascripts" / "vendor" / "pdf-lib.min.js"
READ = """
const PDFLib = require(process.argv[1]);
PDFLib.PDFDocument.load(require("fs").readFileSync(process.argv[2]), { password: "" }).then((doc) => {
  const fields = {};
  for (const field of doc.getForm().getFields()) fields[field.getName()] = field.getText ? field.getText() : null;
  console.log(JSON.stringify(fields));
});
"""


def test_pdf_lib_reads_answers_encrypted_without_a_password(site, tmp_path):
    require(bool(shutil.which("node")), "Node.js")
    sheet = site / "fiches" / "pdf" / "echange-1-letter.pdf"
    question = next(name for name in PdfReader(sheet).get_fields() if name.endswith("-q1"))
    filled = fill.fill(sheet, tmp_path / "filled.pdf", {question: "Une réponse, chiffrée"})
    locked = PdfWriter(clone_from=PdfReader(filled))
    locked.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    locked.write(tmp_path / "locked.pdf")
    result = subprocess.run(["node", "-e", READ, str(PDF_LIB), str(tmp_path / "locked.pdf")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-500:]
    assert json.loads(result.stdout)[question] == "Une réponse, chiffrée"
