/* kit-answers-pdf.js: a worksheet's PDF filled with the answers typed on its page, made to be read
 * on paper. Loaded by kit-answers.js, with pdf-lib, only when a reader downloads their answers.
 *
 * - Every answer is drawn at one size (SIZE), fixed: pdf-lib would otherwise size each one to its
 *   box. The boxes of the handouts keep their answers word for word (what `make collect` reads).
 * - An answer longer than its box shows what fits and "(continued on page N)"; added pages, "Your
 *   answers, continued", print it whole under its question, as text of the page, so that no
 *   viewer and no printer hides a word.
 * - Only the PDF's standard fonts are used (nothing to download, nothing embedded); see
 *   `typesetter` for the characters they lack.
 * It refuses nothing: a PDF it cannot fill makes `fill` fail, and the page says so.
 */
(() => {
  "use strict";

  const SIZE = 12;       // every answer, in the boxes and on the added pages (points; 11 at least)
  const MARGIN = 54;     // of the added pages (points: 3/4 inch)
  const LEADING = 1.35;  // line height of the added pages, times the font size

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

  function addedPages(doc, answers, type, page) {
    /* The pages "Your answers, continued": each long answer under its question, whole, as text of
       the page. Returns the page number (from 1) where each answer starts. */
    const { width, height } = doc.getPage(0).getSize();  // the worksheet's paper
    const room = width - 2 * MARGIN;
    const starts = {};
    let current = null;
    let y = 0;
    const newPage = () => { current = doc.addPage([width, height]); y = height - MARGIN; };
    const line = (text, size, bold) => {
      if (y - size * LEADING < MARGIN) newPage();
      y -= size * LEADING;
      type.draw(current, text, MARGIN, y + size * (LEADING - 1), size, bold);
    };
    const paragraph = (text, size, bold) => {
      for (const part of text.replace(/\r\n?/g, "\n").split("\n")) {
        for (const piece of type.wrap(part, size, bold, room)) line(piece, size, bold);
      }
    };
    newPage();
    line(page.label("continued"), 16, true);
    if (page.title) paragraph(page.title, SIZE, false);
    for (const [name, value] of answers) {
      y -= SIZE;
      if (y - 3 * SIZE * LEADING < MARGIN) newPage();  // a question never alone at a page's foot
      starts[name] = doc.getPageCount();
      paragraph(page.question(name), SIZE, true);
      paragraph(value, SIZE, false);
    }
    if (type.substituted()) { y -= SIZE; paragraph(page.label("substitute-note"), SIZE, false); }
    return starts;
  }

  function cut(text, note, type, room) {  // as much of a line as fits before " … (continued…)"
    const words = text.split(" ");
    while (words.length && type.width(`${words.join(" ")} … ${note}`, SIZE, false) > room) words.pop();
    return words.length ? `${words.join(" ")} … ${note}` : note;
  }

  function listFont(pdfForm, font) {
    /* A viewer that lets a reader edit a box (Acrobat) draws it with the font its /DA names, found
       in the form's resources (/DR): Helvetica is listed there, under the name the boxes use. */
    const { PDFName, PDFDict } = window.PDFLib;
    const form = pdfForm.acroForm.dict;
    let resources = form.lookup(PDFName.of("DR"));
    if (!(resources instanceof PDFDict)) { resources = form.context.obj({}); form.set(PDFName.of("DR"), resources); }
    let list = resources.lookup(PDFName.of("Font"));
    if (!(list instanceof PDFDict)) { list = form.context.obj({}); resources.set(PDFName.of("Font"), list); }
    list.set(PDFName.of(font.name), font.ref);
  }

  /* Each field ready to be drawn: boxes set the right way up, choices ticked, text fields at the
     fixed size; returns the text fields with the answer, what their box can show, and whether a
     character had to be written as its code. */
  function prepare(pdfForm, values, page, type) {
    const { PDFTextField, PDFRadioGroup } = window.PDFLib;
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
        if (field.getName() !== page.group) field.enableMultiline();
        texts.push({ field, value: value || "", ...type.plain(value || "") });
      } else if (field instanceof PDFRadioGroup && value !== undefined) {
        const options = field.getOptions();  // the page's radios carry each choice's position
        if (options[Number(value)] !== undefined) field.select(options[Number(value)]);
      }
    }
    return texts;
  }

  /* The PDF `bytes` with `values` (by field name) filled in; `page` says what the worksheet's page
     knows: `group` (the group field's name, on one line), `label(name)` (its words, in its
     language), `question(name)` (a field's question) and `title`. */
  async function fill(bytes, values, page) {
    const { PDFDocument, PDFHexString, PDFName, PDFBool, StandardFonts } = window.PDFLib;
    const doc = await PDFDocument.load(bytes);
    const fonts = {
      regular: await doc.embedFont(StandardFonts.Helvetica),
      bold: await doc.embedFont(StandardFonts.HelveticaBold),
      symbol: await doc.embedFont(StandardFonts.Symbol),
    };
    const type = typesetter(fonts);
    const pdfForm = doc.getForm();
    const texts = prepare(pdfForm, values, page, type);
    const layouts = texts.map((text) => ({ ...text, ...fitting(text.field, text.shown, fonts.regular) }));
    // Printed again on the added pages: the answers too long for their box, and those with a
    // character only the added pages can draw (or explain).
    const again = layouts.filter((text) => text.lines.length > text.room || text.coded);
    const starts = again.length ? addedPages(doc, again.map((text) => [text.field.getName(), text.value]), type, page) : {};
    for (const text of layouts) {
      let shown = text.shown;
      if (text.lines.length > text.room) {  // what fits, then where the answer goes on
        const note = page.label("continued-at").replace("{page}", starts[text.field.getName()]);
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
    listFont(pdfForm, fonts.regular);
    // Every box has its appearance drawn: viewers show it as it is rather than redrawing it.
    pdfForm.acroForm.dict.set(PDFName.of("NeedAppearances"), PDFBool.False);
    return doc.save({ updateFieldAppearances: false });
  }

  window.kit = window.kit || {};
  window.kit.answersPdf = { fill };
})();
