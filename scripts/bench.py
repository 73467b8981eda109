"""`make bench`: measure the kit's speed and size budgets, print them, record them in the README.

Measured, never asserted by a timed test:
- `make build` cold (no handout cache) and warm (nothing changed), against a bare `mkdocs build`
  of the same pages and plugins without the kit (mkdocs.yml inherited, `hooks: []`, no overrides);
- the link check; handout rendering time per page (cold); peak memory of the build;
- bytes a reader's browser loads for the first page (empty cache), the theme's own requests included
  (the search index and worker it starts on every page), gzip-compressed as hosts send it; and for a
  following page;
- size of each kind of handout, per page; `make collect` over 2,000 filled worksheets (made with the
  tests' fill helpers, not timed), then the synthesis written: CSV, HTML and PDF;
- the scale run: the same build on a temporary copy with 10 times the pages and worksheets, and
  one with 30 times the worksheets, made the way the README says to add them; it prints how each
  stage grows (goal: at most 10× the time for 10× the content; peak memory under 500 MiB at 30×).

Each timing is the median of several runs (BENCH_RUNS, default 5); the warm and the bare build run in
turn, so that load from elsewhere on the machine weighs on both alike. The figures replace the block
between the `<!-- bench -->` markers of README.md, with the machine they were measured on.
`BENCH_SCALE=0` skips the scale run.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

BUDGETS = {"first page, gzip (KiB)": 100, "following page (KiB)": 30, "warm / bare": 1.5, "handouts cold (s/page)": 0.3,
           "peak memory (MiB)": 500, "collect 2000 (s)": 120}
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def run(args, cwd=ROOT, env=None) -> float:
    """Seconds one command takes; it must succeed."""
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env or ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(runs: int, *args, **kwargs) -> float:
    return statistics.median(run(*args, **kwargs) for _ in range(runs))


def peak_mib(args, cwd, env=None) -> tuple[float, float]:
    """(seconds, peak memory of the largest process in MiB) of a command run in a fresh interpreter,
    so that the peak belongs to that command alone."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, env=env or ENV, check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def warm_and_bare(runs: int, build: list, bare: list, project: Path) -> tuple[float, float]:
    """Median seconds of the warm build and of the bare one, run in turn (after one of each to warm
    the caches), so that a machine busy with something else slows both alike."""
    run(build, project)
    run(bare, project)
    pairs = [(run(build, project), run(bare, project)) for _ in range(runs)]
    return statistics.median(w for w, _ in pairs), statistics.median(b for _, b in pairs)


def build_times(project: Path, runs: int) -> dict:
    """Cold and warm `build`, the bare build, the link check, peak memory: of one project folder."""
    build = [sys.executable, "scripts/build.py", "build"]
    cache = project / ".cache" / "handouts"
    saved = cache.with_name("handouts.bench-saved")
    shutil.rmtree(saved, ignore_errors=True)
    if cache.exists():
        cache.rename(saved)  # a cold build renders every handout
    try:
        cold, peak = peak_mib(build, project)
    finally:
        if saved.exists():
            shutil.rmtree(cache, ignore_errors=True)
            saved.rename(cache)
    bare_config = project / "mkdocs.bench-bare.yml"  # the same pages and plugins; no hooks, the theme as shipped
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as theme, tempfile.TemporaryDirectory() as docs:
        bare_docs(project, Path(docs))
        bare_config.write_text(f"INHERIT: mkdocs.yml\nhooks: []\nstrict: false\ndocs_dir: {docs}\ntheme:\n  custom_dir: {theme}\n",
                               encoding="utf-8")
        # pages that name the kit's projection template in their front matter get the theme's page
        (Path(theme) / "projection.html").write_text('{% extends "main.html" %}', encoding="utf-8")
        try:
            bare_args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", bare_config.name, "-d", out]
            warm, bare = warm_and_bare(runs, build, bare_args, project)
        finally:
            bare_config.unlink()
    check = median(runs, [sys.executable, "scripts/build.py", "check"], project)
    manifest = json.loads((project / "site" / "handouts.json").read_text(encoding="utf-8"))
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    return {"cold": cold, "warm": warm, "bare": bare, "check": check, "peak": peak, "pages": pages,
            "pdfs": len(manifest), "pdf_pages": sum(e["pages"] for e in manifest)}


def bare_docs(project: Path, folder: Path) -> None:
    """docs/ with the worksheet pages the kit's hooks add (front matter only), so that the bare
    build has the same pages as the kit's."""
    from kit import data, fiches

    shutil.copytree(project / "docs", folder, dirs_exist_ok=True)
    for sheet in data.load(project / "data").worksheets:
        for src, text in fiches.page_files(sheet).items():
            (folder / src).parent.mkdir(parents=True, exist_ok=True)
            (folder / src).write_text(text, encoding="utf-8")


