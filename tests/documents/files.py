"""Real Word, HTML and Markdown files for the tests, written the way their makers do:
Word files by python-docx (heading styles, page breaks, a table), HTML and Markdown as
text with the structure real pages and notes have."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

Section = tuple[str, Sequence[str]]  # heading, paragraphs


def write_docx(path: Path, sections: Sequence[Section], title: str | None = None,
               page_breaks: bool = True, table: Sequence[Sequence[str]] = ()) -> Path:
    """A .docx with one Heading 1 per section, a page break between sections when
    ``page_breaks``, and an optional table after the first section."""
    import docx

    document = docx.Document()
    if title:
        document.add_heading(title, level=0)
    for number, (heading, paragraphs) in enumerate(sections):
        if number and page_breaks:
            document.add_page_break()
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        if number == 0 and table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    document.save(str(path))
    return path


def write_html(path: Path, title: str, sections: Sequence[Section]) -> Path:
    body = []
    for heading, paragraphs in sections:
        body.append(f"<h2>{heading}</h2>")
        body.extend(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>p {{ color: red; }}</style>"
        "<script>var secret = 'do not index me';</script></head>\n<body>"
        f"<nav><a href=\"/\">Home</a></nav><h1>{title}</h1>\n" + "\n".join(body)
        + "\n</body></html>\n", encoding="utf-8")
    return path


def write_markdown(path: Path, title: str, sections: Sequence[Section]) -> Path:
    lines = [f"# {title}", ""]
    for heading, paragraphs in sections:
        lines += [f"## {heading}", ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
