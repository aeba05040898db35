"""Build the whole book as static HTML pages, offline: python tools/build_html.py

Every chapter is converted with its stored outputs (figures, sound players) by
nbconvert. The pages need no network, ever: the maths is turned into MathML at build
time (latex2mathml; browsers draw MathML themselves), every explorer is shown as the
picture it stored beside its widget, with a line saying where its controls move, and
no script is loaded from elsewhere. Each page has previous / contents / next links,
its chapter's title and a readable measure; links between chapters point at the
pages; an index page lists the chapters in order. Nothing is executed and nothing is
downloaded. The pages go to build/html/ (or the folder given with --out).
"""

import argparse
import copy
import html
import json
import re
from pathlib import Path

import nbformat
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
BOOK_TITLE = "Deep Learning for Audio"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXPLORER_NOTE = (
    '<p class="explorer-note">A picture of the explorer as the chapter left it. Its controls move '
    "when the chapter runs in JupyterLab, on your machine or on Binder: see the book's README.</p>"
)
STYLE = """
<style>
  body { margin: 0; }
  main.book-page { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }
  /* about 80 characters a line: the measure of a comfortable book page */
  .jp-RenderedMarkdown, .jp-RenderedHTMLCommon > p, .jp-MarkdownOutput { max-width: 35rem; }
  .jp-RenderedMarkdown > *, .jp-RenderedMarkdown li { max-width: 35rem; box-sizing: border-box; }
  .jp-RenderedMarkdown blockquote { max-width: 33rem; }
  math { font-size: 1.1em; }
  .jp-RenderedHTMLCommon { line-height: 1.55; }
  nav.book-nav { display: flex; justify-content: space-between; gap: 1rem; max-width: 64rem;
                 margin: 0 auto; padding: 0.8rem 1rem; font-family: sans-serif; font-size: 0.95rem; }
  nav.book-nav a { text-decoration: none; }
  nav.book-nav span { min-width: 12rem; }
  nav.book-nav span:last-child { text-align: right; }
  .explorer-note { font-style: italic; color: #555555; margin: 0.3em 0 0.8em; }
  math[display="block"] { margin: 0.6em 0; }
</style>
"""

# Markdown pieces in which a dollar sign is not maths: fenced code blocks, then inline code.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)((?:[^$\n]|\n(?!\s*\n))+?)(?<![\s\\])\$(?!\d)")  # may wrap a line


def chapter_title(notebook):
    """The text of the notebook's first heading, e.g. '3 · Layers and networks'."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if match:
                return match.group(1).strip()
    return "untitled"


def mathml(tex, display):
    """TeX as MathML, one line (so markdown keeps it whole)."""
    return latex_to_mathml(tex.strip(), display="block" if display else "inline").replace("\n", "")


def markdown_with_mathml(text):
    """Markdown whose $…$ and $$…$$ maths are MathML; code spans and blocks are left alone."""
    pieces = CODE.split(text)
    for index in range(0, len(pieces), 2):  # even pieces are outside code
        piece = DISPLAY_MATH.sub(lambda match: "\n\n" + mathml(match.group(1), True) + "\n\n", pieces[index])
        pieces[index] = INLINE_MATH.sub(lambda match: mathml(match.group(1), False), piece)
    return "".join(pieces)


def static_notebook(notebook):
    """A copy of the notebook for a page without a kernel: maths as MathML, every explorer as the
    picture it stored, with a note, and no widget state (which would need scripts from the network)."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_with_mathml(cell.source)
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if "image/png" in data:  # an explorer: its picture, and where it moves
                    data.pop("text/plain", None)
                    outputs.append(output)
                    outputs.append(nbformat.v4.new_output("display_data", data={"text/html": EXPLORER_NOTE}))
                elif "text/html" in data:  # a widget that says in words what it needs (the microphone)
                    data.pop("text/plain", None)
                    outputs.append(output)
                # a widget with neither: nothing to show without a kernel
            else:
                outputs.append(output)
        if cell.cell_type == "code":
            cell.outputs = outputs
    return notebook


def link_pages(page):
    """Links to other chapters' notebooks (href="04_loss_functions.ipynb#part") become links to their pages."""
    return re.sub(r'href="(\d\d_\w+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', page)


def without_remote_scripts(page):
    """The page without scripts that would come from the network (MathJax, require.js, the widget
    manager, mermaid) and without the inline scripts that only call them."""
    page = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", page)
    page = re.sub(r'<script type="text/x-mathjax-config">.*?</script>', "", page, flags=re.S)
    return re.sub(r"<script[^>]*>(?:(?!</script>).)*(?:https?://|MathJax)(?:(?!</script>).)*</script>", "", page,
                  flags=re.S)


def navigation(entries, index):
    """Previous / contents / next links for the page of entries[index]."""
    previous = entries[index - 1] if index > 0 else None
    following = entries[index + 1] if index + 1 < len(entries) else None
    left = f'<a href="{previous[0]}.html" rel="prev">← {html.escape(previous[1])}</a>' if previous else ""
    right = f'<a href="{following[0]}.html" rel="next">{html.escape(following[1])} →</a>' if following else ""
    return (f'<nav class="book-nav"><span>{left}</span><a href="index.html" rel="contents">Contents</a>'
            f"<span>{right}</span></nav>")


def finish_page(page, entries, index):
    """The converted page with its title, the book's style, navigation at top and bottom, and links between pages."""
    name, title = entries[index]
    nav = navigation(entries, index)
    page = without_remote_scripts(link_pages(page))
    page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)} · {BOOK_TITLE}</title>", page, count=1, flags=re.S)
    page = page.replace("</head>", STYLE + "</head>", 1)
    page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav + '<main class="book-page">', page, count=1)
    return page.replace("</body>", "</main>" + nav + "</body>", 1)


def index_page(entries):
    items = "\n".join(f'    <li><a href="{name}.html">{html.escape(title)}</a></li>' for name, title in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{BOOK_TITLE}</title>
  <style>body {{ font-family: sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em; line-height: 1.6; }}
  li {{ margin: 0.3em 0; }}</style>
</head>
<body>
  <h1>{BOOK_TITLE}</h1>
  <p>From a single neuron to a deep network that tells sounds apart: the chapters in order,
  with their stored outputs. The explorers show as pictures here; to move their controls,
  run the chapters in JupyterLab, on your machine or on Binder.</p>
  <ol start="0">
{items}
  </ol>
</body>
</html>
"""


def build(out, chapters=ROOT / "chapters"):
    """Convert every chapter in the folder `chapters` into `out` and write index.html; returns the
    list of (page name, title)."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    paths = sorted(Path(chapters).glob("[0-9][0-9]_*.ipynb"))
    notebooks = [nbformat.reads(path.read_text(encoding="utf-8"), as_version=4) for path in paths]
    entries = [(path.stem, chapter_title(notebook)) for path, notebook in zip(paths, notebooks)]
    for index, notebook in enumerate(notebooks):
        page, _ = exporter.from_notebook_node(static_notebook(notebook))
        (out / f"{entries[index][0]}.html").write_text(finish_page(page, entries, index), encoding="utf-8")
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html", help="folder for the pages")
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters", help="folder of the chapters' notebooks")
    arguments = parser.parse_args()
    entries = build(arguments.out, arguments.chapters)
    print(f"{len(entries)} chapters and index.html written to {arguments.out}")


if __name__ == "__main__":
    main()
