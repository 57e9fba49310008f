"""Tool loop benchmark (app/session/tools.py over the real worker); prints one JSON object.

A session (the command line's direct mode) asks a question; the scripted tiny gpt-oss
(tests/tools/conftest.py) calls ``lookup``, an instant tool answers, the model writes
its final answer. --rounds conversations, medians:

* tool_roundtrip_overhead_ms: from the ``done`` that carries the call (the worker has
  sampled ``<|call|>``) to the continuation's first generated token, less the tool's
  own time: the session's checks, its thread hand-off and saving, the request over the
  pipe, the worker's rendering and tokenizing of the prompt, and the evaluation of the
  result; target < 50. Measured where the session sees it: to the continuation's first
  message (``message_start``, after its third token, ``<|channel|>final<|message|>``)
  less the time of the two tokens after the first (from the continuation's own
  tokens/s). (Before, it added the worker's ``ttft_ms``, which starts after rendering:
  the rendering, 24 ms of 46 here until segments' tokens were remembered, went
  unmeasured.)
* continuation_ttft_over_plain_turn: the continuation's time to first token over a
  plain next turn's in the same conversation (a new question after the answer, the
  same tools offered, the earlier call and result in its prompt); the continuation
  reuses the KV cache, so it evaluates only the result; target ≤ 1.5. (The plain turn
  used to offer no tools, so its prompt left the cache at the developer message and
  was evaluated from there, ~200 tokens earlier in the context than the continuation,
  which flash attention makes cheaper; see below.)
* continuation_evaluated_tokens / continuation_cached_tokens: what the continuation's
  prompt evaluation covered (the rest came from the cache); plain_turn_evaluated_tokens
  the same for the plain turn; session_side_ms the session's part of the overhead,
  worker_render_and_pipe_ms the part between the request leaving the session and the
  worker starting to evaluate (the pipe, rendering, tokenizing).

The tiny model's vocabulary has few merges, so the result's header
("functions.lookup to=assistant") is ~30 byte tokens here against ~6 with gpt-oss's
own vocabulary: the ratio is about evaluated tokens, which a real model makes smaller.

With flash attention on the CPU (what the hardware plan picks here), a batch on this
tiny model costs more for the attention over the context already held than for its
tokens (measured on llama.cpp alone, fastest of 40: 36 tokens at position 196: 3 ms,
at 414: 7 ms; 111 tokens at 196: 3 ms, at 414: 12 ms; without flash attention 36 tokens
cost 1.5-1.9 ms anywhere), so the continuation's 36 tokens may come out slower than the
plain turn's 92 (1.2-2.1 here): ``--flash-attn off`` shows the comparison of evaluated
tokens alone (0.44-0.71 here). A real model's matrices, not its attention over a few
hundred tokens, set the cost of a batch.

Usage: python bench/tools.py [--rounds N] [--flash-attn auto|off]
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
        self.first_events: list[float] = []  # each chat's first harmony event

    def chat(self, request: ChatRequest, deliver: Deliver) -> None:
        self.sent.append(time.perf_counter())
        seen_event = False

        def timed(msg: dict[str, Any]) -> None:
            nonlocal seen_event
            if msg.get("type") == "event" and not seen_event:
                seen_event = True
                self.first_events.append(time.perf_counter())
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
    continuation_sent, first_event = engine.sent[1], engine.first_events[1]
    stats = second["stats"]
    after_first_token = 2000 / stats["tokens_per_s"] if stats["tokens_per_s"] else 0.0
    overhead = (first_event - call_done) * 1000 - (call.ms or 0) - after_first_token
    # A plain next turn of the same conversation, with the same tools offered (the
    # model, having read the earlier result, answers it without a call).
    plain_engine = TimedEngine(client)
    plain = Session(store, plain_engine, options=lambda: AnswerOptions(max_tokens=64),
                    tools=lambda _c, _a: [Instant()])
    plain.send(question.conversation_id, "And y?")
    assert [d["finish_reason"] for _, d in plain_engine.dones] == ["stop"]
    plain_stats = plain_engine.dones[0][1]["stats"]
    plain_ttft = plain_stats["ttft_ms"]
    with_tools.close(purge=False)
    plain.close(purge=False)
    return {"overhead": overhead, "ratio": stats["ttft_ms"] / max(plain_ttft, 1e-3),
            "evaluated": stats["evaluated_tokens"], "cached": stats["cached_tokens"],
            "continuation_ttft": stats["ttft_ms"], "plain_ttft": plain_ttft,
            "plain_evaluated": plain_stats["evaluated_tokens"],
            "session_side": (continuation_sent - call_done) * 1000 - (call.ms or 0),
            "worker_before_ttft": (first_event - continuation_sent) * 1000
            - after_first_token - stats["ttft_ms"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--flash-attn", choices=("auto", "off"), default="auto",
                        help="auto: the hardware plan's choice (on, on this CPU)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cove-bench-tools-") as folder:
        client = EngineClient(log_path=Path(folder) / "worker.log")
        try:
            client.load(_model(Path(folder)), n_ctx=2048, seed=1,
                        flash_attn=False if args.flash_attn == "off" else None)
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
        # The fastest of each over the rounds: what they cost with the least
        # interference from other processes (this machine's cores are shared).
        "continuation_ttft_over_plain_turn_fastest": round(
            min(r["continuation_ttft"] for r in rounds)
            / max(min(r["plain_ttft"] for r in rounds), 1e-3), 3),
        "continuation_ttft_ms": median("continuation_ttft"),
        "plain_turn_ttft_ms": median("plain_ttft"),
        "session_side_ms": median("session_side"),
        "worker_render_and_pipe_ms": median("worker_before_ttft"),
        "continuation_evaluated_tokens": median("evaluated"),
        "plain_turn_evaluated_tokens": median("plain_evaluated"),
        "continuation_cached_tokens": median("cached"),
        "rounds": args.rounds,
        "flash_attn": args.flash_attn,
        "model": "scripted tiny gpt-oss (tests/tools/conftest.py), CPU",
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
