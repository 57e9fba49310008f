"""The one door from the API to the loaded model, and the ticket of one request.

Cove holds one model in one worker, which answers one request at a time. The API never
loads a second copy: every request becomes a :class:`Ticket` that whoever owns the
model runs in turn. Two owners provide a :class:`ModelGate`:

* the window (:mod:`app.ui.services.api_server`): tickets go through the engine
  thread's queue behind the window's own chats, which go first;
* ``cove serve`` (:class:`SerialGate`): a thread of its own runs tickets one by one.

A ticket can be abandoned at any moment from any thread (the client went away, or it
waited too long): one still waiting is skipped when its turn comes, one running is
cancelled in the worker. The cancel is sent under the ticket's lock, which the engine
thread also takes when the ticket ends, so it can never reach the next request (the
worker clears a cancel that arrives before a request it has not started).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.engine import protocol
from app.engine.client import EngineClient
from app.engine.model_info import ModelInfo

if TYPE_CHECKING:
    from app.api.chat_call import ChatCall
    from app.engine.backend import Backend

log = logging.getLogger(__name__)

Deliver = Callable[[dict[str, Any]], None]
# A message the ticket hands its reader when the engine thread picks it up.
STARTED = "api_started"

_WAITING, _RUNNING, _ENDED, _ABANDONED = "waiting", "running", "ended", "abandoned"


class Ticket:
    """One chat request waiting for, or holding, the model."""

    def __init__(self, call: ChatCall, deliver: Deliver) -> None:
        self.call = call
        self._deliver = deliver
        self._lock = threading.Lock()
        self._state = _WAITING
        self._backend: Backend | None = None
        self.finished = threading.Event()  # ran to its end, or was skipped
        self.finish_reason: str | None = None  # the engine's: stop, length, cancelled

    @property
    def abandoned(self) -> bool:
        return self._state == _ABANDONED

    def run(self, backend: Backend | None) -> None:
        """On the engine thread: answer the call with ``backend`` (None: no model),
        handing every message to the reader; skipped if abandoned while waiting."""
        with self._lock:
            if self._state != _WAITING:
                self.finished.set()
                return
            self._state, self._backend = _RUNNING, backend
        try:
            self._deliver({"type": STARTED})
            if backend is None or not backend.info:
                self._deliver({"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                               "message": "No model is loaded in Cove."})
                return
            self._stream(backend)
        finally:
            with self._lock:
                self._state = _ENDED
                self._backend = None
            self.finished.set()

    def _stream(self, backend: Backend) -> None:
        call = self.call
        sampling = dict(call.sampling)
        if call.seed is not None:  # the worker seeds this request's sampler with it
            sampling["seed"] = call.seed
        # Cove's own worker refuses what does not fit whole, as OpenAI does, instead of
        # leaving out the oldest turns as it does for the window (a server decides itself).
        chat: Callable[..., Iterator[dict[str, Any]]] = (
            partial(backend.chat, trim=False) if isinstance(backend, EngineClient)
            else backend.chat)
        stream = chat(call.messages, instructions=call.instructions, effort=call.effort,
                      sampling=sampling, max_tokens=call.max_tokens, tools=call.tools)
        try:
            for msg in stream:
                if msg.get("type") == protocol.DONE:
                    self.finish_reason = str(msg.get("finish_reason"))
                self._deliver(msg)
        except Exception as exc:  # the reader must always get an end
            log.exception("an API request failed in the engine")
            self._deliver({"type": protocol.ERROR, "code": protocol.GENERATION_FAILED,
                           "message": str(exc)})

    def abandon(self) -> None:
        """Stop this request (any thread, returns at once): skipped if waiting,
        cancelled in the worker if running, nothing if it has ended."""
        with self._lock:
            if self._state == _WAITING:
                self._state = _ABANDONED
            elif self._state == _RUNNING and self._backend is not None:
                self._backend.cancel()


class ModelGate(Protocol):
    """What the API needs from the owner of the loaded model."""

    @property
    def model(self) -> ModelInfo | None:
        """The model that answers now (None: nothing is loaded)."""
        ...

    def submit(self, ticket: Ticket) -> None:
        """Queue ``ticket``: ``ticket.run(backend)`` runs on the engine's thread in turn."""
        ...

    def switch(self, path: Path) -> ModelInfo:
        """Load the model at ``path`` in place of the one loaded (blocks until loaded;
        raises :class:`app.engine.client.EngineError` if it cannot be)."""
        ...


class SerialGate:
    """The gate of ``cove serve``: its own engine client, its own thread running one
    job at a time (a chat, or a model switch), in the order they came."""

    def __init__(self, client: EngineClient, load_options: dict[str, Any] | None = None
                 ) -> None:
        self.client = client
        self._load_options = dict(load_options or {})
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="cove-api-engine",
                                        daemon=True)
        self._thread.start()

    @property
    def model(self) -> ModelInfo | None:
        return ModelInfo.of(self.client.info)

    def submit(self, ticket: Ticket) -> None:
        self._jobs.put(lambda: ticket.run(self.client))

    def switch(self, path: Path) -> ModelInfo:
        done = threading.Event()
        outcome: list[Any] = []

        def load() -> None:
            try:
                outcome.append(self.client.load(path, **self._load_options))
            except Exception as exc:
                outcome.append(exc)
            finally:
                done.set()

        self._jobs.put(load)
        done.wait()
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        info = ModelInfo.of(outcome[0])
        assert info is not None
        return info

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except Exception:  # a bug must not end the thread every request waits on
                log.exception("API engine job failed")

    def close(self) -> None:
        """End the thread (after the job it runs) and close the client."""
        self.client.cancel()
        self._jobs.put(None)
        self._thread.join(30)
        self.client.close()
