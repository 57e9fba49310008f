"""installers/entry.py, the frozen app's entry point, run from source.

The same probe the frozen smoke test uses (COVE_SMOKE_QUIT_AFTER_MS): the window opens,
is painted, closes as a user would close it, and the app exits cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import package_smoke
import packaging_meta as meta

ENTRY = meta.ROOT / "installers" / "entry.py"


def run_entry(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # The repository on the path: the tests' keyring (PYTHON_KEYRING_BACKEND) lives in it.
    full_env = dict(os.environ, COVE_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen",
                    PYTHONPATH=str(meta.ROOT), **env)
    full_env.pop("COVE_MODEL", None)
    return subprocess.run([sys.executable, str(ENTRY), *args], capture_output=True, text=True,
                          timeout=120, env=full_env, cwd=meta.ROOT)


def test_the_window_opens_paints_and_closes(tmp_path: Path) -> None:
    out = run_entry(tmp_path=tmp_path, COVE_SMOKE_QUIT_AFTER_MS="50")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(package_smoke.MARKER), out.stdout


def test_without_the_probe_the_entry_is_the_cove_command(tmp_path: Path) -> None:
    out = run_entry("--version", tmp_path=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == f"Cove {meta.version()}"


RTHOOK = meta.ROOT / "installers" / "pyinstaller" / "rthook_python_tool.py"
CONFIG = '{"limits": [], "block_sockets": true}'


def test_the_python_tools_child_starts_before_anything_else(tmp_path: Path) -> None:
    """``Cove --run-python`` in the bundle: the runtime hook that runs before
    PyInstaller's own (and before the entry) runs the sandbox's code and exits; the
    entry answers the same for a build without the hook. Neither imports Qt."""
    code = "import sys\nprint(sum(range(10)))\nprint('PySide6' in sys.modules)"
    for script in (RTHOOK, ENTRY):
        out = subprocess.run([sys.executable, str(script), "--run-python", CONFIG],
                             input=code, capture_output=True, text=True, timeout=60,
                             cwd=tmp_path, env={"PATH": os.defpath, "PYTHONPATH": str(meta.ROOT)})
        assert (out.returncode, out.stdout, out.stderr) == (0, "45\nFalse\n", ""), script


def test_without_the_flag_the_runtime_hook_does_nothing(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(RTHOOK), "--version"], capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL,
                         env={"PATH": os.defpath, "PYTHONPATH": str(meta.ROOT)})
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")
