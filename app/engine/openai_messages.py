"""OpenAI-format messages and tools ⇄ Cove's transcript, in one place.

Cove's transcript (:class:`app.engine.prompt.ChatMessage`) is a flat list, as the
history, the prompt renderer and both backends take it:

* ``{"role": "user", "content": …}``;
* ``{"role": "assistant", "content": …}``: an answer (harmony's final message);
* a *tool step*: ``{"role": "assistant", "content": "", "reasoning": …, "tool_call":
  {"recipient": "functions.NAME" | "python", "channel": "commentary" | "analysis",
  "arguments": …, "raw": …}}``, then ``{"role": "tool", "name": recipient, "channel":
  …, "content": result}``. One call per step: harmony has one recipient per message.

The instructions travel beside it (``instructions``), never as a message.

OpenAI's Chat Completions format has ``system``/``developer`` messages, an assistant
message with several ``tool_calls`` (``{"id", "type": "function", "function": {"name",
"arguments"}}``, arguments a JSON *string*) and ``tool`` messages that answer one call
each by ``tool_call_id``. The Responses API has ``function_call`` and
``function_call_output`` items. Mapping rules:

* ``functions.NAME`` ⇄ the function ``NAME``;
* gpt-oss's built-in ``python`` (code as its arguments, on the analysis channel) has
  no place in these APIs: a server is offered a function ``python`` taking
  ``{"code": …}`` (:data:`PYTHON_FUNCTION`), and with ``builtin_python`` a call to that
  function reads back as the built-in (:func:`call_from_openai`);
* ids are made here from the call's position (:func:`call_id`: ``call00001`` …, nine
  letters and digits, which even Mistral's template accepts), so the same transcript
  always gives the same request; an incoming ``tool_call_id`` only pairs a result with
  its call;
* reasoning goes out only where asked (``reasoning=True``: the turn being answered, to a
  gpt-oss server, which reads ``reasoning`` (vLLM) or ``reasoning_content``
  (llama-server)); coming in, ``reasoning``, ``reasoning_content`` or ``thinking`` is
  read, and the text of an assistant message that carries calls counts as its
  reasoning (as llama.cpp's gpt-oss template renders it).

Bad input raises :class:`MessageError`, naming the field (``messages[3].tool_call_id``),
for the local API to answer with a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from app.engine.prompt import ChatMessage, ToolCallRecord, ToolOffer

PYTHON = "python"
PYTHON_FUNCTION: dict[str, Any] = {
    "name": PYTHON,
    "description": "Runs Python code on the user's computer, without network access, and "
                   "returns what it printed. State is not kept between calls.",
    "parameters": {"type": "object", "required": ["code"], "additionalProperties": False,
                   "properties": {"code": {"type": "string",
                                           "description": "The Python code to run"}}},
}
_NAME_RE = re.compile(r"[A-Za-z0-9_\-.]{1,64}")


class MessageError(ValueError):
    """An OpenAI-format message or tool Cove cannot read; ``param`` names the field."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


def call_id(n: int) -> str:
    """The id of the transcript's ``n``-th call (from 1)."""
    return f"call{n:05d}"


def next_call_id(messages: Sequence[ChatMessage]) -> str:
    """The id for the call the model makes next in this transcript (the local API's
    answer): one past its calls, so it never repeats one Cove gave before in the same
    conversation (:func:`to_openai` numbers them the same way)."""
    return call_id(1 + sum(1 for m in messages
                           if m.get("role") == "assistant" and m.get("tool_call")))


# -- tools ------------------------------------------------------------------------------
def tools_to_openai(offers: Sequence[ToolOffer]) -> list[dict[str, Any]]:
    """The tools offered, as Chat Completions' ``tools`` (python as a function)."""
    return [{"type": "function", "function": _function(offer)} for offer in offers]


def tools_to_responses(offers: Sequence[ToolOffer]) -> list[dict[str, Any]]:
    """The tools offered, as the Responses API's ``tools`` (flat function objects)."""
    return [{"type": "function", **_function(offer)} for offer in offers]


def _function(offer: ToolOffer) -> dict[str, Any]:
    if offer.get("kind") == PYTHON:
        return dict(PYTHON_FUNCTION)
    function: dict[str, Any] = {"name": offer.get("name", ""),
                                "description": offer.get("description", "")}
    function["parameters"] = offer.get("parameters") or {"type": "object", "properties": {}}
    return function


