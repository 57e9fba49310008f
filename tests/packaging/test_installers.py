"""The Windows and macOS recipes, checked where they cannot be run."""

from __future__ import annotations

import plistlib
import re
import shutil
import subprocess

import packaging_meta as meta
import pytest

INSTALLERS = meta.ROOT / "installers"
ISS = INSTALLERS / "windows" / "cove.iss"


def iss_defines() -> dict[str, str]:
    return dict(re.findall(r'^#define (\w+) "(.*)"', ISS.read_text(encoding="utf-8"), re.M))


def test_inno_setup_upgrades_the_same_app() -> None:
    defines = iss_defines()
    assert defines["AppGuid"] == meta.WINDOWS_APP_GUID
    assert defines["AppExe"] == f"{meta.EXECUTABLE}.exe"
    assert defines["Publisher"] == meta.PUBLISHER
    text = ISS.read_text(encoding="utf-8")
    assert "AppId={{#AppGuid}" in text
    assert f'AppUserModelID: "{meta.APP_ID}"' in text


def test_inno_setup_installs_per_user_and_keeps_user_data() -> None:
    text = ISS.read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}", text, re.M)
    assert 'Name: "desktopicon"' in text and "Flags: unchecked" in text
    assert "{autoprograms}" in text
    # User data is deleted only after a question whose default is No, or on request.
    assert "MB_DEFBUTTON2" in text and "/PURGEUSERDATA" in text
    assert "'{localappdata}\\Cove'" in text
    icon = re.search(r"^SetupIconFile=(.+)$", text, re.M).group(1)  # type: ignore[union-attr]
    assert (ISS.parent / icon.replace("\\", "/")).is_file()


def test_entitlements_are_minimal() -> None:
    plist = plistlib.loads((INSTALLERS / "macos" / "entitlements.plist").read_bytes())
    assert plist == {"com.apple.security.cs.allow-jit": True,
                     "com.apple.security.cs.allow-unsigned-executable-memory": True}


@pytest.mark.parametrize("script", ["macos/build-dmg.sh", "linux/build-appimage.sh"])
def test_shell_scripts_parse(script: str) -> None:
    path = INSTALLERS / script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    subprocess.run(["bash", "-n", str(path)], check=True)
