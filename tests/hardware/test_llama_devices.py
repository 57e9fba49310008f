"""The device query functions against the real llama.cpp library here, in a subprocess
(as in the worker), and the rule that the GUI process never loads llama.cpp."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QUERY = """
import json, llama_cpp
from app.hardware.llama_devices import query
print(json.dumps(query(llama_cpp).to_dict()))
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_devices_of_the_real_llama_cpp() -> None:
    from app.hardware.detect import detect
    from app.hardware.llama_devices import EngineDevices

    engine = EngineDevices.from_dict(json.loads(_run(QUERY)))
    assert engine.error == ""
    assert "CPU" in engine.backends
    cpu = next(d for d in engine.devices if d.type == "cpu")
    assert cpu.backend == "CPU" and cpu.description
    # On Linux the CPU device reports the machine's total RAM as free: useless as
    # "available", which is why the planner takes that from the OS.
    assert cpu.memory_total_bytes > 0 and cpu.memory_free_bytes <= cpu.memory_total_bytes
    report = detect()
    assert cpu.memory_total_bytes >= report.memory.total_bytes * 0.5
    assert engine.gpu_offload == bool(engine.gpus)  # this build: CPU only, no GPU devices
    assert "CPU" in engine.system_info


def test_gui_side_hardware_modules_do_not_load_llama_cpp() -> None:
    code = ("import sys, app.hardware.detect, app.hardware.facts, app.hardware.plan, "
            "app.hardware.llama_devices, app.hardware.overrides;"
            "print('llama_cpp' in sys.modules)")
    assert _run(code) == "False"
