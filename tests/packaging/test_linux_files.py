"""The .deb's layout and metadata, built from a stand-in app folder (no PyInstaller)."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import build_deb
import packaging_meta as meta
import pytest

APP_ID = meta.APP_ID


@pytest.fixture
def onedir(tmp_path: Path) -> Path:
    folder = tmp_path / "Cove"
    (folder / "_internal" / "resources").mkdir(parents=True)
    exe = folder / "Cove"
    exe.write_text("#!/bin/sh\necho Cove\n")
    exe.chmod(0o775)
    (folder / "_internal" / "resources" / "note.txt").write_text("x")
    (folder / "_internal" / "link.txt").symlink_to("resources/note.txt")
    return folder


@pytest.fixture
def staged(onedir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "root"
    build_deb.stage(onedir, root)
    return root


def test_layout(staged: Path) -> None:
    assert (staged / "opt/cove/Cove").is_file()
    assert (staged / "opt/cove/_internal/link.txt").is_symlink()  # links stay links
    command = staged / "usr/bin/cove"
    assert command.is_symlink() and str(command.readlink()) == "/opt/cove/Cove"
    share = staged / "usr/share"
    for size in build_deb.ICON_SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (share / f"icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    assert "Apache-2.0" in (share / "doc/cove/copyright").read_text()
    for path in staged.rglob("*"):
        if not path.is_symlink():
            assert not path.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH), path
    assert (staged / "opt/cove/Cove").stat().st_mode & 0o111


def test_desktop_entry(staged: Path) -> None:
    desktop = staged / f"usr/share/applications/{APP_ID}.desktop"
    text = desktop.read_text()
    assert "Exec=/opt/cove/Cove\n" in text and f"Icon={APP_ID}\n" in text
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (desktop-file-utils)")
    out = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout


def test_appstream_metadata(staged: Path) -> None:
    metainfo = staged / f"usr/share/metainfo/{APP_ID}.metainfo.xml"
    text = metainfo.read_text()
    assert f'<release version="{meta.version()}" date="' in text and "@" not in text
    assert f"<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>" in text
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is not installed (appstream)")
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_control_file(staged: Path) -> None:
    control = build_deb.control(staged, "libc6 (>= 2.34)", "libgtk-3-0, libwayland-client0")
    fields = dict(line.split(": ", 1) for line in control.splitlines()
                  if ": " in line and not line.startswith(" "))
    assert fields["Package"] == "cove"
    assert fields["Version"] == build_deb.debian_version(meta.version())
    assert fields["Depends"] == "libc6 (>= 2.34)"
    assert fields["Recommends"] == "libgtk-3-0, libwayland-client0, bubblewrap"
    assert int(fields["Installed-Size"]) > 0
    assert control.endswith("\n")


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")
def test_a_deb_is_built(onedir: Path, tmp_path: Path) -> None:
    deb = build_deb.build(onedir, tmp_path / "out")
    field = subprocess.run(["dpkg-deb", "--field", str(deb), "Package", "Version"],
                           capture_output=True, text=True, check=True).stdout
    assert field.splitlines() == ["Package: cove",
                                  f"Version: {build_deb.debian_version(meta.version())}"]
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    assert f"./usr/share/applications/{APP_ID}.desktop" in listing
    assert "./usr/bin/cove -> /opt/cove/Cove" in listing
    assert all(" root/root " in line for line in listing.splitlines())
    assert not list((tmp_path / "out").glob(".deb-*"))  # the staging folder is gone


def test_compression_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COVE_DEB_COMPRESSION", raising=False)
    assert build_deb.compression() == ["-Zzstd"]
    monkeypatch.setenv("COVE_DEB_COMPRESSION", "xz:9")
    assert build_deb.compression() == ["-Zxz", "-z9"]
