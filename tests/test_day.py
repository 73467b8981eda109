"""Planning the day (/deroulement/) and projecting it (/deroulement/projection/), as a facilitator
would: in a real browser (Debian's Chromium), from a server and from the offline kit.

The expected clock times are worked out here from data/day.yml and the worksheets, and written in
the forms the issue asks for (« 9 h 30 », « 13 h », "9:30 a.m.", "1:00 p.m."), not read back
from the page's script."""

from __future__ import annotations

import shutil
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest

import browser
from helpers import data, page_file, soup

KIT = data.load()
T = {lang: KIT.t(lang) for lang in ("fr", "en")}
PREFIX = {"fr": "", "en": "en/"}


# ---- what the page should say, worked out from the data -------------------------------------------

def clock(minutes: int, lang: str) -> str:
    hour, minute = divmod(minutes % 1440, 60)
    if lang == "fr":
        return f"{hour} h {minute:02d}" if minute else f"{hour} h"
    return f"{hour % 12 or 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"


def default_day() -> list[tuple[str, int]]:
    """(block, minutes) of the default plan, in order."""
    return [(b.key, b.duration or KIT.worksheet(b.worksheet).duration) for b in KIT.day.blocks]


def schedule(start: int, blocks: list[tuple[str, int]]) -> dict[str, tuple[int, int]]:
    out = {}
    for key, minutes in blocks:
        out[key] = (start, start + minutes)
        start += minutes
    return out


def text(element_text: str) -> str:
    """Words as a reader sees them: any space one space, one kind of apostrophe."""
    words = unicodedata.normalize("NFKC", element_text)  # "ﬁ" as a PDF may write it: "fi"
    return " ".join(words.replace("\u00a0", " ").replace("\u202f", " ").replace("'", "’").split())


# ---- driving the page ---------------------------------------------------------------------------

def rows(driver) -> dict[str, str]:
    """The run sheet: block -> its time cell."""
    return {row.get_attribute("data-block"): text(row.find_element("css selector", "td").get_attribute("textContent"))
            for row in driver.find_elements("css selector", "[data-kit-day-rows] tr")}


def set_value(driver, selector: str, value: str) -> None:
    """Type into a field the way the browser reports it (a time field's keys depend on the locale)."""
    driver.execute_script("const f = document.querySelector(arguments[0]); f.value = arguments[1];"
                          "f.dispatchEvent(new Event('input', {bubbles: true}));", selector, value)


