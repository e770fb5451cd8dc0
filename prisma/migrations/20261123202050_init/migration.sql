-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "HostStatus" AS ENUM ('pending_key', 'active', 'maintenance', 'disabled');

-- CreateEnum
CREATE TYPE "MigrationState" AS ENUM ('queued', 'launching', 'running', 'postcopy', 'completed', 'failed', 'cancelled', 'lost');

-- CreateEnum
CREATE TYPE "WindowState" AS ENUM ('draft', 'planned', 'running', 'paused', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "MoveState" AS ENUM ('pending', 'started', 'completed', 'failed', 'skipped', 'cancelled');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "sshUser" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "libvirtUri" TEXT NOT NULL DEFAULT 'qemu:///system',
    "migrationUriTemplate" TEXT NOT NULL DEFAULT 'qemu+ssh://{host}/system',
    "hostKeyFingerprint" TEXT,
    "pendingFingerprint" TEXT,
    "status" "HostStatus" NOT NULL DEFAULT 'pending_key',
    "nicBps" BIGINT NOT NULL DEFAULT 1250000000,
    "sharedStoragePrefixes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reachable" BOOLEAN NOT NULL DEFAULT false,
    "lastSeenAt" TIMESTAMP(3),
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorKind" TEXT,
    "libvirtVersion" TEXT,
    "qemuVersion" TEXT,
    "cpuModel" TEXT,
    "cpuVendor" TEXT,
    "cores" INTEGER,
    "memoryTotalBytes" BIGINT,
    "memoryFreeBytes" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vm" (
    "id" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "stateReason" TEXT,
    "vcpus" INTEGER NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "disks" JSONB NOT NULL DEFAULT '[]',
    "storage" TEXT NOT NULL DEFAULT 'none',
    "persistent" BOOLEAN NOT NULL DEFAULT true,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveMigration" (
    "id" TEXT NOT NULL,
    "vmUuid" TEXT NOT NULL,
    "vmName" TEXT NOT NULL,
    "sourceHostId" TEXT NOT NULL,
    "destHostId" TEXT NOT NULL,
    "state" "MigrationState" NOT NULL DEFAULT 'queued',
    "options" JSONB NOT NULL,
    "prediction" JSONB,
    "prechecks" JSONB,
    "overrideReason" TEXT,
    "verdict" JSONB,
    "policyName" TEXT,
    "escalationsDone" JSONB NOT NULL DEFAULT '[]',
    "guestPaused" BOOLEAN NOT NULL DEFAULT false,
    "restartOfId" TEXT,
    "restartRequested" JSONB,
    "idempotencyKey" TEXT,
    "memoryBytes" BIGINT NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "remotePid" INTEGER,
    "logPath" TEXT,
    "progressPct" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "lastSampleAt" TIMESTAMP(3),
    "error" TEXT,
    "completedStats" JSONB,
    "downtimeMs" INTEGER,
    "totalTimeMs" INTEGER,
    "dataProcessedBytes" BIGINT,
    "createdById" TEXT,
    "windowId" TEXT,
    "ownerId" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "LiveMigration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationSample" (
    "id" BIGSERIAL NOT NULL,
    "migrationId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "elapsedMs" INTEGER NOT NULL,
    "processedBytes" BIGINT NOT NULL,
    "remainingBytes" BIGINT NOT NULL,
    "totalBytes" BIGINT NOT NULL,
    "dirtyRateBps" DOUBLE PRECISION NOT NULL,
    "transferRateBps" DOUBLE PRECISION NOT NULL,
    "iteration" INTEGER NOT NULL,
    "throttlePct" INTEGER NOT NULL,
    "expectedDowntimeMs" INTEGER NOT NULL,
    "postcopyRequests" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MigrationSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationEvent" (
    "id" BIGSERIAL NOT NULL,
    "migrationId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "actorId" TEXT,
    "data" JSONB,
    "idempotencyKey" TEXT,

    CONSTRAINT "MigrationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "migrationId" TEXT NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "result" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EscalationPolicy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EscalationPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintenanceWindow" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "state" "WindowState" NOT NULL DEFAULT 'draft',
    "downtimeBudgetMs" INTEGER NOT NULL DEFAULT 1000,
    "maxOutbound" INTEGER NOT NULL DEFAULT 2,
    "maxInbound" INTEGER NOT NULL DEFAULT 2,
    "policyId" TEXT,
    "plan" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "excludedHostIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "antiAffinity" JSONB NOT NULL DEFAULT '{}',
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "MaintenanceWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvacuationMove" (
    "id" TEXT NOT NULL,
    "windowId" TEXT NOT NULL,
    "vmUuid" TEXT NOT NULL,
    "vmName" TEXT NOT NULL,
    "sourceHostId" TEXT NOT NULL,
    "destHostId" TEXT NOT NULL,
    "order" INTEGER NOT NULL,
    "plannedStartMs" INTEGER NOT NULL,
    "plannedEndMs" INTEGER NOT NULL,
    "autoConverge" BOOLEAN NOT NULL DEFAULT false,
    "state" "MoveState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "migrationId" TEXT,
    "lastError" TEXT,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "failedDestIds" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "EvacuationMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WindowHost" (
    "windowId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,

    CONSTRAINT "WindowHost_pkey" PRIMARY KEY ("windowId","hostId")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE INDEX "Vm_uuid_idx" ON "Vm"("uuid");

-- CreateIndex
CREATE UNIQUE INDEX "Vm_hostId_uuid_key" ON "Vm"("hostId", "uuid");

-- CreateIndex
CREATE UNIQUE INDEX "LiveMigration_idempotencyKey_key" ON "LiveMigration"("idempotencyKey");

-- CreateIndex
CREATE INDEX "LiveMigration_state_idx" ON "LiveMigration"("state");

-- CreateIndex
CREATE INDEX "LiveMigration_vmUuid_idx" ON "LiveMigration"("vmUuid");

-- CreateIndex
CREATE INDEX "LiveMigration_windowId_idx" ON "LiveMigration"("windowId");

-- CreateIndex
CREATE INDEX "LiveMigration_createdAt_idx" ON "LiveMigration"("createdAt");

-- CreateIndex
CREATE INDEX "MigrationSample_migrationId_at_idx" ON "MigrationSample"("migrationId", "at");

-- CreateIndex
CREATE INDEX "MigrationEvent_migrationId_at_idx" ON "MigrationEvent"("migrationId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "MigrationEvent_migrationId_idempotencyKey_key" ON "MigrationEvent"("migrationId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_migrationId_key" ON "Reservation"("migrationId");

-- CreateIndex
CREATE INDEX "Reservation_hostId_idx" ON "Reservation"("hostId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_action_idx" ON "AuditLog"("action");

-- CreateIndex
CREATE INDEX "AuditLog_targetId_idx" ON "AuditLog"("targetId");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationPolicy_name_key" ON "EscalationPolicy"("name");

-- CreateIndex
CREATE INDEX "EvacuationMove_windowId_state_idx" ON "EvacuationMove"("windowId", "state");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveMigration" ADD CONSTRAINT "LiveMigration_sourceHostId_fkey" FOREIGN KEY ("sourceHostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveMigration" ADD CONSTRAINT "LiveMigration_destHostId_fkey" FOREIGN KEY ("destHostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveMigration" ADD CONSTRAINT "LiveMigration_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "MaintenanceWindow"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationSample" ADD CONSTRAINT "MigrationSample_migrationId_fkey" FOREIGN KEY ("migrationId") REFERENCES "LiveMigration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationEvent" ADD CONSTRAINT "MigrationEvent_migrationId_fkey" FOREIGN KEY ("migrationId") REFERENCES "LiveMigration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_migrationId_fkey" FOREIGN KEY ("migrationId") REFERENCES "LiveMigration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaintenanceWindow" ADD CONSTRAINT "MaintenanceWindow_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "EscalationPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationMove" ADD CONSTRAINT "EvacuationMove_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "MaintenanceWindow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WindowHost" ADD CONSTRAINT "WindowHost_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "MaintenanceWindow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WindowHost" ADD CONSTRAINT "WindowHost_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

