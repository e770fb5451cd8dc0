#!/bin/bash
# The lab's QEMU (each guest's <emulator>): the real qemu-system-x86_64 with the guest's RAM block
# made 8 KiB larger, so that QEMU 7.2's migration dirty-bitmap sync takes its per-page path.
#
# Why (lab/README.md, "Why writing guests died after landing"): QEMU 7.2's sync of the migration
# dirty bitmap has a fast path, taken when the RAM block's length is a multiple of 64 pages
# (256 KiB), that clears the dirty bits word by word WITHOUT resetting the TCG TLB entries of those
# pages. A vCPU then keeps writing through TLB entries that no longer report writes, those writes
# never reach the bitmap, and the destination runs on stale pages: lost writes, corrupted kernel
# lists, panics. The per-page path (cpu_physical_memory_test_and_clear_dirty) resets the TLB entry
# of every page it cleans. Upstream fixed the fast path in QEMU 9.0 (commit 03bfc2188f); Debian 12
# ships 7.2. libvirt rounds guest memory to whole MiB (always a multiple of 256 KiB), so the odd
# size is set here, in both places QEMU takes it from (-m and the pc.ram memory backend, which
# must agree); source and destination run this same wrapper, so their RAM blocks match.
args=()
prev=
for a in "$@"; do
  if [ "$prev" = -m ] && [[ $a =~ ^[0-9]+$ ]]; then
    a="$((a * 1024 + 8))k"
  elif [[ $a == *'"id":"pc.ram","size":'* ]]; then
    size=${a##*\"size\":}; size=${size%%[,\}]*}
    a=${a/\"size\":$size/\"size\":$((size + 8192))}
  fi
  args+=("$a")
  prev=$a
done
exec /usr/bin/qemu-system-x86_64 "${args[@]}"
