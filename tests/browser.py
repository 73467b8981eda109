"""A real browser for the tests: Debian's Chromium driven by Selenium, the built site served
on this machine, every request it makes recorded, and axe-core run in each page."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

from helpers import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the path of SITE_URL (e.g. /trousse/), as it will be published,
    counting the bytes of each file it sends, as sent and as a host compressing text with gzip
    would send them (`sent`: (raw, gzip) pairs, shared by the server's handlers)."""

    prefix = "/"
    sent: list

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        compressible = self.path.split("?")[0].endswith((".html", ".css", ".js", ".json", ".svg", ".xml", "/"))
        self.sent.append((len(data), len(gzip.compress(data, 6)) if compressible else len(data)))

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args):
        pass


def serve(site: Path, prefix: str):
    """Serve site/ at http://127.0.0.1:<port><prefix>; the server's `sent` lists bytes sent."""
    sent: list[tuple[int, int]] = []
    handler = functools.partial(type("Handler", (SiteHandler,), {"prefix": prefix, "sent": sent}), directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.sent = sent
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"


def chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def console_errors(driver) -> list[str]:
    """The errors the page's scripts logged in the console since the last call (uncaught exceptions too)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def requests_made(driver) -> list[dict]:
    """The network requests since the last call: url, status (None if it failed), error."""
    requests: dict[str, dict] = {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            requests[params["requestId"]] = {"url": params["request"]["url"], "status": None, "error": None}
        elif message["method"] == "Network.responseReceived" and params["requestId"] in requests:
            requests[params["requestId"]]["status"] = params["response"]["status"]
        elif message["method"] == "Network.loadingFailed" and params["requestId"] in requests:
            requests[params["requestId"]]["error"] = params.get("errorText")
    return [r for r in requests.values() if urlsplit(r["url"]).scheme in ("http", "https")]


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(driver) -> list[dict]:
    """axe-core's WCAG A and AA violations in the page. resultTypes: axe works out the passes and
    incomplete checks only as far as it must (axe-core's own advice for speed); violations are whole."""
    driver.execute_script(_axe_source())
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))));",
        WCAG,
    )


def viewport(driver, width: int, height: int) -> None:
    """The page's viewport exactly (a phone at 390 px, a projector at 1280×720), not the window's."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def reset_viewport(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def save_downloads_in(driver, folder: Path) -> None:
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})


def downloaded(folder: Path, pattern: str, before: set | frozenset = frozenset(), seconds: float = 30.0) -> list[Path]:
    """The files matching `pattern` the browser finished saving in `folder` since `before`. Chrome
    writes a download as NAME.crdownload and gives it its own name once it is whole: a file under
    its own name, with no download under way, is complete (no guessed delay)."""
    def whole():
        if any(folder.glob("*.crdownload")):
            return []
        return [p for p in folder.glob(pattern) if p not in before and p.stat().st_size > 0]
    return wait_until(whole, seconds) or []


def wait_until(condition, seconds: float = 10.0, step: float = 0.1):
    """The first true value of condition() within the time, else None."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


class storage_refused:
    """Within the block, pages opened find a browser that cannot store (quota reached, private
    browsing): localStorage.setItem throws, as browsers do, from before the page's own scripts."""

    SCRIPT = ("Storage.prototype.setItem = function () {"
              "  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };")

    def __init__(self, driver, longer_than: int = -1):
        """With `longer_than`, only values longer than that are refused: storage nearly full."""
        self.driver = driver
        self.script = self.SCRIPT.replace("{", f"{{ if (String(arguments[1]).length <= {longer_than}) return setItem.apply(this, arguments);", 1)
        self.script = "const setItem = Storage.prototype.setItem;" + self.script

    def __enter__(self):
        self.id = self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": self.script})["identifier"]
        return self

    def __exit__(self, *exc):
        self.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": self.id})


def printed(driver):
    """The page on screen printed as Chromium prints it (print media, the page's own @page size),
    read back with pypdf."""
    import base64
    import io

    from pypdf import PdfReader

    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    return PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
