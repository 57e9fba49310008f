"""Collects a streamed answer: what a caller keeps of one chat, crash or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.engine import events
from app.engine.backend import status_of


@dataclass
class Reply:
    reasoning: str = ""
    answer: str = ""
    tool_calls: list[dict[str, str]] = field(default_factory=list)
    finish_reason: str | None = None  # stop / length / cancelled; None until done
    error: str | None = None
    error_code: str | None = None
    retry_after: float | None = None  # a server asked to wait this long (seconds)
    stats: dict[str, Any] = field(default_factory=dict)
    dropped_turns: int = 0
    truncated: bool = False

    @property
    def status(self) -> str:
        """complete / stopped / interrupted / error, as the history stores it (a crash,
        a dropped connection or a timeout keeps the partial answer: interrupted)."""
        return status_of(self.error_code, self.finish_reason, self.error)

    def add(self, msg: dict[str, Any]) -> None:
        """Take one message from :meth:`EngineClient.chat` (decoded here)."""
        self.take(events.decode(msg))

    def take(self, event: events.EngineEvent) -> None:
        """Take one decoded event (the session decodes each message once)."""
        if isinstance(event, events.Reasoning):
            self.reasoning += event.text
        elif isinstance(event, events.AnswerText):
            self.answer += event.text
        elif isinstance(event, events.ToolCallText):
            if not self.tool_calls or self.tool_calls[-1].get("closed"):
                self.tool_calls.append({"recipient": event.recipient, "arguments": ""})
            self.tool_calls[-1]["arguments"] += event.text
        elif isinstance(event, events.MessageEnd):
            if event.truncated:
                self.truncated = True
            if self.tool_calls and event.recipient:
                self.tool_calls[-1]["closed"] = "1"
        elif isinstance(event, events.ContextTrimmed):
            self.dropped_turns = event.dropped_turns
        elif isinstance(event, events.Done):
            self.finish_reason = event.finish_reason
            self.stats = dict(event.stats)
        elif isinstance(event, events.Failed):
            self.error = event.message
            self.error_code = event.code
            self.retry_after = event.retry_after
