"""Collects a streamed answer: what a caller keeps of one chat, crash or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.engine import harmony, protocol
from app.engine.backend import status_of


@dataclass
class Reply:
    reasoning: str = ""
    answer: str = ""
    tool_calls: list[dict[str, str]] = field(default_factory=list)
    finish_reason: str | None = None  # stop / length / cancelled; None until done
    error: str | None = None
    error_code: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    dropped_turns: int = 0
    truncated: bool = False

    @property
    def status(self) -> str:
        """complete / stopped / interrupted / error, as the history stores it (a crash,
        a dropped connection or a timeout keeps the partial answer: interrupted)."""
        return status_of(self.error_code, self.finish_reason, self.error)

    def add(self, msg: dict[str, Any]) -> None:
        """Take one message from :meth:`EngineClient.chat`."""
        kind = msg.get("type")
        if kind == protocol.EVENT:
            ev = msg["kind"]
            if ev == harmony.REASONING:
                self.reasoning += msg["text"]
            elif ev == harmony.ANSWER:
                self.answer += msg["text"]
            elif ev == harmony.TOOL_CALL:
                if not self.tool_calls or self.tool_calls[-1].get("closed"):
                    self.tool_calls.append({"recipient": msg.get("recipient") or "",
                                            "arguments": ""})
                self.tool_calls[-1]["arguments"] += msg["text"]
            elif ev == harmony.MESSAGE_END:
                if msg.get("truncated"):
                    self.truncated = True
                if self.tool_calls and msg.get("recipient"):
                    self.tool_calls[-1]["closed"] = "1"
        elif kind == protocol.CONTEXT_TRIMMED:
            self.dropped_turns = int(msg["dropped_turns"])
        elif kind == protocol.DONE:
            self.finish_reason = msg["finish_reason"]
            self.stats = msg.get("stats", {})
        elif kind == protocol.ERROR:
            self.error = msg.get("message", "error")
            self.error_code = msg.get("code")
