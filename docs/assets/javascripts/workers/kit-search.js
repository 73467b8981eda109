/* kit-search.js: the search worker the theme starts on every page (named in the `config` block of
 * overrides/main.html, as Material lets a site name its own worker). It is Material's own worker,
 * started at the first search instead of with every page, so that a first page stays light.
 *
 * Material talks to its worker with four messages (Material 9's SearchMessageType): SETUP (the
 * search index), READY (answer to SETUP), QUERY (what the reader typed), RESULT (answer to QUERY).
 * The index the theme fetches with every page has no documents (scripts/kit/search.py): its
 * `config.kit` names the whole index and Material's worker. So this worker:
 *   - on SETUP without documents, keeps it and answers READY at once;
 *   - answers an empty QUERY (sent as search starts) with no results;
 *   - at the first QUERY with words, fetches the whole index, loads Material's worker (which then
 *     listens to messages itself), hands it SETUP with the documents, then the latest QUERY.
 * From files (the offline kit), the index comes whole and Material sends SETUP only when search
 * opens: Material's worker is loaded and handed SETUP at once. There, the iframe shim runs this
 * file in an iframe, where importScripts() returns a promise: hence the `await`s. */
"use strict";
{
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  /* This file's address: a worker's own location, or in the iframe shim its <script> tag's */
  const here = self.document ? document.currentScript.src : self.location.href;
  let state = "waiting";    /* then "loading", then "started": Material's worker answers */
  let setup = null;         /* the SETUP message, kept until Material's worker is loaded */
  let latest = null;        /* the last QUERY received while Material's worker loads */

  const send = (message) => dispatchEvent(new MessageEvent("message", { data: message }));
  const noResults = () => postMessage({ type: RESULT, data: { items: [] } });

  async function start(docs) {
    state = "loading";
    await importScripts(new URL(setup.data.config.kit.worker, here).href);
    state = "started";
    send({ type: SETUP, data: Object.assign({}, setup.data, { docs: docs }) });
    /* Material's worker builds its index in a promise's callbacks: the QUERY comes after them */
    if (latest) setTimeout(send, 0, latest);
  }

  async function load() {
    try {
      const response = await fetch(new URL(setup.data.config.kit.index, here).href);
      if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
      await start((await response.json()).docs);
    } catch (error) {
      console.warn("search: the index did not load", error);
      state = "waiting";   /* the next words typed try again */
      noResults();
    }
  }

  addEventListener("message", (event) => {
    const message = event.data;
    if (state === "started") return;
    if (message.type === SETUP) {
      setup = message;
      if (message.data.docs && message.data.docs.length) start(message.data.docs);
      else postMessage({ type: READY });
    } else if (message.type === QUERY) {
      latest = message;
      if (state === "waiting" && !String(message.data).trim()) noResults();
      else if (state === "waiting") { state = "loading"; load(); }
    }
  });
}
