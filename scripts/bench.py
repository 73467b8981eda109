"""`make bench`: measure the kit's speed and size budgets, print them, record them in the README.

Measured, never asserted by a timed test:
- `make build` cold (no handout cache) and warm (nothing changed), against a bare
  `mkdocs build` of the same configuration without the kit's hooks; the link check;
- handout rendering time per page (cold) and peak memory of the build;
- bytes a reader's browser loads for the first page (empty cache) and for a following page;
- size of each kind of handout, per page.

Each timing is the median of several runs. The figures replace the block between the
`<!-- bench -->` markers of README.md, with the machine they were measured on.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

BUDGETS = {"first page (KiB)": 300, "following page (KiB)": 30, "warm / bare": 1.5, "handouts cold (s/page)": 0.3,
           "peak memory (MiB)": 500}


def run(args, env=None) -> float:
    """Seconds one command takes; it must succeed."""
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_times(runs: int) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    build = [sys.executable, "scripts/build.py", "build"]
    cache = ROOT / ".cache" / "handouts"
    saved = cache.with_name("handouts.bench-saved")
    shutil.rmtree(saved, ignore_errors=True)
    if cache.exists():
        cache.rename(saved)  # a cold build renders every handout
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        cold = run(build, env)
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    finally:
        if saved.exists():
            shutil.rmtree(cache, ignore_errors=True)
            saved.rename(cache)
    run(build, env)
    warm = statistics.median(run(build, env) for _ in range(runs))
    bare_config = ROOT / "mkdocs.bench-bare.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    bare_config.write_text(text.split("\nhooks:")[0] + "\nnav:" + text.split("\nnav:")[1], encoding="utf-8")
    with tempfile.TemporaryDirectory() as out:
        try:
            bare_args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(bare_config), "-d", out]
            run(bare_args, env)
            bare = statistics.median(run(bare_args, env) for _ in range(runs))
        finally:
            bare_config.unlink()
    return {"cold": cold, "warm": warm, "bare": bare, "peak": peak}


def handout_figures(site: Path, cold_seconds: float, bare_seconds: float) -> dict:
    import handouts

    with tempfile.TemporaryDirectory() as out:  # nothing changed: the set comes from the cache
        warm = statistics.median(_timed(handouts.build, Path(out), handouts_url(site)) for _ in range(5))
    manifest = json.loads((site / "handouts.json").read_text(encoding="utf-8"))
    pages = sum(entry["pages"] for entry in manifest)
    sizes = {}
    for kind in ("worksheet", "pack"):
        per_page = [entry["bytes"] / entry["pages"] / 1024 for entry in manifest if entry["kind"] == kind]
        sizes[kind] = (statistics.median(per_page), max(per_page))
    cold = cold_seconds - bare_seconds
    return {"files": len(manifest), "pages": pages, "per_page": cold / pages, "warm": warm, "cold": cold, "sizes": sizes}


def _timed(func, *args) -> float:
    started = time.perf_counter()
    func(*args)
    return time.perf_counter() - started


def handouts_url(site: Path) -> str:
    """The SITE_URL the site was built with (its home page's canonical address)."""
    import links

    return links.parse(site / "index.html").canonical


def page_weights(site: Path) -> dict:
    """KiB the server sends for the home page with an empty cache, then for a following page
    (the browser revalidates what it has: the server answers 304 with no body). Counted at the
    server, so the search worker's requests are included."""
    import browser

    httpd, base = browser.serve(site, "/")
    driver = browser.chrome()
    try:
        weights = []
        for address in ("", "gestion-et-gouvernance/"):
            before = len(httpd.sent)
            driver.get(base + address)
            time.sleep(1.5)  # the search worker and its index load after the page
            sent = httpd.sent[before:]
            weights.append((sum(raw for raw, _ in sent) / 1024, sum(packed for _, packed in sent) / 1024))
        return {"first": weights[0], "following": weights[1]}
    finally:
        driver.quit()
        httpd.shutdown()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}, {platform.system()}"


def report(times: dict, handouts: dict, weights: dict) -> str:
    ratio = times["warm"] / times["bare"]
    rows = [
        ("`make build`, cold (every handout rendered)", f"{times['cold']:.1f} s", ""),
        ("`make build`, warm (nothing changed)", f"{times['warm']:.2f} s", ""),
        ("bare `mkdocs build` of the same configuration, no hooks", f"{times['bare']:.2f} s", ""),
        ("warm build / bare build", f"{ratio:.2f}×", f"≤ {BUDGETS['warm / bare']}×"),
        ("`make check`: the link check of the whole site", f"{times['check']:.2f} s", "≤ 1 s"),
        (f"handouts, cold: {handouts['files']} files, {handouts['pages']} pages", f"{handouts['per_page']:.3f} s a page",
         f"≤ {BUDGETS['handouts cold (s/page)']} s"),
        ("handouts in a build where nothing changed (share of the cold handout time)",
         f"{handouts['warm']:.2f} s ({100 * handouts['warm'] / handouts['cold']:.1f} %)", "≤ 10 %"),
        ("peak memory of the cold build (largest process)", f"{times['peak']:.0f} MiB", f"≤ {BUDGETS['peak memory (MiB)']} MiB"),
        ("first page loaded, empty cache (home, French): as files / gzip-compressed by the host",
         f"{weights['first'][0]:.0f} / {weights['first'][1]:.0f} KiB", f"≤ {BUDGETS['first page (KiB)']} KiB"),
        ("following page: as files / gzip-compressed", f"{weights['following'][0]:.1f} / {weights['following'][1]:.1f} KiB",
         f"≤ {BUDGETS['following page (KiB)']} KiB"),
    ]
    for kind, (median, largest) in handouts["sizes"].items():
        rows.append((f"{kind} handout, per page (median / largest)", f"{median:.0f} / {largest:.0f} KiB", "≤ 150 KiB"))
    lines = ["| measure | figure | budget |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
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
    times = build_times(runs)
    site = ROOT / "site"
    handouts = handout_figures(site, times["cold"], times["bare"])
    weights = page_weights(site)
    times["check"] = statistics.median(run([sys.executable, "scripts/build.py", "check"]) for _ in range(runs))
    table = report(times, handouts, weights)
    print(table)
    record(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
