"""What the chat window, the command line and document Q&A talk to: a *backend*.

Two implement it: :class:`app.engine.client.EngineClient` (llama.cpp in a local worker
process) and :class:`app.engine.remote.RemoteBackend` (an OpenAI-compatible server:
vLLM, llama.cpp's llama-server, Ollama, …). Callers run :meth:`Backend.chat` on a
background thread and may call :meth:`Backend.cancel` from any other thread; the
messages it yields are the same for both (see :mod:`app.engine.protocol`):

* ``{"type": "event", "kind": ..., "text": ..., "channel": ..., "recipient": ...,
  "truncated": ...}`` with a harmony kind (``message_start``, ``reasoning``,
  ``answer``, ``tool_call``, ``message_end``);
* local only: ``prompt_progress`` and ``context_trimmed``;
* then exactly one ``{"type": "done", "finish_reason": "stop" | "length" |
  "cancelled", "stats": {...}}`` or ``{"type": "error", "code": ..., "message": ...}``.

The error codes a remote server adds to protocol's are defined here, because they are
part of this contract; :data:`INTERRUPTING_CODES` are the ones after which a partial
answer is kept and marked interrupted rather than failed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from app.engine import protocol

# Error codes of a remote backend (beside protocol's WORKER_CRASHED, TOO_LONG, …).
SERVER_UNREACHABLE = "server_unreachable"  # nothing listens there, DNS fails
SERVER_DISCONNECTED = "server_disconnected"  # the connection dropped mid-answer
TIMEOUT = "timeout"  # the server stopped sending
TLS_ERROR = "tls_error"  # certificate not trusted, wrong host name, TLS broken
UNAUTHORIZED = "unauthorized"  # 401 / 403: missing or wrong API key
RATE_LIMITED = "rate_limited"  # 429; the message carries ``retry_after`` seconds
NO_SUCH_MODEL = "no_such_model"
SERVER_ERROR = "server_error"  # 5xx, or an error object inside the stream
BAD_RESPONSE = "bad_response"  # nothing readable came back
INSECURE_URL = "insecure_url"  # plain http to a non-local host the user did not allow
TOOLS_REFUSED = "tools_refused"  # the server does not take the tools offered (HTTP 400)

# After these the partial answer is kept and marked "interrupted" (see status_of).
INTERRUPTING_CODES = frozenset({protocol.WORKER_CRASHED, SERVER_DISCONNECTED, TIMEOUT})


@runtime_checkable
class Backend(Protocol):
    """A model that answers chats. ``info`` describes it (see :func:`describe`)."""

    info: dict[str, Any]

    def chat(
        self,
        messages: Sequence[ChatMessage],
        instructions: str = "",
        effort: str = "medium",
        sampling: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        stop: Sequence[str] | None = None,
        tools: Sequence[ToolOffer] = (),
    ) -> Iterator[dict[str, Any]]:
        """Stream the answer to the last message; ends with one ``done`` or ``error``.
        ``tools`` are offered to the model; a ``done`` whose ``finish_reason`` is
        ``tool_call`` carries the call (``call``: recipient, channel, arguments, raw)."""
        ...

    def cancel(self) -> None:
        """Stop the answer being written; thread-safe, returns at once."""
        ...

    def answer_now(self) -> None:
        """End the reasoning and answer at once (a no-op where unsupported)."""
        ...

    def close(self) -> None:
        ...


@dataclass(frozen=True)
class BackendInfo:
    """What the window shows about a backend, and which controls it offers."""

    kind: str  # "local" or "remote"
    model: str  # the model's name
    where: str  # a model file's path, or the server's name and address
    harmony: bool  # speaks harmony (reasoning, effort): gpt-oss
    can_answer_now: bool  # the "Answer now" button works


def describe(backend: Backend) -> BackendInfo:
    """Read a backend's ``info`` the same way for both kinds (EngineClient's ``info``
    is its loaded model's; RemoteBackend's says ``"backend": "remote"``)."""
    info = backend.info
    if info.get("backend") == "remote":
        server = info.get("server") or ""
        url = info.get("base_url") or ""
        return BackendInfo("remote", str(info.get("name") or "?"),
                           f"{server} ({url})" if server else str(url),
                           bool(info.get("harmony")), False)
    return BackendInfo("local", str(info.get("name") or "?"), str(info.get("path") or ""),
                       bool(info.get("harmony")), True)


def status_of(error_code: str | None, finish_reason: str | None, error: str | None) -> str:
    """complete / stopped / interrupted / error, as the history stores it: what
    :attr:`app.engine.transcript.Reply.status` says, with the remote codes that keep a
    partial answer counted as interrupted too."""
    if error_code in INTERRUPTING_CODES:
        return "interrupted"
    if error is not None:
        return "error"
    if finish_reason == "cancelled":
        return "stopped"
    if finish_reason == "length":
        return "interrupted"
    return "complete"


if TYPE_CHECKING:
    # mypy proves both implementations satisfy the protocol as they are.
    from app.engine.client import EngineClient
    from app.engine.prompt import ChatMessage, ToolOffer
    from app.engine.remote import RemoteBackend

    def _conforms(local: EngineClient, remote: RemoteBackend) -> tuple[Backend, Backend]:
        return local, remote
