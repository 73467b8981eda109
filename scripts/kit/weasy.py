"""WeasyPrint, imported only where a PDF is rendered: in the handouts' worker processes and for
the synthesis of `make collect`. Kept small, so that a worker started by `spawn` (macOS, Windows,
and Python 3.14 on Linux) imports little more than WeasyPrint itself.

Refuses a missing Pango with the instruction to install it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

from kit import pause

INSTALL_PANGO = ("Install Pango, the text layout library WeasyPrint needs to make the PDF handouts: "
                 "'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' on Debian or Ubuntu, "
                 "'brew install pango' on macOS; then run the command again.")


class MissingLibrary(Exception):
    """WeasyPrint's system library is missing; the message says what to install."""


def weasyprint():
    """Import WeasyPrint, turning a missing Pango into an instruction."""
    try:
        import weasyprint as module
    except OSError as err:
        raise MissingLibrary(f"WeasyPrint cannot load its system libraries ({err}). {INSTALL_PANGO}") from None
    return module


def render(html: str, target: str, base_url: str, form: bool = True) -> int:
    """Render HTML to a tagged PDF at `target`, fillable unless `form` is False (the synthesis of
    `make collect` is read, not filled), written whole (a temporary name, then a rename: an
    interrupted render leaves nothing under `target`); return its number of pages."""
    document = weasyprint().HTML(string=html, base_url=base_url).render()
    partial = f"{target}.{os.getpid()}.partial"
    document.write_pdf(partial, pdf_forms=form, pdf_variant="pdf/ua-1")
    pause.at("rendering")  # tests only: an interrupted render leaves this half-made file behind
    if form:
        _radio_buttons_as_widgets(partial)
    os.replace(partial, target)
    return len(document.pages)


def _radio_buttons_as_widgets(path: str) -> None:
    """WeasyPrint 70 names each button of a radio group like the group (/T, /TU) and lists each
    in the form's /Fields: PDF viewers and pdf-lib then see one field per button instead of one
    group. The buttons keep their box and appearance, lose their names, and stay only the group's
    /Kids, so that the group alone is the field."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    reader = PdfReader(path)
    fields = reader.trailer["/Root"].get("/AcroForm", {}).get("/Fields", [])
    if not any("/Kids" in f.get_object() and f.get_object().get("/FT") == "/Btn" for f in fields):
        return
    writer = PdfWriter(clone_from=reader)
    form = writer._root_object["/AcroForm"]
    roots = ArrayObject()
    for reference in form["/Fields"]:
        field = reference.get_object()
        if "/Parent" in field:
            continue  # a button of a group: reached through its group's /Kids
        roots.append(reference)
        for kid in field.get("/Kids", []) if field.get("/FT") == "/Btn" else []:
            kid = kid.get_object()
            for key in ("/T", "/TU"):
                if NameObject(key) in kid:
                    del kid[NameObject(key)]
    form[NameObject("/Fields")] = roots
    with open(path, "wb") as handle:
        writer.write(handle)


def render_all(jobs: list[tuple[str, str]], base_url: str, workers: int) -> list[int]:
    """Render (html, target) pairs in worker processes; return their page counts.

    The workers stop with the build: the pool is terminated on leaving (an error, Ctrl-C, or a
    SIGTERM turned here into an exit), and on Linux each worker is also told to end when the build
    process that started it dies, even by SIGKILL. Workers import this module afresh under `spawn`:
    it is found through the kit's folder on sys.path, which scripts/hooks.py and scripts/build.py
    keep there for the whole run."""
    import multiprocessing

    if len(jobs) == 1 or workers <= 1:
        return [render(html, target, base_url) for html, target in jobs]
    with _exit_on_sigterm(), multiprocessing.Pool(min(workers, len(jobs)), _worker_start, (os.getpid(),)) as pool:
        return pool.starmap(render, [(html, target, base_url) for html, target in jobs])  # leaving: terminate()


@contextlib.contextmanager
def _exit_on_sigterm():
    """SIGTERM (a service manager, CI) ends this process through Python, so that the pool's workers
    are terminated on the way out instead of left running."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def stop(signum, frame):
        raise SystemExit(128 + signum)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_start(parent: int) -> None:
    """In each worker: Ctrl-C is the build's to handle (it terminates the pool); on Linux, the
    worker gets SIGTERM as soon as the process that started it ends (prctl PR_SET_PDEATHSIG)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the build ended while this worker was starting
        os._exit(1)


def pango_missing() -> bool:
    """True when no Pango library can be found (checked before a build starts)."""
    import ctypes.util

    return not any(ctypes.util.find_library(name) for name in ("pango-1.0", "pango-1.0-0", "libpango-1.0-0"))
