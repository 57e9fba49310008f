"""Saving one answer while the model is still writing it.

Tokens arrive tens of times a second; committing each one would make the disk the
bottleneck. :class:`AnswerWriter` keeps new text in memory and commits it at most
``flush_interval`` seconds after it arrived (1 s by default), from a timer thread, so
the guarantee holds even when the model pauses between tokens: a crash or a kill loses
at most about a second of text, and the next start marks the answer ``interrupted``.

A save writes only the text that is new (``ChatStore.append_answer`` adds it as one
part), so its cost does not grow with the answer, and no save touches the search index:
the answer is indexed once, when it finishes (or, cut off by a crash, at the next
start). Until then a streaming answer is readable but not found by search.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from app.chats import errors
from app.chats.errors import ChatStoreError
from app.chats.records import Message

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 1.0
FINAL_STATUSES = ("complete", "stopped", "interrupted", "error")


class AnswerRows(Protocol):
    """What a writer needs from the history (:class:`app.chats.store.ChatStore`): add
    streamed text to the answer's row, save how it ended, and let go of the writer."""

    def append_answer(self, message_id: int, answer: str, reasoning: str) -> None: ...

    def save_tool_calls(self, message_id: int, tool_calls: str) -> None: ...

    def finish_answer(self, message_id: int, answer: str, reasoning: str,
                      fields: dict[str, Any]) -> Message: ...

    def writer_finished(self, writer: AnswerWriter) -> None: ...


class AnswerWriter:
    """One streaming assistant message; safe to feed from a background thread.

    Use: ``append`` each token as it comes (cheap: no I/O), then ``finish`` once with
    the engine's status (``Reply.status``) and stats. If saving fails (a full disk),
    the text stays in memory, ``save_error`` holds the error, ``on_save_error`` (if set)
    is called from the saving thread, and the next save tries again; ``finish`` raises
    instead, and may be called again once the user has made room.
    """

    def __init__(self, store: AnswerRows, conversation_id: int, message_id: int,
                 flush_interval: float = FLUSH_INTERVAL_S) -> None:
        self.conversation_id = conversation_id
        self.message_id = message_id
        self.flush_interval = flush_interval
        self.save_error: ChatStoreError | None = None
        self.on_save_error: Callable[[ChatStoreError], None] | None = None
        self._store = store
        self._lock = threading.Lock()
        self._answer: list[str] = []
        self._reasoning: list[str] = []
        self._timer: threading.Timer | None = None
        self._thinking_from: float | None = None
        self._thinking_until: float | None = None
        self._done = False

    @property
    def finished(self) -> bool:
        """True once finished (or detached because the store closed)."""
        return self._done

    def append(self, answer: str = "", reasoning: str = "") -> None:
        """Add text; it reaches the file within ``flush_interval`` seconds."""
        if not answer and not reasoning:
            return
        with self._lock:
            if self._done:
                log.warning("text for finished answer %s ignored", self.message_id)
                return
            if reasoning:
                self._reasoning.append(reasoning)
                if self._thinking_from is None:
                    self._thinking_from = time.monotonic()
            if answer:
                self._answer.append(answer)
                if self._thinking_from is not None and self._thinking_until is None:
                    self._thinking_until = time.monotonic()
            if self._timer is None:
                self._arm()

    def set_tool_calls(self, calls: list[dict[str, Any]]) -> None:
        """The answer's tool calls so far, saved at once (the text before them first,
        so the file never shows a call ahead of what led to it); a failure is reported
        like a failed save, and the calls are saved again with the next ones."""
        with self._lock:
            if self._done:
                return
            try:
                self._cancel_timer()
                self._save_pending()
                self._store.save_tool_calls(self.message_id,
                                            json.dumps(calls, ensure_ascii=False))
            except ChatStoreError as exc:
                if self.on_save_error is not None:
                    self.on_save_error(exc)

    def flush(self) -> None:
        """Save what is buffered now; raises :class:`ChatStoreError` if that fails."""
        with self._lock:
            self._cancel_timer()
            self._save_pending()

    def finish(self, status: str, error: str | None = None,
               stats: dict[str, Any] | None = None) -> Message:
        """Save the rest and how the answer ended; returns the saved message.

        ``stats`` takes the keys of the engine's ``Reply.stats`` (``prompt_tokens``,
        ``completion_tokens``, ``tokens_per_s``; others are ignored) and optionally
        ``reasoning_ms``; without it, the time from the first reasoning text to the
        first answer text is measured here.
        """
        if status not in FINAL_STATUSES:
            raise ValueError(f"status must be one of {FINAL_STATUSES}, not {status!r}")
        with self._lock:
            if self._done:
                raise ChatStoreError(errors.user_text(errors.CLOSED), errors.CLOSED)
            self._cancel_timer()
            fields = self._final_fields(status, error, stats or {})
            message = self._store.finish_answer(
                self.message_id, "".join(self._answer), "".join(self._reasoning), fields)
            self._answer.clear()
            self._reasoning.clear()
            self._done = True
        self._store.writer_finished(self)
        return message

    def _final_fields(self, status: str, error: str | None,
                      stats: dict[str, Any]) -> dict[str, Any]:
        """The columns ``finish`` sets besides the text."""
        return {"status": status, "error": error,
                "prompt_tokens": _int(stats.get("prompt_tokens")),
                "completion_tokens": _int(stats.get("completion_tokens")),
                "tokens_per_s": _float(stats.get("tokens_per_s")),
                "reasoning_ms": _int(stats.get("reasoning_ms")) or self._thinking_ms()}

    def _thinking_ms(self) -> int | None:
        if self._thinking_from is None:
            return None
        until = self._thinking_until or time.monotonic()
        return round((until - self._thinking_from) * 1000)

    def detach(self) -> None:
        """The store is closing: save what we have; later text is ignored. The message
        stays 'streaming' in the file, so the next start marks it interrupted."""
        with self._lock:
            self._cancel_timer()
            try:
                self._save_pending()
            except ChatStoreError:
                log.exception("could not save the end of answer %s", self.message_id)
            self._done = True

    def _save_pending(self) -> None:
        """Commit the buffer; it is cleared only once the commit succeeded."""
        if self._done or not (self._answer or self._reasoning):
            return
        self._store.append_answer(self.message_id, "".join(self._answer),
                                  "".join(self._reasoning))
        self._answer.clear()
        self._reasoning.clear()
        self.save_error = None

    def _arm(self) -> None:
        self._timer = threading.Timer(self.flush_interval, self._on_timer)
        self._timer.daemon = True
        self._timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _on_timer(self) -> None:
        """Timer thread: save, or keep the text and try again one interval later."""
        failure: ChatStoreError | None = None
        with self._lock:
            if self._timer is threading.current_thread():
                self._timer = None
            try:
                self._save_pending()
            except ChatStoreError as exc:
                log.warning("saving answer %s failed: %s", self.message_id, exc)
                self.save_error = failure = exc
                if not self._done and self._timer is None:
                    self._arm()
        if failure is not None and self.on_save_error is not None:
            self.on_save_error(failure)


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
