"""llama.cpp tensor buffer-type overrides from Python, for MoE experts kept in RAM.
Worker side only: every function takes the ``llama_cpp`` module as an argument.

llama-cpp-python does not expose ``tensor_buft_overrides``, but ``Llama`` builds its
model parameters with ``llama_model_default_params()``; wrapping that function while
``Llama`` is constructed lets us fill the field (and ``devices``) before the model
loads. The override array and the pattern strings it points at must outlive the
model, so they are kept on the ``Llama`` object. The CPU buffer type comes from the
CPU device of the registry llama.cpp itself uses (``llama_cpp.llama_cpp._lib``): a
buffer type from a second copy of libggml would not be recognised, and the override
would silently do nothing. The proof that it works is llama.cpp's verbose log:
"tensor overrides to CPU are used with mmap enabled" and tensors "overridden to CPU".
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.hardware.llama_devices import _fn, cpu_device, ggml_lib


class TensorBuftOverride(ctypes.Structure):
    """``struct llama_model_tensor_buft_override { const char *pattern; buft; }``"""

    _fields_ = [("pattern", ctypes.c_char_p), ("buft", ctypes.c_void_p)]


@dataclass
class TensorOverrides:
    """A zero-terminated override array and everything it points at."""

    array: Any
    patterns: list[bytes] = field(default_factory=list)

    @property
    def address(self) -> int:
        return ctypes.addressof(self.array)


def cpu_buffer_type(llama_cpp: Any) -> int:
    """``ggml_backend_dev_buffer_type(cpu device)`` in llama.cpp's own registry."""
    lib = ggml_lib(llama_cpp)
    dev = cpu_device(lib)
    if dev is None:
        raise RuntimeError("llama.cpp registered no CPU device")
    buft = _fn(lib, "ggml_backend_dev_buffer_type", ctypes.c_void_p, ctypes.c_void_p)(dev)
    if not buft:
        raise RuntimeError("llama.cpp's CPU device has no buffer type")
    return int(buft)


def build_overrides(llama_cpp: Any, patterns: Sequence[str],
                    buft: int | None = None) -> TensorOverrides | None:
    """An override array sending tensors matching ``patterns`` to ``buft`` (the CPU
    buffer type by default); None when there is nothing to override."""
    if not patterns:
        return None
    patterns = _within_limit(llama_cpp, list(patterns))
    target = cpu_buffer_type(llama_cpp) if buft is None else buft
    encoded = [p.encode() for p in patterns]
    array = (TensorBuftOverride * (len(encoded) + 1))()  # ctypes zeroes the last entry
    for entry, pattern in zip(array, encoded):
        entry.pattern = pattern
        entry.buft = target
    return TensorOverrides(array=array, patterns=encoded)


def _within_limit(llama_cpp: Any, patterns: list[str]) -> list[str]:
    """One pattern per layer, as ``--n-cpu-moe`` does, unless llama.cpp's limit on the
    number of overrides says otherwise; then one alternation holds them all."""
    limit_fn = getattr(llama_cpp, "llama_max_tensor_buft_overrides", None)
    limit = int(limit_fn()) if limit_fn is not None else 1 << 16
    if len(patterns) < limit:
        return patterns
    return ["(" + "|".join(patterns) + ")"]


@contextmanager
def model_params_patched(llama_cpp: Any, overrides: TensorOverrides | None,
                         cpu_only: bool = False) -> Iterator[list[Any]]:
    """While active, ``llama_model_default_params()`` returns params carrying the
    overrides (and, with ``cpu_only``, an empty device list: no GPU is touched at all,
    the safe retry after a GPU failure). Yields the ctypes objects to keep alive."""
    module = llama_cpp.llama_cpp
    original = module.llama_model_default_params
    keep: list[Any] = [overrides] if overrides is not None else []
    no_devices = (ctypes.c_void_p * 1)()  # a NULL-terminated, empty device list
    if cpu_only:
        keep.append(no_devices)

    def patched() -> Any:
        params = original()
        if overrides is not None:
            params.tensor_buft_overrides = overrides.address
        if cpu_only:
            params.devices = ctypes.addressof(no_devices)
        return params

    module.llama_model_default_params = patched
    try:
        yield keep
    finally:
        module.llama_model_default_params = original


def load_llama(llama_cpp: Any, model_path: str, *, expert_patterns: Sequence[str] = (),
               cpu_only: bool = False, **kwargs: Any) -> Any:
    """``llama_cpp.Llama(model_path, **kwargs)`` with the expert tensors matching
    ``expert_patterns`` kept in RAM. The override memory lives as long as the model."""
    overrides = build_overrides(llama_cpp, expert_patterns)
    with model_params_patched(llama_cpp, overrides, cpu_only) as keep:
        llm = llama_cpp.Llama(model_path=model_path, **kwargs)
    llm._cove_keep_alive = keep
    return llm


def load_planned(llama_cpp: Any, model_path: str, plan: Any, **kwargs: Any) -> Any:
    """Load ``model_path`` as ``plan`` (an ``app.hardware.plan.Plan``) says: its
    ``llama_kwargs()``, its expert overrides, and no GPU at all for a CPU plan.
    ``kwargs`` (seed, verbose, …) are passed through to ``Llama``."""
    return load_llama(llama_cpp, model_path, expert_patterns=plan.expert_override_patterns(),
                      cpu_only=not plan.uses_gpu, **plan.llama_kwargs(), **kwargs)


def load_with_fallback(llama_cpp: Any, model_path: str, plan: Any,
                       fallbacks: Sequence[Any], load: Any = load_planned,
                       **kwargs: Any) -> tuple[Any, Any, list[str]]:
    """Try ``plan``, then each fallback, until one loads (in-process failures only: a
    worker that dies while loading is retried by the client with ``fallbacks``).
    Returns the model, the plan that worked, and what failed, for the user."""
    failures: list[str] = []
    for attempt in [plan, *fallbacks]:
        try:
            return load(llama_cpp, model_path, attempt, **kwargs), attempt, failures
        except (ValueError, RuntimeError, OSError) as exc:
            failures.append(f"{attempt.explanation} — failed: {exc}")
    raise RuntimeError("; ".join(failures))
