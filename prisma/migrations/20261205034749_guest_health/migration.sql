-- CreateEnum
CREATE TYPE "GuestHealth" AS ENUM ('checking', 'healthy', 'unhealthy', 'unknown');

-- AlterEnum
ALTER TYPE "AlertKind" ADD VALUE 'unhealthy';

-- AlterTable
ALTER TABLE "LiveMigration" ADD COLUMN     "guestHealth" "GuestHealth",
ADD COLUMN     "guestHealthAt" TIMESTAMP(3),
ADD COLUMN     "guestHealthDueAt" TIMESTAMP(3),
ADD COLUMN     "guestHealthProbe" JSONB,
ADD COLUMN     "guestHealthReason" TEXT;

-- CreateTable
CREATE TABLE "VmServiceCheck" (
    "vmUuid" TEXT NOT NULL,
    "vmName" TEXT NOT NULL,
    "tcpHost" TEXT NOT NULL,
    "tcpPort" INTEGER NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VmServiceCheck_pkey" PRIMARY KEY ("vmUuid")
);

-- CreateIndex
CREATE INDEX "LiveMigration_guestHealth_guestHealthDueAt_idx" ON "LiveMigration"("guestHealth", "guestHealthDueAt");

