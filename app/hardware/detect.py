"""What this computer has: OS, CPU, RAM and GPUs, read straight from the OS.

This runs on every launch in the GUI process, so it must be quick (well under 200 ms)
and must never raise: a probe that fails leaves its part empty and adds a note, and
the planner then falls back to the CPU. No psutil: each number is one file read or one
system call away (/proc and /sys on Linux, sysctl and Mach on macOS, Win32 on Windows),
and NVIDIA GPUs are read through NVML, the library the driver itself ships, with
``nvidia-smi`` as the fallback when the library cannot be loaded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

GiB = 1 << 30
_T = TypeVar("_T")

# CPU features that decide which llama.cpp kernels run, by the kernel's /proc names.
_X86_FEATURES = (
    "sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni", "avx512f", "avx512bw", "avx512_vnni",
    "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16",
)
# ARM /proc names -> the names people know them by.
_ARM_FEATURES = {"asimd": "neon", "asimddp": "dotprod", "i8mm": "i8mm", "bf16": "bf16",
                 "sve": "sve", "sve2": "sve2", "fphp": "fp16"}
_PCI_VENDORS = {"0x10de": "NVIDIA", "0x1002": "AMD", "0x8086": "Intel"}


@dataclass
class CpuInfo:
    model: str = ""
    physical_cores: int = 0
    logical_cores: int = 0
    # Cores worth giving llama.cpp threads: the performance cores on Apple Silicon,
    # otherwise the physical cores (SMT siblings add little to memory-bound decoding).
    performance_cores: int = 0
    features: list[str] = field(default_factory=list)


@dataclass
class MemoryInfo:
    total_bytes: int = 0
    available_bytes: int | None = None  # None when the OS would not say
    limit: str = ""  # "cgroup" when a container allows less than the machine has


@dataclass
class GpuInfo:
    name: str
    vendor: str  # "NVIDIA", "Apple", "AMD", "Intel"
    memory_total_bytes: int | None = None
    memory_free_bytes: int | None = None
    unified_memory: bool = False  # shares the system RAM (Apple Silicon, integrated GPUs)
    driver_version: str = ""
    cuda_version: str = ""  # the newest CUDA the driver supports, e.g. "12.4"
    compute_capability: str = ""  # e.g. "8.6"
    source: str = ""  # where this came from: nvml, nvidia-smi, sysfs, sysctl


@dataclass
class HardwareReport:
    os: str = ""  # "Linux", "macOS", "Windows"
    os_version: str = ""
    arch: str = ""
    cpu: CpuInfo = field(default_factory=CpuInfo)
    memory: MemoryInfo = field(default_factory=MemoryInfo)
    gpus: list[GpuInfo] = field(default_factory=list)
    apple_silicon: bool = False
    rosetta: bool = False  # an x86 Python on Apple Silicon: Metal is out of reach
    notes: list[str] = field(default_factory=list)  # probes that failed, for the log
    detect_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (for the worker pipe, the log and the settings page)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HardwareReport:
        data = dict(data)
        data["cpu"] = CpuInfo(**data.get("cpu", {}))
        data["memory"] = MemoryInfo(**data.get("memory", {}))
        data["gpus"] = [GpuInfo(**g) for g in data.get("gpus", [])]
        return cls(**data)


def detect() -> HardwareReport:
    """Everything this module can find out, in milliseconds; never raises."""
    started = time.perf_counter()
    report = HardwareReport(arch=platform.machine())
    system = platform.system()
    probes: dict[str, Callable[[HardwareReport], None]] = {
        "Linux": _probe_linux, "Darwin": _probe_macos, "Windows": _probe_windows,
    }
    _guard(report, "os", lambda: _probe_os(report, system))
    probe = probes.get(system)
    if probe is not None:
        _guard(report, system, lambda: probe(report))
    else:
        report.notes.append(f"no hardware probe for {system}")
    if not report.cpu.logical_cores:
        report.cpu.logical_cores = os.cpu_count() or 1
    cpu = report.cpu
    cpu.physical_cores = cpu.physical_cores or cpu.logical_cores
    cpu.performance_cores = cpu.performance_cores or cpu.physical_cores
    if system != "Darwin":
        _add_nvidia(report, _guard(report, "nvidia", _nvidia_gpus) or [])
    report.detect_ms = round((time.perf_counter() - started) * 1000, 2)
    return report


def _add_nvidia(report: HardwareReport, nvidia: list[GpuInfo]) -> None:
    """NVML's view replaces the bare sysfs entries for the same cards; where NVML gave
    nothing, those entries stay, as evidence of a card whose driver does not answer."""
    if nvidia:
        report.gpus = nvidia + [g for g in report.gpus if g.vendor != "NVIDIA"]
    elif any(g.vendor == "NVIDIA" for g in report.gpus):
        report.notes.append("nvidia: a card is present but NVML and nvidia-smi gave nothing")


def _guard(report: HardwareReport, what: str, probe: Callable[[], _T]) -> _T | None:
    """Run one probe; a failure becomes a note, never an exception in the GUI."""
    try:
        return probe()
    except Exception as exc:  # every probe is optional; the planner copes with blanks
        report.notes.append(f"{what}: {type(exc).__name__}: {exc}")
        return None


def _probe_os(report: HardwareReport, system: str) -> None:
    if system == "Darwin":
        report.os, report.os_version = "macOS", platform.mac_ver()[0]
    elif system == "Windows":
        report.os, report.os_version = "Windows", platform.version()
    else:
        report.os, report.os_version = system, platform.release()


# -- Linux ----------------------------------------------------------------------------

def _probe_linux(report: HardwareReport) -> None:
    report.cpu = parse_cpuinfo(Path("/proc/cpuinfo").read_text(errors="replace"),
                               _usable_cpus())
    meminfo = parse_meminfo(Path("/proc/meminfo").read_text())
    report.memory = _apply_cgroup_limit(meminfo)
    report.gpus.extend(_sysfs_gpus(Path("/sys/class/drm")))


def parse_cpuinfo(text: str, usable: set[int] | None = None) -> CpuInfo:
    """Model, cores and features from /proc/cpuinfo, counting only the CPUs this process
    may run on (a container or ``taskset`` can allow fewer than the machine has)."""
    info = CpuInfo()
    cores: set[tuple[str, str]] = set()
    processors = 0
    flags: set[str] = set()
    for block in text.strip().split("\n\n"):
        entry = dict(_field(line) for line in block.splitlines() if ":" in line)
        if "processor" not in entry:
            continue
        if usable is not None and entry["processor"].isdigit() \
                and int(entry["processor"]) not in usable:
            continue
        processors += 1
        info.model = info.model or entry.get("model name", "") or entry.get("Model", "")
        if "core id" in entry:
            cores.add((entry.get("physical id", "0"), entry["core id"]))
        flags |= set((entry.get("flags") or entry.get("Features") or "").split())
    info.logical_cores = processors
    info.physical_cores = len(cores) or processors
    info.features = [f for f in _X86_FEATURES if f in flags]
    info.features += [name for key, name in _ARM_FEATURES.items() if key in flags]
    return info


def _field(line: str) -> tuple[str, str]:
    key, _, value = line.partition(":")
    return key.strip(), value.strip()


def _usable_cpus() -> set[int] | None:
    """CPUs this process may use, also honouring a cgroup CPU quota."""
    try:
        cpus = set(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None
    quota = _cgroup_cpu_quota()
    if quota is not None and quota < len(cpus):
        cpus = set(sorted(cpus)[: max(1, math.ceil(quota))])
    return cpus


def _cgroup_dir() -> Path | None:
    """This process's cgroup v2 folder (in a container, usually /sys/fs/cgroup itself)."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                path = Path("/sys/fs/cgroup") / line[3:].lstrip("/")
                return path if path.is_dir() else Path("/sys/fs/cgroup")
    except OSError:
        pass
    return None