def handout_sizes(site: Path) -> dict:
    manifest = json.loads((site / "handouts.json").read_text(encoding="utf-8"))
    sizes = {}
    for kind in ("worksheet", "pack"):
        per_page = [entry["bytes"] / entry["pages"] / 1024 for entry in manifest if entry["kind"] == kind]
        sizes[kind] = (statistics.median(per_page), max(per_page))
    return sizes


def page_weights(site: Path) -> dict:
    """KiB the server sends for the home page with an empty cache, then for a following page
    (the browser revalidates what it has: the server answers 304 with no body): (as files, gzip).
    Counted at the server, so the requests of the theme's scripts and of the search worker are
    included; each page is counted once nothing more has been asked for a second."""
    import browser

    httpd, base = browser.serve(site, "/")
    driver = browser.chrome()
    try:
        weights = []
        for address in ("", "gestion-et-gouvernance/"):
            before = len(httpd.sent)
            driver.get(base + address)
            settled(httpd.sent)
            sent = httpd.sent[before:]
            weights.append((sum(raw for raw, _ in sent) / 1024, sum(packed for _, packed in sent) / 1024))
        return {"first": weights[0], "following": weights[1]}
    finally:
        driver.quit()
        httpd.shutdown()


def settled(sent: list, quiet: float = 1.0, longest: float = 10.0) -> None:
    """Wait until the server has sent nothing for `quiet` seconds (at most `longest`)."""
    count, since, started = len(sent), time.monotonic(), time.monotonic()
    while time.monotonic() - since < quiet and time.monotonic() - started < longest:
        time.sleep(0.1)
        if len(sent) != count:
            count, since = len(sent), time.monotonic()


COLLECTED = 2_000  # worksheets: a large day (a hundred resources, twenty sheets each)


def collect_time(site: Path) -> float:
    """Seconds `make collect` takes over COLLECTED filled worksheets (copies of the published handouts)."""
    import fill

    with tempfile.TemporaryDirectory() as folder:
        fill.filled_folder(site, Path(folder) / "in", COLLECTED)
        return run(["make", "--no-print-directory", "-s", "collect", f"IN={Path(folder) / 'in'}", f"OUT={Path(folder) / 'out'}"])


# ---- the scale run ------------------------------------------------------------------------------------

def scaled_copy(target: Path, pages: int, sheets: int) -> Path:
    """A copy of the project with `pages` times the content pages and `sheets` times the worksheets,
    added as the README says: a page and its translation in docs/ and in the menu; a worksheet's
    YAML file and its line in index.yml."""
    for name in ("mkdocs.yml", "docs", "data", "overrides", "scripts"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    config_path = target / "mkdocs.yml"
    config = config_path.read_text(encoding="utf-8")
    from kit import addresses

    understand = ["gestion-et-gouvernance", "assises-democratiques", "enjeux", "charlevoix", "concertation"]
    nav_lines, translations = [], []
    for k in range(2, pages + 1):
        for slug in understand:
            for lang in addresses.LANGS:  # the page's file in each language: charlevoix.md, charlevoix.en.md
                text = (target / "docs" / addresses.source(f"{slug}.md", lang)).read_text(encoding="utf-8")
                (target / "docs" / addresses.source(f"{slug}-{k}.md", lang)).write_text(text, encoding="utf-8")
            nav_lines.append(f"      - Copie {k} de {slug}: {slug}-{k}.md")
            translations.append(f"            Copie {k} de {slug}: Copy {k} of {slug}")
    config = config.replace("      - Concertation: concertation.md\n", "      - Concertation: concertation.md\n" + "".join(f"{n}\n" for n in nav_lines))
    config = config.replace("            Liens à partager: Links to share\n",
                            "            Liens à partager: Links to share\n" + "".join(f"{t}\n" for t in translations))
    config_path.write_text(config, encoding="utf-8")
    folder = target / "data" / "worksheets"
    index = yaml.safe_load((folder / "index.yml").read_text(encoding="utf-8"))
    order = list(index["order"])
    for k in range(2, sheets + 1):
        for sheet_id in index["order"]:
            sheet = yaml.safe_load((folder / f"{sheet_id}.yml").read_text(encoding="utf-8"))
            new_id = f"{sheet_id}-{k}"
            sheet["id"] = new_id
            sheet["title"] = {lang: f"{title} ({k})" for lang, title in sheet["title"].items()}
            (folder / f"{new_id}.yml").write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), encoding="utf-8")
            order.append(new_id)
    (folder / "index.yml").write_text(yaml.safe_dump({"order": order}), encoding="utf-8")
    return target


