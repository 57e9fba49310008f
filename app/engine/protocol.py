"""The framed messages between the GUI side and a worker process.

Each message is one JSON object sent with ``Connection.send_bytes`` of
:mod:`multiprocessing.connection`, which length-prefixes every frame. The worker's
stdout and stderr go to a log file: whatever llama.cpp prints never touches the
protocol.

Requests (client → worker) carry ``op``: ``load``, ``unload``, ``chat``, ``cancel``,
``answer_now``, ``stats``, ``prompt``, ``embed``, ``count``, ``prefill``, ``probe``,
``kv_store``, ``shutdown``. Replies and
events (worker → client) carry ``type``; every event of a chat (and every reply to an
``embed``) carries its request's ``id``.
"""

from __future__ import annotations

import json
from multiprocessing.connection import Connection
from typing import Any

Message = dict[str, Any]

# Environment variable through which the parent hands the worker its auth key.
AUTHKEY_ENV = "COVE_WORKER_AUTHKEY"

# Worker → client message types.
READY = "ready"
LOADING = "loading"
LOADED = "loaded"
UNLOADED = "unloaded"
PROMPT_PROGRESS = "prompt_progress"
CONTEXT_TRIMMED = "context_trimmed"
EVENT = "event"  # a harmony.Event: kind, text, channel, recipient, truncated
DONE = "done"
ERROR = "error"
STATS = "stats"
PROMPT = "prompt"  # reply to the "prompt" request: the tokens a chat would evaluate
EMBEDDINGS = "embeddings"  # reply to "embed": one vector per text
COUNT = "count"  # reply to "count": tokens per text
# Reply to "prefill" (a background evaluation of a conversation's known prefix, stopped
# by any other request and resumed when the worker is idle again; app.engine.prefix).
PREFILLED = "prefilled"
PROBE = "probe"  # reply to "probe": how much of a prompt is known, the prompt speed

# Error codes a caller may branch on.
WORKER_CRASHED = "worker_crashed"
LOAD_FAILED = "load_failed"
NOT_LOADED = "not_loaded"
TOO_LONG = "too_long"
GENERATION_FAILED = "generation_failed"
BAD_REQUEST = "bad_request"
CANCELLED = "cancelled"


def send(conn: Connection, message: Message) -> None:
    conn.send_bytes(json.dumps(message, ensure_ascii=False).encode("utf-8"))


def recv(conn: Connection) -> Message:
    message = json.loads(conn.recv_bytes().decode("utf-8"))
    if not isinstance(message, dict):
        raise ValueError("protocol frame is not an object")
    return message
