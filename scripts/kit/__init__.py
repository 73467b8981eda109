"""The kit's code, in small modules with one job each. MkDocs reaches it through scripts/hooks.py;
the command line (scripts/build.py), the benchmark and the tests import it directly.

- `paths`: where things are (the repository, data/, templates, caches);
- `addresses`: French at the site root, English under en/: every address and relative link, and
  the languages, papers and editions, written once;
- `fields`: the names of the form fields, for the templates, collect and /synthese/;
- `data`: the data files of data/, checked against their schema and read once per build;
- `text`: what data text may contain (Markdown inline) and how it becomes HTML, for pages and PDFs;
- `templates`: the Jinja environment (autoescaped) for the kit's HTML and Markdown fragments;
- `typography`: French typography (OQLF) on rendered HTML;
- `site`: what the hooks do at each step of a build, calling the modules below;
- `pages`, `fiches`, `day`, `newsletter`, `redirects`, `listen`: what the hooks put into pages (`day`: the
  planner of the day, /deroulement/, and its projection; `listen`: the Listen controls under the title);
- `handouts`, `weasy`, `pdfjoin`: the PDF handouts, rendered with WeasyPrint (in worker
  processes) and joined into packs with their structure tree and form whole;
- `cache`: files written whole (temporary name, then rename), checked before use, pruned;
- `search`, `offline`, `markup`: the search index per language, the offline zip, theme mending;
- `links`, `links_external`: the link checks over the built site;
- `collect`: answers read back from filled handouts into a synthesis.
- `pause`: a pause point at named moments of a build, for the tests' interruptions (idle otherwise).

Modules import each other as `from kit import name` and call `name.function`, never
`from kit.name import function`: `make serve` re-imports the package when a file changes
(scripts/hooks.py), and attribute look-ups then reach the new code.
"""
