/* kit-listen.js: "Écouter" / "Listen", the page read aloud by the device's own voice (Web Speech API).
   What it reads and skips, and why, is told in overrides/kit/listen.html (not shipped). The build writes
   the controls where they stay (under the title, or among a projection's controls): this script fills
   them in and never moves them. */
(() => {
  "use strict";
  const box = document.querySelector(".kit-listen");
  const synth = window.speechSynthesis;
  if (!box || !synth || !window.SpeechSynthesisUtterance) return;  // nothing shows

  const lang = (box.closest("[lang]")?.lang || "").slice(0, 2).toLowerCase();  // the page's, as the theme writes it
  const [toggle, stopper] = box.querySelectorAll("button");
  const SKIP = ".kit-listen,.kit-source,.kit-facilitator,h2#animation,.footnote,.footnote-ref,.headerlink,.kit-see," +
    ".kit-slide-number,nav,button,input,textarea,select,svg,script,style,[aria-hidden=true]";
  const BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,figcaption,caption,th,td,legend,label";
  const END = /[.!?…]+[\u00a0\u202f»”"’)]*(\s+|$)/g;  // a sentence's end: its mark, closing quotes, a space
  const marks = window.CSS && CSS.highlights && window.Highlight;  // the sentence highlighted, where possible
  let voice = null;
  let state = "idle";  // idle, playing or paused
  let run = 0;         // the reading that events belong to: those of a stopped one are ignored
  let queue = [];      // held: some browsers drop the events of utterances nobody holds
  let current = null;  // the block being read

  const attr = (name) => box.getAttribute("data-" + name);
  const hidden = (el) => el.hidden || !el.getClientRects().length;

  // The page's language only; on the device before the network (which fails offline); Canadian first.
  function pickVoice() {
    let best = null;
    let top = -1;
    for (const v of synth.getVoices()) {
      const code = (v.lang || "").replace("_", "-").toLowerCase();
      const score = (v.localService ? 2 : 0) + (code === lang + "-ca" ? 1 : 0);
      if ((code === lang || code.startsWith(lang + "-")) && score > top) [best, top] = [v, score];
    }
    return best;
  }

  // The button where a voice exists, else the note; nothing while the list may still come. The box's
  // room is kept from the first paint (kit.css, the class kit-speech): showing either moves nothing.
  function offer(final) {
    voice = pickVoice();
    if (!voice && !final && !synth.getVoices().length) return;
    box.hidden = false;
    toggle.hidden = !voice;
    box.querySelector("p").hidden = !!voice;
    if (!voice && state !== "idle") stop("stopped");
  }

  // The elements to read in order: the summary, then the page (a worksheet: context and questions;
  // a projection: the slide on screen). Outermost blocks only; nothing twice.
  function blocks() {
    const summary = document.querySelector(".kit-summary");
    const slide = document.querySelector(".kit-slide:not([hidden])");
    let parts = [summary, document.querySelector("article")];
    if (slide) parts = [slide.matches(".kit-slide--intro") && document.querySelector("article h1"), slide];
    else if (document.querySelector("form.kit-answers")) {
      parts = [summary, ...document.querySelectorAll("#contexte,.kit-context,#questions,.kit-answers .kit-prompt,.kit-answers .kit-plain")];
    }
    const out = [];
    for (const part of parts.filter(Boolean)) {
      for (const el of part.matches(BLOCKS) ? [part] : part.querySelectorAll(BLOCKS)) {
        const outer = el.parentElement.closest(BLOCKS);
        if (out.includes(el) || (outer && part.contains(outer)) || el.closest(SKIP) || hidden(el)) continue;
        if (el.localName !== "h1" || slide) out.push(el);  // a page's title is not read: the reader is on it
      }
    }
    return out;
  }

  // A block's words as spoken (an acronym by its expansion) and their pieces: [{node, at}].
  function words(block) {
    const pieces = [];
    let text = "";
    const walk = (node) => {
      if (node.nodeType === 3 || (node.localName === "abbr" && node.title)) {
        pieces.push({ node, at: text.length });
        text += node.nodeType === 3 ? node.data : node.title;
      } else if (node.localName === "br") text += " ";
      else if (node.nodeType === 1 && !node.matches(SKIP) && !hidden(node)) node.childNodes.forEach(walk);
    };
    block.childNodes.forEach(walk);
    return { text, pieces };
  }

  // [from, to] of each sentence of text, without the spaces around it.
  function sentences(text) {
    const spans = [];
    let from = 0;
    const add = (to) => {
      const s = text.slice(from, to);
      if (s.trim()) spans.push([from + s.length - s.trimStart().length, from + s.trimEnd().length]);
      from = to;
    };
    for (const m of text.matchAll(END)) add(m.index + m[0].length);
    add(text.length);
    return spans;
  }

  // The page's range of text[from:to]; an acronym is taken whole.
  function rangeOf(pieces, from, to) {
    const range = document.createRange();
    const a = pieces.filter((p) => p.at <= from).pop() || pieces[0];
    const b = pieces.filter((p) => p.at < to).pop() || a;
    if (a.node.nodeType === 3) range.setStart(a.node, Math.min(from - a.at, a.node.length));
    else range.setStartBefore(a.node);
    if (b.node.nodeType === 3) range.setEnd(b.node, Math.min(to - b.at, b.node.length));
    else range.setEndAfter(b.node);
    return range;
  }

  function mark(block, range) {
    if (current !== block) {
      unmark();
      current = block;
      block.classList.add("kit-listen-block");
      block.scrollIntoView({ block: "nearest" });
    }
    if (marks) CSS.highlights.set("kit-listen", new Highlight(range()));
  }

  function unmark() {
    if (current) current.classList.remove("kit-listen-block");
    current = null;
    if (marks) CSS.highlights.delete("kit-listen");
  }

  // The button's word, Stop shown while reading, the change said in the live region.
  function set(next, message) {
    state = next;
    toggle.lastElementChild.textContent = attr("label-" + next);
    if (next === "idle" && document.activeElement === stopper) toggle.focus();
    stopper.hidden = next === "idle";
    box.querySelector("[role=status]").textContent = attr("say-" + message);
  }

  // One utterance a sentence, all queued in the tap itself: iPhone and iPad speak only from a tap,
  // so no await may come before speak(). Each one's start marks its block and sentence.
  function play() {
    const mine = ++run;
    if (synth.speaking || synth.pending) synth.cancel();  // what another tab or page left behind
    queue = [];
    for (const block of blocks()) {
      const { text, pieces } = words(block);
      for (const [from, to] of sentences(text)) {
        const u = new SpeechSynthesisUtterance(text.slice(from, to).replace(/\s+·\s+/g, ", ").replace(/\s+/g, " "));
        u.voice = voice;
        u.lang = voice.lang.replace("_", "-");
        u.onstart = () => mine === run && mark(block, () => rangeOf(pieces, from, to));
        u.onerror = (e) => mine === run && !/interrupted|canceled/.test(e.error) && stop("stopped");
        queue.push(u);
      }
    }
    if (!queue.length) return;
    queue[queue.length - 1].onend = () => mine === run && stop("done");
    queue.forEach((u) => synth.speak(u));
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
  addEventListener("pagehide", () => synth.cancel());  // Safari would read on, on the next page

  // On a projection, a new slide stops the reading.
  const projection = box.closest(".kit-projection");
  if (projection) {
    new MutationObserver((records) => {
      if (state !== "idle" && records.some((r) => r.target.classList.contains("kit-slide"))) stop("stopped");
    }).observe(projection, { subtree: true, attributeFilter: ["hidden"] });
  }

  // Voices may come late: what there is now, again when the list changes, and a decision after 2 s.
  offer(false);
  if (synth.addEventListener) synth.addEventListener("voiceschanged", () => offer(true));
  else synth.onvoiceschanged = () => offer(true);  // older Safari
  setTimeout(() => box.hidden && offer(true), 2000);  // still undecided
})();
