"""Conversations as Markdown (to read and share) and as Cove's own JSON (to move or back up
a history, and import it again).

Only what the user and the model wrote is exported, plus model names, timings and token
counts: the history holds no secrets (API keys live in the OS keyring), so there are none
to leak. Reasoning is optional in both formats. JSON keeps every branch, so an import
restores regenerated answers and edits; Markdown shows the branch on screen.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from app.chats import errors
from app.chats.errors import ChatStoreError
from app.chats.markdown_text import without_html
from app.chats.records import NEWEST_LEAF, Conversation, Message, rowid
from app.chats.titles import derive_title
from app.config.sqlcipher import driver as sqlite3

FORMAT_CONVERSATION = "cove.conversation"
FORMAT_HISTORY = "cove.history"
EXPORT_VERSION = 1
ROLES = ("user", "assistant")
STATUSES = ("complete", "streaming", "stopped", "interrupted", "error")

_STATUS_NOTES = {
    "stopped": "_Stopped before the answer was finished._",
    "interrupted": "_Interrupted: this answer is incomplete._",
    "streaming": "_Still being written when exported._",
}
_MESSAGE_FIELDS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "effort": (str, None), "model": (str, None), "error": (str, None),
    "prompt_tokens": (int, None), "completion_tokens": (int, None),
    "reasoning_ms": (int, None), "tokens_per_s": ((int, float), None),
}


def to_markdown(conversation: Conversation, messages: list[Message],
                reasoning: bool = False) -> str:
    """One readable document: title, system prompt, then each turn of ``messages``.

    What people and the model wrote is never raw HTML in it (see ``markdown_text``)."""
    day = time.strftime("%Y-%m-%d", time.localtime(conversation.created_at))
    title = " ".join((conversation.title or "Untitled conversation").split())
    parts = [f"# {without_html(title)}",
             f"_Conversation from {day}, exported from Cove._"]
    if conversation.system_prompt:
        parts += ["## System prompt", without_html(conversation.system_prompt)]
    for message in messages:
        parts += _markdown_turn(message, reasoning)
    return "\n\n".join(parts).rstrip() + "\n"


def _markdown_turn(message: Message, reasoning: bool) -> list[str]:
    """A heading, the optional thinking block, the text, and how it ended."""
    if message.role == "user":
        return ["## You", without_html(message.content)]
    heading = "## Assistant" + (f" ({message.model})" if message.model else "")
    out = [heading]
    if reasoning and message.reasoning:
        out.append(f"<details>\n<summary>Thinking</summary>\n\n"
                   f"{without_html(message.reasoning)}\n\n</details>")
    out += [_markdown_call(call) for call in message.calls()]
    if message.content:
        out.append(without_html(message.content))
    if message.status == "error":
        out.append(f"_Error: {without_html(message.error or 'the answer failed.')}_")
    elif message.status in _STATUS_NOTES:
        out.append(_STATUS_NOTES[message.status])
    return out


def _markdown_call(call: dict[str, Any]) -> str:
    """A tool call as a quoted block: the tool, its status and time, the arguments
    and the result (as code, so nothing in them is read as Markdown or HTML)."""
    tool = without_html(str(call.get("tool") or "?"))
    status = str(call.get("status") or "")
    ms = call.get("ms")
    took = f", {ms} ms" if isinstance(ms, int) else ""
    result = str(call.get("shown") or call.get("result") or "")
    fence = "~~~~"
    return (f"<details>\n<summary>Tool call: {tool} ({without_html(status)}{took})</summary>"
            f"\n\n{fence}json\n{call.get('arguments') or ''}\n{fence}\n\n"
            f"{fence}text\n{result}\n{fence}\n\n</details>")


def conversation_json(conversation: Conversation, messages: list[Message],
                      reasoning: bool = True) -> dict[str, Any]:
    """Cove's JSON for one conversation with all its branches (``messages`` in id order)."""
    return {"format": FORMAT_CONVERSATION, "version": EXPORT_VERSION,
            **conversation_body(conversation, messages, reasoning)}


