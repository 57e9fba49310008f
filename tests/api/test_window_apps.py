"""Other apps and the window, sharing one model (the scripted tiny gpt-oss through the
real worker, the real window offscreen, real HTTP on 127.0.0.1): Stop in the window
never stops another program's answer, nor does a program that gives up stop the
window's; conversations of other apps are kept in the history only when the user asked,
under "From other apps" in the sidebar, and found by search."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.api.options import ApiOptions
from app.api.request_log import default_path
from tests.ui.fixtures import engine_for, make_window, qapp, settle, store, wait_until

__all__ = ["engine_for", "make_window", "qapp", "store"]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(autouse=True)
def no_request_log() -> Iterator[None]:
    """The window logs to the session's shared log folder: leave no log behind."""
    default_path().unlink(missing_ok=True)
    yield
    default_path().unlink(missing_ok=True)


class Streaming(threading.Thread):
    """Another program reading a streamed answer; it closes the connection once
    ``leave`` is set."""

    def __init__(self, service: Any, max_tokens: int, agent: str = "Zed/0.150.0") -> None:
        super().__init__(daemon=True)
        self.url, self.key = service.base_url, service.key.value
        self.body = {"messages": [{"role": "user", "content": "Hi"}], "stream": True,
                     "max_tokens": max_tokens, "stream_options": {"include_usage": True}}
        self.agent = agent
        self.first, self.done, self.leave = threading.Event(), threading.Event(), \
            threading.Event()
        self.finish: str | None = None
        self.usage: dict[str, Any] = {}
        self.chunks = 0
        self.answer_text = ""  # the answer (not the reasoning) received

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}", "User-Agent": self.agent}
        try:
            with httpx2.stream("POST", self.url + "/chat/completions", json=self.body,
                               headers=headers, timeout=120) as reply:
                for line in reply.iter_lines():
                    if not line.startswith("data: {"):
                        continue
                    self.chunks += 1
                    self.first.set()
                    if self.leave.is_set():
                        return
                    data = json.loads(line[6:])
                    self.usage = data.get("usage") or self.usage
                    if data["choices"]:
                        self.answer_text += data["choices"][0]["delta"].get("content") or ""
                    if data["choices"] and data["choices"][0]["finish_reason"]:
                        self.finish = data["choices"][0]["finish_reason"]
        finally:
            self.done.set()


def _window(qapp: QApplication, make_window: Any, engine_for: Any, model: Path) -> Any:
    window = make_window(client=engine_for(model))
    wait_until(qapp, lambda: window.model_info is not None, what="the model")
    window.api.service.start(ApiOptions(port=0))
    return window


def _answer(qapp: QApplication, window: Any, text: str) -> Any:
    """Send ``text`` from the window; returns its answer once it ended."""
    finished: list[int] = []
    window.generation_finished.connect(finished.append)
    window.send(text, "low")
    wait_until(qapp, lambda: finished, what="the window's answer")
    return window.session.store.message(finished[0])


def test_stop_in_the_window_leaves_another_app_s_answer_alone(
        qapp: QApplication, make_window: Any, engine_for: Any,
        scripted_gpt_oss_path: Path) -> None:
    window = _window(qapp, make_window, engine_for, scripted_gpt_oss_path)
    app = Streaming(window.api.service, max_tokens=2000)  # longer than the test
    app.start()
    wait_until(qapp, app.first.is_set, what="the app's answer to begin")
    finished: list[int] = []
    window.generation_finished.connect(finished.append)
    window.send("Hi", "low")  # waits: the model is the app's now
    wait_until(qapp, lambda: window.generating, what="the window's answer to wait")
    window.composer.send_button.click()  # Stop
    wait_until(qapp, lambda: finished, what="the window's answer to stop")
    assert not app.done.is_set(), "Stop ended the other app's answer, or waited for it"
    assert window.session.store.message(finished[0]).status == "stopped"
    seen = app.chunks
    wait_until(qapp, lambda: app.done.is_set() or app.chunks >= seen + 20,
               what="more of the app's answer")
    assert app.finish is None and app.chunks >= seen + 20  # it goes on after Stop
    app.leave.set()
    wait_until(qapp, app.done.is_set, what="the app to leave")
    window.settings.max_tokens = 6
    assert _answer(qapp, window, "Hi again").completion_tokens == 6  # the window answers


