"""The Servers dialog and the window on a remote server, with real widgets on the
offscreen platform and llama-cpp-python's real OpenAI-compatible server on 127.0.0.1:
the top bar's menu switches to a server and the window streams its answer; "Test
connection" gives a clear verdict for a wrong key and for a port nobody listens on; a
key goes to the keyring only; plain http to another computer is saved only once
confirmed; a server killed mid-answer leaves the partial answer, marked interrupted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.engine import backend as codes
from app.engine.servers import ServerConfig, ServerStore
from app.ui.chat.messages import AssistantMessage
from app.ui.dialogs.servers_dialog import ServersDialog
from app.ui.language import user_errors as errors
from tests.remote.conftest import API_KEY, MemoryKeyring
from tests.remote.servers import LlamaServer, free_port
from tests.ui.fixtures import wait_until


def choose_server(qapp: QApplication, window: Any, label: str) -> None:
    """Open the top bar's model menu and pick the server whose entry starts with label."""
    menu = window.topbar.model_menu
    menu.aboutToShow.emit()
    action = next(a for a in menu.actions() if a.text().startswith(label))
    action.trigger()
    wait_until(qapp, lambda: getattr(window.model_info, "server", None) == label.split(" ")[0]
               or window.view.notices, 60, "the server to be in use")


def send(window: Any, text: str) -> None:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating


def last_answer(window: Any) -> AssistantMessage:
    return next(w for w in reversed(window.chat.widgets) if isinstance(w, AssistantMessage))


def test_the_window_chats_through_a_real_server(
        qapp: QApplication, make_window: Any, store: ChatStore, servers: ServerStore,
        oss_server: LlamaServer, memory_keyring: MemoryKeyring) -> None:
    servers.save(ServerConfig("lab", oss_server.url, oss_server.model_id), API_KEY)
    window = make_window(settings=Settings(max_tokens=48))
    window.server_store = servers
    menu = window.topbar.model_menu
    menu.aboutToShow.emit()
    assert any(a.text() == "Servers…" for a in menu.actions())
    choose_server(qapp, window, "lab")
    assert not window.view.notices, "the key came from the keyring and the server took it"
    assert window.topbar.backend.text() == "lab"  # the server, not CPU / CUDA
    assert window.topbar.model_button.text() == Path(oss_server.model_id).name
    assert window.bridge.remote and not window.bridge.can_answer_now
    assert window.composer.send_button.isEnabled() or window.composer.input.isEnabled()

    send(window, "Hi")
    widget = last_answer(window)
    wait_until(qapp, lambda: not window.generating, 120, "the answer to end")
    assert widget.answer or (widget.thinking is not None and widget.thinking.text)
    if widget.thinking is not None:
        assert widget.thinking.answer_now_button.isHidden()  # a server cannot
    assert widget.error_card is None
    saved = store.message(widget.message_id)
    assert saved.status in ("complete", "interrupted")  # 48 tokens may cut it short
    assert saved.content == widget.answer
    assert "<|" not in saved.content + (saved.reasoning or "")
    assert API_KEY not in servers.path.read_text()


def test_a_server_killed_mid_answer_keeps_the_partial_answer(
        qapp: QApplication, make_window: Any, store: ChatStore, servers: ServerStore,
        tiny_gpt_oss_path: Path, tmp_path: Path) -> None:
    with LlamaServer(tiny_gpt_oss_path, tmp_path / "server.log", n_ctx=4096) as server:
        servers.save(ServerConfig("box", server.url, server.model_id))
        window = make_window(settings=Settings(max_tokens=3000))
        window.server_store = servers
        choose_server(qapp, window, "box")
        send(window, "Hi")
        widget = last_answer(window)
        wait_until(qapp, lambda: widget.answer or not window.generating, 120,
                   "the answer to begin")
        assert window.generating, "the tiny model wrote 3000 tokens at once"
        assert server.proc is not None
        server.proc.kill()
        server.proc.wait()
        server.proc = None
        wait_until(qapp, lambda: not window.generating, 60, "the answer to end")
    saved = store.message(widget.message_id)
    assert saved.status == "interrupted" and saved.content, "the partial answer is kept"
    assert widget.status == "interrupted" and widget.notice.isVisibleTo(widget)
    assert widget.error_card is not None
    assert widget.error_card.accessibleName() == "The connection to the server was lost"


def test_test_connection_verdicts(qapp: QApplication, servers: ServerStore,
                                  oss_server: LlamaServer) -> None:
    dialog = ServersDialog(servers)
    try:
        dialog.name.setText("lab")
        dialog.url.setText(oss_server.url)
        dialog.key.setText("sk-wrong-key")

        def verdict() -> Any:
            dialog.last_verdict = None
            dialog.test_button.click()
            assert dialog.testing
            wait_until(qapp, lambda: dialog.last_verdict is not None, 60, "the verdict")
            return dialog.last_verdict

        wrong = verdict()
        assert not wrong.ok and wrong.code == codes.UNAUTHORIZED
        assert "401" in dialog.verdict.text() and "sk-wrong-key" not in dialog.verdict.text()

        dialog.key.setText(API_KEY)
        right = verdict()
        assert right.ok and right.latency_ms is not None
        assert dialog.verdict.text().startswith("OK")
        assert Path(oss_server.model_id).name in dialog.verdict.text()
        assert dialog.models == (oss_server.model_id,)  # the model list, offered to choose

        dialog.model.setEditText("no-such-model")
        missing = verdict()
        assert missing.code == codes.NO_SUCH_MODEL
        assert dialog.verdict.text().startswith("No such model")

        dialog.url.setText(f"http://127.0.0.1:{free_port()}/v1")  # nobody listens there
        down = verdict()
        assert down.code == codes.SERVER_UNREACHABLE
        assert dialog.verdict.text().startswith("Unreachable")
        assert not dialog.testing
    finally:
        dialog.close()
        dialog.deleteLater()


