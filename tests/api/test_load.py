"""Fifty connections at once from five programs (the official ``openai`` client, five
of them, ten threads each, half streaming) against the API over a real worker with the
scripted tiny gpt-oss: every request is answered or refused cleanly (503 with
``Retry-After``), none hangs, nothing is left holding the model, and the server
answers normally afterwards."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import openai
import pytest

from tests.api.conftest import InProcess

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

CLIENTS, EACH = 5, 10
HI = [{"role": "user", "content": "Hi"}]


def _one(client: Any, n: int) -> tuple[str, Any]:
    """('ok', finish_reason) or ('busy', Retry-After); anything else is raised."""
    try:
        if n % 2:
            chunks = list(client.chat.completions.create(model="", messages=HI,
                                                         max_tokens=2, stream=True))
            finals = [c.choices[0].finish_reason for c in chunks if c.choices]
            return "ok", finals[-1]
        reply = client.chat.completions.create(model="", messages=HI, max_tokens=2)
        return "ok", reply.choices[0].finish_reason
    except openai.APIStatusError as exc:
        if exc.status_code != 503:
            raise
        assert exc.body["code"] == "model_busy", exc.body  # type: ignore[index]
        return "busy", exc.response.headers.get("retry-after")


def test_fifty_connections_are_answered_or_refused_cleanly(
        in_process: Any, scripted_gpt_oss_path: Path) -> None:
    api: InProcess = in_process(scripted_gpt_oss_path, queue_timeout=5.0)
    clients = [api.client(timeout=120) for _ in range(CLIENTS)]
    with ThreadPoolExecutor(CLIENTS * EACH) as pool:
        futures = [pool.submit(_one, clients[i % CLIENTS], i)
                   for i in range(CLIENTS * EACH)]
        outcomes = [f.result(timeout=180) for f in futures]  # a hang fails here
    answered = [value for kind, value in outcomes if kind == "ok"]
    refused = [value for kind, value in outcomes if kind == "busy"]
    assert len(answered) + len(refused) == CLIENTS * EACH
    assert answered and set(answered) == {"length"}
    assert all(value is not None and int(value) >= 1 for value in refused)
    # Nothing holds the model: every request ran to its end or was skipped.
    assert len(api.tickets) == CLIENTS * EACH
    for ticket in api.tickets:
        assert ticket.abandoned or ticket.finished.wait(30)
    assert sum(1 for t in api.tickets if t.finish_reason == "length") == len(answered)
    assert not api.server.service.runs
    # And the server goes on as before.
    reply = clients[0].chat.completions.create(model="", messages=HI, max_tokens=2)
    assert reply.choices[0].finish_reason == "length"
    for client in clients:
        client.close()
