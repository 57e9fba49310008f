"""Servers in settings (the key only in the keyring), and ``cove chat --server NAME`` /
``cove servers …`` against the real llama_cpp.server."""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from app import cli, remote_cli
from app.engine import backend as codes
from app.engine.servers import (
    KEYRING_SERVICE,
    ServerConfig,
    ServerError,
    ServerStore,
    api_key,
    set_api_key,
)
from tests.remote.conftest import API_KEY, MemoryKeyring
from tests.remote.servers import LlamaServer


@pytest.fixture
def store(tmp_path: Path) -> ServerStore:
    return ServerStore(tmp_path / "servers.json")


def test_servers_are_kept_and_their_keys_only_in_the_keyring(
        store: ServerStore, memory_keyring: MemoryKeyring) -> None:
    store.save(ServerConfig("Team box", "gpu-box.example:8000", model="openai/gpt-oss-120b"),
               "sk-team-secret")
    store.save(ServerConfig("Laptop", "http://localhost:11434"))
    assert [s.name for s in store.servers()] == ["Team box", "Laptop"]
    team = store.get("Team box")
    assert team.base_url == "https://gpu-box.example:8000/v1"
    assert memory_keyring.store == {(KEYRING_SERVICE, "server:Team box"): "sk-team-secret"}
    assert "sk-team-secret" not in store.path.read_text()
    assert "sk-team-secret" not in repr(team) + repr(store.connect("Team box"))
    assert api_key("Team box") == "sk-team-secret" and api_key("Laptop") is None

    # A rename keeps the key and the place in the list; remove forgets both.
    store.save(ServerConfig("GPU box", team.base_url, model=team.model),
               replace_name="Team box")
    assert [s.name for s in store.servers()] == ["GPU box", "Laptop"]
    assert api_key("GPU box") == "sk-team-secret" and api_key("Team box") is None
    store.remove("GPU box")
    assert api_key("GPU box") is None and [s.name for s in store.servers()] == ["Laptop"]
    with pytest.raises(ServerError, match=r"no server named 'GPU box'.*Laptop"):
        store.get("GPU box")


def test_plain_http_to_another_computer_needs_consent(store: ServerStore) -> None:
    with pytest.raises(ServerError, match="plain HTTP") as refused:
        store.save(ServerConfig("lan", "http://192.168.1.20:8000"))
    assert refused.value.code == codes.INSECURE_URL and store.servers() == []
    saved = store.save(ServerConfig("lan", "http://192.168.1.20:8000", allow_insecure=True))
    assert saved.base_url == "http://192.168.1.20:8000/v1"


def test_no_keyring_means_no_key_rather_than_a_file(store: ServerStore) -> None:
    keyring.set_keyring(NoKeyring())
    with pytest.raises(ServerError, match="no usable keyring"):
        set_api_key("lab", "sk-1")
    assert api_key("lab") is None  # reading just finds nothing


def test_an_unreadable_file_is_an_empty_list(store: ServerStore) -> None:
    store.path.write_text("{not json")
    assert store.servers() == []
    store.path.write_text(json.dumps({"servers": [{"name": "x"}, {"name": "ok",
                                                                   "base_url": "http://127.0.0.1:1/v1",
                                                                   "future": 1}]}))
    servers = store.servers()
    assert [s.name for s in servers] == ["ok"] and servers[0].extra == {"future": 1}


def cove(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    """The real command line (app/cli.py's parser and dispatch), in this process."""
    args = cli.build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    if args.command == "chat":
        code = cli.run_chat(args, io.StringIO(stdin), out, err)
    else:
        code = remote_cli.run(args, out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_cove_servers_and_chat_with_a_server(oss_server: LlamaServer) -> None:
    code, out, err = cove("servers", "add", "lab", oss_server.url, "--key-stdin",
                          stdin=API_KEY + "\n")
    assert code == 0 and "Connected to lab: 1 model(s)" in out, err
    code, out, _ = cove("servers", "list")
    assert "lab" in out and "key in keyring" in out and API_KEY not in out
    assert cove("servers", "test", "lab")[0] == 0
    code, out, _ = cove("servers", "models", "lab")
    assert out.strip() == oss_server.model_id

    code, out, err = cove("chat", "--server", "lab", "--max-tokens", "8", "--temperature",
                          "0", "Hi")
    assert code == 0, err
    assert out.strip() and "<|" not in out
    code, out, err = cove("chat", "--server", "lab", "--max-tokens", "4",
                          stdin="Hi\nAgain\n\n")
    assert code == 0 and err.count("> ") == 3 and "Chatting with" in err

    code, _, err = cove("chat", "--server", "lab", "--model", "gpt-oss-120b", "Hi")
    assert code == 1 and "no model 'gpt-oss-120b'" in err

    set_api_key("lab", "sk-wrong")
    code, _, err = cove("servers", "test", "lab")
    assert code == 1 and "refused the API key" in err
    code, _, err = cove("chat", "--server", "nowhere", "Hi")
    assert code == 1 and "no server named 'nowhere'" in err
    assert cove("servers", "remove", "lab")[0] == 0
    assert api_key("lab") is None


def test_chat_with_an_unreachable_server_fails_cleanly() -> None:
    from tests.remote.servers import free_port

    assert cove("servers", "add", "gone", f"http://127.0.0.1:{free_port()}", "--model",
                "m")[0] == 0
    code, _, err = cove("chat", "--server", "gone", "Hi")
    assert code == 1 and "Cannot reach gone" in err and "Traceback" not in err
    assert codes.SERVER_UNREACHABLE  # the code behind that message


def test_the_command_line_knows_the_same_apis() -> None:
    from app.engine.remote_request import APIS

    assert remote_cli._APIS == APIS
