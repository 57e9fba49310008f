"""The real worker process with the real gemma GGUF: streaming, multi-turn cache reuse,
cancel, context overflow, a killed worker, bad model files."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from app.engine import protocol
from app.engine.client import EngineClient, EngineError
from app.engine.prompt import answer_reserve, least_answer_room
from app.engine.transcript import Reply
from app.reasons import Reason, say

GREEDY = {"temp": 0.0}


def run(engine: EngineClient, messages: list[dict[str, str]], **kw: Any) -> tuple[Reply, list]:
    reply = Reply()
    seen = []
    for msg in engine.chat(messages, **kw):  # type: ignore[arg-type]
        seen.append(msg)
        reply.add(msg)
    return reply, seen


def test_streams_a_coherent_answer_in_many_events(gemma_engine: EngineClient) -> None:
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    reply, seen = run(gemma_engine, messages, sampling=GREEDY, max_tokens=24)
    deltas = [m for m in seen if m["type"] == "event" and m["kind"] == "answer"]
    assert len(deltas) > 5, "the answer must stream, not arrive at once"
    assert "Paris" in reply.answer
    assert reply.reasoning == ""  # not a harmony model
    assert seen[-1]["type"] == "done"
    assert reply.stats["completion_tokens"] > 0 and reply.stats["tokens_per_s"] > 0
    assert "User:" not in reply.answer  # the fallback format's stop string


def test_model_info_reports_cpu_and_fallback_template(gemma_engine: EngineClient) -> None:
    info = gemma_engine.info
    assert info["backend"] == "CPU"
    assert info["chat_template"] == "fallback"
    assert info["harmony"] is False
    assert info["architecture"] == "gemma3"
    assert info["n_ctx"] == 2048 and info["n_params"] > 200_000_000
    # The hardware planner decided what the request left open, and says so plainly.
    assert info["explanation"].startswith("Gemma 3 270m runs on the CPU")
    assert info["plan"]["n_gpu_layers"] == 0 and info["plan"]["n_threads"] >= 1
    assert info["fallbacks_tried"] == []


def test_turn_two_evaluates_only_what_changed(gemma_engine: EngineClient) -> None:
    history = [{"role": "user", "content": "Name three colours of the rainbow."}]
    first, _ = run(gemma_engine, history, sampling=GREEDY, max_tokens=20)
    history += [{"role": "assistant", "content": first.answer},
                {"role": "user", "content": "And three animals?"}]
    second, _ = run(gemma_engine, history, sampling=GREEDY, max_tokens=20)
    stats = second.stats
    # Turn 1's whole prompt is still in the KV cache.
    assert stats["cached_tokens"] >= first.stats["prompt_tokens"] - 1
    assert stats["evaluated_tokens"] < stats["prompt_tokens"] - stats["cached_tokens"] + 1
    assert stats["evaluated_tokens"] < 40


def test_cancel_stops_generation_quickly_and_worker_stays_usable(
    gemma_engine: EngineClient,
) -> None:
    messages = [{"role": "user", "content": "Write a very long story about the sea."}]
    stream = gemma_engine.chat(messages, max_tokens=1500, sampling={"temp": 0.7})
    answer_events = 0
    finish = None
    for msg in stream:
        if msg["type"] == "event" and msg["kind"] == "answer":
            answer_events += 1
            if answer_events == 5:
                gemma_engine.cancel()
        if msg["type"] == "done":
            finish = msg
    assert answer_events >= 5 and finish is not None
    assert finish["finish_reason"] == "cancelled"
    # Stopped within a few tokens of the cancel, out of 1,500 allowed: counted in
    # tokens, not seconds (a busy machine stretches seconds; bench/engine.py times it).
    assert finish["stats"]["completion_tokens"] < 100
    again, _ = run(gemma_engine, [{"role": "user", "content": "Say hello."}], max_tokens=8)
    assert again.finish_reason in ("stop", "length") and again.answer


def test_cancel_interrupts_a_long_prompt_evaluation(gemma_engine: EngineClient) -> None:
    long_text = " ".join(f"Sentence number {i} is about topic {i % 17}." for i in range(150))
    messages = [{"role": "user", "content": long_text + " Summarise."}]
    stream = gemma_engine.chat(messages, max_tokens=4)
    progress: list[tuple[int, int]] = []
    done = None
    for msg in stream:
        if msg["type"] == "prompt_progress":
            progress.append((msg["done"], msg["total"]))
            if len(progress) == 1:
                gemma_engine.cancel()
        if msg["type"] == "done":
            done = msg
    assert progress, "a long prompt reports progress"
    assert done is not None and done["finish_reason"] == "cancelled"
    # The evaluation itself was interrupted (in events, not seconds): the prompt was
    # never read to its end, and no answer token was written.
    assert all(n < total for n, total in progress)
    assert done["stats"]["completion_tokens"] == 0
    again, _ = run(gemma_engine, [{"role": "user", "content": "Say yes."}], max_tokens=4)
    assert again.error is None


def test_cancel_from_another_thread(gemma_engine: EngineClient) -> None:
    timer = threading.Timer(0.3, gemma_engine.cancel)
    timer.start()
    reply, _ = run(gemma_engine, [{"role": "user", "content": "Count to one thousand."}],
                   max_tokens=1500)
    timer.join()
    assert reply.finish_reason == "cancelled"
    assert reply.status == "stopped"


def test_overflow_leaves_out_oldest_turns_but_never_the_new_message(
    gemma_path: Path, engine_factory: Any
) -> None:
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512)
    history: list[dict[str, str]] = []
    for i in range(12):
        history += [{"role": "user", "content": f"Fact {i}: " + "blue sky and green grass " * 6},
                    {"role": "assistant", "content": f"Noted fact {i}."}]
    history.append({"role": "user", "content": "What is the capital of Italy?"})
    reply, seen = run(engine, history, instructions="Answer briefly.", max_tokens=48,
                      sampling=GREEDY)
    trimmed = [m for m in seen if m["type"] == "context_trimmed"]
    full = engine.prompt_tokens(history, instructions="Answer briefly.")  # type: ignore[arg-type]
    assert len(full["tokens"]) > 512 - 48, "the whole conversation does not fit"
    assert trimmed and 1 <= trimmed[0]["dropped_turns"] < 12
    assert reply.error is None and reply.dropped_turns == trimmed[0]["dropped_turns"]
    assert reply.stats["prompt_tokens"] <= 512 - 48
    assert "Ital" in reply.answer, "the new question is always in the prompt"


def test_a_message_longer_than_the_context_is_refused_clearly(
    gemma_path: Path, engine_factory: Any
) -> None:
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512)
    pasted = "x" * 50_000
    reply, _ = run(engine, [{"role": "user", "content": pasted}])
    assert reply.error_code == protocol.TOO_LONG
    n_ctx = int(engine.info["n_ctx"])
    assert reply.error == say(Reason.TOO_LONG, n_ctx=n_ctx, reserve=least_answer_room(n_ctx))
    ok, _ = run(engine, [{"role": "user", "content": "Hi"}], max_tokens=4)
    assert ok.error is None


def test_a_long_message_that_leaves_room_for_an_answer_is_answered(
    gemma_path: Path, engine_factory: Any
) -> None:
    """Earlier turns are left out against the full reserve (the window's document
    budget), but a message is refused only when it leaves less than the least room an
    answer needs: about 1,300 tokens into a 2,048 context are answered, 1,800 are not."""
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=2048)
    n_ctx = int(engine.info["n_ctx"])
    assert n_ctx - answer_reserve(n_ctx) < 1300 < n_ctx - least_answer_room(n_ctx) - 100
    words = "The harbour log lists ships by name. "
    per = engine.count_tokens([words])[0]
    answered = Reply()
    for msg in engine.chat([{"role": "user", "content": words * (1300 // per)}],
                           sampling=GREEDY):  # no max_tokens: the reserve applies
        answered.add(msg)
        if answered.answer:  # it is being answered: that is all this test needs
            engine.cancel()
    assert answered.error is None and answered.answer
    too_long, _ = run(engine, [{"role": "user", "content": words * (1800 // per)}])
    assert too_long.error_code == protocol.TOO_LONG


def test_killed_worker_reports_error_keeps_partial_answer_and_restarts(
    gemma_path: Path, engine_factory: Any
) -> None:
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=1024)
    reply = Reply()
    killed = False
    deltas = 0
    for msg in engine.chat([{"role": "user", "content": "Write a long story about a dragon."}],
                           max_tokens=2000, sampling={"temp": 0.0}):
        reply.add(msg)
        if msg["type"] == "event" and msg["kind"] == "answer" and msg["text"].strip():
            deltas += 1
        if not killed and deltas >= 3:
            assert engine.pid is not None
            os.kill(engine.pid, signal.SIGKILL)
            killed = True
            before_kill = reply.answer
    assert killed
    assert reply.error_code == protocol.WORKER_CRASHED
    assert reply.status == "interrupted"
    # Everything streamed before the kill is kept (and perhaps a little more that was
    # already on its way).
    assert before_kill.strip() and reply.answer.startswith(before_kill)
    assert "stopped unexpectedly" in (reply.error or "")
    assert not engine.alive
    engine.restart()  # a new worker, with the same model loaded again
    assert engine.alive and engine.info["architecture"] == "gemma3"
    again, _ = run(engine, [{"role": "user", "content": "Say hi."}], max_tokens=6)
    assert again.error is None and again.answer


def test_not_a_gguf_is_refused_before_llama_cpp(tmp_path: Path, engine_factory: Any) -> None:
    engine: EngineClient = engine_factory()
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("these are not model weights")
    with pytest.raises(EngineError, match="not a GGUF"):
        engine.load(bogus)
    assert engine.alive


def test_truncated_gguf_is_refused(gemma_path: Path, tmp_path: Path, engine_factory: Any) -> None:
    engine: EngineClient = engine_factory()
    partial = tmp_path / "partial.gguf"
    with gemma_path.open("rb") as src, partial.open("wb") as dst:
        dst.write(src.read(gemma_path.stat().st_size // 2))
    with pytest.raises(EngineError, match="incomplete"):
        engine.load(partial)
    assert engine.alive
    info = engine.load(gemma_path, n_ctx=512)  # and the same worker still loads a good one
    assert info["architecture"] == "gemma3"


def test_missing_file(tmp_path: Path, engine_factory: Any) -> None:
    engine: EngineClient = engine_factory()
    with pytest.raises(EngineError, match="does not exist"):
        engine.load(tmp_path / "nope.gguf")


def test_chat_without_a_model(engine_factory: Any) -> None:
    engine: EngineClient = engine_factory()
    reply, _ = run(engine, [{"role": "user", "content": "Hi"}])
    assert reply.error_code == protocol.NOT_LOADED


def test_unload_and_stats(gemma_path: Path, engine_factory: Any) -> None:
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512)
    run(engine, [{"role": "user", "content": "Hi"}], max_tokens=4)
    stats = engine.stats()
    assert stats["info"]["name"] and stats["stats"]["prompt_tokens"] > 0
    engine.unload()
    reply, _ = run(engine, [{"role": "user", "content": "Hi"}])
    assert reply.error_code == protocol.NOT_LOADED


def test_unknown_architecture_is_a_clear_message(tmp_path: Path, engine_factory: Any) -> None:
    """A well-formed GGUF of an architecture llama.cpp does not know: refused with
    words a user can act on, and the worker lives on."""
    import gguf
    import numpy as np

    path = tmp_path / "frobnicator.gguf"
    writer = gguf.GGUFWriter(str(path), "frobnicator")
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((8, 32), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    engine: EngineClient = engine_factory()
    with pytest.raises(EngineError, match="a frobnicator model") as caught:
        engine.load(path)
    assert "choose another model" in str(caught.value)
    assert engine.alive


# -- a failed load keeps the model that worked (issue 16 §3) ------------------------------

def _write_gguf(path: Path, arch: str, *, pooling: bool = False,
                huge: bool = False) -> Path:
    """A well-formed GGUF that llama.cpp cannot use as a chat model: an architecture it
    does not know, an embedding model (``pooling``), or one whose header describes
    1 TiB of weights (``huge``: the file is sparse, so the check finds it complete)."""
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_name(f"Test {arch}")
    writer.add_block_count(1)
    writer.add_context_length(2048)
    if pooling:
        writer.add_pooling_type(gguf.PoolingType.MEAN)
    if huge:
        shape = (1 << 20, 1 << 18)  # 2**38 float32: 1 TiB
        writer.add_tensor_info("token_embd.weight", shape, np.dtype(np.float32), 1 << 40)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        writer.close()
        header_end = path.stat().st_size
        os.truncate(path, (header_end + 31) // 32 * 32 + (1 << 40))
        return path
    writer.add_tensor("token_embd.weight", np.zeros((8, 32), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def _broken(kind: str, folder: Path, gemma_path: Path) -> Path:
    """A model file that fails to load in the way ``kind`` names."""
    path = folder / f"{kind}.gguf"
    if kind == "missing":
        return path
    if kind == "not-a-gguf":
        path.write_text("these are not model weights")
    elif kind == "truncated":
        with gemma_path.open("rb") as src:
            path.write_bytes(src.read(gemma_path.stat().st_size // 2))
    elif kind == "cut-in-header":
        with gemma_path.open("rb") as src:
            path.write_bytes(src.read(100_000))
    elif kind == "unknown-architecture":
        _write_gguf(path, "frobnicator")
    elif kind == "no-hyperparameters":  # a known architecture llama.cpp refuses
        _write_gguf(path, "gemma3")
    elif kind == "embedding-model":
        _write_gguf(path, "bert", pooling=True)
    elif kind == "too-big":
        _write_gguf(path, "llama", huge=True)
    return path


FRANCE = [{"role": "user", "content": "What is the capital of France?"}]
BROKEN = ["missing", "not-a-gguf", "truncated", "cut-in-header", "unknown-architecture",
          "no-hyperparameters", "embedding-model", "too-big"]


@pytest.mark.parametrize("kind", BROKEN)
def test_a_failed_load_keeps_the_working_model(
    kind: str, gemma_path: Path, tmp_path: Path, engine_factory: Any
) -> None:
    """Whatever is wrong with the new file, the model loaded before still answers, and
    the error names the new file and says the old model is still in use."""
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512, seed=1)
    before = dict(engine.info)
    bad = _broken(kind, tmp_path, gemma_path)
    with pytest.raises(EngineError) as caught:
        engine.load(bad)
    message = str(caught.value)
    assert caught.value.code == protocol.LOAD_FAILED
    assert bad.name in message
    assert any(verb in message.lower() for verb in ("choose", "download", "close"))
    assert message.endswith(f"{before['name']} is still loaded and in use.")
    assert engine.alive and engine.info["path"] == before["path"]
    reply, _ = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)
    assert reply.error is None and "Paris" in reply.answer


def test_a_worker_that_dies_loading_the_new_file_leaves_the_old_model(
    gemma_path: Path, tmp_path: Path, engine_factory: Any
) -> None:
    """The worker is killed while it loads the new file, and again at each safer plan:
    a new worker loads the model that was in use, and the error says so."""
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512, seed=1)
    name = engine.info["name"]
    other = tmp_path / "another.gguf"
    other.write_bytes(gemma_path.read_bytes())
    killed: list[int] = []

    def kill_while_loading(msg: dict[str, Any]) -> None:
        assert engine.pid is not None
        killed.append(engine.pid)
        os.kill(engine.pid, signal.SIGKILL)

    with pytest.raises(EngineError) as caught:
        engine.load(other, on_loading=kill_while_loading)
    message = str(caught.value)
    assert killed and "another.gguf" in message and "stopped while loading" in message
    assert message.endswith(f"{name} is still loaded and in use.")
    assert engine.alive and engine.pid not in killed
    assert engine.info["path"] == str(gemma_path.resolve())
    reply, _ = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)
    assert reply.error is None and "Paris" in reply.answer


def test_a_crash_then_an_ordinary_failure_still_leaves_the_old_model(
    gemma_path: Path, tmp_path: Path, engine_factory: Any
) -> None:
    """The worker dies on the new file's first try only; the safer retry, in a fresh
    worker that never held the old model, fails the ordinary way (the file was cut
    short meanwhile, as by a download writing it again). The old model is loaded again
    there before the error goes out."""
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512, seed=1)
    name = engine.info["name"]
    other = tmp_path / "another.gguf"
    other.write_bytes(gemma_path.read_bytes())
    killed: list[int] = []
    plans: list[dict[str, Any]] = []

    def kill_first_try(msg: dict[str, Any]) -> None:
        plans.append(msg)
        if not killed:
            assert engine.pid is not None and msg["fallbacks"], msg
            killed.append(engine.pid)
            os.kill(engine.pid, signal.SIGKILL)
            with other.open("r+b") as file:
                file.truncate(other.stat().st_size // 2)

    with pytest.raises(EngineError) as caught:
        engine.load(other, n_ctx=8192, on_loading=kill_first_try)
    message = str(caught.value)
    assert len(killed) == 1 and engine.pid not in killed
    assert message.startswith("another.gguf is incomplete"), message
    assert message.endswith(f"{name} is still loaded and in use.")
    assert engine.info["path"] == str(gemma_path.resolve())
    reply, _ = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)
    assert reply.error is None and "Paris" in reply.answer


def test_the_unknown_architecture_message_is_a_sentence_without_the_plan(
    tmp_path: Path, engine_factory: Any
) -> None:
    path = _write_gguf(tmp_path / "frobnicator.gguf", "frobnicator")
    plans: list[str] = []
    engine: EngineClient = engine_factory()
    with pytest.raises(EngineError) as caught:
        engine.load(path, on_loading=lambda msg: plans.append(msg["plan"]["explanation"]))
    message = str(caught.value)
    assert plans and plans[0] and plans[0] not in message
    assert " — failed" not in message and "Failed to load" not in message
    assert message.startswith("llama.cpp could not load frobnicator.gguf, a frobnicator "
                              "model.")
    assert message.endswith("choose another model, or download this one again.")
    assert engine.alive and engine.info == {}


# -- a worker that died while idle (issue 16 §4) -------------------------------------------

def kill_and_wait(pid: int) -> None:
    """Kill a worker (a child of this process) and wait until it has ended, leaving it
    for the client to reap (``WNOWAIT``), as after a crash nobody saw."""
    os.kill(pid, signal.SIGKILL)
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)


class _StartKiller(EngineClient):
    """A real client whose next ``kills`` fresh workers are killed as they start."""

    kills = 0

    def start(self) -> None:
        super().start()
        if self.kills > 0 and self.pid is not None:
            self.kills -= 1
            kill_and_wait(self.pid)


def test_a_worker_killed_while_idle_is_started_again_for_the_next_chat(
    gemma_path: Path, engine_factory: Any
) -> None:
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512, seed=1)
    first, _ = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)
    old = engine.pid
    assert old is not None
    kill_and_wait(old)
    reply, seen = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)
    assert reply.error is None and reply.error_code is None
    assert reply.answer == first.answer and "Paris" in reply.answer
    assert engine.pid != old and engine.info["path"] == str(gemma_path.resolve())
    assert not [m for m in seen if m.get("code") == protocol.WORKER_CRASHED]
    # The other requests a chat may make first revive it too.
    kill_and_wait(engine.pid)  # type: ignore[arg-type]
    assert engine.count_tokens(["Hello there"])[0] > 0


def test_a_worker_that_dies_again_while_restarting_gives_a_clear_error(
    gemma_path: Path, tmp_path: Path
) -> None:
    engine = _StartKiller(log_path=tmp_path / "worker.log")
    try:
        engine.load(gemma_path, n_ctx=512, seed=1)
        kill_and_wait(engine.pid)  # type: ignore[arg-type]
        engine.kills = 2  # the restart's worker, and the one after it
        reply, _ = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)
        assert reply.error_code == protocol.LOAD_FAILED and reply.status == "error"
        assert reply.answer == ""
        assert reply.error is not None and reply.error.startswith(
            "The model worker had stopped, and starting it again failed:")
        assert "gemma" in reply.error and "send your message again" in reply.error
        engine.kills = 0
        again, _ = run(engine, FRANCE, sampling=GREEDY, max_tokens=8)  # it remembers
        assert again.error is None and "Paris" in again.answer
    finally:
        engine.close()


class _YieldingLock:
    """A lock that lets the other threads run just before it is taken, as a busy
    machine does at any moment: a thread that looked at shared state before taking it
    then finds that state changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        time.sleep(0)  # not a wait: gives up the interpreter to the other threads
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        time.sleep(0)
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()


