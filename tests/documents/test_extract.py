"""Extraction from real files of every supported kind, judged by content, and a clear
message for every kind of bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.documents import DocumentError, DocumentIndex, errors, open_document
from app.documents.detect import detect_kind
from app.documents.extract import reflow
from app.documents.units import Unit
from tests.documents.files import write_docx, write_html, write_markdown
from tests.documents.pdfs import Page, encrypt, wrap, write_pdf


def units(path: Path) -> list[Unit]:
    with open_document(path) as reader:
        return list(reader.units())


def refused(path: Path, reason: str) -> str:
    """The message a user sees for ``path``, which must be refused for ``reason``."""
    with pytest.raises(DocumentError) as caught:
        units(path)
    assert caught.value.reason == reason
    assert path.name in str(caught.value)
    return str(caught.value)


# -- PDF --------------------------------------------------------------------------------
def test_pdf_pages_keep_their_numbers_and_bookmarks(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "report.pdf", [
        Page(["Introduction text on the first page."], bookmark="Introduction"),
        Page(["More of the introduction."]),
        Page(["The results are here."], bookmark="Results"),
    ])
    got = units(pdf)
    assert [u.page for u in got] == [1, 2, 3]
    assert [u.heading for u in got] == ["Introduction", "Introduction", "Results"]
    assert got[2].text == "The results are here."


def test_pdf_lines_are_joined_into_paragraphs(tmp_path: Path) -> None:
    prose = ("Long paragraphs in a PDF are stored as separate visual lines, and a reader "
             "wants them back as the paragraphs they were, with a well-known compound kept "
             "whole. ") * 3
    pdf = write_pdf(tmp_path / "prose.pdf", [Page(wrap(prose.strip() + "\n\nShort one."))])
    text = units(pdf)[0].text
    assert text == prose.strip() + "\nShort one."


def test_reflow_keeps_short_lines_such_as_table_rows() -> None:
    page = "Name Price\r\nTea 2.50\r\nCoffee 3.10"
    assert reflow(page) == "Name Price\nTea 2.50\nCoffee 3.10"


def test_scanned_pdf_says_it_has_no_text(tmp_path: Path, index: DocumentIndex) -> None:
    scan = write_pdf(tmp_path / "scan.pdf", [Page(scanned=True)] * 3)
    document = index.attach_file(1, scan)
    with pytest.raises(DocumentError) as caught:
        index.index(document.id)
    assert caught.value.reason == errors.NO_TEXT
    assert "has no text" in str(caught.value)
    stored = index.document(document.id)
    assert stored.status == "failed" and stored.error == str(caught.value)


def test_a_pdf_with_some_scanned_pages_keeps_the_others(tmp_path: Path,
                                                        index: DocumentIndex) -> None:
    pdf = write_pdf(tmp_path / "mixed.pdf", [Page(["Typed page."]), Page(scanned=True),
                                             Page(["Another typed page."])])
    document = index.index(index.attach_file(1, pdf).id)
    assert document.status == "ready"
    assert (document.units_done, document.empty_units) == (3, 1)


def test_encrypted_pdf_is_refused_with_what_to_do(tmp_path: Path,
                                                  index: DocumentIndex) -> None:
    plain = write_pdf(tmp_path / "plain.pdf", [Page(["Salary table."])])
    locked = encrypt(plain, tmp_path / "locked.pdf")
    message = refused(locked, errors.ENCRYPTED)
    assert "password" in message and "save a copy without the password" in message
    with pytest.raises(DocumentError, match="password"):
        index.attach_file(1, locked)  # refused at once, before any indexing
    assert index.documents(1) == []


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [Page(["Readable by anyone."])])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    restricted = tmp_path / "restricted.pdf"
    with restricted.open("wb") as fh:
        writer.write(fh)
    assert units(restricted)[0].text == "Readable by anyone."


def test_damaged_pdfs_are_refused(tmp_path: Path) -> None:
    whole = write_pdf(tmp_path / "whole.pdf", [Page([f"Page {i}"]) for i in range(5)]
                      ).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) // 3])
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert "damaged" in refused(tmp_path / "cut.pdf", errors.CORRUPT)
    refused(tmp_path / "junk.pdf", errors.CORRUPT)


# -- type by content --------------------------------------------------------------------
def test_files_with_the_wrong_extension_are_read_by_content(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "really-a-pdf.txt", [Page(["Portable text."])])
    docx = write_docx(tmp_path / "really-word.pdf", [("Heading", ["Word text."])])
    html = write_html(tmp_path / "page.txt", "Title", [("Part", ["Web text."])])
    markdown = write_markdown(tmp_path / "notes.txt", "Notes", [("Part", ["Marked."])])
    assert [detect_kind(p) for p in (pdf, docx, html, markdown)] == [
        "pdf", "docx", "html", "markdown"]
    assert units(pdf)[0].text == "Portable text."
    assert "Word text." in units(docx)[0].text


def test_extension_only_tells_text_flavours_apart(tmp_path: Path) -> None:
    code = tmp_path / "tool.py"
    code.write_text("# A comment, not a heading\nprint('hi')\n")
    assert detect_kind(code) == "code"
    (tmp_path / "tool.txt").write_text(code.read_text())
    assert detect_kind(tmp_path / "tool.txt") == "markdown"


@pytest.mark.parametrize(("name", "content", "words"), [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "an image"),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + bytes(200), "an image"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "older Office file"),
    ("notes.rtf", b"{\\rtf1\\ansi Hello}", "Rich Text"),
    ("program.bin", bytes(range(256)) * 8, "not a text document"),
])
def test_unsupported_types_say_what_they_are(tmp_path: Path, name: str, content: bytes,
                                             words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = refused(path, errors.UNSUPPORTED)
    assert words in message and "Cove reads PDF, Word (.docx)" in message


def test_office_files_other_than_word_are_named(tmp_path: Path) -> None:
    sheet = tmp_path / "budget.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "Excel workbook" in refused(sheet, errors.UNSUPPORTED)
    archive_path = tmp_path / "stuff.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "ZIP archive" in refused(archive_path, errors.UNSUPPORTED)


def test_password_protected_word_file(tmp_path: Path) -> None:
    locked = tmp_path / "contract.docx"  # Office encryption wraps the file in OLE2
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
                       + "EncryptedPackage".encode("utf-16-le") + bytes(500))
    assert "password" in refused(locked, errors.ENCRYPTED)


def test_damaged_word_file(tmp_path: Path) -> None:
    good = write_docx(tmp_path / "good.docx", [("Heading", ["Text."])]).read_bytes()
    (tmp_path / "bad.docx").write_bytes(good[: len(good) // 2])
    refused(tmp_path / "bad.docx", errors.CORRUPT)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "is empty" in refused(path, errors.EMPTY)


def test_missing_file(tmp_path: Path, index: DocumentIndex) -> None:
    with pytest.raises(DocumentError) as caught:
        index.attach_file(1, tmp_path / "gone.pdf")
    assert caught.value.reason == errors.MISSING


# -- Word, HTML, Markdown, text ---------------------------------------------------------
def test_docx_sections_headings_pages_and_tables(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "handbook.docx", [
        ("Welcome", ["Hello and welcome."]),
        ("Leave", ["Twenty-five days of vacation."]),
    ], title="Staff Handbook", table=[["Item", "Amount"], ["Meals", "55"]])
    got = units(path)
    assert [(u.page, u.heading) for u in got] == [
        (1, "Staff Handbook › Welcome"), (2, "Staff Handbook › Leave")]
    assert got[0].text.startswith("Staff Handbook\nWelcome\nHello and welcome.")
    assert "Item | Amount\nMeals | 55" in got[0].text
    assert "Twenty-five days of vacation." in got[1].text


def test_docx_without_page_breaks_has_sections_only(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "memo.docx", [("One", ["First."]), ("Two", ["Second."])],
                      page_breaks=False)
    got = units(path)
    assert [(u.page, u.heading) for u in got] == [(None, "One"), (None, "Two")]


def test_html_visible_text_by_heading(tmp_path: Path) -> None:
    path = write_html(tmp_path / "guide.html", "Travel &amp; Tips", [
        ("Packing", ["Bring a <b>rain</b> jacket &mdash; always."]),
        ("Money", ["Cards work nearly everywhere."]),
    ])
    got = units(path)
    text = "\n".join(u.text for u in got)
    assert "do not index me" not in text and "color: red" not in text
    assert "Bring a rain jacket — always." in text
    headings = [u.heading for u in got]
    assert "Travel & Tips › Packing" in headings and "Travel & Tips › Money" in headings


def test_html_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "old.htm"
    path.write_bytes("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Café "
                     "crème</p></body></html>".encode("latin-1"))
    assert units(path)[0].text == "Café crème"


def test_markdown_sections(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Guide\n\nIntro.\n\n## Install\n\n```sh\n# not a heading\n```\n\n"
                    "Setup\n-----\nDone.\n")
    got = units(path)
    assert [u.heading for u in got] == ["Guide", "Guide › Install", "Guide › Setup"]
    assert "# not a heading" in got[1].text


def test_text_encodings(tmp_path: Path) -> None:
    (tmp_path / "utf16.txt").write_bytes("Grüße aus Köln".encode("utf-16"))
    (tmp_path / "ansi.txt").write_bytes("naïve café – 5 €".encode("cp1252"))
    assert units(tmp_path / "utf16.txt")[0].text == "Grüße aus Köln"
    assert units(tmp_path / "ansi.txt")[0].text == "naïve café – 5 €"


GOOD = "Grüße aus Köln – das Café am Dom öffnet um 9 Uhr. Straße: Hohe Straße 3.\n"
MIXES = {  # name → (bytes, what the user must read)
    "one stray byte": (GOOD.encode() + b"\xff\n" + GOOD.encode(), GOOD + "ÿ\n" + GOOD),
    "stray byte inside a word": ("Kö".encode() + b"\x81" + "ln liegt am Rhein. Schön.".encode(),
                                 "Kö\ufffdln liegt am Rhein. Schön."),
    "a sequence cut off at the end": (GOOD.encode() + "€".encode()[:2], GOOD + "\ufffd"),
    "a Windows-1252 run pasted in": (
        GOOD.encode() + "Düsseldorf, Größe: 5 €, „Grüß Gott“ – Ärger".encode("cp1252")
        + b"\n" + GOOD.encode(),
        GOOD + "Düsseldorf, Größe: 5 €, „Grüß Gott“ – Ärger\n" + GOOD),
    "a BOM and a stray byte": (b"\xef\xbb\xbf" + GOOD.encode() + b"caf\xe9\n",
                               GOOD + "café\n"),
    "Windows-1252 whose last byte is its only non-ASCII one": ("Café".encode("cp1252"),
                                                               "Café"),
    "Windows-1252 ending in a letter that starts UTF-8 pairs": (
        "Die Straße ist nass. Grüß".encode("cp1252"), "Die Straße ist nass. Grüß"),
    "Windows-1252 ending in a lone lead byte": (b"Preis: 5 Euro, Rabatt 10\xc3",
                                               "Preis: 5 Euro, Rabatt 10Ã"),
    "a stray byte and a Windows-1252 letter at the end": (
        GOOD.encode() + b"\xff\ncaf\xe9", GOOD + "ÿ\ncafé"),
    "a BOM and a sequence cut off at the end": (
        b"\xef\xbb\xbf" + b"Preis: 5 " + "€".encode()[:2], "Preis: 5 \ufffd"),
    "UTF-16 with its BOM": (GOOD.encode("utf-16"), GOOD),
    "UTF-16 big-endian with its BOM": (b"\xfe\xff" + GOOD.encode("utf-16-be"), GOOD),
    "Windows-1252 throughout": (GOOD.encode("cp1252"), GOOD),
    "Windows-1252 with pairs that look like UTF-8": (
        ("Gruß“ aus Köln, „SCHÖN“, ÄÖÜ… " * 3 + GOOD).encode("cp1252"),
        "Gruß“ aus Köln, „SCHÖN“, ÄÖÜ… " * 3 + GOOD),
}


@pytest.mark.parametrize("mix", MIXES)
def test_bad_bytes_cost_only_themselves(tmp_path: Path, mix: str) -> None:
    """A stray byte in a UTF-8 file once made the whole file Windows-1252 ("KÃ¶ln"):
    every valid character must survive whatever bad bytes sit beside it."""
    data, expected = MIXES[mix]
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    assert "".join(u.text for u in units(path)) == expected.replace("\r\n", "\n")


def test_a_file_with_a_stray_byte_is_found_by_its_words(tmp_path: Path) -> None:
    """What the user got: searching "Köln" in such a file found nothing."""
    from app.documents import Retriever

    path = tmp_path / "reise.txt"
    path.write_bytes("Reisebericht\n\nDie Fahrt nach Köln dauerte vier Stunden.\n".encode()
                     + b"Preis: 25 \x80\n" + b"Der Dom ist 157 Meter hoch.\n")
    with DocumentIndex(tmp_path / "documents.db") as index:
        document = index.index(index.attach_file(1, path).id)
        ranking = Retriever(index).search([document.id], "Köln")
        assert ranking.found and ranking.hits
        text = index.query("SELECT text FROM chunks WHERE id = ?",
                           (ranking.hits[0].chunk_id,))[0][0]
    assert "nach Köln dauerte" in text and "25 €" in text


def test_csv_rows_carry_their_header_and_code_its_lines(tmp_path: Path) -> None:
    rows = "city,population\n" + "".join(f"town{i},{i * 100}\n" for i in range(3000))
    (tmp_path / "towns.csv").write_text(rows)
    got = units(tmp_path / "towns.csv")
    assert len(got) > 1 and all(u.heading == "city,population" for u in got)
    assert "".join(u.text for u in got) == rows
    assert got[1].line == got[0].text.count("\n") + 1


def test_docx_pages_follow_words_own_layout_when_recorded(tmp_path: Path) -> None:
    """Word marks where its pages broke when it last laid the file out; those marks
    win over counting explicit page breaks."""
    import docx
    from docx.oxml import OxmlElement

    path = write_docx(tmp_path / "laid-out.docx", [("One", ["First.", "Still first."]),
                                                   ("Two", ["Second."])])
    document = docx.Document(str(path))
    still_first = next(p for p in document.paragraphs if p.text == "Still first.")
    still_first.runs[0]._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    document.save(str(path))
    got = units(path)
    assert [(u.page, u.heading, u.text.strip()) for u in got] == [
        (1, "One", "One\nFirst."), (2, "One", "Still first."), (2, "Two", "Two\nSecond.")]


def test_a_dropped_folder_offers_its_files(tmp_path: Path) -> None:
    from app.documents import supported_files

    (tmp_path / "notes.md").write_text("# Notes\n")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "report.pdf").write_bytes(b"%PDF-1.7")
    assert supported_files(tmp_path) == [tmp_path / "notes.md", tmp_path / "sub/report.pdf"]
