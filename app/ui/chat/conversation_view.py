"""The conversation on screen: the chat column, as a view of the session.

:class:`ConversationView` shows one conversation of the history in the
:class:`ChatView` (its messages, the answer being written, cards that are not messages)
and forwards what the user does there (send, regenerate, edit, delete, switch branch)
to the :class:`app.session.service.Session`. What the session reports comes back as
events (:mod:`app.session.events`) and is rendered here; an answer that belongs to a
conversation not on screen goes on being saved by the session and is shown again, live,
when its conversation is opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.chats.errors import ChatStoreError
from app.engine import protocol
from app.session import events
from app.ui.chat.empty import EmptyState
from app.ui.chat.messages import AssistantMessage, UserMessage
from app.ui.language import user_errors as errors

if TYPE_CHECKING:
    from app.chats.store import Message
    from app.session.service import LiveAnswer, Session
    from app.ui.chat.attachments import Attachments
    from app.ui.chat.chatview import ChatView
    from app.ui.chat.composer import Composer
    from app.ui.services.model_control import ModelControl
    from app.ui.widgets.topbar import TopBar

log = logging.getLogger(__name__)

MODELS = "models"  # the empty chat's "Download a model": the Models window


class ConversationView(QObject):
    """Signals:
        opened(object): the conversation on screen changed (its id, or None: new chat).
        action(str): a card's button (errors.RETRY, errors.OPEN_MODEL, …) for the
            window, which owns the dialogs.
        answer_finished(object, object): an answer ended (its id, the event).
        too_long(object): an answer failed because its question did not fit (the
            AnswerFinished event); the window offers what helps.
        tool_requested(object, str, str): a tool card's "Always in this chat" or a
            file's "Save…" (the conversation's id, then ``ToolCallCard.requested``).
    """

    opened = Signal(object)
    action = Signal(str)
    answer_finished = Signal(object, object)
    too_long = Signal(object)
    tool_requested = Signal(object, str, str)

    def __init__(self, session: Session, chat: ChatView, topbar: TopBar,
                 composer: Composer, attachments: Attachments, models: ModelControl,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.chat = chat
        self.topbar = topbar
        self.composer = composer
        self.attachments = attachments
        self.models = models
        self.conversation_id: int | None = None
        self.empty: EmptyState | None = None
        self.notices: list[QWidget] = []
        self.live: AssistantMessage | None = None  # the answer being written, on screen
        self._queued_for: int | None = None  # the conversation a waiting message is for
        session.subscribe(self._on_event)
        composer.queued_changed.connect(self._on_queued_changed)
        # What the model can read before the question, it reads while the user types.
        self.opened.connect(self._read_ahead)
        attachments.documents_changed.connect(self._read_ahead)
        attachments.read_whole_requested.connect(self._read_ahead)
        models.loaded.connect(lambda _info: self._read_ahead(self.conversation_id))
        composer.effort.currentIndexChanged.connect(  # the effort is in the prompt
            lambda _index: self._read_ahead(self.conversation_id))

    # -- showing ------------------------------------------------------------------------
    def show_new(self) -> None:
        """An empty chat; the conversation is created with its first message."""
        self.conversation_id = None
        self.attachments.show_conversation(None)
        self.topbar.set_title(self.tr("New chat"))
        self.show_stats(None)
        self._unqueue()
        self.show_empty()
        self.opened.emit(None)

    def show_empty(self) -> None:
        """What Cove can do, or what is happening while a model loads."""
        self.live = None
        self.chat.clear()
        self.notices.clear()
        model = self.models.model
        self.empty = EmptyState(model.name if model is not None else None,
                                self.chat.column, loading=self.models.loading)
        self.empty.open_model_requested.connect(self.topbar.model_button.showMenu)
        self.empty.download_requested.connect(lambda: self.action.emit(MODELS))
        self.empty.prompt_chosen.connect(self._on_example_chosen)
        self.chat.show_widget(self.empty)
        self.chat.scroll_to_top()

    def _read_ahead(self, conversation_id: int | None) -> None:
        if conversation_id is not None and conversation_id == self.conversation_id:
            self.session.read_ahead(conversation_id, self.composer.current_effort())

    def _on_example_chosen(self, text: str) -> None:
        self.composer.input.setPlainText(text)
        self.composer.input.setFocus()

    def show(self, conversation_id: int, focus_message: int | None = None) -> bool:
        """Show a conversation (False when it is gone: deleted, or unreadable)."""
        conv = self.guard(self.session.store.conversation, conversation_id)
        if conv is None or conv.deleted_at is not None:
            return False
        self.conversation_id = conversation_id
        self.attachments.show_conversation(conversation_id)
        self.empty = None
        self.notices.clear()
        self.topbar.set_title(conv.title or self.tr("New chat"))
        self.live = None
        live = self.session.live_answer(conversation_id)  # saved first, so it is read
        messages = self.guard(self.session.store.path, conversation_id) or []
        branches = self.guard(self.session.store.branch_points, conversation_id) or {}
        busy = self.session.generating
        streaming = messages[-1] if live is not None and messages and \
            messages[-1].id == live.answer_id else None
        self.chat.show_messages(
            messages[:-1] if streaming else messages,
            lambda m: self.widget_for(m, busy, branches.get(m.id, (1, 1))))
        if live is not None and streaming is not None:  # live, as when it began
            self.chat.append(self._resume(live, streaming, branches.get(streaming.id, (1, 1))))
        self.show_stats(next((m for m in reversed(messages) if m.role == "assistant"), None))
        self._unqueue()
        if not messages:
            self.show_empty()
        if focus_message is not None:
            self.chat.scroll_to(focus_message)
        self.opened.emit(conversation_id)
        return True

    def show_stats(self, last: Message | None) -> None:
        """The top bar's context and speed for the conversation on screen: its last
        answer's, when the model now loaded wrote it; else the model's bare context
        (another model's speed or token count says nothing about this one)."""
        model = self.models.model
        n_ctx = model.n_ctx if model is not None else None
        if last is not None and model is not None and last.model == model.name:
            self.topbar.set_speed(last.tokens_per_s)
            used = None if last.prompt_tokens is None else \
                (last.prompt_tokens or 0) + (last.completion_tokens or 0)
            self.topbar.set_context(used, n_ctx)
        else:
            self.topbar.set_speed(None)
            self.topbar.set_context(None, n_ctx)

    def widget_for(self, message: Message, busy: bool = False,
                   place: tuple[int, int] = (1, 1)) -> UserMessage | AssistantMessage:
        widget: UserMessage | AssistantMessage
        if message.role == "user":
            widget = UserMessage(message.id, message.content, self.chat.column)
            widget.edit_submitted.connect(self.edit_and_resend)
        else:
            widget = AssistantMessage(message.id, self.chat.column)
            widget.tool_requested.connect(self._on_tool_requested)
            status = "interrupted" if message.status == "streaming" else message.status
            widget.load(message.content, message.reasoning, status, message.error,
                        message.reasoning_ms, self.answer_info(message))
            widget.load_tool_calls(message.calls())
            widget.regenerate_requested.connect(self.regenerate)
            widget.error_action.connect(self.action.emit)
            self._show_sources(message.conversation_id, message.id, widget)
            if message.status == "error" and message.error:
                described = errors.describe(None, message.error)
                widget.show_error(described.title, described.text, described.actions)
        widget.delete_requested.connect(self.delete_message)
        widget.navigate.connect(self.show_sibling)
        widget.set_siblings(place[0] - 1, place[1])
        widget.set_editable(not busy)
        return widget

    def _show_sources(self, conversation_id: int, answer_id: int,
                      widget: AssistantMessage) -> None:
        context = self.session.sources(conversation_id, answer_id)
        if context is not None:
            self.attachments.show_sources(widget, context)

    def _on_tool_requested(self, what: str, value: str) -> None:
        self.tool_requested.emit(self.conversation_id, what, value)

    def answer_info(self, message: Message) -> str:
        parts = []
        if message.model:
            parts.append(message.model)
        if message.tokens_per_s:
            parts.append(self.tr("%1 tokens/s").replace(
                "%1", QLocale().toString(float(message.tokens_per_s), "f", 1)))
        return " · ".join(parts)

    def _streaming_widget(self, answer_id: int, can_answer_now: bool) -> AssistantMessage:
        widget = AssistantMessage(answer_id, self.chat.column)
        widget.regenerate_requested.connect(self.regenerate)
        widget.delete_requested.connect(self.delete_message)
        widget.navigate.connect(self.show_sibling)
        widget.answer_now.connect(self.session.answer_now)
        widget.tool_decided.connect(self.session.approve_tool)
        widget.tool_requested.connect(self._on_tool_requested)
        widget.set_answer_now_available(can_answer_now)
        widget.error_action.connect(self.action.emit)
        widget.start_streaming(self.models.reasons)
        return widget

    def _resume(self, live: LiveAnswer, message: Message,
                place: tuple[int, int]) -> AssistantMessage:
        """A widget again for the answer being written, with what it holds so far."""
        widget = self._streaming_widget(message.id, self.session.engine.can_answer_now)
        widget.set_siblings(place[0] - 1, place[1])
        if message.reasoning:
            widget.resume_reasoning(message.reasoning, live.reasoning_from,
                                    live.reasoning_until)
        if message.content:
            widget.add_answer(message.content)
        widget.load_tool_calls(message.calls())
        self.live = widget
        return widget

    # -- the user's actions -------------------------------------------------------------
    def send(self, text: str, effort: str, from_box: bool = True) -> None:
        """Send ``text``; ``from_box``: it is what the message box holds (emptied once
        the message is saved). A message that waited is not: the box then holds what
        the user wrote since."""
        if self.session.generating or not text.strip():
            return
        conversation_id = self.ensure_conversation()
        if conversation_id is None:
            return
        message = self.guard(self.session.send, conversation_id, text, effort)
        if message is not None and from_box:
            self.composer.take_text()

    def ensure_conversation(self) -> int | None:
        """The conversation on screen, created now if it has no message yet."""
        if self.conversation_id is None:
            conv = self.guard(self.session.create_conversation)
            if conv is None:
                return None
            self.conversation_id = conv.id
            self.opened.emit(conv.id)
        return self.conversation_id

    def regenerate(self, answer_id: int) -> None:
        if self.session.generating or self.conversation_id is None:
            return
        if self.models.model is None:
            self.notice(*no_model())
            return
        target = self.guard(self.session.store.message, answer_id)
        if target is None or target.parent_id is None:
            return
        self.chat.remove_after(target.parent_id)
        self.clear_notices()
        self.guard(self.session.regenerate, answer_id, self.composer.current_effort())

    def retry(self) -> None:
        """The last answer again (a card's Retry)."""
        last = next((w for w in reversed(self.chat.widgets)
                     if isinstance(w, AssistantMessage)), None)
        if last is not None:
            self.regenerate(last.message_id)

    def edit_and_resend(self, message_id: int, text: str) -> None:
        if self.session.generating or self.conversation_id is None:
            return
        ready = self.models.model is not None
        message = self.guard(self.session.edit_and_resend, message_id, text,
                             self.composer.current_effort(), ready)
        if message is not None and not ready:
            self.notice(*no_model())

    def show_sibling(self, message_id: int, delta: int) -> None:
        if self.session.generating or self.conversation_id is None:
            return
        target = self.guard(self.session.sibling, message_id, delta)
        if target is not None:  # the session's notice showed the branch
            self.chat.scroll_to(target.id)

    def delete_message(self, message_id: int, confirm: bool = True) -> None:
        if self.session.generating or self.conversation_id is None:
            return
        if confirm and not self._confirm_delete():
            return
        self.guard(self.session.delete_message, message_id)

    def _confirm_delete(self) -> bool:
        answer = QMessageBox.question(
            self.chat, self.tr("Delete message"),
            self.tr("Delete this message and everything after it in this branch? "
                    "This cannot be undone."))
        return answer == QMessageBox.StandardButton.Yes

    def copy_last_answer(self) -> str | None:
        for widget in reversed(self.chat.widgets):
            if isinstance(widget, AssistantMessage) and widget.answer:
                return widget.answer
        return None

    # -- the session's events -----------------------------------------------------------
    def _on_event(self, event: events.Event) -> None:
        if isinstance(event, events.AnswerStarted):
            self._on_started(event)
        elif isinstance(event, events.AnswerFinished):
            self._on_finished(event)
        elif isinstance(event, events.ConversationChanged):
            if event.conversation_id == self.conversation_id and not self.session.generating:
                self.show(event.conversation_id)
        elif isinstance(event, events.AnswerNotStarted):
            if event.conversation_id == self.conversation_id:
                self.show(event.conversation_id)  # the question, saved
                self.notice(self.tr("The answer could not be started"), event.error, [])
        elif isinstance(event, events.SaveFailed):
            self.notice(self.tr("The answer is not being saved"), event.text, [])
        elif isinstance(event, events.ContextShared):
            self.attachments.show_meter(event.documents, event.history, event.answer,
                                        event.n_ctx)
        elif self.live is not None and getattr(event, "answer_id", None) == \
                self.live.message_id:
            self._on_streamed(event, self.live)

    def _on_started(self, event: events.AnswerStarted) -> None:
        for widget in self.chat.widgets:
            widget.set_editable(False)
        self.composer.set_generating(True)
        if event.conversation_id != self.conversation_id:
            return
        if self.empty is not None:
            self.chat.remove_widget(self.empty)
            self.empty = None
        self.clear_notices()
        if self.chat.widget_for(event.question_id) is None:
            question = event.question or \
                self.guard(self.session.store.message, event.question_id)
            if question is not None:
                self.chat.append(self.widget_for(question, busy=True))
        conv = self.guard(self.session.store.conversation, event.conversation_id)
        self.topbar.set_title(conv.title if conv is not None and conv.title
                              else self.tr("New chat"))
        widget = self._streaming_widget(event.answer_id, event.can_answer_now)
        if event.place[1] > 1:
            widget.set_siblings(event.place[0] - 1, event.place[1])
        self.chat.append(widget)
        self.live = widget

    def _on_streamed(self, event: events.Event, widget: AssistantMessage) -> None:
        if isinstance(event, events.ReasoningAdded):
            widget.add_reasoning(event.text)
        elif isinstance(event, events.AnswerAdded):
            widget.add_answer(event.text)
        elif isinstance(event, events.PromptProgressed):
            widget.set_prompt_progress(event.done, event.total, event.seconds_left,
                                       event.documents)
        elif isinstance(event, (events.ToolCallProposed, events.ToolCallStarted,
                                events.ToolCallFinished)):
            widget.show_tool_call(event.call)
        elif isinstance(event, events.TurnsLeftOut):
            self.chat.add_info(self.tr(
                "%1 earlier message(s) no longer fit in the model's context and were left "
                "out of this answer.").replace("%1", str(event.dropped)))

    def _on_finished(self, event: events.AnswerFinished) -> None:
        widget = self.live if self.live is not None and \
            self.live.message_id == event.answer_id else None
        self.live = None
        if event.save_error is not None:
            self.notice(self.tr("The answer could not be saved"), event.save_error, [])
        if widget is not None:
            thinking = widget.thinking
            if thinking is not None and thinking.duration_s is None and thinking.started:
                thinking.finish()
            saved = event.saved
            widget.finish(event.status, None, self.answer_info(saved) if saved else "")
            if widget.thinking is not None and saved is not None:
                widget.thinking.set_duration_ms(saved.reasoning_ms)  # the time saved
            if event.sources is not None:
                self.attachments.show_sources(widget, event.sources)
            if event.error is not None:
                self._show_error(event, widget)
            stats = event.stats
            if stats.get("tokens_per_s") is not None:
                self.topbar.set_speed(stats.get("tokens_per_s"))
            if stats.get("n_ctx"):
                self.topbar.set_context(stats.get("context_used"), stats.get("n_ctx"))
        self.composer.set_generating(False)
        for each in self.chat.widgets:
            each.set_editable(True)
        self.answer_finished.emit(event.answer_id, event)
        # The waiting message goes on the next turn of the event loop: every view hears
        # of this answer's end before the next answer starts.
        failed = event.error is not None
        QTimer.singleShot(0, self, lambda: self._send_queued(failed))

    def _show_error(self, event: events.AnswerFinished, widget: AssistantMessage) -> None:
        if event.error_code == protocol.TOO_LONG:
            self.too_long.emit(event)
            return
        described = errors.describe(event.error_code, event.error or "",
                                    retry_after=event.retry_after)
        widget.show_error(described.title, described.text, described.actions)

    # -- a message written while an answer streams ----------------------------------------
    def _on_queued_changed(self) -> None:
        self._queued_for = self.conversation_id if self.composer.queued else None

    def _send_queued(self, failed: bool) -> None:
        """The answer ended: the message that waited is sent now, in its conversation.
        After a failure it goes back into the box instead (the user decides)."""
        if self.composer.queued is None or self.session.closed:
            return
        if failed or self._queued_for != self.conversation_id or self.models.model is None:
            self._unqueue()
            return
        taken = self.composer.take_queued()
        if taken is not None:
            self.send(*taken, from_box=False)

    def _unqueue(self) -> None:
        """Another conversation on screen: a waiting message goes back into the box
        (it was written for the one it left), never lost and never sent elsewhere."""
        if self.composer.queued is not None:
            self.composer.unqueue()

    # -- cards that are not messages ----------------------------------------------------
    def notice(self, title: str, text: str, actions: list[tuple[str, str]] | None = None
               ) -> QWidget:
        """A card in the chat (not saved); its buttons go to ``action``."""
        if self.empty is not None:
            self.chat.remove_widget(self.empty)
            self.empty = None
        card = self.chat.add_notice(title, text, actions or [], self.action.emit)
        self.notices.append(card)
        return card

    def clear_notices(self) -> None:
        for card in self.notices:
            self.chat.remove_widget(card)
        self.notices.clear()

    def guard(self, func: Callable[..., Any], *args: Any) -> Any:
        """A history call; its failure (a full disk, a locked file) becomes a card."""
        try:
            return func(*args)
        except ChatStoreError as exc:
            log.warning("history: %s", exc)
            self.notice(self.tr("The history could not be changed"), str(exc), [])
            return None


def no_model() -> tuple[str, str, list[tuple[str, str]]]:
    described = errors.describe(protocol.NOT_LOADED, "")
    return described.title, described.text, described.actions
