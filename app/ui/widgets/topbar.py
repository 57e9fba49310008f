"""The bar above the chat: the conversation's title, the model and what it runs on,
how much of the context the conversation uses, the speed of the last answer, and the
conversation's instructions (system prompt).

It never makes the window wider: the title ends in "…" where room ends, and when the
bar is narrow (half a screen, a small laptop) the speed, then the context, then the
"runs on" chip step aside and Instructions keeps only its icon.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QToolButton,
    QWidget,
)

from app.engine.model_info import ModelInfo
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import plain_label, tooltip


class TopBar(QWidget):
    """Signals:
        open_model_requested(): the user wants to pick a model file.
        model_chosen(str): a model of the library, by path.
        server_chosen(str, str): a server the user added, by name, and one of its
            models ("" : the server's chosen one).
        servers_requested(): the user wants to add or edit servers.
        system_prompt_requested()
        sidebar_toggled()
    """

    open_model_requested = Signal()
    model_chosen = Signal(str)
    server_chosen = Signal(str, str)
    servers_requested = Signal()
    system_prompt_requested = Signal()
    sidebar_toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.sidebar_button = QToolButton(self)
        self.sidebar_button.setIcon(icon("sidebar"))
        self.sidebar_button.setToolTip(self.tr("Show or hide the sidebar"))
        self.sidebar_button.setAccessibleName(self.tr("Show or hide the sidebar"))
        self.sidebar_button.clicked.connect(self.sidebar_toggled)
        self.title = plain_label(ElidedLabel(self))
        self.title.setAccessibleName(self.tr("Conversation title"))
        font = self.title.font()
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.model_button = QToolButton(self)
        self.model_button.setIcon(icon("cpu"))
        self.model_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.model_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.model_button.setAccessibleName(self.tr("Model"))
        self.model_button.setMaximumWidth(MODEL_BUTTON_MAX)
        self.model_menu = QMenu(self)
        self.model_menu.aboutToShow.connect(self._fill_model_menu)
        self.model_button.setMenu(self.model_menu)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(80)
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(self.tr("Loading"))
        self.busy.hide()
        self.backend = QLabel(self)
        self.backend.setObjectName("chip")
        self.backend.setAccessibleName(self.tr("Runs on"))
        self.backend.hide()
        self.context = QLabel(self)
        self.context.setProperty("muted", True)
        self.context.setAccessibleName(self.tr("Context used"))
        self.speed = QLabel(self)
        self.speed.setProperty("muted", True)
        self.speed.setAccessibleName(self.tr("Speed of the last answer"))
        self.prompt_button = QToolButton(self)
        self.prompt_button.setIcon(icon("message"))
        self.prompt_button.setText(self.tr("Instructions"))
        self.prompt_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.prompt_button.setToolTip(self.tr("Instructions for this conversation "
                                              "(system prompt)"))
        self.prompt_button.setAccessibleName(self.tr("Instructions for this conversation"))
        self.prompt_button.clicked.connect(self.system_prompt_requested)

        row = self._row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 12, 6)
        row.setSpacing(10)
        row.addWidget(self.sidebar_button)
        row.addWidget(self.title, 1)
        row.addWidget(self.busy)
        row.addWidget(self.model_button)
        row.addWidget(self.backend)
        row.addWidget(self.context)
        row.addWidget(self.speed)
        row.addWidget(self.prompt_button)
        self.library_models: list[Any] | None = None  # for tests: skip reading the folder
        # The servers the user added (ServerConfig); the window sets where they come from.
        self.server_source: Callable[[], list[Any]] = lambda: []
        self._backend_wanted = False
        self.set_model(None)

    # -- model --------------------------------------------------------------------------
    def set_loading(self, name: str) -> None:
        self._set_model_text(self.tr("Loading %1…").replace("%1", name))
        self.busy.show()
        self._backend_wanted = False
        self.set_speed(None)
        self.context.clear()
        self._fit_items()

    def set_model(self, info: ModelInfo | Mapping[str, Any] | None) -> None:
        """The model in use (None: none; the wire dict is taken too)."""
        model = ModelInfo.of(info)
        self.busy.hide()
        self.set_speed(None)  # the speed was the last model's
        if model is None:
            self._set_model_text(self.tr("No model"))
            self.model_button.setToolTip(self.tr("Choose a model"))
            self._backend_wanted = False
            self.context.clear()
            self._fit_items()
            return
        name = model.name if model.name != "?" else self.tr("Model")  # "?": none was sent
        if model.remote:
            # llama-cpp-python's server names a model by its file's path: show the file.
            self._set_model_text(name.rsplit("/", 1)[-1] if name.startswith("/") else name)
            self.model_button.setToolTip(name)
            self.backend.setText(model.server or self.tr("Server"))
            self.backend.setToolTip(self.tr("The model runs on the server %1").replace(
                "%1", model.base_url))
        else:
            self._set_model_text(name)
            self.model_button.setToolTip(model.path)
            self.backend.setText(model.backend)
            self.backend.setToolTip(self.tr("Where the model runs"))
        self._backend_wanted = True
        self.set_context(None, model.n_ctx)

    def _set_model_text(self, text: str) -> None:
        """The model's name on its button, ending in "…" past MODEL_BUTTON_MAX."""
        room = MODEL_BUTTON_MAX - self.model_button.iconSize().width() - 28
        metrics = self.model_button.fontMetrics()
        self.model_button.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                     room))
        self.model_button.setAccessibleDescription(text)

    def set_context(self, used: int | None, total: int | None) -> None:
        if not total:
            self.context.clear()
            self._fit_items()
            return
        loc = QLocale()
        if used is None:
            self.context.setText(self.tr("%1 tokens of context").replace(
                "%1", loc.toString(int(total))))
        else:
            self.context.setText(self.tr("Context %1 / %2").replace(
                "%1", loc.toString(int(used))).replace("%2", loc.toString(int(total))))
        self.context.setToolTip(self.tr("How much of the model's memory for this "
                                        "conversation is in use"))
        self._fit_items()

    def set_speed(self, tokens_per_s: float | None) -> None:
        if tokens_per_s is None:
            self.speed.clear()
        else:
            self.speed.setText(self.tr("%1 tokens/s").replace(
                "%1", QLocale().toString(float(tokens_per_s), "f", 1)))
        self._fit_items()

    # -- room -----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_items()

    def _fit_items(self) -> None:
        """Show what fits in the bar's width, dropping the least needed first."""
        optional = [(self.speed, bool(self.speed.text())),
                    (self.context, bool(self.context.text())),
                    (self.backend, self._backend_wanted)]
        for widget, wanted in optional:
            widget.setVisible(wanted)
        self.prompt_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        steps = [lambda: self.speed.hide(), lambda: self.context.hide(),
                 lambda: self.prompt_button.setToolButtonStyle(
                     Qt.ToolButtonStyle.ToolButtonIconOnly),
                 lambda: self.backend.hide()]
        for step in steps:
            if self._needed_width() <= self.width():
                return
            step()

    def _needed_width(self) -> int:
        self._row.invalidate()
        return self._row.minimumSize().width()

    def minimumSizeHint(self) -> QSize:
        """What the bar needs with every optional part set aside."""
        hint = super().minimumSizeHint()
        spare = sum(w.sizeHint().width() + 10 for w in (self.speed, self.context,
                                                          self.backend) if w.isVisible())
        if self.prompt_button.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly:
            spare += max(0, self.prompt_button.sizeHint().width() - 34)
        return QSize(max(0, hint.width() - spare), hint.height())

    def set_title(self, title: str) -> None:
        self.title.setText(title)

    def _fill_model_menu(self) -> None:
        menu = self.model_menu
        menu.clear()
        models = self.library_models
        if models is None:
            models = _library_models()
        for model in models:
            action = menu.addAction(icon("cpu"), model.name)
            action.setEnabled(model.usable)
            if not model.usable:
                action.setToolTip(model.problem or "")
            action.triggered.connect(lambda _=False, p=str(model.path): self.model_chosen.emit(p))
        if models:
            menu.addSeparator()
        opener = menu.addAction(icon("folder"), self.tr("Open a model file…"))
        opener.triggered.connect(self.open_model_requested)
        menu.addSeparator()
        menu.addSection(self.tr("Servers"))
        try:
            servers = self.server_source()
        except Exception:  # an unreadable list must not break the menu
            servers = []
        for server in servers:
            self._add_server(menu, server)
        editor = menu.addAction(self.tr("Servers…"))
        editor.triggered.connect(self.servers_requested)

    def _add_server(self, menu: QMenu, server: Any) -> None:
        name = str(server.name)
        models = [str(m) for m in server.models]
        if len(models) > 1:
            sub = menu.addMenu(name)
            for model in models:
                action = sub.addAction(model.rsplit("/", 1)[-1])
                action.setToolTip(model)
                action.triggered.connect(
                    lambda _=False, n=name, m=model: self.server_chosen.emit(n, m))
            return
        shown = server.model or (models[0] if models else "")
        label = f"{name} · {shown.rsplit('/', 1)[-1]}" if shown else name
        action = menu.addAction(label)
        action.setToolTip(str(server.base_url))
        action.triggered.connect(lambda _=False, n=name: self.server_chosen.emit(n, ""))


MODEL_BUTTON_MAX = 220
TITLE_MIN = 140


class ElidedLabel(QLabel):
    """One line of text that ends in "…" where its room ends instead of asking for more
    (``text()`` is still the whole text; it is the tooltip when cut)."""

    def minimumSizeHint(self) -> QSize:
        # Room for a few words of the title before the bar sets other things aside.
        return QSize(min(TITLE_MIN, super().sizeHint().width()),
                     super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(min(super().sizeHint().width(), 400), super().sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        self.setToolTip(tooltip(self.text()) if shown != self.text() else "")
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), shown, self.foregroundRole())
        painter.end()


def _library_models() -> list[Any]:
    """The models in Cove's models folder (read from their headers)."""
    try:
        from app.config import paths
        from app.models.library import Library

        return [m for m in Library(paths.models_dir()).models() if not m.embedding]
    except Exception:  # a broken folder must not break the menu
        return []
