#!/bin/bash
# `npm run test:lab`: set up the QEMU/libvirt lab (lab/), run the browser suite e2e-lab/ against it,
# tear the lab down (also on failure). With CONVOY_LAB_OPTIONAL=1 (CI) a machine that cannot run
# the lab (not root, no apt, namespaces refused) skips with one line saying why.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! why=$(lab/lab.sh check 2>&1); then
  if [ "${CONVOY_LAB_OPTIONAL:-0}" = 1 ]; then echo "test:lab skipped: $why"; exit 0; fi
  echo "test:lab cannot run here: $why"; exit 1
fi
t0=$(date +%s)
trap 'lab/lab.sh teardown >/dev/null 2>&1; echo "test:lab: lab torn down"' EXIT
lab/lab.sh setup || exit 1
lab/lab.sh guests || exit 1
t1=$(date +%s)
echo "test:lab: lab ready in $((t1 - t0)) s"
npx playwright test -c playwright.lab.config.ts "$@"
rc=$?
echo "test:lab: suite took $(( $(date +%s) - t1 )) s (exit $rc)"
exit $rc
