"""What a session needs from the outside, as small interfaces (no Qt).

* :class:`Engine` runs chats one at a time on the thread that owns the backend and
  hands each message back on the session's own thread: in the window that is
  :class:`app.ui.services.bridge.EngineBridge` (an engine thread, results through Qt's queued
  signals); on the command line :class:`app.session.direct.DirectEngine` (the calling
  thread itself).
* :class:`AnswerDocuments` puts a conversation's documents into a request and keeps the
  sources of each answer: :class:`app.documents.answering.ConversationDocuments`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from app.config.sealed import FileKey
    from app.documents.answering import Prepared
    from app.documents.context import Context
    from app.engine.backend import Backend
    from app.engine.model_info import ModelInfo

# A message from the engine (a protocol dict; see app.engine.protocol).
EngineMessage = dict[str, Any]
# Takes one message of a chat. The engine may call it on any thread (its own); the
# session hands it back to its own thread.
Deliver = Callable[[EngineMessage], None]
# Runs on the engine thread before the chat is sent: the messages and instructions to
# send instead (documents searched there, off the GUI thread, tokens counted with the
# backend that answers). ``post`` hands the session an event of its own (any thread).
Prepare = Callable[["Backend", Callable[[Any], None]], tuple[list[dict[str, str]], str]]


@dataclass(frozen=True)
class ChatRequest:
    """One answer to compute: the conversation so far, ending with the question."""

    messages: list[dict[str, str]]
    instructions: str = ""
    effort: str = "medium"
    sampling: dict[str, Any] = field(default_factory=dict)
    max_tokens: int | None = None
    prepare: Prepare | None = None
    # The tools offered to the model (app.engine.prompt.ToolOffer dicts); a ``done``
    # whose finish_reason is tool_call carries the call.
    tools: list[dict[str, Any]] = field(default_factory=list)


class Engine(Protocol):
    """Runs one chat at a time with the model that is loaded."""

    @property
    def model(self) -> ModelInfo | None:
        """What answers now; None when nothing is loaded."""
        ...

    @property
    def can_answer_now(self) -> bool:
        """Whether "Answer now" works with what answers now."""
        ...

    def chat(self, request: ChatRequest, deliver: Deliver) -> None:
        """Start ``request``; each of its messages goes to ``deliver`` (from any
        thread, in order), the last one ``done`` or ``error`` (exactly one, even when
        stopped before it was sent or when no model is loaded). ``prepare`` runs first,
        on the engine's thread, with the backend and a ``post`` for events."""
        ...

    def cancel(self) -> None:
        """Stop the chat being answered (returns at once)."""
        ...

    def answer_now(self) -> None:
        """End the reasoning; the model answers at once."""
        ...

    def restart(self) -> None:
        """Start the local worker again after it crashed (and load its model)."""
        ...


@runtime_checkable
class ReadsAhead(Protocol):
    """An engine that can read a conversation before its question (the local worker)."""

    def prefill(self, request: ChatRequest) -> None:
        """Have the model read ``request`` (its last message the empty question; its
        ``prepare`` runs first, on the engine's thread) in the background: any chat
        goes first, and the question, when it comes, evaluates only itself. Returns at
        once; nothing is delivered."""
        ...

    def keep_states(self, key: FileKey | None) -> None:
        """Save the states of long prompts (the documents read) on disk, sealed with
        ``key`` (the history's), so a restart does not read them again."""
        ...


class AnswerDocuments(Protocol):
    """The documents of conversations, as answers use them."""

    def prepare(self, conversation_id: int, answer_id: int,
                history: Sequence[dict[str, str]], instructions: str, n_ctx: int,
                max_tokens: int | None,
                count: Callable[[list[str]], list[int]] | None = None,
                also: Sequence[str] = (),
                probe: Callable[[list[dict[str, Any]], str], dict[str, Any]] | None = None,
                ) -> Prepared | None:
        """On the engine thread: the request with the conversation's documents in it,
        or None when it has none (or they cannot be searched). Never raises. ``also``:
        other texts the prompt holds (the tools offered), counted against the room.
        ``probe``: what the model knows already and how fast it reads (documents that
        would take long to read whole give passages instead)."""
        ...

    def read_ahead(self, conversation_id: int, history: Sequence[dict[str, Any]],
                   instructions: str, n_ctx: int, max_tokens: int | None,
                   count: Callable[[list[str]], list[int]] | None = None,
                   also: Sequence[str] = ()) -> tuple[list[dict[str, Any]], str] | None:
        """On the engine thread: the conversation with an empty question and its
        documents placed, for the model to read before the question; None without
        documents. Never raises."""
        ...

    def answer_started(self, answer_id: int) -> None:
        """A new answer has this id: nothing kept for an earlier one (SQLite may reuse
        a deleted answer's id) may show under it."""
        ...

    def answer_finished(self, answer_id: int, answer: str) -> Context | None:
        """The answer ended with this text: the sources to list under it (those it
        cites, else the first), kept for later; None if it used no documents."""
        ...

    def sources(self, conversation_id: int, answer_id: int) -> Context | None:
        """The sources kept for an answer of that conversation, if any."""
        ...

    def forget_conversations(self, conversation_ids: Sequence[int]) -> None:
        """Conversations deleted for good: their attachments and sources go too.
        Raises if the database fails (the caller then keeps the conversations)."""
        ...

    def set_answering(self, answering: bool) -> None:
        """While an answer is written, background work leaves the cores to it."""
        ...


if TYPE_CHECKING:
    # mypy proves the implementations satisfy the ports as they are (the window's
    # engine, app.ui.services.bridge.EngineBridge, is checked where the window builds its session).
    from app.documents.answering import ConversationDocuments
    from app.session.direct import DirectEngine

    def _conforms(documents: ConversationDocuments, engine: DirectEngine
                  ) -> tuple[AnswerDocuments, Engine]:
        return documents, engine
