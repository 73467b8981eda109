/* kit-answers.js: the answer boxes of a worksheet page (/fiches/<id>/).
 *
 * - What is typed is kept on this device (localStorage) as it is typed, one entry per field
 *   ("kit-answers:<id>:<field>"), so that two tabs open on the same worksheet each keep what they
 *   type; each tab shows what the other one types (the `storage` event). Answers kept by the kit's
 *   earlier version (one entry per worksheet, "kit-answers:<id>", a JSON object) are moved to the
 *   new entries when the page opens. Nothing is sent anywhere. The French and English pages of a
 *   worksheet share their answers.
 * - When the browser cannot keep them (storage full, refused, private browsing), the page says so
 *   and offers the download instead; it never claims they are kept.
 * - "Download my answers" saves the worksheet's own fillable PDF, in the page's language and the
 *   paper chosen, with the answers filled in: pdf-lib (served by the site) and kit-answers-pdf.js
 *   (which draws the answers to be read on paper) are loaded only then. Then the page says the
 *   file's name and whom to send it to (the day's contact, when mkdocs.yml names one).
 *   From a file (the offline kit), where a page cannot fetch the PDF, the PDF comes as a script
 *   (<pdf>.js, written by the offline kit) instead.
 * - "Clear my answers" forgets them, after a confirmation.
 * - Printing shows each answer under its question (the .kit-print-answer beside each box).
 * Field names are the PDF's (<id>-group, <id>-q1, <id>-q1-choice: a radio group, <id>-notes), read
 * from the form as the template wrote them (scripts/kit/fields.py names them); so are the papers
 * offered (the "kit-paper" radios, each with its data-kit-pdf-<paper> address on the form).
 */
