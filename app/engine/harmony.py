"""Streaming parser for OpenAI's harmony format (the output of gpt-oss).

gpt-oss writes a sequence of messages::

    <|channel|>analysis<|message|>…reasoning…<|end|>
    <|start|>assistant<|channel|>final<|message|>…answer…<|return|>

The prompt ends with ``<|start|>assistant``, so the first header has no ``<|start|>``.
Text arrives in pieces that may split a control token anywhere (``<|chan`` + ``nel|>``),
so the parser holds back what could still become a token. Real models also misbehave:
a stray ``<|channel|>`` in the middle of a message, a header that never gets its
``<|message|>``, no ``final`` at all, an answer cut off by the token limit. Each case
degrades to something a user can read, and no raw control token ever reaches an event's
text: besides the parser, each output kind passes through a :class:`_TokenScrubber`
which removes anything shaped like ``<|word|>`` even when it only forms across pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Control tokens of the harmony format. Anything else shaped like <|word|> is a token too
# (reserved ids, <|endoftext|>) and is dropped.
START = "<|start|>"
END = "<|end|>"
MESSAGE = "<|message|>"
CHANNEL = "<|channel|>"
CONSTRAIN = "<|constrain|>"
RETURN = "<|return|>"
CALL = "<|call|>"

HARMONY_TOKENS = (START, END, MESSAGE, CHANNEL, CONSTRAIN, RETURN, CALL)

_TOKEN_RE = re.compile(r"<\|[A-Za-z0-9_]{1,40}\|>")
# A suffix that may still grow into a token: "<", "<|", "<|chan", "<|channel|".
_PARTIAL_RE = re.compile(r"<(\|[A-Za-z0-9_]{0,40}\|?)?\Z")

# A header longer than this without <|message|> is not a header: the model has started
# writing without one. Real headers are short ("assistant<|channel|>final").
_MAX_HEADER = 160

REASONING = "reasoning"
ANSWER = "answer"
TOOL_CALL = "tool_call"
MESSAGE_START = "message_start"
MESSAGE_END = "message_end"


@dataclass(frozen=True)
class Event:
    """One thing the parser saw.

    ``kind`` is one of ``reasoning``, ``answer``, ``tool_call`` (text deltas, in
    ``text``) or ``message_start`` / ``message_end`` (boundaries; ``channel`` and
    ``recipient`` describe the message, ``truncated`` says a message ended without its
    end token, as when the token limit cut it off).
    """

    kind: str
    text: str = ""
    channel: str | None = None
    recipient: str | None = None
    truncated: bool = False


@dataclass
class _Header:
    role: str = "assistant"
    raw: str = ""


def _kind_for(channel: str | None, recipient: str | None) -> str:
    """Which output a message's text belongs to."""
    if recipient and not recipient.startswith("assistant"):
        return TOOL_CALL
    if channel == "analysis":
        return REASONING
    if channel in ("final", "commentary", None):
        # Commentary without a recipient is a preamble, written for the user.
        return ANSWER
    # An unknown channel is not claimed as the answer.
    return REASONING


class _TokenScrubber:
    """Last line of defence for one output kind: no ``<|word|>`` survives, even one that
    forms only when two deltas are joined (``<|`` + dropped token + ``end|>``)."""

    def __init__(self) -> None:
        self._held = ""

    def push(self, text: str) -> str:
        text = self._held + text
        while True:
            cleaned = _TOKEN_RE.sub("", text)
            if cleaned == text:
                break
            text = cleaned
        match = _PARTIAL_RE.search(text)
        if match:
            self._held = text[match.start():]
            return text[: match.start()]
        self._held = ""
        return text

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held


