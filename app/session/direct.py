"""An engine that answers on the calling thread: what ``cove chat`` and tests use.

:meth:`DirectEngine.chat` runs the whole answer before it returns, delivering each
message as it comes; Ctrl+C (KeyboardInterrupt) during it stops the answer the way the
window's Stop button does, and the rest of the stream is still delivered (the final
``done`` says ``cancelled``), so the session saves the answer as stopped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from app.engine import protocol
from app.engine.backend import describe
from app.engine.client import states_folder
from app.engine.model_info import ModelInfo
from app.session.ports import ChatRequest, Deliver

if TYPE_CHECKING:
    from app.config.sealed import FileKey
    from app.engine.backend import Backend

log = logging.getLogger(__name__)


class DirectEngine:
    """A :class:`app.session.ports.Engine` over one backend, on the caller's thread."""

    def __init__(self, backend: Backend, restart_on_crash: bool = True) -> None:
        """``restart_on_crash`` False: a crashed worker stays down (a one-shot command
        ends there rather than loading the model again for nothing)."""
        self.backend = backend
        self.restart_on_crash = restart_on_crash

    @property
    def model(self) -> ModelInfo | None:
        return ModelInfo.of(self.backend.info)

    @property
    def can_answer_now(self) -> bool:
        return describe(self.backend).can_answer_now

    def chat(self, request: ChatRequest, deliver: Deliver) -> None:
        if not self.backend.info:
            deliver({"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                     "message": "No model is loaded."})
            return
        messages, instructions = request.messages, request.instructions
        if request.prepare is not None:
            try:
                messages, instructions = request.prepare(self.backend, deliver)
            except Exception:  # an answer without the documents beats none
                log.exception("preparing the request failed")
        extra: dict[str, Any] = {"tools": request.tools} if request.tools else {}
        stream = self.backend.chat(messages, instructions=instructions,  # type: ignore[arg-type]
                                   effort=request.effort, sampling=request.sampling,
                                   max_tokens=request.max_tokens, **extra)
        ended = False

        def take(msg: dict[str, Any]) -> None:
            nonlocal ended
            ended = ended or msg.get("type") in (protocol.DONE, protocol.ERROR)
            deliver(msg)

        try:
            for msg in stream:
                take(msg)
        except KeyboardInterrupt:
            self.backend.cancel()
            for msg in stream:  # the rest, if the stream survived the interrupt
                take(msg)
        if not ended:  # Ctrl+C broke the stream off before its end: the answer stopped
            deliver({"type": protocol.DONE, "finish_reason": "cancelled", "stats": {}})

    def prefill(self, request: ChatRequest) -> None:
        """Have a local model read ``request`` before its question (a server: nothing);
        the worker reads while nothing else is asked."""
        prefill: Any = getattr(self.backend, "prefill", None)
        if prefill is None or not self.backend.info:
            return
        messages, instructions = request.messages, request.instructions
        try:
            if request.prepare is not None:
                messages, instructions = request.prepare(self.backend, lambda _event: None)
            if any(m.get("content") for m in messages):
                prefill(messages, instructions, request.effort, request.tools)
        except Exception as exc:  # reading ahead is a help, never a failure
            log.warning("could not read the conversation ahead: %s", exc)

    def keep_states(self, key: FileKey | None) -> None:
        """Save long prompts' states in the cache folder, sealed with ``key``."""
        keep: Any = getattr(self.backend, "keep_states", None)
        if keep is not None:
            keep(states_folder(), key)

    def cancel(self) -> None:
        self.backend.cancel()

    def answer_now(self) -> None:
        self.backend.answer_now()

    def restart(self) -> None:
        """The local worker again after a crash (a server is not restarted)."""
        restart: Any = getattr(self.backend, "restart", None)
        if restart is None or not self.restart_on_crash:
            return
        try:
            restart()
        except Exception as exc:  # the next message says what is wrong
            log.warning("could not restart the worker: %s", exc)
