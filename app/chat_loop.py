"""The conversation loop of ``cove chat``, shared by a local model (``app.cli``) and a
remote server (``app.remote_cli``).

It drives the same conversation session as the window (:class:`app.session.Session`,
over :class:`app.session.direct.DirectEngine`), so a command-line conversation is saved
in the history and shows up in the window's sidebar; ``--no-save`` keeps it in a
temporary history that is gone when the command ends, and ``--continue ID`` goes on with
a saved conversation. It lives apart from both commands so that neither imports the
other.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore
from app.config.sqlcipher import Key
from app.config.terminal_ask import for_terminal
from app.engine import protocol
from app.session import events, terminal_tools
from app.session.direct import DirectEngine
from app.session.service import AnswerOptions, Session

if TYPE_CHECKING:
    from app.engine.backend import Backend


@contextlib.contextmanager
def history(args: argparse.Namespace, stdin: TextIO | None = None,
            err: TextIO | None = None) -> Iterator[ChatStore]:
    """The window's history, or a throwaway one (``--no-save``: in a temporary folder,
    encrypted with a key that only this process knows, so that even a file a crash
    leaves behind holds nothing readable). Without a keyring the person at the terminal
    is asked for a passphrase (``app.config.terminal_ask``)."""
    if getattr(args, "no_save", False):
        with tempfile.TemporaryDirectory(prefix="cove-chat-") as folder, \
                ChatStore(Path(folder) / "throwaway.db", key=Key.random()) as store:
            yield store
    else:
        ask = for_terminal(stdin or sys.stdin, err or sys.stderr)
        with ChatStore.default(ask) as store:
            yield store


def list_conversations(out: TextIO, err: TextIO) -> int:
    try:
        with ChatStore.default(for_terminal(sys.stdin, err)) as store:
            for conv in store.conversations():
                out.write(f"{conv.id}\t{conv.title or '(untitled)'}\n")
    except ChatStoreError as exc:
        print(f"cove: {exc}", file=err)
        return 1
    return 0


class _Printer:
    """Prints what the session says: the answer to ``out``, the rest to ``err``."""

    def __init__(self, out: TextIO, err: TextIO, show_reasoning: bool) -> None:
        self.out, self.err, self.show_reasoning = out, err, show_reasoning
        self.finished: events.AnswerFinished | None = None
        self._progress = False  # a progress line is on the terminal, to be cleared

    def __call__(self, event: events.Event) -> None:
        if isinstance(event, events.PromptProgressed):
            self._show_progress(event)
            return
        if self._progress:
            self.err.write("\r\033[K")
            self._progress = False
        if isinstance(event, events.AnswerAdded):
            self.out.write(event.text)
            self.out.flush()
        elif isinstance(event, events.ReasoningAdded) and self.show_reasoning:
            self.err.write(event.text)
            self.err.flush()
        elif isinstance(event, events.TurnsLeftOut):
            print(f"[left out {event.dropped} earlier turn(s) to fit the context]",
                  file=self.err)
        elif isinstance(event, events.SaveFailed):
            print(f"cove: the answer is not being saved: {event.text}", file=self.err)
        elif isinstance(event, events.AnswerFinished):
            self.finished = event

    def _show_progress(self, event: events.PromptProgressed) -> None:
        """On a terminal, one line rewritten in place (cleared when the answer comes);
        elsewhere (a pipe, a log) nothing: stderr stays what it was."""
        isatty = getattr(self.err, "isatty", None)
        if isatty is None or not isatty():
            return
        self.err.write("\r\033[K" + progress_line(event))
        self.err.flush()
        self._progress = True


def progress_line(event: events.PromptProgressed) -> str:
    """ "Reading your documents… 40 % · about 2 min left", as the window says it."""
    what = "your documents" if event.documents else "the conversation"
    line = f"Reading {what}… {int(100 * event.done / event.total) if event.total else 0} %"
    left = event.seconds_left
    if left is not None and left >= 1 and event.done < event.total:
        line += f" · about {-(-int(left) // 60)} min left" if left >= 90 else \
            f" · about {max(5, round(left / 5) * 5)} s left"
    return line


def chat_loop(backend: Backend, args: argparse.Namespace, sampling: dict[str, Any],
              intro: str, stdin: TextIO, out: TextIO, err: TextIO,
              store: ChatStore | None = None) -> int:
    """Ask once (``args.prompt``) or chat until an empty line; Ctrl+C stops an answer.
    Uses ``prompt``, ``instructions``, ``effort``, ``max_tokens``, ``show_reasoning``,
    ``no_save`` and ``conversation``. ``store``: the history, opened already (the
    caller asked for its passphrase before loading a model); else it is opened here."""
    if store is not None:
        return _converse(store, backend, args, sampling, intro, stdin, out, err)
    try:
        with history(args, stdin, err) as opened:
            return _converse(opened, backend, args, sampling, intro, stdin, out, err)
    except ChatStoreError as exc:
        return history_failed(exc, err)


def history_failed(exc: ChatStoreError, err: TextIO) -> int:
    print(f"cove: the history cannot be used: {exc} (--no-save chats without it)", file=err)
    return 1


def _converse(store: ChatStore, backend: Backend, args: argparse.Namespace,
              sampling: dict[str, Any], intro: str, stdin: TextIO, out: TextIO,
              err: TextIO) -> int:
    options = AnswerOptions(args.instructions or "", sampling, args.max_tokens)
    tools = terminal_tools.for_args(args, stdin, err)  # --allow-tools
    session = Session(store, DirectEngine(backend, restart_on_crash=False),
                      options=lambda: options, tools=tools.tools_for if tools else None)
    printer = _Printer(out, err, args.show_reasoning)
    session.subscribe(printer)
    if tools is not None:
        tools.attach(session)
    conversation_id: int | None = getattr(args, "conversation", None)
    if conversation_id is not None:
        try:
            gone = store.conversation(conversation_id).deleted_at is not None
        except ChatStoreError:
            gone = True
        if gone:  # a deleted one would be purged, with what is said now, at the next close
            print(f"cove: there is no conversation {conversation_id} in the history "
                  "('cove chat --list' lists them)", file=err)
            return 1
    interactive = args.prompt is None
    if interactive:
        print(f"{intro} Empty line or Ctrl+D ends; Ctrl+C stops an answer.", file=err)
    try:
        while True:
            if interactive:
                print("> ", end="", file=err, flush=True)
                line = stdin.readline()
                if not line or not line.strip():
                    return 0
                prompt = line.rstrip("\n")
            else:
                prompt = args.prompt
            if conversation_id is None and args.instructions:
                conversation_id = session.create_conversation(args.instructions).id
            printer.finished = None
            question = session.send(conversation_id, prompt, args.effort)
            if question is None:
                print("cove: the question could not be sent: an answer is still being "
                      "written", file=err)
                return 1
            conversation_id = question.conversation_id
            out.write("\n")
            out.flush()
            done = printer.finished
            if done is not None and done.error is not None:
                print(f"cove: {done.error}", file=err)
                if done.error_code == protocol.WORKER_CRASHED or not interactive:
                    return 1
            elif not interactive:
                return 0
    finally:
        session.close(purge=False)
        if tools is not None:
            tools.close()
        if conversation_id is not None and not getattr(args, "no_save", False) and \
                interactive:
            print(f"cove: saved in the history as conversation {conversation_id} "
                  f"(cove chat --continue {conversation_id})", file=err)
