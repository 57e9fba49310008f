#!/usr/bin/env bash
# Build Cove.app and a drag-to-Applications .dmg (run on macOS; see installers/README.md).
#
#   installers/macos/build-dmg.sh
#
# Builds on the Mac it runs on: Apple Silicon (arm64, Metal engine) or Intel (x86_64).
# Needs a checkout whose .venv has the engine (tools/install_engine.py) and pyproject's
# test and package extras, and Xcode's command line tools.
#
# Signing and notarization run only when their credentials are in the environment;
# without them the app is ad-hoc signed: it runs on the Mac that built it, and on
# others after the user allows it in System Settings > Privacy & Security.
#
#   COVE_CODESIGN_IDENTITY   "Developer ID Application: Name (TEAMID)" in the keychain:
#                            PyInstaller signs every binary with it, hardened runtime
#                            and installers/macos/entitlements.plist; the .dmg too.
#   Notarization (needs the identity), one of:
#   COVE_NOTARY_PROFILE      a notarytool keychain profile (xcrun notarytool store-credentials)
#   COVE_NOTARY_KEY, COVE_NOTARY_KEY_ID, COVE_NOTARY_ISSUER
#                            an App Store Connect API key (.p8 path), its id and issuer
#   COVE_NOTARY_APPLE_ID, COVE_NOTARY_TEAM_ID, COVE_NOTARY_PASSWORD
#                            an Apple ID with an app-specific password
#   COVE_SMOKE_MODEL         a GGUF file for the smoke test (default: the Gemma test model)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY="$ROOT/.venv/bin/python"
cd "$ROOT"

[ "$(uname -s)" = Darwin ] || { echo "build-dmg.sh runs on macOS only." >&2; exit 1; }

"$PY" tools/package_build.py
APP="dist/Cove.app"
VERSION="$("$PY" tools/packaging_meta.py version)"
ARCH="$(uname -m)"
DMG="dist/Cove-$VERSION-macos-$ARCH.dmg"

codesign --verify --deep --strict --verbose=1 "$APP"
plutil -lint "$APP/Contents/Info.plist"

"$PY" tools/package_smoke.py --app "$APP/Contents/MacOS/Cove" \
    ${COVE_SMOKE_MODEL:+--model "$COVE_SMOKE_MODEL"}

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Cove $VERSION" -srcfolder "$STAGE" -fs HFS+ -format ULMO \
    -ov "$DMG"

if [ -n "${COVE_CODESIGN_IDENTITY:-}" ]; then
    codesign --sign "$COVE_CODESIGN_IDENTITY" --timestamp "$DMG"
    notary=()
    if [ -n "${COVE_NOTARY_PROFILE:-}" ]; then
        notary=(--keychain-profile "$COVE_NOTARY_PROFILE")
    elif [ -n "${COVE_NOTARY_KEY:-}" ] && [ -n "${COVE_NOTARY_KEY_ID:-}" ] \
            && [ -n "${COVE_NOTARY_ISSUER:-}" ]; then
        notary=(--key "$COVE_NOTARY_KEY" --key-id "$COVE_NOTARY_KEY_ID" \
                --issuer "$COVE_NOTARY_ISSUER")
    elif [ -n "${COVE_NOTARY_APPLE_ID:-}" ] && [ -n "${COVE_NOTARY_TEAM_ID:-}" ] \
            && [ -n "${COVE_NOTARY_PASSWORD:-}" ]; then
        notary=(--apple-id "$COVE_NOTARY_APPLE_ID" --team-id "$COVE_NOTARY_TEAM_ID" \
                --password "$COVE_NOTARY_PASSWORD")
    fi
    if [ ${#notary[@]} -gt 0 ]; then
        xcrun notarytool submit "$DMG" "${notary[@]}" --wait
        xcrun stapler staple "$DMG"
        xcrun stapler validate "$DMG"
        spctl --assess --type open --context context:primary-signature --verbose "$DMG"
    else
        echo "Signed, not notarized: no notarization credentials in the environment."
    fi
else
    echo "Ad-hoc signed: set COVE_CODESIGN_IDENTITY to sign for distribution."
fi
echo "Built $DMG"
