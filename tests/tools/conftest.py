"""A scripted tiny gpt-oss that calls a tool, and answers once a result holds "~".

After ``<|start|>assistant`` it writes ``<|channel|>commentary to=functions.lookup
<|constrain|>json<|message|>{"q":"x"}<|call|>`` (the channel, recipient and arguments
can be changed per model: malformed JSON, an odd name, the wrong channel). Once the
context holds the marker ``~`` (a tool's result), it writes ``<|channel|>final
<|message|>Done<|return|>`` instead: a real llama.cpp model through the real worker
that calls a tool, reads its result and answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import tiny_gpt_oss

CALL = " to=functions.lookup "
ARGS = '{"q":"x"}'
ANSWER = "Done"
MARKER = "~"

ToolModel = Callable[..., Path]


def tool_script(channel: str, call: str, args: str) -> dict[str, str]:
    return {"assistant": "<|channel|>", "<|channel|>": channel, channel: call,
            call: "<|constrain|>", "<|constrain|>": "json", "json": "<|message|>",
            "<|message|>": args, args: "<|call|>", "final": "<|message|>",
            ANSWER: "<|return|>"}


def tool_model_factory(folder: Path, gpt_oss_template: str) -> ToolModel:
    """A factory: the tool-calling model, optionally with another channel, recipient
    header or arguments (the ``tool_model`` fixture of tests/conftest.py)."""
    built: dict[tuple[str, str, str], Path] = {}

    def make(channel: str = "commentary", call: str = CALL, args: str = ARGS) -> Path:
        key = (channel, call, args)
        if key not in built:
            path = folder / f"tool-model-{len(built)}.gguf"
            built[key] = tiny_gpt_oss.build(
                path, gpt_oss_template, successors=tool_script(channel, call, args),
                words=[call, "json", args, ANSWER],
                after_marker={"<|channel|>": "final", "<|message|>": ANSWER}, marker=MARKER)
        return built[key]

    return make


@pytest.fixture
def tool_engine(tool_model: ToolModel, tmp_path: Path) -> Iterator[object]:
    """A worker with the default tool-calling model loaded."""
    from app.engine.client import EngineClient

    client = EngineClient(log_path=tmp_path / "worker.log")
    client.load(tool_model(), n_ctx=2048, seed=1)
    yield client
    client.close()
