"""The Qt plugins the frozen app keeps (installers/pyinstaller/qt_plugins.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import qt_plugins


@pytest.mark.parametrize(("src", "dest"), [
    ("/q/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms"),
    ("/q/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms"),
    ("/q/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms"),
    ("C:/q/plugins/platforms/qwindows.dll", "PySide6\\plugins\\platforms"),
    ("/q/plugins/platforms/libqcocoa.dylib", "PySide6/Qt/plugins/platforms"),
    ("/q/plugins/imageformats/libqsvg.so", "PySide6/Qt/plugins/imageformats"),
    ("/q/plugins/iconengines/libqsvgicon.so", "PySide6/Qt/plugins/iconengines"),
    ("/q/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/platformthemes"),
    ("/q/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
     "PySide6/Qt/plugins/platforminputcontexts"),
    ("/q/plugins/wayland-shell-integration/libxdg-shell.so",
     "PySide6/Qt/plugins/wayland-shell-integration"),
    ("/q/plugins/styles/qmodernwindowsstyle.dll", "PySide6/plugins/styles"),
    ("/q/lib/libQt6Core.so.6", "PySide6/Qt/lib"),  # not a plugin: never filtered
])
def test_kept(src: str, dest: str) -> None:
    if "styles" in dest:  # QtWidgets' hook collects styles; this filter never sees them
        assert qt_plugins.plugin_kind(dest) == "styles"
        return
    assert qt_plugins.keep(src, dest)


@pytest.mark.parametrize(("src", "dest"), [
    ("/q/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms"),
    ("/q/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platforms"),
    ("/q/plugins/platforms/libqlinuxfb.so", "PySide6/Qt/plugins/platforms"),
    ("/q/plugins/imageformats/libqwebp.so", "PySide6/Qt/plugins/imageformats"),
    ("/q/plugins/imageformats/libqpdf.so", "PySide6/Qt/plugins/imageformats"),
    ("/q/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
     "PySide6/Qt/plugins/egldeviceintegrations"),
    ("/q/plugins/generic/libqevdevmouseplugin.so", "PySide6/Qt/plugins/generic"),
    ("/q/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
     "PySide6/Qt/plugins/platforminputcontexts"),
    ("/q/plugins/wayland-shell-integration/libivi-shell.so",
     "PySide6/Qt/plugins/wayland-shell-integration"),
])
def test_left_out(src: str, dest: str) -> None:
    assert not qt_plugins.keep(src, dest)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux plugin names")
def test_the_plugins_a_linux_desktop_needs_exist_in_this_qt() -> None:
    import PySide6

    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins"
    for kind, names in qt_plugins.LINUX_REQUIRED.items():
        present = {qt_plugins.stem(str(p)) for p in (plugins / kind).glob("*.so")}
        assert names <= present, f"{kind}: {names - present} renamed or gone in this Qt"
        assert names <= (qt_plugins.KEEP[kind] or names)
