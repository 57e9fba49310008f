"""The packaging tools live in tools/ (run as scripts there): make them importable."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT / "tools", ROOT / "installers" / "pyinstaller"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
