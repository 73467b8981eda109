/* kit-projection.js: a worksheet on a projector (/fiches/<id>/projection/).
 *
 * One slide at a time: the title and context, then each question. The next one on ArrowRight,
 * PageDown or Space (what presentation clickers send), the previous one on ArrowLeft or PageUp,
 * whatever has focus (a button clicked last included), and Previous / Next buttons. A countdown,
 * set to the worksheet's suggested duration, that the facilitator starts, pauses and resets: an
 * element with role="timer", silent, with no motion. Its own key is T (start or pause); its
 * buttons answer Enter and a click, never Space, which stays "next slide".
 * On the day's projection (/deroulement/projection/, prepared by kit-day.js), each slide names its
 * part of the day (data-kit-block) and that part's length (data-kit-minutes): entering another
 * part sets the countdown to its length.
 * Without JavaScript every slide shows, one under the other.
 */
(() => {
  "use strict";

  const root = document.querySelector(".kit-projection");
  if (!root) return;
  const slides = [...root.querySelectorAll(".kit-slide")];
  const previous = root.querySelector('[data-slide="previous"]');
  const next = root.querySelector('[data-slide="next"]');
  let current = 0;

  function show(number, moveFocus) {
    current = Math.max(0, Math.min(slides.length - 1, number));
    slides.forEach((slide, index) => { slide.hidden = index !== current; });
    previous.disabled = current === 0;
    next.disabled = current === slides.length - 1;
    enterBlock(slides[current]);
    if (moveFocus) slides[current].focus();  // a screen reader reads the new slide
  }

  slides.forEach((slide) => slide.setAttribute("tabindex", "-1"));
  previous.addEventListener("click", () => show(current - 1, true));
  next.addEventListener("click", () => show(current + 1, true));

  const FORWARD = new Set([" ", "Spacebar", "ArrowRight", "PageDown"]);
  const BACK = new Set(["ArrowLeft", "PageUp"]);
  const typing = (target) => target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);

  // Listened to on the capture phase, before any button: Space on a focused button would
  // otherwise press it (start or pause the countdown) instead of going to the next slide.
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (FORWARD.has(event.key)) {
      event.preventDefault();
      event.stopPropagation();
      show(current + 1, true);
    } else if (BACK.has(event.key)) {
      event.preventDefault();
      event.stopPropagation();
      show(current - 1, true);
    } else if ((event.key === "t" || event.key === "T") && !event.repeat) {
      event.preventDefault();
      toggle.click();
    }
  }, true);
  // A button pressed with Space is activated when the key comes up: that too is stopped.
  document.addEventListener("keyup", (event) => {
    if ((event.key === " " || event.key === "Spacebar") && !typing(event.target)) event.preventDefault();
  }, true);

  /* ---- the countdown -------------------------------------------------------------------------- */
  const display = root.querySelector("[data-timer-display]");
  const toggle = root.querySelector('[data-timer="toggle"]');
  const reset = root.querySelector('[data-timer="reset"]');
  let total = Number(root.getAttribute("data-kit-duration")) * 60;
  let left = total;
  let ticking = null;
  let endsAt = 0;

  function render() {
    const seconds = Math.max(0, Math.ceil(left - 0.001));
    display.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function pause() {
    if (ticking) clearInterval(ticking);
    ticking = null;
    toggle.textContent = toggle.getAttribute("data-start");
  }

  let block = null;

  function enterBlock(slide) {
    const key = slide.getAttribute("data-kit-block");
    if (!key || key === block) return;
    block = key;
    pause();
    total = left = Number(slide.getAttribute("data-kit-minutes")) * 60;
    render();
  }

  toggle.addEventListener("click", () => {
    if (ticking) {
      left = (endsAt - Date.now()) / 1000;
      pause();
      render();
      return;
    }
    if (left <= 0) left = total;
    endsAt = Date.now() + left * 1000;
    toggle.textContent = toggle.getAttribute("data-pause");
    ticking = setInterval(() => {
      left = (endsAt - Date.now()) / 1000;
      if (left <= 0) { left = 0; pause(); }
      render();
    }, 250);
  });

  reset.addEventListener("click", () => {
    pause();
    left = total;
    render();
  });

  render();
  show(0, false);
})();
