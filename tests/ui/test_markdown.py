"""Markdown answers: blocks, streaming updates that touch only the last block, tables,
code highlighting and the copy button."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QTextTable

from app.ui.chat.markdown_view import CODE, PROSE, CodeBlock, MarkdownView, ProseBlock, split_blocks


def test_split_blocks_separates_fenced_code() -> None:
    text = "Intro\n\n```python\nx = 1\n```\n\nOutro with `inline`"
    assert [(b.kind, b.text, b.language) for b in split_blocks(text)] == [
        (PROSE, "Intro", ""), (CODE, "x = 1", "python"), (PROSE, "Outro with `inline`", "")]


def test_an_unclosed_fence_is_code_still_streaming() -> None:
    blocks = split_blocks("Look:\n~~~js\nlet a")
    assert blocks[-1].kind == CODE and not blocks[-1].closed and blocks[-1].text == "let a"


def test_inline_triple_backticks_are_not_a_fence() -> None:
    assert [b.kind for b in split_blocks("Use ```x``` here")] == [PROSE]


def test_fine_split_cuts_paragraphs_but_never_lists_or_tables() -> None:
    text = ("# Title\n\nFirst paragraph.\n\n- a\n\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |"
            "\n\nLast paragraph.")
    fine = [b.text for b in split_blocks(text, fine=True)]
    assert fine == ["# Title", "First paragraph.\n\n- a\n\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |",
                    "Last paragraph."]
    assert len(split_blocks(text)) == 1


def test_streaming_rerenders_only_the_last_block(qapp) -> None:
    view = MarkdownView()
    view.set_text("Para one.\n\n```py\nprint(1)\n```\n\nPara", streaming=True)
    first, code, last = view._widgets
    view.set_text("Para one.\n\n```py\nprint(1)\n```\n\nPara two grows", streaming=True)
    assert view._widgets[0] is first and view._widgets[1] is code and view._widgets[2] is last
    assert isinstance(last, ProseBlock) and last.markdown == "Para two grows"
    assert isinstance(code, CodeBlock) and code.code == "print(1)"
    view.deleteLater()


def test_markdown_features_render(qapp) -> None:
    view = MarkdownView()
    view.set_text("# Head\n\n- item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                  "[link](https://example.org) and `code`")
    prose = view._widgets[0]
    assert isinstance(prose, ProseBlock)
    doc = prose.document()
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert tables and tables[0].format().border() == 1
    assert "https://example.org" in doc.toHtml()
    assert doc.toPlainText().startswith("Head")
    view.deleteLater()


def test_code_is_highlighted_and_copied(qapp) -> None:
    block = CodeBlock()
    block.set_code("def f():\n    return 1", "python")
    html = block.view.toHtml()
    assert "color:" in html and "def" in block.view.toPlainText()
    assert block.language_label.text() == "python"
    block.copy_button.click()
    assert QGuiApplication.clipboard().text() == "def f():\n    return 1"
    assert block.copy_button.text() == "Copied"
    block.deleteLater()