def _cgroup_cpu_quota() -> float | None:
    folder = _cgroup_dir()
    try:
        quota, period = (folder / "cpu.max").read_text().split() if folder else ("max", "1")
    except (OSError, ValueError):
        return None
    return None if quota == "max" else int(quota) / int(period)


def parse_meminfo(text: str) -> MemoryInfo:
    """Total and available RAM from /proc/meminfo (kB there)."""
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[key] = int(parts[0]) * 1024
    available = values.get("MemAvailable")
    if available is None and "MemFree" in values:  # kernels before 3.14
        available = values["MemFree"] + values.get("Cached", 0) + values.get("Buffers", 0)
    return MemoryInfo(total_bytes=values.get("MemTotal", 0), available_bytes=available)


def _apply_cgroup_limit(memory: MemoryInfo) -> MemoryInfo:
    """A container's memory limit is the memory there is: exceeding it means the OOM
    killer, however much the host has."""
    folder = _cgroup_dir()
    if folder is None:
        return memory
    try:
        raw = (folder / "memory.max").read_text().strip()
    except OSError:
        return memory
    if raw == "max" or not raw.isdigit() or int(raw) >= memory.total_bytes:
        return memory
    limit = int(raw)
    used = _cgroup_used(folder)
    available = limit - used if used is not None else limit
    if memory.available_bytes is not None:
        available = min(available, memory.available_bytes)
    return MemoryInfo(total_bytes=limit, available_bytes=max(0, available), limit="cgroup")


