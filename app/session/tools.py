"""The tool loop of one answer: the model calls a tool, the tool runs, the answer goes on.

A generation that ends at ``<|call|>`` (``Done`` with a ``call``) hands the call to
:class:`ToolLoop`, which decides what happens to it, once, for every view:

* **checked first**: an unknown tool, a name with odd characters, a call on the wrong
  channel, arguments that are not a JSON object or do not fit the tool's schema become
  an *error result* the model reads and can react to, never a crash;
* **limits**: at most :attr:`ToolLimits.max_calls` calls per answer, and the same call
  (tool and arguments) made :attr:`ToolLimits.max_repeats` times ends the loop with a
  note (models do loop); the answer then ends with what it has;
* **approval**: a tool whose spec ``asks_first`` waits for the user (a view calls
  :meth:`app.session.service.Session.approve_tool`); where no one can answer (the
  command line without ``--allow-tools``) the call is denied and the model told so;
* **the result** goes back as a ``functions.NAME to=assistant`` (or ``python``) message
  after the call itself, in the same turn: the engine replays the call and evaluates only
  the result (KV reuse). Results are cut to :attr:`ToolLimits.result_chars`.

Arguments are checked with a small JSON-schema subset (:func:`schema_errors`: type,
required, properties, enum, items, additionalProperties false) because ``jsonschema``
is not a dependency; a tool gets arguments that passed it and may check more itself.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine.events import ToolCall
from app.engine.prompt import ToolOffer
from app.tools.base import BUILTIN_PYTHON, Tool, ToolResult

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

# A call's status, as the events and the history name it.
ASKING, RUNNING, DONE, FAILED, DENIED = "asking", "running", "done", "failed", "denied"


@dataclass(frozen=True)
class ToolLimits:
    """How far one answer's tool loop may go."""

    max_calls: int = 8
    max_repeats: int = 3
    result_chars: int = 12_000  # what the model reads of one result (about 3,000 tokens)


@dataclass
class ToolRun:
    """One call of the answer being written, as the views and the history see it."""

    id: int
    tool: str  # the tool's name ("lookup", "python"), or what the model called
    recipient: str  # as the model addressed it ("functions.lookup")
    channel: str
    arguments: str  # as the model wrote them
    status: str = RUNNING
    result: str = ""  # what the model read
    shown: str | None = None  # what the user sees, if different
    is_error: bool = False
    started_at: float = field(default_factory=time.time)
    ms: int | None = None  # time taken, the tool's own
    data: Mapping[str, Any] = field(default_factory=dict)
    raw: str = ""
    reasoning: str = ""  # the reasoning before this call (kept in the turn)
    parsed: dict[str, Any] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    decision: bool | None = None  # the user's answer while asking

    def record(self) -> dict[str, Any]:
        """What the history keeps of it (JSON)."""
        out: dict[str, Any] = {
            "tool": self.tool, "recipient": self.recipient, "channel": self.channel,
            "arguments": self.arguments, "status": self.status, "result": self.result,
            "is_error": self.is_error, "started_at": round(self.started_at, 3),
            "ms": self.ms}
        if self.shown is not None:
            out["shown"] = self.shown
        return out


@dataclass(frozen=True)
class Verdict:
    """What to do with a call: run ``tool`` with ``arguments``, answer with ``error``
    (the model reads it), or ``end`` the loop (a note for the user)."""

    tool: Tool | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    end: str | None = None


