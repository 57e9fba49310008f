"""The page with this machine's real detection, and with the machines of the issue as
synthetic reports: each shows what was found and the right diagnosis."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFrame, QLabel

from app.engine.model_info import ModelInfo
from app.hardware.detect import CpuInfo, GiB, GpuInfo, HardwareReport, MemoryInfo, detect
from app.hardware.facts import MachineFacts, ModelFacts, machine_facts
from app.hardware.plan import plan
from app.ui.dialogs.computer import ComputerPage
from app.ui.dialogs.computer_rows import plan_from_info
from tests.hardware.profiles import GPT_OSS_20B
from tests.ui_computer.conftest import MakePage, wait_until


def _rows(page: ComputerPage, section: str) -> dict[str, str]:
    return dict(page._rows.get(section, []))


def _diagnosis_texts(page: ComputerPage) -> list[str]:
    frames = [f for f in page.findChildren(QFrame, "diagnosis") if not f.isHidden()]
    return [" ".join(label.text() for label in f.findChildren(QLabel)) for f in frames]


def test_real_detection_fills_the_page_without_blocking(qapp: QApplication,
                                                        make_page: MakePage) -> None:
    # Detection waits for the test's go: on the GUI thread it would still be waiting
    # when the page is shown (no clock involved, so a busy machine cannot fail it).
    go = threading.Event()
    threads: list[threading.Thread] = []

    def slow_detect() -> HardwareReport:
        threads.append(threading.current_thread())
        go.wait(60)
        return detect()

    page = make_page(detector=slow_detect)
    assert page.report is None and page.detecting, "detection ran on the GUI thread"
    assert "Looking at this computer" in page.hardware_status.text()
    go.set()
    wait_until(qapp, lambda: page.report is not None, 60, "detection")
    assert threads and threads[0] is not threading.main_thread()

    real = detect()
    rows = _rows(page, "hardware")
    assert real.cpu.model and rows["Processor"] == real.cpu.model
    assert str(real.cpu.physical_cores) in rows["Cores"]
    assert real.os in rows["System"]
    assert "GB in all" in rows["Memory"] and "available now" in rows["Memory"]
    if real.gpus:
        assert real.gpus[0].name in rows["Graphics"]
    else:
        assert rows["Graphics"] == "None found"
    if "avx2" in real.cpu.features:
        assert "AVX2" in rows["Instruction sets"]
    assert page.machine is not None and page.machine.ram_total == real.memory.total_bytes
    # No model loaded yet: the page says so, the speed test waits for one.
    assert "No model is loaded" in page.explanation.text()
    assert not page.speed.test_button.isEnabled()
    if not real.gpus:  # this machine: the CPU-only diagnosis
        assert any("No graphics card Cove can use" in t for t in _diagnosis_texts(page))
    assert page.refresh_button.isEnabled()
    assert "Processor: " + real.cpu.model in page.report_text()


def test_check_again_detects_anew(qapp: QApplication, make_page: MakePage) -> None:
    calls: list[int] = []

    def counting() -> HardwareReport:
        calls.append(1)
        return _report(ram_gb=8)

    page = make_page(detector=counting)
    wait_until(qapp, lambda: page.report is not None, 10, "detection")
    page.refresh_button.click()
    assert not page.refresh_button.isEnabled()
    wait_until(qapp, lambda: len(calls) == 2 and page.refresh_button.isEnabled(), 10, "again")


# -- the machines of the issue ------------------------------------------------------------

def _report(ram_gb: int, gpus: list[GpuInfo] | None = None, apple: bool = False,
            os_name: str = "Windows") -> HardwareReport:
    cpu = CpuInfo(model="Apple M2" if apple else "AMD Ryzen 7 5800H", physical_cores=8,
                  logical_cores=8 if apple else 16, performance_cores=4 if apple else 8,
                  features=["neon", "dotprod"] if apple else ["avx", "avx2", "fma", "f16c"])
    return HardwareReport(os="macOS" if apple else os_name, os_version="14.5" if apple else "11",
                          arch="arm64" if apple else "x86_64", cpu=cpu,
                          memory=MemoryInfo(ram_gb * GiB, (ram_gb - 3) * GiB),
                          gpus=gpus or [], apple_silicon=apple, detect_ms=3.0)


def _info(model: ModelFacts, worker_machine: MachineFacts, backend: str,
          backends: list[str], offload: bool, n_ctx: int = 16384) -> dict[str, Any]:
    """A loaded model's info as the worker sends it, with the worker's real plan."""
    chosen = plan(model, worker_machine, n_ctx)
    return {"name": model.name, "path": f"/models/{model.name}.gguf", "n_ctx": chosen.n_ctx,
            "n_threads": chosen.n_threads, "n_gpu_layers": chosen.n_gpu_layers,
            "gpu_offload_supported": offload, "backends": backends,
            "backend": backend if chosen.uses_gpu else "CPU", "plan": chosen.to_dict(),
            "explanation": chosen.explanation, "fallbacks_tried": []}


RTX_3060_OLD = GpuInfo(name="NVIDIA GeForce RTX 3060", vendor="NVIDIA",
                       memory_total_bytes=12 * GiB, memory_free_bytes=11 * GiB,
                       driver_version="470.82.01", cuda_version="11.4",
                       compute_capability="8.6", source="nvml")
RTX_3060 = replace(RTX_3060_OLD, driver_version="560.35.03", cuda_version="12.6")
APPLE_M2 = GpuInfo(name="Apple M2 GPU", vendor="Apple", memory_total_bytes=16 * GiB,
                   unified_memory=True, source="sysctl")


def _show(page: ComputerPage, report: HardwareReport, info: dict[str, Any],
          model: ModelFacts = GPT_OSS_20B, overrides: dict[str, Any] | None = None) -> None:
    page.set_model_info(info, overrides)
    page.set_report(report, model)


def test_nvidia_with_an_old_driver(qapp: QApplication, make_page: MakePage) -> None:
    report = _report(32, [RTX_3060_OLD])
    # The CUDA engine could not open the card: the worker saw no GPU and planned the CPU.
    worker = replace(machine_facts(report), gpus=(), engine_gpu_offload=True)
    page = make_page(auto_detect=False)
    _show(page, report, _info(GPT_OSS_20B, worker, "CUDA", ["CPU", "CUDA"], True))

    texts = _diagnosis_texts(page)
    assert len(texts) == 1
    assert "The driver of your RTX 3060 (470.82.01) is too old for Cove's CUDA engine." \
        in texts[0]
    assert "What to do: Install NVIDIA driver 525 or newer, then restart Cove." in texts[0]
    assert [d.code for d in page.diagnoses] == ["driver_too_old"]
    graphics = _rows(page, "hardware")["Graphics"]
    assert graphics == ("NVIDIA GeForce RTX 3060 · 12 GB (11 GB free) · driver 470.82.01 · "
                        "CUDA 11.4")
    plan_rows = _rows(page, "plan")
    assert plan_rows["Runs on"] == "The CPU" and plan_rows["Layers on the GPU"] == "None"
    assert page.explanation.text().startswith("gpt-oss-20b runs on the CPU")
    assert _rows(page, "engine")["GPU offload"] == "Built in"


def test_apple_16_gb_runs_on_metal(qapp: QApplication, make_page: MakePage) -> None:
    report = _report(16, [APPLE_M2], apple=True)
    machine = replace(machine_facts(report), engine_gpu_offload=True)
    page = make_page(auto_detect=False)
    _show(page, report, _info(GPT_OSS_20B, machine, "Metal", ["Metal", "BLAS", "CPU"], True,
                              n_ctx=8192))

    assert _rows(page, "hardware")["Graphics"] == (
        "Apple M2 GPU: unified memory, shares the 16 GB of RAM (up to 11 GB for the model)")
    assert _rows(page, "hardware")["Cores"] == "8 (4 performance cores)"
    assert _rows(page, "hardware")["Instruction sets"] == "NEON, DotProd"
    plan_rows = _rows(page, "plan")
    assert plan_rows["Runs on"] == "Metal · Apple M2 GPU"
    assert plan_rows["Layers on the GPU"] == "All 24 (and the output layer)"
    assert "your Apple M2 GPU (16 GB unified memory)" in page.explanation.text()
    # Metal may hold about two thirds of 16 GB: the experts of 6 layers stay outside it.
    assert plan_rows["Experts kept in RAM"] == "Those of 6 of 24 layers"
    assert [d.code for d in page.diagnoses] == ["gpu_partial"]
    assert "Your Apple M2 GPU (11 GB free) holds part of gpt-oss-20b" in \
        _diagnosis_texts(page)[0]

    # With 32 GB it all fits on the GPU: nothing to diagnose.
    big = _report(32, [replace(APPLE_M2, memory_total_bytes=32 * GiB)], apple=True)
    machine = replace(machine_facts(big), engine_gpu_offload=True)
    _show(page, big, _info(GPT_OSS_20B, machine, "Metal", ["Metal", "BLAS", "CPU"], True,
                           n_ctx=8192))
    assert _rows(page, "plan")["Experts kept in RAM"] == "None"
    assert page.diagnoses == [] and _diagnosis_texts(page) == []


def test_cpu_only_8_gb(qapp: QApplication, make_page: MakePage) -> None:
    report = _report(8, os_name="Linux")
    machine = replace(machine_facts(report), engine_gpu_offload=False)
    page = make_page(auto_detect=False)
    # The record the window hands over (the wire dict is taken too, as the others show).
    page.set_model_info(ModelInfo.of(_info(GPT_OSS_20B, machine, "CPU", ["CPU"], False,
                                           n_ctx=4096)))
    page.set_report(report, GPT_OSS_20B)

    texts = _diagnosis_texts(page)
    assert len(texts) == 1
    assert "No graphics card Cove can use was found, so it runs on the CPU." in texts[0]
    assert "What to do: Nothing is wrong." in texts[0]
    assert _rows(page, "hardware")["Graphics"] == "None found"
    assert _rows(page, "engine")["GPU offload"].startswith("Not built in")
    assert _rows(page, "plan")["Experts kept in RAM"] == "All (the whole model is in RAM)"


def test_engine_built_without_cuda(qapp: QApplication, make_page: MakePage) -> None:
    report = _report(32, [RTX_3060])
    worker = replace(machine_facts(report), gpus=(), engine_gpu_offload=False)
    page = make_page(auto_detect=False)
    _show(page, report, _info(GPT_OSS_20B, worker, "CPU", ["CPU"], False))

    assert [d.code for d in page.diagnoses] == ["engine_without_gpu"]
    assert "built without CUDA support" in _diagnosis_texts(page)[0]
    # No command lines in the window: the user is told whom to ask.
    assert "make engine" not in _diagnosis_texts(page)[0]
    assert "a version built with CUDA" in _diagnosis_texts(page)[0]


def test_gpu_turned_off_by_the_user_is_not_blamed_on_the_card(qapp: QApplication,
                                                              make_page: MakePage) -> None:
    report = _report(32, [RTX_3060])
    machine = replace(machine_facts(report), engine_gpu_offload=True)
    automatic = plan(GPT_OSS_20B, machine, 16384)
    info = _info(GPT_OSS_20B, replace(machine, gpus=()), "CUDA", ["CPU", "CUDA"], True)
    assert automatic.uses_gpu and not info["plan"]["n_gpu_layers"]
    page = make_page(auto_detect=False)
    _show(page, report, info, overrides={"use_gpu": False})
    assert [d.code for d in page.diagnoses] == ["gpu_off"]
    assert "You chose to run models on the CPU, so your RTX 3060 is not used." in \
        _diagnosis_texts(page)[0]
    # Not knowing the overrides, the page does not claim the card is too small.
    _show(page, report, info)
    assert [d.code for d in page.diagnoses] == ["gpu_not_opened"]


def test_partial_offload_on_an_8_gb_card(qapp: QApplication, make_page: MakePage) -> None:
    gpu = replace(RTX_3060, name="NVIDIA GeForce RTX 4060", memory_total_bytes=8 * GiB,
                  memory_free_bytes=7 * GiB)
    report = _report(32, [gpu])
    machine = replace(machine_facts(report), engine_gpu_offload=True)
    info = _info(GPT_OSS_20B, machine, "CUDA", ["CPU", "CUDA"], True)
    assert info["plan"]["n_cpu_moe"] > 0
    page = make_page(auto_detect=False)
    _show(page, report, info)
    moe = info["plan"]["n_cpu_moe"]
    assert _rows(page, "plan")["Experts kept in RAM"] == f"Those of {moe} of 24 layers"
    assert _rows(page, "plan")["Runs on"] == "CUDA · NVIDIA GeForce RTX 4060"
    assert [d.code for d in page.diagnoses] == ["gpu_partial"]


def test_plan_from_info_round_trips_the_workers_plan() -> None:
    machine = machine_facts(_report(16, [APPLE_M2], apple=True))
    chosen = plan(GPT_OSS_20B, machine, 8192)
    again = plan_from_info(json.loads(json.dumps(chosen.to_dict())), GPT_OSS_20B, machine)
    assert again == chosen
    assert plan_from_info({"n_ctx": 1}) is None


def test_engine_report_is_cached_for_the_next_start(qapp: QApplication,
                                                    make_page: MakePage,
                                                    tmp_path: Path) -> None:
    report = _report(32, [RTX_3060])
    machine = replace(machine_facts(report), engine_gpu_offload=True)
    page = make_page(auto_detect=False)
    _show(page, report, _info(GPT_OSS_20B, machine, "CUDA", ["CPU", "CUDA"], True))
    assert page.wait(120)  # written on the thread that reads the model's header (hang limit)
    assert json.loads((tmp_path / "engine.json").read_text())["backends"] == ["CPU", "CUDA"]

    fresh = make_page(auto_detect=False)
    assert _rows(fresh, "engine")["Can use"] == "CPU, CUDA"
    fresh.set_report(report)
    assert fresh.machine is not None and fresh.machine.engine_gpu_offload is True
    # Without a cache the page says it does not know yet (and does not guess).
    (tmp_path / "engine.json").unlink()
    unknown = make_page(auto_detect=False)
    assert _rows(unknown, "engine")["Can use"].startswith("Not known yet")


REMOTE = {"name": "gpt-oss-120b", "backend": "remote", "server": "vLLM",
          "base_url": "http://10.0.0.2:8000"}


@pytest.mark.parametrize("info", [REMOTE, ModelInfo.of(REMOTE)], ids=["dict", "ModelInfo"])
def test_a_remote_model_has_no_local_plan(qapp: QApplication, make_page: MakePage,
                                          info: Any) -> None:
    page = make_page(auto_detect=False)
    page.set_model_info(info)
    page.set_report(_report(16))
    assert "runs on a server" in page.explanation.text()
    assert not page.speed.test_button.isEnabled()
