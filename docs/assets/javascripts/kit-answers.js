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
 *   paper chosen, with the answers filled in: pdf-lib (served by the site) is loaded only then.
 *   Every answer is drawn at one size (SIZE); an answer longer than its box is printed whole on
 *   added pages ("Your answers, continued"), and the box says where it goes on. The form fields
 *   still hold every answer word for word (what `make collect` reads).
 *   From a file (the offline kit), where a page cannot fetch the PDF, the PDF comes as a script
 *   (<pdf>.js, written by the offline kit) instead.
 * - "Clear my answers" forgets them, after a confirmation.
 * - Printing shows each answer under its question (the .kit-print-answer beside each box).
 * Field names are the PDF's: <id>-group, <id>-q1, <id>-q1-choice (a radio group), <id>-notes.
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

  const SIZE = 12;       // every answer, in the boxes and on the added pages (points; 11 at least)
  const MARGIN = 54;     // of the added pages (points: 3/4 inch)
  const LEADING = 1.35;  // line height of the added pages, times the font size

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

  /* The PDF's standard fonts need no download, but Helvetica draws only the Latin-1 characters
     (WinAnsi). On the added pages, a character Helvetica lacks is drawn in the standard Symbol font
     when it has it (arrows, Greek letters, math signs); any other (an emoji…) is written as its
     code, "[U+1F60A]", and a note says so: nothing typed disappears from the paper. Inside a box,
     only Helvetica can draw, so such characters show there as their code too. */
  function typesetter(fonts) {
    const latin = new Set(fonts.regular.getCharacterSet());
    const symbol = new Set(fonts.symbol.getCharacterSet());
    const spaces = /[\t\u2000-\u200a\u202f\u205f\u3000]/g;  // spaces Helvetica lacks: an ordinary space
    const graphemes = (text) => ("Segmenter" in Intl)
      ? [...new Intl.Segmenter().segment(text)].map((part) => part.segment)
      : [...text];
    const code = (cluster) => `[${[...cluster].map((c) => "U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")).join(" ")}]`;
    let substituted = false;

    // Runs of text, each with the font that draws it: [{text, font}]; withSymbol false in boxes.
    function runs(text, bold, withSymbol) {
      const base = bold ? fonts.bold : fonts.regular;
      const out = [];
      const push = (piece, font) => {
        const last = out[out.length - 1];
        if (last && last.font === font) last.text += piece;
        else out.push({ text: piece, font });
      };
      for (const cluster of graphemes(text.normalize("NFC").replace(spaces, " ").replace(/\u2011/g, "-"))) {
        const points = [...cluster].map((c) => c.codePointAt(0));
        if (points.every((point) => latin.has(point))) push(cluster, base);
        else if (withSymbol && points.every((point) => symbol.has(point))) push(cluster, fonts.symbol);
        else { substituted = true; push(code(cluster), base); }
      }
      return out;
    }

    // What a box shows (Helvetica alone), and whether a character had to be written as its code.
    const plain = (text) => {
      const before = substituted;
      substituted = false;
      const shown = runs(text, false, false).map((run) => run.text).join("");
      const coded = substituted;
      substituted = before || coded;
      return { shown, coded };
    };
    const width = (text, size, bold) => runs(text, bold, true)
      .reduce((sum, run) => sum + run.font.widthOfTextAtSize(run.text, size), 0);

    // A paragraph cut into lines no wider than `room`; a word too long for a line is cut too.
    function wrap(paragraph, size, bold, room) {
      const lines = [];
      let line = "";
      for (const word of paragraph.split(/ +/)) {
        const tried = line ? `${line} ${word}` : word;
        if (width(tried, size, bold) <= room) { line = tried; continue; }
        if (line) lines.push(line);
        line = "";
        for (const piece of graphemes(word)) {
          if (line && width(line + piece, size, bold) > room) { lines.push(line); line = ""; }
          line += piece;
        }
      }
      lines.push(line);
      return lines;
    }

    function draw(page, text, x, y, size, bold) {
      for (const run of runs(text, bold, true)) {
        page.drawText(run.text, { x, y, size, font: run.font });
        x += run.font.widthOfTextAtSize(run.text, size);
      }
    }

    return { plain, width, wrap, draw, substituted: () => substituted };
  }

  function boxOf(field) {  // the text area of a field's box, as pdf-lib lays its text out
    const widget = field.acroField.getWidgets()[0];
    const rect = widget.getRectangle();
    const border = (widget.getBorderStyle() && widget.getBorderStyle().getWidth()) || 0;
    const pad = border + 1;
    return { x: pad, y: pad, width: rect.width - 2 * pad, height: rect.height - 2 * pad };
  }

  function fitting(field, text, font) {  // the lines of `text` in the box, and how many it holds
    const { layoutMultilineText, TextAlignment } = window.PDFLib;
    const bounds = boxOf(field);
    const layout = layoutMultilineText(text, { alignment: TextAlignment.Left, fontSize: SIZE, font, bounds });
    const room = Math.max(1, Math.floor((bounds.height + 0.01) / layout.lineHeight));
    return { lines: layout.lines.map((line) => line.text), room, width: bounds.width };
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

  function addedPages(doc, answers, type) {
    /* The pages "Your answers, continued": each long answer under its question, whole, as text of
       the page. Returns the page number (from 1) where each answer starts. */
    const { width, height } = doc.getPage(0).getSize();  // the worksheet's paper
    const room = width - 2 * MARGIN;
    const starts = {};
    let page = null;
    let y = 0;
    const newPage = () => { page = doc.addPage([width, height]); y = height - MARGIN; };
    const line = (text, size, bold) => {
      if (y - size * LEADING < MARGIN) newPage();
      y -= size * LEADING;
      type.draw(page, text, MARGIN, y + size * (LEADING - 1), size, bold);
    };
    const paragraph = (text, size, bold) => {
      for (const part of text.replace(/\r\n?/g, "\n").split("\n")) {
        for (const piece of type.wrap(part, size, bold, room)) line(piece, size, bold);
      }
    };
    newPage();
    line(label("continued"), 16, true);
    const title = document.querySelector("article h1");
    if (title) {  // the worksheet's title, without the heading's permalink
      const words = title.cloneNode(true);
      for (const link of words.querySelectorAll(".headerlink")) link.remove();
      paragraph(words.textContent.trim(), SIZE, false);
    }
    for (const [name, value] of answers) {
      y -= SIZE;
      if (y - 3 * SIZE * LEADING < MARGIN) newPage();  // a question never alone at a page's foot
      starts[name] = doc.getPageCount();
      paragraph(questionOf(name), SIZE, true);
      paragraph(value, SIZE, false);
    }
    if (type.substituted()) { y -= SIZE; paragraph(label("substitute-note"), SIZE, false); }
    return starts;
  }

  function cut(text, note, type, room) {  // as much of a line as fits before " … (continued…)"
    const words = text.split(" ");
    while (words.length && type.width(`${words.join(" ")} … ${note}`, SIZE, false) > room) words.pop();
    return words.length ? `${words.join(" ")} … ${note}` : note;
  }

  async function filled(bytes, values) {
    const { PDFDocument, PDFTextField, PDFRadioGroup, PDFHexString, PDFName, PDFBool, StandardFonts } = window.PDFLib;
    const doc = await PDFDocument.load(bytes);
    const fonts = {
      regular: await doc.embedFont(StandardFonts.Helvetica),
      bold: await doc.embedFont(StandardFonts.HelveticaBold),
      symbol: await doc.embedFont(StandardFonts.Symbol),
    };
    const type = typesetter(fonts);
    const pdfForm = doc.getForm();
    const texts = [];
    for (const field of pdfForm.getFields()) {
      // The handouts write each box's corners top first; pdf-lib then draws the answer above the box.
      for (const widget of field.acroField.getWidgets()) {
        const { x, y, width, height } = widget.getRectangle();
        widget.setRectangle({ x: Math.min(x, x + width), y: Math.min(y, y + height), width: Math.abs(width), height: Math.abs(height) });
      }
      const value = values[field.getName()];
      if (field instanceof PDFTextField) {
        // A fixed size: with none, pdf-lib sizes each answer to its box (7 to 45 pt were seen).
        // Written whole rather than with setFontSize, which cannot read the handouts' /DA (its
        // characters are written as octal escapes).
        field.acroField.setDefaultAppearance(`0.067 g /Helv ${SIZE} Tf`);
        if (field.getName() !== `${sheet}-group`) field.enableMultiline();
        texts.push({ field, value: value || "", ...type.plain(value || "") });
      } else if (field instanceof PDFRadioGroup && value !== undefined) {
        const options = field.getOptions();  // the page's radios carry each choice's position
        if (options[Number(value)] !== undefined) field.select(options[Number(value)]);
      }
    }
    const layouts = texts.map((text) => ({ ...text, ...fitting(text.field, text.shown, fonts.regular) }));
    // Printed again on the added pages: the answers too long for their box, and those with a
    // character only the added pages can draw (or explain).
    const again = layouts.filter((text) => text.lines.length > text.room || text.coded);
    const starts = again.length ? addedPages(doc, again.map((text) => [text.field.getName(), text.value]), type) : {};
    for (const text of layouts) {
      let shown = text.shown;
      if (text.lines.length > text.room) {  // what fits, then where the answer goes on
        const note = label("continued-at").replace("{page}", starts[text.field.getName()]);
        shown = [...text.lines.slice(0, text.room - 1), cut(text.lines[text.room - 1], note, type, text.width)].join("\n");
      }
      if (shown) {  // a white ground: the typed answer hides the ruled lines printed for handwriting
        for (const widget of text.field.acroField.getWidgets()) widget.getOrCreateAppearanceCharacteristics().setBackgroundColor([1]);
      }
      text.field.setText(shown);
      text.field.updateAppearances(fonts.regular);
      // the box shows `shown`; the field keeps the answer word for word
      if (text.value) text.field.acroField.setValue(PDFHexString.fromText(text.value));
    }
    pdfForm.updateFieldAppearances(fonts.regular);  // the choices ticked
    // Every box has its appearance drawn: viewers show it as it is rather than redrawing it.
    pdfForm.acroForm.dict.set(PDFName.of("NeedAppearances"), PDFBool.False);
    return doc.save({ updateFieldAppearances: false });
  }

  function paper() {
    const chosen = form.querySelector('input[name="kit-paper"]:checked');
    return chosen ? chosen.value : "letter";
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
      const bytes = await pdfBytes(form.getAttribute(`data-kit-pdf-${size}`));
      const result = await filled(bytes, values);
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
