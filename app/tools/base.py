"""The contract between tools and the conversation session.

A :class:`Tool` describes itself (:class:`ToolSpec`: the name the model calls, what it
does, its arguments' JSON schema) and runs one call (:meth:`Tool.run`) off the GUI
thread, returning a :class:`ToolResult` (text the model reads, and what the user sees).
A tool never raises for a bad call or a failure the model could react to: it returns
an error result, and the model gets the error as the call's result.

The session decides when a call may run (the user's approval, the per-conversation
switch, the loop limits); the tool only runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

# What kind of tool: harmony offers gpt-oss's built-in python in the system message and
# function tools in the developer message (``namespace functions``).
BUILTIN_PYTHON = "python"
FUNCTION = "function"


@dataclass(frozen=True)
class ToolSpec:
    """How a tool is offered to the model and shown to the user."""

    name: str  # what the model calls: "python", or a function name (letters, digits, _)
    description: str  # for the model (English: what it does, when to use it)
    parameters: Mapping[str, Any] = field(default_factory=dict)  # JSON schema (object)
    kind: str = FUNCTION
    title: str = ""  # for the user (the window translates its own tools' titles)
    leaves_computer: bool = False  # it contacts something outside this computer
    asks_first: bool = True  # each call waits for the user's approval unless trusted


@dataclass(frozen=True)
class ToolResult:
    """The outcome of one call. ``text`` is what the model reads (kept short: the
    session cuts it to fit the context); ``shown`` is what the user sees, if different;
    ``files`` are files the call created (the window offers to save them)."""

    text: str
    is_error: bool = False
    shown: str | None = None
    files: tuple[Path, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)  # e.g. sources for citations


@runtime_checkable
class Tool(Protocol):
    """One tool. ``run`` is called on a background thread; it must return soon after
    ``cancel`` is set (Stop), with whatever it has."""

    @property
    def spec(self) -> ToolSpec: ...

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult: ...


def error(text: str) -> ToolResult:
    """A failure the model can react to (bad arguments, a timeout, a refusal)."""
    return ToolResult(text=text, is_error=True)
