-- AlterEnum
ALTER TYPE "HostStatus" ADD VALUE 'removed';

-- AlterEnum
ALTER TYPE "AlertKind" ADD VALUE 'window-overrun';

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "removedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "MaintenanceWindow" ADD COLUMN     "armedAt" TIMESTAMP(3),
ADD COLUMN     "armedById" TEXT,
ADD COLUMN     "armedByName" TEXT,
ADD COLUMN     "launchEndedAt" TIMESTAMP(3),
ADD COLUMN     "scheduleError" TEXT,
ADD COLUMN     "scheduleLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "scheduleOwner" TEXT,
ADD COLUMN     "startedBySchedule" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "HostKeyEvent" (
    "id" BIGSERIAL NOT NULL,
    "hostId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "previous" TEXT,
    "actorName" TEXT NOT NULL,

    CONSTRAINT "HostKeyEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HostKeyEvent_hostId_at_idx" ON "HostKeyEvent"("hostId", "at");

-- CreateIndex
CREATE INDEX "MaintenanceWindow_state_armedAt_idx" ON "MaintenanceWindow"("state", "armedAt");

-- AddForeignKey
ALTER TABLE "HostKeyEvent" ADD CONSTRAINT "HostKeyEvent_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Keys pinned before this history existed: recorded as "known" (when they were pinned is not known).
INSERT INTO "HostKeyEvent" ("hostId", "at", "kind", "fingerprint", "actorName")
SELECT id, now(), 'known', "hostKeyFingerprint", 'system' FROM "Host" WHERE "hostKeyFingerprint" IS NOT NULL;
