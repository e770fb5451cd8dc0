-- AlterTable
ALTER TABLE "LiveMigration" ADD COLUMN     "guestLocation" TEXT,
ADD COLUMN     "guestLocationAt" TIMESTAMP(3),
ADD COLUMN     "guestLocationDetail" TEXT,
ADD COLUMN     "guestLocationHost" TEXT,
ADD COLUMN     "guestLocationSettled" BOOLEAN,
ADD COLUMN     "postcopyBytes" BIGINT;

-- CreateIndex
CREATE INDEX "LiveMigration_guestLocation_idx" ON "LiveMigration"("guestLocation");