def scale_run(runs: int) -> dict:
    results = {}
    for label, pages, sheets in (("1×", 1, 1), ("10×", 10, 10), ("30× worksheets", 1, 30)):
        with tempfile.TemporaryDirectory() as folder:
            project = scaled_copy(Path(folder), pages, sheets)
            results[label] = build_times(project, runs if sheets < 30 else 1)
            print(f"scale {label}: {results[label]}", file=sys.stderr)
    return results


# ---- the report -------------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}, {platform.system()}"


def report(times: dict, sizes: dict, weights: dict, collect: float, scale: dict | None) -> str:
    ratio = times["warm"] / times["bare"]
    per_page = (times["cold"] - times["bare"]) / times["pdf_pages"]
    rows = [
        ("`make build`, cold (every handout rendered)", f"{times['cold']:.1f} s", ""),
        ("`make build`, warm (nothing changed)", f"{times['warm']:.2f} s", ""),
        ("bare `mkdocs build` of the same pages and plugins, without the kit's hooks and templates", f"{times['bare']:.2f} s", ""),
        ("warm build / bare build", f"{ratio:.2f}×", f"≤ {BUDGETS['warm / bare']}×"),
        ("`make check`: the link check of the whole site", f"{times['check']:.2f} s", "≤ 1 s"),
        (f"handouts, cold: {times['pdfs']} files, {times['pdf_pages']} pages", f"{per_page:.3f} s a page",
         f"≤ {BUDGETS['handouts cold (s/page)']} s"),
        ("peak memory of the cold build (largest process)", f"{times['peak']:.0f} MiB", f"≤ {BUDGETS['peak memory (MiB)']} MiB"),
        ("first page loaded at once, empty cache (home, French), the theme's search index and worker included: "
         "gzip-compressed by the host / as files",
         f"{weights['first'][1]:.0f} / {weights['first'][0]:.0f} KiB", f"≤ {BUDGETS['first page, gzip (KiB)']} KiB compressed"),
        ("following page: as files / gzip-compressed", f"{weights['following'][0]:.1f} / {weights['following'][1]:.1f} KiB",
         f"≤ {BUDGETS['following page (KiB)']} KiB"),
        (f"`make collect`: {COLLECTED:,} filled worksheets", f"{collect:.1f} s", f"≤ {BUDGETS['collect 2000 (s)']} s"),
    ]
    for kind, (med, largest) in sizes.items():
        rows.append((f"{kind} handout, per page (median / largest)", f"{med:.0f} / {largest:.0f} KiB", "≤ 150 KiB"))
    lines = ["| measure | figure | budget |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    if scale:
        one, ten, thirty = scale["1×"], scale["10×"], scale["30× worksheets"]
        lines += ["", "Scale run (a temporary copy with generated pages and worksheets):", "",
                  "| stage | 1× | 10× | 10× / 1× | 30× worksheets |", "|---|---|---|---|---|",
                  f"| pages / PDFs | {one['pages']} / {one['pdfs']} | {ten['pages']} / {ten['pdfs']} | | "
                  f"{thirty['pages']} / {thirty['pdfs']} |"]
        for key, name, unit in (("cold", "cold build", "s"), ("warm", "warm build", "s"), ("bare", "bare build", "s"),
                                ("check", "link check", "s"), ("peak", "peak memory", "MiB")):
            fmt = "{:.0f}" if unit == "MiB" else "{:.2f}"
            lines.append(f"| {name} | {fmt.format(one[key])} {unit} | {fmt.format(ten[key])} {unit} | "
                         f"{ten[key] / one[key]:.1f}× | {fmt.format(thirty[key])} {unit} |")
    lines.append(f"\nMeasured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine()}.")
    lines.append("Handout time per page is the cold build minus the bare build, divided by the pages rendered.")
    return "\n".join(lines)


def record(table: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench -->", "<!-- /bench -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + start + "\n" + table + "\n" + end + rest.split(end, 1)[1]
        readme.write_text(text, encoding="utf-8")


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    times = build_times(ROOT, runs)
    site = ROOT / "site"
    weights = page_weights(site)
    collect = collect_time(site)
    scale = scale_run(max(1, runs // 2)) if os.environ.get("BENCH_SCALE", "1") != "0" else None
    table = report(times, handout_sizes(site), weights, collect, scale)
    print(table)
    record(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
