"""Which model answers: loading a model file or choosing a server, for the window.

:class:`ModelControl` turns what the user chose (the model menu, Ctrl+O, a dropped
GGUF, the Models window, a server) into :class:`EngineBridge` calls, and the bridge's
answers into the state the window shows: the top bar's model button, the message box
ready or "Loading the model…", and a card when a load fails. It holds the one
:class:`ModelInfo` every part of the window reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.config import paths
from app.engine.model_info import ModelInfo
from app.hardware.plan_options import load_options
from app.ui.language import user_errors as errors

if TYPE_CHECKING:
    from app.config.settings import Settings
    from app.engine.servers import ServerStore
    from app.ui.chat.composer import Composer
    from app.ui.services.bridge import EngineBridge
    from app.ui.widgets.topbar import TopBar

log = logging.getLogger(__name__)


class ModelControl(QObject):
    """Signals:
        changed(): the model (or its loading state) changed: ``model``, ``loading``.
        loaded(object): a model was loaded (its :class:`ModelInfo`).
        failed(str, str, object): a load failed: title, text, actions for a card.
        refused(str, str, object): a change refused while an answer is written: title,
            text, actions for a card.
        path_chosen(str): a model file other than the last one loaded (the window
            keeps it in the settings, to open it next time).
    """

    changed = Signal()
    loaded = Signal(object)
    failed = Signal(str, str, object)
    path_chosen = Signal(str)
    refused = Signal(str, str, object)

    def __init__(self, bridge: EngineBridge, topbar: TopBar, composer: Composer,
                 settings: Settings, answering: Callable[[], bool], parent: QWidget) -> None:
        """``answering()``: whether an answer is being written (the model is not
        changed under it)."""
        super().__init__(parent)
        self._answering = answering
        self._window = parent
        self.bridge = bridge
        self.topbar = topbar
        self.composer = composer
        self.settings = settings
        self.model: ModelInfo | None = bridge.model
        self.loading_path: str | None = None  # the file being loaded, if any
        self._loading = False
        self._server_store: ServerStore | None = None  # see server_store
        bridge.loading.connect(self._on_loading)
        bridge.loaded.connect(self._on_loaded)
        bridge.load_failed.connect(self._on_load_failed)
        bridge.restarting.connect(self._on_restarting)
        topbar.set_model(self.model)
        self._update_state()

    @property
    def loading(self) -> str | None:
        """The name of the file being loaded (shown while it loads), or None."""
        return Path(self.loading_path).stem if self.loading_path else None

    @property
    def busy(self) -> bool:
        """Whether a model is being loaded (or the worker started again)."""
        return self._loading

    @property
    def reasons(self) -> bool:
        """Whether the model thinks before answering (gpt-oss speaks harmony); until a
        model is loaded the effort stays offered, as for the default model."""
        return self.model is None or self.model.harmony

    # -- choosing -----------------------------------------------------------------------
    def choose_file(self) -> None:
        """Ctrl+O: a model file from anywhere."""
        model_path = self.settings.model_path
        start = str(Path(model_path).parent) if model_path else ""
        path, _ = QFileDialog.getOpenFileName(
            self._window, self.tr("Open a model"), start, self.tr("GGUF models (*.gguf)"))
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Load a model file, with only what the user set in Settings › Advanced (the
        worker plans the rest); not while an answer is being written."""
        if self._answering():
            self.refused.emit(self.tr("An answer is being written"),
                              self.tr("Stop it first, then open the other model."), [])
            return
        self.loading_path = path
        self.bridge.load(path, **load_options(self.settings.plan_overrides()))

    @property
    def server_store(self) -> ServerStore:
        """The servers the user added (read when first needed: it loads the HTTP client)."""
        if self._server_store is None:
            from app.engine.servers import ServerStore

            self._server_store = ServerStore()
        return self._server_store

    @server_store.setter
    def server_store(self, store: ServerStore) -> None:
        self._server_store = store

    def use_server(self, name: str, model: str = "") -> None:
        """Chat through the server the user added as ``name`` (``model``: one of its)."""
        if self._answering():
            self.refused.emit(self.tr("An answer is being written"),
                              self.tr("Stop it first, then choose the server."), [])
            return
        self.bridge.use_remote(name, model or None, store=self.server_store)

    # -- the bridge's answers -----------------------------------------------------------
    def _on_loading(self, path: str) -> None:
        self.loading_path = self.loading_path or path
        self._loading = True
        self.topbar.set_loading(Path(path).stem)
        self.model = None
        self._update_state()
        self.changed.emit()

    def _on_loaded(self, info: dict[str, Any]) -> None:
        self.model = ModelInfo.of(info)
        self.topbar.set_model(self.model)
        if self.loading_path and self.loading_path != self.settings.model_path:
            self.path_chosen.emit(self.loading_path)
        self.loading_path = None
        self._loading = False
        if self.model is not None:
            self._remember(self.model)
        self._update_state()
        self.loaded.emit(self.model)
        self.changed.emit()

    def _remember(self, model: ModelInfo) -> None:
        """A model opened from anywhere (Ctrl+O, a dropped file) joins the library by
        reference, so the model menu and the Models window offer it from now on, until
        the user removes it there."""
        if model.remote or not model.path or model.embedding:
            return
        from app.models.library import Library, LibraryError

        try:
            Library(paths.models_dir()).import_file(Path(model.path), copy=False)
        except (LibraryError, OSError) as exc:
            log.info("model not added to the library: %s", exc)

    def _on_load_failed(self, message: str, code: str) -> None:
        self.model = self.bridge.model  # the model before it may still answer
        self.topbar.set_model(self.model)
        self.loading_path = None
        self._loading = False
        self._update_state()
        described = errors.describe(code, message, during_load=True)
        self.failed.emit(described.title, described.text, described.actions)
        self.changed.emit()

    def _on_restarting(self) -> None:
        self._loading = True
        self.topbar.set_loading(self.model.name if self.model is not None
                                else self.tr("the model"))
        self._update_state()

    def _update_state(self) -> None:
        if self._loading:
            self.composer.set_ready(False, self.tr("Loading the model…"))
        elif self.model is None:
            self.composer.set_ready(False, self.tr("Open a model to start."))
        else:
            self.composer.set_ready(True)
        self.composer.set_reasons(self.reasons)