def test_answer_now_from_the_window_leaves_another_app_s_reasoning_alone(
        qapp: QApplication, make_window: Any, engine_for: Any,
        scripted_gpt_oss_path: Path) -> None:
    window = _window(qapp, make_window, engine_for, scripted_gpt_oss_path)
    app = Streaming(window.api.service, max_tokens=2000)
    app.start()
    wait_until(qapp, app.first.is_set, what="the app's answer to begin")
    window.bridge.answer_now()  # what the window's Answer now asks of the engine
    seen = app.chunks
    wait_until(qapp, lambda: app.done.is_set() or app.chunks >= seen + 30,
               what="more of the app's answer")
    assert app.answer_text == ""  # the scripted model still reasons: nobody bridged it
    app.leave.set()
    wait_until(qapp, app.done.is_set, what="the app to leave")


def test_an_app_that_leaves_does_not_stop_the_window_s_answer(
        qapp: QApplication, make_window: Any, engine_for: Any,
        scripted_gpt_oss_path: Path) -> None:
    window = _window(qapp, make_window, engine_for, scripted_gpt_oss_path)
    app = Streaming(window.api.service, max_tokens=400)
    app.start()
    wait_until(qapp, app.first.is_set, what="the app's answer to begin")
    window.settings.max_tokens = 30
    finished: list[int] = []
    window.generation_finished.connect(finished.append)
    window.send("Hi", "low")  # queued behind the app's answer, which is then given up
    app.leave.set()
    wait_until(qapp, app.done.is_set, what="the app to leave")
    assert app.finish is None  # it left mid-answer
    wait_until(qapp, lambda: finished, what="the window's answer")
    answer = window.session.store.message(finished[0])
    assert answer.status != "stopped" and answer.completion_tokens == 30
    wait_until(qapp, lambda: any(e.status == 499 for e in
                                 window.api.service.requests.entries()), what="the log")


def _ask(window: Any, text: str, agent: str = "Zed/0.150.0") -> dict[str, Any]:
    service = window.api.service
    reply = httpx2.post(service.base_url + "/chat/completions", timeout=120, json={
        "messages": [{"role": "system", "content": "Be brief."},
                     {"role": "user", "content": text}], "max_tokens": 6},
        headers={"Authorization": f"Bearer {service.key.value}", "User-Agent": agent})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_other_apps_conversations_are_kept_only_when_asked(
        qapp: QApplication, make_window: Any, engine_for: Any,
        scripted_gpt_oss_path: Path) -> None:
    window = _window(qapp, make_window, engine_for, scripted_gpt_oss_path)
    store = window.session.store
    assert not window.settings.api_keep_history  # off by default
    _ask(window, "Tell me about lighthouses")
    settle(qapp, 0.2)
    assert store.conversations() == []

    window.settings.api_keep_history = True
    reply = _ask(window, "Tell me about lighthouses")
    wait_until(qapp, lambda: store.conversations(), what="the kept conversation")
    [conv] = store.conversations()
    assert conv.from_app == "Zed" and conv.title == "Tell me about lighthouses"
    assert conv.system_prompt == "Be brief."
    question, answer = store.path(conv.id)
    assert question.content == "Tell me about lighthouses"
    message = reply["choices"][0]["message"]
    assert answer.reasoning == message["reasoning_content"] and answer.content == ""
    assert answer.completion_tokens == reply["usage"]["completion_tokens"] == 6
    assert answer.model == "scripted-gpt-oss"

    # The window's own chat stays above; the app's is under "From other apps".
    window.settings.max_tokens = 4
    _answer(qapp, window, "My own question")
    sidebar = window.sidebar.list
    rows = [sidebar.item(i) for i in range(sidebar.count())]
    assert [r.text() for r in rows] == ["My own question", "From other apps",
                                        "Tell me about lighthouses"]
    assert "From Zed" in rows[2].toolTip()
    rows[1].setSelected(True)
    assert window.view.conversation_id != conv.id  # a heading opens nothing
    sidebar.setCurrentItem(rows[2])
    wait_until(qapp, lambda: window.view.conversation_id == conv.id, what="it opens")

    window.sidebar.search.setText("lighthouses")
    wait_until(qapp, lambda: window.sidebar.results.isVisible()
               and window.sidebar.results.count() >= 1, what="the search")
    found = [window.sidebar.results.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(window.sidebar.results.count())]
    assert conv.id in found