def _cgroup_used(folder: Path) -> int | None:
    """Memory the cgroup holds, less the file cache it could drop (as MemAvailable)."""
    try:
        current = int((folder / "memory.current").read_text())
        stat = (folder / "memory.stat").read_text()
    except (OSError, ValueError):
        return None
    match = re.search(r"^inactive_file (\d+)$", stat, re.M)
    return current - (int(match.group(1)) if match else 0)


def _sysfs_gpus(drm: Path) -> list[GpuInfo]:
    """AMD and Intel GPUs as the kernel lists them (NVIDIA comes from NVML instead).
    An NVIDIA card appears here only for diagnosis, when NVML could not be read."""
    gpus = []
    for card in sorted(drm.glob("card[0-9]*")):
        if not re.fullmatch(r"card\d+", card.name):
            continue  # connectors such as card0-HDMI-A-1
        device = card / "device"
        vendor = _read(device / "vendor")
        name = _PCI_VENDORS.get(vendor)
        if name is None:
            continue
        total = _read_int(device / "mem_info_vram_total")
        used = _read_int(device / "mem_info_vram_used")
        product = _read(device / "product_name") or f"{name} GPU ({_read(device / 'device')})"
        gpus.append(GpuInfo(
            name=product, vendor=name, memory_total_bytes=total,
            memory_free_bytes=total - used if total is not None and used is not None else None,
            unified_memory=name == "Intel" and total is None, source="sysfs",
        ))
    return gpus


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _read_int(path: Path) -> int | None:
    text = _read(path)
    return int(text) if text.isdigit() else None


# -- NVIDIA (Linux and Windows) ---------------------------------------------------------

class _NvmlMemory(ctypes.Structure):
    _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong),
                ("used", ctypes.c_ulonglong)]


def _load_nvml() -> Any:
    """The driver's NVML library, or None where there is no NVIDIA driver."""
    names = ["libnvidia-ml.so.1", "libnvidia-ml.so"]
    if sys.platform == "win32":
        program_files = os.environ.get("PROGRAMW6432", r"C:\Program Files")
        names = [os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32",
                              "nvml.dll"),
                 os.path.join(program_files, "NVIDIA Corporation", "NVSMI", "nvml.dll")]
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _nvidia_gpus() -> list[GpuInfo]:
    lib = _load_nvml()
    if lib is not None:
        return nvml_gpus(lib)
    smi = shutil.which("nvidia-smi")
    return nvidia_smi_gpus(smi) if smi else []


def nvml_gpus(lib: Any) -> list[GpuInfo]:
    """GPUs, memory, driver and CUDA versions through NVML (a few ms, no subprocess)."""
    if lib.nvmlInit_v2() != 0:
        return []
    try:
        text = ctypes.create_string_buffer(96)
        driver = text.value.decode() if lib.nvmlSystemGetDriverVersion(text, 96) == 0 else ""
        cuda = ctypes.c_int(0)
        get_cuda = getattr(lib, "nvmlSystemGetCudaDriverVersion_v2", None) \
            or getattr(lib, "nvmlSystemGetCudaDriverVersion", None)
        ok = get_cuda is not None and get_cuda(ctypes.byref(cuda)) == 0
        cuda_version = f"{cuda.value // 1000}.{cuda.value % 1000 // 10}" if ok else ""
        count = ctypes.c_uint(0)
        if lib.nvmlDeviceGetCount_v2(ctypes.byref(count)) != 0:
            return []
        return [_nvml_device(lib, i, driver, cuda_version) for i in range(count.value)]
    finally:
        lib.nvmlShutdown()


def _nvml_device(lib: Any, index: int, driver: str, cuda_version: str) -> GpuInfo:
    handle = ctypes.c_void_p()
    lib.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle))
    name = ctypes.create_string_buffer(96)
    lib.nvmlDeviceGetName(handle, name, 96)
    memory = _NvmlMemory()
    have_memory = lib.nvmlDeviceGetMemoryInfo(handle, ctypes.byref(memory)) == 0
    major, minor = ctypes.c_int(0), ctypes.c_int(0)
    have_cc = lib.nvmlDeviceGetCudaComputeCapability(
        handle, ctypes.byref(major), ctypes.byref(minor)) == 0
    return GpuInfo(
        name=name.value.decode(errors="replace") or f"NVIDIA GPU {index}", vendor="NVIDIA",
        memory_total_bytes=memory.total if have_memory else None,
        memory_free_bytes=memory.free if have_memory else None,
        driver_version=driver, cuda_version=cuda_version,
        compute_capability=f"{major.value}.{minor.value}" if have_cc else "", source="nvml",
    )


