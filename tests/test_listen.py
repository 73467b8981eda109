"""Listening ("Écouter" / "Listen", docs/assets/javascripts/kit-listen.js) in a real browser.

Chromium's own speech is replaced, before any of the page's scripts run, by a stub with a list
of voices each test chooses: it records every utterance (text, lang, voice) and every call
(speak, pause, resume, cancel), and fires an utterance's start when it comes first in the queue
(`__speech.advance()` ends it and starts the next). So the tests read what a listener would hear,
in which voice, without a sound card or a voice installed."""

from __future__ import annotations

import json
import re
import time

import pytest

import browser
from helpers import label, words
from test_answers import offline_kit

pytestmark = pytest.mark.browser

STUB = """
(() => {
  const queue = [];
  const listeners = [];
  const speech = { spoken: [], calls: [], voices: %s };
  window.__speech = speech;
  class Utterance {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; }
  }
  const start = () => { if (queue[0] && queue[0].onstart) queue[0].onstart({}); };
  const synth = {
    speaking: false, paused: false, pending: false,
    getVoices: () => speech.voices.slice(),
    speak(u) {
      speech.calls.push("speak");
      speech.spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name });
      queue.push(u);
      if (queue.length === 1) setTimeout(start, 0);
    },
    cancel() { speech.calls.push("cancel"); queue.splice(0).forEach((u) => u.onerror && u.onerror({ error: "interrupted" })); },
    pause() { speech.calls.push("pause"); this.paused = true; },
    resume() { speech.calls.push("resume"); this.paused = false; },
    addEventListener(type, fn) { if (type === "voiceschanged") listeners.push(fn); },
  };
  speech.advance = () => { const u = queue.shift(); if (u && u.onend) u.onend({}); start(); };
  speech.setVoices = (voices) => { speech.voices = voices; listeners.forEach((fn) => fn({})); };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
})();
"""


def voice(name: str, lang: str, local: bool = True) -> dict:
    return {"name": name, "lang": lang, "localService": local, "default": False, "voiceURI": name}


# A device with voices of both languages: the French Canadian voice on the device must win over a
# French one from France and over a French Canadian one from the network (Google's, in Chrome).
EVERY_VOICE = [voice("Google français", "fr-CA", local=False), voice("Thomas", "fr-FR"), voice("Amélie", "fr-CA"),
               voice("Samantha", "en-US"), voice("Clara", "en_CA"), voice("Google English", "en-CA", local=False)]
ENGLISH_ONLY = [voice("Samantha", "en-US"), voice("Clara", "en-CA")]


@pytest.fixture()
def speech(driver):
    """Install the stub with the given voices on every page opened next; removed afterwards."""
    installed = []

    def install(voices):
        source = STUB % json.dumps(voices)
        installed.append(driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})["identifier"])

    yield install
    for identifier in installed:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier})


def open_page(driver, url: str) -> None:
    driver.get(url)
    assert browser.wait_until(lambda: driver.execute_script(
        "const b = document.querySelector('.kit-listen'); return b && !b.hidden"), 5), "the listening controls never showed"


def toggle(driver):
    return driver.find_element("css selector", '.kit-listen [data-listen="toggle"]')


def spoken(driver) -> list[dict]:
    return driver.execute_script("return window.__speech.spoken")


def calls(driver) -> list[str]:
    return driver.execute_script("return window.__speech.calls")


def said(driver) -> str:
    return " ".join(u["text"] for u in spoken(driver))


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_a_french_page_is_read_summary_first_in_a_french_canadian_voice_with_acronyms_spelt_out(driver, served, speech):
    speech(EVERY_VOICE)
    open_page(driver, served + "enjeux/")
    [summary] = driver.execute_script(  # as heard: each acronym replaced by its expansion
        "return [document.querySelector('.kit-summary')]"
        ".map(e => { if (!e) return null; const c = e.cloneNode(true);"
        "  c.querySelectorAll('abbr[title]').forEach(a => a.replaceWith(a.title)); return c.textContent; })")
    abbreviations = driver.execute_script("return [...document.querySelectorAll('article abbr')].map(a => [a.textContent, a.title])")
    article = driver.execute_script(  # the article as heard
        "const c = document.querySelector('article').cloneNode(true);"
        "c.querySelectorAll('abbr[title]').forEach(a => a.replaceWith(a.title)); return c.textContent")
    not_read = driver.execute_script(
        "return [...document.querySelectorAll('.kit-source p, .md-footer, .md-header, .md-nav__title')].map(e => e.innerText)")
    toggle(driver).click()
    utterances = spoken(driver)
    assert len(utterances) > 20
    assert summary, "the page has its « En bref » box"
    assert flat(utterances[0]["text"]) in flat(summary), "the summary comes first"
    assert {(u["voice"], u["lang"]) for u in utterances} == {("Amélie", "fr-CA")}
    text = flat(said(driver))
    assert "nouvelle gestion publique" in text and not re.search(r"\bNGP\b", text)
    assert ["NGP", "nouvelle gestion publique"] in abbreviations
    for short, expansion in abbreviations:
        if short not in expansion:
            assert not re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text), f"{short} read as letters"
    for utterance in utterances:
        assert flat(utterance["text"]) in flat(article), f"read from outside the page's text: {utterance['text']!r}"
    for skipped in not_read:
        for line in filter(None, (flat(w) for w in skipped.split("\n"))):
            if len(line) > 25:
                assert line not in text, f"read, but should not be: {line!r}"
    title = driver.find_element("css selector", "article h1").text
    assert flat(title) not in [flat(u["text"]) for u in utterances], "the title is not read: the reader is on it"


