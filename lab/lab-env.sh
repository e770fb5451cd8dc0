# Shared settings of Convoy's QEMU/libvirt lab. Source this file.
# Everything the lab creates lives under $LAB_ROOT (plus the mount points /run/libvirt, /run/sshd).
LAB_ROOT=${LAB_ROOT:-/var/lib/convoy-lab}
LAB_HOSTS="hv1 hv2"
lab_idx() { case "$1" in hv1) echo 1;; hv2) echo 2;; *) echo "unknown lab host $1" >&2; return 1;; esac; }
# Each host has its own loopback address (libvirt refuses migration_host=127.0.0.1) and ports.
lab_ip() { echo "127.0.0.$((20 + $(lab_idx "$1")))"; }
lab_ssh_port() { echo $((2220 + $(lab_idx "$1"))); }
lab_migration_ports() { local i; i=$(lab_idx "$1"); echo "$((49400 + 100*i)) $((49400 + 100*i + 63))"; }
# Run a command "on" a lab host: inside its mount + UTS namespaces.
lab_in() {
  local h=$1; shift
  nsenter --mount="$LAB_ROOT/ns/$h.mnt" --uts="$LAB_ROOT/ns/$h.uts" -- "$@"
}
# Run a command on a lab host through its sshd (what Convoy does).
lab_ssh() {
  local h=$1; shift
  ssh -F "$LAB_ROOT/keys/ssh_config" "$h" "$@"
}
# Type a line on a guest's serial console ("dirty MB [RATE [WORK]]", "stop"). QEMU reads a pty
# only while its slave side is open, so keep it open a moment around the write.
guest_cmd() {
  local pty
  pty=$(lab_in "$1" virsh ttyconsole "$2") || return 1
  { sleep 1.5; printf '%s\n' "$3"; sleep 1.5; } 1<> "$pty"
}
# Kill (SIGKILL / SIGTERM) or start one host's libvirtd, as a crash or a restart on a real host.
libvirtd_ctl() {
  local h=$1 pidf=$LAB_ROOT/hosts/$1/run-libvirt/libvirtd.pid n
  case "$2" in
    kill|term)
      [ -s "$pidf" ] || { echo "libvirtd on $h is not running" >&2; return 1; }
      kill "-$( [ "$2" = kill ] && echo KILL || echo TERM )" "$(cat "$pidf")"
      for n in $(seq 1 60); do kill -0 "$(cat "$pidf" 2>/dev/null)" 2>/dev/null || break; sleep 0.25; done
      rm -f "$pidf" ;;
    start)
      lab_in "$h" /usr/sbin/libvirtd --daemon --pid-file=/run/libvirt/libvirtd.pid
      for n in $(seq 1 120); do lab_in "$h" virsh -q -c qemu:///system uri >/dev/null 2>&1 && return 0; sleep 0.5; done
      echo "libvirtd on $h did not answer within 60 s" >&2; return 1 ;;
    *) echo "usage: lab.sh libvirtd HOST kill|term|start" >&2; return 2 ;;
  esac
}
