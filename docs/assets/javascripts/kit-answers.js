/* kit-answers.js: the answer boxes of a worksheet page (/fiches/<id>/).
 *
 * - What is typed is kept on this device (localStorage, one entry per worksheet) as it is typed,
 *   and comes back after a reload, after closing the tab, in the offline kit opened from a file.
 *   Nothing is sent anywhere. Answers are shared by the French and English pages of a worksheet.
 * - "Download my answers" saves the worksheet's own fillable PDF, in the page's language and the
 *   paper chosen, with the answers filled in: pdf-lib (served by the site) is loaded only then.
 *   From a file (the offline kit), where a page cannot fetch the PDF, the PDF comes as a script
 *   (<pdf>.js, written by the offline kit) instead.
 * - "Clear my answers" forgets them, after a confirmation.
 * - Printing shows each answer under its question (the .kit-print-answer beside each box).
 * Field names are the PDF's: <id>-group, <id>-q1, <id>-q1-choice (a radio group), <id>-notes.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.kit-answers");
  if (!form) return;
  var key = "kit-answers:" + form.getAttribute("data-kit-sheet");
  var status = form.querySelector(".kit-answer-status");

  function store() {
    try { return window.localStorage; } catch (error) { return null; }  // storage may be refused
  }

  function say(message) {
    if (status) status.textContent = message || "";
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) { return element.name; });
  }

  function current() {
    var values = {};
    fields().forEach(function (element) {
      if (element.type === "radio") {
        if (element.checked) values[element.name] = element.value;
      } else if (element.value) {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function show(values) {
    fields().forEach(function (element) {
      if (element.type === "radio") {
        element.checked = values[element.name] === element.value ||
          (values[element.name] === undefined && element.defaultChecked);
      } else {
        element.value = values[element.name] || "";
      }
    });
    mirror();
  }

  function mirror() {  // what prints under each question
    Array.prototype.forEach.call(form.querySelectorAll(".kit-print-answer[data-for]"), function (copy) {
      var box = form.elements.namedItem(copy.getAttribute("data-for"));
      copy.textContent = box ? box.value : "";
    });
  }

  function save() {
    var storage = store();
    mirror();
    if (!storage) return;
    try {
      storage.setItem(key, JSON.stringify(current()));
      say(status && status.getAttribute("data-saved"));
    } catch (error) { /* full or refused: the answers stay on the page */ }
  }

  function restore() {
    var storage = store();
    var saved = {};
    try { saved = JSON.parse((storage && storage.getItem(key)) || "{}") || {}; } catch (error) { saved = {}; }
    show(saved);
  }

  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("beforeprint", mirror);

  form.querySelector('[data-answers="clear"]').addEventListener("click", function (event) {
    if (!window.confirm(event.currentTarget.getAttribute("data-confirm"))) return;
    var storage = store();
    if (storage) storage.removeItem(key);
    show({});
    say(status && status.getAttribute("data-cleared"));
  });

  /* ---- the PDF ------------------------------------------------------------------------------ */

  function script(src) {  // a script of the site, loaded once
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(element);
    });
  }

  function pdfBytes(href) {
    var url = new URL(href, location.href);
    if (location.protocol !== "file:") {
      return fetch(url.href).then(function (answer) {
        if (!answer.ok) throw new Error(answer.status + " " + url.href);
        return answer.arrayBuffer();
      });
    }
    var name = url.pathname.split("/").pop();
    var loaded = window.__kitPdf && window.__kitPdf[name] ? Promise.resolve() : script(url.href + ".js");
    return loaded.then(function () {
      var binary = atob(window.__kitPdf[name]);
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return bytes.buffer;
    });
  }

  function filled(bytes, values) {
    var PDFLib = window.PDFLib;
    return PDFLib.PDFDocument.load(bytes).then(function (doc) {
      var pdfForm = doc.getForm();
      pdfForm.getFields().forEach(function (field) {
        var name = field.getName();
        var value = values[name];
        if (value === undefined) return;
        if (field instanceof PDFLib.PDFTextField) {
          field.setText(value);
        } else if (field instanceof PDFLib.PDFRadioGroup) {
          var options = field.getOptions();  // the page's radios carry each choice's position
          if (options[Number(value)] !== undefined) field.select(options[Number(value)]);
        }
      });
      return doc.save().catch(function () {  // appearances drawn, so that every viewer shows the answers…
        // …unless a character is one the standard font cannot draw: then the viewer draws them
        pdfForm.acroForm.dict.set(PDFLib.PDFName.of("NeedAppearances"), PDFLib.PDFBool.True);
        return doc.save({ updateFieldAppearances: false });
      });
    });
  }

  function paper() {
    var chosen = form.querySelector('input[name="kit-paper"]:checked');
    return chosen ? chosen.value : "letter";
  }

  form.querySelector('[data-answers="download"]').addEventListener("click", function (event) {
    var button = event.currentTarget;
    var size = paper();
    var values = current();
    button.disabled = true;
    say(status && status.getAttribute("data-working"));
    var library = window.PDFLib ? Promise.resolve() : script(form.getAttribute("data-kit-pdf-lib"));
    library
      .then(function () { return pdfBytes(form.getAttribute("data-kit-pdf-" + size)); })
      .then(function (bytes) { return filled(bytes, values); })
      .then(function (result) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([result], { type: "application/pdf" }));
        link.download = form.getAttribute("data-kit-download-name") + "-" + size + ".pdf";
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
        say("");
      })
      .catch(function (error) {
        say(status && status.getAttribute("data-failed"));
        if (window.console) console.error(error);
      })
      .then(function () { button.disabled = false; });
  });

  restore();
})();
