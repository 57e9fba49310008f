"""Which llama.cpp engine `make run` builds for a machine."""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "install_engine.py"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("install_engine", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("COVE_ENGINE_BACKEND", raising=False)
    monkeypatch.setenv("CUDA_HOME", str(tmp_path / "no-cuda"))
    return tmp_path


def test_cpu_build_is_portable_not_native(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = load_tool()
    monkeypatch.setattr(tool, "_nvidia_gpu_present", lambda: False)
    monkeypatch.setattr(tool.sys, "platform", "linux")
    monkeypatch.setattr(tool.platform, "machine", lambda: "x86_64")
    args = tool.cmake_args()
    assert "-DGGML_NATIVE=OFF" in args and "-DGGML_AVX2=ON" in args
    assert "-DGGML_CUDA=ON" not in args


def test_toolkit_without_gpu_builds_for_the_cpu(bin_dir: Path) -> None:
    fake_tool(bin_dir, "nvcc", "echo nvcc")
    fake_tool(bin_dir, "nvidia-smi", "echo 'No devices were found'; exit 6")
    assert "-DGGML_CUDA=ON" not in load_tool().cmake_args()


def test_toolkit_and_gpu_build_cuda_for_that_gpu(bin_dir: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("Apple Silicon builds Metal")
    fake_tool(bin_dir, "nvcc", "echo nvcc")
    fake_tool(bin_dir, "nvidia-smi", "echo 'GPU 0: NVIDIA GeForce RTX 3060 (UUID: GPU-1)'")
    args = load_tool().cmake_args()
    assert "-DGGML_CUDA=ON" in args
    assert "-DCMAKE_CUDA_ARCHITECTURES=native" in args
    assert f"-DCMAKE_CUDA_COMPILER={bin_dir / 'nvcc'}" in args


def test_forced_backend_and_bad_value(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVE_ENGINE_BACKEND", "cuda")
    assert "-DGGML_CUDA=ON" in load_tool().cmake_args()
    monkeypatch.setenv("COVE_ENGINE_BACKEND", "vulkan-please")
    with pytest.raises(SystemExit, match="must be auto, cpu, metal or cuda"):
        load_tool().cmake_args()
    assert os.environ["COVE_ENGINE_BACKEND"] == "vulkan-please"
