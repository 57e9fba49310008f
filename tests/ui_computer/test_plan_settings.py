"""The plan overrides widget: a dict with Overrides' keys in and out, edits by the user,
the load options it becomes, and the planner's sentence as a preview."""

from __future__ import annotations

import inspect
from typing import Any

from PySide6.QtWidgets import QApplication

from app.engine.client import EngineClient
from app.hardware.plan import Overrides
from app.hardware.plan_options import OVERRIDE_KEYS, load_options, normalise
from app.ui.dialogs.plan_settings import PlanSettings
from tests.hardware.profiles import GPT_OSS_20B, cpu_only, nvidia

FULL = {"n_ctx": 32768, "use_gpu": True, "n_gpu_layers": 20, "n_cpu_moe": 4,
        "n_threads": 6, "n_batch": 1024, "n_ubatch": 256, "flash_attn": False,
        "kv_cache": "q8_0"}


def test_round_trip(qapp: QApplication) -> None:
    widget = PlanSettings()
    assert set(widget.overrides()) == set(OVERRIDE_KEYS)
    assert widget.overrides() == dict.fromkeys(OVERRIDE_KEYS)  # all automatic
    assert Overrides(**widget.overrides()) == Overrides()

    for data in (FULL, {"use_gpu": False, "n_cpu_moe": 0, "flash_attn": True},
                 {"n_ctx": 12288}, {"n_gpu_layers": 999}, {}):
        widget.set_overrides(data)
        assert widget.overrides() == normalise(data), data
        assert PlanSettings(data).overrides() == normalise(data)
    assert widget.n_ctx.findData(12288) > 0  # an odd size from the file stays choosable


def test_damaged_values_become_automatic(qapp: QApplication) -> None:
    odd: dict[str, Any] = {"n_ctx": "big", "use_gpu": "yes", "n_threads": True,
                           "flash_attn": 1, "n_gpu_layers": 12.5, "unknown": 3,
                           "kv_cache": "q9"}
    widget = PlanSettings(odd)
    assert widget.overrides() == dict.fromkeys(OVERRIDE_KEYS)


def test_user_edits_emit_the_dict(qapp: QApplication) -> None:
    widget = PlanSettings()
    seen: list[dict[str, Any]] = []
    widget.changed.connect(seen.append)
    widget.n_ctx.setCurrentIndex(widget.n_ctx.findData(8192))
    widget.n_threads.setValue(4)
    widget.n_cpu_moe.setValue(0)  # "none in RAM" is a choice, distinct from Automatic
    widget.flash_attn.setCurrentIndex(widget.flash_attn.findData(False))
    assert seen[-1] == {**dict.fromkeys(OVERRIDE_KEYS), "n_ctx": 8192, "n_threads": 4,
                        "n_cpu_moe": 0, "flash_attn": False}
    widget.use_gpu.setCurrentIndex(widget.use_gpu.findData(False))
    assert not widget.n_gpu_layers.isEnabled() and not widget.n_cpu_moe.isEnabled()
    assert seen[-1]["use_gpu"] is False
    count = len(seen)
    widget.set_overrides(FULL)  # the caller filling it in is not an edit
    assert len(seen) == count
    widget.reset_button.click()
    assert seen[-1] == dict.fromkeys(OVERRIDE_KEYS)
    assert widget.n_gpu_layers.specialValueText() == widget.n_gpu_layers.text()


def test_load_options_for_the_engine_client() -> None:
    # Only what the user set; every one of them is a parameter of EngineClient.load.
    assert load_options({}) == {}
    assert load_options(FULL) == dict(FULL)
    assert set(FULL) <= set(inspect.signature(EngineClient.load).parameters)
    # GPU off: no layer there, and no experts to keep out of it.
    assert load_options({"use_gpu": False, "n_cpu_moe": 3, "n_gpu_layers": 20}) == {
        "use_gpu": False, "n_gpu_layers": 0}
    assert load_options({"use_gpu": True}) == {"use_gpu": True}


def test_preview_says_what_the_planner_would_do(qapp: QApplication) -> None:
    widget = PlanSettings()
    assert widget.preview.isHidden()
    widget.set_facts(GPT_OSS_20B, nvidia(8, 32, "NVIDIA GeForce RTX 4060"), 16384)
    assert widget.n_gpu_layers.maximum() == 25 and widget.n_cpu_moe.maximum() == 24
    text = widget.preview_text()
    assert text.startswith("With these settings: gpt-oss-20b runs on your RTX 4060 (8 GB)")
    assert "experts of" in text
    widget.use_gpu.setCurrentIndex(widget.use_gpu.findData(False))
    assert "runs on the CPU" in widget.preview_text()
    widget.set_overrides({"n_gpu_layers": 25, "n_cpu_moe": 0})  # all of it on 8 GB
    assert "does not fit" in widget.preview_text()  # the planner's note on the setting
    widget.set_facts(GPT_OSS_20B, cpu_only(8))
    assert widget.n_threads.maximum() == 8
