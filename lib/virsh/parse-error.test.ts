import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadFixture } from "@/tests/support/load-fixture";
import { classifyVirshError, type VirshErrorKind } from "./parse-error";
import { parseHmpReply } from "./parse-hmp";
import { parseQmpReply } from "./parse-qmp";

// Every s4-err-* capture. Five of them are not errors at all (exit 0): the lab named the scenario,
// not the outcome. They are listed with `null` and checked to exit 0.
const S4_ERR: Record<string, VirshErrorKind | null> = {
  "s4-err-dest-connection-refused.txt": "dest-unreachable",
  "s4-err-dest-has-same-name-domain.txt": "already-exists",
  "s4-err-dest-no-libvirtd.txt": "dest-unreachable",
  "s4-err-dest-unknown-host.txt": "dest-unreachable",
  "s4-err-domain-not-running.txt": "not-running",
  "s4-err-domjobabort-no-job.txt": "no-job",
  "s4-err-getmaxdowntime-no-job.txt": null,
  "s4-err-hmp-info-migrate-no-job.txt": null,
  "s4-err-hmp-set-capability-no-job.txt": null,
  "s4-err-migrate-postcopy-no-job.txt": "no-job",
  "s4-err-migrate-to-same-host.txt": "same-host",
  "s4-err-no-such-domain.txt": "no-such-domain",
  "s4-err-offline-target-uri-typo.txt": "invalid-uri",
  "s4-err-query-migrate-no-job.txt": null,
  "s4-err-setmaxdowntime-no-job.txt": null,
};

// Other failing captures across the scenarios.
const OTHER: Record<string, VirshErrorKind> = {
  "s1-01-dest-domjobinfo.txt": "not-migration-source",
  "s1-02-domdirtyrate-calc-during-migration.txt": "state-change-lock-timeout",
  "s1-04-migrate-postcopy-without-postcopy-flag.txt": "postcopy-not-armed",
  "s1-08-dest-resume.txt": "already-running",
  "s2a-migrate-command-plain.txt": "operation-aborted",
  "s3b-domjobinfo-after-completion.txt": "not-running",
  "s4-dirtyrate-qmp-calc-dirty-ring-TCG-CRASH.txt": "monitor-closed",
  "s4-dirtyrate-virsh-calc-mode-dirty-bitmap-TCG.txt": "monitor-closed",
  "s4-dirtyrate-virsh-calc-mode-dirty-ring.txt": "unsupported",
  "s6-migrate-command-2.txt": "operation-aborted",
  "s7-migrate-command.txt": "operation-aborted",
  "s7-resume-on-source-during-migration.txt": "state-change-lock-timeout",
  "s8-domjobabort-postcopy-phase.txt": "postcopy-abort-refused",
  "inventory-hv1-sysinfo.txt": "unsupported",
};

describe("classifyVirshError on real captures", () => {
  it("covers every s4-err-* fixture", () => {
    const files = readdirSync(new URL("./fixtures/", import.meta.url)).filter((f) => f.startsWith("s4-err-"));
    expect(files.sort()).toEqual(Object.keys(S4_ERR).sort());
  });

  it.each(Object.entries(S4_ERR))("%s → %s", (file, kind) => {
    const c = loadFixture(file);
    if (kind === null) {
      expect(c.exitStatus).toBe(0);
      return;
    }
    expect(c.exitStatus).toBe(1);
    const e = classifyVirshError(c.output);
    expect(e.kind).toBe(kind);
    expect(e.raw).toBe(c.output);
    expect(e.message).toBe(c.output.trim().replace(/^error: /, ""));
  });

  it.each(Object.entries(OTHER))("%s → %s", (file, kind) => {
    const c = loadFixture(file);
    expect(c.exitStatus).not.toBe(0);
    expect(classifyVirshError(c.output).kind).toBe(kind);
  });

  it("takes the specific last line of two-line errors as the message", () => {
    const e = classifyVirshError(loadFixture("s7-resume-on-source-during-migration.txt").output);
    expect(e.message).toBe(
      "Timed out during operation: cannot acquire state change lock (held by monitor=remoteDispatchDomainMigratePerform3Params)",
    );
  });

  it("classifies QEMU's own error texts (QMP desc, HMP Error:) the same way", () => {
    const q = parseQmpReply(loadFixture("s1-04-qmp-migrate-set-capabilities-auto-converge-mid-migration.txt").output);
    expect(!q.ok && classifyVirshError(q.error.desc).kind).toBe("migration-in-progress");
    const h = parseHmpReply(loadFixture("s1-04-hmp-migrate_set_capability-auto-converge-mid-migration.txt").output);
    expect(!h.ok && classifyVirshError(h.message).kind).toBe("migration-in-progress");
  });
});

