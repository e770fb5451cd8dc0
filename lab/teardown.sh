#!/bin/bash
# Stops everything setup.sh started (QEMUs, libvirtds, sshds, by their pid files) and unmounts the
# hosts' namespaces. Keeps $LAB_ROOT (guest build, keys, host state) for a 2 s restart;
# --purge deletes $LAB_ROOT too. Packages installed by apt stay installed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lab-env.sh"

killpid() { # pidfile
  local f=$1 p
  [ -s "$f" ] || return 0
  p=$(cat "$f")
  if kill -0 "$p" 2>/dev/null; then
    kill "$p"; for n in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p"
  fi
  rm -f "$f"
}

for H in $LAB_HOSTS; do
  D=$LAB_ROOT/hosts/$H
  [ -d "$D" ] || continue
  for f in "$D"/run-libvirt/qemu/*.pid; do [ -e "$f" ] && killpid "$f"; done
  killpid "$D/run-libvirt/libvirtd.pid"
  killpid "$D/sshd/sshd.pid"
  for f in mnt uts; do
    mountpoint -q "$LAB_ROOT/ns/$H.$f" 2>/dev/null && umount "$LAB_ROOT/ns/$H.$f"
    rm -f "$LAB_ROOT/ns/$H.$f"
  done
done
mountpoint -q "$LAB_ROOT/ns" 2>/dev/null && umount "$LAB_ROOT/ns"
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$LAB_ROOT"
  rmdir /run/libvirt /run/sshd 2>/dev/null || true # only if empty: the machine's own daemons may use them
fi
echo "lab stopped${1:+ ($1)}"