def test_the_summary_is_read_first_and_once(driver, served, speech):
    speech(EVERY_VOICE)
    open_page(driver, served + "gestion-et-gouvernance/")
    assert driver.find_elements("css selector", "article .kit-summary"), "the page has its « En bref » box"
    summary = driver.execute_script(  # as heard: each acronym replaced by its expansion
        "return [...document.querySelectorAll('.kit-summary h2, .kit-summary p, .kit-summary li')].map(e => {"
        "  const c = e.cloneNode(true); c.querySelectorAll('abbr[title]').forEach(a => a.replaceWith(a.title)); return c.textContent; })")
    toggle(driver).click()
    texts = [flat(u["text"]) for u in spoken(driver)]
    summary_text = flat(" ".join(summary))
    # the first utterances, joined, are the whole summary (whatever the page says next)
    ends = [k for k in range(1, len(texts) + 1) if flat(" ".join(texts[:k])) == summary_text]
    assert ends, f"the whole summary, first: heard {texts[:6]}"
    first = texts[:ends[0]]
    for sentence in first:
        if len(sentence) > 12:
            assert texts.count(sentence) == 1, f"read twice: {sentence!r}"


def test_an_english_page_is_read_in_a_canadian_english_voice(driver, served, speech):
    speech(EVERY_VOICE)
    open_page(driver, served + "en/enjeux/")
    assert toggle(driver).text == label("listen", "en")
    toggle(driver).click()
    utterances = spoken(driver)
    assert utterances and {(u["voice"], u["lang"]) for u in utterances} == {("Clara", "en-CA")}
    assert "New Public Management" in said(driver) and not re.search(r"\bNPM\b", said(driver))


def test_no_french_voice_no_button_and_a_note_says_why(driver, served, speech):
    speech(ENGLISH_ONLY)
    open_page(driver, served + "concertation/")
    assert not toggle(driver).is_displayed()
    note = driver.find_element("css selector", ".kit-listen__note")
    assert note.is_displayed() and words(note.text) == words(label("listen_no_voice", "fr"))
    assert browser.axe_violations(driver) == []
    driver.execute_script("window.__speech.setVoices([{name: 'Amélie', lang: 'fr-CA', localService: true}])")
    assert toggle(driver).is_displayed() and not note.is_displayed(), "a voice that comes late is used"


def test_voices_that_arrive_late_are_waited_for(driver, served, speech):
    speech([])
    driver.get(served + "charlevoix/")
    time.sleep(0.3)
    assert not driver.find_element("css selector", ".kit-listen").is_displayed(), "nothing shown while voices may come"
    driver.execute_script("window.__speech.setVoices([{name: 'Thomas', lang: 'fr-FR', localService: true}])")
    toggle(driver).click()
    assert {u["voice"] for u in spoken(driver)} == {"Thomas"}


def test_a_device_with_no_voice_at_all_gets_the_note_after_a_moment(driver, served, speech):
    speech([])
    driver.get(served + "en/charlevoix/")
    note = driver.find_element("css selector", ".kit-listen__note")
    assert browser.wait_until(note.is_displayed, 5), "no voice ever came: the note says why"
    assert words(note.text) == words(label("listen_no_voice", "en")) and not toggle(driver).is_displayed()


