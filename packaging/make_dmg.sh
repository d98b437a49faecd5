#!/usr/bin/env bash
# macOS: sign "dist/Tracker Desktop.app" (made by `pyinstaller build.spec`), put it in a .dmg
# with hdiutil, then sign, notarize and staple the .dmg.
# The signing identity and the notary login come from the environment, never from a file:
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)"; unset: an unsigned dmg
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   notarytool's login; unset: not notarized
# Usage: packaging/make_dmg.sh   (from the project folder; writes dist/TrackerDesktop-<version>.dmg)
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(python3 packaging/version.py)
app="dist/Tracker Desktop.app"
dmg="dist/TrackerDesktop-${version}.dmg"
[[ -d "$app" ]] || { echo "no $app: run pyinstaller build.spec first" >&2; exit 1; }

if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
  # Hardened runtime and a secure timestamp are what notarization requires.
  codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --deep --strict --verbose=2 "$app"
else
  echo "MACOS_SIGN_IDENTITY unset: the .app and .dmg are NOT signed (Gatekeeper will warn)" >&2
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"  # drag the app onto it to install
rm -f "$dmg"
hdiutil create -volname "Tracker Desktop" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  if [[ -n "${APPLE_ID:-}" && -n "${APPLE_TEAM_ID:-}" && -n "${APPLE_APP_PASSWORD:-}" ]]; then
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
  else
    echo "APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD unset: the dmg is signed, NOT notarized" >&2
  fi
fi
echo "$dmg"