describe("classifyVirshError on the error texts real virsh 9.0 printed in the lab", () => {
  const cases: [string, VirshErrorKind][] = [
    ["error: failed to get domain 'nosuchvm'", "no-such-domain"],
    [
      "error: Cannot recv data: ssh: Could not resolve hostname hv3: Name or service not known: Connection reset by peer",
      "dest-unreachable",
    ],
    [
      "error: Cannot recv data: ssh: connect to host 127.0.0.13 port 2299: Connection refused: Connection reset by peer",
      "dest-unreachable",
    ],
    [
      "error: End of file while reading data: nc: /run/libvirt/nonexistent-sock: No such file or directory: Input/output error",
      "dest-unreachable",
    ],
    ["error: internal error: unexpected qemu URI path '/sytem', try qemu:///system", "invalid-uri"],
    [
      "error: operation failed: domain 'vm-idle' already exists with uuid 00000000-1111-2222-3333-444444444444",
      "already-exists",
    ],
    ["error: Requested operation is not valid: domain is not running", "not-running"],
    ["error: Requested operation is not valid: no job is active on the domain", "no-job"],
    [
      "error: internal error: Attempt to migrate guest to the same host 6d1ab000-0000-4000-8000-000000000001",
      "same-host",
    ],
    ["error: Unsafe migration: Migration without shared storage is unsafe", "unsafe-migration"],
    [
      "error: Requested operation is not valid: switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag",
      "postcopy-not-armed",
    ],
    [
      "error: Requested operation is not valid: post-copy can only be started while outgoing migration is in progress",
      "no-job",
    ],
    ["error: Requested operation is not valid: cannot abort migration in post-copy mode", "postcopy-abort-refused"],
    [
      "error: Timed out during operation: cannot acquire state change lock (held by monitor=remoteDispatchDomainMigratePerform3Params)",
      "state-change-lock-timeout",
    ],
    ["error: Unable to read from monitor: Connection reset by peer", "monitor-closed"],
    ["error: Operation not supported: dirty-ring calculation mode requires dirty-ring feature enabled.", "unsupported"],
    [
      "error: Operation not supported: migration statistics are available only on the source host",
      "not-migration-source",
    ],
    ["error: operation aborted: job 'migration out' canceled by client", "operation-aborted"],
    ["Error: There's a migration process in progress", "migration-in-progress"],
    [
      "error: Failed to resume domain 'vm-heavy'\nerror: Requested operation is not valid: domain is already running",
      "already-running",
    ],
    // QEMU failing to allocate guest RAM on the destination (reported through libvirt).
    [
      "error: internal error: qemu unexpectedly closed the monitor: 2026-11-23T01:00:00.000000Z qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory",
      "insufficient-memory",
    ],
    [
      "error: internal error: process exited while connecting to monitor: qemu-system-x86_64: Cannot allocate memory",
      "insufficient-memory",
    ],
    [
      "error: internal error: qemu unexpectedly closed the monitor: qemu-system-x86_64: -S: some other failure",
      "monitor-closed",
    ],
    ["error: operation failed: guest CPU doesn't match specification: missing features: avx512f", "cpu-incompatible"],
    ["error: unknown command: 'nosuchcommand'", "unknown-command"],
    ["sh: 1: virsh: not found", "unknown"],
    ["Terminated", "unknown"],
    ["", "unknown"],
  ];
  it.each(cases)("%s → %s", (text, kind) => {
    const e = classifyVirshError(text);
    expect(e.kind).toBe(kind);
    expect(e.raw).toBe(text);
  });
});
