"""Render Cove's app icon from its SVG sources into every format the installers need.

    python tools/make_icons.py            (make package-icons)

Reads ``resources/app-icon/cove.svg`` (48 px and up) and ``cove-small.svg`` (16-32 px,
simplified so it stays legible) and writes, beside them:

- ``png/<size>.png`` for 16 … 1024 px (Linux hicolor theme, AppImage, the .dmg);
- ``cove.ico`` (Windows: 16-256 px, PNG-compressed entries, Vista and later);
- ``cove.icns`` (macOS: 16-1024 px including the @2x sizes).

The outputs are committed, so building a package needs no image tools; run this again
after changing an SVG. Rendering uses Qt's SVG renderer on the offscreen platform.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import packaging_meta as meta

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL_UP_TO = 32
# icns entry types holding PNG data, by pixel size (the @2x types share a size).
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256),
              ("ic09", 512), ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256),
              ("ic14", 512))


def render(svg: Path, size: int) -> bytes:
    """PNG bytes of ``svg`` drawn at ``size`` x ``size`` pixels."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG file.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (allowed since Windows Vista)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    body = b"".join(kind.encode() + struct.pack(">I", 8 + len(images[size])) + images[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    folder = meta.ICON_DIR
    big, small = folder / "cove.svg", folder / "cove-small.svg"
    images = {size: render(small if size <= SMALL_UP_TO else big, size) for size in PNG_SIZES}
    (folder / "png").mkdir(exist_ok=True)
    for size, data in images.items():
        (folder / "png" / f"{size}.png").write_bytes(data)
    (folder / "cove.ico").write_bytes(ico({s: images[s] for s in ICO_SIZES}))
    (folder / "cove.icns").write_bytes(icns(images))
    print(f"Wrote {len(images)} PNG sizes, cove.ico and cove.icns to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
