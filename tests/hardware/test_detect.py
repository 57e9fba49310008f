"""Detection: real on this machine, and the parsers on what other machines print."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from app.hardware import detect as detect_module
from app.hardware.detect import (
    HardwareReport,
    detect,
    parse_cpuinfo,
    parse_meminfo,
    parse_nvidia_smi,
)


def test_real_detection_on_this_machine() -> None:
    # How long it takes is measured by bench/hardware.py (detect_ms), not asserted
    # here: a busy machine stretches any time. What it finds is checked.
    report = detect()
    assert report.detect_ms >= 0
    assert report.os and report.arch
    assert report.cpu.logical_cores >= report.cpu.physical_cores >= 1
    assert report.memory.total_bytes > 0
    assert report.memory.available_bytes is not None
    assert 0 < report.memory.available_bytes <= report.memory.total_bytes
    if Path("/proc/meminfo").exists():
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        assert report.memory.total_bytes <= total_kb * 1024
        assert report.cpu.model
    if hasattr(os, "sched_getaffinity"):
        assert report.cpu.logical_cores <= len(os.sched_getaffinity(0))
    again = HardwareReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report


X86 = """processor\t: 0
model name\t: AMD Ryzen 7 5800X 8-Core Processor
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma f16c

processor\t: 1
model name\t: AMD Ryzen 7 5800X 8-Core Processor
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma f16c

processor\t: 2
model name\t: AMD Ryzen 7 5800X 8-Core Processor
physical id\t: 0
core id\t\t: 1
flags\t\t: fpu sse4_2 avx avx2 fma f16c
"""

ARM = """processor\t: 0
BogoMIPS\t: 48.00
Features\t: fp asimd evtstrm aes crc32 asimddp i8mm sve

processor\t: 1
BogoMIPS\t: 48.00
Features\t: fp asimd evtstrm aes crc32 asimddp i8mm sve
"""


def test_cpuinfo_counts_smt_siblings_once() -> None:
    cpu = parse_cpuinfo(X86)
    assert (cpu.logical_cores, cpu.physical_cores) == (3, 2)
    assert cpu.model.startswith("AMD Ryzen 7")
    assert cpu.features == ["sse4_2", "avx", "avx2", "fma", "f16c"]


def test_cpuinfo_honours_the_affinity_mask() -> None:
    cpu = parse_cpuinfo(X86, usable={0})
    assert (cpu.logical_cores, cpu.physical_cores) == (1, 1)


def test_cpuinfo_on_arm() -> None:
    cpu = parse_cpuinfo(ARM)
    assert cpu.logical_cores == cpu.physical_cores == 2
    assert cpu.features == ["neon", "dotprod", "i8mm", "sve"]


def test_meminfo() -> None:
    mem = parse_meminfo("MemTotal:  16384000 kB\nMemFree: 1000 kB\nMemAvailable: 8192000 kB\n")
    assert (mem.total_bytes, mem.available_bytes) == (16384000 * 1024, 8192000 * 1024)
    old_kernel = parse_meminfo("MemTotal: 100 kB\nMemFree: 10 kB\nCached: 20 kB\n")
    assert old_kernel.available_bytes == 30 * 1024


def test_nvidia_smi_rows() -> None:
    gpus = parse_nvidia_smi("NVIDIA GeForce RTX 3060, 12288, 11811, 560.35.03, 8.6\n"
                            "Tesla K80, 11441, [N/A], 470.82.01\n")
    assert [(g.name, g.memory_total_bytes, g.compute_capability) for g in gpus] == [
        ("NVIDIA GeForce RTX 3060", 12288 << 20, "8.6"), ("Tesla K80", 11441 << 20, "")]
    assert gpus[1].memory_free_bytes is None and gpus[1].driver_version == "470.82.01"


def _fake_smi(folder: Path, body: str) -> None:
    smi = folder / "nvidia-smi"
    smi.write_text(f"#!/bin/sh\n{body}\n")
    smi.chmod(smi.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def no_nvml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No NVML library, and a PATH holding only what a test puts in ``tmp_path``."""
    monkeypatch.setattr(detect_module, "_load_nvml", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    return tmp_path


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for nvidia-smi")
def test_nvidia_smi_fallback(no_nvml: Path) -> None:
    _fake_smi(no_nvml, 'case "$1" in *compute_cap*) echo "unknown field" >&2; exit 2;; esac\n'
                       'echo "NVIDIA GeForce GTX 1080, 8192, 7900, 470.82.01"')
    (gpu,) = detect().gpus
    assert (gpu.vendor, gpu.source, gpu.driver_version) == ("NVIDIA", "nvidia-smi", "470.82.01")


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for nvidia-smi")
def test_broken_or_missing_nvidia_smi_means_no_gpus(no_nvml: Path) -> None:
    assert [g for g in detect().gpus if g.vendor == "NVIDIA"] == []
    _fake_smi(no_nvml, 'echo "NVIDIA-SMI has failed" >&2; exit 9')
    assert [g for g in detect().gpus if g.vendor == "NVIDIA"] == []


def test_a_failing_probe_becomes_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> list[object]:
        raise OSError("driver exploded")

    monkeypatch.setattr(detect_module, "_nvidia_gpus", boom)
    report = detect()
    assert any("driver exploded" in note for note in report.notes)
    assert report.memory.total_bytes > 0


def test_sysfs_gpus(tmp_path: Path) -> None:
    amd = tmp_path / "card0" / "device"
    amd.mkdir(parents=True)
    (amd / "vendor").write_text("0x1002\n")
    (amd / "device").write_text("0x73ff\n")
    (amd / "mem_info_vram_total").write_text(str(8 << 30))
    (amd / "mem_info_vram_used").write_text(str(1 << 30))
    (tmp_path / "card0-HDMI-A-1").mkdir()
    intel = tmp_path / "card1" / "device"
    intel.mkdir(parents=True)
    (intel / "vendor").write_text("0x8086\n")
    gpus = detect_module._sysfs_gpus(tmp_path)
    assert [(g.vendor, g.memory_total_bytes, g.memory_free_bytes, g.unified_memory)
            for g in gpus] == [("AMD", 8 << 30, 7 << 30, False), ("Intel", None, None, True)]
