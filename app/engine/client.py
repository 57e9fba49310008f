"""The GUI side of the engine: starts a worker process and talks to it.

A plain Python object, used the same way by the GUI (from a background thread), the
command line and the tests::

    engine = EngineClient()
    engine.load("model.gguf", n_ctx=8192)
    for event in engine.chat([{"role": "user", "content": "Hi"}], effort="low"):
        ...
    engine.close()

:meth:`chat` yields protocol messages (``event`` with a harmony kind and text,
``prompt_progress``, ``context_trimmed``) and always ends with exactly one ``done`` or
``error``. If the worker dies mid-answer the last message is an ``error`` with code
``worker_crashed``; the caller keeps what it already received, and may call
:meth:`restart`. A worker that died between requests (killed while idle) is started
again, with its model, by the next request (:meth:`revive`), which is then answered.
A load that fails leaves the model loaded before in use. :meth:`cancel` and
:meth:`answer_now` may be called from any thread, at any moment (also while another
thread starts the worker again): they never raise.
The errors' texts are :mod:`app.reasons` sentences, which the windows translate.
This module never imports llama_cpp: the model lives only in the worker.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, Listener
from pathlib import Path
from typing import Any

from app.config import paths
from app.config.sealed import FileKey
from app.engine import protocol
from app.engine.prompt import ChatMessage, ToolOffer
from app.reasons import Reason, follow, say

_START_TIMEOUT = 60.0
_CLOSE_LOCK_TIMEOUT = 2.0  # s: how long closing waits for a send in flight


class EngineError(Exception):
    """A request failed; ``code`` is one of protocol's error codes, the text is for users."""

    def __init__(self, message: str, code: str = protocol.GENERATION_FAILED) -> None:
        super().__init__(message)
        self.code = code


def states_folder() -> Path:
    """Where saved prompt states live: ``kv`` in the cache folder."""
    return paths.cache_dir() / "kv"


