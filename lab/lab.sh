#!/bin/bash
# One entry point for Convoy's QEMU/libvirt lab (Debian, root). See lab/README.md.
#   lab.sh check            exits 0 if this machine can run the lab, else prints why
#   lab.sh setup            install packages if missing, build the guest, start hv1 + hv2
#   lab.sh guests           (re)create vm-idle, vm-busy (running) and vm-cpu (defined) on hv1
#   lab.sh teardown [--purge]
#   lab.sh in HOST CMD...   run CMD inside a host (e.g. lab.sh in hv1 virsh list)
#   lab.sh guest HOST VM LINE   type LINE on the guest's console ("dirty 200 0 0", "stop")
#   lab.sh start VM         start a defined guest on hv1
#   lab.sh libvirtd HOST kill|term|start   SIGKILL / SIGTERM a host's libvirtd, or start it again
#                           (its QEMU guests keep running; start waits until it answers)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lab-env.sh"
cmd=${1:-}; shift || true
case "$cmd" in
  check)
    [ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
    command -v apt-get >/dev/null || { echo "not a Debian machine (no apt-get)"; exit 1; }
    command -v unshare >/dev/null && command -v nsenter >/dev/null || { echo "util-linux unshare/nsenter missing"; exit 1; }
    unshare --mount --uts true 2>/dev/null || { echo "mount/UTS namespaces are not permitted here (unshare --mount --uts failed)"; exit 1; }
    if ! command -v libvirtd >/dev/null || ! command -v qemu-system-x86_64 >/dev/null; then
      timeout 60 apt-get update -qq >/dev/null 2>&1 || { echo "apt repositories unreachable and qemu/libvirt not installed"; exit 1; }
    fi
    ;;
  setup) exec "$HERE/setup.sh" "$@" ;;
  guests) exec "$HERE/guests.sh" "$@" ;;
  teardown) exec "$HERE/teardown.sh" "$@" ;;
  in) lab_in "$@" ;;
  guest) guest_cmd "$1" "$2" "$3" ;;
  start) lab_in hv1 virsh start "$1" ;;
  libvirtd) libvirtd_ctl "$1" "$2" ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
