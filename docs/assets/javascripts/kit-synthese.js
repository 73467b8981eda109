/* kit-synthese.js: /synthese/, the answers sent back gathered in the browser, as `make collect`
 * (scripts/kit/collect.py) gathers them: the same files read, the same reasons for those not read,
 * the same rows in synthese.csv (tests/test_synthese.py runs one folder through both).
 *
 * - The files are read here, with pdf-lib (loaded from the site when the first files are chosen):
 *   nothing is sent anywhere, and it works from the offline kit (file://).
 * - What each answer is comes from the form: the field's name, matched by kit.fields' pattern
 *   (handed over in the page's JSON with the kit's worksheets and questions), and the PDF's /Lang.
 * - Participants' words are kept as written: never trimmed; characters that are not text (NUL…)
 *   shown as U+FFFD; a CSV cell a spreadsheet would take for a formula gets a ' in front.
 * - Encrypted PDFs are read as make collect reads them: one that opens without a password is
 *   decrypted (@cantoo/pdf-lib), one that needs a password is named as protected.
 * Nothing here writes participants' text as HTML: every text goes in through textContent.
 */
(() => {
  "use strict";

  const root = document.querySelector("[data-kit-synthese]");
  if (!root) return;
  const KIT = JSON.parse(document.getElementById("kit-synthese-data").textContent);
  const WORDS = KIT.words;
  const FIELD = new RegExp(KIT.field);
  const SHEETS = new Map(KIT.sheets.map((sheet) => [sheet.id, sheet]));
  const PAGE_LANG = document.documentElement.lang.slice(0, 2) || KIT.default;
  const PDF_LIB = document.currentScript && document.currentScript.getAttribute("data-pdf-lib");
  const CELL_LIMIT = 32767;  // characters (UTF-16 units) an Excel cell holds
  // Python's str.isspace(), which collect uses: a little wider than JavaScript's \s (FS…US, NEL), without its BOM.
  const SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  // Not text (collect.NOT_TEXT): C0 controls but tab, LF, CR; DEL and C1; lone surrogates; noncharacters.
  const NOT_TEXT = new RegExp("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff"
    + Array.from({ length: 16 }, (_, i) => `\\u{${(i + 1).toString(16)}fffe}\\u{${(i + 1).toString(16)}ffff}`).join("")
    + "]", "gu");

  const status = root.querySelector("[data-kit-synthese-status]");
  const result = root.querySelector("[data-kit-synthese-result]");
  const actions = root.querySelector("[data-kit-synthese-actions]");
  const input = root.querySelector("#kit-synthese-files");
  let chosen = [];    // every File chosen or dropped so far, read again as one folder each time
  let reading = null; // the last reading, for the CSV

  const COLON = KIT.colon;  // ": " as the page's language writes it (French typography: "\u00a0: ")
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  // ---- the rules of collect.py on participants' text and CSV cells ----------------------------------

  const textOnly = (value) => value.replace(NOT_TEXT, "\ufffd");
  const written = (value) => value.length > 0 && ![...value].every((c) => SPACE.test(c));

  function cell(value) {  // collect.cell: what a spreadsheet would take for a formula gets a ' in front
    const first = [...value].find((c) => !(SPACE.test(c) || /\p{Cf}/u.test(c))) || "";
    if (value[0] === "\t" || value[0] === "\r" || (first && "=+-@".includes(first.normalize("NFKC")[0]))) return "'" + value;
    return value;
  }

  const tooLong = (value) => cell(value).length > CELL_LIMIT;

  function csvField(value) {  // Python's csv.writer, QUOTE_MINIMAL with "\r\n" between rows
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }

  function csvText(answers) {
    const rows = [KIT.columns].concat(answers.map((a) =>
      [a.file, a.group, a.worksheet, a.lang, a.question, a.questionText, a.answer].map(cell)));
    return "\ufeff" + rows.map((row) => row.map(csvField).join(",") + "\r\n").join("");  // BOM: Excel shows the accents
  }

  // ---- reading one PDF ----------------------------------------------------------------------------

  function looksLikePdf(bytes) {  // "%PDF-" after ASCII blanks, as collect checks
    let i = 0;
    while (i < bytes.length && [9, 10, 11, 12, 13, 32].includes(bytes[i])) i += 1;
    return String.fromCharCode(...bytes.subarray(i, i + 5)) === "%PDF-";
  }

  function hasEnd(bytes) {  // pypdf refuses a file without %%EOF in its last KiB: cut short
    const tail = String.fromCharCode(...bytes.subarray(Math.max(0, bytes.length - 1024)));
    return tail.includes("%%EOF");
  }

  function decoded(object) {
    const { PDFString, PDFHexString, PDFName } = window.PDFLib;
    if (object instanceof PDFString || object instanceof PDFHexString || object instanceof PDFName) return object.decodeText();
    return object === undefined || object === null ? "" : String(object);
  }

  function fieldValue(node) {  // collect._value: a radio group gives its choice's text, from /Opt
    const { PDFName, PDFArray } = window.PDFLib;
    const value = node.lookup(PDFName.of("V"));
    if (value === undefined) return "";
    const type = node.lookup(PDFName.of("FT"));
    if (type instanceof PDFName && type.decodeText() === "Btn") {
      const state = decoded(value).replace(/^\/+/, "");
      if (state === "" || state === "Off") return "";
      const opt = node.lookup(PDFName.of("Opt"));
      const options = opt instanceof PDFArray ? opt.asArray().map((o) => decoded(node.context.lookup(o))) : [];
      if (/^\d+$/.test(state) && Number(state) < options.length) return textOnly(options[Number(state)]);
      return textOnly(state);
    }
    return textOnly(decoded(value));
  }

  function fieldValues(doc) {  // collect.field_values: each terminal field's full name and value, in order
    const { PDFName, PDFDict, PDFArray } = window.PDFLib;
    const values = new Map();
    const kidsOf = (node) => {
      const kids = node.lookup(PDFName.of("Kids"));
      return kids instanceof PDFArray ? kids.asArray().map((k) => doc.context.lookup(k)).filter((k) => k instanceof PDFDict) : [];
    };
    const walk = (node, prefix) => {
      const name = node.has(PDFName.of("T")) ? decoded(node.lookup(PDFName.of("T"))) : "";
      const full = prefix && name ? `${prefix}.${name}` : (name || prefix);
      const named = kidsOf(node).filter((kid) => kid.has(PDFName.of("T")));
      if (named.length) {
        named.forEach((kid) => walk(kid, full));
      } else if (full) {
        values.set(full, fieldValue(node));
      }
    };
    const form = doc.catalog.lookup(PDFName.of("AcroForm"));
    const fields = form instanceof PDFDict ? form.lookup(PDFName.of("Fields")) : undefined;
    if (fields instanceof PDFArray) {
      for (const reference of fields.asArray()) {
        const node = doc.context.lookup(reference);
        if (node instanceof PDFDict && !node.has(PDFName.of("Parent"))) walk(node, "");
      }
    }
    return values;
  }

  /* A field's name matched by KIT.field (fields.pattern): its named group `group` or `notes` is set
     for those fields, `number` (and `choice`) for a question's. A JavaScript regular expression
     leaves a group that did not take part `undefined`, as Python leaves it None. */
  function questionKey(match) {  // fields.key: "1", "1-choice" or "notes"
    if (match.groups.notes !== undefined) return "notes";
    const number = parseInt(match.groups.number, 10);
    return match.groups.choice ? `${number}-choice` : String(number);
  }

  function question(sheet, key, lang) {  // collect._question: [key, its text in the file's language, known]
    if (key === "notes") return ["notes", sheet ? sheet.notes[lang] : "", Boolean(sheet)];
    const number = parseInt(key, 10);
    if (!sheet || number > sheet.questions[lang].length || (key.endsWith("-choice") && !sheet.scale)) return [key, "", false];
    return [key, sheet.questions[lang][number - 1], true];
  }

  function answersOf(name, fields, lang) {  // collect._answers
    const groups = new Map();
    for (const [key, value] of fields) {
      const match = FIELD.exec(key);
      if (match.groups.group !== undefined && written(value)) groups.set(match.groups.sheet, value);
    }
    const distinct = new Set(groups.values());
    const onlyGroup = distinct.size === 1 ? [...distinct][0] : "";  // one group named for a whole pack
    const out = [];
    for (const [key, value] of fields) {
      const match = FIELD.exec(key);
      if (match.groups.group !== undefined || !written(value)) continue;
      const sheet = SHEETS.get(match.groups.sheet);
      const [which, text, known] = question(sheet, questionKey(match), lang);
      out.push({ file: name, group: groups.has(match.groups.sheet) ? groups.get(match.groups.sheet) : onlyGroup,
        worksheet: match.groups.sheet, lang, question: which, questionText: known ? text : KIT.unknown[lang],
        answer: value, known, long: tooLong(value) });
    }
    return out;
  }

  async function readPdf(name, bytes, reading) {
    if (!looksLikePdf(bytes)) return reading.notRead.push([name, "collect_not_pdf", ""]);
    if (!hasEnd(bytes)) return reading.notRead.push([name, "collect_damaged", "EOF"]);
    let doc;
    let fields;
    let lang;
    try {
      // The empty password opens what a PDF reader opens without asking; the fork throws
      // Error("NEEDS PASSWORD") for a file that asks for one.
      doc = await window.PDFLib.PDFDocument.load(bytes, { password: "", updateMetadata: false });
      fields = fieldValues(doc);
      lang = decoded(doc.catalog.lookup(window.PDFLib.PDFName.of("Lang"))).slice(0, 2).toLowerCase();
    } catch (error) {  // pdf-lib throws many kinds on a broken file; one never stops the rest
      if (error.message === "NEEDS PASSWORD") return reading.notRead.push([name, "collect_encrypted", ""]);
      return reading.notRead.push([name, "collect_damaged", error.name || "Error"]);
    }
    const kitFields = new Map([...fields].filter(([key]) => FIELD.test(key)));
    if (!kitFields.size) return reading.notRead.push([name, "collect_no_fields", ""]);
    const answers = answersOf(name, kitFields, KIT.langs.includes(lang) ? lang : KIT.default);
    if (!answers.length) return reading.notRead.push([name, "collect_empty", ""]);
    reading.read += 1;
    reading.answers.push(...answers);
    answers.forEach((a) => reading.sheets.add(`${a.file}\n${a.worksheet}`));
    return null;
  }

  const sameBytes = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

  async function readAll(files) {  // collect.read: one file at a time, sorted by name; a copy read once
    const reading = { answers: [], sheets: new Set(), notRead: [], read: 0 };
    const seen = [];
    for (const file of [...files].sort(byName)) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const first = seen.find((other) => sameBytes(other.bytes, bytes));
      if (first) {
        reading.notRead.push([file.name, "collect_duplicate", first.name]);
        continue;
      }
      seen.push({ name: file.name, bytes });
      await readPdf(file.name, bytes, reading);
    }
    reading.notRead.sort((a, b) => (a.join("\0") < b.join("\0") ? -1 : a.join("\0") > b.join("\0") ? 1 : 0));
    return reading;
  }

  // ---- showing the synthesis (what synthese.html shows) ------------------------------------------

  function questionOrder(key) {  // collect._question_order: by number, a choice before its example; notes last
    if (key === "notes") return [10000, 0];
    const number = /^\d+/.exec(key);
    return number ? [parseInt(number[0], 10), /^\d+$/.test(key) ? 1 : 0] : [9000, 0];
  }

  function questionLabel(key) {
    if (key === "notes") return WORDS.collect_notes;
    return `${WORDS.question_n} ${key.replace("-choice", ` (${WORDS.collect_choice})`)}`;
  }

  function bySheet(answers) {  // the worksheets in the kit's order, then any other; their questions in order
    const sheets = new Map();
    for (const a of answers) {
      if (!sheets.has(a.worksheet)) sheets.set(a.worksheet, new Map());
      const questions = sheets.get(a.worksheet);
      if (!questions.has(a.question)) questions.set(a.question, []);
      questions.get(a.question).push(a);
    }
    const order = KIT.sheets.map((s) => s.id).concat([...sheets.keys()].filter((id) => !SHEETS.has(id)).sort());
    return order.filter((id) => sheets.has(id)).map((id) => {
      const keys = [...sheets.get(id).keys()].sort((a, b) => {
        const [x, y] = [questionOrder(a), questionOrder(b)];
        return x[0] - y[0] || x[1] - y[1];
      });
      const questions = keys.map((key) => {
        const list = sheets.get(id).get(key);
        const known = list.every((a) => a.known);
        const sheet = SHEETS.get(id);
        const text = sheet && known ? question(sheet, key, PAGE_LANG)[1] : "";
        return { key, known, answers: list, text };
      });
      return { id, title: SHEETS.has(id) ? SHEETS.get(id).title : id, questions,
        returned: new Set(questions.flatMap((q) => q.answers.map((a) => a.file))).size };
    });
  }

  function tally(answers) {  // Counter.most_common(): by count, ties in the order first met
    const counts = new Map();
    answers.forEach((a) => counts.set(a.answer, (counts.get(a.answer) || 0) + 1));
    return [...counts].sort((a, b) => b[1] - a[1]);
  }

  function counts(reading, sheets) {
    const section = element("section", null, { class: "kit-synthese-counts", "aria-labelledby": "kit-synthese-counts" });
    section.append(element("h3", WORDS.synthese_counts_heading, { id: "kit-synthese-counts" }));
    const line = element("p");
    [[reading.sheets.size, WORDS.collect_sheets], [reading.answers.length, WORDS.collect_answers], [reading.read, WORDS.collect_files]]
      .forEach(([n, word], i) => {
        if (i) line.append(" · ");
        line.append(element("strong", String(n), { "data-count": ["sheets", "answers", "files"][i] }), ` ${word}`);
      });
    section.append(line);
    if (sheets.length) {
      const table = element("table");
      const head = table.createTHead().insertRow();
      const columns = [WORDS.collect_worksheet, WORDS.collect_returned, WORDS.collect_per_question];
      columns.forEach((w) => head.append(element("th", w, { scope: "col" })));
      const body = table.createTBody();
      sheets.forEach((sheet) => {
        const row = body.insertRow();
        const per = sheet.questions.map((q) => `${q.key === "notes" ? WORDS.collect_notes : WORDS.question_short + q.key.replace("-choice", ` (${WORDS.collect_choice})`)}${COLON}${q.answers.length}`);
        // data-label: the column's name, shown before each cell where a phone shows the table as cards
        [sheet.title, String(sheet.returned), per.join(" · ")].forEach((text, i) => row.append(element("td", text, { "data-label": columns[i] })));
      });
      section.append(table);
    }
    return section;
  }

  function answerItem(a) {
    const item = element("li", null, { lang: a.lang });
    item.append(element("span", a.group || WORDS.collect_no_group, { class: "kit-synthese-group" }), " — ",
      element("span", a.answer, { class: "kit-synthese-answer" }), " ", element("span", `(${a.file})`, { class: "kit-synthese-file" }));
    if (a.long) item.append(element("span", WORDS.synthese_long, { class: "kit-synthese-flag" }));
    return item;
  }

  function sheetSection(sheet) {
    const section = element("section", null, { class: "kit-synthese-sheet", "data-sheet": sheet.id });
    section.append(element("h4", sheet.title));
    sheet.questions.forEach((q) => {
      const label = `${questionLabel(q.key)}${q.text ? ` — ${q.text}` : ""} (${q.answers.length})`;
      section.append(element("h5", label, { "data-question": q.key }));
      if (!q.known) section.append(element("p", WORDS.collect_unknown, { class: "kit-synthese-flag" }));
      if (q.key.endsWith("-choice")) {
        const line = element("p", null, { class: "kit-synthese-tally" });
        tally(q.answers).forEach(([choice, n], i) => line.append(i ? " · " : "", element("strong", choice), `${COLON}${n}`));
        section.append(line);
      }
      const list = element("ul", null, { class: "kit-synthese-answers" });
      q.answers.forEach((a) => list.append(answerItem(a)));
      section.append(list);
    });
    return section;
  }

  function notReadSection(reading) {
    const section = element("section", null, { class: "kit-synthese-not-read", "aria-labelledby": "kit-synthese-not-read" });
    section.append(element("h3", WORDS.collect_not_read, { id: "kit-synthese-not-read" }));
    if (!reading.notRead.length) {
      section.append(element("p", WORDS.collect_none_missing));
      return section;
    }
    const list = element("ul");
    reading.notRead.forEach(([name, reason, detail]) => {
      const item = element("li", null, { "data-reason": reason, "data-file": name });
      const why = reason === "collect_duplicate" ? `${WORDS[reason]} (${fill(WORDS.synthese_copy_of, { file: detail })})`
        : WORDS[reason] + (detail ? ` (${detail})` : "");
      item.append(element("span", name, { class: "kit-synthese-file" }), `${COLON}${why}`);
      list.append(item);
    });
    section.append(list);
    return section;
  }

  function show(reading) {
    const sheets = bySheet(reading.answers);
    const today = new Date().toLocaleDateString("en-CA");  // YYYY-MM-DD, the day on this computer, as collect writes it
    result.replaceChildren(element("p", `${WORDS.collect_title} — ${WORDS.collect_made} ${today}`, { class: "kit-synthese-made" }),
      counts(reading, sheets));
    if (sheets.length) {
      result.append(element("h3", WORDS.synthese_answers_heading, { class: "kit-synthese-answers-heading" }));
      sheets.forEach((sheet) => result.append(sheetSection(sheet)));
    }
    result.append(notReadSection(reading));
    actions.hidden = false;
    root.querySelector("[data-kit-synthese-save]").disabled = !reading.read;
  }

  // ---- the files chosen or dropped; the actions --------------------------------------------------

  function loadPdfLib() {
    if (window.PDFLib) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = PDF_LIB;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  async function add(files) {
    chosen = chosen.concat([...files]);
    if (!chosen.length) return;
    status.textContent = fill(WORDS.synthese_reading, { n: chosen.length });
    root.setAttribute("aria-busy", "true");
    try {
      await loadPdfLib();
      reading = await readAll(chosen);
      show(reading);
      status.textContent = reading.read
        ? fill(WORDS.synthese_done, { n: chosen.length, read: reading.read, not_read: reading.notRead.length })
        : WORDS.synthese_none;
    } catch (error) {
      status.textContent = WORDS.synthese_failed;
    } finally {
      root.removeAttribute("aria-busy");
      root.setAttribute("data-kit-synthese-done", String(chosen.length));  // for the tests: this many files read
    }
  }

  function save() {  // synthese.csv made here and handed to the browser as a download: no network
    const url = URL.createObjectURL(new Blob([csvText(reading.answers)], { type: "text/csv;charset=utf-8" }));
    const link = element("a", null, { href: url, download: "synthese.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function wall(on) {  // the wall version: large type on Tabloid (11 × 17 in); A3 printers fit it to the page
    document.documentElement.classList.toggle("kit-synthese-wall", on);
    let style = document.getElementById("kit-synthese-page");
    if (!style) {
      style = element("style", null, { id: "kit-synthese-page" });
      document.head.append(style);
    }
    style.textContent = on ? "@page { size: 11in 17in; margin: 15mm; }" : "";
  }

  input.addEventListener("change", () => {
    add(input.files);
    input.value = "";  // the same file chosen again is a change too
  });
  // Files dropped anywhere on the page are read (the browser would otherwise open a PDF dropped
  // beside the box in place of the page); the box shows that it takes them.
  const zone = root.querySelector("[data-kit-synthese-drop]");
  document.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("kit-synthese-drop--over");
  });
  document.addEventListener("dragleave", (event) => {
    if (!event.relatedTarget) zone.classList.remove("kit-synthese-drop--over");
  });
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("kit-synthese-drop--over");
    if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
  });
  root.querySelector("[data-kit-synthese-save]").addEventListener("click", save);
  root.querySelector("[data-kit-synthese-print]").addEventListener("click", () => window.print());
  root.querySelector("[data-kit-synthese-wall]").addEventListener("change", (event) => wall(event.target.checked));
  root.querySelector("[data-kit-synthese-clear]").addEventListener("click", () => {
    chosen = [];
    reading = null;
    result.replaceChildren();
    status.textContent = "";
    actions.hidden = true;
    root.removeAttribute("data-kit-synthese-done");
    input.focus();
  });
})();
