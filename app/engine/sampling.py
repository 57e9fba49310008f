"""Sampling settings.

gpt-oss follows OpenAI's recommendation: temperature 1.0 and top_p 1.0, with no top-k
or min-p cut (llama-cpp-python's generic defaults are 0.8 / 0.95 / top-k 40 /
min-p 0.05). Other models keep llama.cpp's usual defaults. The caller may override any
of them.
"""

from __future__ import annotations

from typing import Any

GPT_OSS_DEFAULTS: dict[str, Any] = {
    "temp": 1.0, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "repeat_penalty": 1.0,
}
GENERIC_DEFAULTS: dict[str, Any] = {
    "temp": 0.8, "top_p": 0.95, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.0,
}
_ALLOWED = {"temp", "top_p", "top_k", "min_p", "repeat_penalty", "presence_penalty",
            "frequency_penalty"}
_ALIASES = {"temperature": "temp"}


def sampling_for(harmony: bool, overrides: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments for ``Llama.generate``."""
    params = dict(GPT_OSS_DEFAULTS if harmony else GENERIC_DEFAULTS)
    for key, value in overrides.items():
        key = _ALIASES.get(key, key)
        if key not in _ALLOWED:
            raise ValueError(f"unknown sampling setting {key!r}")
        params[key] = value
    return params