def worker_command() -> list[str]:
    """How to start a worker: the frozen executable itself, or this interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "worker"]
    return [sys.executable, "-m", "app", "worker"]


class EngineClient:
    def __init__(self, log_path: Path | None = None, start: bool = True) -> None:
        self.log_path = log_path or paths.log_dir() / "worker.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._send_lock = threading.Lock()
        self._ids = itertools.count(1)
        self.info: dict[str, Any] = {}
        self._load_request: dict[str, Any] | None = None
        self._kv_store: dict[str, Any] = {"op": "kv_store"}  # sent to every new worker
        self.last_prefill: int | None = None  # the id of the last prefill asked for
        if start:
            self.start()

    # -- process ----------------------------------------------------------------------
    def start(self) -> None:
        authkey = os.urandom(32)
        listener = Listener(authkey=authkey)
        env = dict(os.environ)
        env[protocol.AUTHKEY_ENV] = authkey.hex()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        address = listener.address
        assert isinstance(address, str)
        try:
            self._proc = subprocess.Popen(
                [*worker_command(), address],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            )
        finally:
            log.close()
        accepted: list[Connection] = []
        failure: list[BaseException] = []

        def accept() -> None:
            try:
                accepted.append(listener.accept())
            except BaseException as exc:  # authentication failure, closed listener
                failure.append(exc)

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while thread.is_alive() and time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            thread.join(0.05)
        listener.close()
        not_started = say(Reason.WORKER_NOT_STARTED, log=self.log_path)
        if not accepted:
            self._kill()
            raise EngineError(not_started, protocol.WORKER_CRASHED)
        with self._send_lock:
            self._conn = accepted[0]
        ready = self._recv(timeout=_START_TIMEOUT)
        if ready.get("type") != protocol.READY:
            raise EngineError(not_started, protocol.WORKER_CRASHED)
        if self._kv_store.get("folder"):
            self._send(self._kv_store)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and self._conn is not None

    def restart(self, reload: bool = True) -> None:
        """Start a fresh worker (after a crash), loading the last model again.

        If that fails, the model is still remembered: the next :meth:`revive` (the
        next chat) tries again."""
        self._kill()
        self.start()
        request = self._load_request
        if reload and request is not None:
            self.info = {}
            try:
                self._request_load(dict(request), None, restore=False)
            except EngineError:
                self._load_request = request
                raise

    def revive(self) -> bool:
        """Start the worker again if it has died since the last request (killed, or
        crashed while idle), with its model loaded again, so the next request is
        answered instead of failing. Returns whether it had to.

        Raises :class:`EngineError` (``load_failed``) when the new worker cannot start
        or cannot load the model either; nothing was sent then."""
        if self.alive:
            return False
        try:
            self.restart()
        except (EngineError, OSError) as exc:
            raise EngineError(say(Reason.REVIVE_FAILED, why=exc),
                              protocol.LOAD_FAILED) from exc
        return True

    def close(self) -> None:
        """Ask the worker to shut down, then make sure it is gone. A send blocked on a
        worker that stopped reading holds the send lock: then there is no asking, the
        worker is killed (closing must never wait for a stuck worker)."""
        if self._conn is not None and self.alive and \
                self._send_lock.acquire(timeout=_CLOSE_LOCK_TIMEOUT):
            try:
                conn = self._conn
                if conn is not None:
                    protocol.send(conn, {"op": "shutdown"})
            except OSError:
                pass
            finally:
                self._send_lock.release()
            try:
                assert self._proc is not None
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._kill()

    def _kill(self) -> None:
        # The process first: a send blocked on a worker that stopped reading holds the
        # send lock, and only the worker's end closing (it dies) lets that send fail and
        # the lock go; taking the lock first would wait for ever.
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            self._proc = None
        self._drop_conn()

    def __enter__(self) -> EngineClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- wire ---------------------------------------------------------------------------
    def _send_reviving(self, message: dict[str, Any]) -> None:
        """Send a request to a living worker: one that died while idle is started again
        first (:meth:`revive`), and so is one the send itself finds dead."""
        self.revive()
        try:
            self._send(message)
        except (EngineError, OSError):
            self._kill()
            self.revive()
            self._send(message)

    def _send(self, message: dict[str, Any]) -> None:
        """Send from any thread. The connection is read once, under the lock that
        :meth:`_drop_conn` takes too, so a Stop from the GUI thread while the engine
        thread lets a dead worker go meets a closed connection (OSError) or none
        (EngineError), never a half-cleared one."""
        with self._send_lock:
            conn = self._conn
            if conn is None:
                raise EngineError(say(Reason.WORKER_SILENT), protocol.WORKER_CRASHED)
            protocol.send(conn, message)

    def _drop_conn(self) -> None:
        """Close the connection to the worker and forget it (see :meth:`_send`)."""
        with self._send_lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    def _recv(self, timeout: float | None = None) -> dict[str, Any]:
        """Next message, or an error message when the worker has died."""
        conn = self._conn
        deadline = None if timeout is None else time.monotonic() + timeout
        while conn is not None:
            try:
                if conn.poll(0.1):
                    return protocol.recv(conn)
            except (EOFError, OSError, ValueError):
                break
            if self._proc is None or self._proc.poll() is not None:
                # Drain what the worker sent before dying.
                try:
                    if conn.poll(0):
                        return protocol.recv(conn)
                except (EOFError, OSError, ValueError):
                    pass
                break
            if deadline is not None and time.monotonic() > deadline:
                return {"type": protocol.ERROR, "code": protocol.WORKER_CRASHED,
                        "message": say(Reason.WORKER_SILENT)}
        return self._crashed()

    def _crashed(self) -> dict[str, Any]:
        code = None
        if self._proc is not None:
            try:
                code = self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._drop_conn()
        message = say(Reason.WORKER_STOPPED, log=self.log_path) if code is None else \
            say(Reason.WORKER_EXITED, code=code, log=self.log_path)
        return {"type": protocol.ERROR, "code": protocol.WORKER_CRASHED, "message": message}

    # -- requests -----------------------------------------------------------------------
    def load(
        self,
        path: str | os.PathLike[str],
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int | None = None,
        n_batch: int | None = None,
        flash_attn: bool | None = None,
        seed: int | None = None,
        on_loading: Any = None,
        n_cpu_moe: int | None = None,
        n_ubatch: int | None = None,
        use_gpu: bool | None = None,
        embedding: bool = False,
        kv_cache: str | None = None,
    ) -> dict[str, Any]:
        """Load a model (replacing the loaded one). Returns the model's info.

        ``embedding`` loads it to make text embeddings (:meth:`embed`) instead of
        chatting; its context then defaults to the model's trained length (at most 2048).

        Whatever is left as None is decided by the hardware planner in the worker
        (``info["plan"]``, explained in ``info["explanation"]``); what is given is
        kept as the user's choice. ``on_loading`` receives the ``loading`` message,
        which carries the plan before the (possibly long) load starts.
        """
        request: dict[str, Any] = {
            "op": "load", "path": str(Path(path).expanduser().resolve()), "n_ctx": n_ctx,
            "n_threads": n_threads, "n_gpu_layers": n_gpu_layers, "n_batch": n_batch,
            "flash_attn": flash_attn, "n_cpu_moe": n_cpu_moe, "n_ubatch": n_ubatch,
            "use_gpu": use_gpu, "embedding": embedding, "kv_cache": kv_cache,
        }
        if seed is not None:
            request["seed"] = seed
        return self._request_load(request, on_loading)

    def _request_load(self, request: dict[str, Any], on_loading: Any,
                      restore: bool = True) -> dict[str, Any]:
        """Send a load; if the worker dies while loading (a native abort, a GPU driver
        fault, the OS killing it for memory), start a new worker and try the plan's
        next fallback (less on the GPU, then the CPU, then a smaller context), saying
        what happened in ``info["fallbacks_tried"]``.

        A load that fails leaves the model that was loaded before in use: the worker
        keeps it (or loads it again) and says so; after the worker died, the new
        worker loads it again here (``restore``), whether the tries after the crash
        ended in another crash or in an ordinary failure (a fresh worker never held
        the old model). The error says which model is in use (a follow-up reason).
        """
        before, previous = dict(self.info), self._load_request if restore else None
        name = Path(str(request["path"])).name
        failures: list[str] = []
        failed: list[dict[str, Any]] = []  # the same, structured (app.ui.language.wording)
        fallbacks: list[dict[str, Any]] | None = None
        attempt = request
        while True:
            msg, plan, offered = self._load_once(attempt, on_loading)
            if fallbacks is None and offered is not None:
                fallbacks = offered
            if msg.get("type") == protocol.LOADED:
                self.info = msg["info"]
                self.info["fallbacks_tried"] = failures + list(
                    self.info.get("fallbacks_tried") or [])
                self.info["fallbacks_failed"] = failed + list(
                    self.info.get("fallbacks_failed") or [])
                self._load_request = attempt
                return self.info
            if msg.get("code") != protocol.WORKER_CRASHED:
                self._held(msg.get("loaded", self.info))
                if failed and previous is not None and not self.info:
                    self._reload(previous)  # this worker is a new one: it never had it
                raise EngineError(
                    self._in_use(str(msg.get("message") or say(
                        Reason.SETUP_FAILED, file=name, detail="no answer")), before),
                    str(msg.get("code") or protocol.LOAD_FAILED))
            failures.append(f"{plan.get('explanation') or 'The plan'} — the worker stopped "
                            "while loading")
            failed.append({"plan": plan, "crashed": True})
            self._kill()
            self.info = {}
            self.start()
            if not fallbacks:
                if previous is not None:
                    self._reload(previous)
                raise EngineError(self._in_use(say(
                    Reason.CRASHED_LOADING, file=name, tried=len(failures),
                    log=self.log_path), before), protocol.LOAD_FAILED)
            fallback = fallbacks.pop(0)
            attempt = {
                **request,
                "n_ctx": fallback["n_ctx"], "n_gpu_layers": fallback["n_gpu_layers"],
                "n_cpu_moe": fallback["n_cpu_moe"], "use_gpu": fallback["n_gpu_layers"] > 0,
            }

    def _load_once(self, attempt: dict[str, Any], on_loading: Any
                   ) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]] | None]:
        """One load request: its final reply (``loaded``, or an error, or the crash), the
        plan (``Plan.to_dict()``; empty when none was made) and its fallbacks (None when
        no plan was made)."""
        plan: dict[str, Any] = {}
        fallbacks = None
        try:
            self._send(attempt)
        except (EngineError, OSError):
            return self._crashed(), plan, fallbacks
        while True:
            msg = self._recv()
            kind = msg.get("type")
            if kind == protocol.LOADING:
                plan = dict(msg.get("plan") or plan)
                fallbacks = list(msg.get("fallbacks") or [])
                if on_loading is not None:
                    on_loading(msg)
            elif kind in (protocol.LOADED, protocol.ERROR) and msg.get("id") is None:
                return msg, plan, fallbacks
            # else: the tail of an abandoned chat

    def _held(self, info: Any) -> None:
        """What the worker holds after a failed load: the model before it, or none."""
        self.info = dict(info) if isinstance(info, dict) else {}
        if not self.info:
            self._load_request = None

    def _reload(self, request: dict[str, Any]) -> None:
        """Load the model that was in use again, in a new worker (after the worker died
        loading another one); if it fails too, nothing is loaded."""
        try:
            self._request_load(dict(request), None, restore=False)
        except (EngineError, OSError):
            self._held({})
            if not self.alive:
                with contextlib.suppress(EngineError, OSError):
                    self._kill()
                    self.start()

    def _in_use(self, failure: str, before: dict[str, Any]) -> str:
        """A failed load's ``failure`` followed by which model answers now (the one
        loaded ``before``, or none), as a follow-up reason of its own."""
        if not before:
            return failure
        name = str(before.get("name") or Path(str(before.get("path") or "")).name)
        if self.info and self.info.get("path") == before.get("path"):
            return follow(failure, Reason.STILL_IN_USE, name=name)
        return follow(failure, Reason.NOT_RESTORED, name=name)

    def unload(self) -> None:
        self._send({"op": "unload"})
        self._wait_for(protocol.UNLOADED)
        self.info = {}
        self._load_request = None

    def stats(self) -> dict[str, Any]:
        self._send_reviving({"op": "stats"})
        return self._wait_for(protocol.STATS)

    def prompt_tokens(
        self, messages: Sequence[ChatMessage], instructions: str = "", effort: str = "medium",
        tools: Sequence[ToolOffer] = (),
    ) -> dict[str, Any]:
        """The tokens a chat would evaluate, which of them are control tokens, and
        their text (for diagnostics and tests)."""
        self._send_reviving({"op": "prompt", "messages": [dict(m) for m in messages],
                             "instructions": instructions, "effort": effort,
                             "tools": [dict(t) for t in tools]})
        return self._wait_for(protocol.PROMPT)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector per text, from a model loaded with ``embedding``.

        Raises :class:`EngineError` (code ``cancelled`` after :meth:`cancel`,
        ``worker_crashed`` when the worker died)."""
        request_id = next(self._ids)
        self._send({"op": "embed", "id": request_id, "texts": list(texts)})
        while True:
            msg = self._recv()
            if msg.get("id") not in (request_id, None):
                continue  # a late reply to an abandoned request
            if msg.get("type") == protocol.EMBEDDINGS:
                return [list(v) for v in msg["vectors"]]
            if msg.get("type") == protocol.ERROR:
                raise EngineError(msg["message"], msg.get("code", protocol.BAD_REQUEST))

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """How many tokens each text takes in the loaded model, as user text."""
        self._send_reviving({"op": "count", "texts": list(texts)})
        return [int(n) for n in self._wait_for(protocol.COUNT)["counts"]]

    def _wait_for(self, kind: str) -> dict[str, Any]:
        while True:
            msg = self._recv()
            if msg.get("id") is not None and msg.get("code") != protocol.WORKER_CRASHED:
                continue  # a background prefill's, or the tail of an abandoned chat
            if msg.get("type") == kind:
                return msg
            if msg.get("type") == protocol.ERROR:
                raise EngineError(msg["message"], msg.get("code", protocol.BAD_REQUEST))

    def chat(
        self,
        messages: Sequence[ChatMessage],
        instructions: str = "",
        effort: str = "medium",
        sampling: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        stop: Sequence[str] | None = None,
        tools: Sequence[ToolOffer] = (),
        trim: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """Stream the answer to the last message; see the module docstring.

        ``stop`` replaces the model's own stop strings (None keeps them; the fallback
        format stops at a new "User:" line). ``trim`` False (the local API's requests):
        a conversation that does not fit whole is refused (``too_long``) instead of
        losing its oldest turns (:mod:`app.engine.whole_prompt`).
        """
        chat_id = next(self._ids)
        try:
            # A worker that died while idle is started again first: the message is
            # answered, not met with a crash.
            self._send_reviving({
                "op": "chat", "id": chat_id,
                "messages": [dict(m) for m in messages], "instructions": instructions,
                "effort": effort, "sampling": sampling or {}, "max_tokens": max_tokens,
                "stop": None if stop is None else list(stop),
                "tools": [dict(t) for t in tools], "trim": trim,
            })
        except EngineError as exc:
            yield {"type": protocol.ERROR, "id": chat_id, "code": exc.code,
                   "message": str(exc)}
            return
        except OSError:
            yield self._crashed()
            return
        finished = False
        try:
            while True:
                msg = self._recv()
                if msg.get("id") not in (chat_id, None):
                    continue  # a late message of an earlier, abandoned chat
                finished = msg.get("type") in (protocol.DONE, protocol.ERROR)
                yield msg
                if finished:
                    return
        finally:
            if not finished:
                self.cancel()  # the caller walked away: free the worker for the next request

    # -- what is known before the question (app.engine.prefill) -------------------------
    def keep_states(self, folder: Path | None, key: FileKey | None,
                    cap: int | None = None) -> None:
        """Save the states of long prompt prefixes in ``folder`` (None: nowhere), sealed
        with ``key`` (``at_rest.file_key(kv_store.PURPOSE)``; None: plain, as an
        unencrypted history is), at most ``cap`` bytes; told to this worker and every
        later one (the key travels over the authenticated pipe only)."""
        self._kv_store = {"op": "kv_store", "folder": str(folder) if folder else None,
                          "raw": key.raw.hex() if key is not None else None, "cap": cap}
        if self.alive:
            self._send(self._kv_store)

    def prefill(self, messages: Sequence[ChatMessage], instructions: str = "",
                effort: str = "medium", tools: Sequence[ToolOffer] = ()) -> int:
        """Evaluate a conversation's known part (the question empty) in the background;
        returns at once with the request's id. Any other request stops it at its next
        chunk, and the worker goes on with it once idle; a question asked after it
        evaluates only itself. Its progress and ``prefilled`` come with its id
        (:meth:`wait_prefilled`); whoever reads meanwhile passes them over."""
        prefill_id = self.last_prefill = next(self._ids)
        self._send_reviving({"op": "prefill", "id": prefill_id,
                             "messages": [dict(m) for m in messages],
                             "instructions": instructions, "effort": effort,
                             "tools": [dict(t) for t in tools]})
        return prefill_id

    def wait_prefilled(self, prefill_id: int, on_progress: Any = None) -> dict[str, Any]:
        """Wait for the ``prefilled`` of :meth:`prefill` (for the tests and the bench:
        nothing else may read meanwhile); ``on_progress`` takes its progress messages."""
        while True:
            msg = self._recv()
            if msg.get("id") != prefill_id and msg.get("code") != protocol.WORKER_CRASHED:
                continue
            if msg.get("type") == protocol.PREFILLED:
                return msg
            if msg.get("type") == protocol.ERROR:
                raise EngineError(msg["message"], msg.get("code", protocol.BAD_REQUEST))
            if on_progress is not None:
                on_progress(msg)

    def probe(self, messages: Sequence[ChatMessage], instructions: str = "",
              effort: str = "medium", tools: Sequence[ToolOffer] = ()) -> dict[str, Any]:
        """How many tokens a conversation's known part has (``tokens``), how many of
        them need no evaluation (``known``: in memory or saved) and the prompt speed
        measured so far (``tok_s``, 0 before any)."""
        self._send_reviving({"op": "probe", "messages": [dict(m) for m in messages],
                             "instructions": instructions, "effort": effort,
                             "tools": [dict(t) for t in tools]})
        return self._wait_for(protocol.PROBE)

    def cancel(self) -> None:
        """Stop the answer being written (thread-safe, returns at once)."""
        with contextlib.suppress(EngineError, OSError):
            self._send({"op": "cancel"})

    def answer_now(self) -> None:
        """End the model's reasoning and make it write its answer straight away."""
        with contextlib.suppress(EngineError, OSError):
            self._send({"op": "answer_now"})
