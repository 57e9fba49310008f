"""The user's settings: one JSON file in the config folder, written atomically.

Plain Python (no Qt), so the command line and tests can read the same file the window
writes. Unknown keys in the file are kept as they are (a newer Cove may have written
them) and values of the wrong type fall back to the default, so a hand-edited or
half-written file never stops the app from starting.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.config import paths
from app.config.files import write_atomically

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"
EFFORTS = ("low", "medium", "high")
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "de")
SWITCHES = {"auto": None, "on": True, "off": False}  # use_gpu, flash_attn


@dataclass
class Settings:
    """What the settings dialog edits. ``sampling`` holds only the values the user set:
    anything absent keeps the engine's default for the model (OpenAI's recommendation
    for gpt-oss)."""

    theme: str = "system"
    language: str = "system"
    default_effort: str = "medium"
    n_ctx: int = 0  # 0: the largest context that fits (the hardware planner decides)
    n_gpu_layers: int = -1  # -1: as the hardware plan says; 0: CPU only
    # Settings › Advanced, the rest of the plan's overrides (each "auto" / -1 / 0: the
    # hardware planner decides). Absent from files older than them: they load as auto.
    use_gpu: str = "auto"  # auto, on, off (off: CPU only)
    n_cpu_moe: int = -1  # the experts of this many layers stay in RAM; -1: as planned
    n_threads: int = 0  # CPU threads; 0: as planned
    flash_attn: str = "auto"  # auto, on, off
    hf_endpoint: str = ""  # a Hugging Face mirror; empty: the hub itself
    max_tokens: int = 0  # 0: as long as the context allows
    sampling: dict[str, float] = field(default_factory=dict)
    system_prompt: str = ""
    model_path: str = ""
    sidebar_width: int = 260
    # Tools the user switched on (app.tools.registry: "python", "web"); all off by
    # default. web_search_url: the search endpoint web search asks (SearXNG-style).
    tools_enabled: list[str] = field(default_factory=list)
    web_search_url: str = ""
    tool_calls_per_answer: int = 8  # the tool loop's cap (Tools window), 1-32
    # Settings › Other apps: the local OpenAI-compatible API (app.api), off by default;
    # the port is app.api.options.DEFAULT_PORT. Its key lives in the keyring, not here.
    api_enabled: bool = False
    api_port: int = 8717
    api_allow_switch: bool = False
    # Another address than this computer's only when the user types one (warned).
    api_host: str = "127.0.0.1"
    api_log_content: bool = False  # the request log keeps what apps asked and got
    api_keep_history: bool = False  # API conversations kept under "From other apps"
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        return {**extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        default = cls()
        known = {f.name for f in fields(cls)} - {"extra"}
        values: dict[str, Any] = {}
        for name in known:
            if name not in data:
                continue
            value, expected = data[name], getattr(default, name)
            if isinstance(value, bool) != isinstance(expected, bool) or \
                    not isinstance(value, type(expected)):
                log.warning("settings: ignoring %s=%r (wrong type)", name, value)
                continue
            values[name] = value
        settings = cls(**values, extra={k: v for k, v in data.items() if k not in known})
        settings._sanitise()
        return settings

    def _sanitise(self) -> None:
        if self.theme not in THEMES:
            self.theme = "system"
        if self.language not in LANGUAGES:
            self.language = "system"
        if self.default_effort not in EFFORTS:
            self.default_effort = "medium"
        if self.n_ctx != 0:
            self.n_ctx = min(max(self.n_ctx, 512), 131072)
        self.n_gpu_layers = max(self.n_gpu_layers, -1)
        self.use_gpu = self.use_gpu if self.use_gpu in SWITCHES else "auto"
        self.flash_attn = self.flash_attn if self.flash_attn in SWITCHES else "auto"
        self.n_cpu_moe = max(self.n_cpu_moe, -1)
        self.n_threads = max(self.n_threads, 0)
        self.max_tokens = max(self.max_tokens, 0)
        self.api_port = self.api_port if 1 <= self.api_port <= 65535 else 8717
        self.api_host = self.api_host.strip() or "127.0.0.1"
        self.tools_enabled = sorted({t for t in self.tools_enabled if isinstance(t, str)})
        self.tool_calls_per_answer = min(max(self.tool_calls_per_answer, 1), 32)
        self.sampling = {k: float(v) for k, v in self.sampling.items()
                         if isinstance(v, (int, float)) and not isinstance(v, bool)}

    def plan_overrides(self) -> dict[str, Any]:
        """The hardware plan's overrides as ``app.hardware.plan.Overrides`` names them,
        None where Cove decides. A file from before the GPU switch said "CPU only" as
        ``n_gpu_layers`` 0: that still means the GPU is off."""
        return {
            "n_ctx": self.n_ctx or None,
            "use_gpu": False if self.n_gpu_layers == 0 else SWITCHES[self.use_gpu],
            "n_gpu_layers": self.n_gpu_layers if self.n_gpu_layers > 0 else None,
            "n_cpu_moe": self.n_cpu_moe if self.n_cpu_moe >= 0 else None,
            "n_threads": self.n_threads or None,
            "flash_attn": SWITCHES[self.flash_attn],
        }

    def set_plan_overrides(self, overrides: dict[str, Any]) -> None:
        """The reverse of :meth:`plan_overrides` (None or a missing key: automatic)."""
        switch = {value: key for key, value in SWITCHES.items()}
        self.n_ctx = int(overrides.get("n_ctx") or 0)
        self.use_gpu = switch.get(overrides.get("use_gpu"), "auto")
        self.n_gpu_layers = int(overrides.get("n_gpu_layers") or -1)
        moe = overrides.get("n_cpu_moe")
        self.n_cpu_moe = -1 if moe is None else int(moe)
        self.n_threads = int(overrides.get("n_threads") or 0)
        self.flash_attn = switch.get(overrides.get("flash_attn"), "auto")
        self._sanitise()


def settings_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there are none (or they are unreadable)."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("settings: %s is unreadable (%s); using defaults", path, exc)
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    return Settings.from_json(data)


def save(settings: Settings, path: Path | None = None) -> None:
    """Write the file atomically: a temporary file beside it, flushed to disk, then
    renamed over the old one. A crash leaves either the old file or the new one."""
    text = json.dumps(settings.to_json(), indent=2, ensure_ascii=False, sort_keys=True)
    write_atomically(path or settings_path(), text + "\n")
