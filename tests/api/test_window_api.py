"""The API inside the window: requests share the window's engine thread and model
(app.ui.services.api_server over a real EngineBridge and worker), the window's own
chats go first, a request that waits too long gets 503, and the server stops cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from app.api.options import ApiOptions
from app.engine.client import EngineClient
from app.session.ports import ChatRequest
from app.ui.services.api_server import ApiServerService
from app.ui.services.bridge import EngineBridge
from tests.ui.fixtures import qapp

__all__ = ["qapp"]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
HI = [{"role": "user", "content": "Hi"}]


@pytest.fixture
def window_api(qapp: Any, scripted_gpt_oss_path: Path, tmp_path: Path
               ) -> Iterator[tuple[EngineBridge, ApiServerService]]:
    client = EngineClient(log_path=tmp_path / "worker.log")
    client.load(scripted_gpt_oss_path, n_ctx=2048, n_threads=2)
    bridge = EngineBridge(client=client)
    service = ApiServerService(bridge, log_path=tmp_path / "api-requests.log")
    yield bridge, service
    service.stop()
    bridge.close()
    client.close()
    service.deleteLater()
    bridge.deleteLater()


def _post(service: ApiServerService, body: dict[str, Any]) -> httpx2.Response:
    assert service.key is not None
    return httpx2.post(service.base_url + "/chat/completions", json=body, timeout=120,
                       headers={"Authorization": f"Bearer {service.key.value}"})


def test_the_window_s_own_chat_goes_before_a_waiting_request(window_api: Any) -> None:
    bridge, service = window_api
    service.start(ApiOptions(port=0))
    release, order = threading.Event(), []
    bridge.submit(lambda: release.wait(60))  # the engine thread is busy
    api_done = threading.Event()

    def ask() -> None:
        reply = _post(service, {"messages": HI, "max_tokens": 2})
        order.append(("api", reply.status_code))
        api_done.set()

    asking = threading.Thread(target=ask)
    asking.start()
    while bridge._jobs.qsize() < 1:  # the request waits behind the busy engine thread
        threading.Event().wait(0.01)
    window_done = threading.Event()

    def deliver(msg: dict[str, Any]) -> None:
        if msg.get("type") in ("done", "error"):
            order.append(("window", msg.get("finish_reason")))
            window_done.set()

    bridge.chat(ChatRequest(HI, max_tokens=40), deliver)
    release.set()
    assert window_done.wait(60) and api_done.wait(60)
    asking.join()
    assert order == [("window", "length"), ("api", 200)]
    assert service.requests.today == 1
    assert service.status_text() == \
        f"Serving on {service.address} · requests today: 1"


def test_a_request_waiting_on_a_busy_window_gets_503(window_api: Any) -> None:
    bridge, service = window_api
    service.start(ApiOptions(port=0, queue_timeout=0.3))
    release = threading.Event()
    bridge.submit(lambda: release.wait(60))
    try:
        refused = _post(service, {"messages": HI, "max_tokens": 2})
    finally:
        release.set()
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    answered = _post(service, {"messages": HI, "max_tokens": 2})
    assert answered.status_code == 200  # the abandoned request was skipped, not run
    assert answered.json()["model"] == "scripted-gpt-oss"


def test_it_serves_only_while_started(window_api: Any) -> None:
    _, service = window_api
    assert not service.running and service.status_text() == ""
    service.start(ApiOptions(port=0))
    url = service.base_url
    assert url.startswith("http://127.0.0.1:")
    service.stop()
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(url + "/models", timeout=5)
