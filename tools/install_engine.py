"""Install llama-cpp-python built for this machine, caching the built wheel.

llama-cpp-python compiles llama.cpp on install, and its GPU backends are compile-time
choices. This picks them:

* ``COVE_ENGINE_BACKEND=cpu|metal|cuda`` forces one; ``auto`` (the default) means Metal
  on Apple Silicon, CUDA where the CUDA toolkit (nvcc) AND an NVIDIA driver with a GPU
  are present (built for that GPU's architecture only, which keeps the build short),
  and the CPU elsewhere. A toolkit without a GPU (a build server, a CI machine) gets
  the CPU engine: a CUDA build there would take long and could not be used.
* CPU builds on x86-64 target AVX2/FMA/F16C (x86-64-v3) instead of ``-march=native``:
  a native build on a CPU that advertises AMX, inside a VM that does not enable it,
  dies with SIGILL on the first matrix multiply; and a portable build is what the
  frozen app must ship anyway.

The wheel is kept in ``~/.cache/cove-build/wheels/<key>/`` (the key covers version
and build flags), so a second virtual environment on the same machine installs in
seconds. pip's own wheel cache is bypassed: it ignores CMAKE_ARGS and would hand back
a wheel built with other flags.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

VERSION = "0.3.36"
X86_CPU = ["-DGGML_NATIVE=OFF", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON",
           "-DGGML_F16C=ON", "-DGGML_BMI2=ON"]


def _nvcc() -> str | None:
    found = shutil.which("nvcc")
    if found:
        return found
    for home in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"), "/usr/local/cuda"):
        if home and (Path(home) / "bin" / "nvcc").exists():
            return str(Path(home) / "bin" / "nvcc")
    return None


def _nvidia_gpu_present() -> bool:
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            out = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return out.returncode == 0 and "GPU" in out.stdout
    return Path("/proc/driver/nvidia/gpus").is_dir() and any(
        Path("/proc/driver/nvidia/gpus").iterdir())


def cmake_args() -> list[str]:
    backend = os.environ.get("COVE_ENGINE_BACKEND", "auto").lower()
    machine = platform.machine().lower()
    gpu_here = False
    if backend == "auto":
        if sys.platform == "darwin" and machine == "arm64":
            backend = "metal"
        elif _nvcc() and _nvidia_gpu_present():
            backend, gpu_here = "cuda", True
        else:
            backend = "cpu"
    if backend == "metal":
        return ["-DGGML_METAL=ON"]
    if backend == "cuda":
        nvcc = _nvcc()
        args = ["-DGGML_CUDA=ON", *(X86_CPU if machine in ("x86_64", "amd64") else [])]
        if nvcc:
            args.append(f"-DCMAKE_CUDA_COMPILER={nvcc}")
        if gpu_here:
            args.append("-DCMAKE_CUDA_ARCHITECTURES=native")
        return args
    if backend == "cpu":
        args = ["-DGGML_METAL=OFF"] if sys.platform == "darwin" else []
        if machine in ("x86_64", "amd64"):
            args += X86_CPU
        return args
    raise SystemExit(f"COVE_ENGINE_BACKEND must be auto, cpu, metal or cuda, not {backend!r}")


def main() -> int:
    args = cmake_args()
    key = hashlib.sha256(" ".join([VERSION, sys.platform, platform.machine(),
                                   f"py{sys.version_info[:2]}", *args]).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("COVE_WHEEL_CACHE",
                                Path.home() / ".cache" / "cove-build" / "wheels")) / key
    wheels = sorted(cache.glob("llama_cpp_python-*.whl"))
    pip = [sys.executable, "-m", "pip"]
    if not wheels:
        print(f"Building llama.cpp for this machine ({' '.join(args) or 'defaults'}); "
              "this takes a few minutes once.", flush=True)
        cache.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, CMAKE_ARGS=" ".join(args), FORCE_CMAKE="1")
        subprocess.run([*pip, "wheel", "--no-cache-dir", "--no-deps", "-w", str(cache),
                        f"llama-cpp-python=={VERSION}"], check=True, env=env)
        wheels = sorted(cache.glob("llama_cpp_python-*.whl"))
    subprocess.run([*pip, "install", "--quiet", "--force-reinstall", "--no-deps",
                    str(wheels[-1])], check=True)
    (cache / "cmake-args.txt").write_text(" ".join(args) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
