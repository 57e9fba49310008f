"""A chat another program held through the API, once answered: what the history keeps
when the user asked for it (Settings › Other apps › "Keep conversations from other apps
in the history"; off by default).

The conversation goes into the history whole, as one of Cove's own JSON conversations
(:func:`conversation_document`, read by :meth:`app.chats.store.ChatStore.import_json`,
the public way in for a finished conversation): the program's messages, its system and
developer messages as the conversation's instructions, and the answer with its
reasoning, model, effort and token counts. ``from_app`` names the program (from its
User-Agent) so the sidebar lists it under "From other apps". The tool calls the
program sent back with their results are kept as the calls of the answer they led to
(the history's ``tool_calls`` records, as the window's own calls are kept); a reply
that ends with a call is not kept: the program sends the whole conversation again
with the result, and that answer is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from app.api.chat_call import ChatCall
from app.api.completion import Ending
from app.chats.export import EXPORT_VERSION, FORMAT_CONVERSATION

APP_NAME_LIMIT = 60


@dataclass(frozen=True)
class Exchange:
    """One answered chat request."""

    call: ChatCall
    model: str
    reasoning: str
    answer: str
    ending: Ending
    app: str  # the program's name ('' when it did not say)
    at: float  # when the request came, seconds since the epoch


def app_name(user_agent: str) -> str:
    """The program's name from its User-Agent: the first product without its version
    ("curl/8.5.0" → "curl", "OpenAI/Python 1.54.0" → "OpenAI/Python"); '' for none."""
    first = user_agent.strip().split(" ", 1)[0] if user_agent.strip() else ""
    name, _, version = first.partition("/")
    if version and not version[:1].isdigit():
        name = first
    name = "".join(c for c in name if c.isprintable())
    return name[:APP_NAME_LIMIT]


def conversation_document(exchange: Exchange) -> dict[str, Any]:
    """The exchange as a Cove JSON conversation, ready for ``import_json``."""
    call, at = exchange.call, exchange.at
    messages: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []  # the steps before the next answer
    for turn in call.messages:
        step = turn.get("tool_call")
        if step:
            calls.append({"tool": str(step.get("recipient", "")).removeprefix("functions."),
                          "recipient": step.get("recipient", ""),
                          "channel": step.get("channel", "commentary"),
                          "arguments": step.get("arguments", ""), "status": "done",
                          "result": "", "is_error": False, "started_at": at})
            continue
        if turn.get("role") == "tool":
            if calls:
                calls[-1]["result"] = turn.get("content", "")
            continue
        message: dict[str, Any] = {
            "id": len(messages) + 1, "parent_id": len(messages) or None,
            "role": turn["role"], "content": turn["content"], "status": "complete",
            "created_at": at}
        if turn["role"] == "assistant" and calls:
            message["tool_calls"], calls = calls, []
        messages.append(message)
    stats = exchange.ending.stats
    speed = stats.get("tokens_per_s")
    messages.append({
        "id": len(messages) + 1, "parent_id": len(messages), "role": "assistant",
        "content": exchange.answer, "reasoning": exchange.reasoning,
        "status": "complete", "created_at": at, "updated_at": time.time(),
        "model": exchange.model or None, "effort": call.effort,
        "prompt_tokens": exchange.ending.prompt_tokens,
        "completion_tokens": exchange.ending.completion_tokens,
        "tokens_per_s": float(speed) if isinstance(speed, (int, float)) else None,
        "tool_calls": calls})
    conversation = {"title": "", "created_at": at, "updated_at": time.time(),
                    "pinned": False, "system_prompt": call.instructions or None,
                    "from_app": exchange.app}
    return {"format": FORMAT_CONVERSATION, "version": EXPORT_VERSION,
            "conversation": conversation, "messages": messages}
