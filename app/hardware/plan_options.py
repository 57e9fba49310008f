"""The user's overrides of the hardware plan as saved in the settings, and what they
ask of a model load.

Settings › Advanced (:class:`app.ui.dialogs.plan_settings.PlanSettings`) edits a plain dict
with :class:`app.hardware.plan.Overrides`' keys; the settings file keeps it; every
model load turns it into keyword arguments with :func:`load_options`. Plain Python, so
the window, the command line and the tests read a damaged or older settings file the
same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from app.hardware.plan import KV_CACHE_TYPES, Overrides

OVERRIDE_KEYS = tuple(f.name for f in fields(Overrides))


def normalise(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """A dict with every Overrides key: known keys of the right type, the rest None
    (a damaged or older settings file must not break the dialog or a load)."""
    data = data or {}
    out: dict[str, Any] = {}
    for f in fields(Overrides):
        value = data.get(f.name)
        if f.name in ("use_gpu", "flash_attn"):
            out[f.name] = value if isinstance(value, bool) else None
        elif f.name == "kv_cache":
            out[f.name] = value if value in KV_CACHE_TYPES else None
        else:
            ok = isinstance(value, int) and not isinstance(value, bool)
            out[f.name] = value if ok else None
    return out


def to_overrides(data: Mapping[str, Any] | None) -> Overrides:
    return Overrides(**normalise(data))


def load_options(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keyword arguments for ``EngineClient.load`` from an overrides dict: only what the
    user set (None lets the worker's planner decide, so all-automatic asks nothing). GPU
    off is ``use_gpu=False`` with ``n_gpu_layers=0`` and no experts to place."""
    ov = normalise(data)
    if ov["use_gpu"] is False:
        ov["n_gpu_layers"], ov["n_cpu_moe"] = 0, None
    return {k: v for k, v in ov.items() if v is not None}
