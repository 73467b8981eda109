/* kit-projection.js: a worksheet on a projector (/fiches/<id>/projection/).
 *
 * One slide at a time: the title and context, then each question. The next one on ArrowRight,
 * PageDown or Space (what presentation clickers send), the previous one on ArrowLeft or PageUp,
 * and Previous / Next buttons. A countdown, set to the worksheet's suggested duration, that the
 * facilitator starts, pauses and resets: an element with role="timer", silent, with no motion.
 * On the day's projection (/deroulement/projection/, prepared by kit-day.js), each slide names its
 * part of the day (data-kit-block) and that part's length (data-kit-minutes): entering another
 * part sets the countdown to its length.
 * Without JavaScript every slide shows, one under the other.
 */
(function () {
  "use strict";

  var root = document.querySelector(".kit-projection");
  if (!root) return;
  var slides = Array.prototype.slice.call(root.querySelectorAll(".kit-slide"));
  var previous = root.querySelector('[data-slide="previous"]');
  var next = root.querySelector('[data-slide="next"]');
  var current = 0;

  function show(number, moveFocus) {
    current = Math.max(0, Math.min(slides.length - 1, number));
    slides.forEach(function (slide, index) { slide.hidden = index !== current; });
    previous.disabled = current === 0;
    next.disabled = current === slides.length - 1;
    enterBlock(slides[current]);
    if (moveFocus) slides[current].focus();  // a screen reader reads the new slide
  }

  slides.forEach(function (slide) { slide.setAttribute("tabindex", "-1"); });
  previous.addEventListener("click", function () { show(current - 1, true); });
  next.addEventListener("click", function () { show(current + 1, true); });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var onControl = /^(BUTTON|INPUT|TEXTAREA|SELECT|A)$/.test(event.target.tagName);
    if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && !onControl)) {
      event.preventDefault();
      show(current + 1, true);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      event.preventDefault();
      show(current - 1, true);
    }
  });

  /* ---- the countdown -------------------------------------------------------------------------- */
  var display = root.querySelector("[data-timer-display]");
  var toggle = root.querySelector('[data-timer="toggle"]');
  var reset = root.querySelector('[data-timer="reset"]');
  var total = Number(root.getAttribute("data-kit-duration")) * 60;
  var left = total;
  var ticking = null;
  var endsAt = 0;

  function render() {
    var seconds = Math.max(0, Math.ceil(left - 0.001));
    display.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function pause() {
    if (ticking) clearInterval(ticking);
    ticking = null;
    toggle.textContent = toggle.getAttribute("data-start");
  }

  var block = null;

  function enterBlock(slide) {
    var key = slide.getAttribute("data-kit-block");
    if (!key || key === block) return;
    block = key;
    pause();
    total = left = Number(slide.getAttribute("data-kit-minutes")) * 60;
    render();
  }

  toggle.addEventListener("click", function () {
    if (ticking) {
      left = (endsAt - Date.now()) / 1000;
      pause();
      render();
      return;
    }
    if (left <= 0) left = total;
    endsAt = Date.now() + left * 1000;
    toggle.textContent = toggle.getAttribute("data-pause");
    ticking = setInterval(function () {
      left = (endsAt - Date.now()) / 1000;
      if (left <= 0) { left = 0; pause(); }
      render();
    }, 250);
  });

  reset.addEventListener("click", function () {
    pause();
    left = total;
    render();
  });

  render();
  show(0, false);
})();
