/* kit-search.js: start Material's search (9.8.1) only when the reader opens it.
 *
 * At start, Material's bundle creates the search worker (new Worker(config.search): lunr, then
 * the stemmers it imports) and requests the index: XMLHttpRequest GET <base>search/
 * search_index.json, or from file:// a <script src="<base>search/search_index.js"> appended to
 * document.head (which Material 9.8.1 does at load when search.highlight is on). Loaded just
 * before the bundle, this script holds exactly these (same URLs as Material resolves them) and
 * lets them go ahead, unchanged and in order, when search opens:
 *   - the worker: a stand-in queues postMessage() and relays events once the real one exists
 *     (the iframe shim's from file://: load this after iframe-worker-shim.js);
 *   - the index: XMLHttpRequest send(), fetch() (unused by 9.8.1), document.head.appendChild().
 * Anything else passes through; without a search form or a readable #__config, nothing is held.
 *
 * Search opens on: pointer down or click on the search box or a label[for=__search], focus in
 * the search form (click, Tab, Material's f / s / "/" shortcuts), the #__search toggle turning
 * on, and at load for ?q= (Material opens search) or ?h= (highlighting needs the index).
 * window.kitSearch.release() opens it from elsewhere; kitSearch.held() tells if still closed. */
(function () {
  "use strict";

  var form = document.forms.namedItem ? document.forms.namedItem("search") : null;
  var configElement = document.getElementById("__config");
  if (!form || !configElement || !window.URL) return;

  var config;
  try { config = JSON.parse(configElement.textContent); } catch (e) { return; }
  if (!config || typeof config.search !== "string" || typeof config.base !== "string") return;

  function resolve(url, base) {
    try { return new URL(String(url), base || document.baseURI).href; } catch (e) { return null; }
  }

  /* The exact URLs Material uses: same resolution as its configuration() and fetchSearchIndex() */
  var base = resolve(config.base, location.href);
  var workerUrl = resolve(config.search);
  var indexUrls = [resolve("search/search_index.json", base), resolve("search/search_index.js", base)];

  function isIndex(url) {
    var href = resolve(url);
    return href !== null && indexUrls.indexOf(href.split("#")[0]) !== -1;
  }

  /* The gate: functions queued while closed run, in order, when it opens */
  var open = false;
  var queue = [];

  function hold(fn) {
    if (open) fn(); else queue.push(fn);
  }

  function release() {
    if (open) return;
    open = true;
    removeTriggers();
    var pending = queue;
    queue = [];
    for (var i = 0; i < pending.length; i++) {
      try { pending[i](); } catch (e) { setTimeout(function () { throw e; }); }
    }
  }

  window.kitSearch = { release: release, held: function () { return !open; } };

  /* Worker: a stand-in for the search worker (any other worker is created at once). The
     constructor current now is the browser's, or the iframe shim's from file:// */
  var NativeWorker = window.Worker;
  if (NativeWorker) {
    var DeferredWorker = function (url, options) {
      if (!open && resolve(url) === workerUrl) return standIn(url, options);
      return options === undefined ? new NativeWorker(url) : new NativeWorker(url, options);
    };
    DeferredWorker.prototype = NativeWorker.prototype;
    window.Worker = DeferredWorker;
  }

  function standIn(url, options) {
    var target = new EventTarget();
    var real = null;
    var messages = [];
    var terminated = false;

    function relay(event) {
      var copy = event.type === "error"
        ? new ErrorEvent("error", { message: event.message, filename: event.filename,
                                    lineno: event.lineno, colno: event.colno, error: event.error })
        : new MessageEvent(event.type, { data: event.data });
      target.dispatchEvent(copy);
      var handler = target["on" + event.type];
      if (typeof handler === "function") handler.call(target, copy);
    }

    target.onmessage = target.onerror = target.onmessageerror = null;
    target.postMessage = function (data, transfer) {
      if (real) real.postMessage(data, transfer); else messages.push([data, transfer]);
    };
    target.terminate = function () {
      terminated = true;
      if (real) real.terminate();
    };

    hold(function () {
      if (terminated) return;
      real = options === undefined ? new NativeWorker(url) : new NativeWorker(url, options);
      real.addEventListener("message", relay);
      real.addEventListener("messageerror", relay);
      real.addEventListener("error", relay);
      for (var i = 0; i < messages.length; i++) real.postMessage(messages[i][0], messages[i][1]);
      messages = null;
    });
    return target;
  }

  /* XMLHttpRequest: Material opens the index request and sends it at once; hold send() */
  var XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (XHR) {
    var nativeOpen = XHR.open;
    var nativeSend = XHR.send;
    var nativeAbort = XHR.abort;
    XHR.open = function (method, url) {
      this.__kitSearchIndex = isIndex(url);
      this.__kitSearchHeld = false;
      return nativeOpen.apply(this, arguments);
    };
    XHR.send = function () {
      var request = this;
      var args = arguments;
      if (open || !request.__kitSearchIndex) return nativeSend.apply(request, args);
      request.__kitSearchHeld = true;
      hold(function () {
        if (!request.__kitSearchHeld) return;    /* aborted meanwhile */
        request.__kitSearchHeld = false;
        nativeSend.apply(request, args);
      });
    };
    XHR.abort = function () {
      this.__kitSearchHeld = false;
      return nativeAbort.apply(this, arguments);
    };
  }

  /* fetch: not used by Material 9.8.1 for the index, held in case a later version does */
  var nativeFetch = window.fetch;
  if (nativeFetch) {
    window.fetch = function (input) {
      var args = arguments;
      var url = input && typeof input === "object" && "url" in input ? input.url : input;
      if (open || !isIndex(url)) return nativeFetch.apply(window, args);
      return new Promise(function (resolveFetch) {
        hold(function () { resolveFetch(nativeFetch.apply(window, args)); });
      });
    };
  }

  /* file:// : Material appends <script src="<base>search/search_index.js"> to document.head
     (its watchScript); hold that insertion. Only document.head's own appendChild is wrapped. */
  var head = document.head;
  var nativeAppendChild = head.appendChild;
  head.appendChild = function (node) {
    if (!open && node && node.tagName === "SCRIPT" && node.src && isIndex(node.src)) {
      hold(function () { nativeAppendChild.call(head, node); });
      return node;
    }
    return nativeAppendChild.apply(this, arguments);
  };

  /* Triggers: anything that opens search, seen before Material's own handlers (capture) */
  function isSearchTarget(node) {
    return !!(node && node.closest && node.closest('label[for="__search"], form[name="search"]'));
  }
  function onPointer(event) { if (isSearchTarget(event.target)) release(); }
  function onFocus(event) { if (event.target && form.contains(event.target)) release(); }
  function onChange(event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release();
  }
  var triggers = [["pointerdown", onPointer], ["click", onPointer], ["focusin", onFocus],
                  ["change", onChange]];

  function removeTriggers() {
    for (var i = 0; i < triggers.length; i++)
      document.removeEventListener(triggers[i][0], triggers[i][1], true);
  }
  for (var i = 0; i < triggers.length; i++)
    document.addEventListener(triggers[i][0], triggers[i][1], { capture: true, passive: true });

  /* Deep links: ?q= opens search at load, ?h= highlights with the index's separator */
  var params = new URLSearchParams(location.search);
  var toggle = document.getElementById("__search");
  if (params.has("q") || params.has("h") || (toggle && toggle.checked)) release();
})();