def test_pause_resume_and_stop_drive_the_speech_and_say_so(driver, served, speech):
    speech(EVERY_VOICE)
    open_page(driver, served + "assises-democratiques/")
    button = toggle(driver)
    stop = driver.find_element("css selector", '.kit-listen [data-listen="stop"]')
    status = driver.find_element("css selector", ".kit-listen [role=status]")
    assert button.text == label("listen", "fr") and not stop.is_displayed()
    button.click()
    assert "speak" in calls(driver) and button.text == label("listen_pause", "fr") and stop.is_displayed()
    assert status.text == label("listen_playing", "fr")
    button.click()
    assert calls(driver)[-1] == "pause" and button.text == label("listen_resume", "fr") and status.text == label("listen_paused", "fr")
    button.click()
    assert calls(driver)[-1] == "resume" and button.text == label("listen_pause", "fr")
    stop.click()
    assert "cancel" in calls(driver)[-2:] and button.text == label("listen", "fr") and not stop.is_displayed()
    assert status.text == label("listen_stopped", "fr")
    assert driver.execute_script("return document.activeElement") == button, "focus stays on the controls"


def test_the_sentence_read_is_highlighted_and_the_end_is_said(driver, served, speech):
    speech(EVERY_VOICE)
    open_page(driver, served + "fiches/echange-1/")
    toggle(driver).click()
    first = browser.wait_until(lambda: spoken(driver), 10)[0]["text"]
    state = driver.execute_script(
        "const h = CSS.highlights.get('kit-listen'); const b = document.querySelector('.kit-listen-block');"
        "return [h ? [...h][0].toString() : null, b && b.innerText, document.querySelectorAll('.kit-listen-block').length]")
    assert state[2] == 1 and flat(first) in flat(state[1])
    assert state[0] is not None and flat(state[0]) in flat(first) or "nouvelle gestion publique" in first
    for _ in spoken(driver):
        driver.execute_script("window.__speech.advance()")
    assert driver.find_element("css selector", ".kit-listen [role=status]").text == label("listen_done", "fr")
    assert not driver.find_elements("css selector", ".kit-listen-block")


def test_a_worksheet_page_reads_its_context_and_questions_only(driver, served, speech, kit):
    speech(EVERY_VOICE)
    sheet = kit.worksheet("echange-1")
    open_page(driver, served + "fiches/echange-1/")
    facilitator = driver.execute_script("return document.querySelector('.kit-facilitator').textContent")
    toggle(driver).click()
    text = flat(said(driver))
    for question in sheet.questions:
        assert flat(question["fr"].replace("'", "’"))[:40] in text
    assert label("context", "fr") in text and label("questions", "fr") in text
    beginnings = [" ".join(label(key, "fr").split()[:5]) for key in ("privacy", "who", "facilitator_heading", "answers_download", "read_more")]
    for shown in (*beginnings, flat(facilitator)[:40]):  # the form, the facts, the notes, the link: not read
        assert shown not in text, shown


def test_a_question_is_read_with_the_kits_plain_rewording(driver, served, speech, kit):
    speech(EVERY_VOICE)
    plain = kit.worksheet("soutien-communautaire").questions[0].plain["fr"]
    open_page(driver, served + "fiches/soutien-communautaire/")
    toggle(driver).click()
    text = flat(said(driver))
    assert flat(plain)[:30] in text, "the rewording is read after its question"
    assert text.index("Pour quelles raisons") < text.index(flat(plain)[:30])


def test_a_projection_reads_the_slide_on_screen(driver, served, speech, kit):
    speech(EVERY_VOICE)
    sheet = kit.worksheet("espaces-de-concertation")
    open_page(driver, served + "fiches/espaces-de-concertation/projection/")
    driver.find_element("css selector", '[data-slide="next"]').click()
    driver.find_element("css selector", '[data-slide="next"]').click()
    toggle(driver).click()
    text = flat(said(driver))
    assert text == flat(sheet.questions[1]["fr"].replace("'", "’") + " " + ", ".join(sheet.scale["fr"])), "the slide, not its number"
    driver.find_element("css selector", '[data-slide="next"]').click()  # another slide: reading stops
    assert calls(driver)[-2] == "cancel" and toggle(driver).text == label("listen", "fr")
    assert browser.axe_violations(driver) == []


def test_the_button_is_reached_and_pressed_with_the_keyboard(driver, served, speech):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    speech(EVERY_VOICE)
    open_page(driver, served + "charlevoix/")
    button = toggle(driver)
    for _ in range(40):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element == button:
            break
    assert driver.switch_to.active_element == button, "Tab reaches the Listen button"
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", button)
    assert outline != "none", "the focus is visible"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert "speak" in calls(driver) and button.text == label("listen_pause", "fr")
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    assert calls(driver)[-1] == "pause" and button.text == label("listen_resume", "fr")
    assert browser.axe_violations(driver) == []


