"""The conversation service: what happens when someone sends a message.

:class:`Session` is driven from one thread (the GUI thread in the window, the main
thread of ``cove chat``): every method is called there and every event is delivered
there. The model runs elsewhere (:class:`app.session.ports.Engine`), and its messages
come back through ``call_soon``, which the window makes a queued Qt call and the command
line a plain call.

What the session decides, once, for every view:

* the history: the question is saved before anything is sent; the answer is saved as
  it grows (:class:`app.chats.writer.AnswerWriter`, at most about a second lost to a
  crash) and finished with its status and stats;
* the request: the branch up to the question, the conversation's instructions (or the
  default), the answer's room, and the conversation's documents
  (:class:`app.session.ports.AnswerDocuments`, searched on the engine thread);
* the lifecycle: one answer at a time; stop, "Answer now", regenerate, edit and resend;
  a conversation switched while an answer streams goes on being saved
  (:meth:`Session.live_answer` gives a view what it needs to show it again); a worker
  that crashed is restarted;
* change notices, so the views react instead of being refreshed by hand;
* tools: an answer that ends in a tool call goes on after the tool ran
  (:mod:`app.session.tools`: checks, limits, approval), each call an event and a part
  of the saved answer.

History failures (a full disk, a locked file) raise
:class:`app.chats.errors.ChatStoreError` from the method that was called; the caller
tells the user. Failures while an answer streams arrive as events.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.chats.errors import ChatStoreError
from app.config import at_rest
from app.engine import events as engine_events
from app.engine import protocol
from app.engine.kv_store import PURPOSE
from app.engine.transcript import Reply
from app.session import events
from app.session.conversations import Conversations
from app.session.ports import AnswerDocuments, ChatRequest, Engine, EngineMessage, ReadsAhead
from app.session.tools import (
    ASKING,
    DENIED,
    DONE,
    FAILED,
    RUNNING,
    ToolLimits,
    ToolLoop,
    ToolRun,
    history_steps,
)
from app.tools.base import Tool, ToolResult
from app.tools.base import error as tool_error

if TYPE_CHECKING:
    from app.chats.store import ChatStore, Message
    from app.chats.writer import AnswerWriter
    from app.engine.backend import Backend

log = logging.getLogger(__name__)

CallSoon = Callable[[Callable[[], None]], None]
# The tools an answer may use: (conversation id, answer id) → tools. Called on the
# session's thread as the answer starts, so it must be quick (start nothing slow here);
# the answer id lets a tool keep what it found for that answer (the documents' sources).
ToolsFor = Callable[[int, int], Sequence[Tool]]


@dataclass(frozen=True)
class AnswerOptions:
    """What an answer is asked with, besides the conversation (from Settings, or the
    command line's flags)."""

    instructions: str = ""  # the default, for a conversation without its own
    sampling: dict[str, Any] = field(default_factory=dict)
    max_tokens: int | None = None


@dataclass
class LiveAnswer:
    """The answer being written, for a view that shows it again (after switching
    conversations): the history holds its text so far (flushed before this is given);
    ``reasoning_from``/``until`` are monotonic times, so a rebuilt Thinking block shows
    the real thinking time."""

    conversation_id: int
    answer_id: int
    reasoning_from: float | None
    reasoning_until: float | None


@dataclass
class _Generation:
    conversation_id: int
    answer_id: int
    writer: AnswerWriter
    reply: Reply = field(default_factory=Reply)
    reasoning_from: float | None = None
    reasoning_until: float | None = None
    request: ChatRequest | None = None
    loop: ToolLoop | None = None
    sent: tuple[list[dict[str, Any]], str] | None = None  # after the documents step
    step_reasoning: str = ""  # reasoning since the last call (kept with the next)
    documents: bool = False  # the request holds attached documents
    tool_thread: threading.Thread | None = None


class Session(Conversations):
    """Conversations, and the one answer being written; see the module docstring."""

    def __init__(self, store: ChatStore, engine: Engine,
                 documents: AnswerDocuments | None = None,
                 options: Callable[[], AnswerOptions] = AnswerOptions,
                 call_soon: CallSoon | None = None, tools: ToolsFor | None = None,
                 tool_limits: ToolLimits | None = None) -> None:
        """``call_soon`` None: everything runs on the calling thread (``cove chat``,
        tests): a tool runs before the call that started it returns, and a call that
        asks first is denied unless a listener approves it while being told.
        ``tools`` gives the tools a conversation may use (none by default)."""
        super().__init__(store, documents)
        self.engine = engine
        self._options = options
        self._direct = call_soon is None
        self._call_soon: CallSoon = call_soon or (lambda fn: fn())
        self._tools_for = tools
        self.tool_limits = tool_limits or ToolLimits()
        self._proposing = False
        self._generation: _Generation | None = None
        self._closed = False
        self._read_after: tuple[int, str] | None = None  # asked while answering
        if isinstance(engine, ReadsAhead):  # the documents read stay read after a restart
            key = at_rest.file_key(PURPOSE) if store.key is not None else None
            if store.key is None or key is not None:  # sealed as the history is, or plain
                engine.keep_states(key)

    # -- state --------------------------------------------------------------------------
    @property
    def generating(self) -> bool:
        """Whether an answer is being written."""
        return self._generation is not None

    @property
    def answering_in(self) -> int | None:
        """The conversation of the answer being written, if any."""
        gen = self._generation
        return gen.conversation_id if gen is not None else None

    @property
    def answer_id(self) -> int | None:
        """The message id of the answer being written, if any."""
        gen = self._generation
        return gen.answer_id if gen is not None else None

    def live_answer(self, conversation_id: int) -> LiveAnswer | None:
        """The answer being written in ``conversation_id``, its text so far saved first
        (None when none is)."""
        gen = self._generation
        if gen is None or gen.conversation_id != conversation_id:
            return None
        self.flush()
        return LiveAnswer(gen.conversation_id, gen.answer_id, gen.reasoning_from,
                          gen.reasoning_until)

    def flush(self) -> None:
        """Save what the answer being written holds now (before it is shown again or
        exported); a failure is logged: the text stays in memory, saved later."""
        gen = self._generation
        if gen is None:
            return
        try:
            gen.writer.flush()
        except ChatStoreError as exc:
            log.warning("could not save the answer being written: %s", exc)

    # -- answers ------------------------------------------------------------------------
    def send(self, conversation_id: int | None, text: str, effort: str = "medium"
             ) -> Message | None:
        """Save ``text`` as the user's next message (in a new conversation when
        ``conversation_id`` is None) and start its answer. Returns the saved message
        (its ``conversation_id`` names the conversation); None when nothing was sent
        (an answer is being written, or the text is blank)."""
        if self._closed or self.generating or not text.strip():
            return None
        if conversation_id is None:
            conversation_id = self.store.create_conversation("").id
        message = self.store.add_user_message(conversation_id, text)
        self._emit(events.ConversationsChanged())  # new, or a title from the question
        try:
            self._start_answer(conversation_id, message.id, effort, message)
        except ChatStoreError as exc:  # the question is saved: it is sent, not lost
            self._emit(events.AnswerNotStarted(conversation_id, message.id, str(exc)))
        return message

    def regenerate(self, answer_id: int, effort: str = "medium") -> bool:
        """Answer the same question again (the old answer stays as a sibling), with the
        effort it was asked with. False when it cannot start."""
        if self._closed or self.generating:
            return False
        target = self.store.message(answer_id)
        if target.parent_id is None:
            return False
        self._start_answer(target.conversation_id, target.parent_id,
                           target.effort or effort)
        return True

    def edit_and_resend(self, message_id: int, text: str, effort: str = "medium",
                        answer: bool = True) -> Message | None:
        """The edited question becomes a new branch; it is answered when ``answer``
        (and a model is loaded). Returns the new message."""
        if self._closed or self.generating:
            return None
        message = self.store.edit_and_branch(message_id, text)
        self._emit(events.ConversationChanged(message.conversation_id))
        if answer and self.engine.model is not None:
            self._start_answer(message.conversation_id, message.id, effort)
        return message

    def stop(self) -> None:
        """Stop the answer being written; what it holds is kept, marked stopped."""
        gen = self._generation
        if gen is None:
            return
        run = gen.loop.current if gen.loop is not None else None
        if run is None:
            self.engine.cancel()
            return
        # No chat is in flight while a tool is asked about or runs: end it here.
        run.cancel.set()
        gen.loop.finish(run, tool_error("Stopped by the user."),  # type: ignore[union-attr]
                        DENIED if run.status == ASKING else FAILED)
        self._tool_finished(gen, run)
        gen.reply.finish_reason = "cancelled"
        self._finish(gen)

    def answer_now(self) -> None:
        """End the reasoning: the model writes its final answer at once (during a tool
        call: the call is stopped, and the model answers with what it has)."""
        gen = self._generation
        if gen is None:
            return
        run = gen.loop.current if gen.loop is not None else None
        if run is None:
            self.engine.answer_now()
            return
        assert gen.loop is not None
        run.cancel.set()
        gen.loop.offers_tools = False
        gen.loop.finish(run, tool_error("The user asked for the answer now: answer with "
                                        "what you have, without tools."),
                        DENIED if run.status == ASKING else FAILED)
        self._tool_finished(gen, run)
        self._continue(gen)

    def approve_tool(self, call_id: int, approved: bool) -> None:
        """The user's answer to :class:`app.session.events.ToolCallProposed`."""
        gen = self._generation
        run = gen.loop.current if gen is not None and gen.loop is not None else None
        if gen is None or run is None or run.id != call_id or run.status != ASKING:
            return
        if self._proposing:
            run.decision = approved  # answered while being told: acted on right after
            return
        self._decided(gen, run, approved)

    def _start_answer(self, conversation_id: int, question_id: int, effort: str,
                      question: Message | None = None) -> None:
        model = self.engine.model
        writer = self.store.start_answer(conversation_id, question_id,
                                         model.name if model is not None else "", effort)
        gen = _Generation(conversation_id, writer.message_id, writer)
        tools = self._tools_for(conversation_id, gen.answer_id) \
            if self._tools_for is not None else []
        if tools and (model is None or model.harmony):
            gen.loop = ToolLoop(tools, self.tool_limits)
        writer.on_save_error = lambda exc: self._call_soon(
            lambda: self._emit(events.SaveFailed(gen.answer_id, str(exc))))
        try:
            request = self._request(conversation_id, question_id, effort, gen)
            siblings = self.store.siblings(writer.message_id)
        except Exception:
            self._abandon(writer)
            raise
        if self.documents is not None:
            self.documents.answer_started(gen.answer_id)
            self.documents.set_answering(True)
        self._generation = gen
        self._emit(events.AnswerStarted(
            conversation_id, gen.answer_id, question_id, (len(siblings), len(siblings)),
            reasons=model is None or model.harmony,
            can_answer_now=self.engine.can_answer_now, question=question))
        gen.request = request
        self.engine.chat(request, self._deliver(gen))

    def _deliver(self, gen: _Generation) -> Callable[[EngineMessage], None]:
        return lambda msg: self._call_soon(lambda: self._on_message(gen, msg))

    def _abandon(self, writer: AnswerWriter) -> None:
        """An answer that could not be started is not left 'streaming' in the file."""
        try:
            writer.finish("error", "The answer could not be started.")
        except ChatStoreError:
            log.exception("could not mark the abandoned answer")

    def _request(self, conversation_id: int, question_id: int, effort: str,
                 gen: _Generation) -> ChatRequest:
        """The branch up to the question (failed answers left out), the instructions,
        and the documents step that runs on the engine thread."""
        messages = request_messages(self.store.path(conversation_id, question_id))
        conv = self.store.conversation(conversation_id)
        options = self._options()
        instructions = conv.system_prompt if conv.system_prompt is not None \
            else options.instructions
        model = self.engine.model
        n_ctx = model.n_ctx if model is not None and model.n_ctx else 8192
        documents = self.documents
        prepare = None
        gen.sent = (list(messages), instructions or "")
        offers = [dict(o) for o in gen.loop.offers] if gen.loop is not None else []
        if documents is not None:
            def prepare(backend: Backend, post: Callable[[Any], None]
                        ) -> tuple[list[dict[str, str]], str]:
                probe = getattr(backend, "probe", None)
                prepared = documents.prepare(
                    conversation_id, gen.answer_id, messages, instructions or "", n_ctx,
                    options.max_tokens, count=getattr(backend, "count_tokens", None),
                    also=[json.dumps(o, ensure_ascii=False) for o in offers],
                    probe=None if probe is None else
                    (lambda m, i: probe(m, i, effort, offers)))
                if prepared is None:
                    return messages, instructions or ""
                post(events.ContextShared(gen.answer_id, prepared.documents,
                                          prepared.history, prepared.answer,
                                          prepared.n_ctx))
                # The continuation after a tool call sends the same (the KV cache).
                gen.sent = (list(prepared.messages), prepared.instructions)
                gen.documents = True
                return prepared.messages, prepared.instructions
        return ChatRequest(messages, instructions or "", effort, dict(options.sampling),
                           options.max_tokens or None, prepare, offers)

    def read_ahead(self, conversation_id: int | None, effort: str = "medium") -> bool:
        """Have the local model read what it knows of the conversation before the next
        question (the instructions, the documents whole, the turns so far) in the
        background, so the question, when it comes, evaluates only itself: when it is
        opened, a document of it is ready, a model is loaded, or the user asks to read a
        document whole. Typing never waits for it and any answer goes first. False when
        nothing was asked (no local model, nothing to read); asked while an answer is
        being written, it runs when that answer ends."""
        engine = self.engine
        model = engine.model
        if conversation_id is None or self._closed or model is None \
                or not isinstance(engine, ReadsAhead):
            return False
        if self.generating:
            self._read_after = (conversation_id, effort)
            return True
        try:
            messages = request_messages(self.store.path(conversation_id))
            conv = self.store.conversation(conversation_id)
        except ChatStoreError:
            return False
        options = self._options()
        rules = conv.system_prompt if conv.system_prompt is not None else options.instructions
        tools = self._tools_for(conversation_id, 0) if self._tools_for is not None else []
        offers = [dict(o) for o in ToolLoop(tools).offers] if tools and model.harmony else []
        documents, n_ctx = self.documents, model.n_ctx or 8192

        def prepare(backend: Backend, post: Callable[[Any], None]
                    ) -> tuple[list[dict[str, Any]], str]:
            ahead = documents.read_ahead(
                conversation_id, messages, rules or "", n_ctx, options.max_tokens,
                count=getattr(backend, "count_tokens", None),
                also=[json.dumps(o, ensure_ascii=False) for o in offers]) \
                if documents is not None else None
            return ahead or ([*messages, {"role": "user", "content": ""}], rules or "")

        engine.prefill(ChatRequest([], rules or "", effort, {}, options.max_tokens or None,
                                   prepare, offers))
        return True

    def _on_message(self, gen: _Generation, msg: EngineMessage | events.Event) -> None:
        """One message of ``gen``'s chat, on the session's thread (decoded here, once)."""
        if gen is not self._generation:
            return  # the tail of an answer already finished (closed, or stopped)
        if not isinstance(msg, dict):  # an event the documents step posted
            self._emit(msg)
            return
        event = engine_events.decode(msg)
        gen.reply.take(event)
        if isinstance(event, engine_events.Reasoning) and event.text:
            gen.step_reasoning += event.text
            gen.reasoning_from = gen.reasoning_from or time.monotonic()
            gen.writer.append(reasoning=event.text)
            self._emit(events.ReasoningAdded(gen.answer_id, event.text))
        elif isinstance(event, engine_events.AnswerText) and event.text:
            if gen.reasoning_from is not None and gen.reasoning_until is None:
                gen.reasoning_until = time.monotonic()
            gen.writer.append(answer=event.text)
            self._emit(events.AnswerAdded(gen.answer_id, event.text))
        elif isinstance(event, engine_events.PromptProgress):
            self._emit(events.PromptProgressed(gen.answer_id, event.done, event.total,
                                               event.seconds_left, gen.documents))
        elif isinstance(event, engine_events.ContextTrimmed):
            self._emit(events.TurnsLeftOut(gen.answer_id, event.dropped_turns))
        elif (isinstance(event, engine_events.Done) and event.call is not None
              and gen.loop is not None):
            self._on_tool_call(gen, event.call)
        elif isinstance(event, (engine_events.Done, engine_events.Failed)):
            self._finish(gen)

    # -- tools --------------------------------------------------------------------------
    def _on_tool_call(self, gen: _Generation, call: engine_events.ToolCall) -> None:
        """The generation ended in a call: check it, then ask, run, or answer it."""
        loop = gen.loop
        assert loop is not None
        verdict = loop.judge(call)
        run = loop.start(call, gen.step_reasoning, verdict.tool)
        gen.step_reasoning = ""
        if verdict.end is not None:
            run.status, run.result, run.is_error, run.ms = FAILED, verdict.end, True, 0
            self._tool_finished(gen, run)
            self._finish(gen)
            return
        if verdict.error is not None or verdict.tool is None:
            loop.finish(run, tool_error(verdict.error or "Error: no such tool."), FAILED)
            self._tool_finished(gen, run)
            self._continue(gen)
            return
        run.parsed = verdict.arguments
        if verdict.tool.spec.asks_first:
            run.status = ASKING
            self._save_calls(gen)
            self._proposing = True
            try:
                self._emit(events.ToolCallProposed(gen.answer_id, _info(run, loop)))
            finally:
                self._proposing = False
            if run.decision is not None or self._direct:
                self._decided(gen, run, bool(run.decision))
            return
        self._run_tool(gen, run)

    def _decided(self, gen: _Generation, run: ToolRun, approved: bool) -> None:
        assert gen.loop is not None
        if approved:
            self._run_tool(gen, run)
            return
        gen.loop.finish(run, tool_error("The user did not allow this call."), DENIED)
        self._tool_finished(gen, run)
        self._continue(gen)

    def _run_tool(self, gen: _Generation, run: ToolRun) -> None:
        """Run the call off this thread; its result comes back through call_soon
        (direct: this thread waits for it, Ctrl+C stops it)."""
        assert gen.loop is not None
        tool = gen.loop.tools[run.tool]
        run.status = RUNNING
        run.started_at = time.time()
        self._save_calls(gen)
        self._emit(events.ToolCallStarted(gen.answer_id, _info(run, gen.loop)))
        results: list[ToolResult] = []

        def work() -> None:
            started = time.perf_counter()
            try:
                result = tool.run(run.parsed, run.cancel)
            except Exception as exc:  # a tool's bug is the model's error result
                log.exception("the tool %s failed", run.tool)
                result = tool_error(f"Error: the tool failed ({type(exc).__name__}).")
            run.ms = int((time.perf_counter() - started) * 1000)
            if self._direct:
                results.append(result)  # taken on the calling thread, below
            else:
                self._call_soon(lambda: self._tool_result(gen, run, result))

        thread = threading.Thread(target=work, name="cove-tool", daemon=True)
        gen.tool_thread = thread
        thread.start()
        if self._direct:
            try:
                while thread.is_alive():
                    thread.join(0.1)
            except KeyboardInterrupt:
                self.stop()
                thread.join()
            if results:
                self._tool_result(gen, run, results[0])

    def _tool_result(self, gen: _Generation, run: ToolRun, result: ToolResult) -> None:
        if gen is not self._generation or run.status != RUNNING or gen.loop is None:
            return  # stopped meanwhile: the answer has ended
        gen.loop.finish(run, result, FAILED if result.is_error else DONE)
        self._tool_finished(gen, run)
        self._continue(gen)

    def _save_calls(self, gen: _Generation) -> None:
        """The calls so far into the history (a view built again shows them)."""
        assert gen.loop is not None
        gen.writer.set_tool_calls([r.record() for r in gen.loop.runs])

    def _tool_finished(self, gen: _Generation, run: ToolRun) -> None:
        self._save_calls(gen)
        assert gen.loop is not None
        self._emit(events.ToolCallFinished(gen.answer_id, _info(run, gen.loop)))

    def _continue(self, gen: _Generation) -> None:
        """The same answer goes on: the request so far, the calls and their results."""
        if gen is not self._generation or gen.request is None or gen.loop is None:
            return
        messages, instructions = gen.sent or (gen.request.messages, gen.request.instructions)
        request = ChatRequest([*messages, *gen.loop.turn], instructions, gen.request.effort,
                              gen.request.sampling, gen.request.max_tokens, None,
                              [dict(o) for o in gen.loop.offers])
        self.engine.chat(request, self._deliver(gen))

    def _finish(self, gen: _Generation, status: str | None = None) -> None:
        reply = gen.reply
        status = status or reply.status
        saved: Message | None = None
        save_error: str | None = None
        try:
            saved = gen.writer.finish(status, reply.error, dict(reply.stats))
        except ChatStoreError as exc:
            save_error = str(exc)
        self._generation = None
        sources = None
        if self.documents is not None:
            self.documents.set_answering(False)
            text = saved.content if saved is not None else reply.answer
            try:
                sources = self.documents.answer_finished(gen.answer_id, text)
            except Exception:  # the answer stands without its sources listed
                log.exception("could not keep the sources of answer %s", gen.answer_id)
        self._emit(events.AnswerFinished(
            gen.conversation_id, gen.answer_id, status, reply.error, reply.error_code,
            reply.retry_after, dict(reply.stats), saved, save_error, sources))
        self._emit(events.ConversationsChanged())
        if reply.error_code == protocol.WORKER_CRASHED and not self._closed:
            self.engine.restart()
        later, self._read_after = self._read_after, None
        if later is not None:
            self.read_ahead(*later)

    # -- closing ------------------------------------------------------------------------
    def close(self, purge: bool = True) -> None:
        """Stop the answer being written (kept, marked stopped) and (``purge``) forget
        the conversations deleted before, with their documents: the window does when it
        closes; the command line leaves the window's undo alone. Nothing is sent after
        this (a message that waited for the answer stays unsent)."""
        if self._closed:
            return
        self._closed = True
        gen = self._generation
        if gen is not None:
            run = gen.loop.current if gen.loop is not None else None
            if run is not None:
                run.cancel.set()
            self.engine.cancel()  # may end it at once (a chat that was never sent)
            if self._generation is gen:
                self._finish(gen, "stopped")
            if gen.tool_thread is not None and gen.tool_thread is not threading.current_thread():
                gen.tool_thread.join(10)
        if purge:
            self.purge_deleted(0)

    @property
    def closed(self) -> bool:
        return self._closed


def _info(run: ToolRun, loop: ToolLoop) -> events.ToolCallInfo:
    tool = loop.tools.get(run.tool)
    return events.ToolCallInfo(run.id, run.tool, run.arguments, run.status, run.result,
                               run.shown, run.is_error, run.ms,
                               tool.spec.title if tool is not None else "")


def request_messages(history: Sequence[Message]) -> list[dict[str, Any]]:
    """The messages of a branch as a chat request (failed answers left out); an answer
    that used tools brings its calls and their results before its text."""
    messages: list[dict[str, Any]] = []
    for m in history:
        if m.role != "user" and (not m.content or m.status == "error"):
            continue
        if m.role != "user":
            messages += history_steps(m.calls())
        messages.append({"role": m.role, "content": m.content})
    return messages