def test_the_key_goes_to_the_keyring_only(qapp: QApplication, servers: ServerStore,
                                          memory_keyring: MemoryKeyring) -> None:
    dialog = ServersDialog(servers)
    changed: list[bool] = []
    dialog.servers_changed.connect(lambda: changed.append(True))
    try:
        assert dialog.list.count() == 0 and not dialog.remove_button.isEnabled()
        assert dialog.key.echoMode() == dialog.key.EchoMode.Password
        dialog.name.setText("lab")
        dialog.url.setText("https://gpu-box.example:8000/v1")
        dialog.key.setText("sk-secret-42")
        assert dialog.save_server()
        assert changed == [True]
        assert memory_keyring.store[("Cove", "server:lab")] == "sk-secret-42"
        assert "sk-secret" not in servers.path.read_text()
        assert dialog.key.text() == ""  # never shown back
        assert "keyring" in dialog.key.placeholderText()
        assert [s.name for s in servers.servers()] == ["lab"]

        dialog.name.setText("lab2")  # a rename keeps the key, under the new name
        assert dialog.save_server()
        assert memory_keyring.store == {("Cove", "server:lab2"): "sk-secret-42"}
        assert dialog.list.currentItem().text() == "lab2"

        dialog.confirm_remove = lambda name: True  # type: ignore[method-assign]
        dialog.remove_server()
        assert servers.servers() == [] and memory_keyring.store == {}
    finally:
        dialog.close()
        dialog.deleteLater()


def test_plain_http_to_another_computer_needs_confirming(
        qapp: QApplication, servers: ServerStore) -> None:
    dialog = ServersDialog(servers)
    asked: list[str] = []
    answer = [False]

    def confirm(url: str) -> bool:
        asked.append(url)
        return answer[0]

    dialog.confirm_insecure = confirm  # type: ignore[method-assign]
    try:
        dialog.name.setText("office")
        dialog.url.setText("http://10.1.2.3:8000")
        assert not dialog.save_server()
        assert asked and servers.servers() == []
        assert "http" in dialog.verdict.text()
        answer[0] = True
        assert dialog.save_server()
        saved = servers.get("office")
        assert saved.allow_insecure and saved.base_url == "http://10.1.2.3:8000/v1"
        dialog.url.setText("http://127.0.0.1:8000")  # this computer: nothing to ask
        asked.clear()
        assert dialog.save_server() and asked == []
    finally:
        dialog.close()
        dialog.deleteLater()


def test_unknown_or_unreachable_server_fails_the_switch_clearly(
        qapp: QApplication, make_window: Any, servers: ServerStore) -> None:
    servers.save(ServerConfig("gone", f"http://127.0.0.1:{free_port()}/v1"))
    window = make_window()
    window.server_store = servers
    choose_server(qapp, window, "gone")
    assert window.view.notices and not window.model_info
    assert not window.bridge.remote
    assert window.view.notices[-1].accessibleName() == "The server cannot be reached"


def test_error_cards_for_remote_codes(qapp: QApplication) -> None:
    busy = errors.describe(codes.RATE_LIMITED, "429 from lab", retry_after=30)
    assert busy.title == "The server is busy" and "30 seconds" in busy.text
    assert "429 from lab" in busy.text
    lost = errors.describe(codes.SERVER_DISCONNECTED, "dropped")
    assert "kept" in lost.text and "interrupted" in lost.text
    assert "kept" in errors.describe(codes.TIMEOUT, "silent").text
    key = errors.describe(codes.UNAUTHORIZED, "401", during_load=True)
    assert key.actions == [(errors.SERVERS, "Servers…")]
    down = errors.describe(codes.SERVER_UNREACHABLE, "refused", during_load=True)
    assert down.title == "The server cannot be reached"
    assert errors.describe(codes.TLS_ERROR, "x").title.startswith("The server's identity")


def test_servers_entry_opens_the_dialog_and_use_switches_the_window(
        qapp: QApplication, make_window: Any, servers: ServerStore,
        oss_server: LlamaServer, memory_keyring: MemoryKeyring) -> None:
    window = make_window()
    window.server_store = servers
    entry = next(a for a in window.sidebar.history_menu.actions() if a.text() == "Servers…")
    entry.trigger()
    dialog = window.findChild(ServersDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("lab")
    dialog.url.setText(oss_server.url)
    dialog.key.setText(API_KEY)
    dialog.use_button.click()  # saves, then uses it
    assert memory_keyring.store[("Cove", "server:lab")] == API_KEY
    wait_until(qapp, lambda: getattr(window.model_info, "server", None) == "lab"
               or window.view.notices,
               60, "the server to be in use")
    assert not window.view.notices
    assert window.topbar.backend.text() == "lab"
    assert window.topbar.backend.toolTip().endswith(oss_server.url)
