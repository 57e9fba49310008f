"""The main window's dialogs: Models, Get started, This computer, Servers, Settings and
a conversation's instructions.

Each is imported when first opened (the download code, the HTTP client and the
hardware page cost time the window's start should not pay). One download manager
lives as long as the window: downloads outlive the dialogs that show them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from app.config import paths
from app.ui.dialogs.settings_dialog import SettingsDialog, SystemPromptDialog

if TYPE_CHECKING:
    from app.config.settings import Settings
    from app.engine.model_info import ModelInfo
    from app.ui.dialogs.computer import ComputerDialog
    from app.ui.services.model_downloads import ModelDownloads
    from app.ui.window import MainWindow

log = logging.getLogger(__name__)


class Dialogs(QObject):
    """Opens the window's dialogs and connects what they choose back to it.

    Signals:
        settings_saved(object): Settings was saved with these settings (the window
            applies them; app.ui.services.api_control listens).
    """

    settings_saved = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._downloads: ModelDownloads | None = None  # created when first needed
        self.computer: ComputerDialog | None = None

    @property
    def downloads(self) -> ModelDownloads:
        """One download manager for the window's life."""
        if self._downloads is None:
            from app.ui.services.model_downloads import ModelDownloads

            w = self.window
            self._downloads = ModelDownloads(paths.models_dir(),
                                             endpoint=w.settings.hf_endpoint or None,
                                             parent=w)
            self._downloads.model_ready.connect(
                lambda _path: w.documents.models_changed())
        return self._downloads

    def open_models(self) -> None:
        from app.ui.dialogs.models_dialog import ModelsDialog

        w = self.window
        dialog = ModelsDialog(self.downloads, parent=w)
        dialog.model_chosen.connect(w.load_model)
        dialog.library_changed.connect(w.documents.models_changed)
        dialog.deleting.connect(w.documents.release_model)
        dialog.endpoint_changed.connect(self._on_endpoint_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_endpoint_changed(self, endpoint: str) -> None:
        self.window.settings.hf_endpoint = endpoint
        self.window.save_settings()

    def open_welcome(self) -> None:
        from app.ui.dialogs.welcome import WelcomeWizard

        wizard = WelcomeWizard(self.downloads, parent=self.window)
        wizard.model_chosen.connect(self.window.load_model)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()

    def open_computer(self) -> None:
        w = self.window
        if self.computer is None:
            from app.ui.dialogs.computer import ComputerDialog

            self.computer = ComputerDialog(w, submit=w.bridge.submit)
            page = self.computer.page
            page.speed_test_started.connect(lambda: w.composer.setEnabled(False))
            page.speed_test_finished.connect(lambda _result: w.composer.setEnabled(True))
            page.speed_test_failed.connect(lambda _text: w.composer.setEnabled(True))
        self.model_changed(w.models.model)
        self.computer.show()
        self.computer.raise_()

    def model_changed(self, model: ModelInfo | None) -> None:
        """The model in use changed: This computer shows the new one."""
        if self.computer is None:
            return
        self.computer.page.set_client(self.window.bridge.client)
        self.computer.page.set_model_info(model)

    def open_servers(self) -> None:
        from app.ui.dialogs.servers_dialog import ServersDialog

        dialog = ServersDialog(self.window.server_store, parent=self.window)
        dialog.use_requested.connect(self.window.use_server)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_tools(self) -> None:
        """The Tools window: the python tool, web search and MCP servers (switched on
        here, offered to the model per conversation)."""
        from app.ui.dialogs.tools_dialog import ToolsDialog

        w = self.window
        dialog = ToolsDialog(w.settings, w.settings_file, parent=w, failed=w.tools.failed())
        dialog.accepted.connect(lambda: setattr(w.session, "tool_limits", w.tools.limits()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_system_prompt(self) -> None:
        w = self.window
        conv = w.view.guard(w.store.conversation, w.conversation_id) \
            if w.conversation_id is not None else None
        dialog = SystemPromptDialog(conv.system_prompt if conv else None,
                                    w.settings.system_prompt, w)
        if dialog.exec() == SystemPromptDialog.DialogCode.Accepted:
            w.set_system_prompt(dialog.value())

    def settings(self) -> Settings | None:
        """Settings, with a preview of the plan for the open model; the new settings,
        or None when cancelled."""
        dialog = SettingsDialog(self.window.settings, self.window, self._plan_facts())
        dialog.data_place.export_requested.connect(
            lambda: self.window.files.export_everything(self.window.documents.index))
        dialog.data_place.forget_requested.connect(self.window.forget_everything)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return None
        self.settings_saved.emit(dialog.result_settings)
        return dialog.result_settings

    def _plan_facts(self) -> tuple[Any, Any]:
        """The open model's and this computer's facts, for Settings › Advanced to
        preview its plan; (None, None) without a local model (the preview hides)."""
        model = self.window.models.model
        if model is None or model.remote or not model.path:
            return None, None
        try:
            from app.hardware import detect, facts

            return facts.read_model_facts(Path(model.path)), \
                facts.machine_facts(detect.detect())
        except Exception:  # the settings open without a preview rather than not at all
            log.exception("could not read the facts for the plan preview")
            return None, None

    def close(self) -> None:
        if self._downloads is not None:
            self._downloads.close()  # pauses a running download, keeping its partial file
        if self.computer is not None:
            self.computer.close()
