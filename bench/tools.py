"""Tool loop benchmark (app/session/tools.py over the real worker); prints one JSON object.

A session (the command line's direct mode) asks a question; the scripted tiny gpt-oss
(tests/tools/conftest.py) calls ``lookup``, an instant tool answers, the model writes
its final answer. --rounds conversations, medians:

* tool_roundtrip_overhead_ms: from the ``done`` that carries the call (the worker has
  sampled ``<|call|>``) to the continuation's first generated token, less the tool's
  own time: the session's checks, its thread hand-off and saving, the request over the
  pipe, rendering and the evaluation of the result (the worker's ``ttft_ms`` of the
  continuation); target < 50.
* continuation_ttft_over_plain_turn: the continuation's time to first token over a
  plain next turn's in the same conversation (a new question after the answer); the
  continuation reuses the KV cache, so it evaluates only the result; target ≤ 1.5.
* continuation_evaluated_tokens / continuation_cached_tokens: what the continuation's
  prompt evaluation covered (the rest came from the cache); plain_turn_evaluated_tokens
  the same for the plain turn; session_side_ms the overhead without the worker's TTFT.

The tiny model's vocabulary has few merges, so the result's header
("functions.lookup to=assistant") is ~30 byte tokens here against ~6 with gpt-oss's
own vocabulary: the ratio is about evaluated tokens, which a real model makes smaller.

Usage: python bench/tools.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.chats.store import ChatStore  # noqa: E402
from app.engine.client import EngineClient  # noqa: E402
from app.session import events  # noqa: E402
from app.session.direct import DirectEngine  # noqa: E402
from app.session.ports import ChatRequest, Deliver  # noqa: E402
from app.session.service import AnswerOptions, Session  # noqa: E402
from app.tools.base import ToolResult, ToolSpec  # noqa: E402


class Instant:
    spec = ToolSpec("lookup", "Looks a word up.", {
        "type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}},
        asks_first=False)

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult:
        return ToolResult("sunny ~")


class TimedEngine(DirectEngine):
    """Notes when each chat's ``done`` arrives and when each chat is sent, with stats."""

    def __init__(self, backend: EngineClient) -> None:
        super().__init__(backend)
        self.sent: list[float] = []
        self.dones: list[tuple[float, dict[str, Any]]] = []

    def chat(self, request: ChatRequest, deliver: Deliver) -> None:
        self.sent.append(time.perf_counter())

        def timed(msg: dict[str, Any]) -> None:
            if msg.get("type") == "done":
                self.dones.append((time.perf_counter(), dict(msg)))
            deliver(msg)

        super().chat(request, timed)


def _model(folder: Path) -> Path:
    from tests.conftest import CACHE
    from tests.support import tiny_gpt_oss
    from tests.tools.conftest import ANSWER, ARGS, CALL, MARKER, tool_script

    return tiny_gpt_oss.build(
        folder / "tool-model.gguf", tiny_gpt_oss.chat_template(CACHE),
        successors=tool_script("commentary", CALL, ARGS), words=[CALL, "json", ARGS, ANSWER],
        after_marker={"<|channel|>": "final", "<|message|>": ANSWER}, marker=MARKER)


def one_round(client: EngineClient, store: ChatStore) -> dict[str, float]:
    engine = TimedEngine(client)
    seen: list[Any] = []
    with_tools = Session(store, engine, options=lambda: AnswerOptions(max_tokens=64),
                         tools=lambda _c, _a: [Instant()])
    with_tools.subscribe(seen.append)
    question = with_tools.send(None, "What is x?")
    assert question is not None
    [call] = [e.call for e in seen if isinstance(e, events.ToolCallFinished)]
    assert call.status == "done", call
    (call_done, first), (_, second) = engine.dones[:2]
    assert first["finish_reason"] == "tool_call" and second["finish_reason"] == "stop"
    continuation_sent = engine.sent[1]
    stats = second["stats"]
    overhead = (continuation_sent - call_done) * 1000 - (call.ms or 0) + stats["ttft_ms"]
    # A plain next turn of the same conversation, without tools.
    plain_engine = TimedEngine(client)
    plain = Session(store, plain_engine, options=lambda: AnswerOptions(max_tokens=64))
    plain.send(question.conversation_id, "And y?")
    plain_stats = plain_engine.dones[0][1]["stats"]
    plain_ttft = plain_stats["ttft_ms"]
    with_tools.close(purge=False)
    plain.close(purge=False)
    return {"overhead": overhead, "ratio": stats["ttft_ms"] / max(plain_ttft, 1e-3),
            "evaluated": stats["evaluated_tokens"], "cached": stats["cached_tokens"],
            "continuation_ttft": stats["ttft_ms"], "plain_ttft": plain_ttft,
            "plain_evaluated": plain_stats["evaluated_tokens"],
            "session_side": overhead - stats["ttft_ms"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cove-bench-tools-") as folder:
        client = EngineClient(log_path=Path(folder) / "worker.log")
        try:
            client.load(_model(Path(folder)), n_ctx=2048, seed=1)
            with ChatStore(Path(folder) / "cove.db") as store:
                one_round(client, store)  # warm up
                rounds = [one_round(client, store) for _ in range(args.rounds)]
        finally:
            client.close()

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 3)

    print(json.dumps({
        "tool_roundtrip_overhead_ms": median("overhead"),
        "continuation_ttft_over_plain_turn": median("ratio"),
        "continuation_ttft_ms": median("continuation_ttft"),
        "plain_turn_ttft_ms": median("plain_ttft"),
        "session_side_ms": median("session_side"),
        "continuation_evaluated_tokens": median("evaluated"),
        "plain_turn_evaluated_tokens": median("plain_evaluated"),
        "continuation_cached_tokens": median("cached"),
        "rounds": args.rounds,
        "model": "scripted tiny gpt-oss (tests/tools/conftest.py), CPU",
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
