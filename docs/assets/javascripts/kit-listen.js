/* kit-listen.js: "Écouter" / "Listen", the page read aloud by the device's own voice (Web Speech API).
 *
 * - What is read: on a content page the summary ("En bref") first, then the text under the title;
 *   on a worksheet page its summary, context and questions; on a projection the slide on screen.
 *   Never read: menus, header and footer (outside the article), the source box, notes for
 *   facilitators, footnotes, buttons and fields, these controls, anything hidden; nothing twice.
 * - Acronyms (<abbr title="…">, from data/glossary.yml) are read by their expansion.
 * - The voice follows the page's language: one on the device before one over the network (which
 *   fails offline), Canadian before other French (English) ones. No voice in the page's language:
 *   no button, a note says why; never French read in an English voice.
 * - One utterance per sentence, all queued inside the tap (iPhone and iPad speak only from a tap).
 *   When the browser reports an utterance's start, its block gets the class kit-listen-block and,
 *   where the CSS Custom Highlight API exists, the sentence is highlighted without changing the DOM.
 * - One button for Listen / Pause / Resume, Stop beside it; each change said in the live region.
 * Nothing is sent anywhere by this script; the template (overrides/partials/kit-listen.html) holds the words.
 */
(() => {
  "use strict";

  const box = document.querySelector(".kit-listen");
  const synth = window.speechSynthesis;
  if (!box || !synth || !window.SpeechSynthesisUtterance) return;  // nothing shows

  const lang = (document.documentElement.lang || "fr").slice(0, 2).toLowerCase();
  const toggle = box.querySelector('[data-listen="toggle"]');
  const stopper = box.querySelector('[data-listen="stop"]');
  const status = box.querySelector('[role="status"]');
  const note = box.querySelector(".kit-listen__note");
  const SKIP = ".kit-listen, .kit-source, .kit-facilitator, #animation, .footnote, .footnote-ref, .headerlink, " +
    ".kit-slide-number, nav, button, input, textarea, select, svg, script, style, [aria-hidden='true']";
  const BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, figcaption, caption, th, td, legend, label";
  const END = /[.!?…]+[\u00a0\u202f»”"’)]*(\s+|$)/g;  // a sentence's end: its mark, closing quotes, a space
  const marks = window.CSS && CSS.highlights && window.Highlight;  // sentence highlight, where it exists
  let voice = null;
  let state = "idle";  // idle, playing or paused
  let run = 0;         // which reading the events belong to: a stopped one's are ignored
  let queue = [];      // kept alive: some browsers drop the events of utterances no one holds
  let current = null;  // the block being read

  const attr = (name) => box.getAttribute("data-" + name);
  const hidden = (el) => el.hidden || !el.getClientRects().length;

  /* The best voice for the page's language, or null. */
  function pickVoice() {
    let best = null;
    let bestScore = -1;
    for (const v of synth.getVoices()) {
      const code = (v.lang || "").replace("_", "-").toLowerCase();
      if (code !== lang && !code.startsWith(lang + "-")) continue;
      const score = (v.localService ? 2 : 0) + (code === lang + "-ca" ? 1 : 0);
      if (score > bestScore) [best, bestScore] = [v, score];
    }
    return best;
  }

  /* The button where a voice exists, else the note; while the list may still come, nothing. */
  function offer(final) {
    voice = pickVoice();
    if (!voice && !final && !synth.getVoices().length) return;
    box.hidden = false;
    toggle.hidden = !voice;
    note.hidden = !!voice;
    if (!voice && state !== "idle") stop("stopped");
  }

  /* The elements to read, in order (see the top of this file). */
  function blocks() {
    const summary = document.querySelector(".kit-summary");
    const slide = document.querySelector(".kit-slide:not([hidden])");
    let parts = [summary, document.querySelector("article")];
    if (slide) {
      parts = slide.matches(".kit-slide--intro") ? [document.querySelector("article h1"), slide] : [slide];
    } else if (document.querySelector("form.kit-answers")) {
      parts = [summary, ...document.querySelectorAll("#contexte, .kit-context, #questions, .kit-answers .kit-prompt")];
    }
    const out = [];
    for (const part of parts.filter(Boolean)) {
      for (const el of part.matches(BLOCKS) ? [part] : part.querySelectorAll(BLOCKS)) {
        const outer = el.parentElement.closest(BLOCKS);  // read as part of a larger block
        if (out.includes(el) || (outer && part.contains(outer)) || el.closest(SKIP) || hidden(el)) continue;
        if (el.localName === "h1" && !slide) continue;  // a page's title: the reader is on it
        out.push(el);
      }
    }
    return out;
  }

  /* An element's words as spoken, and where each piece comes from: [{node, at}] (text nodes and
     acronyms, `at` being where its words start in text). */
  function words(block) {
    const pieces = [];
    let text = "";
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        pieces.push({ node, at: text.length });
        text += node.data;
      } else if (node.localName === "br") {
        text += " ";
      } else if (node.nodeType === Node.ELEMENT_NODE && !node.matches(SKIP) && !hidden(node)) {
        if (node.localName === "abbr" && node.title) {
          pieces.push({ node, at: text.length });
          text += node.title;  // "nouvelle gestion publique", not "N-G-P"
        } else {
          node.childNodes.forEach(walk);
        }
      }
    };
    block.childNodes.forEach(walk);
    return { text, pieces };
  }

  /* [from, to] of each sentence of text, spaces around it left out. */
  function sentences(text) {
    const spans = [];
    let from = 0;
    const add = (to) => {
      const piece = text.slice(from, to);
      if (piece.trim()) spans.push([from + piece.length - piece.trimStart().length, from + piece.trimEnd().length]);
      from = to;
    };
    END.lastIndex = 0;
    for (let match; (match = END.exec(text));) add(match.index + match[0].length);
    add(text.length);
    return spans;
  }

  /* The page's range for text[from:to]: an acronym is taken whole. */
  function rangeOf(pieces, from, to) {
    const range = document.createRange();
    const start = pieces.filter((p) => p.at <= from).pop() || pieces[0];
    const end = pieces.filter((p) => p.at < to).pop() || start;
    if (start.node.nodeType === Node.TEXT_NODE) range.setStart(start.node, Math.min(from - start.at, start.node.length));
    else range.setStartBefore(start.node);
    if (end.node.nodeType === Node.TEXT_NODE) range.setEnd(end.node, Math.min(to - end.at, end.node.length));
    else range.setEndAfter(end.node);
    return range;
  }

  function mark(block, pieces, from, to) {
    if (current !== block) {
      unmark();
      current = block;
      block.classList.add("kit-listen-block");
      block.scrollIntoView({ block: "nearest" });
    }
    if (marks) CSS.highlights.set("kit-listen", new Highlight(rangeOf(pieces, from, to)));
  }

  function unmark() {
    if (current) current.classList.remove("kit-listen-block");
    current = null;
    if (marks) CSS.highlights.delete("kit-listen");
  }

  /* The button's word, Stop shown while reading, and the message for screen readers. */
  function set(next, message) {
    state = next;
    toggle.lastElementChild.textContent = attr("label-" + next);
    if (next === "idle" && document.activeElement === stopper) toggle.focus();
    stopper.hidden = next === "idle";
    if (message) status.textContent = attr("say-" + message);
  }

  /* Every sentence queued now, inside the tap: no await may come before speak(). */
  function play() {
    const mine = ++run;
    synth.cancel();
    queue = [];
    for (const block of blocks()) {
      const { text, pieces } = words(block);
      for (const [from, to] of sentences(text)) {
        const utterance = new SpeechSynthesisUtterance(text.slice(from, to).replace(/\s+/g, " "));
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.onstart = () => { if (mine === run) mark(block, pieces, from, to); };
        utterance.onerror = (event) => {
          if (mine === run && !/interrupted|canceled/.test(event.error)) stop("stopped");
        };
        queue.push(utterance);
      }
    }
    if (!queue.length) return;
    queue[queue.length - 1].onend = () => { if (mine === run) stop("done"); };
    queue.forEach((utterance) => synth.speak(utterance));
    set("playing", "playing");
  }

  function stop(message) {
    run += 1;
    synth.cancel();
    synth.resume();  // Chrome stays paused after cancel(), and would not speak the next time
    queue = [];
    unmark();
    set("idle", message);
  }

  toggle.addEventListener("click", () => {
    if (state === "idle") {
      play();
    } else if (state === "playing") {
      synth.pause();
      set("paused", "paused");
    } else {
      synth.resume();
      set("playing", "playing");
    }
  });
  stopper.addEventListener("click", () => stop("stopped"));
  window.addEventListener("pagehide", () => synth.cancel());  // Safari would read on, on the next page

  // A projection: among its controls; it stops when the slide changes. Elsewhere: under the title.
  const controls = document.querySelector(".kit-projection-controls");
  const title = document.querySelector("article h1");
  if (controls) {
    const help = controls.querySelector(".kit-projection-help");
    if (help) help.before(box);
    else controls.append(box);
    new MutationObserver((records) => {
      if (state !== "idle" && records.some((r) => r.target.classList.contains("kit-slide"))) stop("stopped");
    }).observe(controls.closest(".kit-projection") || document.body, { subtree: true, attributes: true, attributeFilter: ["hidden"] });
  } else if (title) {
    title.after(box);
  }

  // Voices may come late: offer what there is, again when the list changes, and decide after 2 s.
  offer(false);
  if (synth.addEventListener) synth.addEventListener("voiceschanged", () => offer(true));
  else synth.onvoiceschanged = () => offer(true);
  setTimeout(() => { if (box.hidden) offer(true); }, 2000);
})();
