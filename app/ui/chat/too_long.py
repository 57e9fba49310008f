"""A message too long for the model's context, and what helps.

When an answer fails because its question did not fit (``too_long``), the card offers
what helps: the text as a document of the conversation (searched, so only the passages
a question needs go into the prompt), or a longer context when this computer has the
memory for one. A longer context is never suggested when there is none to choose
(Automatic already chose the largest that fits). The text's file is erased once the
document is read (``app.documents.pasted``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Signal

from app.documents.pasted import PastedTexts
from app.ui.language import user_errors as errors
from app.ui.language.wording import reason_text

if TYPE_CHECKING:
    from app.engine.model_info import ModelInfo
    from app.session.events import AnswerFinished
    from app.ui.chat.attachments import Attachments
    from app.ui.chat.conversation_view import ConversationView

log = logging.getLogger(__name__)

ATTACH_TEXT = "attach_text"
LONGER_CONTEXT = "longer_context"
ATTACH_MIN_CHARS = 2000  # a message this long is a pasted text, worth a document


class TooLong(QObject):
    """Signals:
        longer_context(int): the user chose a longer context (the window reloads the
            model with it).
    """

    longer_context = Signal(int)

    def __init__(self, view: ConversationView, attachments: Attachments) -> None:
        super().__init__(view)
        self.view = view
        self.attachments = attachments
        self._answer_id: int | None = None  # the answer whose question did not fit
        self._longer: int | None = None  # the context the card offers
        self.pasted = PastedTexts(attachments.documents)
        self.pasted.sweep()  # texts read (or dropped) before a crash or the last close
        view.too_long.connect(self.explain)

    def explain(self, event: AnswerFinished) -> None:
        """The card under the failed answer, with what helps."""
        self._answer_id = event.answer_id
        store = self.view.session.store
        actions: list[tuple[str, str]] = []
        answer = self.view.guard(store.message, event.answer_id)
        question = self.view.guard(store.message, answer.parent_id) \
            if answer is not None and answer.parent_id is not None else None
        if question is not None and len(question.content) >= ATTACH_MIN_CHARS:
            actions.append((ATTACH_TEXT, self.tr("Attach the text as a document")))
        self._longer = longer_context(self.view.models.model)
        if self._longer:
            actions.append((LONGER_CONTEXT, self.tr("Use a %1-token context").replace(
                "%1", QLocale().toString(self._longer))))
        if actions:
            advice = self.tr(
                "Your conversation is safe. Attached as a document, the text is searched "
                "and only the passages your question needs go to the model; a longer "
                "context holds more at once but uses more memory.")
        else:
            advice = self.tr(
                "Your conversation is safe. This computer has no memory for a longer "
                "context with this model: shorten the message, or attach long texts as "
                "documents with Attach.")
        described = errors.UserError(self.tr("The message does not fit in the context"),
                                     f"{advice}\n\n{reason_text(event.error or '')}",
                                     actions)
        widget = self.view.chat.widget_for(event.answer_id)
        if widget is not None and hasattr(widget, "show_error"):
            widget.show_error(described.title, described.text, described.actions)

    def act(self, action: str) -> bool:
        """A card's button; False if it is not one of this card's."""
        if action == ATTACH_TEXT:
            self.attach_text()
        elif action == LONGER_CONTEXT and self._longer:
            self.longer_context.emit(self._longer)
        else:
            return False
        return True

    def attach_text(self) -> None:
        """The message that did not fit becomes a document of its conversation: saved
        as a text file in Cove's data folder (until it is read) and attached; the
        failed message and its error leave the chat, and the user asks about the text
        anew."""
        view, store = self.view, self.view.session.store
        answer = view.guard(store.message, self._answer_id) \
            if self._answer_id is not None else None
        question = view.guard(store.message, answer.parent_id) \
            if answer is not None and answer.parent_id is not None else None
        if question is None or view.conversation_id is None or view.session.generating:
            return
        name = self.tr("Pasted text %1.txt").replace("%1", str(question.id))
        try:
            path = self.pasted.save(name, question.content)
        except OSError as exc:
            view.notice(self.tr("The text could not be attached"), self.tr(
                "Your message is safe in the conversation. The file could not be "
                "written: %1").replace("%1", str(exc)), [])
            return
        self._answer_id = None
        view.guard(view.session.delete_message, question.id)
        self.attachments.attach_paths([path])
        view.chat.add_info(self.tr("Your text is attached as “%1”. Ask your question "
                                   "about it.").replace("%1", name))
        view.composer.input.setFocus()


def longer_context(model: ModelInfo | None) -> int | None:
    """A longer context than the loaded one that the model supports and this
    computer's memory holds (the hardware planner's answer), or None."""
    if model is None or model.remote or not model.path or not model.n_ctx or \
            model.n_ctx_train <= model.n_ctx:
        return None
    try:
        from app.hardware import detect, facts, plan

        chosen = plan.plan(facts.read_model_facts(Path(model.path)),
                           facts.machine_facts(detect.detect()), model.n_ctx_train)
    except Exception:  # no offer is better than a wrong one
        log.exception("could not plan a longer context")
        return None
    return chosen.n_ctx if chosen.fits and chosen.n_ctx > model.n_ctx else None
