"""The worker's model: one loaded llama.cpp model, and what it is asked to do with it
(chat, embed, count tokens), in the worker process's model thread.

:class:`ModelHost` keeps the state that lets turn N reuse turn N-1's KV cache: the
rendered prompt's tokens, and which earlier turns were left out (so the prompt's
beginning stays the same), and the exact tokens of the last tool calls the model wrote, so
the continuation after a tool's result replays them and evaluates only the result
(:mod:`app.engine.prompt` renders the turn; a generation that ends at ``<|call|>`` ends
with ``done`` whose ``finish_reason`` is ``tool_call`` and whose ``call`` is the parsed
call). Loading's checks and plan are :mod:`app.engine.model_load`;
the request loop that calls the host is :mod:`app.engine.worker`, the only module that
imports llama.cpp (it hands the module over through ``import_llama``).
"""

from __future__ import annotations

import codecs
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.engine import harmony, pieces, protocol
from app.engine.kv_store import KvStore, model_identity
from app.engine.live_threads import LiveThreads
from app.engine.model_load import (
    backend_name,
    backend_names,
    check_model_file,
    embedding_request,
    load_plan,
    plans_before,
    refusal,
    special_tokens,
)
from app.engine.prefill import PrefillRequests
from app.engine.prefix import PrefixCache, Stopped
from app.engine.prompt import (
    ChatMessage,
    PromptRenderer,
    SafeTokenizer,
    Segment,
    ToolOffer,
    answer_reserve,
    forced_call,
    least_answer_room,
)
from app.engine.sampling import sampling_for
from app.engine.stops import StopFilter
from app.engine.whole_prompt import whole_prompt
from app.gguf_header import GGUFError, check_gguf
from app.hardware.llama_devices import query as query_devices
from app.hardware.overrides import load_with_fallback
from app.hardware.plan import fallback_plans
from app.reasons import Reason, say

_REPLAYS_KEPT = 16  # tool calls whose exact tokens are remembered for their continuation
# What "Answer now" appends to gpt-oss's reasoning: close it, open the final answer.
ANSWER_NOW_BRIDGE = "<|end|><|start|>assistant<|channel|>final<|message|>"


class _Cancelled(Exception):
    pass