_SMI_FIELDS = "name,memory.total,memory.free,driver_version,compute_cap"


def nvidia_smi_gpus(smi: str) -> list[GpuInfo]:
    """The fallback when NVML cannot be loaded; older drivers lack ``compute_cap``."""
    for fields in (_SMI_FIELDS, _SMI_FIELDS.rsplit(",", 1)[0]):
        try:
            done = subprocess.run(
                [smi, f"--query-gpu={fields}", "--format=csv,noheader,nounits"],
                capture_output=True, text=True, timeout=3, check=False)
        except (OSError, subprocess.SubprocessError):
            return []
        if done.returncode == 0:
            return parse_nvidia_smi(done.stdout)
    return []


def parse_nvidia_smi(text: str) -> list[GpuInfo]:
    """Rows of ``name, total MiB, free MiB, driver[, compute capability]``."""
    gpus = []
    for line in text.strip().splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 4:
            continue
        total, free = (int(c) * (1 << 20) if c.isdigit() else None for c in cells[1:3])
        gpus.append(GpuInfo(
            name=cells[0], vendor="NVIDIA", memory_total_bytes=total, memory_free_bytes=free,
            driver_version=cells[3], compute_capability=cells[4] if len(cells) > 4 else "",
            source="nvidia-smi",
        ))
    return gpus


# -- macOS ------------------------------------------------------------------------------

def _probe_macos(report: HardwareReport) -> None:
    cpu = report.cpu
    cpu.model = _sysctl_str("machdep.cpu.brand_string")
    cpu.physical_cores = _sysctl_int("hw.physicalcpu") or 0
    cpu.logical_cores = _sysctl_int("hw.logicalcpu") or 0
    cpu.performance_cores = _sysctl_int("hw.perflevel0.physicalcpu") or 0
    report.rosetta = _sysctl_int("sysctl.proc_translated") == 1
    report.apple_silicon = report.arch == "arm64" or report.rosetta
    cpu.features = _macos_features(report.arch)
    total = _sysctl_int("hw.memsize") or 0
    report.memory = MemoryInfo(total_bytes=total, available_bytes=_macos_available())
    if report.apple_silicon:
        report.gpus.append(GpuInfo(name=f"{cpu.model or 'Apple Silicon'} GPU", vendor="Apple",
                                   memory_total_bytes=total, unified_memory=True,
                                   source="sysctl"))


def _libc() -> Any:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.dylib", use_errno=True)


def _sysctl_raw(name: str) -> bytes | None:
    libc = _libc()
    size = ctypes.c_size_t(0)
    if libc.sysctlbyname(name.encode(), None, ctypes.byref(size), None, 0) != 0:
        return None
    buf = ctypes.create_string_buffer(size.value)
    if libc.sysctlbyname(name.encode(), buf, ctypes.byref(size), None, 0) != 0:
        return None
    return buf.raw[: size.value]


def _sysctl_str(name: str) -> str:
    raw = _sysctl_raw(name)
    return raw.rstrip(b"\0").decode(errors="replace") if raw else ""


def _sysctl_int(name: str) -> int | None:
    raw = _sysctl_raw(name)
    return int.from_bytes(raw, "little") if raw and len(raw) in (4, 8) else None


def _macos_features(arch: str) -> list[str]:
    names = {"hw.optional.neon": "neon", "hw.optional.arm.FEAT_DotProd": "dotprod",
             "hw.optional.arm.FEAT_I8MM": "i8mm", "hw.optional.arm.FEAT_BF16": "bf16",
             "hw.optional.arm.FEAT_FP16": "fp16"}
    if arch != "arm64":
        names = {"hw.optional.avx1_0": "avx", "hw.optional.avx2_0": "avx2",
                 "hw.optional.fma": "fma", "hw.optional.avx512f": "avx512f"}
    return [label for key, label in names.items() if _sysctl_int(key) == 1]


