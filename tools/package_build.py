"""Build the one-folder app with PyInstaller (``make package``).

    python tools/package_build.py [--clean]

Runs ``packaging.spec`` into ``dist/Cove/`` (and ``dist/Cove.app`` on macOS), with
PyInstaller's work files in ``build/pyinstaller/``, then writes
``dist/Cove.build.json``: the version, variant, size and how long the build took, for
``make package-check`` and release notes. ``--clean`` discards PyInstaller's cache
(needed after changing a hook; a normal rebuild reuses it and takes under a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import packaging_meta as meta

DIST = meta.ROOT / "dist"
WORK = meta.ROOT / "build" / "pyinstaller"


def tree_mb(folder: Path) -> float:
    """Size of the files in ``folder`` (links counted as links, as they install)."""
    total = sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())
    return round(total / 2**20, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="discard PyInstaller's cache")
    args = parser.parse_args()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    *(["--clean"] if args.clean else []), "--distpath", str(DIST),
                    "--workpath", str(WORK), str(meta.ROOT / "packaging.spec")],
                   check=True, cwd=meta.ROOT, env=dict(os.environ, PYTHONHASHSEED="0"))
    onedir = DIST / meta.NAME
    from PyInstaller import __version__ as pyinstaller_version

    info = {
        "version": meta.version(), "variant": meta.variant(),
        "bundle_system_libs": os.environ.get("COVE_BUNDLE_SYSTEM_LIBS") == "1",
        "platform": sys.platform, "onedir": str(onedir), "onedir_mb": tree_mb(onedir),
        "build_s": round(time.perf_counter() - started, 1),
        "pyinstaller": pyinstaller_version, "python": sys.version.split()[0],
    }
    (DIST / f"{meta.NAME}.build.json").write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
