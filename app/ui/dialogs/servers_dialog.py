"""The "Servers" dialog: the remote gpt-oss servers the user added (vLLM, llama-server,
Ollama, any OpenAI-compatible address), to add, edit, remove, test and use.

The list and the addresses are :class:`ServerStore`'s; an API key typed here goes
straight to the OS keyring through it and is never shown again (the field stays empty,
saying a key is stored), never logged, never put in a label. "Test connection" runs
:func:`check_connection` on a background thread and shows its verdict in the user's
words. Plain http to another computer is saved only after the user confirms it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.engine import backend as codes
from app.engine.servers import (
    ServerConfig,
    ServerError,
    ServerStore,
    Verdict,
    api_key,
    check_connection,
)
from app.ui.services.tasks import run_in_background
from app.ui.widgets.plain import literal

log = logging.getLogger(__name__)


class ServersDialog(QDialog):
    """Signals:
        servers_changed(): a server was saved or removed.
        use_requested(str, str): chat through this server (name) and model ("" : its own).
        verdict_ready(object): "Test connection" found this :class:`Verdict`.
    """

    servers_changed = Signal()
    use_requested = Signal(str, str)
    verdict_ready = Signal(object)

    def __init__(self, store: ServerStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store or ServerStore()
        self.setWindowTitle(self.tr("Servers"))
        self.setObjectName("serversDialog")
        self.resize(760, 460)
        self._editing: str | None = None  # the selected server's saved name; None: new
        self._allow_insecure = False
        self._test_id = 0  # the newest test's number: an older test's verdict is ignored
        self.last_verdict: Verdict | None = None

        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Your servers"))
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.clicked.connect(self.new_server)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self.remove_server)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)

        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("e.g. lab"))
        self.url = QLineEdit(self)
        self.url.setAccessibleName(self.tr("Address"))
        self.url.setPlaceholderText("https://gpu-box:8000/v1")
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(self.tr("API key"))
        self.key.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText
                                     | Qt.InputMethodHint.ImhNoPredictiveText
                                     | Qt.InputMethodHint.ImhSensitiveData)
        self.model = QComboBox(self)
        self.model.setEditable(True)
        self.model.setAccessibleName(self.tr("Model"))
        line = self.model.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("the server's first model"))
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Address"), self.url)
        form.addRow(self.tr("API key"), self.key)
        form.addRow(self.tr("Model"), self.model)

        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.clicked.connect(self.save_server)
        self.use_button = QPushButton(self.tr("Use this server"), self)
        self.use_button.clicked.connect(self._on_use_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.use_button)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setAccessibleName(self.tr("Connection verdict"))

        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(actions)
        right.addWidget(self.verdict)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(row, 1)
        outer.addWidget(close)
        self.refresh()

    # -- the list -----------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Read the list again; select ``select`` (default: the first server)."""
        servers = self.store.servers()
        self.list.blockSignals(True)
        self.list.clear()
        chosen: QListWidgetItem | None = None
        for server in servers:
            item = QListWidgetItem(server.name, self.list)
            item.setToolTip(server.base_url)
            item.setData(Qt.ItemDataRole.UserRole, server.name)
            if chosen is None and server.name == select:
                chosen = item
        if chosen is None and self.list.count():
            chosen = self.list.item(0)
        self.list.blockSignals(False)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        else:
            self.new_server()

    def _server(self, name: str | None) -> ServerConfig | None:
        return next((s for s in self.store.servers() if s.name == name), None)

    def _on_current_changed(self, current: QListWidgetItem | None,
                            _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        self._show(self._server(current.data(Qt.ItemDataRole.UserRole)))

    def _show(self, server: ServerConfig | None) -> None:
        self._editing = server.name if server else None
        self._allow_insecure = bool(server and server.allow_insecure)
        self.name.setText(server.name if server else "")
        self.url.setText(server.base_url if server else "")
        self.key.clear()  # a stored key is never shown back
        has_key = server is not None and api_key(server.name) is not None
        self.key.setPlaceholderText(
            self.tr("A key is stored in the keyring; type to replace it") if has_key
            else self.tr("optional"))
        self._set_models(server.models if server else (), server.model if server else "")
        self.verdict.clear()
        self.remove_button.setEnabled(server is not None)

    def _set_models(self, models: tuple[str, ...] | list[str], chosen: str) -> None:
        self.model.clear()
        self.model.addItems(list(models))
        self.model.setEditText(chosen)

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(self.model.itemText(i) for i in range(self.model.count()))

    def new_server(self) -> None:
        self.list.clearSelection()
        self._show(None)
        self.name.setFocus()

    def _config(self, allow_insecure: bool | None = None) -> ServerConfig:
        """The server as the form has it (what else was saved for it is kept)."""
        old = self._server(self._editing)
        base = old or ServerConfig(name="", base_url="")
        return replace(base, name=self.name.text().strip(), base_url=self.url.text().strip(),
                       model=self.model.currentText().strip(), models=self.models,
                       allow_insecure=self._allow_insecure if allow_insecure is None
                       else allow_insecure)

    # -- saving -------------------------------------------------------------------------
    def save_server(self) -> bool:
        """Save the form; asks before plain http to another computer. True when saved."""
        config = self._config()
        key = self.key.text().strip() or None  # empty: keep the stored key
        try:
            try:
                saved = self.store.save(config, key, replace_name=self._editing)
            except ServerError as exc:
                if exc.code != codes.INSECURE_URL or not self.confirm_insecure(config.base_url):
                    raise
                self._allow_insecure = True
                saved = self.store.save(replace(config, allow_insecure=True), key,
                                        replace_name=self._editing)
        except ServerError as exc:
            self._show_problem(str(exc))
            return False
        self.key.clear()
        self.refresh(select=saved.name)
        self.verdict.setText(self.tr("Saved %1.").replace("%1", saved.name))
        self.servers_changed.emit()
        return True

    def confirm_insecure(self, url: str) -> bool:
        """Ask whether plain http to another computer is all right (tests replace it)."""
        answer = QMessageBox.question(
            self, self.tr("Plain http"),
            literal(self.tr("%1 is plain http to another computer: the conversation and the "
                            "API key can be read by anyone on the network between you and "
                            "it. Use it anyway?").replace("%1", url)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def remove_server(self) -> None:
        name = self._editing
        if name is None:
            return
        answer = self.confirm_remove(name)
        if not answer:
            return
        try:
            self.store.remove(name)
        except ServerError as exc:
            self._show_problem(str(exc))
            return
        self.refresh()
        self.servers_changed.emit()

    def confirm_remove(self, name: str) -> bool:
        """Ask before forgetting a server and its key (tests replace it)."""
        answer = QMessageBox.question(
            self, self.tr("Remove server"),
            literal(self.tr("Forget %1 and its API key?").replace("%1", name)))
        return answer == QMessageBox.StandardButton.Yes

    def _on_use_clicked(self) -> None:
        config = self._config()
        unsaved = self._editing is None or config != self._server(self._editing) or \
            bool(self.key.text().strip())
        if unsaved and not self.save_server():
            return
        if self._editing is not None:
            self.use_requested.emit(self._editing, self.model.currentText().strip())
            self.accept()

    def _show_problem(self, text: str) -> None:
        self.verdict.setProperty("verdict", "bad")
        self.verdict.setText(text)

    # -- testing ------------------------------------------------------------------------
    @property
    def testing(self) -> bool:
        return not self.test_button.isEnabled()

    def test_connection(self) -> None:
        """Check the form's server on a background thread (the dialog stays usable)."""
        config = self._config()
        if not config.name:
            config = replace(config, name=self.tr("the server"))
        typed = self.key.text().strip()
        key = typed or (api_key(self._editing) if self._editing else None)
        self.test_button.setEnabled(False)
        self.verdict.setProperty("verdict", "")
        self.verdict.setText(self.tr("Testing the connection…"))
        self._test_id += 1
        test_id = self._test_id
        run_in_background(lambda: check_connection(config, key),
                          lambda verdict: self._on_tested(test_id, verdict),
                          lambda exc: self._on_test_failed(test_id, exc), parent=self,
                          name="cove-server-test")

    def _on_test_failed(self, test_id: int, exc: BaseException) -> None:
        """check_connection turns every failure into a verdict: this is a bug, and the
        button must not stay disabled because of it."""
        log.error("the connection test failed", exc_info=exc)
        self._on_tested(test_id, Verdict(False, "failed", self.tr(
            "Cove could not run the test; the details are in the log file.")))

    def _on_tested(self, test_id: int, verdict: Verdict) -> None:
        if test_id != self._test_id:
            return  # an older test's verdict: the newest one is on its way
        self.test_button.setEnabled(True)
        if verdict.code == codes.INSECURE_URL and not self._allow_insecure and \
                self.confirm_insecure(self.url.text().strip()):
            self._allow_insecure = True
            self.test_connection()
            return
        self.last_verdict = verdict
        if verdict.models:
            chosen = self.model.currentText()
            self._set_models(verdict.models, chosen)
            if self._editing is not None and self._server(self._editing) is not None:
                self.store.remember_models(self._editing, verdict.models)
        self.verdict.setProperty("verdict", "good" if verdict.ok else "bad")
        self.verdict.setText(self.verdict_text(verdict))
        self.verdict_ready.emit(verdict)

    def verdict_text(self, verdict: Verdict) -> str:
        """The verdict in the user's words, then the server's own detail."""
        loc = QLocale()
        if verdict.ok:
            text = self.tr("OK: connected in %1 ms. Models: %2").replace(
                "%1", loc.toString(float(verdict.latency_ms or 0), "f", 0)).replace(
                "%2", ", ".join(m.rsplit("/", 1)[-1] for m in verdict.models))
            return text
        titles: dict[str, Any] = {
            codes.SERVER_UNREACHABLE: self.tr(
                "Unreachable: nothing answers at this address. Is the server running, "
                "and is the address right?"),
            codes.TLS_ERROR: self.tr(
                "TLS error: the server's certificate is not trusted, so nothing was sent."),
            codes.UNAUTHORIZED: self.tr(
                "Refused (401): the API key is missing or wrong."),
            codes.NO_SUCH_MODEL: self.tr(
                "No such model: the server answers, but does not offer this model."),
            codes.TIMEOUT: self.tr("Timed out: the server did not answer in time."),
            codes.RATE_LIMITED: self.tr("Busy: the server asks to wait (429)."),
            codes.INSECURE_URL: self.tr(
                "Not secure: plain http to another computer needs your confirmation."),
        }
        title = titles.get(verdict.code, self.tr("The test failed."))
        return f"{title}\n\n{verdict.message}"
