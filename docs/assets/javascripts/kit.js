/* kit.js, on every page: switching language keeps the reader on the same heading. Headings carry
   the same ids in both languages, so the other language's page is opened at the current #fragment.
   The listener runs in the capture phase, before the theme's own, and adds no global name. */
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
  if (link && location.hash) link.href = link.href.split("#")[0] + location.hash;
}, true);
