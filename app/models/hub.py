"""The Hugging Face Hub library, tamed: import ``huggingface_hub`` only through here.

Left to its defaults, ``huggingface_hub`` does things behind Cove's back on every call:

- It builds its user agent by detecting "AI agent harnesses", whose list it fetches from
  ``https://huggingface.co/api/agent-harnesses`` (its default endpoint, whatever mirror
  Cove passes): a DNS lookup and a connection to huggingface.co before each download,
  even from a mirror, and failures are swallowed, so nobody notices.
- It caches that list, and may keep tokens, Xet chunks and update-check stamps, under
  ``~/.cache/huggingface`` (``HF_HOME``), outside Cove's folders.
- It picks up a token saved by other tools (``~/.cache/huggingface/token``, OAuth
  refreshes over the network) when a call passes none.
- It sends telemetry from some helpers.

The library reads its switches from the environment once, when ``huggingface_hub.
constants`` is first imported, so :func:`configure` sets them before that import (and
reloads the constants if something imported the library earlier). Importing this module
configures the library; ``app.models.downloads`` takes its names from here, and a test
checks that no other module imports ``huggingface_hub``. The environment is inherited by
Cove's child processes, so a worker that imported the library would be tamed too.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from app.config import paths

# Switches that stop the library from reaching out or reading other tools' secrets.
_SWITCHES = {
    "HF_HUB_DISABLE_TELEMETRY": "1",  # no telemetry, no agent detection in the user agent
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",  # only the token Cove passes (from the keyring)
    "HF_HUB_DISABLE_UPDATE_CHECK": "1",  # no version checks
}
# Variables that would send the library elsewhere than where Cove points it.
_REMOVED = ("HUGGINGFACE_CO_STAGING", "HUGGINGFACE_HUB_CACHE", "HUGGINGFACE_ASSETS_CACHE",
            "HF_HUB_ENABLE_HF_TRANSFER")


def library_home() -> Path:
    """Where the library may keep files: inside Cove's cache folder, never ~/.cache."""
    return paths.cache_dir() / "huggingface"


def configure() -> None:
    """Set the library's switches and folders; idempotent, cheap after the first call."""
    home = library_home()
    wanted = dict(_SWITCHES)
    wanted.update({
        "HF_HOME": str(home),
        "HF_HUB_CACHE": str(home / "hub"),
        "HF_ASSETS_CACHE": str(home / "assets"),
        "HF_XET_CACHE": str(home / "xet"),
        "HF_TOKEN_PATH": str(home / "token"),
    })
    changed = any(os.environ.get(k) != v for k, v in wanted.items()) or any(
        k in os.environ for k in _REMOVED)
    os.environ.update(wanted)
    for key in _REMOVED:
        os.environ.pop(key, None)
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None and changed:
        importlib.reload(constants)  # imported before us: read the environment again
    _no_agent_registry()


def _no_agent_registry() -> None:
    """Give the agent detector an empty list, so no code path of the library (the CLI's
    colours, its environment report) ever fetches or caches one.

    Those names are the library's private ones and may change in any release that
    pyproject allows: then nothing is done here (the environment switches above still
    apply, and tests/privacy catches a leak), rather than the import failing and taking
    downloads and the Models window with it."""
    try:
        from huggingface_hub.utils import _detect_agent

        _detect_agent._registry = _detect_agent._EMPTY_REGISTRY
    except (ImportError, AttributeError):
        return


configure()

from huggingface_hub import HfApi, hf_hub_url  # noqa: E402  (after configure)
from huggingface_hub.errors import (  # noqa: E402
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import (  # noqa: E402
    build_hf_headers,
    get_session,
    hf_raise_for_status,
)

__all__ = [
    "GatedRepoError", "HfApi", "HfHubHTTPError", "OfflineModeIsEnabled",
    "RemoteEntryNotFoundError", "RepositoryNotFoundError", "RevisionNotFoundError",
    "build_hf_headers", "configure", "get_session", "hf_hub_url", "hf_raise_for_status",
    "library_home",
]
