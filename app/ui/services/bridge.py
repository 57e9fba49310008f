"""The engine, seen from the window: blocking client calls on one background thread,
results as Qt signals on the GUI thread.

All work on the model (load, chat, restart) goes through one queue served by one
thread, because the worker holds one model and answers one request at a time. Stop and
"Answer now" do not queue: the client sends them at once from any thread. The bridge is
the window's :class:`app.session.ports.Engine`: a chat's messages go to the callback the
session gave with it, from the engine thread; the session brings them to the GUI thread
(and ignores the tail of a chat it has already finished).

The model answering is either the local worker (:class:`EngineClient`, after
:meth:`EngineBridge.load`) or a server the user added (:class:`RemoteBackend`, after
:meth:`EngineBridge.use_remote`); both are a :class:`~app.engine.backend.Backend`, so
chat, stop and "Answer now" do not care which. Restarting a crashed worker concerns the
local one only.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.engine import backend as codes
from app.engine import protocol
from app.engine.backend import Backend, describe
from app.engine.client import EngineClient, EngineError, states_folder
from app.engine.model_info import ModelInfo
from app.session.ports import ChatRequest, Deliver

if TYPE_CHECKING:  # the HTTP client is imported when a server is first used
    from app.config.sealed import FileKey
    from app.engine.remote import RemoteBackend
    from app.engine.servers import ServerStore

log = logging.getLogger(__name__)

_STOP = object()
LATER = 1  # the priority of other programs' requests: after the window's own jobs


class EngineBridge(QObject):
    """Runs engine calls on a background thread and reports through signals.

    Signals:
        loading(str): a model load began (the path, or the server's name).
        loaded(dict): the model's info (name, backend, n_ctx, …) after a load or restart;
            a server's says ``"backend": "remote"`` and names it in ``"server"``. After
            a worker that died while idle could not be started again for a chat, the
            model still remembered (the chat's error says so; the next message retries).
        load_failed(str, str): a load or worker start failed: message, error code;
            ``info`` then describes what still answers (the model loaded before, kept).
        restarting(): the worker is being started again after a crash, or before a
            chat because it died while idle (its model loads again: "Loading …").
    """

    loading = Signal(str)
    loaded = Signal(dict)
    load_failed = Signal(str, str)
    restarting = Signal()

    def __init__(self, parent: QObject | None = None, client: EngineClient | None = None,
                 client_factory: Callable[[], EngineClient] | None = None) -> None:
        """``client``: use this (already started) client and leave it open on close."""
        super().__init__(parent)
        self._client = client
        self._remote: RemoteBackend | None = None  # set while a server answers
        self._owns_client = client is None
        self._factory = client_factory or EngineClient
        # (priority, order, job): the window's own work (0) before other programs'
        # requests through the local API (LATER), each in the order it came.
        self._jobs: queue.PriorityQueue[tuple[int, int, Any]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._chat_ids = 0
        self._stopped: set[int] = set()  # chats stopped before they were sent
        self._reviving: int | None = None  # the chat waiting for the worker to restart
        self._ended: set[int] = set()  # chats Stop finished while they waited for it
        self._pending = 0
        self._delivers: dict[int, Deliver] = {}  # the chats not finished yet
        self._states: tuple[FileKey | None] | None = None  # keep_states' key, once told
        self._running: int | None = None  # the window's chat whose job runs now
        self._foreign = False  # another program's request (LATER) runs now
        self.info: dict[str, Any] = dict(client.info) if client is not None else {}

    # -- state --------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether a job (load, chat, restart) is queued or running."""
        with self._lock:
            return self._pending > 0

    @property
    def model_loaded(self) -> bool:
        return bool(self.info)

    @property
    def model(self) -> ModelInfo | None:
        """What answers now (None: nothing is loaded)."""
        return ModelInfo.of(self.info)

    @property
    def backend(self) -> Backend | None:
        """What answers now: the server in use, else the local engine client."""
        return self._remote if self._remote is not None else self._client

    @property
    def remote(self) -> bool:
        """Whether a server answers (not the local worker)."""
        return self._remote is not None

    @property
    def can_answer_now(self) -> bool:
        """Whether "Answer now" works with what answers now."""
        backend = self.backend
        return backend is None or describe(backend).can_answer_now

    @property
    def client(self) -> EngineClient | None:
        """The engine client, for pages that queue their own work (the speed test)."""
        return self._client

    # -- jobs ---------------------------------------------------------------------------
    def submit(self, job: Callable[[], None], later: bool = False) -> None:
        """Run ``job`` on the engine thread, after what is already queued; ``later``
        (another program's request, app.ui.services.api_server): also after every job
        of the window's own that is queued before it starts."""
        if not later:
            self._submit(job)
            return

        def foreign() -> None:
            with self._lock:
                self._foreign = True
            try:
                job()
            finally:
                with self._lock:
                    self._foreign = False

        self._submit(foreign, LATER)

    def _submit(self, job: Callable[[], None], priority: int = 0) -> None:
        with self._lock:
            self._pending += 1
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._serve, name="cove-engine",
                                            daemon=True)
            self._thread.start()
        self._jobs.put((priority, next(self._order), job))

    def _serve(self) -> None:
        while True:
            _, _, job = self._jobs.get()
            if job is _STOP:
                return
            try:
                job()
            except Exception:  # a bug must not kill the thread the window relies on
                log.exception("engine job failed")
            finally:
                with self._lock:
                    self._pending -= 1

    def _ensure_client(self) -> EngineClient:
        if self._client is None or not self._client.alive:
            if self._client is not None:
                self._client.close()
            self._client = self._factory()
            self._tell_states()
        return self._client

    def keep_states(self, key: FileKey | None) -> None:
        """Save long prompts' states in the cache folder, sealed with ``key`` (the
        history's), for every worker from now on (:class:`app.session.ports.ReadsAhead`)."""
        self._states = (key,)
        self._tell_states()

    def _tell_states(self) -> None:
        keep = getattr(self._client, "keep_states", None)  # a scripted client has none
        if keep is not None and self._states is not None:
            keep(states_folder(), self._states[0])

    def load(self, path: str, **options: Any) -> None:
        """Load a model (``n_ctx``, ``n_gpu_layers``, … as :meth:`EngineClient.load`)."""

        def work() -> None:
            self.loading.emit(path)
            try:
                client = self._ensure_client()
                info = client.load(path, **options)
            except EngineError as exc:
                self._load_failed(str(exc), exc.code)
                return
            except OSError as exc:
                self._load_failed(str(exc), protocol.LOAD_FAILED)
                return
            self._drop_remote()  # a local model answers now, not the server
            self.info = dict(info)
            self.loaded.emit(dict(info))

        self._submit(work)

    def _load_failed(self, message: str, code: str) -> None:
        """A load failed: what answered before still answers (the server in use, or
        the model the worker kept); ``info`` says which, before the signal goes out."""
        if self._remote is None:
            client = self._client
            self.info = dict(client.info) if client is not None and client.alive else {}
        self.load_failed.emit(message, code)

    def use_remote(self, server_name: str, model_id: str | None = None,
                   store: ServerStore | None = None) -> None:
        """Answer through the server the user added as ``server_name`` (its chosen model,
        or ``model_id``), instead of the local worker. The server is asked for its model
        list first, so a wrong address or key shows now, as ``load_failed``."""

        def work() -> None:
            from app.engine.remote import RemoteError
            from app.engine.servers import ServerError, ServerStore, backend_for

            self.loading.emit(server_name)
            remote: RemoteBackend | None = None
            try:
                server = (store or ServerStore()).get(server_name)
                if model_id:
                    server = replace(server, model=model_id)
                remote = backend_for(server)
                offered = remote.models()
                model = remote.resolve_model()
                if model not in offered:
                    raise RemoteError(
                        f"{server.name} has no model {model!r}. It offers: "
                        f"{', '.join(offered) or 'nothing'}.", codes.NO_SUCH_MODEL)
            except (ServerError, RemoteError) as exc:
                if remote is not None:
                    remote.close()
                self.info = {}
                self.load_failed.emit(str(exc), exc.code)
                return
            self._drop_remote()
            self._remote = remote
            self.info = dict(remote.info)
            self.loaded.emit(dict(self.info))

        self._submit(work)

    def _drop_remote(self) -> None:
        remote, self._remote = self._remote, None
        if remote is not None:
            remote.close()

    def chat(self, request: ChatRequest, deliver: Deliver) -> None:
        """Start a chat (:class:`app.session.ports.Engine`): its messages go to
        ``deliver`` from the engine thread, in order, ending with exactly one ``done``
        or ``error``; the session hands them to the GUI thread.

        ``request.prepare(backend, post)``, when given, runs first on the engine thread
        and returns the messages and instructions to send instead (the attached
        documents' search runs there, off the GUI thread, and may count tokens with the
        backend); if it fails, the chat goes out as given."""
        with self._lock:
            self._chat_ids += 1
            chat_id = self._chat_ids
            self._delivers[chat_id] = deliver

        def work() -> None:
            with self._lock:
                if chat_id in self._ended:  # Stop ended it while it waited its turn
                    self._ended.discard(chat_id)
                    self._delivers.pop(chat_id, None)
                    return
                self._running = chat_id
            try:
                self._run_chat(chat_id, request)
            finally:
                with self._lock:
                    self._running = None
                    self._delivers.pop(chat_id, None)

        self._submit(work)

    def _run_chat(self, chat_id: int, request: ChatRequest) -> None:
        client = self.backend
        if client is None or not self.info:
            self._finish(chat_id, {"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                                   "message": "No model is loaded."})
            return
        failure = self._revive(client, chat_id)
        if failure is not None:
            self._finish(chat_id, failure)
            return
        sent, rules = request.messages, request.instructions
        if request.prepare is not None:
            try:
                sent, rules = request.prepare(client, self._deliver_to(chat_id))
            except Exception:  # an answer without the documents beats none
                log.exception("preparing the request failed")
        with self._lock:
            stopped = chat_id in self._stopped
            self._stopped.discard(chat_id)
        if stopped:  # Stop was pressed while the documents were searched
            self._finish(chat_id, _cancelled(chat_id))
            return
        deliver = self._deliver_to(chat_id)
        extra: dict[str, Any] = {"tools": request.tools} if request.tools else {}
        stream = client.chat(sent, instructions=rules,  # type: ignore[arg-type]
                             effort=request.effort, sampling=request.sampling or {},
                             max_tokens=request.max_tokens or None, **extra)
        for msg in stream:
            deliver(msg)

    def prefill(self, request: ChatRequest) -> None:
        """Have the local model read ``request`` before its question, in the background
        (:class:`app.session.ports.ReadsAhead`): its ``prepare`` runs on the engine
        thread, then the worker reads while nothing else is asked. A server: nothing."""

        def work() -> None:
            client = self._client
            if self._remote is not None or not getattr(client, "alive", False) \
                    or not hasattr(client, "prefill") or not self.info:
                return
            assert client is not None
            sent, rules = request.messages, request.instructions
            try:
                if request.prepare is not None:
                    sent, rules = request.prepare(client, lambda _event: None)
                if any(m.get("content") for m in sent):
                    client.prefill(sent, rules, request.effort,  # type: ignore[arg-type]
                                   request.tools)  # type: ignore[arg-type]
            except (EngineError, OSError) as exc:
                log.warning("could not read the conversation ahead: %s", exc)

        self._submit(work)

    def _deliver_to(self, chat_id: int) -> Deliver:
        with self._lock:
            deliver = self._delivers.get(chat_id)
        return deliver if deliver is not None else (lambda _msg: None)

    def _finish(self, chat_id: int, msg: dict[str, Any]) -> None:
        """A chat's final message, unless Stop already finished it (:meth:`cancel`)."""
        with self._lock:
            ended = chat_id in self._ended
            self._ended.discard(chat_id)
        if not ended:
            self._deliver_to(chat_id)(msg)

    def _revive(self, backend: Backend, chat_id: int) -> dict[str, Any] | None:
        """Before a chat: start the local worker again if it died while idle (with its
        model), so the documents search and the message reach a living worker. A
        server is left alone. Returns the error to finish the chat with, if that fails.

        Loading a large model again takes tens of seconds, so the window says so
        (``restarting``, then ``loaded``) and Stop ends the chat's wait meanwhile
        (:meth:`cancel`); the model goes on loading for the next message."""
        client = self._client
        if backend is not client or client is None or client.alive:
            return None
        self.restarting.emit()
        with self._lock:
            self._reviving = chat_id
        try:
            client.revive()
        except EngineError as exc:
            return {"type": protocol.ERROR, "code": exc.code, "message": str(exc)}
        finally:
            with self._lock:
                self._reviving = None
            if client.info:
                self.info = dict(client.info)
            self.loaded.emit(dict(self.info))
        return None

    def restart(self) -> None:
        """Start a fresh worker after a crash and load the last model again (the local
        worker only: a server is not restarted from here)."""

        def work() -> None:
            client = self._client
            if client is None or self._remote is not None:
                return
            self.restarting.emit()
            try:
                client.restart()
            except EngineError as exc:
                self.info = {}
                self.load_failed.emit(str(exc), exc.code)
                return
            self.info = dict(client.info)
            if self.info:
                self.loaded.emit(dict(self.info))

        self._submit(work)

    def cancel(self) -> None:
        """Stop the window's answer being written (returns at once); a chat still
        being prepared (its documents searched) is never sent, nor one waiting its turn
        behind another program's request (it ends at once). Another program's request
        that holds the model (app.ui.services.api_server) goes on: the worker is told
        to cancel only while no such request runs (checked and sent under the lock, so
        the next job cannot start in between)."""
        with self._lock:
            latest = self._chat_ids
            self._stopped = {latest}
            waiting, self._reviving = self._reviving, None
            if waiting is not None:
                self._ended.add(waiting)
            queued = latest if latest in self._delivers and latest not in (
                self._running, waiting) else None
            if queued is not None:
                self._ended.add(queued)
            backend = self.backend
            if backend is not None and not self._foreign:
                backend.cancel()
        for chat_id in (waiting, queued):  # not sent yet: nothing to wait for
            if chat_id is not None:
                self._deliver_to(chat_id)(_cancelled(chat_id))

    def answer_now(self) -> None:
        """End the model's reasoning; it writes its final answer straight away. Never
        while another program's request holds the model: that is not the window's."""
        with self._lock:
            backend = self.backend
            if backend is not None and not self._foreign:
                backend.answer_now()

    def close(self, timeout: float = 10.0) -> None:
        """Stop what runs, end the thread and (when it is ours) the worker."""
        self.cancel()
        backend = self.backend
        if backend is not None:  # another program's request too
            backend.cancel()
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put((0, next(self._order), _STOP))
            self._thread.join(timeout)
        self._thread = None
        self._drop_remote()
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None


def _cancelled(chat_id: int) -> dict[str, Any]:
    """The end of a chat stopped before it was sent."""
    return {"type": protocol.DONE, "id": chat_id, "finish_reason": "cancelled", "stats": {}}
