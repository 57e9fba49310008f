"""The backends and devices the installed llama.cpp registered. Worker side only.

The functions take the ``llama_cpp`` module as an argument, so that importing this
module never loads llama.cpp (the GUI process imports the dataclasses). The ggml
symbols are looked up through the handle llama.cpp is already loaded under,
``llama_cpp.llama_cpp._lib``: the ``libggml*.so`` files beside it are copies, not
links, and a fresh ``CDLL`` of one would be a second library with its own, separate
device registry. Each symbol gets its own ctypes prototype bound to that handle
(``prototype((name, lib))``), so the shared function objects other code configures are
left untouched.
"""

from __future__ import annotations

import ctypes
from dataclasses import asdict, dataclass, field
from typing import Any

# enum ggml_backend_dev_type, in ggml-backend.h order.
DEVICE_TYPES = ("cpu", "gpu", "igpu", "accel")


@dataclass
class EngineDevice:
    name: str  # "CPU", "CUDA0", "Metal", "Vulkan0"
    description: str  # "NVIDIA GeForce RTX 3060", "Apple M2 Pro", the CPU model
    type: str  # one of DEVICE_TYPES
    memory_free_bytes: int
    memory_total_bytes: int
    backend: str = ""  # the registry it belongs to: "CPU", "CUDA", "Metal"


@dataclass
class EngineDevices:
    backends: list[str] = field(default_factory=list)
    devices: list[EngineDevice] = field(default_factory=list)
    gpu_offload: bool = False  # llama_supports_gpu_offload(): built with a GPU backend
    system_info: str = ""  # llama_print_system_info(): the CPU kernels compiled in
    error: str = ""  # why the query failed, when it did

    @property
    def gpus(self) -> list[EngineDevice]:
        """Devices that can hold offloaded layers (discrete and integrated GPUs)."""
        return [d for d in self.devices if d.type in ("gpu", "igpu")]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EngineDevices:
        data = dict(data)
        data["devices"] = [EngineDevice(**d) for d in data.get("devices", [])]
        return cls(**data)


def _fn(lib: Any, name: str, restype: Any, *argtypes: Any) -> Any:
    """A private ctypes binding of ``name`` in the already-loaded library."""
    return ctypes.CFUNCTYPE(restype, *argtypes)((name, lib))


def ggml_lib(llama_cpp: Any) -> Any:
    """The library handle llama.cpp was loaded under (its ggml symbols resolve there)."""
    return llama_cpp.llama_cpp._lib


def query(llama_cpp: Any) -> EngineDevices:
    """Backends, devices with their memory, and GPU offload support; never raises."""
    result = EngineDevices()
    try:
        lib = ggml_lib(llama_cpp)
        _load_backends(lib)
        result.backends = _backend_names(lib)
        result.devices = _devices(lib)
        result.gpu_offload = bool(llama_cpp.llama_supports_gpu_offload())
        info = llama_cpp.llama_print_system_info()
        result.system_info = (info.decode(errors="replace") if isinstance(info, bytes)
                              else str(info)).strip()
    except (AttributeError, OSError, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _load_backends(lib: Any) -> None:
    """Builds with dynamically loaded backends (GGML_BACKEND_DL) start with an empty
    registry until ``ggml_backend_load_all`` runs; static builds register at start."""
    if _fn(lib, "ggml_backend_reg_count", ctypes.c_size_t)() == 0:
        _fn(lib, "ggml_backend_load_all", None)()


def _backend_names(lib: Any) -> list[str]:
    count = _fn(lib, "ggml_backend_reg_count", ctypes.c_size_t)
    get = _fn(lib, "ggml_backend_reg_get", ctypes.c_void_p, ctypes.c_size_t)
    name = _fn(lib, "ggml_backend_reg_name", ctypes.c_char_p, ctypes.c_void_p)
    return [name(get(i)).decode(errors="replace") for i in range(count())]


def _devices(lib: Any) -> list[EngineDevice]:
    count = _fn(lib, "ggml_backend_dev_count", ctypes.c_size_t)
    get = _fn(lib, "ggml_backend_dev_get", ctypes.c_void_p, ctypes.c_size_t)
    return [_device(lib, get(i)) for i in range(count())]


def _device(lib: Any, dev: int) -> EngineDevice:
    text = ctypes.c_char_p
    name = _fn(lib, "ggml_backend_dev_name", text, ctypes.c_void_p)(dev)
    description = _fn(lib, "ggml_backend_dev_description", text, ctypes.c_void_p)(dev)
    kind = _fn(lib, "ggml_backend_dev_type", ctypes.c_int, ctypes.c_void_p)(dev)
    free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
    size_p = ctypes.POINTER(ctypes.c_size_t)
    _fn(lib, "ggml_backend_dev_memory", None, ctypes.c_void_p, size_p, size_p)(
        dev, ctypes.byref(free), ctypes.byref(total))
    reg = _fn(lib, "ggml_backend_dev_backend_reg", ctypes.c_void_p, ctypes.c_void_p)(dev)
    backend = _fn(lib, "ggml_backend_reg_name", text, ctypes.c_void_p)(reg) if reg else b""
    return EngineDevice(
        name=(name or b"").decode(errors="replace"),
        description=(description or b"").decode(errors="replace"),
        type=DEVICE_TYPES[kind] if 0 <= kind < len(DEVICE_TYPES) else f"type {kind}",
        memory_free_bytes=free.value, memory_total_bytes=total.value,
        backend=(backend or b"").decode(errors="replace"),
    )


def cpu_device(lib: Any) -> int | None:
    """The CPU device's handle (for its buffer type), or None if none is registered."""
    by_type = _fn(lib, "ggml_backend_dev_by_type", ctypes.c_void_p, ctypes.c_int)
    dev: int | None = by_type(DEVICE_TYPES.index("cpu"))
    return dev or None
