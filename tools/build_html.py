"""Build the whole book as static HTML pages, offline: python tools/build_html.py

Every chapter is converted with its stored outputs (figures, sound players) by
nbconvert; links between chapters are pointed at the HTML pages; an index page
lists the chapters in order. Nothing is executed and nothing is downloaded.
The pages go to build/html/ (or the folder given with --out).
"""

import argparse
import html
import json
import re
from pathlib import Path

from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent


def chapter_title(notebook):
    """The text of the notebook's first heading, e.g. '3 · Layers and networks'."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if match:
                return match.group(1).strip()
    return "untitled"


def link_pages(page):
    """Links to other chapters' notebooks (href="04_loss_functions.ipynb#part") become links to their pages."""
    return re.sub(r'href="(\d\d_\w+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', page)


def index_page(entries):
    items = "\n".join(f'    <li><a href="{name}.html">{html.escape(title)}</a></li>' for name, title in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Deep Learning for Audio</title>
  <style>body {{ font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.6; }}
  li {{ margin: 0.3em 0; }}</style>
</head>
<body>
  <h1>Deep Learning for Audio</h1>
  <p>From a single neuron to a deep network that tells sounds apart: the chapters in order,
  with their stored outputs. To move the sliders, run the notebooks in JupyterLab.</p>
  <ol start="0">
{items}
  </ol>
</body>
</html>
"""


def build(out):
    """Convert every chapter into `out` and write index.html; returns the list of (page name, title)."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    entries = []
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        page, _ = exporter.from_filename(str(path))
        (out / f"{path.stem}.html").write_text(link_pages(page), encoding="utf-8")
        entries.append((path.stem, chapter_title(notebook)))
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html", help="folder for the pages")
    arguments = parser.parse_args()
    entries = build(arguments.out)
    print(f"{len(entries)} chapters and index.html written to {arguments.out}")


if __name__ == "__main__":
    main()
