#!/bin/bash
# Brings up two hypervisor hosts (hv1, hv2) on this Debian machine, as root. Idempotent.
# Each host = its own mount + UTS namespace (hostname, /etc/libvirt, /var/lib/libvirt,
# /run/libvirt, /var/log/libvirt, /var/cache/libvirt, /root/.ssh, /root/.bashrc), its own libvirtd (distinct
# host UUID), its own sshd on 127.0.0.2N:222N. The network namespace is shared (loopback only;
# lab/README.md says why); the hosts' migration port ranges are disjoint.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lab-env.sh"

need_pkgs="qemu-system-x86 libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients openssh-server openssh-client busybox-static iproute2 cpio file netcat-openbsd gcc libc6-dev"
START=$(date +%s)
missing=$(for p in $need_pkgs; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
  echo "== installing: $missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -s "$LAB_ROOT/guest/initramfs.cpio.gz" ] && [ "$LAB_ROOT/guest/initramfs.cpio.gz" -nt "$HERE/guest/dirtier.c" ] || "$HERE/build-guest.sh"

mkdir -p "$LAB_ROOT"/{ns,keys,shared,bin} /run/libvirt /run/sshd
# every lab guest runs under this QEMU wrapper (lab/qemu-tcg.sh says why)
install -m 0755 "$HERE/qemu-tcg.sh" "$LAB_ROOT/bin/qemu-system-x86_64"
# The hosts mount their own /root/.ssh over this one (the machine's keys are never touched).
[ -d /root/.ssh ] || install -d -m 700 /root/.ssh
chmod 0755 /run/sshd

# lab client key (used by the hosts to reach each other and by the dashboard)
K=$LAB_ROOT/keys
[ -s "$K/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C convoy-lab -f "$K/id_ed25519"

# persistent namespace files need a private mount for their directory
mountpoint -q "$LAB_ROOT/ns" || mount --bind "$LAB_ROOT/ns" "$LAB_ROOT/ns"
mount --make-private "$LAB_ROOT/ns"

for H in $LAB_HOSTS; do
  i=$(lab_idx "$H"); D=$LAB_ROOT/hosts/$H
  mkdir -p "$D"/{var-lib-libvirt,run-libvirt,var-log-libvirt/qemu,var-cache-libvirt,root-ssh,sshd}
  [ -s "$D/sshd/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$H" -f "$D/sshd/ssh_host_ed25519_key"
done

# ssh client config + known_hosts shared by both hosts and the dashboard
{
  for H in $LAB_HOSTS; do
    cat <<EOC
Host $H
  HostName $(lab_ip "$H")
  Port $(lab_ssh_port "$H")
  User root
  IdentityFile $K/id_ed25519
  IdentitiesOnly yes
  HostKeyAlias $H
  UserKnownHostsFile $K/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
EOC
  done
} > "$K/ssh_config"
: > "$K/known_hosts"
for H in $LAB_HOSTS; do
  echo "$H $(cut -d' ' -f1,2 "$LAB_ROOT/hosts/$H/sshd/ssh_host_ed25519_key.pub")" >> "$K/known_hosts"
  echo "[$(lab_ip "$H")]:$(lab_ssh_port "$H") $(cut -d' ' -f1,2 "$LAB_ROOT/hosts/$H/sshd/ssh_host_ed25519_key.pub")" >> "$K/known_hosts"
done

for H in $LAB_HOSTS; do
  i=$(lab_idx "$H"); D=$LAB_ROOT/hosts/$H
  if [ -f "$D/run-libvirt/libvirtd.pid" ] && kill -0 "$(cat "$D/run-libvirt/libvirtd.pid")" 2>/dev/null; then
    echo "== $H already running (libvirtd pid $(cat "$D/run-libvirt/libvirtd.pid"))"; continue
  fi
  echo "== configuring $H"
  # fresh per-host /etc/libvirt from the package defaults
  rm -rf "$D/etc-libvirt"; cp -a /etc/libvirt "$D/etc-libvirt"
  cat >> "$D/etc-libvirt/libvirtd.conf" <<EOC

# ---- convoy-lab ----
host_uuid = "c0a70000-0000-4000-8000-00000000000$i"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log 1:file:/var/log/libvirt/qmp-debug.log"
log_filters = "1:qemu.qemu_monitor 1:qemu.qemu_monitor_json 1:qemu.qemu_migration 4:*"
EOC
  cat >> "$D/etc-libvirt/qemu.conf" <<EOC

# ---- convoy-lab ----
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
migration_address = "$(lab_ip "$H")"
migration_host = "$(lab_ip "$H")"
migration_port_min = $(lab_migration_ports "$H" | cut -d' ' -f1)
migration_port_max = $(lab_migration_ports "$H" | cut -d' ' -f2)
EOC
  echo 'uri_default = "qemu:///system"' >> "$D/etc-libvirt/libvirt.conf"

  cp "$K/id_ed25519" "$K/id_ed25519.pub" "$K/known_hosts" "$D/root-ssh/"
  cp "$K/ssh_config" "$D/root-ssh/config"
  cp "$K/id_ed25519.pub" "$D/root-ssh/authorized_keys"
  chmod 700 "$D/root-ssh"; chmod 600 "$D/root-ssh/id_ed25519" "$D/root-ssh/authorized_keys"
  # sshd runs every command through root's bash, which reads ~/.bashrc. A hypervisor's root shell
  # starts plain; this machine's (pyenv init: a rehash under a lock per shell) made each virsh call
  # over SSH take 4-15 s once several ran at once, and the suite timed out on the hosts.
  printf '# convoy-lab host: a plain root shell\n' > "$D/bashrc"

  cat > "$D/sshd/sshd_config" <<EOC
Port $(lab_ssh_port "$H")
ListenAddress $(lab_ip "$H")
HostKey $D/sshd/ssh_host_ed25519_key
PidFile $D/sshd/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile /root/.ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
PrintMotd no
MaxSessions 64
MaxStartups 64:30:128
SetEnv LIBVIRT_DEFAULT_URI=qemu:///system
Subsystem sftp /usr/lib/openssh/sftp-server
EOC

  # create the namespaces (persistent: bound to files under $LAB_ROOT/ns)
  for f in mnt uts; do
    if mountpoint -q "$LAB_ROOT/ns/$H.$f" 2>/dev/null; then umount "$LAB_ROOT/ns/$H.$f"; fi
    : > "$LAB_ROOT/ns/$H.$f"
  done
  unshare --mount="$LAB_ROOT/ns/$H.mnt" --uts="$LAB_ROOT/ns/$H.uts" --propagation private true

  lab_in "$H" /bin/bash -euc "
    hostname $H
    mount --bind $D/etc-libvirt /etc/libvirt
    mount --bind $D/var-lib-libvirt /var/lib/libvirt
    mount --bind $D/run-libvirt /run/libvirt
    mount --bind $D/var-log-libvirt /var/log/libvirt
    mount --bind $D/var-cache-libvirt /var/cache/libvirt
    mount --bind $D/root-ssh /root/.ssh
    if [ -f /root/.bashrc ]; then mount --bind $D/bashrc /root/.bashrc; fi
    /usr/sbin/libvirtd --daemon --pid-file=/run/libvirt/libvirtd.pid
    /usr/sbin/sshd -f $D/sshd/sshd_config -E $D/sshd/sshd.log
  "
done

# wait for both daemons to answer, locally and over ssh
for H in $LAB_HOSTS; do
  D=$LAB_ROOT/hosts/$H; ok=
  for n in $(seq 1 120); do
    if lab_in "$H" virsh -q -c qemu:///system uri >/dev/null 2>&1; then ok=1; break; fi
    if ! { [ -s "$D/run-libvirt/libvirtd.pid" ] && kill -0 "$(cat "$D/run-libvirt/libvirtd.pid")" 2>/dev/null; } && [ "$n" -gt 4 ]; then break; fi
    sleep 0.5
  done
  if [ -z "$ok" ]; then echo "libvirtd on $H did not come up:"; grep -E 'error' "$D/var-log-libvirt/libvirtd.log" | tail -5; exit 1; fi
  echo "== $H: hostname=$(lab_in "$H" hostname) libvirt=$(lab_in "$H" virsh -c qemu:///system uri) uuid=$(lab_in "$H" virsh capabilities | sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' | head -1)"
done
for a in $LAB_HOSTS; do for b in $LAB_HOSTS; do
  out=$(lab_in "$a" virsh -c "qemu+ssh://$b/system" hostname 2>&1) || { echo "ssh check $a -> $b FAILED: $out"; exit 1; }
  echo "== $a -> qemu+ssh://$b/system reports hostname $out"
done; done
echo "lab is up in $(( $(date +%s) - START )) s"