class ToolLoop:
    """The calls of one answer: checks, limits, and the turn so far for the
    continuation. Plain bookkeeping; the session runs it on its own thread."""

    def __init__(self, tools: Sequence[Tool], limits: ToolLimits | None = None) -> None:
        self.tools = {t.spec.name: t for t in tools}
        self.limits = limits or ToolLimits()
        self.runs: list[ToolRun] = []
        self.turn: list[dict[str, Any]] = []  # assistant calls and tool results so far
        self._seen: dict[str, int] = {}
        self.offers_tools = True  # False after "Answer now" during a call

    @property
    def offers(self) -> list[ToolOffer]:
        """The tools as the engine offers them to the model."""
        if not self.offers_tools:
            return []
        return [offer(t) for t in self.tools.values()]

    @property
    def current(self) -> ToolRun | None:
        """The call being asked about or run, if any."""
        run = self.runs[-1] if self.runs else None
        return run if run is not None and run.status in (ASKING, RUNNING) else None

    def judge(self, call: ToolCall) -> Verdict:
        """Check ``call`` against the tools offered and the loop's limits."""
        if not self.offers_tools:
            return Verdict(end="Stopped: the answer was asked for now, without tools.")
        if len(self.runs) >= self.limits.max_calls:
            return Verdict(end=f"Stopped: the model made more than {self.limits.max_calls} "
                               "tool calls in one answer.")
        key = f"{call.recipient}\0{_canonical(call.arguments)}"
        self._seen[key] = self._seen.get(key, 0) + 1
        if self._seen[key] >= self.limits.max_repeats:
            return Verdict(end=f"Stopped: the model made the same tool call "
                               f"{self._seen[key]} times.")
        return self._check(call)

    def _check(self, call: ToolCall) -> Verdict:
        recipient = call.recipient
        if recipient == BUILTIN_PYTHON:
            tool = self.tools.get(BUILTIN_PYTHON)
            if tool is None:
                return Verdict(error="Error: the python tool is not available here.")
            return Verdict(tool, {"code": call.arguments})
        namespace, _, name = recipient.partition(".")
        if namespace != "functions" or not _NAME_RE.fullmatch(name):
            shown = recipient[:80]
            return Verdict(error=f"Error: {shown!r} is not a tool name. Call a tool as "
                                 "functions.NAME, with NAME one of: " + self._names() + ".")
        tool = self.tools.get(name)
        if tool is None or tool.spec.name == BUILTIN_PYTHON:
            return Verdict(error=f"Error: there is no tool named {name!r}. The tools are: "
                                 + self._names() + ".")
        if call.channel != "commentary":
            return Verdict(error=f"Error: calls to functions.{name} go on the commentary "
                                 "channel, not " + repr(call.channel or "none") + ".")
        try:
            arguments = json.loads(call.arguments or "{}")
        except json.JSONDecodeError as exc:
            return Verdict(error=f"Error: the arguments are not valid JSON ({exc.msg} at "
                                 f"character {exc.pos}). Send one JSON object.")
        if not isinstance(arguments, dict):
            return Verdict(error="Error: the arguments must be one JSON object.")
        problems = schema_errors(dict(tool.spec.parameters), arguments)
        if problems:
            return Verdict(error="Error: the arguments do not fit the tool: "
                                 + "; ".join(problems[:5]) + ".")
        return Verdict(tool, arguments)

    def _names(self) -> str:
        names = [n for n in self.tools if n != BUILTIN_PYTHON]
        return ", ".join(names) if names else "(none)"

    def start(self, call: ToolCall, reasoning: str, tool: Tool | None) -> ToolRun:
        """A new run for ``call`` (its tool's name when known)."""
        name = tool.spec.name if tool is not None else call.recipient.rpartition(".")[2]
        run = ToolRun(len(self.runs) + 1, name, call.recipient, call.channel,
                      call.arguments, raw=call.raw, reasoning=reasoning)
        self.runs.append(run)
        return run

    def finish(self, run: ToolRun, result: ToolResult, status: str) -> None:
        """The run ended: its result goes into the turn for the continuation."""
        text = result.text
        if len(text) > self.limits.result_chars:
            text = text[: self.limits.result_chars] + "\n[… cut: the result was longer]"
        run.result, run.shown, run.is_error = text, result.shown, result.is_error
        run.data = result.data
        run.status = status
        if run.ms is None:
            run.ms = int((time.time() - run.started_at) * 1000)
        self.turn.append({"role": "assistant", "content": "", "reasoning": run.reasoning,
                          "tool_call": {"recipient": run.recipient, "channel": run.channel,
                                        "arguments": run.arguments, "raw": run.raw}})
        self.turn.append({"role": "tool", "name": run.recipient, "channel": run.channel,
                          "content": text})


def history_steps(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A saved answer's calls (:meth:`ToolRun.record`) as the transcript's tool steps
    before its text, for the prompts of later turns: each call and the result the model
    read. Calls that never got a result (asking or running when Cove stopped) are left
    out; the engine decides what of them a model sees (:mod:`app.engine.prompt`)."""
    steps: list[dict[str, Any]] = []
    for record in records:
        if record.get("status") in (ASKING, RUNNING):
            continue
        tool = str(record.get("tool") or "")
        recipient = str(record.get("recipient") or (
            BUILTIN_PYTHON if tool == BUILTIN_PYTHON else f"functions.{tool}"))
        channel = str(record.get("channel") or (
            "analysis" if recipient == BUILTIN_PYTHON else "commentary"))
        steps.append({"role": "assistant", "content": "",
                      "tool_call": {"recipient": recipient, "channel": channel,
                                    "arguments": str(record.get("arguments") or "")}})
        steps.append({"role": "tool", "name": recipient, "channel": channel,
                      "content": str(record.get("result") or "")})
    return steps


def offer(tool: Tool) -> ToolOffer:
    spec = tool.spec
    kind = "python" if spec.kind == BUILTIN_PYTHON or spec.name == BUILTIN_PYTHON \
        else "function"
    return {"name": spec.name, "description": spec.description,
            "parameters": dict(spec.parameters), "kind": kind}


def _canonical(arguments: str) -> str:
    """The same call written with other spacing or key order is the same call."""
    try:
        return json.dumps(json.loads(arguments), sort_keys=True, separators=(",", ":"))
    except (json.JSONDecodeError, TypeError):
        return arguments.strip()


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


def schema_errors(schema: Any, value: Any, where: str = "") -> list[str]:
    """What in ``value`` does not fit ``schema`` (a subset of JSON schema: type,
    required, properties, additionalProperties false, enum, items); [] when it fits.
    A schema written oddly (``true``, a list where an object belongs: MCP servers send
    what they like) checks nothing rather than failing the call."""
    place = where or "the arguments"
    if schema is False:
        return [f"{place} is not accepted by this tool"]
    if not isinstance(schema, Mapping):
        return []
    wanted = schema.get("type")
    if wanted is not None:
        kinds = wanted if isinstance(wanted, list) else [wanted]
        fits = any(_is(value, str(k)) for k in kinds)
        if not fits:
            return [f"{place} should be {' or '.join(str(k) for k in kinds)}"]
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum:
        return [f"{place} should be one of {', '.join(map(repr, enum))}"]
    problems: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties")
        properties = properties if isinstance(properties, Mapping) else {}
        required = schema.get("required")
        for name in required if isinstance(required, list) else []:
            if isinstance(name, str) and name not in value:
                problems.append(f"{name!r} is missing")
        for name, item in value.items():
            if name in properties:
                problems += schema_errors(properties[name], item, repr(name))
            elif schema.get("additionalProperties") is False:
                problems.append(f"{name!r} is not an argument of this tool")
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for i, item in enumerate(value):
            problems += schema_errors(schema["items"], item, f"{place}[{i}]")
    return problems


def _is(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(kind, (object,)))