class ModelHost(PrefillRequests):
    """One loaded model and the state that lets turn N reuse turn N-1's KV cache."""

    def __init__(self, send: Any, cancel: threading.Event, answer_now: threading.Event,
                 import_llama: Callable[[], Any],
                 preempt: threading.Event | None = None) -> None:
        """``preempt`` is set when a request arrives: a background prefill stops."""
        self._send = send
        self._preempt = preempt or threading.Event()
        self._kv_store: KvStore | None = None  # saved prompt states (op "kv_store")
        self.prefix: PrefixCache | None = None
        self._import_llama = import_llama
        self._cancel = cancel
        self._answer_now = answer_now
        self.llm: Any = None
        self.info: dict[str, Any] = {}
        self._renderer: PromptRenderer | None = None
        self._tokenizer: SafeTokenizer | None = None
        self._abort_cb: Any = None
        self._stop_ids: set[int] = set()
        self._protected: set[int] = set()
        self._trim_memory: tuple[list[str], int] = ([], 0)
        self._replays: dict[str, list[int]] = {}  # a call's raw text -> its tokens
        self.last_stats: dict[str, Any] = {}
        self._seed = 0xFFFFFFFF  # llama.cpp's "a random seed"
        self._engine_devices: Any = None
        self.threads = LiveThreads()  # llama.cpp's thread count, following the load
        self._request: dict[str, Any] | None = None  # the load request of the model held

    # -- load / unload --------------------------------------------------------------------
    def load(self, req: dict[str, Any]) -> None:
        """Load the model ``req`` names in place of the loaded one.

        The new file is checked (header, completeness, kind of model) while the loaded
        model stays; only then is that one let go, so the new one has its memory. If the
        new one still fails (it does not fit, llama.cpp refuses it), the previous model
        is loaded again before the error goes out: a bad choice never leaves the user
        without the model that worked. The error reply says what is loaded now.
        """
        llama_cpp = self._import_llama()
        path = Path(req["path"])
        header = check_model_file(path, req)  # GGUFError, with the old model still loaded
        previous = self._request
        self.unload(quiet=True)
        try:
            self._open(llama_cpp, path, header, req, announce=True)
        except (EOFError, ConnectionError):
            raise  # the client is gone: nobody to answer
        except Exception as exc:
            self.unload(quiet=True)
            failure = exc if isinstance(exc, GGUFError) else GGUFError(
                say(Reason.SETUP_FAILED, file=path.name, detail=exc))
            if previous is not None:
                self._restore(llama_cpp, previous)
            raise failure from exc

    def _restore(self, llama_cpp: Any, req: dict[str, Any]) -> None:
        """Load the model of ``req`` again (quietly) after another one failed."""
        path = Path(req["path"])
        try:
            self._open(llama_cpp, path, check_gguf(path), req, announce=False)
        except Exception as exc:  # gone or changed meanwhile: then nothing is loaded
            self.unload(quiet=True)
            print(f"cove worker: {path.name} could not be loaded again: {exc}",
                  file=sys.stderr, flush=True)

    def _open(self, llama_cpp: Any, path: Path, header: Any, req: dict[str, Any],
              announce: bool) -> None:
        """Plan and load a checked file; ``announce`` sends ``loading`` and ``loaded``."""
        extra: dict[str, Any] = {}
        if req.get("embedding"):
            req, extra = embedding_request(llama_cpp, header, req)
        if self._engine_devices is None:
            self._engine_devices = query_devices(llama_cpp)
        chosen = load_plan(path, header, req, self._engine_devices)
        fallbacks = fallback_plans(chosen)
        if announce:
            # The fallbacks travel with the plan: if this process dies while loading,
            # the client retries them in a new worker.
            self._send({"type": protocol.LOADING, "path": str(path),
                        "plan": chosen.to_dict(),
                        "fallbacks": [f.to_dict() for f in fallbacks]})
        started = time.perf_counter()
        try:
            llm, used, failures = load_with_fallback(
                llama_cpp, str(path), chosen, fallbacks,
                seed=int(req.get("seed", llama_cpp.LLAMA_DEFAULT_SEED)),
                verbose=bool(req.get("verbose", False)), **extra,
            )
        except Exception as exc:
            # What each plan hit goes to the log; the user reads what to do.
            print(f"cove worker: llama.cpp refused {path}: {exc}", file=sys.stderr,
                  flush=True)
            raise GGUFError(refusal(path, header, str(exc))) from exc
        self.llm = llm
        self._seed = llm._seed  # the load's seed: a chat without its own samples with it
        self.threads = LiveThreads(llama_cpp, llm, used.n_threads, req.get("n_threads") is None)
        prefix = self.prefix = PrefixCache(
            llama_cpp, llm, self._send, self._cancel, self._preempt, self._kv_store,
            model_identity(path, llm.n_ctx(), used.kv_cache, used.flash_attn))
        self._abort_cb = llama_cpp.ggml_abort_callback(lambda _data: prefix.stopping())
        llama_cpp.llama_set_abort_callback(llm._ctx.ctx, self._abort_cb, None)

        meta = llm.metadata
        template = meta.get("tokenizer.chat_template")
        vocab = llm._model.vocab
        bos = llm.token_bos()
        eos = llm.token_eos()
        piece = self._piece
        self._renderer = PromptRenderer(
            template,
            bos_token=piece(bos) if bos >= 0 else "",
            eos_token=piece(eos) if eos >= 0 else "",
        )
        protected, eog = special_tokens(llama_cpp, llm, vocab, piece)
        self._protected = set(protected)
        self._tokenizer = SafeTokenizer(
            lambda text, special: llm.tokenize(text.encode("utf-8"), False, special),
            list(protected.values()),
        )
        by_text = {text: tok for tok, text in protected.items()}
        if self._renderer.harmony:
            # <|end|> closes a message, not the turn; <|return|> and <|call|> end the turn.
            end_id = by_text.get(harmony.END)
            self._stop_ids = {t for t in eog if t != end_id}
            self._stop_ids |= {by_text[t] for t in (harmony.RETURN, harmony.CALL) if t in by_text}
        else:
            self._stop_ids = set(eog)
        self._add_bos = bool(llama_cpp.llama_vocab_get_add_bos(vocab)) and bos >= 0
        self._trim_memory = ([], 0)
        self._replays = {}
        supports_gpu = bool(llama_cpp.llama_supports_gpu_offload())
        n_gpu_layers = used.n_gpu_layers
        self.info = {
            "path": str(path),
            "name": meta.get("general.name") or path.stem,
            "architecture": header.architecture,
            "n_ctx": llm.n_ctx(),
            "n_ctx_train": int(llama_cpp.llama_model_n_ctx_train(llm._model.model)),
            "n_params": int(llama_cpp.llama_model_n_params(llm._model.model)),
            "size_bytes": int(llama_cpp.llama_model_size(llm._model.model)),
            "n_threads": used.n_threads,
            "n_gpu_layers": n_gpu_layers,
            "gpu_offload_supported": supports_gpu,
            "backends": backend_names(llama_cpp),
            "backend": backend_name(llama_cpp) if supports_gpu and n_gpu_layers else "CPU",
            "harmony": self._renderer.harmony,
            "chat_template": "gguf" if template else "fallback",
            "load_ms": round((time.perf_counter() - started) * 1000, 1),
            "plan": used.to_dict(),
            "explanation": used.explanation,
            "fallbacks_tried": failures,  # English, for the log and the command line
            # The plans that failed, for the window's words (app.ui.language.wording.failure_text).
            "fallbacks_failed": [{"plan": p.to_dict(), "crashed": False}
                                 for p in plans_before(used, [chosen, *fallbacks])],
            "embedding": bool(req.get("embedding")),
            "n_embd": int(llama_cpp.llama_model_n_embd(llm._model.model)),
        }
        self._request = dict(req)
        if announce:
            self._send({"type": protocol.LOADED, "info": self.info})

    def _piece(self, token: int) -> str:
        return pieces.piece(self.llm, token, special=True).decode("utf-8", "replace")

    def unload(self, quiet: bool = False) -> None:
        if self.prefix is not None:
            self.prefix.close()
            self.prefix = None
        if self.llm is not None:
            self.llm.close()
            self.llm = None
            self._abort_cb = None
            self.threads = LiveThreads()
        self.info = {}
        self._request = None
        self._renderer = None
        self._tokenizer = None
        if not quiet:
            self._send({"type": protocol.UNLOADED})

    # -- chat -----------------------------------------------------------------------------
    def chat(self, req: dict[str, Any]) -> None:
        chat_id = req.get("id")
        if self.llm is None or self._renderer is None or self._tokenizer is None:
            self._send({"type": protocol.ERROR, "id": chat_id, "code": protocol.NOT_LOADED,
                        "message": "No model is loaded."})
            return
        if self.info.get("embedding"):
            self._send({"type": protocol.ERROR, "id": chat_id, "code": protocol.NOT_LOADED,
                        "message": "This model makes text embeddings for document search; "
                                   "it cannot chat. Choose a chat model."})
            return
        messages: list[ChatMessage] = req["messages"]
        instructions = req.get("instructions") or ""
        effort = req.get("effort") or "medium"
        tools: list[ToolOffer] = list(req.get("tools") or [])
        n_ctx = self.llm.n_ctx()
        max_tokens = int(req.get("max_tokens") or 0)
        # The answer may use what is left after the prompt, up to max_tokens. Earlier turns
        # are left out against the full reserve (the room the window budgets documents
        # against); a message too long for that alone is still answered while it leaves
        # the least room an answer needs. The API's (trim False) fit whole or are refused.
        least = least_answer_room(n_ctx, max_tokens)
        why, dropped = say(Reason.TOO_LONG, n_ctx=n_ctx, reserve=least), 0
        if req.get("trim") is False:
            tokens, why = whole_prompt(lambda part: self._render(
                part, instructions, effort, tools), messages, n_ctx, max_tokens)
        else:
            tokens, dropped = self._fit(messages, instructions, effort,
                                        n_ctx - answer_reserve(n_ctx, max_tokens), tools)
        if tokens is None and req.get("trim") is not False:
            tokens, dropped = self._fit(messages, instructions, effort, n_ctx - least, tools)
        if tokens is None:
            self._send({"type": protocol.ERROR, "id": chat_id, "code": protocol.TOO_LONG,
                        "message": why})
            return
        if dropped:
            self._send({"type": protocol.CONTEXT_TRIMMED, "id": chat_id,
                        "dropped_turns": dropped})
        self._generate(chat_id, tokens, req, n_ctx, dropped)

    def prompt(self, req: dict[str, Any]) -> None:
        """The prompt tokens a chat request would evaluate (diagnostics and tests)."""
        if self.llm is None:
            self._send({"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                        "message": "No model is loaded."})
            return
        tokens = self._render(req["messages"], req.get("instructions") or "",
                              req.get("effort") or "medium", list(req.get("tools") or []))
        self._send({
            "type": protocol.PROMPT, "tokens": tokens,
            "special": [t in self._protected for t in tokens],
            "pieces": [self._piece(t) for t in tokens],
        })

    # -- embeddings and token counts --------------------------------------------------------
    def embed(self, req: dict[str, Any]) -> None:
        """One L2-normalised vector per text (the model loaded with ``embedding``).

        Texts longer than the context are cut to it. Cancel is checked between texts
        and inside llama.cpp's evaluation."""
        if self.llm is None or not self.info.get("embedding"):
            self._send({"type": protocol.ERROR, "id": req.get("id"), "code": protocol.NOT_LOADED,
                        "message": "No embedding model is loaded."})
            return
        texts = [str(t) for t in req.get("texts") or []]
        vectors: list[list[float]] = []
        started = time.perf_counter()
        for text in texts:
            if self._cancel.is_set():
                self._send({"type": protocol.ERROR, "id": req.get("id"),
                            "code": protocol.CANCELLED, "message": "Embedding was stopped."})
                return
            try:
                vector = self.llm.embed(text, normalize=True, truncate=True)
            except RuntimeError:
                if self._cancel.is_set():  # the abort callback stopped llama_decode
                    self._send({"type": protocol.ERROR, "id": req.get("id"),
                                "code": protocol.CANCELLED, "message": "Embedding was stopped."})
                    return
                raise
            vectors.append([round(float(x), 7) for x in vector])
        self._send({"type": protocol.EMBEDDINGS, "id": req.get("id"), "vectors": vectors,
                    "ms": round((time.perf_counter() - started) * 1000, 1)})

    def count(self, req: dict[str, Any]) -> None:
        """How many tokens each text is for the loaded model (as plain text: control
        tokens spelled in it count as the pieces the safe tokenizer makes of them)."""
        if self.llm is None:
            self._send({"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                        "message": "No model is loaded."})
            return
        texts = [str(t) for t in req.get("texts") or []]
        if self._tokenizer is not None:
            counts = [len(self._tokenizer.plain(t)) for t in texts]
        else:
            counts = [len(self.llm.tokenize(t.encode("utf-8"), False, False)) for t in texts]
        self._send({"type": protocol.COUNT, "counts": counts})

    def _render(self, messages: Sequence[ChatMessage], instructions: str, effort: str,
                tools: Sequence[ToolOffer] = ()) -> list[int]:
        assert self._renderer is not None and self._tokenizer is not None
        segments = self._renderer.render(messages, instructions, effort, tools,
                                         replay=self._replays.get)
        tokens = self._tokenizer.segments(segments)
        if self._add_bos and (not tokens or tokens[0] != self.llm.token_bos()):
            tokens.insert(0, self.llm.token_bos())
        return tokens

    def _fit(
        self, messages: list[ChatMessage], instructions: str, effort: str, budget: int,
        tools: Sequence[ToolOffer] = (),
    ) -> tuple[list[int] | None, int]:
        """Prompt tokens, leaving out the oldest whole turns until the prompt fits.

        A turn starts at a user message. The instructions and the new message are never
        left out. Once turns were left out, the next request of the same conversation
        leaves out at least as many, so the prompt's beginning stays the same and the KV
        cache keeps being reused instead of re-evaluated every turn.
        """
        starts = [i for i, m in enumerate(messages) if m["role"] == "user"]
        last_user = starts[-1] if starts else len(messages)
        droppable = [s for s in starts if s < last_user]
        keys = [m["role"] + "\0" + m["content"] for m in messages]
        remembered, remembered_drop = self._trim_memory
        first = 0
        if remembered and keys[: len(remembered)] == remembered:
            first = min(remembered_drop, len(droppable))

        def attempt(n_drop: int) -> list[int]:
            cut = droppable[n_drop] if n_drop < len(droppable) else last_user
            return self._render(messages[cut:], instructions, effort, tools)

        tokens = attempt(first)
        if len(tokens) <= budget:
            chosen = first
        else:
            # Binary search the fewest turns to leave out: prompt length falls as n grows.
            lo, hi = first + 1, len(droppable)
            best: tuple[int, list[int]] | None = None
            while lo <= hi:
                mid = (lo + hi) // 2
                candidate = attempt(mid)
                if len(candidate) <= budget:
                    best, hi = (mid, candidate), mid - 1
                else:
                    lo = mid + 1
            if best is None:
                return None, 0
            chosen, tokens = best
        self._trim_memory = (keys, chosen)
        return tokens, chosen

    def _evaluate_prompt(self, chat_id: Any, tokens: list[int]) -> int:
        """Evaluate all but the last prompt token, reusing what is known (the KV cache,
        a saved state); returns how many were. ``generate`` then finds the prefix and
        evaluates only the last token before sampling."""
        assert self.prefix is not None
        try:
            return self.prefix.evaluate(chat_id, tokens[:-1], protocol.PROMPT_PROGRESS)
        except Stopped as exc:
            raise _Cancelled from exc

    def _generate(
        self, chat_id: Any, tokens: list[int], req: dict[str, Any], n_ctx: int, dropped: int
    ) -> None:
        llm = self.llm
        assert self._renderer is not None
        harmony_model = self._renderer.harmony
        overrides = dict(req.get("sampling") or {})
        seed = overrides.pop("seed", None)  # this request's, else the load's (random)
        llm.set_seed(self._seed if seed is None else int(seed) & 0xFFFFFFFF)
        params = sampling_for(harmony_model, overrides)
        max_tokens = int(req.get("max_tokens") or 0) or (n_ctx - len(tokens))
        max_tokens = min(max_tokens, n_ctx - len(tokens))
        parser = harmony.HarmonyParser() if harmony_model else None
        # A call the answer must make: its header ends the prompt (the renderer put it
        # there); the parser reads it as if the model had written it.
        forced = forced_call(list(req.get("tools") or [])) if parser is not None else ""
        stop = req.get("stop")
        stops = StopFilter(self._renderer.stop_strings if stop is None else stop)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._answer_now.clear()
        started = time.perf_counter()
        first_token_at: float | None = None
        completion = 0
        finish = "stop"
        cached = 0
        opened = False
        call = _CallWatch()
        stop_token: int | None = None
        generated: list[int] = []

        def emit(events: list[harmony.Event]) -> None:
            for ev in events:
                call.see(ev)
                self._send({"type": protocol.EVENT, "id": chat_id, "kind": ev.kind,
                            "text": ev.text, "channel": ev.channel, "recipient": ev.recipient,
                            "truncated": ev.truncated})

        def feed(text: str) -> None:
            nonlocal opened
            if parser is not None:
                emit(parser.feed(text))
                return
            if not opened:
                opened = True
                emit([harmony.Event(harmony.MESSAGE_START, channel="final")])
            if text:
                emit([harmony.Event(harmony.ANSWER, text, "final")])

        if forced and parser is not None:
            emit(parser.feed(forced))
        try:
            self.threads.check()
            cached = self._evaluate_prompt(chat_id, tokens)
            prompt_done = time.perf_counter()
            gen = llm.generate(tokens, reset=True, **params)
            while True:
                if self._cancel.is_set():
                    finish = "cancelled"
                    break
                self.threads.check()
                try:
                    token = next(gen)
                except StopIteration:
                    break
                except RuntimeError:
                    if self._cancel.is_set():
                        finish = "cancelled"
                        break
                    raise
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                if token in self._stop_ids:
                    stop_token = token
                    if parser is not None:
                        emit(parser.feed(self._piece(token)))
                    break
                completion += 1
                generated.append(token)
                text = decoder.decode(pieces.piece(llm, token, special=harmony_model))
                text, stopped = stops.push(text)
                feed(text)
                if stopped:
                    break
                if completion >= max_tokens:
                    finish = "length"
                    break
                if (
                    parser is not None
                    and self._answer_now.is_set()
                    and parser.channel == "analysis"
                ):
                    # End the reasoning here and make the model write its answer now: a
                    # new generation over everything so far plus the bridge, of which
                    # only the last token and the bridge are evaluated (prefix reuse).
                    self._answer_now.clear()
                    bridge = llm.tokenize(ANSWER_NOW_BRIDGE.encode(), False, True)
                    emit(parser.feed(ANSWER_NOW_BRIDGE))
                    gen.close()
                    generated += bridge
                    gen = llm.generate(tokens + generated, reset=True, **params)
        except _Cancelled:
            finish = "cancelled"
            prompt_done = time.perf_counter()
        except Exception as exc:
            self._send({"type": protocol.ERROR, "id": chat_id,
                        "code": protocol.GENERATION_FAILED,
                        "message": f"The model stopped with an error: {exc}"})
            return
        finally:
            self._cancel.clear()
        tail, _ = stops.flush()
        feed(decoder.decode(b"", final=True) + tail)
        if parser is not None:
            emit(parser.finish())
        elif opened:
            emit([harmony.Event(harmony.MESSAGE_END, channel="final",
                                truncated=finish != "stop")])
        found = None
        if (finish == "stop" and parser is not None and stop_token is not None
                and self._piece(stop_token) == harmony.CALL):
            found = call.found()
        if found is not None and stop_token is not None:
            finish = "tool_call"
            assert self._tokenizer is not None
            head = self._tokenizer.segments([Segment(forced, True)]) if forced else []
            found["raw"] = self._remember([*head, *generated, stop_token])
        ended = time.perf_counter()
        gen_s = ended - (first_token_at or ended)
        self.last_stats = {
            "prompt_tokens": len(tokens),
            "cached_tokens": cached,
            "evaluated_tokens": len(tokens) - cached,
            "completion_tokens": completion,
            "ttft_ms": round(((first_token_at or ended) - started) * 1000, 2),
            "prompt_ms": round((prompt_done - started) * 1000, 2),
            "tokens_per_s": round((completion - 1) / gen_s, 2) if completion > 1 and gen_s else 0.0,
            "n_ctx": n_ctx,
            "n_threads": self.threads.current,
            "context_used": llm.n_tokens,
            "dropped_turns": dropped,
            "saw_final": parser.saw_final if parser is not None else opened,
        }
        done: dict[str, Any] = {"type": protocol.DONE, "id": chat_id,
                                "finish_reason": finish, "stats": self.last_stats}
        if found is not None:
            done["call"] = found
        self._send(done)

    def _remember(self, tokens: list[int]) -> str:
        """Keep a call's exact tokens under its text, for the continuation to replay
        (the oldest forgotten first); returns the text."""
        raw = pieces.pieces(self.llm, tokens, special=True)
        text = raw.decode("utf-8", "replace")
        self._replays.pop(text, None)
        self._replays[text] = list(tokens)
        while len(self._replays) > _REPLAYS_KEPT:
            self._replays.pop(next(iter(self._replays)))
        return text


class _CallWatch:
    """Follows the parser's events for the message addressed to a tool (the last one
    before ``<|call|>``): its recipient, channel and arguments. Reasoning and answer
    text never reach the arguments: only that message's own text does."""

    def __init__(self) -> None:
        self._recipient: str | None = None
        self._channel = ""
        self._arguments = ""
        self._closed = False

    def see(self, ev: harmony.Event) -> None:
        if ev.kind == harmony.MESSAGE_START:
            recipient = ev.recipient or ""
            if recipient and not recipient.startswith("assistant"):
                self._recipient, self._channel = recipient, ev.channel or ""
                self._arguments, self._closed = "", False
            else:
                self._recipient = None
        elif ev.kind == harmony.TOOL_CALL and self._recipient is not None:
            self._arguments += ev.text
        elif ev.kind == harmony.MESSAGE_END and self._recipient is not None:
            self._closed = not ev.truncated

    def found(self) -> dict[str, str] | None:
        if self._recipient is None or not self._closed:
            return None
        return {"recipient": self._recipient, "channel": self._channel,
                "arguments": self._arguments}
