"""Model, user and document text is never HTML: every word of it reaches the screen.

Qt renders a label, tooltip or message box as rich text when the text merely looks like
HTML, and its Markdown reader accepted raw HTML: ``Vec<String>`` showed as ``Vec``. These
tests put a corpus of such text through every place that shows it and check that the
words a user would read are all there.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMessageBox,
    QTextEdit,
    QWidget,
)

from app.chats.markdown_text import without_html
from app.chats.store import ChatStore
from app.documents.context import RETRIEVED, Context, Source
from app.ui.chat import markdown_view as markdown
from app.ui.chat.attachments import SourcesView
from app.ui.chat.markdown_view import MarkdownView
from app.ui.chat.messages import AssistantMessage
from tests.ui.fixtures import wait_until

CORPUS = [
    "In Rust, a `Vec<String>` is a growable list; Vec<String> outside code too.",
    "Java's List<T> and Map<K, V> are interfaces.",
    "In C++ use std::map<K, V> or std::vector<std::pair<int, int>> carefully.",
    "Compare: a<b and c>d holds when alpha<beta and gamma>delta.",
    "<documents>\nThe report says revenue grew.\n</documents>",
    "Use <b>bold</b> tags or <i>italics</i> in HTML pages.",
    "A script tag <script>alert('owned')</script> must show as written.",
    "Unclosed <div class=\"note\" and <span stray words follow here.",
    "An XML snippet: <config><name>cove</name><port>8080</port></config> inline.",
    "```html\n<!DOCTYPE html>\n<html><body><p>hello world</p></body></html>\n```",
    "Before the code\n\n```xml\n<root attr=\"1\">text inside</root>\n```\n\nafter <root> again",
    "A comment <!-- hidden words here --> and a processing <?xml version?> mark.",
    "Emphasis edge: **bold <tag>** and _under<score>_ and *star<x>* end",
    "snake_case_name and __init__ and 2*3*4 = 24 and a_b_c stay readable",
    "Generics in TypeScript: Promise<Array<Record<string, number>>> resolves later.",
    "Arrow -> and fat => and shift << and >> and <= and >= operators.",
    "An email <someone@example.org> and a link <https://example.org/path> work.",
    "A lone & ampersand, AT&T, and R&D stay as written.",
    "- item with <T>\n- item with Option<Box<T>>\n\n| col<a> | col<b> |\n|---|---|\n| x<y> | z |",
    "> quoted <blockquote> text\n\n# Heading <h1> words",
    "Mixed `inline <code>` then <span>real tag words</span> then `more<code>` done.",
]


def words(text: str) -> list[str]:
    """What a reader must see: runs of letters and digits (Markdown's own marks, such as
    ``**`` or a fence with its language, are meant to disappear)."""
    text = re.sub(r"^(```|~~~)\w*", "", text, flags=re.M)
    return re.findall(r"[^\W_]+", text)


def rendered(text: str, rich: bool) -> str:
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def missing(source: str, shown: str) -> list[str]:
    """The source's words not shown, in order (``2*3*4`` may show as ``234``: emphasis)."""
    lost: list[str] = []
    position = 0
    for word in words(source):
        found = shown.find(word, position)
        if found < 0:
            lost.append(word)
        else:
            position = found + len(word)
    return lost


def label_text(label: QLabel) -> str:
    fmt = label.textFormat()
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and _looks_rich(label.text()))
    return rendered(label.text(), rich)


def tooltip_text(widget: Any) -> str:
    tip = widget.toolTip()
    return rendered(tip, _looks_rich(tip))


def _looks_rich(text: str) -> bool:
    # Qt::mightBeRichText is not exposed to Python: a tag-like "<x" before the first line
    # break is what it looks for.
    first = text.split("\n", 1)[0]
    return bool(re.search(r"<[A-Za-z!/?]", first))


@pytest.mark.parametrize("text", CORPUS)
def test_an_answer_shows_every_word(qapp, text: str) -> None:
    view = MarkdownView()
    for end in range(0, len(text), 7):  # streamed in pieces, then complete
        view.set_text(text[:end], streaming=True)
    view.set_text(text)
    assert missing(text, view.plain_text()) == []
    view.deleteLater()


