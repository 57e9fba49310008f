"""Reading before the question (issue 15 §3), through the real worker: a conversation's
known part (instructions, documents, turns) is evaluated in the background, so the
question evaluates only itself; its KV state is saved sealed on disk and restored by a
new worker; a damaged or foreign state file is ignored; a chat pre-empts a prefill.

The worker's own counts prove it: ``cached_tokens``/``evaluated_tokens`` of the chat
that follows, ``cached``/``restored`` of the prefill."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config.sealed import FileKey, is_sealed
from app.engine import protocol
from app.engine.client import EngineClient
from app.engine.kv_store import PURPOSE, KvStore, model_identity, tokens_hash

GREEDY = {"temp": 0.0}


def new_key() -> FileKey:
    return FileKey(os.urandom(32), PURPOSE)
RULES = "Answer from the document. Be brief."
# About 500 gemma tokens: long enough to be saved (kv_store.MIN_TOKENS), short enough
# for a busy 2-core machine.
DOCUMENT = "<documents>\n[1] rivers.txt\n" + " ".join(
    f"River {i} flows north into lake {i * 7} past the town of Vale{i}." for i in range(40)
) + "\n</documents>"


def known(document: str = DOCUMENT) -> list[dict[str, str]]:
    """The conversation before its question, as the documents step sends it."""
    return [{"role": "user", "content": f"{document}\n\n"}]


def asked(question: str, document: str = DOCUMENT) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"{document}\n\n{question}"}]


def answer(engine: EngineClient, messages: list[dict[str, str]],
           instructions: str = RULES, **kw: Any) -> dict[str, Any]:
    """The chat's ``done`` (stats), every message before it passed over."""
    for msg in engine.chat(messages, instructions, sampling=GREEDY,  # type: ignore[arg-type]
                           max_tokens=6, **kw):
        if msg["type"] in (protocol.DONE, protocol.ERROR):
            assert msg["type"] == protocol.DONE, msg
            return dict(msg["stats"])
    raise AssertionError("no done")


@pytest.fixture
def states(tmp_path: Path) -> Path:
    return tmp_path / "kv"


@pytest.fixture
def engine(gemma_path: Path, states: Path, tmp_path: Path) -> Iterator[EngineClient]:
    client = EngineClient(log_path=tmp_path / "worker.log")
    client.keep_states(states, new_key(), 1 << 30)
    client.load(gemma_path, n_ctx=4096, seed=1)
    yield client
    client.close()


def test_a_question_after_the_prefill_evaluates_only_itself(engine: EngineClient) -> None:
    progress: list[dict[str, Any]] = []
    done = engine.wait_prefilled(engine.prefill(known(), RULES), progress.append)
    assert done["finished"] and done["cached"] == 0 and done["tokens"] > 400
    assert progress and progress[-1]["done"] == progress[-1]["total"]
    assert all(p["seconds_left"] is None or p["seconds_left"] >= 0 for p in progress)
    probe = engine.probe(known(), RULES)
    assert probe["known"] == probe["tokens"] == done["tokens"] and probe["tok_s"] > 0

    stats = answer(engine, asked("Where does river 5 flow?"))
    assert stats["cached_tokens"] >= done["tokens"] - 1
    assert stats["evaluated_tokens"] < 20  # the question and the template around it


def test_the_state_is_saved_and_a_new_worker_reads_it_from_disk(
        engine: EngineClient, states: Path) -> None:
    done = engine.wait_prefilled(engine.prefill(known(), RULES))
    assert done["saved"]
    files = list(states.glob("*.kvs"))
    assert len(files) == 1
    assert is_sealed(files[0])  # with the key (a state holds token ids, not words)

    engine.restart()  # a new process: nothing in memory
    probe = engine.probe(known(), RULES)
    assert probe["known"] == probe["tokens"]  # from disk
    stats = answer(engine, asked("Where does river 5 flow?"))
    assert stats["cached_tokens"] >= done["tokens"] - 1
    assert stats["evaluated_tokens"] < 20

    engine.restart()
    again = engine.wait_prefilled(engine.prefill(known(), RULES))
    assert again["restored"] == again["tokens"] and not again["saved"]


@pytest.mark.parametrize("damage", ["garbage", "another key", "other tokens"])
def test_a_damaged_or_foreign_state_is_ignored_and_removed(
        engine: EngineClient, states: Path, gemma_path: Path, damage: str) -> None:
    done = engine.wait_prefilled(engine.prefill(known(), RULES))
    [saved] = list(states.glob("*.kvs"))
    if damage == "garbage":
        saved.write_bytes(os.urandom(4096))
    elif damage == "another key":
        store = KvStore(states, new_key())
        tokens = engine.prompt_tokens(known(), RULES)["tokens"][: done["tokens"]]
        saved.unlink()
        model = saved.name.split("-")[0]
        store.save(model, tokens, b"\x01" * 1000)
        [saved] = list(states.glob("*.kvs"))
    else:  # a file named for this prompt that holds another one's tokens
        name = saved.name
        store = KvStore(states, None)
        saved.unlink()
        store.save(name.split("-")[0], list(range(done["tokens"])), b"\x01" * 1000)
        [other] = list(states.glob("*.kvs"))
        other.rename(states / name)
        saved = states / name
    engine.restart()
    stats = answer(engine, asked("Where does river 5 flow?"))
    assert stats["cached_tokens"] < 10  # evaluated again, as if nothing was saved
    assert stats["completion_tokens"] > 0
    assert not saved.exists(), sorted(p.name for p in states.iterdir())


