"""The top bar shows the model it is handed, typed (ModelInfo) or as the wire dict the
window still passes during the move to typed records."""

from __future__ import annotations

from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from app.engine.model_info import ModelInfo
from app.ui.widgets.topbar import TopBar

LOCAL = {"name": "gpt-oss-20b", "path": "/models/gpt-oss-20b.gguf", "backend": "CUDA",
         "n_ctx": 16384}
REMOTE = {"name": "/srv/models/qwen.gguf", "backend": "remote", "server": "lab",
          "base_url": "http://10.0.0.2:8000/v1", "n_ctx": 0}


@pytest.mark.parametrize("typed", [True, False], ids=["ModelInfo", "dict"])
def test_a_local_and_a_remote_model(qapp: QApplication, typed: bool) -> None:
    def given(info: dict[str, Any]) -> Any:
        return ModelInfo.of(info) if typed else info

    bar = TopBar()
    try:
        bar.resize(1200, 40)
        bar.set_model(given(LOCAL))
        assert bar.model_button.accessibleDescription() == "gpt-oss-20b"
        assert bar.model_button.toolTip() == "/models/gpt-oss-20b.gguf"
        assert bar.backend.text() == "CUDA"
        assert bar.context.text() == "16,384 tokens of context"

        bar.set_model(given(REMOTE))
        assert bar.model_button.accessibleDescription() == "qwen.gguf"  # the file's name
        assert bar.backend.text() == "lab"
        assert bar.backend.toolTip() == "The model runs on the server http://10.0.0.2:8000/v1"
        assert bar.context.text() == ""  # a server does not say its context

        bar.set_model(None)
        assert bar.model_button.accessibleDescription() == "No model"
        assert bar.backend.isHidden()
    finally:
        shiboken6.delete(bar)  # a top-level widget left behind would leak
