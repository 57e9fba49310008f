"""A real full disk for tests: a Python script run on a private tmpfs of a given size,
mounted in a user and mount namespace of its own (``unshare``), so a test sees the
kernel's own ENOSPC without root and without touching this machine's disks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_on_tmpfs(folder: Path, size: str, script: str, *args: str
                 ) -> subprocess.CompletedProcess[str]:
    """Mount a ``size`` tmpfs (``"64k"``, ``"24m"``) on ``folder`` and run ``script``
    there with ``python -c script folder *args`` from the repository's root; skips
    the test where the kernel or the platform does not allow it."""
    unshare = shutil.which("unshare")
    if sys.platform != "linux" or unshare is None:
        pytest.skip("a private tmpfs needs Linux and unshare(1)")
    mount = f'mount -t tmpfs -o size={size} tmpfs "$1" && shift && exec "$@"'
    run = subprocess.run(
        [unshare, "--user", "--map-root-user", "--mount", "sh", "-c", mount, "sh",
         str(folder), sys.executable, "-c", script, str(folder), *args],
        capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0 and not run.stdout:
        pytest.skip(f"this kernel does not let a test mount a tmpfs: {run.stderr.strip()}")
    return run
