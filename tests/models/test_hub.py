"""The Hub library's private agent registry (app/models/hub.py) is optional: a release
of huggingface_hub that renames or drops it must not break importing Cove's downloads."""

from __future__ import annotations

import importlib
import sys

import pytest
from huggingface_hub import utils as hub_utils
from huggingface_hub.utils import _detect_agent

from app.models import hub


def test_the_registry_is_emptied_when_the_library_has_one() -> None:
    hub.configure()
    assert _detect_agent._registry is _detect_agent._EMPTY_REGISTRY


def test_a_library_without_the_private_names_still_imports(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(_detect_agent, "_EMPTY_REGISTRY")
    hub.configure()
    monkeypatch.delitem(sys.modules, "app.models.hub")
    monkeypatch.delitem(sys.modules, "app.models.downloads", raising=False)
    monkeypatch.delitem(sys.modules, "app.models.transfer", raising=False)
    downloads = importlib.import_module("app.models.downloads")
    assert callable(downloads.PartTransfer)
    assert callable(importlib.import_module("app.models.transfer").hub.hf_hub_url)


def test_a_library_without_the_module_still_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(hub_utils, "_detect_agent")
    monkeypatch.setitem(sys.modules, "huggingface_hub.utils._detect_agent", None)
    hub.configure()
    monkeypatch.delitem(sys.modules, "app.models.hub")
    assert importlib.import_module("app.models.hub").HfApi is not None
