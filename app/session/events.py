"""What a conversation session tells its views: typed events and change notices.

Views (the window, the command line, next the local API) subscribe to a
:class:`app.session.service.Session` and receive these frozen records on the thread
that drives the session (the GUI thread in the window). Answer events carry the id of
the answer they belong to; a view that shows another conversation ignores them, and
shows the answer again from the history (:meth:`Session.live_answer`) when it returns.

Change notices say *what* changed in the history, so each view refreshes the part it
shows instead of being refreshed by hand after every call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.chats.store import Message
    from app.documents.context import Context


# -- one answer -------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerStarted:
    """An answer began: its message exists in the history (empty, ``streaming``).
    ``place`` is its (1-based index, count) among its siblings; ``reasons``: the model
    thinks before answering (shows a Thinking block); ``can_answer_now``: the "Answer
    now" button works with what answers; ``question``: the question when it was just
    sent (a view shows it without reading it back), None for a regenerate."""

    conversation_id: int
    answer_id: int
    question_id: int
    place: tuple[int, int]
    reasons: bool
    can_answer_now: bool
    question: Message | None = None


@dataclass(frozen=True)
class ReasoningAdded:
    answer_id: int
    text: str


@dataclass(frozen=True)
class AnswerAdded:
    answer_id: int
    text: str


@dataclass(frozen=True)
class PromptProgressed:
    """The prompt is being read: ``done`` of ``total`` tokens, about ``seconds_left``
    to go (None: not known yet); ``documents``: attached documents are in it."""

    answer_id: int
    done: int
    total: int
    seconds_left: float | None = None
    documents: bool = False


@dataclass(frozen=True)
class TurnsLeftOut:
    """The oldest ``dropped`` messages did not fit in the model's context."""

    answer_id: int
    dropped: int


@dataclass(frozen=True)
class ContextShared:
    """How the context was shared out for an answer with documents (tokens)."""

    answer_id: int
    documents: int
    history: int
    answer: int
    n_ctx: int


@dataclass(frozen=True)
class AnswerFinished:
    """The answer ended and is saved (``saved`` None: saving failed, see
    ``save_error``). ``status``: complete / stopped / interrupted / error; ``error`` and
    ``error_code`` as the engine said; ``sources``: what to list under it (documents)."""

    conversation_id: int
    answer_id: int
    status: str
    error: str | None
    error_code: str | None
    retry_after: float | None
    stats: Mapping[str, Any] = field(default_factory=dict)
    saved: Message | None = None
    save_error: str | None = None
    sources: Context | None = None


@dataclass(frozen=True)
class AnswerNotStarted:
    """The question was saved but its answer could not be started (the history
    failed: a full disk): the question shows, with ``error``; Regenerate tries again."""

    conversation_id: int
    question_id: int
    error: str


@dataclass(frozen=True)
class SaveFailed:
    """The answer being written could not be saved (a full disk); it is kept in memory
    and saved again once it can be."""

    answer_id: int
    text: str


# -- tool calls -------------------------------------------------------------------------
@dataclass(frozen=True)
class ToolCallInfo:
    """One tool call of an answer as a view shows it: ``status`` is asking, running,
    done, failed or denied; ``result`` what the model read (``shown``: what the user
    sees, if different); ``ms`` the time the tool took (None while it runs)."""

    id: int
    tool: str
    arguments: str
    status: str
    result: str = ""
    shown: str | None = None
    is_error: bool = False
    ms: int | None = None
    title: str = ""  # the tool's own title for the user, if it has one


@dataclass(frozen=True)
class ToolCallProposed:
    """The model wants to call a tool that asks first: the view asks the user and
    answers with :meth:`app.session.service.Session.approve_tool`."""

    answer_id: int
    call: ToolCallInfo


@dataclass(frozen=True)
class ToolCallStarted:
    """A tool call is running (approved, or one that does not ask)."""

    answer_id: int
    call: ToolCallInfo


@dataclass(frozen=True)
class ToolCallFinished:
    """A tool call ended: done, failed (an error the model reads, or the loop's limit:
    then ``call.result`` is the note) or denied. The answer goes on unless it ended."""

    answer_id: int
    call: ToolCallInfo


# -- change notices ---------------------------------------------------------------------
@dataclass(frozen=True)
class ConversationsChanged:
    """The list of conversations changed (one added, renamed, pinned, deleted, or a
    new last message moved it)."""


@dataclass(frozen=True)
class ConversationChanged:
    """The messages of one conversation changed other than by the answer streaming
    (a message added, deleted, edited into a branch, another branch chosen)."""

    conversation_id: int


Event = (AnswerStarted | ReasoningAdded | AnswerAdded | PromptProgressed | TurnsLeftOut
         | ContextShared | AnswerFinished | AnswerNotStarted | SaveFailed
         | ToolCallProposed | ToolCallStarted | ToolCallFinished | ConversationsChanged
         | ConversationChanged)
