#!/usr/bin/env bash
# Build Cove as an AppImage from the one-folder app (make package-appimage).
#
#   installers/linux/build-appimage.sh [--appdir-only]
#
# An AppImage runs on distributions other than the one it was built on, so build it
# on the OLDEST system it should support (the glibc there is the minimum; PySide6's
# wheels need 2.34 or newer: Debian 12, Ubuntu 22.04, Fedora 35, RHEL 9), and bundle
# the desktop libraries too:
#
#   COVE_BUNDLE_SYSTEM_LIBS=1 make package && installers/linux/build-appimage.sh
#
# (The .deb leaves those libraries to the system; an AppImage cannot count on them.)
# Needs appimagetool on PATH or in $APPIMAGETOOL
# (https://github.com/AppImage/appimagetool/releases). --appdir-only stops after
# assembling build/AppDir, which needs no tool and runs as build/AppDir/AppRun.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY="$ROOT/.venv/bin/python"
cd "$ROOT"
meta() { "$PY" tools/packaging_meta.py "$1"; }

VERSION="$(meta version)"
APP_ID="$(meta app_id)"
ARCH="$(uname -m)"
ONEDIR="dist/Cove"
APPDIR="build/AppDir"
OUT="dist/Cove-$VERSION-$ARCH.AppImage"

[ -x "$ONEDIR/Cove" ] || { echo "No one-folder app in $ONEDIR: run make package." >&2; exit 1; }
if ! grep -q '"bundle_system_libs": true' dist/Cove.build.json 2>/dev/null; then
    echo "Note: dist/Cove was built without COVE_BUNDLE_SYSTEM_LIBS=1; the AppImage" \
         "will rely on the host's desktop libraries." >&2
fi

rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/bin" "$APPDIR/usr/share/applications" \
         "$APPDIR/usr/share/metainfo"
cp -a "$ONEDIR" "$APPDIR/usr/lib/cove"
ln -s ../lib/cove/Cove "$APPDIR/usr/bin/cove"

sed "s|@EXEC@|cove|" "installers/linux/$APP_ID.desktop" \
    > "$APPDIR/usr/share/applications/$APP_ID.desktop"
ln -s "usr/share/applications/$APP_ID.desktop" "$APPDIR/$APP_ID.desktop"
sed -e "s|@VERSION@|$VERSION|" -e "s|@DATE@|$(date -u +%F)|" \
    "installers/linux/$APP_ID.metainfo.xml" \
    > "$APPDIR/usr/share/metainfo/$APP_ID.appdata.xml"
for size in 16 24 32 48 64 128 256 512; do
    dir="$APPDIR/usr/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    cp "resources/app-icon/png/$size.png" "$dir/$APP_ID.png"
done
mkdir -p "$APPDIR/usr/share/icons/hicolor/scalable/apps"
cp resources/app-icon/cove.svg "$APPDIR/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
cp resources/app-icon/png/256.png "$APPDIR/$APP_ID.png"
ln -s "$APP_ID.png" "$APPDIR/.DirIcon"

cat > "$APPDIR/AppRun" <<'RUN'
#!/bin/sh
# The AppImage's entry: Cove's one-folder app, with every argument (cove --self-test,
# cove chat …). The worker is started as "Cove worker" from the same folder.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/cove/Cove" "$@"
RUN
chmod +x "$APPDIR/AppRun"

if [ "${1:-}" = "--appdir-only" ]; then
    echo "Assembled $APPDIR"
    exit 0
fi
TOOL="${APPIMAGETOOL:-$(command -v appimagetool || true)}"
[ -n "$TOOL" ] || { echo "appimagetool not found: set APPIMAGETOOL or put it on PATH." >&2; exit 1; }
ARCH="$ARCH" "$TOOL" "$APPDIR" "$OUT"
echo "Built $OUT"
