"""Which Qt plugins the frozen app bundles (used by hook-PySide6.QtGui.py, and tested).

PyInstaller's own PySide6.QtGui hook collects every plugin type QtGui can use (EGLFS,
evdev, VNC, Wayland compositors, virtual keyboard, …) and, through their
dependencies, Qt Quick and QML: tens of megabytes that a Qt Widgets chat app never
loads. Kept, per plugin folder (file names without ``lib`` prefix and extension):

- platforms: the window systems (xcb, wayland, windows, cocoa) and ``offscreen`` for
  headless runs (tests, the smoke test, screenshots).
- platformthemes: native file dialogs and colours (GTK 3, and the XDG desktop portal
  that Flatpak/Snap sandboxes and KDE use).
- platforminputcontexts: compose keys and IBus, so accented letters and Chinese,
  Japanese or Korean input methods work in the composer.
- iconengines / imageformats: SVG (the bundled icons); PNG is built into QtGui.
- xcbglintegrations, wayland-*: what the xcb and wayland platforms need on a desktop
  (window decorations, the xdg-shell, GL surfaces for Qt's own use).
- styles (QtWidgets' hook, untouched): the native Windows and macOS styles.
- accessiblebridge: screen readers, where the platform has a plugin for them.
"""

from __future__ import annotations

import os

KEEP: dict[str, frozenset[str] | None] = {  # None: every plugin of that type
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"}),
    "platforms/darwin": None,
    "platformthemes": frozenset({"qgtk3", "qxdgdesktopportal"}),
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin",
                                        "ibusplatforminputcontextplugin"}),
    "iconengines": frozenset({"qsvgicon"}),
    "imageformats": frozenset({"qsvg"}),
    "xcbglintegrations": None,
    "wayland-decoration-client": None,
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-graphics-integration-client": frozenset({"qt-plugin-wayland-egl"}),
    "accessiblebridge": None,
}

# What a Linux desktop needs at least: a test checks these exist in the installed
# PySide6, so a Qt upgrade that renames one cannot silently drop X11 or Wayland.
LINUX_REQUIRED = {
    "platforms": {"qxcb", "qwayland", "qoffscreen"},
    "wayland-shell-integration": {"xdg-shell"},
    "iconengines": {"qsvgicon"},
    "imageformats": {"qsvg"},
}


def plugin_kind(dest: str) -> str | None:
    """``PySide6/Qt/plugins/platforms`` → ``platforms``; None when not a plugin."""
    parts = dest.replace("\\", "/").split("/")
    if "plugins" not in parts:
        return None
    return "/".join(parts[parts.index("plugins") + 1:])


def stem(path: str) -> str:
    """``/…/libqxcb.so`` → ``qxcb``; ``qwindows.dll`` → ``qwindows``."""
    name = os.path.basename(path).split(".")[0]
    return name[3:] if name.startswith("lib") else name


def keep(src: str, dest: str) -> bool:
    """Whether PyInstaller should collect ``src`` into ``dest``."""
    kind = plugin_kind(dest)
    if kind is None:
        return True
    if kind not in KEEP:
        return False
    allowed = KEEP[kind]
    return allowed is None or stem(src) in allowed
