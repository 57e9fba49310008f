"""An answer rendered as Markdown, built so that streaming stays cheap.

The text is cut into blocks: prose, and fenced code. Each block is one widget. While an
answer streams, a new token can only change the last block, so only that widget is
rendered again; the blocks above it keep their layout. While streaming, prose is also cut
at paragraph boundaries (where CommonMark itself starts a new block) to keep the block
being rendered small; once the answer is complete the prose between code blocks is
joined again so that a reader can select across paragraphs.

Prose goes through Qt's own Markdown reader (md4c: headings, lists, tables, links,
emphasis, inline code) with raw HTML switched off: model text is never HTML, so
``Vec<String>``, ``a<b and c>d`` or a ``<documents>`` tag show as written instead of
being swallowed as unknown tags. Links open only when they are web or mail links (a model
can write ``[click](file:///…)``). Fenced code is highlighted by Pygments and gets a copy
button.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextTable,
    QTextTableFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets import theme
from app.ui.widgets.icons import icon

PROSE = "prose"
CODE = "code"

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^\n]*$")
_SPLIT_BEFORE = re.compile(r"^(#{1,6}\s|[A-Za-z\"'(*_])")
_OPENABLE = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Block:
    kind: str  # PROSE or CODE
    text: str
    language: str = ""
    closed: bool = True  # a code block whose closing fence has arrived


def split_blocks(text: str, fine: bool = False) -> list[Block]:
    """Cut Markdown into prose and fenced-code blocks (``fine``: also cut prose at
    paragraph starts that cannot belong to the paragraph, list or table before)."""
    blocks: list[Block] = []
    prose: list[str] = []
    code: list[str] = []
    fence = ""
    language = ""

    def flush_prose() -> None:
        body = "\n".join(prose).strip("\n")
        prose.clear()
        if not body.strip():
            return
        if not fine:
            blocks.append(Block(PROSE, body))
            return
        for part in _paragraphs(body):
            blocks.append(Block(PROSE, part))

    for line in text.split("\n"):
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence[0]) and set(stripped) == {fence[0]} and \
                    len(stripped) >= len(fence):
                blocks.append(Block(CODE, "\n".join(code), language, closed=True))
                code.clear()
                fence = ""
            else:
                code.append(line)
            continue
        match = _FENCE.match(line)
        if match and not (match.group(2)[0] == "`" and "`" in line[match.end(2):]):
            flush_prose()
            fence, language = match.group(2), match.group(3).lower()
            continue
        prose.append(line)
    if fence:
        blocks.append(Block(CODE, "\n".join(code), language, closed=False))
    else:
        flush_prose()
    return blocks


def _paragraphs(body: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if current and i > 0 and not lines[i - 1].strip() and _SPLIT_BEFORE.match(line):
            parts.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    if current:
        parts.append("\n".join(current).strip("\n"))
    return [p for p in parts if p.strip()]


# -- syntax highlighting ----------------------------------------------------------------
@lru_cache(maxsize=32)
def _lexer(language: str) -> Any:
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language or "text", stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


@lru_cache(maxsize=4)
def _formatter(style: str) -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


def preload() -> None:
    """Import Pygments and its most common lexers ahead of the first code block, while
    the window is idle (the first import costs ~100 ms)."""
    for language in ("python", "text"):
        _lexer(language)
    _formatter(theme.current().pygments_style)


def highlight_html(code: str, language: str, style: str) -> str:
    """Code as HTML with inline colours (what QTextDocument understands)."""
    if len(code) > 200_000:  # highlighting huge blobs costs more than it helps
        body = html.escape(code)
    else:
        from pygments import highlight

        body = highlight(code, _lexer(language), _formatter(style))
    return f"<pre style='margin:0'>{body}</pre>"


def mono_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), QGuiApplication.font().pointSizeF() * 0.92))
    return font


def open_link(url: QUrl) -> bool:
    """Open a link from an answer in the user's browser or mail program; anything else
    (a local file, a custom scheme that could start a program) is not opened."""
    if url.scheme().lower() not in _OPENABLE:
        return False
    return QDesktopServices.openUrl(url)


def markdown_features() -> QTextDocument.MarkdownFeature:
    """GitHub-flavoured Markdown without raw HTML (spans nor blocks)."""
    feature = QTextDocument.MarkdownFeature
    return feature.MarkdownDialectGitHub | feature.MarkdownNoHTML


# -- widgets ----------------------------------------------------------------------------
class FittedText(QTextBrowser):
    """A read-only text that is exactly as tall as its content: no scroll bar of its own,
    the chat's scroll area scrolls. Links open in the user's browser."""

    def __init__(self, parent: QWidget | None = None, wrap: bool = True) -> None:
        super().__init__(parent)
        self._wrap = wrap
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if wrap
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        if not wrap:
            self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenLinks(False)
        self.anchorClicked.connect(open_link)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.transparent)
        self.setPalette(palette)
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setFixedHeight(self.fontMetrics().lineSpacing())

    def _fit(self) -> None:
        doc = self.document()
        height = math.ceil(doc.size().height()) + 2 * self.frameWidth()
        bar = self.horizontalScrollBar()
        if not self._wrap and doc.idealWidth() > self.viewport().width():
            height += bar.sizeHint().height()
        if height != self.height():
            self.setFixedHeight(max(height, 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._wrap:
            self.document().setTextWidth(self.viewport().width())
        self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Vertical scrolling belongs to the chat, not to one message.
        if self._wrap or abs(event.angleDelta().y()) >= abs(event.angleDelta().x()):
            event.ignore()
            return
        super().wheelEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())


def _polish(doc: Any, colours: theme.Colours) -> None:
    """What md4c leaves plain: table borders and a tint behind inline code."""
    frame = doc.rootFrame()
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            fmt: QTextTableFormat = child.format()
            fmt.setBorder(1)
            fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
            fmt.setBorderBrush(QColor(colours.border))
            fmt.setBorderCollapse(True)
            fmt.setCellPadding(5)
            fmt.setCellSpacing(0)
            fmt.setTopMargin(6)
            fmt.setBottomMargin(6)
            child.setFormat(fmt)
    code_bg = QColor(colours.code_bg if not colours.dark else colours.surface)
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().fontFixedPitch():
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                tint = QTextCharFormat()
                tint.setBackground(code_bg)
                cursor.mergeCharFormat(tint)
            it += 1
        block = block.next()


class ProseBlock(FittedText):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Answer text"))
        self.markdown = ""

    def set_markdown(self, text: str) -> None:
        if text == self.markdown:
            return
        self.markdown = text
        doc = self.document()
        doc.setMarkdown(text, markdown_features())
        _polish(doc, theme.current())


class CodeBlock(QFrame):
    """A fenced code block: language, a copy button, highlighted code.

    Signals:
        copied(str): the code was put on the clipboard.
    """

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeBlock")
        self.code = ""
        self.language = ""
        self._style = ""
        header = QWidget(self)
        header.setObjectName("codeHeader")
        self.language_label = QLabel(header)
        self.language_label.setObjectName("codeLanguage")
        self.copy_button = QToolButton(header)
        self.copy_button.setIcon(icon("copy"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy_button.setToolTip(self.tr("Copy the code"))
        self.copy_button.setAccessibleName(self.tr("Copy the code"))
        self.copy_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        row = QHBoxLayout(header)
        row.setContentsMargins(10, 2, 4, 2)
        row.addWidget(self.language_label, 1)
        row.addWidget(self.copy_button)
        self.view = FittedText(self, wrap=False)
        self.view.setAccessibleName(self.tr("Code"))
        self.view.document().setDefaultFont(mono_font())
        self.view.document().setDocumentMargin(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.view)

    def set_code(self, code: str, language: str) -> None:
        style = theme.current().pygments_style
        if code == self.code and language == self.language and style == self._style:
            return
        self.code, self.language, self._style = code, language, style
        self.language_label.setText(language or self.tr("code"))
        self.view.setHtml(highlight_html(code, language, style))

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self.copy_button.setText(self.tr("Copied"))
        self.copy_button.setIcon(icon("check"))
        QTimer.singleShot(1500, self._reset_copy)
        self.copied.emit(self.code)

    def _reset_copy(self) -> None:
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setIcon(icon("copy"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.code:
            self.set_code(self.code, self.language)


class MarkdownView(QWidget):
    """An answer as a column of blocks; :meth:`set_text` touches only changed blocks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._blocks: list[Block] = []
        self._widgets: list[QWidget] = []
        self.text = ""

    def set_text(self, text: str, streaming: bool = False) -> None:
        self.text = text
        blocks = split_blocks(text, fine=streaming)
        for i, block in enumerate(blocks):
            if i < len(self._blocks) and self._blocks[i] == block:
                continue
            widget = self._widgets[i] if i < len(self._widgets) else None
            if widget is None or (block.kind == CODE) != isinstance(widget, CodeBlock):
                fresh: QWidget = CodeBlock(self) if block.kind == CODE else ProseBlock(self)
                if widget is None:
                    self._layout.addWidget(fresh)
                    self._widgets.append(fresh)
                else:
                    self._layout.replaceWidget(widget, fresh)
                    widget.deleteLater()
                    self._widgets[i] = fresh
                widget = fresh
            if isinstance(widget, CodeBlock):
                widget.set_code(block.text, block.language)
            elif isinstance(widget, ProseBlock):
                widget.set_markdown(block.text)
        for widget in self._widgets[len(blocks):]:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        del self._widgets[len(blocks):]
        self._blocks = blocks

    def code_blocks(self) -> list[CodeBlock]:
        return [w for w in self._widgets if isinstance(w, CodeBlock)]

    def plain_text(self) -> str:
        return "\n\n".join(
            w.code if isinstance(w, CodeBlock) else w.toPlainText()
            for w in self._widgets if isinstance(w, (CodeBlock, ProseBlock)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for widget in self._widgets:
                if isinstance(widget, ProseBlock) and widget.markdown:
                    text, widget.markdown = widget.markdown, ""
                    widget.set_markdown(text)
