#!/bin/bash
# Build the lab guest: Debian kernel + tiny initramfs (busybox-static + dirtier).
# Output: $LAB_ROOT/guest/{vmlinuz,initramfs.cpio.gz}
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
HERE_ENV=$(cd "$(dirname "$0")" && pwd)
. "$HERE_ENV/lab-env.sh"
OUT=$LAB_ROOT/guest
BUILD=$LAB_ROOT/build
mkdir -p "$OUT" "$BUILD"

# 1. kernel: download the Debian kernel package and unpack only the vmlinuz
#    (no install => no initramfs-tools / postinst hooks run on this machine)
if [ ! -s "$OUT/vmlinuz" ]; then
  KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  (cd "$BUILD" && apt-get download "$KPKG" >/dev/null 2>&1 || apt-get download "$KPKG")
  rm -rf "$BUILD/kpkg"
  dpkg-deb --fsys-tarfile "$BUILD"/"$KPKG"_*.deb | tar -x -C "$BUILD" --wildcards './boot/vmlinuz-*'
  cp "$BUILD"/boot/vmlinuz-* "$OUT/vmlinuz"
fi

# 2. initramfs
ROOT=$BUILD/initramfs
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$ROOT/bin/busybox"
file "$ROOT/bin/busybox" | grep -q 'statically linked' || { echo "busybox is not static (install busybox-static)"; exit 1; }
gcc -O2 -static -o "$ROOT/bin/dirtier" "$HERE/guest/dirtier.c"
install -m 0755 "$HERE/guest/init" "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -9) > "$OUT/initramfs.cpio.gz"
ls -la "$OUT"
