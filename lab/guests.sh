#!/bin/bash
# (Re)creates the lab's guests on hv1, removing earlier copies from both hosts:
#   vm-idle  256 MiB, no workload
#   vm-busy  256 MiB, CPU-bound writer of 128 MiB (WORK=8000, ~200 MiB/s): re-dirties its whole set
#            every pass, so it never converges at 8 MiB/s. (A writer with no per-page work is not
#            dependable under TCG: the dirty set QEMU sees collapses at times, and the migration
#            converged by itself in 41-69 s.)
#   vm-cpu   512 MiB, CPU-bound writer of 256 MiB (WORK=8000): auto-converge's throttle helps it
# vm-cpu is defined but not started (a TCG guest at full speed eats a core): `lab.sh start vm-cpu`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lab-env.sh"
for H in $LAB_HOSTS; do
  for vm in vm-idle vm-busy vm-cpu; do
    lab_in "$H" virsh destroy "$vm" >/dev/null 2>&1 || true
    lab_in "$H" virsh undefine "$vm" >/dev/null 2>&1 || true
  done
done
define() { # name dirty_mb rate mem work
  "$HERE/make-domain.sh" "$@" > "$LAB_ROOT/$1.xml"
  lab_in hv1 virsh define "$LAB_ROOT/$1.xml" >/dev/null
}
define vm-idle 0 0 256 0
define vm-busy 128 0 256 8000
define vm-cpu 256 0 512 8000
lab_in hv1 virsh start vm-idle >/dev/null
lab_in hv1 virsh start vm-busy >/dev/null
lab_in hv1 virsh list --all
