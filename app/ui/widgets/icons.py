"""Icons from Cove's own SVG set (``resources/icons``), tinted to the palette.

The SVGs draw with ``currentColor``. :class:`_TintedEngine` renders them with the
palette's text colour at paint time, so every icon follows a theme change without
anyone having to set it again, and a disabled button gets the disabled text colour.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

from app.ui.widgets.resources import icon_path


@cache
def _svg(name: str) -> str:
    return icon_path(name).read_text(encoding="utf-8")


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    return QSvgRenderer(QByteArray(_svg(name).replace("currentColor", colour).encode()))


class _TintedEngine(QIconEngine):
    def __init__(self, name: str, role: QPalette.ColorRole, colour: QColor | None) -> None:
        super().__init__()
        self._name = name
        self._role = role
        self._colour = colour

    def _colour_for(self, mode: QIcon.Mode) -> str:
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text).name()
        if self._colour is not None:
            return self._colour.name()
        if mode == QIcon.Mode.Selected:
            return palette.color(QPalette.ColorRole.HighlightedText).name()
        return palette.color(self._role).name()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        _renderer(self._name, self._colour_for(mode)).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        if size.isEmpty():
            return QPixmap()
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _TintedEngine(self._name, self._role, self._colour)

    def key(self) -> str:
        return "cove-tinted"


def icon(name: str, role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
         colour: QColor | None = None) -> QIcon:
    """A tinted icon; ``colour`` fixes the tint (the accent, white on an accent button)."""
    return QIcon(_TintedEngine(name, role, colour))