def test_a_documents_answer_that_begins_with_a_tag_stays_after_it_finishes(qapp) -> None:
    text = "<documents>\nThe warranty lasts two years [1].\n</documents>"
    view = MarkdownView()
    view.set_text(text, streaming=True)
    view.set_text(text)
    assert "warranty lasts two years" in view.plain_text()
    view.deleteLater()


@pytest.mark.parametrize("text", CORPUS)
def test_exported_markdown_keeps_every_word_in_a_viewer_that_reads_html(qapp,
                                                                        text: str) -> None:
    # Qt's Markdown reader with HTML on behaves like the viewers people open exports in:
    # unknown tags vanish. After the export's escaping, nothing may.
    doc = QTextDocument()
    doc.setMarkdown(without_html(text), QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    assert missing(text, doc.toPlainText()) == []


def test_export_escaping_leaves_code_and_autolinks_as_written() -> None:
    text = ("Say <b>hi</b> with `<b>` and <https://example.org>\n\n"
            "```html\n<p>kept</p>\n```\n\n    <indented>code</indented>\n\nend <x>")
    out = without_html(text)
    assert "Say &lt;b>hi&lt;/b> with `<b>` and <https://example.org>" in out
    assert "```html\n<p>kept</p>\n```" in out
    assert "    <indented>code</indented>" in out
    assert out.endswith("end &lt;x>")
    assert without_html("a < b, 3<4, x<=y, 2 <= 3") == "a < b, 3<4, x<=y, 2 <= 3"


def test_a_conversation_export_has_no_raw_html(store: ChatStore) -> None:
    conv = store.create_conversation(title="About Vec<String>")
    add_turn(store, conv.id, "What is a Vec<String>?",
             "A <documents> list of Vec<String> items.",
             reasoning="The user asks about <T> generics.")
    out = store.export_markdown(conv.id, reasoning=True)
    doc = QTextDocument()
    doc.setMarkdown(out, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    for source in ("About Vec<String>", "What is a Vec<String>?",
                   "A <documents> list of Vec<String> items.",
                   "The user asks about <T> generics."):
        assert missing(source, doc.toPlainText()) == [], source


def add_turn(store: ChatStore, conversation_id: int, question: str, answer: str,
             reasoning: str = "") -> None:
    user = store.add_user_message(conversation_id, question)
    writer = store.start_answer(conversation_id, user.id, "test-model", None)
    writer.append(answer=answer, reasoning=reasoning)
    writer.finish("complete")


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(what, text as shown) for every visible label, button and tooltip under root."""
    shown: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel):
            shown.append((f"label {widget.objectName()}", label_text(widget)))
        elif isinstance(widget, QTextEdit):
            shown.append((f"text {widget.objectName()}", widget.toPlainText()))
        elif isinstance(widget, QAbstractButton):
            shown.append((f"button {widget.objectName()}", widget.text()))
        if widget.toolTip():
            shown.append((f"tooltip of {type(widget).__name__}", tooltip_text(widget)))
    return shown


HOSTILE = "Vec<String> and <documents> and a<b and c>d"


def test_the_window_shows_hostile_text_everywhere(qapp, make_window, scripted,
                                                  store: ChatStore, tmp_path) -> None:
    client = scripted(["Thinking about ", "Option<T> ", "and <b>tags</b>."],
                      ["Use a ", "`Vec<String>` ", "or Vec<String> ", "when a<b and c>d."])
    window = make_window(client)
    window.composer.input.setPlainText(f"Question about {HOSTILE}?")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    wait_until(qapp, lambda: not window.generating, 30, "the answer")
    conv_id = window.conversation_id
    assert conv_id is not None
    window.history.rename(conv_id, f"Title {HOSTILE}")
    window.open_conversation(conv_id)
    answer = [w for w in window.chat.widgets if isinstance(w, AssistantMessage)][-1]
    assert answer.thinking is not None
    answer.thinking.set_expanded(True)
    qapp.processEvents()

    shown = [text for _, text in visible_texts(window)]
    for i in range(window.sidebar.list.count()):
        item = window.sidebar.list.item(i)
        shown += [item.text(), rendered(item.toolTip(), _looks_rich(item.toolTip()))]
    answer_text = answer.view.plain_text()
    reasoning = answer.thinking.body.toPlainText() if answer.thinking.body else ""
    for source in (f"Title {HOSTILE}", f"Question about {HOSTILE}?"):
        assert any(missing(source, text) == [] for text in shown), source
    titles = [(what, text) for what, text in visible_texts(window.topbar) if "Title" in text]
    assert titles
    for what, text in titles:
        assert missing(f"Title {HOSTILE}", text) == [], what
    assert missing("Use a Vec<String> or Vec<String> when a<b and c>d.", answer_text) == []
    assert missing("Thinking about Option<T> and <b>tags</b>.", reasoning) == []


def test_search_results_show_the_words_that_matched(qapp, make_window,
                                                    store: ChatStore) -> None:
    conv = store.create_conversation(title="generics")
    add_turn(store, conv.id, "explain generics", "Rust writes Vec<String> for a list of strings.")
    window = make_window()
    window.sidebar.search.setText("list of strings")
    wait_until(qapp, lambda: window.sidebar.results.count() > 0, 10, "search results")
    item = window.sidebar.results.item(0)
    tip = rendered(item.toolTip(), _looks_rich(item.toolTip()))
    assert "Vec<String>" in tip and "&lt;" not in tip


def _source(passage: str, file: str = "<draft>.txt") -> Source:
    return Source(number=1, document_id=1, file=file, path=f"/tmp/{file}", page=None,
                  page_end=None, heading="", line=3, passage=passage, chunk_ids=(1,),
                  start=0)


def test_sources_and_passages_show_markup_as_written(qapp) -> None:
    passage = "<config><name>cove</name></config> is read by Parser<Config> first."
    context = Context(mode=RETRIEVED, block="", sources=(_source(passage),), found=True,
                      tokens=10)
    view = SourcesView(context, "see [1]")
    button = view.buttons[0]
    assert "draft" in button.accessibleName()
    assert missing(passage, tooltip_text(button)) == []
    box = view.show_passage(context.sources[0])
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == passage
    box.close()
    view.deleteLater()


def test_only_web_and_mail_links_in_answers_are_opened() -> None:
    opened: list[str] = []
    original = markdown.QDesktopServices.openUrl
    markdown.QDesktopServices.openUrl = lambda url: opened.append(url.toString()) or True
    try:
        for url in ("https://example.org", "mailto:a@example.org", "file:///etc/passwd",
                    "javascript:alert(1)", "smb://server/share/run.exe"):
            markdown.open_link(QUrl(url))
    finally:
        markdown.QDesktopServices.openUrl = original
    assert opened == ["https://example.org", "mailto:a@example.org"]


def test_an_error_card_title_is_shown_as_written(qapp) -> None:
    from app.ui.chat.error_card import ErrorCard

    card = ErrorCard("Could not open <draft>.gguf", "Details <b>stay</b> literal", [])
    assert "<draft>.gguf" in label_text(card.title)
    assert card.text.text() == "Details <b>stay</b> literal"
    assert label_text(card.text) == "Details <b>stay</b> literal"
    card.deleteLater()


def test_message_boxes_for_passages_are_plain(qapp) -> None:
    box = QMessageBox()
    from app.ui.widgets.plain import plain_box

    plain_box(box).setText("<b>x</b>")
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.deleteLater()
    QApplication.processEvents()


@pytest.mark.parametrize("text", ["Forget <b>lab</b> server and its API key?",
                                  "Delete Vec<String>.gguf?\nIt frees 1 GB.", "a<b and c>d",
                                  "plain & simple"])
def test_literal_text_for_places_that_guess_html_shows_as_written(qapp, text: str) -> None:
    from app.ui.widgets.plain import literal

    shown = literal(text)
    assert _looks_rich(shown)  # Qt will read it as rich text: what it shows is
    doc = QTextDocument()
    doc.setHtml(shown)
    assert doc.toPlainText() == text
