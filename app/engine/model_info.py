"""What a loaded model (or a server's model) is, as one typed record.

The worker sends its model's info as a JSON object and a server's backend builds one
of the same shape (:mod:`app.engine.backend`). That dict stays the wire format; every
reader in the app takes :class:`ModelInfo` instead, made once by :meth:`ModelInfo.of`,
so a renamed key is a type error in one place rather than ``None`` in forty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ModelInfo:
    """A loaded model. ``raw`` keeps the wire dict for what only logs and the
    command line print (and for passing it on unchanged)."""

    name: str
    backend: str  # "CPU", "CUDA", "Metal", … for a local model; "remote" for a server
    path: str = ""  # the model file (local models)
    server: str = ""  # the server's name as the user added it (remote)
    base_url: str = ""  # the server's address (remote)
    n_ctx: int = 0  # the context it was loaded with (0: unknown, a server)
    n_ctx_train: int = 0  # the longest context the model was trained for
    harmony: bool = True  # speaks harmony (gpt-oss): it reasons, effort applies
    embedding: bool = False  # loaded to embed passages, not to chat
    n_threads: int = 0
    n_gpu_layers: int = 0
    gpu_offload_supported: bool | None = None  # None: not a local engine's answer
    backends: tuple[str, ...] = ()  # the engine's compiled-in backends
    plan: Mapping[str, Any] = field(default_factory=dict)  # the hardware plan used
    explanation: str = ""  # the plan in English (logs, the command line)
    fallbacks_tried: tuple[str, ...] = ()
    fallbacks_failed: tuple[Mapping[str, Any], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def remote(self) -> bool:
        """Whether a server answers (not the local worker)."""
        return self.backend == "remote"

    @classmethod
    def of(cls, info: Mapping[str, Any] | ModelInfo | None) -> ModelInfo | None:
        """The record for a backend's ``info`` dict; None when no model is loaded
        (an empty dict)."""
        if isinstance(info, ModelInfo):
            return info
        if not info:
            return None
        remote = info.get("backend") == "remote"
        return cls(
            name=str(info.get("name") or "?"),
            backend="remote" if remote else str(info.get("backend") or "CPU"),
            path="" if remote else str(info.get("path") or ""),
            server=str(info.get("server") or ""),
            base_url=str(info.get("base_url") or ""),
            n_ctx=_int(info.get("n_ctx")),
            n_ctx_train=_int(info.get("n_ctx_train")),
            harmony=bool(info.get("harmony", True)),
            embedding=bool(info.get("embedding")),
            n_threads=_int(info.get("n_threads")),
            n_gpu_layers=_int(info.get("n_gpu_layers")),
            gpu_offload_supported=None if info.get("gpu_offload_supported") is None
            else bool(info.get("gpu_offload_supported")),
            backends=tuple(str(b) for b in info.get("backends") or ()),
            plan=dict(info.get("plan") or {}),
            explanation=str(info.get("explanation") or ""),
            fallbacks_tried=tuple(str(t) for t in info.get("fallbacks_tried") or ()),
            fallbacks_failed=tuple(dict(f) for f in info.get("fallbacks_failed") or ()
                                   if isinstance(f, Mapping)),
            raw=dict(info),
        )

    def to_dict(self) -> dict[str, Any]:
        """The wire dict again (what the worker or the server's backend sent)."""
        return dict(self.raw)


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
