"""The worker's requests about what is known before the question: ``prefill``,
``probe`` and ``kv_store``, part of :class:`app.engine.model_host.ModelHost`.

A *prefill* is a conversation as a chat would send it, with an empty question: the
system and developer messages, the attached documents (in the first user message) and
the turns so far. The worker evaluates it up to the end of its last text while nothing
else is asked (the documents are read while the user types), saves the state
(:mod:`app.engine.kv_store`), and the question, when it comes, finds all of it in the
KV cache: only the question is evaluated. Any other request stops a prefill at its
next chunk (:mod:`app.engine.worker` runs it again when idle, from where it stopped).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from app.config.sealed import FileKey
from app.engine import protocol
from app.engine.kv_store import DEFAULT_CAP, PURPOSE, KvStore
from app.engine.prefix import PrefixCache, Stopped, prefix_end, send_prefilled
from app.engine.prompt import PromptRenderer, SafeTokenizer, answer_reserve

# Prompt tokens read per token written, on a CPU: gpt-oss-20b on 2 cores, 14.5-16
# against 4.1 tok/s (issue 15); a GPU reads far faster, so this errs on the slow side.
PROMPT_OVER_WRITING = 3.5


class PrefillRequests:
    """The prefill, probe and kv_store requests of the model host."""

    llm: Any
    info: dict[str, Any]
    prefix: PrefixCache | None
    _send: Any
    _renderer: PromptRenderer | None
    _tokenizer: SafeTokenizer | None
    _replays: dict[str, list[int]]
    _add_bos: bool
    _kv_store: KvStore | None
    _preempt: threading.Event

    def prefill(self, req: dict[str, Any]) -> bool:
        """Evaluate the known part of a conversation in the background, then save its
        state. Returns False when a waiting request stopped it (run it again when
        idle: what it evaluated stays, so it goes on from there)."""
        prefix = self.prefix
        if prefix is None or self._renderer is None or self.info.get("embedding"):
            self._send({"type": protocol.ERROR, "id": req.get("id"),
                        "code": protocol.NOT_LOADED, "message": "No model is loaded."})
            return True
        tokens = self._known_tokens(req)
        started = time.perf_counter()
        n_ctx = self.llm.n_ctx()
        if len(tokens) > n_ctx - answer_reserve(n_ctx, int(req.get("max_tokens") or 0)):
            send_prefilled(self._send, req.get("id"), len(tokens), 0, 0, False, False, 0.0)
            return True
        prefix.background = True
        try:
            cached = prefix.evaluate(req.get("id"), tokens, protocol.PROMPT_PROGRESS)
        except Stopped as exc:
            return not exc.preempted
        finally:
            prefix.background = False
        restored, seconds = prefix.restored, time.perf_counter() - started

        def finished(saved: bool) -> None:  # once the state is on disk
            send_prefilled(self._send, req.get("id"), len(tokens), cached, restored, True,
                           saved, seconds)

        if not prefix.save(tokens, then=finished):
            finished(False)
        return True

    def probe(self, req: dict[str, Any]) -> None:
        """How many tokens the known part of a conversation (as :meth:`prefill`) has,
        how many of them need no evaluation, and the prompt speed (measured here, else
        estimated from the load plan's writing speed: ``measured`` says which)."""
        if self.prefix is None or self._renderer is None:
            self._send({"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                        "message": "No model is loaded."})
            return
        tokens = self._known_tokens(req)
        rate = self.prefix.rate
        if not rate:  # nothing evaluated yet: from the plan's estimate of writing speed
            rate = PROMPT_OVER_WRITING * float((self.info.get("plan") or {}).get("tok_s") or 0)
        self._send({"type": protocol.PROBE, "tokens": len(tokens),
                    "known": self.prefix.known(tokens), "tok_s": round(rate, 2),
                    "measured": bool(self.prefix.rate)})

    def kv_store(self, req: dict[str, Any]) -> None:
        """Where prompt states are saved (``folder``), sealed with which key (``raw``,
        hex; none: plain, like a plain history), at most how many bytes (``cap``).
        Without a folder none are saved."""
        folder = req.get("folder")
        key = FileKey(bytes.fromhex(req["raw"]), PURPOSE) if req.get("raw") else None
        self._kv_store = KvStore(Path(folder), key, int(req.get("cap") or DEFAULT_CAP)) \
            if folder else None
        if self._kv_store is not None:
            self._kv_store.drop_unsealed()  # a plain history's states, now encrypted
        if self.prefix is not None:
            self.prefix.store = self._kv_store

    def _known_tokens(self, req: dict[str, Any]) -> list[int]:
        """The prompt of ``req`` up to the end of its last text (:func:`prefix_end`)."""
        assert self._renderer is not None and self._tokenizer is not None
        segments = self._renderer.render(
            req["messages"], req.get("instructions") or "", req.get("effort") or "medium",
            list(req.get("tools") or []), replay=self._replays.get)
        parts = [self._tokenizer.segments([segment]) for segment in segments]
        end = prefix_end([s.trusted and s.tokens is None for s in segments],
                         [len(p) for p in parts])
        tokens = [t for part in parts for t in part][:end]
        if self._add_bos and (not tokens or tokens[0] != self.llm.token_bos()):
            tokens.insert(0, self.llm.token_bos())
        return tokens