def history_json(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """Cove's JSON for a whole history, from :func:`conversation_body` results."""
    return {"format": FORMAT_HISTORY, "version": EXPORT_VERSION, "conversations": bodies}


def conversation_body(conversation: Conversation, messages: list[Message],
                      reasoning: bool) -> dict[str, Any]:
    """The part of :func:`conversation_json` that a history export repeats."""
    conv = {"title": conversation.title, "created_at": conversation.created_at,
            "updated_at": conversation.updated_at, "pinned": conversation.pinned,
            "system_prompt": conversation.system_prompt,
            "current_leaf_id": conversation.current_leaf_id}
    if conversation.from_app is not None:
        conv["from_app"] = conversation.from_app
    return {"conversation": conv, "messages": [_message_body(m, reasoning) for m in messages]}



def _message_body(message: Message, reasoning: bool) -> dict[str, Any]:
    return {"id": message.id, "parent_id": message.parent_id, "role": message.role,
            "content": message.content, "reasoning": message.reasoning if reasoning else "",
            "effort": message.effort, "model": message.model, "status": message.status,
            "error": message.error, "prompt_tokens": message.prompt_tokens,
            "completion_tokens": message.completion_tokens,
            "reasoning_ms": message.reasoning_ms, "tokens_per_s": message.tokens_per_s,
            "created_at": message.created_at, "updated_at": message.updated_at,
            "tool_calls": message.calls()}


@dataclass
class Imported(Conversation):
    """One conversation read from JSON and checked, ready for the store to insert: a
    :class:`Conversation` not stored yet (``id`` 0), with its messages.

    Messages are sorted so that each parent comes before its children; their ``id`` and
    ``parent_id`` (and ``current_leaf_id``) are the file's, which the store maps to new
    ids.
    """

    messages: list[dict[str, Any]] = field(default_factory=list)


def parse(data: Any) -> list[Imported]:
    """Check a :func:`conversation_json` or :func:`history_json` document.

    Raises :class:`ChatStoreError` (``bad_import``) naming the first problem; nothing is
    imported from a file with any problem, so a user never gets half a history.
    """
    if not isinstance(data, dict) or data.get("format") not in (FORMAT_CONVERSATION,
                                                                FORMAT_HISTORY):
        raise _bad("it is not a Cove export")
    version = data.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise _bad("it was written by a newer version of Cove")
    if data["format"] == FORMAT_CONVERSATION:
        return [_parse_conversation(data)]
    items = data.get("conversations")
    if not isinstance(items, list):
        raise _bad("the list of conversations is missing")
    return [_parse_conversation(item) for item in items]


def _parse_conversation(body: Any) -> Imported:
    conv = body.get("conversation") if isinstance(body, dict) else None
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(conv, dict) or not isinstance(messages, list):
        raise _bad("a conversation is incomplete")
    now = time.time()
    created = _typed(conv, "created_at", (int, float), now)
    out = Imported(id=0, title=_typed(conv, "title", str, ""), created_at=float(created),
                   updated_at=float(_typed(conv, "updated_at", (int, float), created)),
                   pinned=bool(_typed(conv, "pinned", (bool, int), False)),
                   system_prompt=_typed(conv, "system_prompt", str, None),
                   current_leaf_id=_typed(conv, "current_leaf_id", int, None),
                   from_app=_typed(conv, "from_app", str, None))
    out.messages = _ordered([_parse_message(m, created) for m in messages])
    return out


def _parse_message(raw: Any, default_time: float) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _bad("a message is not an object")
    msg: dict[str, Any] = {
        "id": _required(raw, "id", int), "parent_id": _typed(raw, "parent_id", int, None),
        "role": _required(raw, "role", str), "content": _typed(raw, "content", str, ""),
        "reasoning": _typed(raw, "reasoning", str, ""),
        "status": _typed(raw, "status", str, "complete"),
        "created_at": float(_typed(raw, "created_at", (int, float), default_time)),
    }
    msg["updated_at"] = float(_typed(raw, "updated_at", (int, float), msg["created_at"]))
    calls = _typed(raw, "tool_calls", list, [])
    msg["tool_calls"] = json.dumps([c for c in calls if isinstance(c, dict)],
                                   ensure_ascii=False) if calls else ""
    for key, (kind, default) in _MESSAGE_FIELDS.items():
        msg[key] = _typed(raw, key, kind, default)
    if msg["role"] not in ROLES or msg["status"] not in STATUSES:
        raise _bad("a message has an unknown role or status")
    if msg["status"] == "streaming":
        msg["status"] = "interrupted"  # nothing is writing it any more
    return msg


def _ordered(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parents before children; every parent present; no id twice."""
    ordered = sorted(messages, key=lambda m: m["id"])
    seen: set[int] = set()
    for msg in ordered:
        if msg["id"] in seen or (msg["parent_id"] is not None and msg["parent_id"] not in seen):
            raise _bad("the messages do not form a conversation")
        seen.add(msg["id"])
    return ordered


def _typed(raw: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    """``raw[key]`` if it has the right type, ``default`` if absent or null."""
    value = raw.get(key)
    if value is None:
        return default
    if isinstance(value, bool) and kind in (int, (int, float)):
        raise _bad(f"the field {key!r} has the wrong type")
    if not isinstance(value, kind):
        raise _bad(f"the field {key!r} has the wrong type")
    return value


def _required(raw: dict[str, Any], key: str, kind: type) -> Any:
    if raw.get(key) is None:
        raise _bad(f"a message has no {key!r}")
    return _typed(raw, key, kind, None)


def _bad(detail: str) -> ChatStoreError:
    return ChatStoreError(f"Cove could not import this file: {detail}. Nothing was imported.",
                          errors.BAD_IMPORT)


def insert_imported(conn: sqlite3.Connection, item: Imported) -> int:
    """One imported conversation with fresh ids; returns its id."""
    cur = conn.execute(
        "INSERT INTO conversations (title, created_at, updated_at, pinned, system_prompt, "
        "from_app) VALUES (?, ?, ?, ?, ?, ?)",
        (item.title, item.created_at, item.updated_at, int(item.pinned), item.system_prompt,
         item.from_app))
    conversation_id = rowid(cur)
    new_ids: dict[int, int] = {}
    for msg in item.messages:
        values = {**msg, "conversation_id": conversation_id,
                  "parent_id": new_ids.get(msg["parent_id"])}
        del values["id"]
        names = ", ".join(values)
        cur = conn.execute(f"INSERT INTO messages ({names}) VALUES "
                           f"({', '.join('?' * len(values))})", tuple(values.values()))
        new_ids[msg["id"]] = rowid(cur)
    leaf = new_ids.get(item.current_leaf_id) if item.current_leaf_id is not None else None
    if leaf is None:
        leaf = conn.execute(NEWEST_LEAF, (conversation_id,)).fetchone()[0]
    title = item.title or next((derive_title(m["content"]) for m in item.messages
                                if m["role"] == "user"), "")
    conn.execute("UPDATE conversations SET current_leaf_id = ?, title = ? WHERE id = ?",
                 (leaf, title, conversation_id))
    return conversation_id
