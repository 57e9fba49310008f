"""Depends and Recommends of the .deb: required files to dpkg-shlibdeps, optional ones
(Qt's Wayland plugins, the GTK 3 theme) to Recommends, so a build machine without the
optional libraries still builds the package (issue 16 §7).

The app folder is a stand-in holding real ELF files: the system's ``true`` as the
program, and copies of PySide6's own plugins."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import build_deb
import pytest

from app import platform_check

_spec = find_spec("PySide6")
assert _spec is not None and _spec.submodule_search_locations
QT = Path(next(iter(_spec.submodule_search_locations))) / "Qt"
PLUGINS = Path("_internal/PySide6/Qt/plugins")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb")


def broken_copy(src: Path, dest: Path, needed: str, gone: str) -> None:
    """``src`` copied, needing ``gone`` (found nowhere) instead of ``needed``."""
    data = src.read_bytes()
    old, new = f"\0{needed}\0".encode(), f"\0{gone}\0".encode()
    assert len(old) == len(new) and data.count(old) == 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data.replace(old, new))


@pytest.fixture
def onedir(tmp_path: Path) -> Path:
    """A Cove folder whose Wayland plugin needs a library that no machine has, as the
    issue's fresh machine lacked libwayland-cursor0 and GTK 3."""
    folder = tmp_path / "Cove"
    (folder / "_internal").mkdir(parents=True)
    shutil.copy2(Path("/bin/true").resolve(), folder / "Cove")
    broken_copy(QT / "plugins/platforms/libqwayland.so",
                folder / PLUGINS / "platforms/libqwayland.so",
                "libwayland-cursor.so.0", "libcove-wayland-x.so.0")
    (folder / PLUGINS / "platformthemes").mkdir()
    shutil.copy2(QT / "plugins/platformthemes/libqgtk3.so",
                 folder / PLUGINS / "platformthemes/libqgtk3.so")
    return folder


def test_optional_files_are_told_apart(onedir: Path) -> None:
    required, optional = build_deb.split_elves(onedir)
    assert required == [onedir / "Cove"]
    assert {p.name for p in optional} == {"libqwayland.so", "libqgtk3.so"}
    assert build_deb.recommends(optional) == "libgtk-3-0, libwayland-client0"


def test_the_real_qt_split() -> None:
    """Over all of PySide6's Qt: X11 is required, Wayland and GTK 3 are optional."""
    required, optional = build_deb.split_elves(QT)
    names = {p.name for p in optional}
    assert {"libqwayland.so", "libqgtk3.so", "libQt6WaylandClient.so.6",
            "libxdg-shell.so"} <= names
    assert {"libqxcb.so", "libQt6XcbQpa.so.6", "libQt6Gui.so.6"} <= {p.name for p in required}
    assert not names & {p.name for p in required}
    assert build_deb.recommends(optional) == \
        "libgtk-3-0, libwayland-client0, libwayland-cursor0, libwayland-egl1"
    assert set(platform_check.packages_for(platform_check.OPTIONAL_LIBRARIES)) == \
        set(build_deb.recommends(optional).split(", "))


@pytest.mark.skipif(shutil.which("dpkg-shlibdeps") is None,
                    reason="needs dpkg-shlibdeps (dpkg-dev: make package-deps)")
def test_a_deb_builds_although_optional_libraries_are_missing(onedir: Path,
                                                              tmp_path: Path) -> None:
    deb = build_deb.build(onedir, tmp_path / "out")
    fields = subprocess.run(["dpkg-deb", "--field", str(deb), "Depends", "Recommends"],
                            capture_output=True, text=True, check=True).stdout
    depends, recommends = fields.splitlines()
    assert depends.startswith("Depends: ") and "libc6" in depends
    assert "wayland" not in depends and "gtk" not in depends
    # and the python tool's strongest sandbox
    assert recommends == "Recommends: libgtk-3-0, libwayland-client0, bubblewrap"
    # What the build did: dpkg-shlibdeps fed the optional files fails.
    with pytest.raises(SystemExit, match="make package-deps"):
        build_deb.shlib_depends(tmp_path / "root", build_deb.elf_files(onedir))
