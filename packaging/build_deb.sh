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

depends="libc6, libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3,
 libx11-6, libx11-xcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb1, libxcb-cursor0, libxcb-glx0,
 libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render0,
 libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1, libxcb-xfixes0,
 libxcb-xkb1"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
         "$root/usr/share/icons/hicolor/512x512/apps"
cp -a "$bundle" "$root/opt/tracker-desktop"
ln -s /opt/tracker-desktop/tracker-desktop "$root/usr/bin/tracker-desktop"
install -m 644 resources/tracker.png "$root/usr/share/icons/hicolor/512x512/apps/tracker-desktop.png"
install -m 644 packaging/tracker-desktop.desktop "$root/usr/share/applications/"

# The desktop's libraries, which build.spec leaves to the system (the bundle carries Qt itself).
cat > "$root/DEBIAN/control" <<CONTROL
Package: tracker-desktop
Version: ${version}
Architecture: ${arch}
Maintainer: Tracker Desktop <support@trackerdesktop.app>
Installed-Size: $(du -sk "$root" | cut -f1)
Depends: ${depends}
Section: office
Priority: optional
Description: Invoicing for an independent watch dealer
 Clients, watch inventory and Stripe invoices in a local database.
CONTROL

dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "$deb"