def test_the_controls_fit_a_phone_and_never_print(driver, served, speech):
    speech(EVERY_VOICE)
    browser.viewport(driver, 390, 844)
    open_page(driver, served + "enjeux/")
    toggle(driver).click()
    for button in driver.find_elements("css selector", ".kit-listen button"):
        if button.is_displayed():
            assert button.rect["height"] >= 44 and button.rect["width"] >= 44, button.text
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    assert browser.axe_violations(driver) == []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not driver.find_element("css selector", ".kit-listen").is_displayed()


def test_nothing_shows_without_speech_synthesis(driver, served):
    identifier = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
        "source": "Object.defineProperty(window, 'speechSynthesis', {value: undefined, configurable: true});"})["identifier"]
    try:
        driver.get(served + "enjeux/")
        time.sleep(2.3)
        assert not driver.find_element("css selector", ".kit-listen").is_displayed()
        assert driver.execute_script("return document.querySelector('.kit-listen').getBoundingClientRect().height") == 0, \
            "no room kept for controls that will never show"
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier})


def summary_top(driver) -> float:
    """Where « En bref » starts on the page, in CSS pixels from the top of the document."""
    return driver.execute_script("return document.querySelector('.kit-summary').getBoundingClientRect().top + scrollY")


@pytest.mark.parametrize("voices", [EVERY_VOICE, []], ids=["a-voice", "no-voice"])
def test_the_page_below_never_moves_when_the_controls_show(driver, served, speech, voices):
    """The controls' room is kept from the first paint: « En bref » is where it was before the
    script ran (the script blocked) once the button, or the note, shows (Lighthouse counted the
    controls moved under the title after the first paint as a layout shift)."""
    speech(voices)
    browser.viewport(driver, 390, 844)
    driver.execute_cdp_cmd("Network.enable", {})
    try:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*kit-listen.js*"]})
        driver.get(served + "enjeux/")
        assert browser.wait_until(lambda: driver.execute_script("return document.readyState") == "complete", 5)
        assert not driver.find_element("css selector", ".kit-listen").is_displayed(), "the script was blocked"
        before = summary_top(driver)
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        open_page(driver, served + "enjeux/")
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        driver.execute_cdp_cmd("Network.disable", {})
    shown = toggle(driver) if voices else driver.find_element("css selector", ".kit-listen__note")
    assert shown.is_displayed()
    assert summary_top(driver) == before, "« En bref » moved when the controls showed"


def test_listening_works_in_the_offline_kit(driver, site, speech, tmp_path):
    speech(EVERY_VOICE)
    kit = offline_kit(site, tmp_path / "kit")
    open_page(driver, (kit / "enjeux" / "index.html").as_uri())
    toggle(driver).click()
    assert len(spoken(driver)) > 20 and "nouvelle gestion publique" in said(driver)
    open_page(driver, (kit / "en" / "fiches" / "echange-1" / "index.html").as_uri())
    toggle(driver).click()
    assert spoken(driver) and {u["voice"] for u in spoken(driver)} == {"Clara"}


def test_the_pages_that_offer_listening(site):
    from helpers import page_file, soup

    for prefix in ("", "en/"):
        for address in ("", "gestion-et-gouvernance/", "assises-democratiques/", "enjeux/", "charlevoix/", "concertation/",
                        "glossaire/", "animation/", "fiches/echange-1/", "fiches/echange-1/projection/", "deroulement/projection/"):
            page = soup(page_file(site, prefix + address))
            assert page.select("article .kit-listen[hidden]"), prefix + address
            assert page.select('script[src$="assets/javascripts/kit-listen.js"][defer]'), prefix + address
            assert any("kit-speech" in (s.string or "") for s in page.head.find_all("script")), "their room kept from the first paint"
            (box,) = page.select(".kit-listen")
            if "projection" in address:  # among the projection's controls, before their help line
                assert box.parent["class"] == ["kit-projection-controls"], prefix + address
                assert "kit-projection-help" in box.find_next_sibling()["class"], prefix + address
            else:  # where the script would have moved them: right after the title
                assert box.find_previous_sibling() is page.select_one("article h1"), prefix + address
        for address in ("sources/", "liens/", "fiches/"):
            assert not soup(page_file(site, prefix + address)).select(".kit-listen"), prefix + address
