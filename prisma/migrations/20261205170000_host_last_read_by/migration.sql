-- The worker that last claimed a host's inventory read (inventory affinity).
ALTER TABLE "Host" ADD COLUMN "lastReadBy" TEXT;