class _VmStatistics64(ctypes.Structure):
    _fields_ = [
        ("free_count", ctypes.c_uint32), ("active_count", ctypes.c_uint32),
        ("inactive_count", ctypes.c_uint32), ("wire_count", ctypes.c_uint32),
        ("zero_fill_count", ctypes.c_uint64), ("reactivations", ctypes.c_uint64),
        ("pageins", ctypes.c_uint64), ("pageouts", ctypes.c_uint64),
        ("faults", ctypes.c_uint64), ("cow_faults", ctypes.c_uint64),
        ("lookups", ctypes.c_uint64), ("hits", ctypes.c_uint64),
        ("purges", ctypes.c_uint64), ("purgeable_count", ctypes.c_uint32),
        ("speculative_count", ctypes.c_uint32), ("decompressions", ctypes.c_uint64),
        ("compressions", ctypes.c_uint64), ("swapins", ctypes.c_uint64),
        ("swapouts", ctypes.c_uint64), ("compressor_page_count", ctypes.c_uint32),
        ("throttled_count", ctypes.c_uint32), ("external_page_count", ctypes.c_uint32),
        ("internal_page_count", ctypes.c_uint32),
        ("total_uncompressed_pages_in_compressor", ctypes.c_uint64),
    ]


def _macos_available() -> int | None:
    """Free + reclaimable pages (inactive, speculative, purgeable), as ``vm_stat`` has
    them: roughly what Activity Monitor would hand a new app without swapping."""
    libc = _libc()
    libc.mach_host_self.restype = ctypes.c_uint32
    stats = _VmStatistics64()
    count = ctypes.c_uint32(ctypes.sizeof(stats) // 4)
    host_vm_info64 = 4
    if libc.host_statistics64(libc.mach_host_self(), host_vm_info64, ctypes.byref(stats),
                              ctypes.byref(count)) != 0:
        return None
    page = _sysctl_int("vm.pagesize") or os.sysconf("SC_PAGE_SIZE")
    pages = (stats.free_count + stats.inactive_count + stats.speculative_count
             + stats.purgeable_count)
    return pages * page


# -- Windows ------------------------------------------------------------------------------

class _MemoryStatusEx(ctypes.Structure):
    _fields_ = [
        ("dwLength", ctypes.c_uint32), ("dwMemoryLoad", ctypes.c_uint32),
        ("ullTotalPhys", ctypes.c_uint64), ("ullAvailPhys", ctypes.c_uint64),
        ("ullTotalPageFile", ctypes.c_uint64), ("ullAvailPageFile", ctypes.c_uint64),
        ("ullTotalVirtual", ctypes.c_uint64), ("ullAvailVirtual", ctypes.c_uint64),
        ("ullAvailExtendedVirtual", ctypes.c_uint64),
    ]


def _probe_windows(report: HardwareReport) -> None:
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    status = _MemoryStatusEx()
    status.dwLength = ctypes.sizeof(status)
    if kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
        report.memory = MemoryInfo(total_bytes=status.ullTotalPhys,
                                   available_bytes=status.ullAvailPhys)
    cpu = report.cpu
    cpu.model = _windows_cpu_name()
    cpu.logical_cores = os.cpu_count() or 0
    cpu.physical_cores = _windows_physical_cores(kernel32)
    features = {39: "avx", 40: "avx2", 41: "avx512f", 19: "neon", 43: "dotprod"}
    cpu.features = [name for pf, name in features.items()
                    if kernel32.IsProcessorFeaturePresent(pf)]


def _windows_cpu_name() -> str:
    winreg: Any = importlib.import_module("winreg")  # Windows only; typed loosely
    key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE,
                         r"HARDWARE\DESCRIPTION\System\CentralProcessor\0")
    with key:
        return str(winreg.QueryValueEx(key, "ProcessorNameString")[0]).strip()


def _windows_physical_cores(kernel32: Any) -> int:
    """Count RelationProcessorCore records of GetLogicalProcessorInformationEx."""
    relation_core = 0
    size = ctypes.c_uint32(0)
    kernel32.GetLogicalProcessorInformationEx(relation_core, None, ctypes.byref(size))
    buf = ctypes.create_string_buffer(size.value)
    if not kernel32.GetLogicalProcessorInformationEx(relation_core, buf, ctypes.byref(size)):
        return 0
    cores, offset = 0, 0
    while offset < size.value:
        # Each record starts with {DWORD Relationship; DWORD Size; ...}.
        relationship, record_size = (int.from_bytes(buf.raw[offset + i:offset + i + 4],
                                                    "little") for i in (0, 4))
        cores += relationship == relation_core
        offset += record_size or size.value
    return cores
