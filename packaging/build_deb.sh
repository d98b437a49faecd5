#!/usr/bin/env bash
# Linux: a .deb of the onedir bundle in dist/tracker-desktop (made by `make bundle`).
# Installs the program under /opt/tracker-desktop, `tracker-desktop` on PATH, a menu entry and
# the icon. It has no maintainer scripts: installing, upgrading or removing it never touches
# the dealer's data (~/.local/share/TrackerDesktop and the other user folders).
# Usage: packaging/build_deb.sh   (prints the path of the .deb it wrote in dist/)
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=dist/tracker-desktop
[[ -x "$bundle/tracker-desktop" ]] || { echo "no $bundle: run make bundle first" >&2; exit 1; }
version=$(python3 packaging/version.py)
arch=$(dpkg --print-architecture)
deb="dist/tracker-desktop_${version}_${arch}.deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
         "$root/usr/share/icons/hicolor/512x512/apps"
cp -a "$bundle" "$root/opt/tracker-desktop"
ln -s /opt/tracker-desktop/tracker-desktop "$root/usr/bin/tracker-desktop"
install -m 644 resources/tracker.png "$root/usr/share/icons/hicolor/512x512/apps/tracker-desktop.png"
install -m 644 packaging/tracker-desktop.desktop "$root/usr/share/applications/"

# The system libraries Qt's xcb platform loads from the system (the bundle carries Qt itself).
cat > "$root/DEBIAN/control" <<CONTROL
Package: tracker-desktop
Version: ${version}
Architecture: ${arch}
Maintainer: Tracker Desktop <support@trackerdesktop.app>
Installed-Size: $(du -sk "$root" | cut -f1)
Depends: libc6, libfontconfig1, libegl1, libgl1, libdbus-1-3, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1
Section: office
Priority: optional
Description: Invoicing for an independent watch dealer
 Clients, watch inventory and Stripe invoices in a local database.
CONTROL

dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "$deb"