@dataclass
class HarmonyParser:
    """Feed text pieces with :meth:`feed`, then call :meth:`finish` once.

    ``in_header`` is True when the prompt ended with ``<|start|>assistant`` (local
    generation); a remote server that returns whole harmony text starts elsewhere.
    """

    in_header: bool = True
    _buf: str = ""
    _state: str = "header"
    _header: _Header = field(default_factory=_Header)
    _channel: str | None = None
    _recipient: str | None = None
    _kind: str = ANSWER
    _scrubbers: dict[str, _TokenScrubber] = field(default_factory=dict)
    saw_final: bool = False
    ended: bool = False
    _opened_any: bool = False

    def __post_init__(self) -> None:
        self._state = "header" if self.in_header else "idle"

    @property
    def channel(self) -> str | None:
        """The channel of the message being written, None between messages."""
        return self._channel if self._state == "content" else None

    # -- public -------------------------------------------------------------------------
    def feed(self, text: str) -> list[Event]:
        self._buf += text
        events: list[Event] = []
        while self._buf:
            match = _TOKEN_RE.search(self._buf)
            if match is None:
                partial = _PARTIAL_RE.search(self._buf)
                cut = partial.start() if partial else len(self._buf)
                if cut:
                    self._text(self._buf[:cut], events)
                self._buf = self._buf[cut:]
                break
            if match.start():
                self._text(self._buf[: match.start()], events)
            self._buf = self._buf[match.end():]
            self._token(match.group(), events)
        return events

    def finish(self) -> list[Event]:
        """End of stream: flush what was held back and close an open message."""
        events: list[Event] = []
        if self._buf:
            rest, self._buf = self._buf, ""
            self._text(rest, events)
        if self._state == "header" and not self._opened_any and self._header.raw.strip():
            # Plain text and no message at all: the model wrote without a header.
            self._open(None, None, events)
            self._emit(_TOKEN_RE.sub("", self._header.raw), events)
        if self._state == "content":
            self._close(events, truncated=True)
        for kind, scrubber in self._scrubbers.items():
            tail = scrubber.flush()
            if tail:
                events.append(Event(kind, tail, self._channel, self._recipient))
        return events

    # -- states -------------------------------------------------------------------------
    def _text(self, text: str, events: list[Event]) -> None:
        if self._state == "content":
            self._emit(text, events)
            return
        if self._state == "idle":
            # Text between messages with no <|start|>: treat it as a header.
            self._state = "header"
            self._header = _Header()
        self._header.raw += text
        if len(self._header.raw) > _MAX_HEADER:
            # Too long to be a header: the model forgot it. Show it as the answer.
            raw = _TOKEN_RE.sub("", self._header.raw)
            self._header = _Header()
            self._open(None, None, events)
            self._emit(raw, events)

    def _token(self, token: str, events: list[Event]) -> None:
        state = self._state
        if state == "content":
            if token in (END, RETURN, CALL):
                self._close(events)
                self.ended = token == RETURN
            elif token == START:
                self._close(events, truncated=True)
                self._state, self._header = "header", _Header()
            elif token == CHANNEL:
                # A stray header inside a message: the model started a new message.
                role = self._header.role
                self._close(events, truncated=True)
                self._state, self._header = "header", _Header(role=role, raw=CHANNEL)
            # <|message|>, <|constrain|> and unknown tokens inside text are dropped.
            return
        if state == "header":
            if token == MESSAGE:
                channel, recipient = self._parse_header(self._header.raw)
                self._open(channel, recipient, events)
            elif token == START:
                self._header = _Header()
            elif token in (END, RETURN, CALL):
                self._state, self._header = "idle", _Header()
            elif token in (CHANNEL, CONSTRAIN):
                self._header.raw += token
            return
        # idle
        if token == START:
            self._state, self._header = "header", _Header()
        elif token == CHANNEL:
            self._state, self._header = "header", _Header(raw=CHANNEL)
        elif token == MESSAGE:
            self._open(None, None, events)

    def _parse_header(self, raw: str) -> tuple[str | None, str | None]:
        before_channel, _, after = raw.partition(CHANNEL)
        role_part = before_channel.strip()
        if role_part:
            self._header.role = role_part.split()[0]
        channel = None
        if after:
            words = after.replace(CONSTRAIN, " ").split()
            channel = words[0] if words else None
        recipient_match = re.search(r"\bto=([^\s<]+)", raw)
        recipient = recipient_match.group(1) if recipient_match else None
        return channel, recipient

    def _open(self, channel: str | None, recipient: str | None, events: list[Event]) -> None:
        self._state = "content"
        self._opened_any = True
        self._channel, self._recipient = channel, recipient
        self._kind = _kind_for(channel, recipient)
        if self._kind == ANSWER:
            self.saw_final = True
        events.append(Event(MESSAGE_START, channel=channel, recipient=recipient))

    def _close(self, events: list[Event], truncated: bool = False) -> None:
        scrubber = self._scrubbers.get(self._kind)
        if scrubber is not None:
            tail = scrubber.flush()
            if tail:
                events.append(Event(self._kind, tail, self._channel, self._recipient))
        events.append(
            Event(MESSAGE_END, channel=self._channel, recipient=self._recipient,
                  truncated=truncated)
        )
        self._state = "idle"

    def _emit(self, text: str, events: list[Event]) -> None:
        scrubber = self._scrubbers.setdefault(self._kind, _TokenScrubber())
        clean = scrubber.push(text)
        if clean:
            if events and events[-1].kind == self._kind and events[-1].channel == self._channel:
                last = events.pop()
                clean = last.text + clean
            events.append(Event(self._kind, clean, self._channel, self._recipient))


def parse_all(pieces: Iterable[str], in_header: bool = True) -> list[Event]:
    """Parse a whole stream at once (tests, history import)."""
    parser = HarmonyParser(in_header=in_header)
    events: list[Event] = []
    for piece in pieces:
        events.extend(parser.feed(piece))
    events.extend(parser.finish())
    return events


def strip_tokens(text: str) -> str:
    """Remove anything shaped like a control token (for display of foreign text)."""
    scrubber = _TokenScrubber()
    return scrubber.push(text) + scrubber.flush()