def test_a_chat_goes_before_a_running_prefill_which_goes_on_after_it(
        engine: EngineClient) -> None:
    long_document = DOCUMENT.replace("</documents>", DOCUMENT[30:])  # about 1,000 tokens
    prefill_id = engine.prefill(known(long_document), RULES)
    seen: list[dict[str, Any]] = []

    class Started(Exception):
        pass

    def first(msg: dict[str, Any]) -> None:
        seen.append(msg)
        raise Started

    with pytest.raises(Started):
        engine.wait_prefilled(prefill_id, first)
    assert seen[0]["type"] == protocol.PROMPT_PROGRESS
    total = seen[0]["total"]

    # Another conversation's question: the worker stops reading ahead for it.
    stats = answer(engine, [{"role": "user", "content": "Name a colour."}], "")
    assert stats["completion_tokens"] > 0
    after: list[dict[str, Any]] = []
    done = engine.wait_prefilled(prefill_id, after.append)
    assert done["finished"] and done["tokens"] == total
    assert after, "the prefill went on after the chat"
    stats = answer(engine, asked("Where does river 5 flow?", long_document))
    assert stats["cached_tokens"] >= done["tokens"] - 1


@pytest.mark.timeout(120)  # without the fix the prefill ends silently: no 'prefilled'
def test_stop_for_a_question_being_prepared_does_not_drop_the_reading(
        engine: EngineClient) -> None:
    """The window sends Stop even when its question was never sent (still being
    prepared, the worker back at reading ahead): that Stop is for the answer, and the
    documents' reading goes on to its end, saved."""
    long_document = DOCUMENT.replace("</documents>", DOCUMENT[30:])  # about 1,000 tokens
    prefill_id = engine.prefill(known(long_document), RULES)

    class Started(Exception):
        pass

    def first(_msg: dict[str, Any]) -> None:
        raise Started

    with pytest.raises(Started):
        engine.wait_prefilled(prefill_id, first)
    engine.cancel()
    done = engine.wait_prefilled(prefill_id)
    assert done["finished"] and done["saved"], done
    stats = answer(engine, asked("Where does river 5 flow?", long_document))
    assert stats["cached_tokens"] >= done["tokens"] - 1


def test_plain_states_go_once_the_history_is_encrypted(tmp_path: Path) -> None:
    """A plain history's states (token ids that read back into its words) do not stay
    beside an encrypted one: the worker removes them when it is told the key; sealed
    states stay."""
    states = tmp_path / "kv"
    states.mkdir()
    key = new_key()
    plain = KvStore(states, None).save("a" * 16, list(range(300)), b"state" * 100)
    sealed = KvStore(states, key).save("a" * 16, list(range(400)), b"state" * 100)
    assert plain is not None and sealed is not None and not is_sealed(plain)
    engine = EngineClient(log_path=tmp_path / "worker.log")
    try:
        engine.keep_states(states, key)
        engine.stats()  # answered after the kv_store request: the worker has read it
        assert not plain.exists()
        assert sealed.exists() and is_sealed(sealed)
    finally:
        engine.close()


def test_saved_states_stay_under_the_cap_least_recently_used_first(tmp_path: Path) -> None:
    store = KvStore(tmp_path, new_key(), cap=0)
    blob = os.urandom(200_000)
    first = store.save("a" * 16, [1, 2, 3], blob)
    assert first is None or not first.exists()  # larger than the cap: not kept
    store.cap = 3 * 220_000
    paths = [store.save("a" * 16, list(range(n)), blob) for n in (10, 20, 30)]
    assert all(p is not None and p.exists() for p in paths)
    os.utime(paths[0], (1, 1))  # the oldest use
    os.utime(paths[1], (2, 2))
    os.utime(paths[2], (3, 3))
    found = store.find("a" * 16, list(range(25)))
    assert found is not None and found.n_tokens == 20
    assert store.load(found, list(range(25))) == blob  # used now: touched
    store.save("a" * 16, list(range(40)), blob)  # over the cap: the least recently used go
    left = sorted(p.name.split("-")[1] for p in tmp_path.glob("*.kvs"))
    assert "10" not in left and "20" in left and "40" in left
    assert store.find("b" * 16, list(range(25))) is None  # another model's never


def test_a_model_file_changed_on_disk_is_another_model(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"one")
    before = model_identity(model, 4096, "f16")
    model.write_bytes(b"two!")
    assert model_identity(model, 4096, "f16") != before
    assert model_identity(model, 8192, "f16") != model_identity(model, 4096, "f16")
    assert tokens_hash([1, 2]) != tokens_hash([2, 1])


def test_gpt_oss_a_prefill_with_instructions_and_tools_leaves_only_the_question(
        tiny_gpt_oss_path: Path, tmp_path: Path) -> None:
    """The harmony template: the prefill stops after the documents' text (before
    ``<|end|><|start|>assistant``), with the developer message and the tools the
    answer will be offered, so the question's prompt starts with all of it."""
    tools = [{"name": "search_documents", "description": "Search the documents.",
              "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}]
    with EngineClient(log_path=tmp_path / "worker.log") as engine:
        engine.keep_states(tmp_path / "kv", None)
        engine.load(tiny_gpt_oss_path, n_ctx=4096, seed=3)
        document = DOCUMENT[:900] + "\n</documents>"  # its vocabulary is mostly bytes
        history = [{"role": "user", "content": f"{document}\n\nWhich river is first?"},
                   {"role": "assistant", "content": "River 0."}]
        done = engine.wait_prefilled(engine.prefill(
            [*history, {"role": "user", "content": ""}], RULES, "low", tools))
        assert done["finished"] and done["tokens"] > 300, done
        stats = answer(engine, [*history, {"role": "user", "content": "And the last?"}],
                       effort="low", tools=tools)
        assert stats["cached_tokens"] >= done["tokens"] - 1
        assert stats["evaluated_tokens"] < 20
        assert list((tmp_path / "kv").glob("*.kvs"))  # plain history: a plain state
