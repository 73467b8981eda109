/* kit-day.js: the plan of the day (/deroulement/) and its projection (/deroulement/projection/).
 *
 * The page carries the default day and the words to write with, as JSON (#kit-day-data, made by
 * scripts/kit/day.py from data/day.yml, the worksheets and data/labels.yml). The plan lives in the
 * page's address, so that it can be bookmarked or sent:
 *
 *   ?debut=09:00&plan=accueil,echange-1,pause-matin:20,…&groupes=4&personnes=20&gros=1
 *
 * `plan` lists the parts of the day kept, in order; ":20" after a part's name is its length in
 * minutes when it differs from the default. A value that does not read is ignored and the default
 * used. Nothing leaves the page: times, totals and copies are worked out here.
 *
 * On the planner, each change of the form rewrites the run sheet, the copies to print and the
 * address (history.replaceState: no new history entry). On the projection, the worksheets of the
 * plan are kept in its order, a slide is added for each other part (a break says when the group
 * comes back), then kit-projection.js, loaded after this script, shows them one at a time.
 */
(() => {
  "use strict";

  const source = document.getElementById("kit-day-data");
  if (!source) return;
  const DAY = JSON.parse(source.textContent);
  const WORDS = DAY.words;
  const DEFAULTS = new Map(DAY.blocks.map((block) => [block.key, block]));

  /* ---- times and lengths, in the page's language ---------------------------------------------- */

  const pad = (n) => String(n).padStart(2, "0");
  const fill = (pattern, values) => pattern.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));

  /** "09:30" -> 570 (minutes after midnight). */
  const minutesOf = (clock) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

  /** 570 -> « 9 h 30 » or "9:30 a.m.", with no-break spaces so a time never splits across lines.
   *  The labels' patterns: {H} hour 0-23, {h} hour 1-12, {MM} minutes, {mm} minutes or nothing on the hour. */
  const clock = (minutes) => {
    const time = ((minutes % 1440) + 1440) % 1440;  // a day running past midnight goes round the clock
    const hour = Math.floor(time / 60);
    const minute = time % 60;
    const pattern = hour < 12 ? WORDS.clock_morning : WORDS.clock_afternoon;
    const text = fill(pattern, { H: hour, h: hour % 12 || 12, MM: pad(minute), mm: minute ? pad(minute) : "" });
    return text.trim().replace(/ /g, "\u00a0");
  };

  /** 95 -> "1 h 35 min", 45 -> "45 min", 120 -> "2 h" ("h" and "min" are the same in both languages). */
  const length = (minutes) => {
    const rest = fill(WORDS.minutes_short, { n: minutes % 60 });
    if (minutes < 60) return rest.replace(/ /g, "\u00a0");
    const hours = `${Math.floor(minutes / 60)} h`;
    return (minutes % 60 ? `${hours} ${fill(WORDS.minutes_short, { n: pad(minutes % 60) })}` : hours).replace(/ /g, "\u00a0");
  };

  /* ---- the plan and the address --------------------------------------------------------------- */

  /** A whole number within [low, high] from the address, else the default. */
  const number = (text, low, high, fallback) => {
    const value = /^\d{1,4}$/.test(text || "") ? Number(text) : NaN;
    return value >= low && value <= high ? value : fallback;
  };

  /** The parts of the day kept, in the address's order; those left out go back where the default day
   *  has them (after the part they follow there), unchecked. */
  const blocksFrom = (text) => {
    const kept = [];
    for (const item of (text || "").split(",")) {
      const found = /^([a-z0-9-]+)(?::(\d{1,3}))?$/.exec(item.trim());
      if (!found || !DEFAULTS.has(found[1]) || kept.some((block) => block.key === found[1])) continue;
      const fallback = DEFAULTS.get(found[1]).minutes;
      kept.push({ key: found[1], minutes: number(found[2], 1, 600, fallback), included: true });
    }
    if (!kept.length) return DAY.blocks.map((block) => ({ key: block.key, minutes: block.minutes, included: block.included }));
    let previous = -1;
    for (const block of DAY.blocks) {
      const at = kept.findIndex((other) => other.key === block.key);
      if (at >= 0) {
        previous = at;
      } else {
        kept.splice(previous + 1, 0, { key: block.key, minutes: block.minutes, included: false });
        previous += 1;
      }
    }
    return kept;
  };

  /** The plan an address describes; anything missing or unreadable takes the default. */
  const planFrom = (search) => {
    const query = new URLSearchParams(search);
    const start = /^([01]\d|2[0-3]):[0-5]\d$/.test(query.get("debut") || "") ? query.get("debut") : DAY.start;
    return {
      start,
      groups: number(query.get("groupes"), 1, 50, DAY.groups),
      people: number(query.get("personnes"), 1, 500, DAY.participants),
      large: number(query.get("gros"), 0, 500, DAY.large),
      blocks: blocksFrom(query.get("plan")),
    };
  };

  /** The address's query for a plan (its characters need no escaping: names, digits, ':' and ','). */
  const searchOf = (plan) => {
    const kept = plan.blocks.filter((block) => block.included).map((block) =>
      (block.minutes === DEFAULTS.get(block.key).minutes ? block.key : `${block.key}:${block.minutes}`));
    return `?debut=${plan.start}&plan=${kept.join(",")}&groupes=${plan.groups}&personnes=${plan.people}&gros=${plan.large}`;
  };

  /** The parts kept, each with its start and end in minutes after midnight. */
  const schedule = (plan) => {
    let time = minutesOf(plan.start);
    return plan.blocks.filter((block) => block.included).map((block) => {
      const row = { ...DEFAULTS.get(block.key), minutes: block.minutes, start: time, end: time + block.minutes };
      time = row.end;
      return row;
    });
  };

  /** Links that carry the plan: the projection, the way back to the planner, the other language. */
  const carryPlan = (search) => {
    for (const link of document.querySelectorAll("[data-kit-day-project], a.kit-projection-back, a[hreflang]")) {
      const href = link.getAttribute("href").split(/[?#]/)[0];
      link.setAttribute("href", href + search);
    }
  };

  const element = (tag, attributes, text) => {
    const made = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) made.setAttribute(name, value);
    if (text !== undefined) made.textContent = text;
    return made;
  };

  /* ---- the planner (/deroulement/) ------------------------------------------------------------ */

  const planner = (form) => {
    const list = form.querySelector("[data-kit-day-list]");
    const field = (name) => form.elements.namedItem(name);
    const items = () => Array.from(list.children);
    const titleOf = (key) => (DEFAULTS.get(key) || {}).title;

    /** The form shows a plan: the parts in its order, checked or not, with their lengths. */
    const show = (plan) => {
      field("debut").value = plan.start;
      field("groupes").value = plan.groups;
      field("personnes").value = plan.people;
      field("gros").value = plan.large;
      for (const block of plan.blocks) {
        const item = list.querySelector(`[data-block="${block.key}"]`);
        list.appendChild(item);  // in the plan's order
        field(`in-${block.key}`).checked = block.included;
        field(`min-${block.key}`).value = block.minutes;
      }
    };

    /** The plan the form shows; a box left empty or out of range counts as its default. */
    const read = () => ({
      start: /^\d\d:\d\d$/.test(field("debut").value) ? field("debut").value : DAY.start,
      groups: number(field("groupes").value, 1, 50, DAY.groups),
      people: number(field("personnes").value, 1, 500, DAY.participants),
      large: number(field("gros").value, 0, 500, DAY.large),
      blocks: items().map((item) => {
        const key = item.dataset.block;
        return { key, included: field(`in-${key}`).checked,
                 minutes: number(field(`min-${key}`).value, 1, 600, DEFAULTS.get(key).minutes) };
      }),
    });

    const rows = document.querySelector("[data-kit-day-rows]");
    const copies = document.querySelector("[data-kit-day-copies]");
    const totals = document.querySelectorAll("[data-kit-day-total], [data-kit-day-summary]");
    const address = document.querySelector("[data-kit-day-address]");
    const headings = (table) => Array.from(table.closest("table").querySelectorAll("thead th"), (th) => th.textContent);

    const cells = (row, values, labels) => {
      values.forEach((value, index) => row.appendChild(element("td", { "data-label": labels[index] }, String(value))));
      return row;
    };

    /** The run sheet, the copies and the address, from the form as it is now. */
    const render = () => {
      const plan = read();
      const day = schedule(plan);
      const timeLabels = headings(rows);
      rows.replaceChildren(...day.map((row) => cells(element("tr", { "data-block": row.key }),
        [`${clock(row.start)}\u00a0– ${clock(row.end)}`, row.title, length(row.minutes)], timeLabels)));
      const said = day.length
        ? fill(WORDS.total, { length: length(day[day.length - 1].end - day[0].start), start: clock(day[0].start),
                               end: clock(day[day.length - 1].end) }).replace(/\.\.$/, ".")  // "p.m.." ends with one period
        : WORDS.empty;
      for (const total of totals) {
        if (total.textContent !== said) total.textContent = said;  // the form's copy is a live region: say it once
      }
      const large = Math.min(plan.large, plan.people);
      const copyLabels = headings(copies);
      copies.replaceChildren(...day.filter((row) => row.kind === "worksheet").map((row) =>
        cells(element("tr", { "data-block": row.key }), [row.title, plan.groups, plan.people - large, large], copyLabels)));
      const times = new Map(day.map((row) => [row.key, `${clock(row.start)} – ${clock(row.end)}`]));
      for (const item of items()) {
        item.querySelector("[data-kit-day-when]").textContent = times.get(item.dataset.block) || "";
        const first = item === list.firstElementChild;
        const last = item === list.lastElementChild;
        item.querySelector('[data-move="-1"]').disabled = first;
        item.querySelector('[data-move="1"]').disabled = last;
        item.classList.toggle("kit-day-block--out", !field(`in-${item.dataset.block}`).checked);
      }
      const search = searchOf(plan);
      address.value = location.href.split(/[?#]/)[0] + search;
      carryPlan(search);
      return search;
    };

    const changed = () => {
      const search = render();
      history.replaceState(history.state, "", search + location.hash);
    };

    /** Up or down one place; the focus stays on the button (or its twin when it reaches the end). */
    const move = (button) => {
      const item = button.closest("li");
      const step = Number(button.dataset.move);
      const other = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (!other) return;
      list.insertBefore(item, step < 0 ? other : other.nextElementSibling);
      changed();
      (button.disabled ? item.querySelector(`[data-move="${-step}"]`) : button).focus();
      const position = items().indexOf(item) + 1;
      form.querySelector("[data-kit-day-moved]").textContent =
        fill(WORDS.moved, { title: titleOf(item.dataset.block), n: position, count: items().length });
    };

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-move]");
      if (button) move(button);
    });

    document.querySelector("[data-kit-day-print]").addEventListener("click", () => window.print());
    const copied = document.querySelector("[data-kit-day-copied]");
    document.querySelector("[data-kit-day-copy]").addEventListener("click", () => {
      const fallback = () => {  // no clipboard (an old browser, a page opened from a file): select it
        address.focus();
        address.select();
        copied.textContent = WORDS.copy_failed;
      };
      if (!navigator.clipboard) return fallback();
      navigator.clipboard.writeText(address.value).then(() => { copied.textContent = WORDS.copied; }, fallback);
    });

    show(planFrom(location.search));
    render();
  };

  /* ---- the projection (/deroulement/projection/) ---------------------------------------------- */

  const projection = (root) => {
    const plan = planFrom(location.search);
    const day = schedule(plan);
    const controls = root.querySelector(".kit-projection-controls");
    const agenda = root.querySelector("[data-kit-day-agenda]");
    for (const row of day) {
      agenda.appendChild(element("li", {}, `${clock(row.start)} – ${clock(row.end)} · ${row.title}`));
    }
    const sheets = new Set(day.filter((row) => row.kind === "worksheet").map((row) => row.key));
    for (const slide of root.querySelectorAll(".kit-slide[data-kit-sheet]")) {
      if (!sheets.has(slide.dataset.kitSheet)) slide.remove();  // worksheets the plan leaves out
    }
    for (const row of day) {
      // each slide of a part names it and its length: kit-projection.js sets the countdown from them
      const mark = (slide) => {
        slide.dataset.kitBlock = row.key;
        slide.dataset.kitMinutes = row.minutes;
        root.insertBefore(slide, controls);
      };
      if (row.kind === "worksheet") {
        root.querySelectorAll(`.kit-slide[data-kit-sheet="${row.key}"]`).forEach(mark);
        continue;
      }
      const id = `kit-day-${row.key}`;
      const slide = element("section", { class: `kit-slide kit-slide--moment kit-slide--${row.kind}`, "aria-labelledby": id });
      slide.appendChild(element("h2", { class: "kit-slide-title", id }, row.title));
      const pause = row.kind === "break" || row.kind === "meal";
      slide.appendChild(element("p", { class: "kit-slide-question" },
        fill(pause ? WORDS.back_at : WORDS.until, { time: clock(row.end) })));
      mark(slide);
    }
    if (day.length) {  // the countdown first shows the first part's length
      root.dataset.kitDuration = day[0].minutes;
      root.querySelector("[data-timer-display]").textContent = `${day[0].minutes}:00`;
    }
    carryPlan(location.search ? searchOf(plan) : "");
  };

  const form = document.querySelector("[data-kit-day-form]");
  if (form) planner(form);
  const root = document.querySelector("[data-kit-day-projection]");
  if (root) projection(root);
})();