def click(driver, selector: str) -> None:
    """Click as a person would: the control scrolled to the middle of the screen first (the bar
    holding the total stays at the bottom of the screen)."""
    element = driver.find_element("css selector", selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def form_values(driver) -> dict:
    return driver.execute_script(
        "const f = document.querySelector('[data-kit-day-form]');"
        "return {start: f.debut.value, groups: f.groupes.value, people: f.personnes.value, large: f.gros.value,"
        " blocks: [...f.querySelectorAll('li[data-block]')].map(li => [li.dataset.block,"
        "   li.querySelector('input[type=checkbox]').checked, li.querySelector('input[type=number]').value])};")


def total(driver) -> str:
    return text(driver.find_element("css selector", "[data-kit-day-total]").get_attribute("textContent"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_start_time_sets_every_clock_time_in_the_pages_language(driver, served, lang):
    driver.get(served + PREFIX[lang] + "deroulement/")
    shown = rows(driver)
    times = schedule(9 * 60, default_day())
    first = "9 h – 9 h 20" if lang == "fr" else "9:00 a.m. – 9:20 a.m."
    assert shown["accueil"] == first  # the forms asked for, written out once
    assert list(shown) == [key for key, _ in default_day()], "the guide's day, in its order"
    for key, (start, end) in times.items():
        assert shown[key] == f"{clock(start, lang)} – {clock(end, lang)}", key
    set_value(driver, "#kit-day-start", "08:30")
    shown = rows(driver)
    times = schedule(8 * 60 + 30, default_day())
    for key in ("accueil", "diner", "soutien-communautaire", "cloture"):
        start, end = times[key]
        assert shown[key] == f"{clock(start, lang)} – {clock(end, lang)}", key
    assert clock(times["diner"][1], lang) in ("12 h 25", "12:25 p.m.")
    end = clock(times["cloture"][1], lang)
    assert end in total(driver) and clock(8 * 60 + 30, lang) in total(driver)
    assert total(driver).endswith(end if lang == "en" else end + "."), "one period after « p.m. »"
    assert parse_qs(urlsplit(driver.current_url).query)["debut"] == ["08:30"]
    set_value(driver, "#kit-day-start", "13:00")
    assert rows(driver)["accueil"] == ("13 h – 13 h 20" if lang == "fr" else "1:00 p.m. – 1:20 p.m.")


@pytest.mark.browser
def test_a_changed_length_moves_the_end_of_the_day_and_the_times_after_it(driver, served):
    driver.get(served + "deroulement/")
    before = schedule(9 * 60, default_day())
    assert f"à {clock(before['cloture'][1], 'fr')}." in total(driver)
    box = driver.find_element("css selector", "input[name=min-echange-1]")
    box.clear()
    box.send_keys("45")
    after = schedule(9 * 60, [(k, 45 if k == "echange-1" else m) for k, m in default_day()])
    assert after["cloture"][1] == before["cloture"][1] + 15
    assert f"à {clock(after['cloture'][1], 'fr')}." in total(driver)
    assert rows(driver)["echange-2"] == f"{clock(after['echange-2'][0], 'fr')} – {clock(after['echange-2'][1], 'fr')}"
    assert rows(driver)["accueil"] == "9 h – 9 h 20", "what comes before does not move"
    click(driver, "#kit-day-in-diner")  # no lunch: the end comes an hour sooner
    assert f"à {clock(after['cloture'][1] - 60, 'fr')}." in total(driver)
    assert "diner" not in rows(driver)


@pytest.mark.browser
def test_a_plan_reopens_from_its_address(driver, served):
    driver.get(served + "deroulement/")
    set_value(driver, "#kit-day-start", "08:15")
    set_value(driver, "#kit-day-groups", "3")
    set_value(driver, "#kit-day-people", "14")
    set_value(driver, "#kit-day-large", "2")
    box = driver.find_element("css selector", "input[name=min-pause-matin]")
    box.clear()
    box.send_keys("20")
    click(driver, "#kit-day-in-standardisation")
    click(driver, 'li[data-block="echange-3"] [data-move="-1"]')  # before Discussion 2
    planned = form_values(driver)
    address = driver.current_url
    query = parse_qs(urlsplit(address).query)
    assert query["debut"] == ["08:15"] and query["groupes"] == ["3"] and query["personnes"] == ["14"] and query["gros"] == ["2"]
    assert "pause-matin:20" in query["plan"][0].split(",") and "standardisation" not in query["plan"][0]
    assert driver.find_element("css selector", "[data-kit-day-address]").get_attribute("value") == address
    times = rows(driver)
    other = "en" if "/en/" not in address else "fr"
    assert driver.find_element("css selector", f"a[hreflang={other}]").get_attribute("href").endswith(urlsplit(address).query), \
        "the other language opens the same plan"
    driver.get(served)  # elsewhere, then the address again
    driver.get(address)
    assert form_values(driver) == planned
    assert rows(driver) == times
    order = [key for key, included, _ in planned["blocks"] if included]
    assert order.index("echange-3") < order.index("echange-2")
    copies = {row.get_attribute("data-block"): [text(td.text) for td in row.find_elements("css selector", "td")]
              for row in driver.find_elements("css selector", "[data-kit-day-copies] tr")}
    assert "standardisation" not in copies and copies["echange-1"][1:] == ["3", "12", "2"]
    click(driver, "a[data-kit-day-reset]")
    assert form_values(driver)["start"] == KIT.day.start and list(rows(driver)) == [key for key, _ in default_day()]


@pytest.mark.browser
def test_values_that_do_not_read_in_the_address_are_left_for_the_defaults(driver, served):
    driver.get(served + "deroulement/?debut=25:99&groupes=abc&personnes=-3&gros=9&plan=rien,echange-2:9999,echange-2,accueil:x")
    values = form_values(driver)
    assert (values["start"], values["groups"], values["people"]) == (KIT.day.start, str(KIT.day.groups), str(KIT.day.participants))
    kept = [(key, minutes) for key, included, minutes in values["blocks"] if included]
    assert kept == [("echange-2", "30")], "accueil:x and the unknown block are dropped, the length out of range ignored"
    assert rows(driver)["echange-2"] == "9 h – 9 h 30"


@pytest.mark.browser
def test_the_order_changes_with_the_keyboard_and_the_move_is_announced(driver, served):
    from selenium.webdriver.common.keys import Keys

    driver.get(served + "deroulement/")
    down = driver.find_element("css selector", 'li[data-block="accueil"] [data-move="1"]')
    up_first = driver.find_element("css selector", 'li[data-block="accueil"] [data-move="-1"]')
    assert not up_first.is_enabled(), "the first part cannot go up"
    down.send_keys(Keys.ENTER)
    keys = [b[0] for b in form_values(driver)["blocks"]]
    assert keys[:2] == ["definitions", "accueil"]
    said = driver.find_element("css selector", "[data-kit-day-moved]")
    assert said.get_attribute("role") == "status" and "Accueil" in said.text and "2 sur" in text(said.get_attribute("textContent"))
    focused = driver.switch_to.active_element
    assert focused.get_attribute("data-move") and focused.find_element("xpath", "./ancestor::li").get_attribute("data-block") == "accueil"
    assert rows(driver)["definitions"] == "9 h – 9 h 20"
    assert driver.find_element("css selector", "[data-kit-day-total]").get_attribute("role") == "status"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_run_sheet_prints_on_one_letter_page_without_the_form(driver, served, lang):
    driver.get(served + PREFIX[lang] + "deroulement/")
    reader = browser.printed(driver)
    assert len(reader.pages) == 1, f"{len(reader.pages)} pages"
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792), "Letter"
    words = text(reader.pages[0].extract_text())
    end = clock(schedule(9 * 60, default_day())["cloture"][1], lang)
    t = T[lang]
    for shown in (t["day_sheet_caption"], t["day_copies_caption"], end, KIT.worksheet("espaces-de-concertation").title[lang][:20]):
        assert text(shown) in words, shown
    for hidden in (t["day_start"], t["day_blocks"], t["day_up"], t["day_copy_link"], t["day_project"]):
        assert text(hidden) not in words, f"{hidden!r} printed"


def visible_slide(driver) -> str:
    return text(driver.execute_script(
        "const s = [...document.querySelectorAll('.kit-slide')].find(s => !s.hidden); return s.innerText;"))


def walk_slides(driver) -> list[str]:
    """Every slide's text, going forward with the right arrow, as with a clicker."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    count = len(driver.find_elements("css selector", ".kit-slide"))
    seen = [visible_slide(driver)]
    for _ in range(count - 1):
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        assert browser.wait_until(lambda: visible_slide(driver) != seen[-1], 10), f"stuck on {seen[-1][:60]!r}"
        seen.append(visible_slide(driver))
    return seen


PLAN = "?debut=09:00&plan=accueil,echange-2,pause-matin:20,echange-1,cloture&groupes=4&personnes=20&gros=0"


def check_chain(driver, lang: str) -> None:
    """The day's projection of PLAN: agenda, welcome, Discussion 2, the break, Discussion 1, closing."""
    t = T[lang]
    second, first = KIT.worksheet("echange-2"), KIT.worksheet("echange-1")
    slides = walk_slides(driver)
    assert len(slides) == 1 + 1 + (1 + len(second.questions)) + 1 + (1 + len(first.questions)) + 1, slides
    assert slides[0].startswith(text(t["day_agenda"]))
    assert text(second.title[lang]) in slides[2] and text(first.title[lang]) in slides[4 + len(second.questions)]
    back = 9 * 60 + 20 + second.duration + 20  # welcome, Discussion 2, a break of 20 minutes
    assert text(t["day_back_at"].replace("{time}", clock(back, lang))) in slides[3 + len(second.questions)]
    for sheet in KIT.worksheets:
        if sheet.id not in ("echange-1", "echange-2"):
            assert not any(text(sheet.title[lang]) in slide for slide in slides), f"{sheet.id} is not in the plan"
    timer = driver.find_element("css selector", "[role=timer]").text
    assert timer == "20:00", "the countdown is the closing's own length"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_project_the_day_chains_the_plans_worksheets_with_the_return_after_a_break(driver, served, lang):
    browser.viewport(driver, 1280, 720)
    driver.get(served + PREFIX[lang] + "deroulement/" + PLAN)
    click(driver, "a[data-kit-day-project]")
    assert urlsplit(driver.current_url).path.endswith("/deroulement/projection/")
    check_chain(driver, lang)
    assert browser.axe_violations(driver) == []
    back = driver.find_element("css selector", "a.kit-projection-back")
    assert "plan=accueil,echange-2,pause-matin:20" in back.get_attribute("href")


@pytest.mark.browser
def test_the_planner_passes_axe_with_a_plan_changed_and_fits_a_phone(driver, served):
    browser.viewport(driver, 390, 844)
    driver.get(served + "en/deroulement/" + PLAN)
    click(driver, 'li[data-block="echange-1"] [data-move="-1"]')
    assert browser.axe_violations(driver) == []
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    assert not [r for r in browser.requests_made(driver) if not r["url"].startswith(served.rsplit("/", 2)[0])]


@pytest.mark.browser
def test_the_planner_and_its_projection_work_from_the_offline_kit(driver, site, tmp_path):
    import zipfile

    with zipfile.ZipFile(site / "trousse-hors-ligne.zip") as archive:
        archive.extractall(tmp_path)
    (kit,) = tmp_path.iterdir()
    driver.get((kit / "en" / "deroulement" / "index.html").as_uri() + PLAN)
    assert rows(driver)["echange-2"] == f"{clock(9 * 60 + 20, 'en')} – {clock(9 * 60 + 50, 'en')}"
    set_value(driver, "#kit-day-start", "13:00")
    assert rows(driver)["accueil"] == "1:00 p.m. – 1:20 p.m."
    assert "debut=13:00" in driver.current_url, "the address follows the plan from a file too"
    link = driver.find_element("css selector", "a[data-kit-day-project]")
    assert link.get_attribute("href").startswith((kit / "en" / "deroulement" / "projection" / "index.html").as_uri() + "?debut=13:00")
    driver.get((kit / "en" / "deroulement" / "projection" / "index.html").as_uri() + PLAN)
    browser.viewport(driver, 1280, 720)
    check_chain(driver, "en")
    shutil.rmtree(tmp_path, ignore_errors=True)


# ---- without a browser ----------------------------------------------------------------------------

def test_the_planner_is_linked_from_the_guide_the_worksheets_the_home_page_and_the_links_page(site):
    for lang, prefix in PREFIX.items():
        for page, link in (("", "deroulement/"), ("animation/", "../deroulement/"), ("fiches/", "../deroulement/")):
            hrefs = {a["href"] for a in soup(page_file(site, prefix + page)).select("article a[href]")}
            assert link in hrefs, (lang, page)
        listed = soup(page_file(site, prefix + "liens/")).select_one("article").get_text()
        assert f"/trousse/{prefix}deroulement/" in listed and f"/trousse/{prefix}deroulement/projection/" in listed
        planner = soup(page_file(site, prefix + "deroulement/"))
        scripts = [s["src"] for s in planner.select("script[src]")]
        assert any(s.endswith("kit-day.js") for s in scripts) and not any("kit-projection" in s for s in scripts)
        projection = soup(page_file(site, prefix + "deroulement/projection/"))
        scripts = [s["src"].rsplit("/", 1)[-1] for s in projection.select("script[src]")]
        assert scripts.index("kit-day.js") < scripts.index("kit-projection.js"), "the day's slides are arranged first"
        assert not projection.select(".md-header, .md-footer")
    other = soup(page_file(site, "glossaire/"))
    assert not [s for s in other.select("script[src]") if "kit-day" in s["src"]], "loaded only where it is used"


def test_a_mistake_in_the_day_names_the_file_and_the_block(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data.paths.DATA, copy)
    day = copy / "day.yml"
    good = day.read_text(encoding="utf-8")
    day.write_text(good.replace("- worksheet: echange-1", "- worksheet: echange-9"), encoding="utf-8")
    with pytest.raises(data.KitError, match=r"day\.yml: block 3: 'worksheet: echange-9' names no worksheet"):
        data.load(copy)
    day.write_text(good.replace("  - id: pause-apres-midi", "  - id: pause-matin"), encoding="utf-8")
    with pytest.raises(data.KitError, match=r"'pause-matin' comes twice"):
        data.load(copy)
    day.write_text(good.replace('start: "09:00"', 'start: "9 h"'), encoding="utf-8")
    with pytest.raises(data.KitError, match=r"day\.yml:\d+: field 'start'"):
        data.load(copy)