def tools_from_openai(tools: Any, param: str = "tools") -> list[ToolOffer]:
    """Chat Completions' ``tools`` (or the Responses API's flat ones) as offers: function
    tools only; anything else raises :class:`MessageError`."""
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise MessageError(f"'{param}' must be a list of tools.", param)
    offers: list[ToolOffer] = []
    for i, tool in enumerate(tools):
        where = f"{param}[{i}]"
        if not isinstance(tool, Mapping) or tool.get("type") != "function":
            raise MessageError(f"{where} must be a function tool: {{\"type\": \"function\", "
                               "\"function\": {\"name\": …}}.", where)
        function = tool.get("function", tool)
        if not isinstance(function, Mapping):
            raise MessageError(f"{where}.function must be an object.", f"{where}.function")
        name = function.get("name")
        if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
            raise MessageError(f"{where}: a tool's name is 1 to 64 letters, digits, '_', "
                               "'-' or '.'.", f"{where}.function.name")
        description = function.get("description") or ""
        parameters = function.get("parameters") or {}
        if not isinstance(description, str) or not isinstance(parameters, Mapping):
            raise MessageError(f"{where}: 'description' must be a string and 'parameters' "
                               "a JSON schema object.", f"{where}.function")
        problem = schema_problem(parameters)
        if problem:
            raise MessageError(f"{where}.function.parameters: {problem}.",
                               f"{where}.function.parameters")
        offers.append({"name": name, "description": description,
                       "parameters": dict(parameters), "kind": "function"})
    return offers


_SCHEMA_DEPTH = 32  # nested levels a tool's JSON schema may have
_SUBSCHEMAS = ("items", "additionalProperties", "not", "if", "then", "else")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties")


