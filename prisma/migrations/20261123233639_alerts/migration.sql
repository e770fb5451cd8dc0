-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('stalled', 'failed', 'overdue');

-- AlterTable
ALTER TABLE "MaintenanceWindow" ADD COLUMN     "alertWebhooks" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "migrationId" TEXT,
    "windowId" TEXT,
    "url" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "gaveUpAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertDelivery_key_key" ON "AlertDelivery"("key");

-- CreateIndex
CREATE INDEX "AlertDelivery_deliveredAt_gaveUpAt_nextAttemptAt_idx" ON "AlertDelivery"("deliveredAt", "gaveUpAt", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AlertDelivery_windowId_idx" ON "AlertDelivery"("windowId");