def test_stop_from_another_thread_while_the_worker_is_killed_and_revived(
    gemma_path: Path, engine_factory: Any
) -> None:
    """Stop and Answer now come from the GUI thread at any moment, also while the engine
    thread finds the worker dead and starts it again: none of them may raise."""
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512, seed=1)
    engine._send_lock = _YieldingLock()  # type: ignore[assignment]
    done = threading.Event()
    escaped: list[BaseException] = []
    sent = [0]

    def hammer() -> None:
        while not done.is_set():
            try:
                engine.cancel()
                engine.answer_now()
            except BaseException as exc:  # what a Stop button would have raised
                escaped.append(exc)
                return
            sent[0] += 1

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        for _ in range(6):
            kill_and_wait(engine.pid)  # type: ignore[arg-type]
            assert engine.count_tokens(["Hello there"])[0] > 0  # revived, answered
            if escaped:
                break
    finally:
        done.set()
        thread.join()
    assert not escaped, repr(escaped[0])
    assert sent[0] > 0


def test_closing_never_waits_for_a_worker_that_stopped_reading(
    gemma_path: Path, engine_factory: Any
) -> None:
    """A worker stuck in native code reads nothing: a large request fills the socket
    and its send blocks, holding the send lock. Closing (quit, restart) kills the worker
    instead of waiting for that lock for ever, and the blocked send then fails."""
    engine: EngineClient = engine_factory()
    engine.load(gemma_path, n_ctx=512)
    pid = engine.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    outcome: list[BaseException | None] = []

    def send_big() -> None:
        try:
            engine._send({"op": "chat", "messages": [{"role": "user",
                                                      "content": "x" * 20_000_000}]})
            outcome.append(None)
        except (OSError, EngineError) as exc:
            outcome.append(exc)

    sender = threading.Thread(target=send_big, daemon=True)
    sender.start()
    sender.join(1.0)  # a 20 MB send into a stopped reader cannot have finished
    assert sender.is_alive(), "the send should be blocked on the stopped worker"
    closer = threading.Thread(target=engine.close, daemon=True)
    closer.start()
    closer.join(120)  # a hang limit: closing takes about two seconds
    assert not closer.is_alive(), "closing waited for the stuck worker"
    sender.join(120)
    assert not sender.is_alive() and outcome and outcome[0] is not None
    assert not engine.alive
