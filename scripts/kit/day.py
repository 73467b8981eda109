"""The page /deroulement/ (« Planifier la journée ») and its projection /deroulement/projection/.

- `planner`: the `<!-- kit:day-planner -->` marker: the form of the day's blocks, in the order and
  with the durations of data/day.yml (worksheets' titles and durations from their own files), and
  the empty run sheet that docs/assets/javascripts/kit-day.js fills in as the form changes;
- `projection`: the `<!-- kit:day-projection -->` marker: every worksheet's slides, one after the
  other, which kit-day.js narrows to the plan's worksheets, in its order, with a slide for each
  break; kit-projection.js then shows them one at a time.

Clock times, totals and copies are computed in the browser only (kit-day.js), so that one piece
of code does it. A worksheet that data/day.yml does not name is offered too, unchecked, at the
end. Refuses a `day-planner` marker that does not name its part (form, sheet or copies);
data/day.yml itself is checked when it is read (kit.data).
"""

from __future__ import annotations

from dataclasses import dataclass

from kit import data, fiches, templates, text, typography


@dataclass(frozen=True)
class Block:
    """One line of the planner's form."""

    key: str          # its name in the plan's address
    kind: str         # worksheet, welcome, talk, plenary, break, meal or closing
    title: str        # plain text, in the page's language
    duration: int     # minutes, by default
    included: bool    # checked by default
    suggested: bool   # a duration the guide does not give: the kit's suggestion


def blocks(kit: data.Kit, lang: str) -> list[Block]:
    """The blocks of the planner, in the default order: data/day.yml's, then any other worksheet."""
    out, named = [], set()
    for block in kit.day.blocks:
        if block.worksheet:
            out.append(_worksheet_block(kit.worksheet(block.worksheet), lang, included=True))
            named.add(block.worksheet)
        else:
            out.append(Block(block.id, block.kind, text.plain(block.title[lang]), block.duration, True, block.suggested))
    out += [_worksheet_block(sheet, lang, included=False) for sheet in kit.worksheets if sheet.id not in named]
    return out


def _worksheet_block(sheet: data.Worksheet, lang: str, included: bool) -> Block:
    return Block(sheet.id, "worksheet", text.plain(sheet.title[lang]), sheet.duration, included, False)


PARTS = ("form", "sheet", "copies")
# The labels kit-day.js writes with ({time}, {title}… filled in there), handed over in the page.
SCRIPT_WORDS = ("day_clock_morning", "day_clock_afternoon", "day_total", "day_empty", "day_moved", "day_copied",
                "day_copy_failed", "day_back_at", "day_until", "day_minutes_short")


def script_data(kit: data.Kit, lang: str) -> dict:
    """What kit-day.js needs from the data: the default day and the words it writes with."""
    t = kit.t(lang)
    return {"start": kit.day.start, "groups": kit.day.groups, "participants": kit.day.participants,
            "large": kit.day.large_print,
            "blocks": [{"key": b.key, "kind": b.kind, "title": typography.text(b.title, lang), "minutes": b.duration,
                        "included": b.included} for b in blocks(kit, lang)],
            "words": {key.removeprefix("day_"): typography.text(t[key], lang) for key in SCRIPT_WORDS}}


def planner(kit: data.Kit, lang: str, arg, src: str) -> str:
    """One part of /deroulement/: `<!-- kit:day-planner form -->` (the choices, and the data kit-day.js
    reads), `… sheet` (the run sheet and its actions) or `… copies` (what to print)."""
    if arg not in PARTS:
        raise data.KitError(f"{src}: marker 'kit:day-planner {arg or ''}' needs one of {', '.join(PARTS)}, "
                            "as in '<!-- kit:day-planner form -->'.")
    return templates.render("day-planner.html", part=arg, blocks=blocks(kit, lang), day=kit.day, t=kit.t(lang),
                            script=script_data(kit, lang))


def projection(kit: data.Kit, lang: str, arg, src: str) -> str:
    """Every worksheet's slides, marked with their worksheet, for the day's projection."""
    page = src.removeprefix("docs/").split("/projection")[0]  # "deroulement"; links name the French files
    return templates.render("day-projection.md", sheets=kit.worksheets, lang=lang, t=kit.t(lang),
                            abbr=kit.abbreviations(lang), script=script_data(kit, lang),
                            back=fiches.source_link(f"{page}/projection.md", f"{page}.md"))