(() => {
  "use strict";

  const form = document.querySelector("form.kit-answers");
  if (!form) return;
  const sheet = form.getAttribute("data-kit-sheet");
  const prefix = `kit-answers:${sheet}:`;  // + a field's name: one entry per field
  const oldKey = `kit-answers:${sheet}`;   // the earlier shape: one JSON object per worksheet
  const status = form.querySelector(".kit-answer-status");
  const warning = form.querySelector(".kit-answer-warning");
  const label = (name) => status.getAttribute(`data-${name}`) || "";
  const unsaved = new Set();  // fields the browser refused to keep

  const storage = (() => {
    try { return window.localStorage; } catch (error) { return null; }  // may be refused outright
  })();

  function say(message) {
    status.textContent = message || "";
  }

  /* ---- the fields ---------------------------------------------------------------------------- */

  function names() {  // each field's name once (a radio group is one field)
    return [...new Set([...form.elements].filter((element) => element.name).map((element) => element.name))];
  }

  function valueOf(name) {
    const elements = [...form.elements].filter((element) => element.name === name);
    if (elements[0] && elements[0].type === "radio") {
      const checked = elements.find((element) => element.checked);
      return checked ? checked.value : "";
    }
    return elements[0] ? elements[0].value : "";
  }

  function setValue(name, value) {
    for (const element of form.elements) {
      if (element.name !== name) continue;
      if (element.type === "radio") {
        element.checked = value ? element.value === value : element.defaultChecked;
      } else {
        element.value = value || "";
      }
    }
  }

  function current() {  // every answer given, by field name
    const values = {};
    for (const name of names()) {
      const value = valueOf(name);
      if (value) values[name] = value;
    }
    return values;
  }

  function mirror() {  // what prints under each question
    for (const copy of form.querySelectorAll(".kit-print-answer[data-for]")) {
      const box = form.elements.namedItem(copy.getAttribute("data-for"));
      copy.textContent = box ? box.value : "";
    }
  }

  /* ---- kept on the device -------------------------------------------------------------------- */

  function write(name) {  // one field into its own entry; false when the browser refuses
    const value = valueOf(name);
    try {
      if (!storage) throw new Error("no storage");
      if (value) storage.setItem(prefix + name, value);
      else storage.removeItem(prefix + name);
      unsaved.delete(name);
      return true;
    } catch (error) {  // quota reached, private browsing, storage disabled
      unsaved.add(name);
      return false;
    }
  }

  function report() {  // say whether the answers are kept, and never claim it when they are not
    const kept = storage && unsaved.size === 0;
    warning.hidden = Boolean(kept);
    say(kept ? label("saved") : label("not-kept"));
  }

  function save(event) {
    mirror();
    const name = event.target.name;
    if (!name) return;
    write(name);
    for (const other of [...unsaved]) write(other);  // room may have been freed since
    report();
  }

  function writable() {  // can this browser keep anything at all? (checked once, when the page opens)
    try {
      storage.setItem(prefix + "-", "1");
      storage.removeItem(prefix + "-");
      return true;
    } catch (error) {
      return false;
    }
  }

  function migrate() {
    /* Answers kept by the earlier version, in one entry: moved into one entry per field (a field
       already kept in the new shape wins). Returns them when they cannot be moved, so that they
       still show. */
    let values = {};
    try {
      const old = storage && storage.getItem(oldKey);
      if (!old) return {};
      values = JSON.parse(old) || {};
      for (const [name, value] of Object.entries(values)) {
        if (value && storage.getItem(prefix + name) === null) storage.setItem(prefix + name, String(value));
      }
      storage.removeItem(oldKey);
      return {};
    } catch (error) {
      return values;
    }
  }

  function restore() {
    const old = migrate();
    for (const name of names()) {
      let value = null;
      try { value = storage && storage.getItem(prefix + name); } catch (error) { value = null; }
      setValue(name, value === null ? old[name] : value);
    }
    mirror();
  }

  function forget() {  // every entry of this worksheet, in both shapes
    if (!storage) return;
    try {
      for (let index = storage.length - 1; index >= 0; index--) {
        const key = storage.key(index);
        if (key === oldKey || (key && key.startsWith(prefix))) storage.removeItem(key);
      }
    } catch (error) { /* nothing was kept */ }
  }

  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("beforeprint", mirror);

  // Another tab (or window) on this device typed in a field: show it here too.
  window.addEventListener("storage", (event) => {
    if (event.storageArea !== storage) return;
    if (event.key === null) {  // all cleared at once
      restore();
    } else if (event.key.startsWith(prefix)) {
      setValue(event.key.slice(prefix.length), event.newValue);
      mirror();
    }
  });

  form.querySelector('[data-answers="clear"]').addEventListener("click", (event) => {
    if (!window.confirm(event.currentTarget.getAttribute("data-confirm"))) return;
    forget();
    for (const name of names()) setValue(name, "");
    unsaved.clear();
    mirror();
    say(label("cleared"));
  });

  /* ---- the PDF ------------------------------------------------------------------------------ */

  function script(src) {  // a script of the site, loaded once
    return new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = () => reject(new Error(`cannot load ${src}`));
      document.head.appendChild(element);
    });
  }

  async function pdfBytes(href) {
    const url = new URL(href, location.href);
    if (location.protocol !== "file:") {
      const answer = await fetch(url.href);
      if (!answer.ok) throw new Error(`${answer.status} ${url.href}`);
      return answer.arrayBuffer();
    }
    const name = url.pathname.split("/").pop();
    if (!(window.__kitPdf && window.__kitPdf[name])) await script(`${url.href}.js`);
    const binary = atob(window.__kitPdf[name]);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function questionOf(name) {  // a field's question, as the page shows it
    const element = form.elements.namedItem(name);
    if (!element) return name;
    const ids = (element.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
    const words = ids.length
      ? ids.map((id) => document.getElementById(id).textContent).join(" — ")
      : (element.labels && element.labels[0] ? element.labels[0].textContent : name);
    return words.replace(/\s+/g, " ").trim();
  }

  function title() {  // the worksheet's title, without its heading's permalink
    const heading = document.querySelector("article h1");
    if (!heading) return "";
    const words = heading.cloneNode(true);
    for (const link of words.querySelectorAll(".headerlink")) link.remove();
    return words.textContent.trim();
  }

  function paper() {  // the paper chosen, else the first one offered
    const chosen = form.querySelector('input[name="kit-paper"]:checked') || form.querySelector('input[name="kit-paper"]');
    return chosen.value;
  }

  function saved(file) {  // said once the file is saved: its name, and what to do with it
    const contact = form.getAttribute("data-kit-contact");
    const next = contact ? label("send-contact").replace("{contact}", contact) : label("send-gatherer");
    say(`${label("downloaded").replace("{file}", file)} ${next}`);
  }

  async function download(button) {
    const size = paper();
    const values = current();
    button.disabled = true;
    say(label("working"));
    try {
      if (!window.PDFLib) await script(form.getAttribute("data-kit-pdf-lib"));
      if (!(window.kit && window.kit.answersPdf)) await script(form.getAttribute("data-kit-pdf-script"));
      const bytes = await pdfBytes(form.getAttribute(`data-kit-pdf-${size}`));
      const page = { group: form.getAttribute("data-kit-group-field"), label, question: questionOf, title: title() };
      const result = await window.kit.answersPdf.fill(bytes, values, page);
      const file = `${form.getAttribute("data-kit-download-name")}-${size}.pdf`;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([result], { type: "application/pdf" }));
      link.download = file;
      document.body.appendChild(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
      saved(file);
    } catch (error) {
      say(label("failed"));
      if (window.console) console.error(error);
    } finally {
      button.disabled = false;
    }
  }

  for (const button of form.querySelectorAll('[data-answers="download"], [data-answers="download-here"]')) {
    button.addEventListener("click", (event) => download(event.currentTarget));
  }

  restore();
  if (!storage || !writable()) {  // nothing can be kept: say so from the start
    warning.hidden = false;
    names().forEach((name) => unsaved.add(name));
  }
})();
