"""Turn a conversation into prompt tokens, with user text kept as plain text.

The prompt is rendered from the GGUF's own chat template in a sandboxed Jinja
environment. Every piece of text that comes from a person or a document (messages, the
instructions, earlier answers) is swapped for a placeholder before rendering, so the
template sees opaque strings, and the rendered prompt splits into *trusted* template
text (tokenized with control tokens) and *untrusted* text (tokenized as plain text).

Plain tokenization alone is not enough: llama.cpp forces gpt-oss's ``<|start|>``,
``<|end|>``, ``<|message|>``, ``<|channel|>`` and ``<|constrain|>`` to user-defined
tokens and matches them in text even with ``special=False``. So untrusted text is cut
wherever it spells a protected token, and each spelling is tokenized in two halves
(``<`` and ``|end|>``), which no vocabulary entry can join back into the token.

Models without a chat template (like the gemma test model, a base model) get the
documented fallback format :data:`FALLBACK_DOC`.

Tools (harmony models): function tools go to the template's ``tools`` argument, which
renders them in the developer message as harmony's ``namespace functions`` (checked
against the harmony spec in tests/engine/test_tool_prompt.py); the built-in ``python``
goes to ``builtin_tools`` (the system message). The turn being answered (the messages
after the last user message: the model's calls and the tools' results) is rendered
here, not by the template: the template re-serialises arguments (``tojson``) and writes
``json`` without ``<|constrain|>``, so the prompt would no longer start with what the
model wrote and the KV cache could not be reused. A call the worker still remembers is
replayed as the exact tokens the model generated (``replay``); otherwise it is
rendered canonically, with its reasoning, arguments and the tool's result as plain text.

Earlier turns keep their function calls and results (the transcript's tool steps before
an answer, :mod:`app.engine.openai_messages` describes them), rendered the same way
here and put before that answer's ``<|start|>``; their reasoning is dropped, and so are
calls on the analysis channel (the built-in python) with their results: harmony's rule
("after a message to the final channel, all analysis messages should be dropped;
function calls to the commentary channel can remain"). The template could render
function calls itself, but it writes the recipient, ``json`` and the result
differently from what the model writes and reads (``tojson``), and knows no python.
Models without harmony get earlier turns' user and answer messages only.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

EFFORTS = ("low", "medium", "high")
ANSWER_RESERVE = 2048  # tokens: the least room kept for an answer and its reasoning
LEAST_ANSWER_ROOM = 1024  # tokens: below this a message is refused as too long


def answer_reserve(n_ctx: int, max_tokens: int | None = None) -> int:
    """Tokens of an ``n_ctx`` context kept free for the answer (its reasoning included)
    when deciding what else goes into the prompt: the answer's limit when one is set,
    else a quarter of the context, at least :data:`ANSWER_RESERVE`, and never more than
    half (2048 of a 2048 context would leave the conversation no room).

    The one rule for both sides: the window chooses how much of the documents fits, and
    the worker which earlier turns to leave out, against the same room, so a reasoning
    model is not left a few hundred tokens to think and answer in.
    """
    return min(max_tokens or max(ANSWER_RESERVE, n_ctx // 4), n_ctx // 2)


def least_answer_room(n_ctx: int, max_tokens: int | None = None) -> int:
    """The least room an answer must have for a message to be sent at all: the answer's
    limit when one is set, else :data:`LEAST_ANSWER_ROOM`, never more than a quarter of
    the context. Earlier turns are left out against :func:`answer_reserve`; a message
    that alone leaves more than this is still answered (with whatever room there is),
    one that leaves less is refused as too long."""
    return min(max_tokens or LEAST_ANSWER_ROOM, n_ctx // 4)

FALLBACK_DOC = """\
Fallback prompt format, for models whose GGUF carries no chat template:

    {instructions}                 (only when there are instructions)

    User: {message}
    Assistant: {answer}
    User: {message}
    Assistant:

Generation stops when the model starts a new "User:" or "Assistant:" line.
"""
FALLBACK_STOPS = ("\nUser:", "\nAssistant:")


class ToolCallRecord(TypedDict, total=False):
    recipient: str  # "functions.NAME" or "python", as the model addressed it
    channel: str  # "commentary" (functions) or "analysis" (python)
    arguments: str  # as the model wrote them (JSON text, or python code)
    raw: str  # what the model wrote from "<|start|>assistant" to "<|call|>" (replay key)


class ChatMessage(TypedDict, total=False):
    role: str  # "user", "assistant" or "tool" (a tool's result, in the turn answered)
    content: str
    reasoning: str
    tool_call: ToolCallRecord  # an assistant step of the turn that ended in a call
    name: str  # a tool result: the recipient it answers ("functions.NAME", "python")
    channel: str  # a tool result: the channel of the call


class ToolOffer(TypedDict, total=False):
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the arguments (an object)
    kind: str  # "function" or "python" (gpt-oss's built-in)
    must_call: bool  # the answer must call this tool (several so marked: one of them)


@dataclass(frozen=True)
class Segment:
    text: str
    trusted: bool
    tokens: tuple[int, ...] | None = None  # replayed exactly (what the model generated)


Replay = Callable[[str], "Sequence[int] | None"]
_RECIPIENT_RE = re.compile(r"[A-Za-z0-9_.\-]{1,80}")  # "functions." and 64 more
_CONTROL_RE = re.compile(r"<\|[A-Za-z0-9_]{1,40}\|>")


class PromptError(Exception):
    """The template could not render this conversation."""


_PLACEHOLDER = "\ue000{}\ue001"
_PLACEHOLDER_RE = re.compile("\ue000(\\d+)\ue001")


def _raise_exception(message: str) -> None:
    raise PromptError(message)


def _strftime_now(fmt: str) -> str:
    return datetime.now().strftime(fmt)


class PromptRenderer:
    """Renders conversations for one model.

    ``template`` is the GGUF's ``tokenizer.chat_template`` (None: the fallback format).
    """

    def __init__(self, template: str | None, bos_token: str = "", eos_token: str = "") -> None:
        self.template_source = template
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.harmony = bool(template and "<|channel|>" in template)
        self._template = None
        if template:
            env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
            env.globals["raise_exception"] = _raise_exception
            env.globals["strftime_now"] = _strftime_now
            try:
                self._template = env.from_string(template)
            except TemplateError as exc:
                raise PromptError(f"the model's chat template is broken: {exc}") from exc

    @property
    def stop_strings(self) -> tuple[str, ...]:
        return () if self._template is not None else FALLBACK_STOPS

    def render(
        self,
        messages: Sequence[ChatMessage],
        instructions: str = "",
        effort: str = "medium",
        tools: Sequence[ToolOffer] = (),
        replay: Replay | None = None,
    ) -> list[Segment]:
        """The prompt for answering the last message (or going on with the turn after
        a tool's result), as trusted/untrusted segments.

        Earlier turns' reasoning is never rendered: once a turn has its final answer,
        its reasoning is dropped (and gpt-oss's template drops it too). ``tools`` are
        offered to harmony models only; ``replay`` gives the exact tokens of a call the
        model wrote (by its raw text), when they are still known.
        """
        if effort not in EFFORTS:
            raise PromptError(f"unknown reasoning effort {effort!r}")
        texts: list[str] = []

        def hold(text: str) -> str:
            texts.append(text)
            return _PLACEHOLDER.format(len(texts) - 1)

        head, turn = _split_turn(messages)
        if self._template is None:
            return _split(self._render_fallback(_exchanges(head), instructions, hold), texts)
        steps: dict[str, list[Segment]] = {}
        rendered = self._render_template(head, instructions, effort, hold,
                                         tools if self.harmony else (),
                                         steps if self.harmony else None)
        segments = _split(rendered, texts, steps)
        if self.harmony and turn:
            segments += _render_steps(turn, replay, current=True)
        forced = forced_call(tools) if self.harmony else ""
        if forced:
            segments.append(Segment(forced, True))
        return segments

    def _render_template(
        self,
        messages: Sequence[ChatMessage],
        instructions: str,
        effort: str,
        hold: Callable[[str], str],
        tools: Sequence[ToolOffer] = (),
        steps: dict[str, list[Segment]] | None = None,
    ) -> str:
        """The template's text; earlier turns' tool steps are not given to it but, when
        ``steps`` is a dict, rendered into it under the placeholder of the message they
        come before."""
        assert self._template is not None
        items: list[dict[str, Any]] = []
        if instructions.strip():
            role = "developer" if self.harmony else "system"
            items.append({"role": role, "content": hold(instructions)})
        pending: list[ChatMessage] = []
        for message in messages:
            if _is_step(message):
                pending.append(message)
                continue
            held = hold(message.get("content", ""))
            kept = [m for m in pending if m.get("channel", (m.get("tool_call") or {})
                                                .get("channel")) != "analysis"]
            if steps is not None and kept:
                steps[held] = _render_steps(kept, None, current=False)
            pending = []
            items.append({"role": message["role"], "content": held})
        extra: dict[str, Any] = {}
        functions = [_function(t) for t in tools if t.get("kind", "function") != "python"]
        if functions:
            extra["tools"] = functions
        if any(t.get("kind") == "python" for t in tools):
            extra["builtin_tools"] = ["python"]
        try:
            return self._template.render(
                messages=items,
                add_generation_prompt=True,
                reasoning_effort=effort,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
                **extra,
            )
        except PromptError:
            raise
        except Exception as exc:  # a template is foreign code: any error is its own
            raise PromptError(f"the model's chat template failed: {exc}") from exc

    @staticmethod
    def _render_fallback(
        messages: Sequence[ChatMessage], instructions: str, hold: Callable[[str], str]
    ) -> str:
        parts = []
        if instructions.strip():
            parts.append(hold(instructions.strip()) + "\n\n")
        for message in messages:
            speaker = "User" if message["role"] == "user" else "Assistant"
            parts.append(f"{speaker}: {hold(message['content'].strip())}\n")
        parts.append("Assistant:")
        return "".join(parts)


def forced_call(tools: Sequence[ToolOffer]) -> str:
    """The start of the answer when it must call a tool (offers marked ``must_call``):
    harmony's header of a call to that function, the model writing only the arguments;
    for one of several, the header up to ``functions.``, the model naming the function.
    Empty when the model is free (it reasons first, then answers or calls)."""
    names = [_clean(t.get("name", "")) for t in tools
             if t.get("must_call") and t.get("kind", "function") != "python"]
    if len(names) == 1:
        return (f"<|channel|>commentary to={_recipient('functions.' + names[0])} "
                "<|constrain|>json<|message|>")
    return "<|channel|>commentary to=functions." if names else ""


def _split_turn(messages: Sequence[ChatMessage]) -> tuple[list[ChatMessage], list[ChatMessage]]:
    """The conversation up to its last user message (earlier turns' tool steps
    included), and the turn after it (the calls and results of the answer being
    written)."""
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"),
                    default=-1)
    return list(messages[: last_user + 1]), list(messages[last_user + 1:])


def _is_step(message: ChatMessage) -> bool:
    """A tool step: an assistant message that is a call, or a tool's result."""
    role = message.get("role")
    return role == "tool" or (role == "assistant" and bool(message.get("tool_call"))) \
        or role not in ("user", "assistant")


def _exchanges(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """User messages and answers only (a model without harmony gets no tool steps)."""
    return [m for m in messages if not _is_step(m)]


def _clean(value: Any) -> Any:
    """A tool's description and schema without anything shaped like a control token
    (a tool, an MCP server's above all, is not trusted to write the prompt's format)."""
    if isinstance(value, str):
        while _CONTROL_RE.search(value):
            value = _CONTROL_RE.sub("", value)
        return value
    if isinstance(value, Mapping):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _function(tool: ToolOffer) -> dict[str, Any]:
    """One function tool as the template's ``tools`` argument takes it."""
    function: dict[str, Any] = {"name": _clean(tool.get("name", "")),
                                "description": _clean(tool.get("description", "")) or ""}
    parameters = tool.get("parameters")
    if parameters:
        function["parameters"] = _clean(parameters)
    return {"type": "function", "function": function}


def _recipient(name: str) -> str:
    """A recipient as it may appear in a header (the model's own words are not trusted
    to be well formed)."""
    return name if _RECIPIENT_RE.fullmatch(name or "") else "functions.invalid"


def _render_steps(turn: Sequence[ChatMessage], replay: Replay | None,
                  current: bool) -> list[Segment]:
    """Tool steps in harmony. ``current``: the turn being answered, after the
    template's ``<|start|>assistant``: each call the model made (replayed, or canonical
    harmony, its reasoning kept) and each tool's result, ending with
    ``<|start|>assistant`` again for the model to go on. Otherwise an earlier turn's:
    each call a whole message of its own, without reasoning, each result closed."""
    out: list[Segment] = []

    def trusted(text: str) -> None:
        out.append(Segment(text, True))

    def plain(text: str) -> None:
        if text:
            out.append(Segment(text, False))

    for message in turn:
        role = message.get("role")
        call = message.get("tool_call")
        if role == "assistant" and call:
            raw = call.get("raw") or ""
            tokens = replay(raw) if replay is not None and raw else None
            if tokens:
                out.append(Segment(raw, False, tuple(tokens)))
                continue
            if not current:
                trusted("<|start|>assistant")
            elif message.get("reasoning"):
                trusted("<|channel|>analysis<|message|>")
                plain(message.get("reasoning", ""))
                trusted("<|end|><|start|>assistant")
            recipient = _recipient(call.get("recipient", ""))
            channel = "analysis" if call.get("channel") == "analysis" else "commentary"
            if recipient == "python":
                trusted(f"<|channel|>{channel} to=python code<|message|>")
            else:
                trusted(f"<|channel|>{channel} to={recipient} <|constrain|>json<|message|>")
            plain(call.get("arguments", ""))
            trusted("<|call|>")
        elif role == "tool":
            name = _recipient(message.get("name", ""))
            channel = "analysis" if message.get("channel") == "analysis" else "commentary"
            trusted(f"<|start|>{name} to=assistant<|channel|>{channel}<|message|>")
            plain(message.get("content", ""))
            trusted("<|end|><|start|>assistant" if current else "<|end|>")
    return out


def _split(rendered: str, texts: list[str],
           steps: Mapping[str, list[Segment]] | None = None) -> list[Segment]:
    """The template's text as segments: placeholders back to untrusted text, and the
    tool steps held for a message put before the ``<|start|>`` that opens it."""
    segments: list[Segment] = []
    pos = 0
    for match in _PLACEHOLDER_RE.finditer(rendered):
        if match.start() > pos:
            segments.append(Segment(rendered[pos: match.start()], True))
        before = steps.get(match.group(0)) if steps else None
        if before and segments and segments[-1].trusted:
            head = segments[-1].text
            at = head.rfind("<|start|>")
            if at >= 0:
                segments[-1:] = [Segment(head[:at], True), *before, Segment(head[at:], True)]
        segments.append(Segment(texts[int(match.group(1))], False))
        pos = match.end()
    if pos < len(rendered):
        segments.append(Segment(rendered[pos:], True))
    # "User: " + "What" must tokenize like "User: What": a word's leading space belongs
    # to the word's token, so spaces at a template/text seam move into the text.
    for i in range(len(segments) - 1):
        here, after = segments[i], segments[i + 1]
        if here.trusted and not after.trusted and here.text.endswith(" "):
            stripped = here.text.rstrip(" ")
            spaces = here.text[len(stripped):]
            segments[i] = Segment(stripped, True)
            segments[i + 1] = Segment(spaces + after.text, False)
    return [s for s in segments if s.text]


Tokenize = Callable[[str, bool], list[int]]
_REMEMBER_FROM = 16  # characters: shorter segments (headers) are cheaper to tokenize again


class SafeTokenizer:
    """Tokenizes segments; untrusted text can never produce a protected token.

    ``tokenize(text, special)`` is the model's tokenizer; ``protected`` are the texts
    of the vocabulary's control and user-defined control-like tokens.

    Every request renders the whole conversation again (and the worker's fitting may
    render it several times), but only its newest parts are new: a segment's tokens are
    remembered by its text (at most ``memory_chars`` characters of text, the least
    recently used forgotten first). Tokenizing is a pure function of the text, so this
    changes no token; it saves llama.cpp's tokenizer from reading the system message,
    the tools and every earlier turn again before each answer and each tool call's
    continuation. Used from one thread (the worker's).
    """

    def __init__(self, tokenize: Tokenize, protected: Sequence[str],
                 memory_chars: int = 1_000_000) -> None:
        self._tokenize = tokenize
        words = sorted({p for p in protected if len(p) > 1}, key=len, reverse=True)
        self._protected_re = re.compile("|".join(re.escape(w) for w in words)) if words else None
        self._memory: OrderedDict[tuple[str, bool], tuple[int, ...]] = OrderedDict()
        self._memory_chars = 0
        self._memory_limit = memory_chars

    def plain(self, text: str) -> list[int]:
        """Tokens for text that must stay text."""
        return self._remembered(text, False)

    def _plain(self, text: str) -> list[int]:
        if self._protected_re is None:
            return self._tokenize(text, False)
        tokens: list[int] = []
        pos = 0
        for match in self._protected_re.finditer(text):
            if match.start() > pos:
                tokens += self._tokenize(text[pos: match.start()], False)
            word = match.group()
            tokens += self._tokenize(word[:1], False)
            tokens += self._tokenize(word[1:], False)
            pos = match.end()
        if pos < len(text):
            tokens += self._tokenize(text[pos:], False)
        return tokens

    def _remembered(self, text: str, trusted: bool) -> list[int]:
        key = (text, trusted)
        known = self._memory.get(key)
        if known is not None:
            self._memory.move_to_end(key)
            return list(known)
        tokens = self._tokenize(text, True) if trusted else self._plain(text)
        if len(text) >= _REMEMBER_FROM and len(text) <= self._memory_limit // 4:
            self._memory[key] = tuple(tokens)
            self._memory_chars += len(text)
            while self._memory_chars > self._memory_limit:
                (old, _), _tokens = self._memory.popitem(last=False)
                self._memory_chars -= len(old)
        return tokens

    def segments(self, segments: Sequence[Segment]) -> list[int]:
        tokens: list[int] = []
        for segment in segments:
            if segment.tokens is not None:
                tokens += segment.tokens
            else:
                tokens += self._remembered(segment.text, segment.trusted)
        return tokens
