"""How a model file becomes a loaded ``Llama`` in the worker: the checks before
llama.cpp sees it, the plan (app.hardware.plan) with the request's overrides, an
embedding model's settings, the special tokens, and the words for a refusal.

Plain functions over the ``llama_cpp`` module they are handed: only
:mod:`app.engine.worker` imports llama.cpp, and :class:`app.engine.model_host.ModelHost`
calls these while it loads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.gguf_header import GGUFError, check_gguf, is_embedding_model
from app.hardware.detect import detect
from app.hardware.facts import machine_facts, model_facts, read_model_facts
from app.hardware.plan import DEFAULT_CTX, Overrides, Plan
from app.hardware.plan import plan as make_plan
from app.reasons import Reason, say


def check_model_file(path: Path, req: dict[str, Any]) -> Any:
    """The header of a file that may be handed to llama.cpp for this request."""
    header = check_gguf(path)  # raises GGUFError with a message for the user
    if not req.get("embedding") and is_embedding_model(header.metadata,
                                                       header.architecture):
        raise GGUFError(say(Reason.EMBEDDING_ONLY, file=path.name))
    return header


def load_plan(path: Path, header: Any, req: dict[str, Any], engine_devices: Any) -> Plan:
    """How to load this model on this machine (app.hardware.plan), with what the
    request fixes (threads, GPU layers, context) as the user's overrides. A plan
    that would exhaust the machine's memory is refused before llama.cpp starts."""
    machine = machine_facts(detect(), engine_devices)
    facts = model_facts(header, fallback_name=path.stem) if header.split_count == 1 \
        else read_model_facts(path)
    n_gpu_layers = req.get("n_gpu_layers")
    use_gpu = req.get("use_gpu")
    if use_gpu is None and n_gpu_layers is not None:
        use_gpu = n_gpu_layers != 0
    overrides = Overrides(
        n_ctx=req.get("n_ctx"),
        use_gpu=use_gpu,
        n_gpu_layers=n_gpu_layers,
        n_cpu_moe=req.get("n_cpu_moe"),
        n_threads=req.get("n_threads"),
        n_batch=req.get("n_batch"),
        n_ubatch=req.get("n_ubatch"),
        flash_attn=req.get("flash_attn"),
        kv_cache=req.get("kv_cache"),
    )
    chosen = make_plan(facts, machine, int(req.get("n_ctx") or DEFAULT_CTX), overrides)
    if not chosen.fits:
        raise GGUFError(say(Reason.DOES_NOT_FIT, file=path.name,
                            explanation=chosen.explanation))
    return chosen


def special_tokens(llama_cpp: Any, llm: Any, vocab: Any,
                   piece: Callable[[int], str]) -> tuple[dict[int, str], set[int]]:
    """Control tokens, user-defined tokens shaped like control tokens, and EOG ids
    (``piece(token)``: a token's text, control tokens spelled out)."""
    control = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL
    user_defined = llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED
    protected: dict[int, str] = {}
    eog: set[int] = set()
    for tok in range(llm.n_vocab()):
        attr = int(llama_cpp.llama_vocab_get_attr(vocab, tok))
        if llama_cpp.llama_vocab_is_eog(vocab, tok):
            eog.add(tok)
        if attr & control or attr & user_defined:
            text = piece(tok)
            if attr & control or (text.startswith("<|") and text.endswith("|>")):
                protected[tok] = text
    return protected, eog


def backend_names(llama_cpp: Any) -> list[str]:
    """The ggml backends this llama.cpp build registered (CPU, CUDA, Metal, …), read
    through ggml's own registry functions in the bundled libggml."""
    import ctypes

    # Through the handle llama.cpp is already loaded under: the libggml*.so files
    # beside it are copies, and a fresh CDLL of one would be a second, empty registry.
    lib = getattr(getattr(llama_cpp, "llama_cpp", None), "_lib", None)
    if lib is None:
        return []
    try:
        lib.ggml_backend_reg_count.restype = ctypes.c_size_t
        lib.ggml_backend_reg_get.restype = ctypes.c_void_p
        lib.ggml_backend_reg_get.argtypes = [ctypes.c_size_t]
        lib.ggml_backend_reg_name.restype = ctypes.c_char_p
        lib.ggml_backend_reg_name.argtypes = [ctypes.c_void_p]
        return [lib.ggml_backend_reg_name(lib.ggml_backend_reg_get(i)).decode()
                for i in range(lib.ggml_backend_reg_count())]
    except (OSError, AttributeError):
        return []


def backend_name(llama_cpp: Any) -> str:
    """The GPU backend a model with GPU layers runs on."""
    for name in backend_names(llama_cpp):
        if name.upper() not in ("CPU", "BLAS", "RPC"):
            return name
    return "GPU"


def embedding_request(llama_cpp: Any, header: Any,
                       req: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The load request and extra ``Llama`` arguments for an embedding model.

    A text is evaluated in one batch (encoder models such as BERT need the whole
    sequence in one micro-batch), so batch and micro-batch are the context length,
    which defaults to the model's trained length, at most 2048. Pooling is the model's
    own where its GGUF names one (BERT: mean or CLS; Qwen3-Embedding: last token),
    else the mean of the token vectors (a language model used as a stand-in)."""
    meta = header.metadata
    arch = header.architecture
    trained = int(meta.get(f"{arch}.context_length") or 2048)
    n_ctx = int(req.get("n_ctx") or min(trained, 2048))
    has_pooling = f"{arch}.pooling_type" in meta
    pooling = llama_cpp.LLAMA_POOLING_TYPE_UNSPECIFIED if has_pooling \
        else llama_cpp.LLAMA_POOLING_TYPE_MEAN
    return ({**req, "n_ctx": n_ctx, "n_batch": n_ctx, "n_ubatch": n_ctx},
            {"embedding": True, "pooling_type": pooling})


def refusal(path: Path, header: Any, detail: str) -> str:
    """Why llama.cpp did not load a file that passed the header check, for the user.
    The plans tried and llama.cpp's own words are in ``detail``: they go to the log,
    not into this sentence."""
    if "llama_context" in detail and "load model" not in detail:  # weights in, context not
        return say(Reason.NO_CONTEXT_MEMORY, file=path.name)
    return say(Reason.UNSUPPORTED, file=path.name, architecture=header.architecture)


def plans_before(used: Plan, attempts: list[Plan]) -> list[Plan]:
    """The plans tried (and failed) before ``used``, in order."""
    for index, attempt in enumerate(attempts):
        if attempt is used:
            return attempts[:index]
    return []
