"""The conversation loop of ``cove chat``, shared by a local model (``app.cli``) and a
remote server (``app.remote_cli``).

It is written against the Backend interface and lives apart from both commands so that
neither has to import the other: ``app.cli`` registers ``app.remote_cli``'s commands,
and both use this loop.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from app.engine import protocol
from app.engine.prompt import ChatMessage
from app.engine.transcript import Reply

if TYPE_CHECKING:
    from app.engine.backend import Backend


def chat_loop(backend: Backend, args: argparse.Namespace, sampling: dict[str, Any],
              intro: str, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    """Ask once (``args.prompt``) or chat until an empty line; Ctrl+C stops an answer.
    Uses ``prompt``, ``instructions``, ``effort``, ``max_tokens``, ``show_reasoning``."""
    history: list[ChatMessage] = []
    interactive = args.prompt is None
    if interactive:
        print(f"{intro} Empty line or Ctrl+D ends; Ctrl+C stops an answer.", file=err)
    while True:
        if interactive:
            print("> ", end="", file=err, flush=True)
            line = stdin.readline()
            if not line or not line.strip():
                return 0
            prompt = line.rstrip("\n")
        else:
            prompt = args.prompt
        history.append({"role": "user", "content": prompt})
        reply = Reply()
        stream = backend.chat(history, instructions=args.instructions, effort=args.effort,
                              sampling=sampling, max_tokens=args.max_tokens)
        try:
            for msg in stream:
                reply.add(msg)
                if msg.get("type") == protocol.EVENT:
                    if msg["kind"] == "answer":
                        out.write(msg["text"])
                        out.flush()
                    elif msg["kind"] == "reasoning" and args.show_reasoning:
                        err.write(msg["text"])
                        err.flush()
                elif msg.get("type") == protocol.CONTEXT_TRIMMED:
                    print(f"[left out {msg['dropped_turns']} earlier turn(s) to fit the "
                          "context]", file=err)
        except KeyboardInterrupt:
            backend.cancel()
            for msg in stream:
                reply.add(msg)
        out.write("\n")
        out.flush()
        if reply.error is not None:
            print(f"cove: {reply.error}", file=err)
            history.pop()
            if reply.error_code == protocol.WORKER_CRASHED or not interactive:
                return 1
            continue
        history.append({"role": "assistant", "content": reply.answer})
        if not interactive:
            return 0
