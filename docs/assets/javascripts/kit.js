/* Switching language keeps the reader on the same heading: headings carry the same ids in
   both languages, so the other language's page is opened at the current #fragment. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
  if (link && location.hash) {
    link.href = link.href.split("#")[0] + location.hash;
  }
}, true);
