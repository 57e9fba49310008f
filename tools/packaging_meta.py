"""What every package of Cove says about itself, in one place.

The PyInstaller recipe (``packaging.spec``), the .deb and AppImage builders, the macOS
script and the Windows installer all read their names, ids and version from here, and
the version from ``pyproject.toml``, so a release changes one line.

The ids are forever: the reverse-DNS ``APP_ID`` is the AppStream id, the name of the
.desktop file and the icon, and the macOS bundle id; ``WINDOWS_APP_GUID`` is what Inno
Setup recognises an installed Cove by when it upgrades in place. Changing either makes
a new version install beside the old one instead of over it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NAME = "Cove"
EXECUTABLE = "Cove"  # the frozen program: Cove, Cove.exe, Cove.app/Contents/MacOS/Cove
PACKAGE = "cove"  # the Debian package and the command on PATH
APP_ID = "org.coveapp.Cove"
WINDOWS_APP_GUID = "{6F2C4B8E-3D1A-4E5B-9C7F-2A8D0E4B1C35}"
PUBLISHER = "The Cove developers"
HOMEPAGE = "https://github.com/cove-app/cove"
LICENSE = "Apache-2.0"
SUMMARY = "Private, offline chat with gpt-oss"
MIN_MACOS = "13.0"  # when the PySide6 wheel does not say (see macos_minimum)
ICON_DIR = ROOT / "resources" / "app-icon"
VARIANTS = ("cpu", "cuda", "metal")


def pyproject() -> dict[str, object]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    # Python 3.10 has no tomllib; the two fields needed here are simple strings.
    project: dict[str, object] = {}
    for key in ("name", "version", "description"):
        match = re.search(rf'^{key}\s*=\s*"([^"]*)"', text, re.M)
        if match:
            project[key] = match.group(1)
    return {"project": project}


def version() -> str:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    return str(project["version"])


def description() -> str:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    return str(project.get("description", SUMMARY))


def numeric_version(text: str | None = None) -> tuple[int, int, int, int]:
    """The version as four numbers (Windows version resources, CFBundleVersion):
    "0.1.0rc2" is (0, 1, 0, 0)."""
    parts = [int(m) for m in re.findall(r"\d+", (text or version()).split("+")[0])[:3]]
    return (*parts, *[0] * (4 - len(parts)))  # type: ignore[return-value]


def llama_lib_dir() -> Path:
    """llama-cpp-python's folder of native libraries, found without importing it
    (the import would load llama.cpp into the build process)."""
    from importlib.util import find_spec

    spec = find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        raise SystemExit("llama-cpp-python is not installed in this environment.")
    return Path(spec.origin).parent / "lib"


def variant(lib_dir: Path | None = None) -> str:
    """Which llama.cpp build is bundled: ``COVE_VARIANT`` when set, else read from the
    installed engine's libraries (a ggml-cuda library means CUDA, ggml-metal Metal)."""
    import os

    chosen = os.environ.get("COVE_VARIANT", "").lower()
    if chosen:
        if chosen not in VARIANTS:
            raise SystemExit(f"COVE_VARIANT must be one of {', '.join(VARIANTS)}, not {chosen!r}")
        return chosen
    names = [p.name.lower() for p in (lib_dir or llama_lib_dir()).iterdir()]
    if any("ggml-cuda" in n for n in names):
        return "cuda"
    if any("ggml-metal" in n for n in names):
        return "metal"
    return "cpu"


def macos_minimum() -> str:
    """The oldest macOS the bundled Qt runs on, from the PySide6 wheel's platform tag
    (``macosx_13_0_universal2`` → ``13.0``); MIN_MACOS when it cannot be read."""
    from importlib import metadata

    for dist in ("PySide6_Essentials", "PySide6"):
        try:
            wheel = metadata.distribution(dist).read_text("WHEEL") or ""
        except metadata.PackageNotFoundError:
            continue
        match = re.search(r"macosx_(\d+)_(\d+)", wheel)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    return MIN_MACOS


def deb_arch() -> str:
    import platform

    machine = platform.machine().lower()
    return {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine)


if __name__ == "__main__":  # for shell scripts: python tools/packaging_meta.py version
    field = sys.argv[1] if len(sys.argv) > 1 else "version"
    values = {"version": version(), "app_id": APP_ID, "name": NAME, "variant": variant(),
              "macos_minimum": macos_minimum(), "deb_arch": deb_arch(),
              "numeric_version": ".".join(map(str, numeric_version()))}
    print(values[field])
