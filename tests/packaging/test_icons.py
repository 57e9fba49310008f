"""The app icon: every size every installer needs, in valid files."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import make_icons
import packaging_meta as meta
import pytest

ICONS = meta.ICON_DIR


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_sizes(size: int) -> None:
    assert png_size((ICONS / "png" / f"{size}.png").read_bytes()) == (size, size)


def test_ico_holds_16_to_256_pixels() -> None:
    data = (ICONS / "cove.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sizes = []
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        image = data[offset:offset + length]
        assert png_size(image)[0] == (width or 256)
        sizes.append(width or 256)
    assert tuple(sizes) == make_icons.ICO_SIZES


def test_icns_entries_are_pngs_of_their_sizes() -> None:
    data = (ICONS / "cove.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos:pos + 4].decode(), struct.unpack(">I", data[pos + 4:pos + 8])[0]
        found[kind] = png_size(data[pos + 8:pos + length])[0]
        pos += length
    assert found == dict(make_icons.ICNS_TYPES)
    assert found["ic10"] == 1024  # the 512@2x image macOS shows in Finder and the Dock


@pytest.mark.parametrize("name", ["cove.svg", "cove-small.svg"])
def test_svg_sources_draw_alike_everywhere(name: str) -> None:
    root = ET.parse(ICONS / name).getroot()
    assert root.get("viewBox")
    tags = {el.tag.split("}")[1] for el in root.iter()}
    # Qt's SVG renderer (SVG Tiny) ignores clip paths and masks: the icon uses neither.
    assert not tags & {"clipPath", "mask", "filter", "text", "image"}


def test_the_ico_is_rebuilt_identically() -> None:
    images = {s: (ICONS / "png" / f"{s}.png").read_bytes() for s in make_icons.PNG_SIZES}
    assert make_icons.ico({s: images[s] for s in make_icons.ICO_SIZES}) == \
        (ICONS / "cove.ico").read_bytes()
    assert make_icons.icns(images) == (ICONS / "cove.icns").read_bytes()
