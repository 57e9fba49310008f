"""Install what building and checking the .deb needs on a Debian/Ubuntu machine
(``make package-deps``; ``make package-deb`` and ``make package-check`` run it first).

    python3 tools/package_deps.py [--dry-run]

Installs, with apt-get and only what is missing:

- the packaging tools: dpkg-dev (dpkg-shlibdeps writes the .deb's Depends);
  desktop-file-utils and appstream (package-check validates the installed menu entry
  and AppStream data with them);
- while .venv has no engine yet: what creating it needs (python3-venv, a C/C++
  compiler and cmake to build llama.cpp);
- the system libraries the app's required files link to
  (app/platform_check.py: ``required_libraries``): dpkg-shlibdeps must find each one to
  write Depends, and package-check starts the installed app. The optional ones (Qt's
  Wayland plugins, the GTK 3 theme) are not needed: the .deb only recommends them.

A library counts as present when the dynamic loader would find it, so a machine that
has it under another package name (Ubuntu 24.04's ``t64`` packages) is not asked to
install anything. Runs as root, or through password-less sudo; otherwise it prints the
apt-get command to run and fails. Runs with the system's python3 (standard library
only): on a fresh machine it comes before .venv exists.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app import platform_check  # noqa: E402  (standard library only)

# command → package; "needed" ones fail the build when they cannot be installed.
TOOLS = {"dpkg-shlibdeps": "dpkg-dev", "dpkg-deb": "dpkg"}
CHECK_TOOLS = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream"}
ENGINE_TOOLS = {"cc": "build-essential", "c++": "build-essential", "make": "make",
                "cmake": "cmake"}
ENGINE_STAMP = ROOT / ".venv" / ".cove-engine"


def missing_tools(tools: dict[str, str]) -> list[str]:
    return sorted({package for command, package in tools.items() if not shutil.which(command)})


def missing_library_packages(env: dict[str, str] | None = None) -> list[str]:
    """Packages of the required libraries the loader cannot find on this machine."""
    env = dict(os.environ) if env is None else env
    machine = platform_check.elf_machine(os.path.realpath(sys.executable))
    if machine is None:
        raise SystemExit(f"cannot read {sys.executable} as an ELF file")
    probe = platform_check.ElfInfo((), (), machine)
    absent = [s for s in platform_check.required_libraries()
              if platform_check.find_library(s, probe, env) is None]
    return platform_check.packages_for(absent)


def wanted() -> tuple[list[str], list[str]]:
    """(needed, nice to have) packages that are not installed."""
    needed = missing_tools(TOOLS) + missing_library_packages()
    if not ENGINE_STAMP.exists():
        needed += missing_tools(ENGINE_TOOLS)
        if importlib.util.find_spec("ensurepip") is None:  # Debian keeps it in python3-venv
            needed.append("python3-venv")
    return sorted(set(needed)), missing_tools(CHECK_TOOLS)


def as_root(command: list[str]) -> list[str] | None:
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"],
                                               capture_output=True).returncode == 0:
        return ["sudo", "-n", *command]
    return None


def install(packages: list[str]) -> bool:
    """apt-get update, then install ``packages``: True when it worked."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    update = as_root(["apt-get", "update", "-qq"])
    command = as_root(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages])
    if update is None or command is None:
        return False
    subprocess.run(update, env=env, check=False)
    return subprocess.run(command, env=env, check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="only say what is missing")
    args = parser.parse_args()
    needed, nice = wanted()
    if not needed and not nice:
        print("package-deps: everything the .deb build needs is installed", file=sys.stderr)
        return 0
    packages = needed + [p for p in nice if p not in needed]
    print(f"package-deps: missing: {' '.join(packages)}", file=sys.stderr)
    if args.dry_run:
        return 1 if needed else 0
    if shutil.which("apt-get") is None:
        print("package-deps: this is not a Debian or Ubuntu system (no apt-get); the .deb "
              "is built on one.", file=sys.stderr)
        return 1 if needed else 0
    if install(packages):
        return 0
    hint = f"sudo apt-get install {' '.join(packages)}"
    if needed:
        print(f"package-deps: could not install them (needs root or password-less sudo). "
              f"Run:\n    {hint}", file=sys.stderr)
        return 1
    print(f"package-deps: the validators are not installed; package-check will skip those "
          f"checks ({hint})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
