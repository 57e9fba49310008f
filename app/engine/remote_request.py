"""What Cove sends a remote OpenAI-compatible server: the address it accepts and the
request bodies of the two APIs.

``reasoning_effort`` goes where servers read it: top level (vLLM, Ollama, OpenAI) and
``chat_template_kwargs`` (llama-server renders the template with it); the Responses
API gets ``reasoning: {effort}``. Plain ``http://`` is refused unless the host is this
computer or the user allowed it.

Tools go as the API has them (``tools``; python as a function, see
:mod:`app.engine.openai_messages`), and the transcript's tool steps as assistant
``tool_calls`` and ``tool`` results (``function_call`` / ``function_call_output`` items
in the Responses API); a request that offers no tools carries no earlier turn's tool
steps (only those of the turn it goes on with, after "Answer now" during a call).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Any

import httpx2

from app.engine import backend as codes
from app.engine import protocol
from app.engine.openai_messages import (
    to_openai,
    to_responses_input,
    tools_to_openai,
    tools_to_responses,
)
from app.engine.prompt import EFFORTS, ChatMessage, ToolOffer
from app.engine.remote_errors import RemoteError

CHAT = "chat"  # POST /chat/completions
RESPONSES = "responses"  # POST /responses
APIS = (CHAT, RESPONSES)

# OpenAI's recommendation for gpt-oss; other models keep the server's own defaults.
GPT_OSS_SAMPLING = {"temperature": 1.0, "top_p": 1.0}
_SAMPLING_KEYS = {
    "temp": "temperature", "temperature": "temperature", "top_p": "top_p", "top_k": "top_k",
    "min_p": "min_p", "repeat_penalty": "repeat_penalty",
    "presence_penalty": "presence_penalty", "frequency_penalty": "frequency_penalty",
    "seed": "seed",
}
_GPT_OSS_RE = re.compile(r"gpt[-_ ]?oss", re.I)


# -- addresses ------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """This computer: ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_url(base_url: str, allow_insecure: bool = False) -> str:
    """The API's base URL (``…/v1``), or RemoteError when it is not one Cove will use.

    ``http://host:8000`` becomes ``http://host:8000/v1``; a URL with a path keeps it
    (``https://host/api/v1``). Plain HTTP is for this computer only, unless the user
    allowed it for this server.
    """
    text = base_url.strip()
    if "://" not in text:
        text = "http://" + text if is_loopback(text.split("/")[0].rsplit(":", 1)[0]) \
            else "https://" + text
    try:
        url = httpx2.URL(text)
    except httpx2.InvalidURL as exc:
        raise RemoteError(f"{base_url!r} is not a web address.", protocol.BAD_REQUEST) from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise RemoteError(f"{base_url!r} is not an http or https address.",
                          protocol.BAD_REQUEST)
    if url.userinfo:
        raise RemoteError("Put the API key in the key field, not in the address.",
                          protocol.BAD_REQUEST)
    if url.scheme == "http" and not allow_insecure and not is_loopback(url.host):
        raise RemoteError(
            f"{url.host} would be reached over plain HTTP, which anyone on the network "
            "can read. Use an https:// address, or allow plain HTTP for this server if "
            "it is on a network you trust.", codes.INSECURE_URL)
    path = url.path.rstrip("/") or "/v1"
    return str(url.copy_with(path=path, query=None, fragment=None))


def looks_like_gpt_oss(model: str) -> bool:
    return bool(_GPT_OSS_RE.search(model))


# -- request bodies --------------------------------------------------------------------
def _sampling(model: str, sampling: dict[str, Any] | None) -> dict[str, Any]:
    params: dict[str, Any] = dict(GPT_OSS_SAMPLING) if looks_like_gpt_oss(model) else {}
    for key, value in (sampling or {}).items():
        if key not in _SAMPLING_KEYS:
            raise ValueError(f"unknown sampling setting {key!r}")
        params[_SAMPLING_KEYS[key]] = value
    return params


def _check_effort(effort: str) -> None:
    if effort not in EFFORTS:
        raise ValueError(f"unknown reasoning effort {effort!r}")


def _tool_choice(tools: Sequence[ToolOffer]) -> str | dict[str, str] | None:
    """The offers marked ``must_call`` as the APIs' ``tool_choice``: the one function
    (``{"name": …}``, each API wraps it its own way), ``required`` for one of several;
    None when the model is free."""
    names = [t.get("name", "") for t in tools if t.get("must_call")]
    if len(names) == 1:
        return {"name": names[0]}
    return "required" if names else None


def chat_body(
    model: str,
    messages: Sequence[ChatMessage],
    instructions: str = "",
    effort: str = "medium",
    sampling: dict[str, Any] | None = None,
    max_tokens: int | None = None,
    stop: Sequence[str] | None = None,
    tools: Sequence[ToolOffer] = (),
) -> dict[str, Any]:
    """The JSON of a streaming ``/chat/completions`` request.

    Instructions go in a ``system`` message (gpt-oss's template makes it the developer
    message; every template knows ``system``). Earlier turns' reasoning is not sent:
    the template would drop it anyway; the reasoning before the calls of the turn being
    answered is, to gpt-oss (harmony keeps it until the final answer).
    """
    _check_effort(effort)
    wire = to_openai(messages, instructions, reasoning=looks_like_gpt_oss(model),
                     tools=bool(tools))
    body: dict[str, Any] = {
        "model": model, "messages": wire, "stream": True,
        "stream_options": {"include_usage": True},
        "reasoning_effort": effort,
        "chat_template_kwargs": {"reasoning_effort": effort},
        **_sampling(model, sampling),
    }
    if max_tokens:
        body["max_tokens"] = int(max_tokens)
    if stop is not None:
        body["stop"] = list(stop)
    if tools:
        body["tools"] = tools_to_openai(tools)
        choice = _tool_choice(tools)
        if choice is not None:
            body["tool_choice"] = choice if isinstance(choice, str) else \
                {"type": "function", "function": choice}
    return body


def responses_body(
    model: str,
    messages: Sequence[ChatMessage],
    instructions: str = "",
    effort: str = "medium",
    sampling: dict[str, Any] | None = None,
    max_tokens: int | None = None,
    tools: Sequence[ToolOffer] = (),
) -> dict[str, Any]:
    """The JSON of a streaming ``/responses`` request (no stop strings in that API)."""
    _check_effort(effort)
    body: dict[str, Any] = {
        "model": model, "stream": True, "reasoning": {"effort": effort},
        "input": to_responses_input(messages, tools=bool(tools)),
    }
    if tools:
        body["tools"] = tools_to_responses(tools)
        choice = _tool_choice(tools)
        if choice is not None:
            body["tool_choice"] = choice if isinstance(choice, str) else \
                {"type": "function", **choice}
    if instructions:
        body["instructions"] = instructions
    params = _sampling(model, sampling)
    body.update({k: v for k, v in params.items() if k in ("temperature", "top_p")})
    if max_tokens:
        body["max_output_tokens"] = int(max_tokens)
    return body