def schema_problem(schema: Mapping[str, Any]) -> str | None:
    """What in a tool's JSON schema the prompt cannot render (the chat template reads
    ``properties`` as an object, ``required`` as a list, descriptions as text), or None.
    Malformed or absurdly deep schemas are refused here rather than failing the answer."""
    stack: list[tuple[Any, str, int]] = [(schema, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > _SCHEMA_DEPTH:
            return f"the schema is nested deeper than {_SCHEMA_DEPTH} levels"
        if not isinstance(node, Mapping):
            continue  # true/false schemas, and values the template leaves alone
        place = where or "the schema"
        for key in ("description", "title"):
            if key in node and not isinstance(node[key], str):
                return f"{place}: '{key}' must be a string"
        required = node.get("required")
        if required is not None and not (isinstance(required, list) and
                                         all(isinstance(r, str) for r in required)):
            return f"{place}: 'required' must be a list of property names"
        for key in _SCHEMA_MAPS:
            value = node.get(key)
            if value is None:
                continue
            if not isinstance(value, Mapping):
                return f"{place}: '{key}' must be an object"
            stack += [(v, f"{where}.{key}.{k}".lstrip("."), depth + 1)
                      for k, v in value.items()]
        for key in _SCHEMA_LISTS:
            value = node.get(key)
            if value is not None and not isinstance(value, list):
                return f"{place}: '{key}' must be a list of schemas"
            stack += [(v, f"{where}.{key}[{i}]".lstrip("."), depth + 1)
                      for i, v in enumerate(value or [])]
        stack += [(node[k], f"{where}.{k}".lstrip("."), depth + 1)
                  for k in _SUBSCHEMAS if k in node]
    return None


# -- one call ---------------------------------------------------------------------------
def call_to_openai(recipient: str, arguments: str, ident: str) -> dict[str, Any]:
    """A call the model made (``functions.NAME`` or ``python``), as a ``tool_calls``
    entry: what the local API answers and what goes back to a server."""
    if recipient == PYTHON:
        name, arguments = PYTHON, json.dumps({"code": arguments}, ensure_ascii=False)
    else:
        name = recipient.partition(".")[2] if recipient.startswith("functions.") \
            else recipient
    return {"id": ident, "type": "function",
            "function": {"name": name, "arguments": arguments}}


def call_from_openai(name: str, arguments: str, *, builtin_python: bool = False
                     ) -> ToolCallRecord:
    """A function call as OpenAI writes it, as the transcript's call. With
    ``builtin_python`` (Cove offered its python tool as a function) a call to
    ``python`` is the built-in again: its code as the arguments, on the analysis
    channel, as gpt-oss writes it locally."""
    if builtin_python and name == PYTHON:
        try:
            code = json.loads(arguments or "{}").get("code")
        except (ValueError, AttributeError):
            code = None
        if isinstance(code, str):
            return {"recipient": PYTHON, "channel": "analysis", "arguments": code, "raw": ""}
    return {"recipient": f"functions.{name}", "channel": "commentary",
            "arguments": arguments, "raw": ""}


# -- transcript → OpenAI ------------------------------------------------------------------
def to_openai(messages: Sequence[ChatMessage], instructions: str = "", *,
              reasoning: bool = False, tools: bool = True) -> list[dict[str, Any]]:
    """The transcript as Chat Completions ``messages``: the instructions as a
    ``system`` message, each tool step as an assistant message with one ``tool_calls``
    entry and its ``tool`` result. ``reasoning``: the turn being answered (after the
    last user message) keeps its steps' reasoning. ``tools`` False (a request that
    offers no tools) leaves earlier turns' tool steps out; the turn being answered
    keeps them ("Answer now" during a call: the model answers with what it found)."""
    wire: list[dict[str, Any]] = []
    if instructions:
        wire.append({"role": "system", "content": instructions})
    last_user = _last_user(messages)
    for i, message, kind, n in _walk(messages, tools):
        if kind == _CALL:
            call = message.get("tool_call") or {}
            out: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [
                call_to_openai(call.get("recipient", ""), call.get("arguments", ""),
                               call_id(n))]}
            thought = message.get("reasoning") or ""
            if reasoning and i > last_user and thought:
                out["reasoning"] = out["reasoning_content"] = thought
            wire.append(out)
        elif kind == _RESULT:
            wire.append({"role": "tool", "tool_call_id": call_id(n),
                         "content": message.get("content", "")})
        else:
            wire.append({"role": message.get("role"), "content": message.get("content", "")})
    return wire


def to_responses_input(messages: Sequence[ChatMessage], *, tools: bool = True
                       ) -> list[dict[str, Any]]:
    """The transcript as the Responses API's ``input`` items (instructions go in its
    own ``instructions`` field)."""
    items: list[dict[str, Any]] = []
    for _i, message, kind, n in _walk(messages, tools):
        if kind == _CALL:
            call = message.get("tool_call") or {}
            function = call_to_openai(call.get("recipient", ""), call.get("arguments", ""),
                                      call_id(n))["function"]
            items.append({"type": "function_call", "call_id": call_id(n), **function})
        elif kind == _RESULT:
            items.append({"type": "function_call_output", "call_id": call_id(n),
                          "output": message.get("content", "")})
        else:
            items.append({"role": message.get("role"), "content": message.get("content", "")})
    return items


_CALL, _RESULT, _TEXT = "call", "result", "text"


def _walk(messages: Sequence[ChatMessage], tools: bool
          ) -> Iterator[tuple[int, ChatMessage, str, int]]:
    """Each message to send: its position, itself, what it is (a call, a result, a user
    message or an answer) and the number of the call it makes or answers (from 1).
    ``tools`` False: earlier turns' calls and results are left out."""
    n = 0
    last_user = _last_user(messages)
    for i, message in enumerate(messages):
        role = message.get("role")
        if role == "assistant" and message.get("tool_call"):
            n += 1
            if tools or i > last_user:
                yield i, message, _CALL, n
        elif role == "tool":
            if tools or i > last_user:
                yield i, message, _RESULT, n
        elif role in ("user", "assistant"):
            yield i, message, _TEXT, n


def _last_user(messages: Sequence[ChatMessage]) -> int:
    return max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)


# -- OpenAI → transcript ------------------------------------------------------------------
def from_openai(messages: Any, *, builtin_python: bool = False
                ) -> tuple[list[ChatMessage], str]:
    """Chat Completions ``messages`` as the transcript and the instructions (the
    ``system`` and ``developer`` messages, in order). An assistant message's calls
    become one step each, every call followed by its result (paired by
    ``tool_call_id``; a result without an id answers the only call still open).
    Raises :class:`MessageError` for what cannot be read: another role, a result
    answering no call, content that is not text."""
    if not isinstance(messages, list):
        raise MessageError("'messages' must be a list of messages.", "messages")
    out: list[ChatMessage] = []
    instructions: list[str] = []
    open_calls: dict[str, int] = {}  # call id → index of its step in ``out``
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(message, Mapping):
            raise MessageError(f"{where} must be an object with 'role' and 'content'.",
                               where)
        role = message.get("role")
        if role in ("system", "developer"):
            instructions.append(text_content(message.get("content"), where))
        elif role == "user":
            out.append({"role": "user", "content": text_content(message.get("content"),
                                                                where)})
        elif role == "assistant":
            _assistant(message, where, out, open_calls, builtin_python)
        elif role == "tool":
            _result(message, where, out, open_calls)
        else:
            raise MessageError(f"{where}.role must be system, developer, user, assistant "
                               f"or tool (got {role!r}).", f"{where}.role")
    return out, "\n\n".join(t for t in instructions if t.strip())


def _assistant(message: Mapping[str, Any], where: str, out: list[ChatMessage],
               open_calls: dict[str, int], builtin_python: bool) -> None:
    content = text_content(message.get("content"), where, allow_none=True)
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list):
        raise MessageError(f"{where}.tool_calls must be a list.", f"{where}.tool_calls")
    if not calls:
        out.append({"role": "assistant", "content": content})
        return
    thought = next((message[k] for k in ("reasoning", "reasoning_content", "thinking")
                    if isinstance(message.get(k), str) and message[k]), "") or content
    for j, call in enumerate(calls):
        here = f"{where}.tool_calls[{j}]"
        function = call.get("function") if isinstance(call, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise MessageError(f"{here} must be {{\"id\": …, \"type\": \"function\", "
                               "\"function\": {\"name\": …, \"arguments\": …}}.", here)
        arguments = function.get("arguments")
        if isinstance(arguments, (dict, list)):  # some clients send the object itself
            arguments = json.dumps(arguments, ensure_ascii=False)
        if arguments is not None and not isinstance(arguments, str):
            raise MessageError(f"{here}.function.arguments must be a JSON string.",
                               f"{here}.function.arguments")
        step: ChatMessage = {"role": "assistant", "content": "",
                             "tool_call": call_from_openai(function["name"], arguments or "",
                                                           builtin_python=builtin_python)}
        if thought and j == 0:
            step["reasoning"] = thought
        open_calls[str(call.get("id") or f"#{len(out)}")] = len(out)
        out.append(step)


def _result(message: Mapping[str, Any], where: str, out: list[ChatMessage],
            open_calls: dict[str, int]) -> None:
    ident = message.get("tool_call_id")
    if ident is not None and str(ident) in open_calls:
        at = open_calls.pop(str(ident))
    elif ident is None and len(open_calls) == 1:
        at = open_calls.pop(next(iter(open_calls)))
    else:
        raise MessageError(f"{where} answers no tool call of an earlier assistant message "
                           f"(tool_call_id {ident!r}).", f"{where}.tool_call_id")
    call = out[at].get("tool_call") or {}
    result: ChatMessage = {"role": "tool", "name": call.get("recipient", ""),
                           "channel": call.get("channel", "commentary"),
                           "content": text_content(message.get("content"), where,
                                                   allow_none=True)}
    # Each result right after its call: harmony has no parallel calls.
    at += 1
    while at < len(out) and out[at].get("role") == "tool":
        at += 1
    out.insert(at, result)
    for key, index in open_calls.items():
        if index >= at:
            open_calls[key] = index + 1


def text_content(value: Any, where: str, allow_none: bool = False) -> str:
    """A message's text: a string, or a list of text parts (images and other parts
    raise :class:`MessageError`)."""
    if value is None and allow_none:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = []
        for part in value:
            if not isinstance(part, Mapping) or part.get("type") not in ("text", "input_text",
                                                                        "output_text") \
                    or not isinstance(part.get("text"), str):
                raise MessageError(f"{where}.content: Cove reads text only: each part "
                                   "must be {'type': 'text', 'text': …}.", f"{where}.content")
            texts.append(part["text"])
        return "".join(texts)
    raise MessageError(f"{where}.content must be a string or a list of text parts.",
                       f"{where}.content")
